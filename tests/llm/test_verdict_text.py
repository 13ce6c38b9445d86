"""Reading a verdict from a reply's text, on a corpus of the shapes judges really write.

``verdict_corpus.jsonl`` holds one reply a line with the verdict it states (or
``unreadable``: a reply that could be read two ways must be refused, not guessed) and where
the shape came from: AlpacaEval's GPT-4 Turbo judge (``../shared/data/alpaca_eval2``, whose
cited replies and first-token alternatives are checked here against the files),
SmolLM2-135M-Instruct answering Accord's own prompt, MT-Bench's format, the shapes listed in
issue 17, and adversarial replies.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.llm.verdict import VERDICTS
from accord.llm.verdict_text import parse_reply

CORPUS = Path(__file__).with_name("verdict_corpus.jsonl")
UNREADABLE = "unreadable"
ENTRIES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_the_corpus_names_each_shape_once_and_says_where_it_came_from():
    shapes = [entry["shape"] for entry in ENTRIES]

    assert len(shapes) == len(set(shapes))
    assert all(entry["source"] and entry["verdict"] in (*VERDICTS, UNREADABLE)
               for entry in ENTRIES)
    assert {entry["verdict"] for entry in ENTRIES} == {*VERDICTS, UNREADABLE}
    assert sum("alpaca_eval" in entry for entry in ENTRIES) >= 10
    assert sum(entry["source"].startswith("SmolLM2") for entry in ENTRIES) >= 10


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["shape"] for entry in ENTRIES])
def test_every_reply_of_the_corpus_is_read_as_the_verdict_it_states(entry):
    parsed = parse_reply(entry["reply"])

    assert (parsed.verdict or UNREADABLE) == entry["verdict"], entry["source"]


@cache
def _annotations(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text(encoding="utf-8"))


CITED = [entry for entry in ENTRIES if "alpaca_eval" in entry]


@pytest.mark.parametrize("entry", CITED, ids=[entry["shape"] for entry in CITED])
def test_the_alpaca_eval_shapes_are_where_the_corpus_cites_them(entry, shared_data):
    cited = entry["alpaca_eval"]
    completion = _annotations(shared_data / "alpaca_eval2", cited["file"])[cited["item"]][
        "raw_completion"]

    if "reply" in cited:
        assert completion["message"]["content"] == cited["reply"]
    else:
        first = completion["logprobs"]["content"][0]["top_logprobs"]
        assert cited["first_token_alternative"] in [choice["token"] for choice in first]


@pytest.mark.parametrize(("reply", "first_token"), [
    ("A: The answer is Paris.", True),
    ("**B**\nIt cites a source.", True),
    ("[[A]]", True),
    ("B is clearly better.", True),
    ("Response A is better", False),
    ("Verdict: TIE", False),
    ("Based on the principle, B.", False),
    ("Both are equally good", False),
    ("Draw", False),
])
def test_only_a_verdict_that_opens_the_reply_takes_the_first_tokens_probabilities(
        reply, first_token):
    assert parse_reply(reply).first_line is first_token


@given(st.text())
def test_the_parser_never_raises_and_reads_a_verdict_or_none(text):
    parsed = parse_reply(text)

    assert parsed.verdict in (*VERDICTS, None)
    assert isinstance(parsed.reasons, str)


FRAGMENTS = st.sampled_from([
    "A", "B", "a", "b", "TIE", "tie", "C", "[[", "]]", "**", "`", '"', "(", ")", ":", ".", ",",
    " ", "\n", "Response ", "Verdict: ", "The answer is ", " is better", " than ", "Both",
    "Neither", " are equally good", "Based on it, ", "# ", "> ", "- ", "\u2019", "\u201c",
])


@given(st.lists(FRAGMENTS | st.text(max_size=3), max_size=12).map("".join))
def test_the_parser_never_raises_on_replies_made_of_verdict_pieces(text):
    assert parse_reply(text).verdict in (*VERDICTS, None)


ALONE = st.sampled_from([
    ("A", "A"), ("a", "A"), ("B", "B"), ("b.", "B"), ("TIE", "TIE"), ("Tie", "TIE"),
    ("**A**", "A"), ("[[B]]", "B"), ("[[C]]", "TIE"), ('"TIE"', "TIE"), ("`B`", "B"),
    ("Verdict: A", "A"), ("**Verdict:** TIE", "TIE"), ("Response B", "B"), ("## A", "A"),
    ("> B", "B"), ("  TIE  ", "TIE"), ("A.", "A"),
])


@given(ALONE, st.text(), st.text(" \t\n", max_size=3))
def test_a_verdict_alone_on_the_first_line_is_read_as_it_whatever_follows(token, reasons,
                                                                       blank):
    shape, verdict = token

    parsed = parse_reply(f"{blank}{shape}\n{reasons}")

    assert parsed.verdict == verdict


OPENING = st.sampled_from([
    ("A", "A"), ("B", "B"), ("TIE", "TIE"), ("a", "A"), ("**B**", "B"), ("[[A]]", "A"),
    ("Response A", "A"), ("Verdict: B", "B"), ("The answer is TIE", "TIE"),
])
SEPARATORS = st.sampled_from([": ", ":  ", ". ", " - ", " \u2014 ", "; ", "! "])
# Reasons that give no verdict of their own: no label (A, B, TIE, C in brackets) to find.
REASONS = st.text(st.characters(blacklist_characters="aAbBtT[]",
                                blacklist_categories=("Cs",)))


@given(OPENING, SEPARATORS, REASONS)
def test_a_verdict_then_a_separator_is_read_as_it_when_the_reasons_name_no_other(
        token, separator, reasons):
    shape, verdict = token

    parsed = parse_reply(f"{shape}{separator}{reasons}")

    assert parsed.verdict == verdict
