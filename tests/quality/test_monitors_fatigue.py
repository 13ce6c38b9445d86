"""Fatigue monitor: sessions split at breaks, speed-ups against one's own pace, late agreement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportions_ztest

from accord.quality.monitors import fatigue
from accord.quality.monitors.significance import proportion_lower

MINUTE = 60.0


def test_an_idle_gap_longer_than_the_break_starts_a_new_session():
    # annotator 0: three one-minute tasks (10 s pauses), 21 idle minutes, two more; annotator 1:
    # one task. Idle time = gap between submissions less the later task's active time.
    who = [0, 0, 0, 0, 0, 1]
    submitted = [60, 130, 200, 200 + 21 * 60 + 60, 1590, 500]
    result = fatigue(who, submitted, [60_000] * 6)
    assert result.sessions.tolist() == [2, 1]
    assert result.session.tolist() == [0, 0, 0, 1, 1, 2]
    assert result.minutes_into_session == pytest.approx([1, 130 / 60, 200 / 60, 1, 130 / 60, 1])
    assert result.longest_session_minutes == pytest.approx([200 / 60, 1])
    assert result.n_sessions == 3
    assert result.alerts == []


def test_an_idle_gap_of_exactly_the_break_does_not_split():
    result = fatigue([0, 0], [60, 60 + 20 * 60 + 60], [60_000, 60_000])
    assert result.sessions.tolist() == [1]


def test_row_order_does_not_matter_and_datetimes_equal_epoch_seconds():
    seconds = np.array([60, 130, 200, 1520, 1590, 500])
    who = np.array([0, 0, 0, 0, 0, 1])
    shuffle = np.array([4, 1, 5, 0, 3, 2])
    stamps = np.datetime64("2025-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]")
    by_seconds = fatigue(who, seconds, np.full(6, 60_000))
    shuffled = fatigue(who[shuffle], stamps[shuffle], np.full(6, 60_000))
    assert shuffled.minutes_into_session == pytest.approx(by_seconds.minutes_into_session[shuffle])
    assert shuffled.longest_session_minutes == pytest.approx(by_seconds.longest_session_minutes)


def test_a_session_past_the_limit_raises_one_warning_naming_its_length():
    # 130 one-minute tasks back to back: a 130-minute session.
    submitted = np.arange(1, 131) * MINUTE
    result = fatigue(np.zeros(130, int), submitted, np.full(130, 60_000))
    (alert,) = result.alerts
    assert (alert.monitor, alert.annotator, alert.severity) == ("fatigue.session_length", 0,
                                                                "warning")
    assert alert.statistic == pytest.approx(130.0)
    assert alert.threshold == 120.0
    assert result.long_sessions == 1


def test_the_baseline_is_the_median_of_the_fresh_part_of_sessions():
    # fresh_minutes=3: the first three minutes of the session are tasks of 60, 50 and 70 s.
    spent = np.array([60, 50, 70, 20, 20, 20, 20]) * 1000
    submitted = np.cumsum(spent / 1000)
    result = fatigue(np.zeros(7, int), submitted, spent, fresh_minutes=3)
    assert result.baseline_ms.tolist() == [60_000.0]


def test_speedup_share_counts_windows_whose_median_is_under_the_line():
    # baseline 10 s (fresh = everything); windows of 3: medians 10, 10, 4, 4, 4 → 3 of 5 fast.
    spent = np.array([10, 10, 10, 4, 4, 4, 10]) * 1000
    submitted = np.cumsum(spent / 1000)
    result = fatigue(np.zeros(7, int), submitted, spent, fresh_minutes=60, window=3)
    assert result.speedup_share.tolist() == [pytest.approx(0.6)]
    (alert,) = result.alerts
    assert alert.monitor == "fatigue.speedup"
    assert alert.statistic == pytest.approx(0.6)


def test_windows_never_span_a_break():
    # two sessions of two fast tasks each: no window of 3 fits in either.
    spent = np.array([4, 4, 4, 4]) * 1000
    submitted = np.array([4, 8, 8 + 3600 + 4, 8 + 3600 + 8])
    result = fatigue(np.zeros(4, int), submitted, spent, window=3, fresh_minutes=60)
    assert np.isnan(result.speedup_share[0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=40), st.sampled_from([1, 3, 5, 7]))
def test_speedup_share_matches_rolling_medians(seconds, window):
    spent = np.array(seconds, dtype=float) * 1000
    submitted = np.cumsum(spent / 1000)  # one session, no pauses
    result = fatigue(np.zeros(len(spent), int), submitted, spent, window=window,
                     fresh_minutes=1e6)
    baseline = np.median(spent)
    medians = [np.median(spent[i - window + 1:i + 1]) for i in range(window - 1, len(spent))]
    if medians:
        assert result.speedup_share[0] == pytest.approx(np.mean(np.array(medians) < 0.5 * baseline))
    else:
        assert np.isnan(result.speedup_share[0])


def _long_sessions(agree_early: float, agree_late: float, sessions: int = 10):
    """Sessions of 120 one-minute tasks; the first 60 agree at one rate, the rest at another."""
    spent = np.full(120 * sessions, 60_000)
    submitted = np.concatenate([s * 86_400 + np.arange(1, 121) * MINUTE for s in range(sessions)])
    late = np.tile(np.arange(1, 121) > 60, sessions)
    rng = np.random.default_rng(5)
    agrees = rng.random(len(spent)) < np.where(late, agree_late, agree_early)
    return spent, submitted, agrees, late


def test_late_agreement_is_measured_after_the_long_session_mark():
    spent, submitted, agrees, late = _long_sessions(0.9, 0.5)
    result = fatigue(np.zeros(len(spent), int), submitted, spent, agrees,
                     max_session_minutes=180)
    assert result.early_agreement[0] == pytest.approx(agrees[~late].mean())
    assert result.late_agreement[0] == pytest.approx(agrees[late].mean())
    (alert,) = result.alerts
    assert alert.monitor == "fatigue.agreement_drop"
    assert alert.statistic == pytest.approx(agrees[~late].mean() - agrees[late].mean())


def test_a_small_drop_is_not_alerted_even_when_significant():
    spent, submitted, agrees, _ = _long_sessions(0.9, 0.85, sessions=200)
    result = fatigue(np.zeros(len(spent), int), submitted, spent, agrees,
                     max_session_minutes=180)
    assert result.agreement_p_value[0] < 1e-6
    assert result.alerts == []


def test_without_agreement_data_nothing_is_tested():
    spent, submitted, _, _ = _long_sessions(0.9, 0.5)
    result = fatigue(np.zeros(len(spent), int), submitted, spent, max_session_minutes=180)
    assert np.isnan(result.late_agreement[0])
    assert result.agreement_p_value.tolist() == [1.0]


def test_the_two_proportion_test_matches_statsmodels():
    counts, totals = np.array([180, 130]), np.array([200, 200])
    _, expected = proportions_ztest(counts, totals, alternative="larger")
    assert proportion_lower(180, 200, 130, 200) == pytest.approx(expected)


def test_an_annotator_without_annotations_has_empty_figures():
    result = fatigue([0, 0], [60, 120], [60_000, 60_000], n_annotators=3)
    assert result.sessions.tolist() == [1, 0, 0]
    assert np.isnan(result.baseline_ms[1:]).all()
    assert result.longest_session_minutes[1:].tolist() == [0.0, 0.0]


def test_no_annotations_give_no_sessions():
    result = fatigue(np.zeros(0, int), np.zeros(0), np.zeros(0), n_annotators=2)
    assert result.n_sessions == 0
    assert result.sessions.tolist() == [0, 0]


def test_late_agreement_counts_only_the_annotations_that_had_a_consensus():
    spent, submitted, agrees, late = _long_sessions(0.9, 0.5)
    compared = np.arange(len(spent)) % 3 != 0
    result = fatigue(np.zeros(len(spent), int), submitted, spent, agrees & compared,
                     compared=compared, max_session_minutes=180)
    assert result.early_agreement[0] == pytest.approx(agrees[~late & compared].mean())
    assert result.late_agreement[0] == pytest.approx(agrees[late & compared].mean())
