"""A demonstration's life: opened from its submission, reviewed, sent back, revised, settled.

Every change is one conditional UPDATE of the ``demonstrations`` row on the status, the
version and the count of reviews it was read with, so of two reviewers deciding at once
exactly one wins and the other is told the demonstration moved on; each change writes its
audit event in the same transaction. Rules of who may:

- a reviewer (or manager) never reviews a demonstration they wrote, in any version;
- a reviewer reviews a version once; a demonstration that needs two reviews (the seeded
  double share, or a category that needs two accepts) is settled by the second, blind one,
  with the stricter of the two decisions;
- accept with edits settles the demonstration with the reviewer's text as a new, final
  version, so no version a reviewer edited is ever reviewed again — by them or by anyone;
  the edit is that reviewer's responsibility, and the report shows how much they changed;
- only the writer revises, and only a demonstration sent back to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from accord.core.demonstrations import rubric, states
from accord.core.demonstrations.edits import edit_distance
from accord.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.core.review import audit
from accord.db.tables import (
    demonstration_reviews,
    demonstration_versions,
    demonstrations,
    prompts,
    tasks,
)

MAX_TEXT = 100_000
MAX_COMMENT = 20_000
MAX_TURNS = 200


@dataclass(frozen=True)
class Settled:
    """What one review or revision left: the demonstration's status and current version."""

    demonstration_id: int
    status: str
    version: int
    rounds: int
    reviews_in: int
    reviews_needed: int


def open_from_submission(conn: Connection, project: Project, *, task_id: int,
                         annotation_id: int, writer_id: int, text: str,
                         turns: list | None, now: datetime) -> int:
    """Make a submitted demonstration annotation version 1 of a demonstration in review."""
    rules = rubric.rules_of(project)
    category = conn.execute(
        select(prompts.c.category).join(tasks, tasks.c.prompt_id == prompts.c.id)
        .where(tasks.c.id == task_id)).scalar_one()
    drawn = rubric.drawn_for_double_review(rules, project.id, annotation_id)
    needed = 2 if drawn or category in rules.two_accepts_for else 1
    demonstration_id = conn.execute(insert(demonstrations).values(
        project_id=project.id, task_id=task_id, annotation_id=annotation_id,
        writer_id=writer_id, status="in_review", version=1, rounds=0, reviews_needed=needed,
        reviews_in=0, double_review=drawn, created_at=now, updated_at=now,
    ).returning(demonstrations.c.id)).scalar_one()
    conn.execute(insert(demonstration_versions).values(
        demonstration_id=demonstration_id, number=1, text=text, turns=turns,
        author_id=writer_id, reason="written", edit_distance=None, created_at=now))
    audit.record(conn, project_id=project.id, actor_id=writer_id, action="demonstration.written",
                 subject=f"demonstration {demonstration_id}", now=now,
                 details={"version": 1, "reviews_needed": needed, "double_review": drawn})
    return demonstration_id


def _row(conn: Connection, project: Project, demonstration_id: int):
    row = conn.execute(select(demonstrations).where(
        demonstrations.c.id == demonstration_id, demonstrations.c.project_id == project.id)
    ).first()
    if row is None:
        raise NotFound(f'demonstration {demonstration_id} is not in project "{project.name}"')
    return row


def _text_of(conn: Connection, demonstration_id: int, number: int) -> str:
    return conn.execute(select(demonstration_versions.c.text).where(
        demonstration_versions.c.demonstration_id == demonstration_id,
        demonstration_versions.c.number == number)).scalar_one()


def _move(conn: Connection, row, *, from_status: str, values: dict[str, Any]) -> None:
    """The conditional UPDATE: it moves the row only if nobody moved it since it was read."""
    moved = conn.execute(update(demonstrations).where(
        demonstrations.c.id == row.id, demonstrations.c.status == from_status,
        demonstrations.c.version == row.version, demonstrations.c.reviews_in == row.reviews_in,
    ).values(**values)).rowcount
    if moved != 1:
        raise Conflict(f"demonstration {row.id} changed while you worked on version "
                       f"{row.version} (another reviewer or the writer acted first); "
                       "reload it and look again")


def _clean(name: str, value: str | None, limit: int, *, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(required)
    if len(value) > limit:
        raise InvalidInput(f"the {name} is longer than {limit:,} characters")
    return value


def _check_turns(turns: Any) -> list | None:
    if turns is None:
        return None
    if not isinstance(turns, list) or not 1 <= len(turns) <= MAX_TURNS or not all(
            isinstance(t, dict) and isinstance(t.get("role"), str)
            and isinstance(t.get("content"), str) for t in turns):
        raise InvalidInput(f"turns must be a list of 1 to {MAX_TURNS} objects with a role "
                           "and a content")
    return turns


def decide(conn: Connection, reviewer: User, project_name: str, demonstration_id: int, *,
           version: int, decision: str, scores: Any, checks: Any, comment: str = "",
           edited_text: str | None = None, active_ms: int = 0, now: datetime) -> Settled:
    """Record ``reviewer``'s review of ``version`` and, when it is the last one needed,
    settle the demonstration with the strictest decision of that version's reviews."""
    project, roles = project_for_member(conn, project_name, reviewer)
    if not access.can_review(reviewer, roles):
        raise Forbidden(f'you are not a reviewer of "{project.name}"')
    row = _row(conn, project, demonstration_id)
    if row.writer_id == reviewer.id:
        raise Forbidden(f"you wrote demonstration {demonstration_id}, so another reviewer "
                        "reviews it")
    if decision not in states.DECISIONS:
        raise InvalidInput(f"decision {decision!r} is not one of {', '.join(states.DECISIONS)}")
    states.require_allowed(demonstration_id, row.status, decision)
    if version != row.version:
        raise Conflict(f"demonstration {demonstration_id} is at version {row.version}, not "
                       f"{version}: reload it and review the current version")
    rules = rubric.rules_of(project)
    scores, checks = rubric.check_review(rules, scores, checks)
    comment = _clean("comment", comment, MAX_COMMENT, required=(
        "say what to change: sending back needs a comment" if decision == "send_back" else
        "say why: a rejection needs a reason" if decision == "reject" else None))
    current = _text_of(conn, demonstration_id, row.version)
    edited = _edit(decision, edited_text, current)
    if decision in ("accept", "accept_with_edits"):
        failed = [name for name, passed in checks.items() if not passed]
        if failed:
            raise Conflict(f'accept: the required check "{failed[0]}" is not ticked; '
                           "send the demonstration back or reject it")
    prior = list(conn.execute(select(demonstration_reviews).where(
        demonstration_reviews.c.demonstration_id == demonstration_id,
        demonstration_reviews.c.version == row.version).order_by(demonstration_reviews.c.id)
    ).all())
    if any(r.reviewer_id == reviewer.id for r in prior):
        raise Conflict(f"you already reviewed version {row.version} of demonstration "
                       f"{demonstration_id}; the second review is another reviewer's")
    last = row.reviews_in + 1 >= row.reviews_needed
    settled = states.outcome([*(r.decision for r in prior), decision]) if last else None
    values = _settling(row, settled, comment, prior, now) if settled else {}
    _move(conn, row, from_status="in_review",
          values={"reviews_in": row.reviews_in + 1, "updated_at": now, **values})
    conn.execute(insert(demonstration_reviews).values(
        demonstration_id=demonstration_id, version=row.version, reviewer_id=reviewer.id,
        scores=scores, checks=checks, decision=decision, comment=comment, edited_text=edited,
        blind=row.reviews_needed > 1, active_ms=max(0, int(active_ms)), created_at=now))
    audit.record(conn, project_id=project.id, actor_id=reviewer.id,
                 action="demonstration.reviewed", subject=f"demonstration {demonstration_id}",
                 now=now, details={"version": row.version, "decision": decision,
                                   "scores": scores, "checks": checks, "comment": comment,
                                   "blind": row.reviews_needed > 1})
    if settled is None:
        return Settled(demonstration_id, "in_review", row.version, row.rounds,
                       row.reviews_in + 1, row.reviews_needed)
    if settled == "accept_with_edits":
        _write_edit(conn, row, reviewer, prior, decision, edited, current, now)
    status = states.SETTLES_TO[settled]
    audit.record(conn, project_id=project.id, actor_id=reviewer.id,
                 action=f"demonstration.{status}", subject=f"demonstration {demonstration_id}",
                 now=now, details={"from": "in_review", "to": status, "decision": settled,
                                   "version": values["version"], "rounds": row.rounds + 1})
    return Settled(demonstration_id, status, values["version"], row.rounds + 1,
                   values["reviews_in"], row.reviews_needed)


def _edit(decision: str, edited_text: str | None, current: str) -> str | None:
    if decision != "accept_with_edits":
        if edited_text is not None and edited_text.strip() != current.strip():
            raise InvalidInput(f"edited_text is only for accept_with_edits, not {decision}")
        return None
    edited = _clean("edited text", edited_text, MAX_TEXT,
                    required="accept_with_edits needs the edited text")
    if edited == current.strip():
        raise Conflict("the edited text is the same as the version reviewed: accept it "
                       "as it is, or change it")
    return edited


def _settling(row, settled: str, comment: str, prior: list, now: datetime) -> dict[str, Any]:
    """The columns that change when a version's reviews settle the demonstration."""
    values: dict[str, Any] = {"status": states.SETTLES_TO[settled], "rounds": row.rounds + 1,
                              "version": row.version, "reviews_in": row.reviews_in + 1}
    if settled == "accept_with_edits":
        values.update(version=row.version + 1, reviews_in=0)
    if settled in ("accept", "accept_with_edits", "reject"):
        values["decided_at"] = now
    if settled == "reject":
        reasons = [r.comment for r in prior if r.decision == "reject"] + [comment]
        values["reject_reason"] = "\n\n".join(c for c in reasons if c)
    return values


def _write_edit(conn: Connection, row, reviewer: User, prior: list, decision: str,
                edited: str | None, current: str, now: datetime) -> None:
    """The accepted text when the outcome is accept with edits: this review's edit, or the
    earlier reviewer's when this one accepted as it was (the later edit wins a tie)."""
    author_id, text = reviewer.id, edited
    if decision != "accept_with_edits":
        earlier = next(r for r in reversed(prior) if r.decision == "accept_with_edits")
        author_id, text = earlier.reviewer_id, earlier.edited_text
    assert text is not None
    conn.execute(insert(demonstration_versions).values(
        demonstration_id=row.id, number=row.version + 1, text=text, turns=None,
        author_id=author_id, reason="reviewer_edit", edit_distance=edit_distance(current, text),
        created_at=now))


def revise(conn: Connection, writer: User, project_name: str, demonstration_id: int, *,
           version: int, text: str, turns: Any = None, now: datetime) -> Settled:
    """The writer's new version of a demonstration sent back to them; it returns to review."""
    project, _ = project_for_member(conn, project_name, writer)
    row = _row(conn, project, demonstration_id)
    if row.writer_id != writer.id:
        raise Forbidden(f"only its writer revises demonstration {demonstration_id}")
    states.require_allowed(demonstration_id, row.status, "revise")
    if version != row.version:
        raise Conflict(f"demonstration {demonstration_id} is at version {row.version}, not "
                       f"{version}: reload it")
    text = _clean("text", text, MAX_TEXT, required="the revised text is empty")
    turns = _check_turns(turns)
    previous = _text_of(conn, demonstration_id, row.version)
    if text == previous.strip():
        raise Conflict(f"the revision is the same as version {row.version}: change what "
                       "the reviewer asked for before sending it back to review")
    _move(conn, row, from_status="sent_back", values={
        "status": "in_review", "version": row.version + 1, "reviews_in": 0, "updated_at": now})
    conn.execute(insert(demonstration_versions).values(
        demonstration_id=row.id, number=row.version + 1, text=text, turns=turns,
        author_id=writer.id, reason="revised", edit_distance=edit_distance(previous, text),
        created_at=now))
    audit.record(conn, project_id=project.id, actor_id=writer.id, action="demonstration.revised",
                 subject=f"demonstration {demonstration_id}", now=now,
                 details={"from": "sent_back", "to": "in_review", "version": row.version + 1})
    return Settled(row.id, "in_review", row.version + 1, row.rounds, 0, row.reviews_needed)
