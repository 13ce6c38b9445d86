"""Cost monitor: spend per annotator, category and accepted pair, against the budget."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.quality.monitors import cost

HALF_HOUR, QUARTER_HOUR = 1_800_000, 900_000


def test_spend_is_active_time_times_rate_plus_task_prices():
    # annotator 0 at 30/h: two half-hours; annotator 1 at 60/h: a quarter-hour and a 2.00 price
    result = cost([0, 0, 1], [HALF_HOUR, HALF_HOUR, QUARTER_HOUR], [30.0, 60.0],
                  task_price=[0, 0, 2.0], category=[0, 1, 1], accepted_pairs=4)
    assert result.hours.tolist() == [1.0, 0.25]
    assert result.spend.tolist() == [30.0, 17.0]
    assert result.category_spend.tolist() == [15.0, 32.0]
    assert result.total_spend == 47.0
    assert result.per_annotation == pytest.approx(47 / 3)
    assert result.per_accepted_pair == pytest.approx(47 / 4)
    assert result.alerts == []


@pytest.mark.parametrize(("budget", "severity", "share"), [(50.0, "warning", 0.8),
                                                           (45.0, "critical", 1.0)])
def test_spend_near_or_over_the_budget_raises_a_budget_alert(budget, severity, share):
    result = cost([0, 0, 1], [HALF_HOUR, HALF_HOUR, QUARTER_HOUR], [30.0, 60.0],
                  task_price=[0, 0, 2.0], budget=budget)
    (alert,) = result.alerts
    assert (alert.monitor, alert.severity, alert.annotator) == ("budget", severity, None)
    assert alert.statistic == pytest.approx(47 / budget)
    assert alert.threshold == share


def test_a_projection_past_the_budget_warns_before_the_money_is_spent():
    # 10.00 spent on 2 of 10 planned annotations: 50.00 at completion against 40.00
    result = cost([0, 0], [HALF_HOUR, HALF_HOUR], [10.0], budget=40.0, planned_annotations=10)
    assert result.projected_spend == pytest.approx(50.0)
    assert result.budget_share == pytest.approx(0.25)
    (alert,) = result.alerts
    assert (alert.severity, alert.threshold) == ("warning", 1.0)
    assert alert.statistic == pytest.approx(1.25)


def test_an_annotator_without_a_pay_rate_counts_nothing_and_is_named():
    result = cost([0, 1], [HALF_HOUR, HALF_HOUR], [20.0, np.nan])
    assert result.spend.tolist() == [10.0, 0.0]
    (alert,) = result.alerts
    assert (alert.annotator, alert.severity) == (1, "info")


def test_no_annotations_cost_nothing():
    result = cost(np.zeros(0, int), np.zeros(0), [25.0], budget=100.0)
    assert result.total_spend == 0.0
    assert np.isnan(result.per_annotation)
    assert result.alerts == []


rows = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10_000_000)), min_size=1,
                max_size=40)
rates = st.lists(st.floats(0, 200), min_size=4, max_size=4)


@given(rows, rates, st.floats(0, 50))
def test_spend_is_linear_in_the_pay_rate(entries, pay, factor):
    who = [w for w, _ in entries]
    ms = [m for _, m in entries]
    base = cost(who, ms, pay)
    scaled = cost(who, ms, [r * factor for r in pay])
    assert scaled.spend == pytest.approx(base.spend * factor, rel=1e-9, abs=1e-9)
    assert scaled.total_spend == pytest.approx(base.total_spend * factor, rel=1e-9, abs=1e-9)


@given(rows, rates)
def test_per_annotator_and_per_category_spend_add_up_to_the_total(entries, pay):
    who = [w for w, _ in entries]
    ms = [m for _, m in entries]
    result = cost(who, ms, pay, category=[m % 3 for m in ms], n_categories=3)
    assert result.spend.sum() == pytest.approx(result.total_spend)
    assert result.category_spend.sum() == pytest.approx(result.total_spend)
