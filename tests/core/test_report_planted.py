"""The whole report over the benchmark's planted population, computed on arrays in memory.

``bench/quality_population.py`` draws annotators of known accuracy and three planted failures:
``lefty`` always prefers the response shown first, ``longfan`` the longer one, and
``marathon`` works whole days without a break and, after an hour, rushes and picks at
random. The report must name exactly those three in the alerts that concern people, each
under its own monitor, and its reliability estimates must put the honest annotators in the
order of their planted accuracies. A fixed seed keeps the draw the same on every run (with
500 annotators tested at a family-wise 1 % per monitor, some draw is bound to raise a chance
alert somewhere).
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from bench import quality_population as population
from scipy.stats import spearmanr

from accord.core.report import compute_report
from accord.quality.consensus import FIRST, SECOND

TASKS = 40_000  # 200,000 annotations: some 400 per annotator
SEED = 11


@pytest.fixture(scope="module")
def planted():
    p = population.planted(TASKS, SEED)
    return p, *compute_report(population.arrays(p), population.project(),
                              datetime(2025, 4, 1, tzinfo=UTC), population.gold_reference(p))


def test_the_alerts_about_people_name_exactly_the_planted_annotators(planted):
    _, report, _ = planted
    flagged: dict[tuple[str, str], set[str]] = {}
    for alert in report.monitors.alerts:
        if alert.annotator is not None:
            flagged.setdefault((alert.monitor, alert.check), set()).add(alert.annotator)
    assert flagged == {
        ("fatigue", "session_length"): {"marathon"},
        ("fatigue", "speedup"): {"marathon"},
        ("fatigue", "agreement_drop"): {"marathon"},
        ("length_bias", "length_bias"): {"longfan"},
        ("position_bias", "position_bias"): {"lefty"},
    }


def test_reliability_ranks_the_honest_annotators_in_their_planted_order(planted):
    p, report, _ = planted
    reliability = {row.name: row.reliability for row in report.annotators}
    honest = [i for i, name in enumerate(p.names) if name not in population.PLANTED]
    estimated = np.array([reliability[p.names[i]] for i in honest])
    assert spearmanr(estimated, p.accuracy[honest]).statistic > 0.95
    # the biased pick by position or length, blind to which response is better
    assert max(reliability["lefty"], reliability["longfan"]) < estimated.min()


def test_the_reliability_weighted_outcome_beats_the_majority_against_the_planted_truth(planted):
    p, _, consensus = planted
    weighted, majority = consensus.weighted, consensus.majorities
    assert weighted.task.tolist() == majority.task.tolist() == list(range(TASKS))
    truth = p.better  # 0: the first response (a) is better, 1: the second (b)
    weighted_right = (weighted.outcome == truth).mean()
    majority_right = (majority.outcome == np.where(truth == 0, FIRST, SECOND)).mean()
    assert weighted_right > majority_right > 0.9
