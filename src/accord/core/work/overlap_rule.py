"""The adaptive overlap rule as a project stores it, checked, and applied to its tasks.

```json
{"overlap": {"min": 2, "max": 5, "stop": {"confidence": 0.9}}}
{"overlap": {"min": 3, "max": 5, "stop": "unanimous"}}
```

A task first wants ``min`` annotators (its ``overlap`` column is the current target); after
its target's last judgment ``core.work.adaptive_overlap`` settles it or raises the target by
one, never past ``max``. With the rule on, the project's own ``overlap`` is ``min`` (what
new tasks start with) and is changed through the rule, not on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, literal_column, select, update

from accord.core.errors import Conflict, InvalidInput
from accord.core.tasks.queue import queue_after
from accord.db.tables import projects, tasks

SECTION = "overlap"
STOPS = ("confidence", "unanimous")
MAX_TARGET = 1000
_FIELDS = ("min", "max", "stop")


@dataclass(frozen=True)
class OverlapRule:
    """Each task starts at ``min`` judgments and grows to at most ``max`` until ``stop``
    holds: the posterior ``confidence`` of its consensus reaches the threshold, or (``stop``
    is ``"unanimous"``) every judgment agrees."""

    min: int
    max: int
    stop: str
    confidence: float | None = None

    def as_setting(self) -> dict:
        stop = "unanimous" if self.stop == "unanimous" else {"confidence": self.confidence}
        return {"min": self.min, "max": self.max, "stop": stop}


def _count(section: dict, name: str, low: int) -> int:
    value = section.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_TARGET:
        raise InvalidInput(f"settings.overlap.{name} must be a whole number from {low} to "
                           f"{MAX_TARGET:,}, not {value!r}")
    return value


def _stop(value: object) -> tuple[str, float | None]:
    where = "settings.overlap.stop"
    if value == "unanimous":
        return "unanimous", None
    if not isinstance(value, dict) or set(value) != {"confidence"}:
        raise InvalidInput(f'{where} must be "unanimous" or {{"confidence": C}} with C '
                           f"between 0.5 and 1, not {value!r}")
    threshold = value["confidence"]
    if (not isinstance(threshold, int | float) or isinstance(threshold, bool)
            or not math.isfinite(threshold) or not 0.5 <= threshold < 1):
        raise InvalidInput(f"{where}.confidence must be a number from 0.5 up to (not "
                           f"including) 1, not {threshold!r}")
    return "confidence", float(threshold)


def parse(value: object) -> OverlapRule | None:
    """The rule in ``settings["overlap"]`` (None: off); InvalidInput names the wrong field."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"settings.overlap must be an object with min, max and stop, "
                           f"not {value!r}")
    unknown = sorted(set(value) - set(_FIELDS))
    if unknown:
        raise InvalidInput(f"settings.overlap has an unknown field {unknown[0]!r}; its fields "
                           f"are {', '.join(_FIELDS)}")
    low = _count(value, "min", 1)
    high = _count(value, "max", 1)
    if high < low:
        raise InvalidInput(f"settings.overlap.max ({high}) must be at least "
                           f"settings.overlap.min ({low})")
    if "stop" not in value:
        raise InvalidInput('settings.overlap.stop is missing: "unanimous" or '
                           '{"confidence": C}')
    stop, threshold = _stop(value["stop"])
    return OverlapRule(low, high, stop, threshold)


def apply_targets(conn: Connection, project_id: int, rule: OverlapRule) -> None:
    """Bring the project's tasks under ``rule``: fresh tasks start at ``min``; started tasks
    keep their target, raised to ``min`` if below it; finished tasks are left as they are.
    Refused (Conflict, nothing changed) when an open started task already wants more than
    ``max`` annotators: lowering it could leave a task holding more judgments than it
    wants."""
    production = and_(tasks.c.project_id == project_id, tasks.c.is_gold.is_(False))
    started = and_(production, tasks.c.status == "open",
                   tasks.c.taken + tasks.c.submitted > 0)
    over = conn.execute(select(func.count()).select_from(tasks).where(
        started, tasks.c.overlap > rule.max)).scalar_one()
    if over:
        raise Conflict(f"settings.overlap.max cannot be {rule.max}: {over} tasks already "
                       f"want more annotators and have some")
    fresh = and_(production, tasks.c.taken == 0, tasks.c.submitted == 0)
    conn.execute(update(tasks).where(fresh).values(overlap=rule.min))
    conn.execute(update(tasks).where(started, tasks.c.overlap < rule.min)
                 .values(overlap=rule.min))
    conn.execute(update(tasks).where(production, tasks.c.status == "open").values(
        queue=_queue_expression()))
    conn.execute(update(projects).where(projects.c.id == project_id).values(overlap=rule.min))


def _queue_expression():
    return literal_column(queue_after("taken"))
