"""The dashboard's per-annotator risk panel: one row per annotator with every figure that says
whether their labels can be trusted, sorted and paged on the server.

At hundreds of annotators the lead needs the few at risk, not a long list sorted by name: by
default the rows with the most serious alerts come first, then the least reliable. Every
figure comes from the quality report the page already holds; nothing is computed again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from accord.core.errors import InvalidInput
from accord.wire.report import QualityReport
from accord.wire.report.monitors import MonitorAlert

PAGE_SIZE = 25
ALERT_WEIGHT = {"critical": 100, "warning": 10, "info": 0}
"""How much an annotator's alert of each severity weighs in the default, risk order."""


@dataclass(frozen=True)
class RiskRow:
    """One annotator's figures (None: not measured) and their alerts' messages."""

    name: str
    annotations: int
    reliability: float | None
    agreement: float | None
    """Agreement with the consensus of the others."""
    position_p: float | None
    """p-value that a display position wins more than chance (small: biased)."""
    longer_win_rate: float | None
    """Share of the pairs where the longer response won."""
    fatigue: float | None
    """Share of in-session windows faster than the speed-up line."""
    seconds: float | None
    """Median active seconds per task."""
    alerts: tuple[str, ...]
    risk: int
    """The weight of the annotator's alerts (``ALERT_WEIGHT``); 0 when none."""

    @property
    def at_risk(self) -> bool:
        return self.risk > 0


@dataclass(frozen=True)
class Column:
    """A sortable column: its query value, heading, and the order that puts risk first."""

    key: str
    heading: str
    risky_order: Literal["asc", "desc"]


COLUMNS = (
    Column("name", "Annotator", "asc"), Column("risk", "Alerts", "desc"),
    Column("reliability", "Reliability", "asc"), Column("agreement", "Agreement with consensus",
                                                        "asc"),
    Column("position", "Position bias p", "asc"), Column("length", "Longer wins", "desc"),
    Column("fatigue", "Speed-up share", "desc"), Column("speed", "Median s per task", "asc"),
    Column("annotations", "Annotations", "desc"),
)
BY_KEY = {column.key: column for column in COLUMNS}


def _sortable(row: RiskRow, key: str) -> float | str:
    """The value to sort a row on, for a row that has one."""
    value = _value(row, key)
    assert value is not None
    return value


def _value(row: RiskRow, key: str) -> float | str | None:
    return {"name": row.name, "risk": row.risk, "reliability": row.reliability,
            "agreement": row.agreement, "position": row.position_p,
            "length": row.longer_win_rate, "fatigue": row.fatigue, "speed": row.seconds,
            "annotations": row.annotations}[key]


def rows(report: QualityReport) -> list[RiskRow]:
    """Every annotator the report counts in its figures (AI judges it leaves out are not
    people to coach), with the monitors' figures and alerts about them."""
    m = report.monitors
    alerts: dict[str, list[str]] = {}
    risk: dict[str, int] = {}
    for alert in m.alerts:
        if alert.annotator:
            alerts.setdefault(alert.annotator, []).append(f"{alert.severity}: {alert.message}")
            risk[alert.annotator] = risk.get(alert.annotator, 0) + ALERT_WEIGHT[alert.severity]
    position = m.position_bias.p_value or {}
    longer = m.length_bias.longer_win_rate or {}
    speedup = m.fatigue.speedup_share or {}
    return [RiskRow(name=a.name, annotations=a.annotations, reliability=a.reliability,
                    agreement=a.agreement_with_consensus, position_p=position.get(a.name),
                    longer_win_rate=longer.get(a.name), fatigue=speedup.get(a.name),
                    seconds=a.median_seconds_per_task, alerts=tuple(alerts.get(a.name, ())),
                    risk=risk.get(a.name, 0))
            for a in report.annotators if a.counted_in_figures]


@dataclass(frozen=True)
class RiskPage:
    """One page of the sorted rows, with what the links to other orders and pages need."""

    rows: list[RiskRow]
    total: int
    at_risk: int
    sort: str
    order: Literal["asc", "desc"]
    page: int
    pages: int

    def link(self, *, sort: str | None = None, page: int | None = None) -> str:
        """The query string of this panel re-sorted (the column's risky order first, or
        flipped when it is the current one) or on another page."""
        if sort is None:
            target_sort, order = self.sort, self.order
        elif sort == self.sort:
            target_sort, order = sort, ("asc" if self.order == "desc" else "desc")
        else:
            target_sort, order = sort, BY_KEY[sort].risky_order
        return f"?sort={target_sort}&order={order}&page={page or 1}#risk-title"

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "ascending" if self.order == "asc" else "descending"


def _number(text: str | None, name: str, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"query parameter {name}={text!r}: give a whole number from 1")
    return int(text)


def risk_page(report: QualityReport, sort: str | None, order: str | None,
              page: str | None) -> RiskPage:
    """Rows sorted by ``sort`` in ``order`` (missing figures last either way; ties by name),
    page ``page`` of ``PAGE_SIZE``. Default: most at risk first."""
    key = sort or "risk"
    if key not in BY_KEY:
        raise InvalidInput(f"query parameter sort={key!r}: choose one of "
                           + ", ".join(BY_KEY))
    direction: Literal["asc", "desc"]
    if order in ("asc", "desc"):
        direction = "asc" if order == "asc" else "desc"
    elif not order:
        direction = BY_KEY[key].risky_order
    else:
        raise InvalidInput(f"query parameter order={order!r}: choose asc or desc")
    everyone = rows(report)
    pages = max(math.ceil(len(everyone) / PAGE_SIZE), 1)
    number = _number(page, "page", 1)
    if number > pages:
        raise InvalidInput(f"query parameter page={number}: there are {pages} pages")
    everyone.sort(key=lambda row: row.name)
    if key == "risk":  # risk first, then the least reliable among equal risk
        everyone.sort(key=lambda row: 2.0 if row.reliability is None else row.reliability)
    present = [row for row in everyone if _value(row, key) is not None]
    missing = [row for row in everyone if _value(row, key) is None]
    present.sort(key=lambda row: _sortable(row, key), reverse=direction == "desc")
    ordered = present + missing
    start = (number - 1) * PAGE_SIZE
    return RiskPage(rows=ordered[start:start + PAGE_SIZE], total=len(ordered),
                    at_risk=sum(row.at_risk for row in ordered), sort=key,
                    order=direction, page=number, pages=pages)


def ordered_alerts(alerts: list[MonitorAlert]) -> list[MonitorAlert]:
    """Critical alerts first, then warnings, then the rest, each kind in the report's order."""
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda alert: rank[alert.severity])
