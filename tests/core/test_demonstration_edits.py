"""The edit distance and the diff stored for a post-edited draft: the distance equals
Levenshtein's recurrence computed the textbook way, and the diff's two sides give back the
draft and the submitted text exactly, whatever the texts."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from accord.core.tasks import edits

TEXT = st.text(alphabet=st.sampled_from("ab c,.\néß"), max_size=40)


def levenshtein_by_recurrence(a: str, b: str) -> int:
    """Wagner-Fischer: the row-by-row dynamic programme over the two strings."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def test_known_distances():
    assert edits.edit_distance("kitten", "sitting") == 3
    assert edits.edit_distance("", "abc") == 3
    assert edits.edit_distance("same", "same") == 0


@given(TEXT, TEXT)
def test_the_distance_is_levenshteins(draft, final):
    assert edits.edit_distance(draft, final) == levenshtein_by_recurrence(draft, final)


@given(TEXT, TEXT)
def test_the_diff_gives_back_both_texts(draft, final):
    segments = edits.diff(draft, final)
    assert edits.side(segments, "delete") == draft
    assert edits.side(segments, "insert") == final
    assert all(text for _, text in segments)
    assert all(a[0] != b[0] for a, b in pairwise(segments))


def test_the_diff_marks_whole_words():
    assert edits.diff("The cat sat.", "The dog sat!") == [
        ["equal", "The "], ["delete", "cat"], ["insert", "dog"], ["equal", " sat"],
        ["delete", "."], ["insert", "!"]]
