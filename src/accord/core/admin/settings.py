"""A project's settings as the administration functions take them: which may change, what
each must be, and how they are stored.

Both ``create`` and ``update`` take settings as a dict of field → value (the API's body with
the fields that were sent, the CLI's options that were given), so a field left out keeps its
value and ``None`` clears the fields that may be cleared (``budget``, ``harm_categories``,
``demonstration``, ``mix``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from accord.core.errors import InvalidInput
from accord.core.projects.mix import check_mix, mix_of
from accord.core.projects.project import RANKING_MODES, Dimension, Project
from accord.core.tasks.authoring import FIRST_DRAFT, WRITE, check_project_setting
from accord.core.tasks.judgments import HARM_CATEGORIES, MAX_DIMENSIONS, MAX_HARM_CATEGORIES
from accord.core.work import prelabel
from accord.core.work import rules as work_rules

EDITABLE = (
    "description", "overlap", "lease_seconds", "ranking_mode", "allow_ties",
    "require_rationale", "dimensions", "agreement_threshold", "gold_rate", "budget",
    "harm_categories", "rules", "demonstration", "prelabel", "mix", "agreement_target",
)
"""What ``PATCH /projects/{project}`` and ``accord project set`` may change; the name is the
project's address and never changes."""
COLUMNS = ("description", "overlap", "lease_seconds", "ranking_mode", "allow_ties",
           "require_rationale", "agreement_threshold", "gold_rate", "budget")
"""Settings kept in a column of ``projects`` of the same name."""
IN_SETTINGS = ("harm_categories", "demonstration", "prelabel", "agreement_target")
"""Settings kept under their name in ``projects.settings``; None removes them."""
MAX_OVERLAP = 1000
MAX_LEASE_SECONDS = 7 * 24 * 3600
MAX_DESCRIPTION = 20_000
MAX_SCALE = 1000
MAX_DIMENSION_DESCRIPTION = 2000
CATEGORY = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,119}$")
DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a whole number from {low} to {high:,}, not {value!r}")
    if value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value}")
    if value > high:
        raise InvalidInput(f"{name} must be at most {high:,}, not {value}")
    return value


def _share(name: str, value: Any) -> float:
    if (not isinstance(value, int | float) or isinstance(value, bool)
            or not math.isfinite(value) or not 0 <= value <= 1):
        raise InvalidInput(f"{name} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be true or false, not {value!r}")
    return value


def check_dimensions(value: Any) -> list[Dimension]:
    """Dimensions as ``[{"name", "min", "max", "description"}]`` in priority order."""
    if not isinstance(value, list) or len(value) > MAX_DIMENSIONS:
        raise InvalidInput(f"dimensions must be a list of at most {MAX_DIMENSIONS} dimensions")
    found: list[Dimension] = []
    for place, item in enumerate(value):
        where = f"dimensions[{place}]"
        if isinstance(item, Dimension):
            item = item.as_dict()
        if not isinstance(item, dict):
            raise InvalidInput(f"{where} must be an object with name, min and max")
        name = item.get("name")
        if not isinstance(name, str) or not DIMENSION_NAME.match(name):
            raise InvalidInput(f"{where}.name must be lower-case letters, digits and _ "
                               f"starting with a letter, not {name!r}")
        low = _whole(f"{where}.min", item.get("min"), -MAX_SCALE, MAX_SCALE)
        high = _whole(f"{where}.max", item.get("max"), -MAX_SCALE, MAX_SCALE)
        if low >= high:
            raise InvalidInput(f"{where}: min ({low}) must be below max ({high})")
        description = item.get("description", "")
        if not isinstance(description, str) or len(description) > MAX_DIMENSION_DESCRIPTION:
            raise InvalidInput(f"{where}.description must be text of at most "
                               f"{MAX_DIMENSION_DESCRIPTION} characters")
        if any(d.name == name for d in found):
            raise InvalidInput(f'{where}: dimension "{name}" is listed twice')
        found.append(Dimension(name, low, high, description))
    return found


def check_harm_categories(value: Any) -> list[str] | None:
    """The project's own harm categories; None restores Accord's list."""
    if value is None:
        return None
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_HARM_CATEGORIES:
        raise InvalidInput(f"harm_categories must be a list of 1 to {MAX_HARM_CATEGORIES} "
                           "categories (or null for Accord's own)")
    for place, category in enumerate(value):
        if not isinstance(category, str) or not CATEGORY.match(category):
            raise InvalidInput(f"harm_categories[{place}] must be lower-case letters, digits "
                               f"and . _ -, not {category!r}")
    repeated = sorted({c for c in value if value.count(c) > 1})
    if repeated:
        raise InvalidInput(f"harm_categories lists {repeated[0]!r} twice")
    return list(value)


def check(changes: dict[str, Any]) -> dict[str, Any]:
    """Each setting in ``changes`` checked and normalised; the error names the first wrong
    field. ``rules`` is checked by ``core.work.rules`` when it is written."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"{unknown[0]!r} is not a project setting; the settings are "
                           + ", ".join(EDITABLE))
    checks = {
        "description": lambda v: _text("description", v),
        "overlap": lambda v: _whole("overlap", v, 1, MAX_OVERLAP),
        "lease_seconds": lambda v: _whole("lease_seconds", v, 1, MAX_LEASE_SECONDS),
        "ranking_mode": _ranking_mode,
        "allow_ties": lambda v: _flag("allow_ties", v),
        "require_rationale": lambda v: _flag("require_rationale", v),
        "dimensions": check_dimensions,
        "agreement_threshold": lambda v: _share("agreement_threshold", v),
        "gold_rate": lambda v: _share("gold_rate", v),
        "budget": _budget,
        "harm_categories": check_harm_categories,
        "rules": _rules,
        "demonstration": check_project_setting,
        "prelabel": prelabel.check_setting,
        "mix": check_mix,
        "agreement_target": check_agreement_target,
    }
    return {name: checks[name](value) for name, value in changes.items()}


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise InvalidInput(f"{name} must be text of at most {MAX_DESCRIPTION:,} characters")
    return value


def _ranking_mode(value: Any) -> str:
    if value not in RANKING_MODES:
        raise InvalidInput(f"ranking_mode must be one of {', '.join(RANKING_MODES)}, "
                           f"not {value!r}")
    return value


def _budget(value: Any) -> float | None:
    if value is None:
        return None
    if (not isinstance(value, int | float) or isinstance(value, bool)
            or not math.isfinite(value) or value < 0):
        raise InvalidInput(f"budget must be a number of at least 0 (or null), not {value!r}")
    return float(value)


def _rules(value: Any) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"rules must be an object of rule sections, not {value!r}")
    return value


DEFAULT_AGREEMENT_TARGET = (0.70, 0.80)
"""The percent agreement (ties counted) a project aims for: below it the guidelines or the
annotators need work; far above it the tasks may be too easy to teach a model much."""


def check_agreement_target(value: Any) -> dict[str, float] | None:
    """``{"low": 0.7, "high": 0.8}``: two shares, low below high; None restores the default."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"low", "high"}:
        raise InvalidInput('agreement_target must be {"low": share, "high": share} '
                           f"(or null for {DEFAULT_AGREEMENT_TARGET[0]:g} to "
                           f"{DEFAULT_AGREEMENT_TARGET[1]:g}), not {value!r}")
    low = _share("agreement_target.low", value["low"])
    high = _share("agreement_target.high", value["high"])
    if low >= high:
        raise InvalidInput(f"agreement_target.low ({low:g}) must be below "
                           f"agreement_target.high ({high:g})")
    return {"low": low, "high": high}


def agreement_target_of(project: Project) -> dict[str, float]:
    """The project's percent-agreement target band, its own or the default."""
    stored = project.settings.get("agreement_target")
    if stored:
        return {"low": float(stored["low"]), "high": float(stored["high"])}
    return {"low": DEFAULT_AGREEMENT_TARGET[0], "high": DEFAULT_AGREEMENT_TARGET[1]}


def harm_categories_of(project: Project) -> list[str]:
    """The categories the project's red-team work is labelled with (its own, else Accord's)."""
    configured = project.settings.get("harm_categories")
    return [str(c) for c in configured] if configured else list(HARM_CATEGORIES)


def demonstration_of(project: Project) -> dict:
    """How the project's demonstrations are authored, its defaults filled in."""
    stored = project.settings.get("demonstration") or {}
    return {"mode": stored.get("mode", WRITE), "draft": stored.get("draft", FIRST_DRAFT)}


def current(project: Project, name: str) -> Any:
    """A setting's stored value, as the API answers it (for the audit's before/after)."""
    if name == "dimensions":
        return [d.as_dict() for d in project.dimensions]
    if name == "mix":
        return mix_of(project)
    if name in IN_SETTINGS:
        return project.settings.get(name)
    if name == "rules":
        return {k: project.settings.get(k) for k in work_rules.SECTIONS
                if k in project.settings}
    return getattr(project, name)
