"""A project's rules for handing out work, kept in ``projects.settings`` and checked here.

```json
{"calibration": {"tasks": 5, "pass_threshold": 0.8},
 "exposure": {"per_day": 20},
 "breaks": {"work_minutes": 90, "break_minutes": 10},
 "rotation": {"after": 20},
 "overlap": {"min": 2, "max": 5, "stop": {"confidence": 0.9}},
 "favour_underfilled": true}
```

Every section is optional; a missing section means the rule is off. Settings are checked
when they are written (``update_rules``), so an error names the section and field before
anything is stored; the claim parses them again (a few dictionary look-ups) and refuses a
project whose stored settings were edited by hand into something invalid, rather than
guessing. Other keys in ``settings`` belong to other features and are left alone. The
``overlap`` section (adaptive overlap) has its own module, ``core.work.overlap_rule``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import TypeGuard

from sqlalchemy import Connection, update

from accord.core.errors import Forbidden, InvalidInput
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project, project_for_member
from accord.core.work import overlap_rule
from accord.core.work.overlap_rule import OverlapRule
from accord.db.tables import projects


@dataclass(frozen=True)
class CalibrationRule:
    """Each annotator first answers ``tasks`` gold tasks; ``pass_threshold`` of the reference
    pairs must match for production work."""

    tasks: int
    pass_threshold: float


@dataclass(frozen=True)
class ExposureRule:
    """At most ``per_day`` sensitive tasks per annotator per UTC day (``core.work.exposure``)."""

    per_day: int


@dataclass(frozen=True)
class BreakRule:
    """After ``work_minutes`` of continuous work, a break of ``break_minutes``; a gap of
    ``break_minutes`` between assignments ends a stretch of continuous work."""

    work_minutes: float
    break_minutes: float


@dataclass(frozen=True)
class RotationRule:
    """After ``after`` consecutive tasks of one category, prefer another category."""

    after: int


@dataclass(frozen=True)
class FavourUnderfilledRule:
    """Fresh tasks of the categories furthest below their prompt-mix target come first
    (``core.work.underfilled``); stored as ``true``."""


FAVOUR_UNDERFILLED = "favour_underfilled"


@dataclass(frozen=True)
class WorkRules:
    calibration: CalibrationRule | None = None
    exposure: ExposureRule | None = None
    breaks: BreakRule | None = None
    rotation: RotationRule | None = None
    overlap: OverlapRule | None = None
    favour_underfilled: FavourUnderfilledRule | None = None


SECTIONS = tuple(f.name for f in fields(WorkRules))
NO_RULES = WorkRules()
_FIELDS = {
    name: tuple(f.name for f in fields(rule))
    for name, rule in zip(("calibration", "exposure", "breaks", "rotation"),
                          (CalibrationRule, ExposureRule, BreakRule, RotationRule), strict=True)
}
MAX_COUNT = 10_000
MAX_MINUTES = 24 * 60


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(section: dict, name: str, where: str) -> int:
    value = section.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_COUNT:
        raise InvalidInput(
            f"{where}.{name} must be a whole number from 1 to {MAX_COUNT:,}, not {value!r}"
        )
    return value


def _minutes(section: dict, name: str, where: str) -> float:
    value = section.get(name)
    if not _is_number(value) or not 0 < value <= MAX_MINUTES:
        raise InvalidInput(
            f"{where}.{name} must be a number of minutes above 0 and at most {MAX_MINUTES}, "
            f"not {value!r}"
        )
    return float(value)


def _section(settings: dict, name: str) -> dict | None:
    where = f"settings.{name}"
    value = settings.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be an object, not {value!r}")
    unknown = sorted(set(value) - set(_FIELDS[name]))
    if unknown:
        raise InvalidInput(
            f"{where} has an unknown field {unknown[0]!r}; its fields are "
            f"{', '.join(_FIELDS[name])}"
        )
    return value


def _favour_underfilled(value: object) -> FavourUnderfilledRule | None:
    """``true`` (or ``{}``) turns the rule on; ``false`` or absent leaves it off."""
    if value is None or value is False:
        return None
    if value is True or value == {}:
        return FavourUnderfilledRule()
    raise InvalidInput(f"settings.{FAVOUR_UNDERFILLED} must be true or false, not {value!r}")


def parse(settings: dict) -> WorkRules:
    """The work rules in ``settings``; InvalidInput names the first wrong field."""
    calibration = _section(settings, "calibration")
    exposure = _section(settings, "exposure")
    breaks = _section(settings, "breaks")
    rotation = _section(settings, "rotation")
    calibration_rule = None
    if calibration is not None:
        threshold = calibration.get("pass_threshold", 0.8)
        if not _is_number(threshold) or not 0 <= threshold <= 1:
            raise InvalidInput(
                "settings.calibration.pass_threshold must be a number from 0 to 1, "
                f"not {threshold!r}"
            )
        calibration_rule = CalibrationRule(
            _whole(calibration, "tasks", "settings.calibration"), float(threshold))
    return WorkRules(
        favour_underfilled=_favour_underfilled(settings.get(FAVOUR_UNDERFILLED)),
        calibration=calibration_rule,
        exposure=None if exposure is None else ExposureRule(
            _whole(exposure, "per_day", "settings.exposure")),
        breaks=None if breaks is None else BreakRule(
            _minutes(breaks, "work_minutes", "settings.breaks"),
            _minutes(breaks, "break_minutes", "settings.breaks")),
        rotation=None if rotation is None else RotationRule(
            _whole(rotation, "after", "settings.rotation")),
        overlap=overlap_rule.parse(settings.get(overlap_rule.SECTION)),
    )


_PARSED: dict[tuple[int, str], WorkRules] = {}


def rules_of(project: Project) -> WorkRules:
    """The project's rules, parsed once per distinct settings document and project.

    The claim asks for them on every request; the cache key is the settings as stored, so a
    change takes effect at the next claim. The cache holds one entry per project.
    """
    settings = project.settings
    if not any(name in settings for name in SECTIONS):
        return NO_RULES  # the common case costs four dictionary look-ups
    key = (project.id, repr([settings.get(name) for name in SECTIONS]))
    found = _PARSED.get(key)
    if found is None:
        found = parse(settings)
        for stale in [k for k in _PARSED if k[0] == project.id]:
            del _PARSED[stale]
        _PARSED[key] = found
    return found


def as_settings(rules: WorkRules) -> dict:
    """The rules back as the JSON sections they are stored as (rules that are off omitted)."""
    return {name: True if name == FAVOUR_UNDERFILLED
            else rule.as_setting() if isinstance(rule, OverlapRule) else asdict(rule)
            for name in SECTIONS if (rule := getattr(rules, name)) is not None}


def update_rules(
    conn: Connection, project_name: str, *, changes: dict | None = None,
    gold_rate: float | None = None,
) -> Project:
    """Replace the named sections (``None`` turns a rule off) and maybe the gold rate.

    Everything is checked before anything is written; other settings keys are kept.
    """
    project = get_project(conn, project_name)
    changes = changes or {}
    if not isinstance(changes, dict):
        raise InvalidInput(f"the rules must be a JSON object, not {changes!r}")
    unknown = sorted(set(changes) - set(SECTIONS))
    if unknown:
        raise InvalidInput(
            f"settings has no rule {unknown[0]!r}; the rules are {', '.join(SECTIONS)}"
        )
    settings = dict(project.settings)
    for name, value in changes.items():
        if value is None or (name == FAVOUR_UNDERFILLED and value is False):
            settings.pop(name, None)
        else:
            settings[name] = value
    parsed = parse(settings)
    settings.update(as_settings(parsed))
    values: dict = {"settings": settings}
    if gold_rate is not None:
        if not _is_number(gold_rate) or not 0 <= gold_rate <= 1:
            raise InvalidInput(f"gold rate must be between 0 and 1, not {gold_rate!r}")
        values["gold_rate"] = float(gold_rate)
    conn.execute(update(projects).where(projects.c.id == project.id).values(**values))
    if parsed.overlap is not None and overlap_rule.SECTION in changes:
        overlap_rule.apply_targets(conn, project.id, parsed.overlap)
    return get_project(conn, project_name)


def _managed(conn: Connection, user: User, project_name: str) -> Project:
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_manage(user, roles):
        raise Forbidden(f'the work rules of "{project.name}" are for its managers')
    return project


def rules_for(conn: Connection, user: User, project_name: str) -> tuple[Project, dict]:
    """A manager's view: the project and its rules in force, as JSON sections."""
    project = _managed(conn, user, project_name)
    return project, as_settings(rules_of(project))


def change_rules(conn: Connection, user: User, project_name: str, changes: dict | None,
                 gold_rate: float | None) -> tuple[Project, dict]:
    """``update_rules`` for a manager of the project (the API's PUT)."""
    _managed(conn, user, project_name)
    project = update_rules(conn, project_name, changes=changes, gold_rate=gold_rate)
    return project, as_settings(rules_of(project))
