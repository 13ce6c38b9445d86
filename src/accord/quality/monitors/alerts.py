"""What a monitor raises: one :class:`Alert` per finding, the same shape for every monitor.

An alert carries the number that tripped it and the threshold it crossed, so that a report
can show both and a reader can judge how far over the line a finding is, not just that it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["info", "warning", "critical"]
"""``info``: worth knowing, nothing to do; ``warning``: look at it; ``critical``: act now."""


@dataclass(frozen=True)
class Alert:
    """One finding of one monitor, about one annotator or (``annotator=None``) the project."""

    monitor: str
    """Which check raised it, e.g. ``"fatigue.speedup"``, ``"length_bias"``, ``"budget"``."""
    annotator: int | None
    """The annotator's index in the arrays the monitor was given; ``None`` for the project."""
    severity: Severity
    statistic: float
    """The monitor's statistic for this finding, in the unit its message names."""
    threshold: float
    """The value the statistic crossed."""
    message: str
    """One sentence for a person: what was seen, against what."""
