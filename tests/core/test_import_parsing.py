"""The line reader and the item validator, on their own (no database), with property tests."""

from __future__ import annotations

import random
import tracemalloc

import orjson
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.core.importing.fields import InvalidItem
from accord.core.importing.formats.accord_jsonl import to_item
from accord.core.importing.items import ItemRules, validate_item
from accord.core.importing.lines import GZIP_MAGIC, LineReader, decode

RULES = ItemRules(project="prefs", pairwise=False, allow_ties=True)
words = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
ids = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1,
              max_size=20).filter(lambda s: not s.isspace())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | words
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=10,
)


@st.composite
def comparisons(draw) -> dict:
    """Valid comparison items of every optional shape."""
    response_ids = draw(st.lists(ids, min_size=2, max_size=5, unique=True))
    item: dict = {
        "id": draw(ids),
        "responses": [{"id": rid, "content": draw(words)} for rid in response_ids],
    }
    if draw(st.booleans()):
        item["prompt"] = draw(words)
    else:
        turns = draw(st.lists(st.sampled_from(["system", "user", "assistant"]), max_size=3))
        item["messages"] = [{"role": role, "content": draw(words)} for role in [*turns, "user"]]
    if draw(st.booleans()):
        item["kind"] = "comparison"
    if draw(st.booleans()):
        order = draw(st.permutations(response_ids))
        item["gold"] = {"ranking": [[rid] for rid in order]}
    if draw(st.booleans()):
        item["metadata"] = draw(st.dictionaries(words, json_values, max_size=3))
    if draw(st.booleans()):
        item["domains"] = draw(st.lists(st.from_regex(r"[a-z][a-z0-9.]{0,8}", fullmatch=True),
                                        max_size=3))
    return item


@given(comparisons())
def test_every_well_formed_comparison_is_accepted_as_written(raw):
    item = validate_item(decode(orjson.dumps(raw)), RULES)
    assert item.id == raw["id"]
    assert [r.id for r in item.responses] == [r["id"] for r in raw["responses"]]
    assert [r.content for r in item.responses] == [r["content"] for r in raw["responses"]]
    assert item.messages[-1]["role"] == "user"


@given(comparisons(), st.randoms())
def test_the_content_hash_ignores_key_order(raw, rng):
    keys = list(raw)
    rng.shuffle(keys)
    shuffled = {key: raw[key] for key in keys}
    assert (validate_item(raw, RULES).content_hash()
            == validate_item(shuffled, RULES).content_hash())


@given(comparisons(), words)
def test_any_change_of_content_changes_the_hash(raw, text):
    changed = {**raw, "responses": [*raw["responses"][:-1],
                                    {**raw["responses"][-1], "content": text + "!"}]}
    assert validate_item(raw, RULES).content_hash() != validate_item(changed, RULES).content_hash()


@given(st.dictionaries(st.sampled_from(
    ["id", "kind", "prompt", "messages", "responses", "gold", "category", "domains",
     "metadata", "priority", "topic", "chosen", "rejected", "model_response", "other"]),
    json_values, max_size=8))
def test_any_json_object_is_accepted_or_refused_with_a_reason_never_a_crash(raw):
    try:
        to_item(raw, RULES)
    except InvalidItem as error:
        assert str(error)


@given(st.binary(max_size=200))
def test_any_bytes_decode_to_an_object_or_a_reason(data):
    try:
        assert isinstance(decode(data), dict)
    except InvalidItem as error:
        assert str(error)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
       st.integers(1, 30), st.booleans())
def test_the_reader_returns_every_line_and_flags_the_long_ones(tmp_path, rows, limit, newline):
    content = b"\n".join(rows) + (b"\n" if newline and rows else b"")
    assume(not content.startswith(GZIP_MAGIC))  # such a file is read as gzip, by design
    path = tmp_path / "lines.jsonl"
    path.write_bytes(content)
    expected = list(rows)
    if rows and not newline and rows[-1] == b"":
        expected.pop()  # a file ending without a newline has no empty last line
    with LineReader(path, limit) as reader:
        got = list(reader)
    assert [line.number for line in got] == list(range(1, len(expected) + 1))
    for line, row in zip(got, expected, strict=True):
        if len(row) > limit:
            assert line.error and f"is {len(row):,} bytes long" in line.error
        else:
            assert (line.data, line.error) == (row, None)


def test_a_ten_megabyte_line_is_skipped_in_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"id": "x"}\n' + random.randbytes(10 << 20).replace(b"\n", b"") + b"\n{}\n")
    tracemalloc.start()
    with LineReader(path, 1 << 20) as reader:
        numbers = [(line.number, line.error is None) for line in reader]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert numbers == [(1, True), (2, False), (3, True)]
    assert peak < 3 << 20


def test_a_file_that_looks_like_gzip_but_is_not_names_the_line(tmp_path):
    path = tmp_path / "fake.jsonl"
    path.write_bytes(GZIP_MAGIC + b'{"id": "x"}\n')
    with LineReader(path, 1 << 20) as reader:
        got = list(reader)
    assert got and got[0].number == 1 and "cannot be read" in got[0].error
