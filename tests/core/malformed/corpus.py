"""Malformed import files, each with the line numbers and reasons the importer must report.

Every case writes its file into a directory given by the test (``tmp_path``), so the corpus
lives in code: readable, reviewable, and without binary files in the repository.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

MIB = 1 << 20


def good(item_id: str) -> bytes:
    """A valid comparison line (without its newline)."""
    return orjson.dumps({
        "id": item_id,
        "messages": [{"role": "user", "content": f"question {item_id}"}],
        "responses": [{"id": "a", "content": "yes"}, {"id": "b", "content": "no"}],
    })


def lines(*rows: bytes) -> bytes:
    return b"".join(row + b"\n" for row in rows)


@dataclass(frozen=True)
class Case:
    """A malformed file and what must be said about it: ``(line, words in the reason)``."""

    name: str
    content: Callable[[], bytes]
    expected: tuple[tuple[int, str], ...]
    suffix: str = ".jsonl"

    def write(self, directory: Path) -> Path:
        path = directory / f"{self.name}{self.suffix}"
        path.write_bytes(self.content())
        return path


def _deep(depth: int) -> bytes:
    return b'{"id": "deep", "prompt": "x", "metadata": {"a": ' + b"[" * depth + b"]" * depth + b"}}"


def _truncated_gzip() -> bytes:
    whole = gzip.compress(lines(*[good(f"q-{n}") for n in range(600)]))
    return whole[: len(whole) // 2]


CASES = (
    Case("invalid_utf8", lambda: lines(good("q-1"), b'{"id": "q-2", "prompt": "caf\xe9"}'),
         ((2, "is not valid UTF-8 (byte 0xe9 at byte 29)"),)),
    Case("utf8_bom", lambda: b"\xef\xbb\xbf" + lines(good("q-1"), good("q-2")),
         ((1, "byte-order mark"),)),
    Case("nul_byte", lambda: lines(good("q-1"), b'{"id": "q-2",\x00 "prompt": "x"}'),
         ((2, "contains a NUL byte at byte 14"),)),
    Case("escaped_nul", lambda: lines(good("q-1"), good("q-2").replace(b"question",
                                                                        b"ques\\u0000tion")),
         ((2, "messages[0].content contains a NUL character"),)),
    Case("ten_megabyte_line",
         lambda: lines(good("q-1"), b'{"id": "big", "prompt": "' + b"x" * (10 * MIB) + b'"}',
                       good("q-3")),
         ((2, "is 10,485,787 bytes long, over the maximum of 1,048,576"),)),
    Case("nested_10000_deep", lambda: lines(good("q-1"), _deep(10_000)),
         ((2, "nested too deeply"),)),
    Case("nan", lambda: lines(b'{"id": "n", "prompt": "x", "metadata": {"score": NaN}}'),
         ((1, "NaN is not a JSON number"),)),
    Case("infinity",
         lambda: lines(good("q-1"), b'{"id": "n", "prompt": "x", "priority": Infinity}'),
         ((2, "Infinity is not a JSON number"),)),
    Case("missing_fields", lambda: lines(
        b'{"prompt": "no id", "responses": []}',
        b'{"id": "q-2", "prompt": "no responses"}',
        b'{"id": "q-3", "kind": "demonstration"}',
        b'{"id": "q-4", "prompt": "x", "responses": [{"id": "a"}, {"id": "b", "content": "b"}]}',
        b'{"id": "q-5", "messages": [{"role": "user"}], "kind": "demonstration"}'),
         ((1, '"id" is missing'), (2, '"responses" is missing'),
          (3, 'a demonstration needs "messages" or "prompt"'),
          (4, "responses[0].content is missing"), (5, "messages[0].content is missing"))),
    Case("gold_names_unknown_response", lambda: lines(orjson.dumps({
        "id": "g-1", "prompt": "x", "responses": [{"id": "a", "content": "1"},
                                                  {"id": "b", "content": "2"}],
        "gold": {"ranking": [["a"], ["c"]]}})),
         ((1, 'response "c" in gold.ranking[1] is not among the item\'s responses (a, b)'),)),
    Case("gold_misses_a_response", lambda: lines(orjson.dumps({
        "id": "g-1", "prompt": "x", "responses": [{"id": "a", "content": "1"},
                                                  {"id": "b", "content": "2"}],
        "gold": {"ranking": [["a"]]}})),
         ((1, "gold.ranking must rank every response; missing b"),)),
    Case("response_ids_repeat", lambda: lines(orjson.dumps({
        "id": "r-1", "prompt": "x", "responses": [{"id": "a", "content": "1"},
                                                  {"id": "a", "content": "2"}]})),
         ((1, 'responses[1].id "a" repeats an earlier response'),)),
    Case("response_with_unknown_field", lambda: lines(orjson.dumps({
        "id": "r-1", "prompt": "x", "responses": [{"id": "a", "content": "1", "score": 3},
                                                  {"id": "b", "content": "2"}]})),
         ((1, 'responses[0]: unknown field "score"'),)),
    Case("duplicate_ids", lambda: lines(good("q-1"), good("q-2"), good("q-1"), good("q-2")),
         ((3, "id q-1 is already used on line 1"), (4, "id q-2 is already used on line 2"))),
    Case("empty_file", lambda: b"", ((1, "there is nothing to import"),)),
    Case("blank_lines_only", lambda: b"\n  \n\r\n", ((1, "there is nothing to import"),)),
    Case("not_objects", lambda: lines(b"[1, 2]", b'"text"', b"42", b"null", good("q-5")),
         ((1, "must be a JSON object, not an array"), (2, "must be a JSON object, not a string"),
          (3, "must be a JSON object, not a number"), (4, "must be a JSON object, not null"))),
    Case("wrong_types", lambda: lines(orjson.dumps({
        "id": "t-1", "prompt": "x", "responses": [{"id": "a", "content": "1"},
                                                  {"id": "b", "content": 2}]}),
        orjson.dumps({"id": 7, "prompt": "x"}),
        orjson.dumps({"id": "t-3", "prompt": "x", "kind": "demonstration", "priority": "high"})),
         ((1, "responses[1].content must be a string, not a number"),
          (2, "id must be a string, not a number"),
          (3, "priority must be an integer, not a string"))),
    Case("unknown_fields", lambda: lines(orjson.dumps({"id": "u", "promt": "x", "colour": 1})),
         ((1, 'unknown fields "colour", "promt"'),)),
    Case("bad_messages", lambda: lines(
        orjson.dumps({"id": "m-1", "kind": "demonstration",
                      "messages": [{"role": "user", "content": "q"},
                                   {"role": "assistant", "content": "a"}]}),
        orjson.dumps({"id": "m-2", "kind": "demonstration",
                      "messages": [{"role": "bot", "content": "q"}]})),
         ((1, "messages[1] must be the user's"),
          (2, 'messages[0].role must be one of system, user, assistant, not "bot"'))),
    Case("bad_ids_and_tags", lambda: lines(
        orjson.dumps({"id": "", "prompt": "x", "kind": "demonstration"}),
        orjson.dumps({"id": "i" * 256, "prompt": "x", "kind": "demonstration"}),
        orjson.dumps({"id": "c", "prompt": "x", "kind": "demonstration", "category": "&&"}),
        orjson.dumps({"id": "d", "prompt": "x", "kind": "demonstration", "domains": ["Legal"]})),
         ((1, "id must not be empty"), (2, "id is 256 characters long; at most 255"),
          (3, 'category "&&" has no letter or digit to match rules on'),
          (4, 'domains[0] "Legal" must be an expertise tag'))),
    Case("truncated_gzip", _truncated_gzip, ((0, "the file cannot be read here"),),
         suffix=".jsonl.gz"),
)
