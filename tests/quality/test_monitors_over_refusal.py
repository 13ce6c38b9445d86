"""Over-refusal monitor: refusals preferred on benign prompts, per annotator and overall."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from accord.quality.monitors import over_refusal


def test_shares_count_benign_items_only_and_report_harmful_ones_beside():
    #            benign: refused, not, not, not | harmful: refused, refused, not
    result = over_refusal(
        [0, 0, 0, 0, 0, 0, 0],
        [True, True, True, True, False, False, False],
        [True, False, False, False, True, True, False],
    )
    assert result.benign.tolist() == [4]
    assert result.refused_benign.tolist() == [1]
    assert result.share.tolist() == [0.25]
    assert result.harmful_refusal_share.tolist() == [pytest.approx(2 / 3)]
    assert result.p_value[0] == pytest.approx(binomtest(1, 4, 0.1, "greater").pvalue)
    assert result.alerts == []  # one refusal in four items is no evidence


def test_an_annotator_significantly_over_the_limit_is_flagged():
    who = np.repeat([0, 1, 2], 200)
    benign = np.ones(600, bool)
    refused = np.zeros(600, bool)
    refused[200:260] = True  # annotator 1: 30 %
    refused[400:410] = True  # annotator 2: 5 %
    result = over_refusal(who, benign, refused)
    (alert,) = result.alerts
    assert (alert.annotator, alert.severity) == (1, "warning")
    assert alert.statistic == pytest.approx(0.3)
    assert alert.threshold == 0.1
    assert result.overall_share == pytest.approx(70 / 600)


def test_a_pool_over_the_limit_raises_a_project_alert():
    rng = np.random.default_rng(2)
    who = np.arange(5_000) % 50
    refused = rng.random(5_000) < 0.2
    result = over_refusal(who, np.ones(5_000, bool), refused)
    assert any(a.annotator is None for a in result.alerts)


def test_annotators_without_benign_items_have_no_share():
    result = over_refusal([0], [False], [True], n_annotators=2)
    assert np.isnan(result.share).all()
    assert result.overall_benign == 0
    assert np.isnan(result.overall_share)
    assert result.alerts == []
