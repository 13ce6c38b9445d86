"""The project's rubric for demonstrations and how many reviews each one needs.

A project keeps its review settings in ``projects.settings["demonstration_review"]``::

    {"rubric_checks": ["follows the instruction", "factually correct", "safe", "format"],
     "double_share": 0.2, "two_accepts_for": ["safety"], "seed": 0}

The rubric is the project's quality dimensions (each scored on its scale) plus the required
checks, each ticked or not. ``double_share`` of the demonstrations, drawn by a seeded hash of
the demonstration's annotation (the same draw on every run and server), and every one whose
category is in ``two_accepts_for``, are reviewed twice, blind: neither reviewer sees the
other's review of that version before both are in.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from accord.core.errors import Conflict, Forbidden, InvalidInput
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import (
    Dimension,
    Project,
    get_project,
    project_for_member,
)
from accord.core.review import audit
from accord.db.tables import projects

SETTING = "demonstration_review"
DEFAULT_CHECKS = ("follows the instruction", "factually correct", "safe", "format")
MAX_CHECKS = 20
MAX_CHECK_LENGTH = 120
MAX_CATEGORIES = 200
KEYS = ("rubric_checks", "double_share", "two_accepts_for", "seed")


@dataclass(frozen=True)
class ReviewRules:
    """What a review of a demonstration in this project must give, and who needs two."""

    dimensions: tuple[Dimension, ...]
    checks: tuple[str, ...]
    double_share: float
    two_accepts_for: frozenset[str]
    seed: int

    def as_dict(self) -> dict[str, Any]:
        return {"rubric_checks": list(self.checks), "double_share": self.double_share,
                "two_accepts_for": sorted(self.two_accepts_for), "seed": self.seed}


def rules_of(project: Project) -> ReviewRules:
    """The project's review rules; a project that set none has the default checks, no double
    review and one accept for every category."""
    stored = project.settings.get(SETTING) or {}
    return ReviewRules(
        dimensions=project.dimensions,
        checks=tuple(stored.get("rubric_checks", DEFAULT_CHECKS)),
        double_share=float(stored.get("double_share", 0.0)),
        two_accepts_for=frozenset(stored.get("two_accepts_for", ())),
        seed=int(stored.get("seed", 0)),
    )


def check_document(document: Any) -> dict[str, Any]:
    """The settings document as stored, or a refusal naming the key that is wrong."""
    if not isinstance(document, dict):
        raise InvalidInput(f"{SETTING} must be an object with the keys {', '.join(KEYS)}")
    unknown = sorted(set(document) - set(KEYS))
    if unknown:
        raise InvalidInput(f"{SETTING}.{unknown[0]} is not a setting; the settings are "
                           f"{', '.join(KEYS)}")
    checks = document.get("rubric_checks", list(DEFAULT_CHECKS))
    if not isinstance(checks, list) or len(checks) > MAX_CHECKS:
        raise InvalidInput(f"{SETTING}.rubric_checks must be a list of at most {MAX_CHECKS} "
                           "checks")
    for place, check in enumerate(checks):
        if not isinstance(check, str) or not check.strip() or len(check) > MAX_CHECK_LENGTH:
            raise InvalidInput(f"{SETTING}.rubric_checks[{place}] must be a text of 1 to "
                               f"{MAX_CHECK_LENGTH} characters, not {check!r}")
    if len(set(checks)) != len(checks):
        raise InvalidInput(f"{SETTING}.rubric_checks repeat a check: {', '.join(checks)}")
    share = document.get("double_share", 0.0)
    if (not isinstance(share, int | float) or isinstance(share, bool)
            or not math.isfinite(share) or not 0 <= share <= 1):
        raise InvalidInput(f"{SETTING}.double_share must be a number from 0 to 1, not {share!r}")
    categories = document.get("two_accepts_for", [])
    if (not isinstance(categories, list) or len(categories) > MAX_CATEGORIES
            or not all(isinstance(c, str) and c for c in categories)):
        raise InvalidInput(f"{SETTING}.two_accepts_for must be a list of category keys")
    seed = document.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**31:
        raise InvalidInput(f"{SETTING}.seed must be a whole number from 0 to 2^31 - 1")
    return {"rubric_checks": [c.strip() for c in checks], "double_share": float(share),
            "two_accepts_for": sorted(set(categories)), "seed": seed}


def configure(conn: Connection, user: User | None, project_name: str, document: Any,
              now: datetime) -> ReviewRules:
    """Set the project's review rules (managers; ``user`` None is the CLI, run as the owner);
    audited as ``demonstration.rules_set`` with the rules replaced."""
    if user is None:
        project = get_project(conn, project_name)
    else:
        project, roles = project_for_member(conn, project_name, user)
        if not access.can_manage(user, roles):
            raise Forbidden(f'the review rules of "{project.name}" are set by its managers')
    stored = check_document(document)
    previous = project.settings.get(SETTING)
    conn.execute(update(projects).where(projects.c.id == project.id)
                 .values(settings={**project.settings, SETTING: stored}))
    audit.record(conn, project_id=project.id, actor_id=user.id if user else None,
                 action="demonstration.rules_set", subject=f"project {project.name}",
                 details={"rules": stored, "previous": previous}, now=now)
    return rules_of(replace(project, settings={**project.settings, SETTING: stored}))


def drawn_for_double_review(rules: ReviewRules, project_id: int, annotation_id: int) -> bool:
    """Whether this demonstration falls in the seeded share reviewed twice: a SHA-256 of
    (seed, project, annotation) read as a number in [0, 1), below ``double_share``."""
    if rules.double_share <= 0:
        return False
    digest = hashlib.sha256(f"{rules.seed}:{project_id}:{annotation_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rules.double_share


def check_review(rules: ReviewRules, scores: Any, checks: Any) -> tuple[dict, dict]:
    """Scores for every dimension within its scale and a verdict for every required check,
    or a refusal naming the first that is missing or wrong: a Conflict, since what is
    right depends on the project's rubric as it stands, not on the request's shape."""
    if not isinstance(scores, dict):
        raise InvalidInput("scores must be an object of dimension → score")
    names = {d.name for d in rules.dimensions}
    for name in scores:
        if name not in names:
            raise Conflict(f'scores: "{name}" is not a quality dimension of the project '
                           f"({', '.join(sorted(names)) or 'none'})")
    for dim in rules.dimensions:
        value = scores.get(dim.name)
        if value is None:
            raise Conflict(f'scores: give "{dim.name}" a score from {dim.low} to {dim.high}')
        if (not isinstance(value, int) or isinstance(value, bool)
                or not dim.low <= value <= dim.high):
            raise Conflict(f'scores: "{dim.name}" must be a whole number from {dim.low} '
                           f"to {dim.high}, not {value!r}")
    if not isinstance(checks, dict):
        raise InvalidInput("checks must be an object of check → true or false")
    for name in checks:
        if name not in rules.checks:
            raise Conflict(f'checks: "{name}" is not a required check of the project '
                           f"({', '.join(rules.checks) or 'none'})")
    for name in rules.checks:
        if not isinstance(checks.get(name), bool):
            raise Conflict(f'checks: say whether "{name}" holds (true or false)')
    return ({d.name: scores[d.name] for d in rules.dimensions},
            {name: checks[name] for name in rules.checks})
