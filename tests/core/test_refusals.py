"""The refusal heuristic gives one answer whichever way it is asked: per response at import
(one regular expression) or in bulk over stored openings (string search)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.core.tasks.refusals import REFUSAL_HEAD, REFUSAL_OPENINGS, opens_like_refusal, refusals

# Text built from pieces of the openings, cases changed and filler around them, so that
# matches, near misses and openings cut off at the head's end all occur.
piece = st.one_of(st.sampled_from(REFUSAL_OPENINGS), st.sampled_from(["I", " ", "can", "'t",
                                                                        "AI", "sorry,", "x"]),
                  st.text(max_size=5))
text = st.lists(piece, max_size=40).map("".join)
cased = st.tuples(text, st.booleans()).map(lambda t: t[0].upper() if t[1] else t[0])
padded = st.tuples(st.integers(0, REFUSAL_HEAD + 5), cased).map(lambda t: " " * t[0] + t[1])


@given(padded)
def test_the_flag_is_the_plain_definition(content):
    head = content[:REFUSAL_HEAD].lower()
    assert opens_like_refusal(content) == any(opening in head for opening in REFUSAL_OPENINGS)


@given(st.lists(padded, max_size=20))
def test_the_bulk_search_agrees_with_the_flag(contents):
    heads = [content[:REFUSAL_HEAD].lower() for content in contents]
    assert refusals(heads).tolist() == [opens_like_refusal(content) for content in contents]
