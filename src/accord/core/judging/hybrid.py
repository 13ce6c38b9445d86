"""Hybrid routing: the AI judge settles the pairs it is sure of, people get the rest.

A project opts in with ``projects.settings["ai_judge"]``::

    {"judge": "judge-gpt", "min_confidence": 0.8, "settle": true,
     "human_categories": ["safety"], "min_kappa": 0.4}

``route`` then looks at every comparison task the judge has judged and sends it to people
when any of these hold, first reason first:

- ``category``: the prompt's category is one that people must judge (``safety`` by default);
- ``flagged``: an annotation on the task carries a flag, or the task was escalated;
- ``inconsistent``: the judge named different winners in the two display orders;
- ``low_confidence``: the judge's confidence is below ``min_confidence``;
- ``unmeasured``: the judgment carries no record of its two orders (an imported verdict);
- ``human_disagrees``: a person's ranking of the task differs from the judge's;
- ``judge_untrusted``: ``min_kappa`` is set and the judge's audit κ against people is below
  it (or cannot be measured yet);
- ``settling_off``: ``settle`` is false.

Every other task that is still ``open`` is settled: its ``task_consensus`` becomes the
judge's ranking with method ``ai_judge`` and the judge's confidence, it moves to
``resolved`` and leaves the claim queue. A task the judge settled earlier that now routes to
people (stricter settings, a new flag, a disagreeing person) goes back: its AI consensus is
removed and it returns to ``open`` (or ``complete`` when people already filled it). Tasks
that people have finished are never touched. Each settlement and each return writes one
audit event in the same transaction.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, overload

from sqlalchemy import Connection, delete, func, insert, select, update

from accord.core.errors import InvalidInput
from accord.core.importing.existing import LOOKUP_CHUNK
from accord.core.judging.ai_judges import CONFIDENCE, CONSISTENT, get_judge
from accord.core.projects.categories import filter_keys
from accord.core.projects.project import Project
from accord.core.review import audit
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import (
    QUEUE_FRESH,
    QUEUE_FULL,
    QUEUE_STARTED,
    annotations,
    escalations,
    projects,
    prompts,
    task_consensus,
    tasks,
    users,
)

SETTING = "ai_judge"
METHOD = "ai_judge"
DEFAULT_MIN_CONFIDENCE = 0.8
DEFAULT_HUMAN_CATEGORIES = ("safety",)
REASONS = ("category", "flagged", "inconsistent", "low_confidence", "unmeasured",
           "human_disagrees", "judge_untrusted", "settling_off")
_KEYS = ("judge", "min_confidence", "settle", "human_categories", "min_kappa")


@dataclass(frozen=True)
class HybridRule:
    """A project's rule for what its AI judge may settle."""

    judge: str
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    settle: bool = True
    human_categories: tuple[str, ...] = DEFAULT_HUMAN_CATEGORIES
    min_kappa: float | None = None

    def as_setting(self) -> dict:
        return {"judge": self.judge, "min_confidence": self.min_confidence,
                "settle": self.settle, "human_categories": list(self.human_categories),
                "min_kappa": self.min_kappa}


@overload
def _share(value: object, key: str, *, optional: Literal[False] = False) -> float: ...


@overload
def _share(value: object, key: str, *, optional: Literal[True]) -> float | None: ...


def _share(value: object, key: str, *, optional: bool = False) -> float | None:
    """A share from 0 to 1 read from the settings; None only where it may be left out."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1 \
            or math.isnan(value):
        raise InvalidInput(f"settings.{SETTING}.{key} must be a number from 0 to 1, "
                           f"not {value!r}")
    return float(value)


def parse_rule(document: object) -> HybridRule:
    """The rule from its settings document; errors name the key that is wrong."""
    if not isinstance(document, dict):
        raise InvalidInput(f"settings.{SETTING} must be an object with a judge name")
    unknown = sorted(set(document) - set(_KEYS))
    if unknown:
        raise InvalidInput(f"settings.{SETTING} has unknown keys {', '.join(unknown)}; "
                           f"known: {', '.join(_KEYS)}")
    judge = document.get("judge")
    if not isinstance(judge, str) or not judge.strip():
        raise InvalidInput(f"settings.{SETTING}.judge must name an AI judge")
    settle = document.get("settle", True)
    if not isinstance(settle, bool):
        raise InvalidInput(f"settings.{SETTING}.settle must be true or false, not {settle!r}")
    categories = document.get("human_categories", list(DEFAULT_HUMAN_CATEGORIES))
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise InvalidInput(f"settings.{SETTING}.human_categories must be a list of category "
                           "names")
    return HybridRule(
        judge=judge.strip(),
        min_confidence=_share(document.get("min_confidence", DEFAULT_MIN_CONFIDENCE),
                              "min_confidence"),
        settle=settle,
        human_categories=filter_keys(categories, f"settings.{SETTING}.human_categories"),
        min_kappa=_share(document.get("min_kappa"), "min_kappa", optional=True),
    )


def rule_of(project: Project) -> HybridRule | None:
    """The project's rule, or None when it has not let an AI judge settle anything."""
    document = project.settings.get(SETTING)
    return None if document is None else parse_rule(document)


def configure(conn: Connection, project: Project, rule: HybridRule) -> None:
    """Store ``rule`` in the project's settings, keeping every other setting."""
    parse_rule(rule.as_setting())
    get_judge(conn, rule.judge)
    current = conn.execute(select(projects.c.settings).where(projects.c.id == project.id)
                           ).scalar_one() or {}
    conn.execute(update(projects).where(projects.c.id == project.id)
                 .values(settings={**current, SETTING: rule.as_setting()}))


@dataclass
class Routing:
    """What ``route`` did: tasks settled, sent back, kept for people (by reason)."""

    judge: str
    settled: int = 0
    returned: int = 0
    to_humans: Counter = field(default_factory=Counter)
    kept: int = 0
    """Tasks the judge had settled before and still may."""
    left_with_people: int = 0
    """Judged tasks that people had already finished: not the judge's to settle."""
    kappa: float | None = None

    def as_dict(self) -> dict:
        return {"judge": self.judge, "settled": self.settled, "returned": self.returned,
                "to_humans": {reason: self.to_humans[reason] for reason in REASONS
                              if self.to_humans[reason]},
                "kept": self.kept, "left_with_people": self.left_with_people,
                "judge_kappa": self.kappa}


@dataclass(frozen=True)
class _Judged:
    task_id: int
    external_id: str
    status: str
    category: str
    ranking: list[list[str]]
    consistent: bool | None
    confidence: float | None
    method: str | None


def _judged(conn: Connection, project_id: int, judge_id: int) -> list[_Judged]:
    rows = conn.execute(
        select(tasks.c.id, tasks.c.external_id, tasks.c.status, prompts.c.category,
               annotations.c.ranking, CONSISTENT, CONFIDENCE, task_consensus.c.method)
        .join(tasks, tasks.c.id == annotations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .outerjoin(task_consensus, task_consensus.c.task_id == tasks.c.id)
        .where(annotations.c.project_id == project_id, annotations.c.annotator_id == judge_id,
               tasks.c.kind == "comparison")
        .order_by(tasks.c.id)
    )
    return [_Judged(*row) for row in rows]


def _flag_count(conn: Connection):
    length = "jsonb_array_length" if conn.dialect.name == "postgresql" else "json_array_length"
    return getattr(func, length)(annotations.c.flags)


def _flagged(conn: Connection, project_id: int) -> set[int]:
    flagged = set(conn.execute(select(annotations.c.task_id).where(
        annotations.c.project_id == project_id, _flag_count(conn) > 0).distinct()).scalars())
    flagged |= set(conn.execute(select(escalations.c.task_id).join(
        tasks, tasks.c.id == escalations.c.task_id).where(tasks.c.project_id == project_id)
        .distinct()).scalars())
    return flagged


def _human_rankings(conn: Connection, project_id: int) -> dict[int, list[list[list[str]]]]:
    found: dict[int, list] = {}
    for task_id, ranking in conn.execute(
        select(annotations.c.task_id, annotations.c.ranking)
        .join(users, users.c.id == annotations.c.annotator_id)
        .where(annotations.c.project_id == project_id, users.c.kind == "human",
               annotations.c.kind == "comparison")
    ):
        found.setdefault(task_id, []).append(ranking)
    return found


def _same(first: list[list[str]], second: list[list[str]]) -> bool:
    return [sorted(group) for group in first] == [sorted(group) for group in second]


def reason_for(task: _Judged, rule: HybridRule, flagged: set[int],
               people: dict[int, list], trusted: bool) -> str | None:
    """Why ``task`` goes to people, or None when the judge may settle it."""
    confidence = task.confidence
    checks = (
        ("category", task.category in rule.human_categories),
        ("flagged", task.task_id in flagged or task.status == "escalated"),
        ("inconsistent", task.consistent is False),
        ("low_confidence", confidence is not None and confidence < rule.min_confidence),
        ("unmeasured", task.consistent is None or confidence is None),
        ("human_disagrees", any(not _same(r, task.ranking) for r in people.get(task.task_id, ()))),
        ("judge_untrusted", not trusted),
        ("settling_off", not rule.settle),
    )
    return next((reason for reason, holds in checks if holds), None)


# The queue is written out here rather than with ``queue_after``: in an UPDATE every
# right-hand side sees the old row, whose status (``resolved``) would close the queue.
_RETURN = Statement(
    "UPDATE tasks SET status = CASE WHEN submitted >= overlap THEN 'complete' ELSE 'open' END, "
    "completed_at = CASE WHEN submitted >= overlap THEN completed_at ELSE NULL END, "
    f"queue = CASE WHEN taken >= overlap THEN {QUEUE_FULL} WHEN taken > 0 THEN {QUEUE_STARTED} "
    f"ELSE {QUEUE_FRESH} END "
    "WHERE id = :task_id AND status = 'resolved'"
)


def _settle(conn: Connection, project: Project, candidates: list[_Judged], judge: str,
            now: datetime) -> int:
    """Settle the ``candidates`` still open, a chunk of tasks per statement; returns how
    many were. A task that stopped being open since it was read is left alone."""
    settled = 0
    for start in range(0, len(candidates), LOOKUP_CHUNK):
        chunk = {task.task_id: task for task in candidates[start:start + LOOKUP_CHUNK]}
        moved = sorted(conn.execute(
            update(tasks).where(tasks.c.id.in_(list(chunk)), tasks.c.status == "open")
            .values(status="resolved", queue=QUEUE_FULL, completed_at=now)
            .returning(tasks.c.id)).scalars())
        if not moved:
            continue
        conn.execute(delete(task_consensus).where(task_consensus.c.task_id.in_(moved)))
        conn.execute(insert(task_consensus), [
            {"task_id": task_id, "method": METHOD, "ranking": chunk[task_id].ranking,
             "margin": None, "agreement": None, "confidence": chunk[task_id].confidence,
             "computed_at": now} for task_id in moved])
        for task_id in moved:
            task = chunk[task_id]
            audit.record(conn, project_id=project.id, actor_id=None, action="ai_judge.settled",
                         subject=task.external_id, now=now,
                         details={"judge": judge, "ranking": task.ranking,
                                  "confidence": task.confidence})
        settled += len(moved)
    return settled


def _give_back(conn: Connection, project: Project, returning: list[tuple[_Judged, str]],
               judge: str, now: datetime) -> int:
    """Hand the tasks the judge had settled back to people, with the reason of each."""
    ids = [task.task_id for task, _ in returning]
    for start in range(0, len(ids), LOOKUP_CHUNK):
        conn.execute(delete(task_consensus).where(
            task_consensus.c.task_id.in_(ids[start:start + LOOKUP_CHUNK]),
            task_consensus.c.method == METHOD))
    if ids:
        raw.execute_many(conn, _RETURN, [{"task_id": task_id} for task_id in ids])
    for task, reason in returning:
        audit.record(conn, project_id=project.id, actor_id=None, action="ai_judge.returned",
                     subject=task.external_id, now=now,
                     details={"judge": judge, "reason": reason})
    return len(ids)


def route(conn: Connection, project: Project, now: datetime,
          kappa: float | None = None) -> Routing:
    """Settle or hand back every task the project's judge has judged (see the module's
    rules); ``kappa`` is the judge's audit κ, needed only when the rule sets ``min_kappa``."""
    rule = rule_of(project)
    if rule is None:
        raise InvalidInput(f'project "{project.name}" has no settings.{SETTING}: name the '
                           "judge that may settle tasks first")
    judge = get_judge(conn, rule.judge)
    trusted = rule.min_kappa is None or (kappa is not None and kappa >= rule.min_kappa)
    flagged = _flagged(conn, project.id)
    people = _human_rankings(conn, project.id)
    result = Routing(judge.name, kappa=kappa)
    to_settle: list[_Judged] = []
    to_return: list[tuple[_Judged, str]] = []
    for task in _judged(conn, project.id, judge.id):
        reason = reason_for(task, rule, flagged, people, trusted)
        settled_by_judge = task.status == "resolved" and task.method == METHOD
        if reason is not None:
            result.to_humans[reason] += 1
            if settled_by_judge:
                to_return.append((task, reason))
        elif settled_by_judge:
            result.kept += 1
        elif task.status == "open":
            to_settle.append(task)
        else:
            result.left_with_people += 1
    result.returned = _give_back(conn, project, to_return, judge.name, now)
    result.settled = _settle(conn, project, to_settle, judge.name, now)
    return result
