"""A project's prompt-mix targets: the share of its items each category should hold.

Kept in ``projects.settings["mix"]`` as ``{"coding": 0.3, "qa": 0.4, "safety": 0.1}``. Keys
are category keys (``categories.category_key``), so a target written ``"Open QA"`` matches
prompts imported as ``open-qa``; each share lies in (0, 1] and together they are at most 1
— the rest is left to categories without a target. Targets are read by the mix report
(``core.report.mix``), by ``accord generate`` (sampling toward the gap) and by the claim's
``favour_underfilled`` rule.
"""

from __future__ import annotations

import math
from typing import Any

from accord.core.errors import InvalidInput
from accord.core.projects.categories import category_key
from accord.core.projects.project import Project

SETTING = "mix"
MAX_CATEGORIES = 200
SUM_TOLERANCE = 1e-9
"""Shares written as decimals (0.3 + 0.4 + 0.3) may sum a hair above 1 in floating point."""


def check_mix(value: Any) -> dict[str, float]:
    """Targets checked and normalised (keys through ``category_key``, shares as floats, keys
    sorted); ``{}`` or None clears them. The error names the first wrong entry."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f'mix must be an object of category → share, such as '
                           f'{{"coding": 0.3, "qa": 0.4}}, not {value!r}')
    if len(value) > MAX_CATEGORIES:
        raise InvalidInput(f"mix names {len(value)} categories; at most {MAX_CATEGORIES}")
    found: dict[str, float] = {}
    written: dict[str, str] = {}
    for label, share in value.items():
        key = category_key(label) if isinstance(label, str) else ""
        if not key:
            raise InvalidInput(f"mix: category {label!r} has no letter or digit to match "
                               "prompts on")
        if (not isinstance(share, int | float) or isinstance(share, bool)
                or not math.isfinite(share) or not 0 < share <= 1):
            raise InvalidInput(f"mix[{label!r}] must be a share above 0 and at most 1, "
                               f"not {share!r}")
        if key in found:
            raise InvalidInput(f"mix names category {key!r} twice ({written[key]!r} and "
                               f"{label!r})")
        found[key], written[key] = float(share), label
    total = sum(found.values())
    if total > 1 + SUM_TOLERANCE:
        raise InvalidInput(f"mix: the shares sum to {total:g}; they may sum to at most 1")
    return dict(sorted(found.items()))


def mix_of(project: Project) -> dict[str, float]:
    """The project's targets (``{}`` when it has none)."""
    stored = project.settings.get(SETTING)
    return dict(stored) if isinstance(stored, dict) else {}


def with_mix(settings: dict, mix: dict[str, float]) -> dict:
    """``settings`` with ``mix`` stored (or removed when empty); other keys kept."""
    kept = {k: v for k, v in settings.items() if k != SETTING}
    return {**kept, SETTING: mix} if mix else kept
