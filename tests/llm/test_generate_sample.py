"""Which pool prompts a generation run takes: shares per category, limits, seeds."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.errors import InvalidInput
from accord.core.judging.generated import PoolPrompt
from accord.llm.prompt_sample import choose, parse_mix


def pool(**counts: int) -> list[PoolPrompt]:
    prompts, next_id = [], 1
    for category, count in counts.items():
        for i in range(count):
            prompts.append(PoolPrompt(next_id, f"{category}-{i}", category))
            next_id += 1
    return prompts


def categories(selection) -> dict[str, int]:
    return dict(Counter(p.category for p in selection.prompts))


def test_without_a_mix_the_sample_keeps_the_pools_proportions():
    assert categories(choose(pool(qa=10, coding=10, creative=5), None, 5)) == {
        "qa": 2, "coding": 2, "creative": 1}
    assert len(choose(pool(qa=10, coding=10, creative=5), None, None).prompts) == 25


def test_a_mix_without_a_limit_takes_the_largest_sample_that_fits():
    selection = choose(pool(qa=9, coding=10), parse_mix("qa=0.75,coding=0.25"), None)
    assert categories(selection) == {"qa": 9, "coding": 3}
    assert selection.short == {}


def test_a_category_short_of_its_share_is_reported():
    selection = choose(pool(qa=2, coding=10), parse_mix("qa=0.5,coding=0.5"), 10)
    assert categories(selection) == {"qa": 2, "coding": 5}
    assert selection.short == {"qa": 3}


def test_the_same_seed_picks_the_same_prompts_and_another_seed_others():
    prompts = pool(qa=50)
    first = [p.external_id for p in choose(prompts, None, 10, seed=1).prompts]
    assert first == [p.external_id for p in choose(prompts, None, 10, seed=1).prompts]
    assert first != [p.external_id for p in choose(prompts, None, 10, seed=2).prompts]


def test_growing_the_pool_keeps_most_earlier_picks():
    before = {p.external_id for p in choose(pool(qa=100), None, 20).prompts}
    after = {p.external_id for p in choose(pool(qa=110), None, 20).prompts}
    assert len(before & after) >= 15


@given(counts=st.dictionaries(st.sampled_from(["qa", "coding", "creative", "safety"]),
                              st.integers(1, 40), min_size=1),
       limit=st.integers(1, 60), seed=st.integers(0, 5))
def test_a_sample_in_the_pools_proportions_takes_each_prompt_at_most_once(counts, limit, seed):
    prompts = pool(**counts)
    selection = choose(prompts, None, limit, seed)
    ids = [p.id for p in selection.prompts]
    size = min(limit, len(prompts))
    assert len(ids) == len(set(ids)) == size
    assert ids == sorted(ids)
    assert selection.short == {}
    for category, count in categories(selection).items():
        assert abs(count - size * counts[category] / len(prompts)) < 1


@pytest.mark.parametrize(("spec", "message"), [
    ("coding", '--mix: "coding" must look like category=share'),
    ("coding=lots", '--mix: the share of coding must be a number, not "lots"'),
    ("coding=-1", "--mix: the share of coding must be zero or more, not -1"),
    ("qa=1,qa=2", "--mix names qa twice"),
    ("qa=0", "--mix: at least one share must be above zero"),
])
def test_a_malformed_mix_is_named(spec, message):
    with pytest.raises(InvalidInput) as raised:
        parse_mix(spec)
    assert raised.value.message == message


def test_limit_must_be_positive():
    with pytest.raises(InvalidInput, match="--limit must be at least 1, not 0"):
        choose(pool(qa=2), None, 0)
