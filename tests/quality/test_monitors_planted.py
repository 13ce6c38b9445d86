"""Planted truth: a simulated pool of 13 annotators, five of whom have a known failing, and
every monitor flags exactly those five — no honest annotator is flagged.

Sizes are chosen so that each planted effect is many standard errors out (power ≈ 1) while
the Bonferroni-corrected tests, and the effect sizes an alert also needs, keep the chance of
a false alert among the honest annotators under 1 % per monitor (40 seeds tried: none
raised one); the seed fixes the draw so the test is repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from accord.quality.monitors import (
    fatigue,
    length_bias,
    over_refusal,
    position_bias,
)

HONEST = tuple(range(8))
FATIGUED = 8  # after an hour in a session: three times faster and barely better than chance
LENGTHY = 9  # half the time simply picks the longer response
FIRST_SHOWN = 10  # 40 % of the time simply picks the response shown first
MARATHON = 11  # four hours a day without a break of 20 minutes
REFUSER = 12  # prefers a refusal on a quarter of benign prompts
ANNOTATORS = 13
DAYS = 12
ITEMS = 4_000
SECONDS_PER_TASK = 40.0
ACCURACY = 0.85
START = np.datetime64("2025-03-03T09:00:00", "s")


@dataclass(frozen=True)
class Pool:
    """One row per annotation (a pairwise judgement of one item), as the monitors take them."""

    annotator: np.ndarray
    created_at: np.ndarray  # datetime64[ms]: submission time
    active_ms: np.ndarray
    agrees: np.ndarray  # chose the item's better response (the simulated consensus)
    item: np.ndarray
    winner_length: np.ndarray
    loser_length: np.ndarray
    winner_first: np.ndarray


def _session(rng, who: int, day: int, begin_minutes: float, minutes: float) -> dict:
    """One session: tasks back to back with short pauses (a few of ten minutes) until it ends."""
    fast = who == FATIGUED
    spent = rng.lognormal(np.log(SECONDS_PER_TASK), 0.4, size=2_000)
    pause = rng.exponential(4.0, size=2_000) + np.where(rng.random(2_000) < 0.01, 600.0, 0.0)
    finished = np.cumsum(pause + spent)
    late = finished - spent > 3_600.0
    if fast:  # from the hour on, every task takes 30 % of the time (and ends sooner)
        spent = np.where(late, spent * 0.3, spent)
        finished = np.cumsum(pause + spent)
        late = finished - spent > 3_600.0
    keep = finished <= minutes * 60.0
    offset = day * 86_400.0 + begin_minutes * 60.0
    return {"annotator": np.full(keep.sum(), who), "seconds": offset + finished[keep],
            "active_ms": np.round(spent[keep] * 1000), "late": late[keep]}


def _sessions(rng) -> dict:
    """Two sessions a day with a lunch break (one four-hour stretch for the marathon worker)."""
    parts = []
    for who in range(ANNOTATORS):
        for day in range(DAYS):
            if who == MARATHON:
                parts.append(_session(rng, who, day, 0.0, 240.0))
            elif who == FATIGUED:
                parts += [_session(rng, who, day, 0.0, 115.0),
                          _session(rng, who, day, 160.0, 115.0)]
            else:
                first = rng.uniform(70.0, 100.0)
                parts += [_session(rng, who, day, 0.0, first),
                          _session(rng, who, day, first + 45.0, rng.uniform(70.0, 100.0))]
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _judgements(rng, who, late) -> dict:
    """Each annotation judges a random item; who picks what is the planted behaviour."""
    n = len(who)
    item = rng.integers(0, ITEMS, n)
    lengths = rng.lognormal(np.log(800.0), 0.6, size=(ITEMS, 2))
    longer = lengths.argmax(axis=1)
    better = np.where(rng.random(ITEMS) < 0.6, longer, 1 - longer)  # longer is often better
    accuracy = np.where((who == FATIGUED) & late, 0.55, ACCURACY)
    choice = np.where(rng.random(n) < accuracy, better[item], 1 - better[item])
    first_shown = rng.integers(0, 2, n)
    choice = np.where((who == LENGTHY) & (rng.random(n) < 0.5), longer[item], choice)
    choice = np.where((who == FIRST_SHOWN) & (rng.random(n) < 0.4), first_shown, choice)
    return {"item": item, "agrees": choice == better[item],
            "winner_length": lengths[item, choice], "loser_length": lengths[item, 1 - choice],
            "winner_first": choice == first_shown}


@pytest.fixture(scope="module")
def pool() -> Pool:
    rng = np.random.default_rng(20250303)
    s = _sessions(rng)
    shuffle = rng.permutation(len(s["annotator"]))  # the monitors must not rely on row order
    s = {key: value[shuffle] for key, value in s.items()}
    j = _judgements(rng, s["annotator"], s["late"])
    created = START + (s["seconds"] * 1000).astype("timedelta64[ms]")
    return Pool(s["annotator"], created, s["active_ms"], j["agrees"], j["item"],
                j["winner_length"], j["loser_length"], j["winner_first"])


def flagged(alerts, monitor: str) -> set[int | None]:
    return {a.annotator for a in alerts if a.monitor == monitor}


def test_fatigue_flags_the_speeding_annotator_and_the_marathon_worker_only(pool):
    result = fatigue(pool.annotator, pool.created_at, pool.active_ms, pool.agrees)
    assert flagged(result.alerts, "fatigue.speedup") == {FATIGUED}
    assert flagged(result.alerts, "fatigue.agreement_drop") == {FATIGUED}
    assert flagged(result.alerts, "fatigue.session_length") == {MARATHON}
    assert result.sessions[MARATHON] == DAYS
    assert all(result.sessions[i] == 2 * DAYS for i in HONEST)  # ten-minute pauses are no breaks
    assert result.late_agreement[FATIGUED] < result.early_agreement[FATIGUED] - 0.2


def test_length_bias_flags_the_annotator_who_prefers_longer_answers_only(pool):
    result = length_bias(pool.annotator, pool.winner_length, pool.loser_length,
                         winner_first=pool.winner_first, pair=pool.item)
    assert flagged(result.alerts, "length_bias") == {LENGTHY}
    honest_slopes = result.slope[list(HONEST)]
    assert result.slope[LENGTHY] > honest_slopes.max()
    # the longer response really is better on 60 % of items: the baseline knows it
    assert (result.baseline_rate[list(HONEST)] > 0.53).all()


def test_position_bias_flags_the_annotator_who_prefers_the_first_response_only(pool):
    winner_position = np.where(pool.winner_first, 0, 1)
    result = position_bias(pool.annotator, winner_position, 1 - winner_position)
    assert flagged(result.alerts, "position_bias") == {FIRST_SHOWN}
    assert result.win_rate[FIRST_SHOWN, 0] == pytest.approx(0.7, abs=0.03)


def test_over_refusal_flags_the_annotator_who_refuses_benign_prompts_only():
    rng = np.random.default_rng(7)
    who = np.repeat(np.arange(ANNOTATORS), 300)
    benign = rng.random(len(who)) < 0.5
    on_benign = np.where(who == REFUSER, 0.25, 0.03)
    refused = rng.random(len(who)) < np.where(benign, on_benign, 0.9)
    result = over_refusal(who, benign, refused)
    assert flagged(result.alerts, "over_refusal") == {REFUSER}
