"""What an annotator submits, checked against what they were shown.

A judgment is validated in full before anything is stored; each error names the field and
the offending value (``ranking names "c", which was not shown (shown: a, b)``). Each task
kind has its own fields (``FIELDS_OF_KIND``): a field of another kind is refused, not
stored, and every text and list has a bound (``MAX_TEXT``, ``MAX_RANKED``,
``MAX_HARM_CATEGORIES``) that the API's schema states too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from accord.core.errors import InvalidInput
from accord.core.projects.project import Project

FLAGS = ("unsafe", "both_bad", "contested_fact", "outside_expertise")
SKIP_REASONS = ("outside_expertise", "unsafe", "broken", "unclear", "other")
HARM_CATEGORIES = (
    "violence", "self_harm", "sexual", "hate", "harassment", "weapons", "cbrn", "cybercrime",
    "fraud", "privacy", "dangerous_advice", "misinformation", "other",
)
"""Offered on the red-team page unless the project lists its own in ``settings``."""
STRENGTH_RANGE = (1, 3)  # slightly, clearly, much better
SEVERITY_RANGE = (0, 4)  # none … critical
MAX_ACTIVE_MS = 24 * 3600 * 1000
MAX_TEXT = 100_000
"""Characters in a rationale, a written response, an attack or a model's response."""
MAX_RANKED = 64
"""Response ids in a ranking or in ratings: more than any task holds (16 at import)."""
MAX_ID = 255
"""Characters in a response id (``responses.external_id``)."""
MAX_DIMENSIONS = 64
"""Dimensions rated per response: more than a project's guideline defines."""
MAX_HARM_CATEGORIES = 64
"""Harm categories in one red-team judgment: more than a project offers."""
MAX_LABEL = 120
"""Characters in a harm category's name."""

COMMON_FIELDS = ("rationale", "flags", "active_ms", "severity")
"""Every kind takes these; ``severity`` rates a red-team attack, and on any kind it sets the
tier of the escalation an ``unsafe`` flag opens."""
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    "comparison": ("ranking", "strength", "ratings"),
    "demonstration": ("response", "turns"),
    "red_team": ("attack", "model_response", "harm_categories", "refusal_appropriate"),
}
"""The fields each kind of task takes besides ``COMMON_FIELDS``; the others must be absent."""


@dataclass(frozen=True)
class Judgment:
    """The fields any task kind may carry; which ones are required depends on the kind."""

    ranking: list[list[str]] | None = None
    strength: int | None = None
    ratings: dict[str, dict[str, int]] | None = None
    rationale: str = ""
    flags: list[str] = field(default_factory=list)
    active_ms: int = 0
    response: str | None = None  # a demonstration
    turns: list[dict] | None = None  # a multi-turn demonstration: {role, content} each
    attack: str | None = None  # red team
    model_response: str | None = None
    harm_categories: list[str] | None = None
    severity: int | None = None
    refusal_appropriate: bool | None = None


@dataclass(frozen=True)
class Pair:
    """One outcome derived from a ranking: ``winner`` over ``loser``, or a tie of the two."""

    winner: str
    loser: str
    tie: bool


def harm_categories(project: Project) -> tuple[str, ...]:
    """The harm categories a project's red-team work is labelled with."""
    configured = project.settings.get("harm_categories")
    return tuple(str(c) for c in configured) if configured else HARM_CATEGORIES


def pairs_from_ranking(ranking: list[list[str]]) -> list[Pair]:
    """Every pair a ranking implies: earlier groups beat later ones; members of a group tie.

    Ties are stored once, with the two ids in sorted order, so the narrow table has one row
    per unordered pair per annotation.
    """
    result: list[Pair] = []
    for i, group in enumerate(ranking):
        for a, b in combinations(sorted(group), 2):
            result.append(Pair(a, b, True))
        for later in ranking[i + 1 :]:
            result.extend(Pair(w, lo, False) for w in group for lo in later)
    return result


def _check_common(judgment: Judgment, project: Project) -> None:
    unknown = [f for f in judgment.flags if f not in FLAGS]
    if unknown:
        raise InvalidInput(f"unknown flag {unknown[0]!r}; flags are {', '.join(FLAGS)}")
    if len(set(judgment.flags)) != len(judgment.flags):
        raise InvalidInput("flags repeat")
    if not 0 <= judgment.active_ms <= MAX_ACTIVE_MS:
        raise InvalidInput(
            f"active_ms must be between 0 and {MAX_ACTIVE_MS}, not {judgment.active_ms}"
        )
    _check_text("rationale", judgment.rationale)
    _check_in_range("severity", judgment.severity, SEVERITY_RANGE)
    if project.require_rationale and not judgment.rationale.strip():
        raise InvalidInput(f'project "{project.name}" requires a rationale')


def _check_ranking(ranking: list[list[str]] | None, shown: list[str], project: Project) -> None:
    if not ranking:
        raise InvalidInput("a comparison needs a ranking: tie groups of response ids, best first")
    named: list[str] = []
    for position, group in enumerate(ranking):
        if not group:
            raise InvalidInput(f"ranking group {position} is empty")
        if len(group) > 1 and not project.allow_ties:
            raise InvalidInput(
                f'ranking group {position} ties {", ".join(group)}, but project '
                f'"{project.name}" does not allow ties'
            )
        named.extend(group)
    shown_list = ", ".join(shown)
    for rid in named:
        if rid not in shown:
            raise InvalidInput(f'ranking names "{rid}", which was not shown (shown: {shown_list})')
    if len(set(named)) != len(named):
        repeated = sorted(r for r, times in Counter(named).items() if times > 1)
        raise InvalidInput(f"ranking names {', '.join(repeated)} more than once")
    missing = [r for r in shown if r not in named]
    if missing:
        raise InvalidInput(f"ranking leaves out {', '.join(missing)}; it must cover {shown_list}")


def check_ranking(ranking: list[list[str]] | None, shown: list[str], project: Project) -> None:
    """A ranking covers exactly ``shown`` once, ties only where the project allows them.

    Public so a reviewer's adjudicated ranking is held to the same rule as an annotator's.
    """
    _check_ranking(ranking, shown, project)


def _check_ratings(ratings: dict | None, shown: list[str], project: Project) -> None:
    if not ratings:
        return
    scales = {d.name: d for d in project.dimensions}
    for rid, by_dimension in ratings.items():
        if rid not in shown:
            raise InvalidInput(f'ratings name response "{rid}", which was not shown')
        for name, value in by_dimension.items():
            dimension = scales.get(name)
            if dimension is None:
                known = ", ".join(scales) or "none"
                raise InvalidInput(f'ratings name dimension "{name}"; the project has: {known}')
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInput(f"rating {rid}.{name} must be a whole number")
            if not dimension.low <= value <= dimension.high:
                raise InvalidInput(
                    f"rating {rid}.{name} = {value} is outside {dimension.low}..{dimension.high}"
                )


def _check_in_range(name: str, value: int | None, bounds: tuple[int, int]) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise InvalidInput(f"{name} must be between {bounds[0]} and {bounds[1]}, not {value}")


def _check_fields_of_kind(kind: str, judgment: Judgment) -> None:
    """Fields of another kind of task are refused, so nothing is stored that no one asked
    for (an ``attack`` on a comparison, a ``ranking`` on a demonstration)."""
    own = FIELDS_OF_KIND[kind]
    foreign = [name for other, fields in FIELDS_OF_KIND.items() if other != kind
               for name in fields if getattr(judgment, name) is not None]
    if foreign:
        raise InvalidInput(f"{foreign[0]} is not part of a {kind.replace('_', '-')} judgment; "
                           f"it takes {', '.join((*own, *COMMON_FIELDS))}")


def _check_text(name: str, text: str | None) -> None:
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidInput(f"{name} is longer than {MAX_TEXT} characters")


def _check_harm_categories(chosen: list[str] | None, project: Project) -> None:
    if not chosen:
        return
    offered = harm_categories(project)
    for category in chosen:
        if category not in offered:
            raise InvalidInput(f"harm category {category!r} is not one of this project's: "
                               f"{', '.join(offered)}")
    if len(set(chosen)) != len(chosen):
        raise InvalidInput("harm_categories repeat")


def check_comparison(judgment: Judgment, shown: list[str], project: Project) -> None:
    _check_common(judgment, project)
    _check_ranking(judgment.ranking, shown, project)
    _check_ratings(judgment.ratings, shown, project)
    _check_in_range("strength", judgment.strength, STRENGTH_RANGE)


def check_demonstration(judgment: Judgment, project: Project) -> None:
    """The fields every demonstration needs; what its authoring mode asks of ``response``
    and ``turns`` is checked by ``core.work.demonstrations``, which knows the mode."""
    _check_common(judgment, project)
    if judgment.turns is not None:
        return
    if judgment.response is None or not judgment.response.strip():
        raise InvalidInput("a demonstration needs the written response (a multi-turn one "
                           "its turns)")
    _check_text("response", judgment.response)


def check_red_team(judgment: Judgment, project: Project) -> None:
    _check_common(judgment, project)
    if judgment.attack is None or not judgment.attack.strip():
        raise InvalidInput("a red-team annotation needs the attack prompt")
    _check_text("attack", judgment.attack)
    _check_text("model_response", judgment.model_response)
    _check_harm_categories(judgment.harm_categories, project)


def check(kind: str, judgment: Judgment, shown: list[str], project: Project) -> None:
    """Validate ``judgment`` for a task of ``kind`` whose responses were shown as ``shown``."""
    _check_fields_of_kind(kind, judgment)
    if kind == "comparison":
        check_comparison(judgment, shown, project)
    elif kind == "demonstration":
        check_demonstration(judgment, project)
    else:
        check_red_team(judgment, project)
