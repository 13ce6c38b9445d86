"""Staleness monitor: the age distribution of the preferences to export."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from accord.quality.monitors import staleness

NOW = np.datetime64("2025-06-30T00:00:00", "s")


def days_before(*days: float) -> np.ndarray:
    return NOW - (np.array(days) * 86_400).astype("timedelta64[s]")


def test_ages_are_reported_in_days_with_quantiles_and_the_share_older():
    ages = [1, 2, 3, 100, 200]
    result = staleness(days_before(*ages), NOW, quantiles=(0.25, 0.5))
    assert result.n == 5
    assert result.age_quantiles_days == pytest.approx(np.quantile(ages, [0.25, 0.5]))
    assert result.median_days == pytest.approx(3)
    assert (result.oldest_days, result.newest_days) == (pytest.approx(200), pytest.approx(1))
    assert result.share_older == pytest.approx(2 / 5)
    assert result.alerts == []


@pytest.mark.parametrize(("median", "severity", "limit"), [
    (91, "warning", 90.0), (366, "critical", 365.0),
])
def test_an_old_median_raises_an_alert_of_its_severity(median, severity, limit):
    (alert,) = staleness(days_before(median - 1, median, median + 1), NOW).alerts
    assert (alert.monitor, alert.annotator, alert.severity) == ("staleness", None, severity)
    assert alert.statistic == pytest.approx(median)
    assert alert.threshold == limit


def test_epoch_seconds_and_datetimes_give_the_same_ages():
    stamps = days_before(5, 10, 40)
    seconds = stamps.astype(np.int64).astype(float)
    now = dt.datetime(2025, 6, 30)  # naive: read as UTC
    by_seconds = staleness(seconds, float(NOW.astype(np.int64)))
    by_datetime = staleness(stamps, now)
    assert by_seconds.age_quantiles_days == pytest.approx(by_datetime.age_quantiles_days)
    plus_two = dt.timezone(dt.timedelta(hours=2))
    aware = staleness(stamps, dt.datetime(2025, 6, 30, 2, tzinfo=plus_two))  # 00:00 UTC
    assert aware.median_days == pytest.approx(10)


def test_a_preference_dated_after_now_is_refused_by_its_index():
    with pytest.raises(ValueError, match=r"created_at\[1\] is 2.00 days after now"):
        staleness(days_before(1, -2), NOW)


def test_nothing_to_export_gives_empty_figures_and_no_alert():
    result = staleness(np.array([], dtype="datetime64[s]"), NOW)
    assert result.n == 0
    assert np.isnan(result.median_days)
    assert result.alerts == []
