"""Monitors for the known failure modes of human-feedback data, each a documented statistic
with an alert threshold.

Every monitor is a pure function of parallel NumPy arrays — one entry per annotation or per
pairwise outcome, annotators as indices ``0 … n-1`` — that returns a frozen result with
per-annotator and overall figures and a list of :class:`Alert`. Thresholds are keyword
arguments whose defaults live in each module's ``DEFAULTS``, with the reason for each value.

=================  =========================================================================
``fatigue``        sessions without breaks, speed-ups against one's own pace, late agreement
``length_bias``    longer-wins rate against a length-matched baseline; logistic length slope
``position_bias``  win rate of each display position (binomial, or chi-square for K)
``over_refusal``   refusals preferred on benign prompts
``staleness``      age of the preferences an export would hold
``diversity``      annotations over consented profile attributes
``cost``           spend per annotator, category and accepted pair against the budget
=================  =========================================================================
"""

from accord.quality.monitors.alerts import Alert, Severity
from accord.quality.monitors.cost import Cost, cost
from accord.quality.monitors.diversity import (
    NOT_SHARED,
    AttributeDistribution,
    Diversity,
    diversity,
)
from accord.quality.monitors.fatigue import Fatigue, fatigue
from accord.quality.monitors.length_bias import LengthBias, length_bias
from accord.quality.monitors.over_refusal import OverRefusal, over_refusal
from accord.quality.monitors.position_bias import PositionBias, position_bias
from accord.quality.monitors.staleness import Staleness, staleness

__all__ = [
    "NOT_SHARED",
    "Alert",
    "AttributeDistribution",
    "Cost",
    "Diversity",
    "Fatigue",
    "LengthBias",
    "OverRefusal",
    "PositionBias",
    "Severity",
    "Staleness",
    "cost",
    "diversity",
    "fatigue",
    "length_bias",
    "over_refusal",
    "position_bias",
    "staleness",
]
