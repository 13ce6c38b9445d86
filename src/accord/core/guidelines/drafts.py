"""Guideline versions as managers manage them: draft, edit, preview, publish.

A project has at most one draft at a time. It holds the number the next published version
will get (``guidelines.next_version``), may be edited freely, and is seen only by managers.
Publishing turns it into the current version: its status becomes ``published``, it gets
``published_at`` and one audit event, and from then on nothing edits it (a correction is a
new draft). Exactly one version is current: the newest published one.

A new draft starts as a copy of the current version (text, dimensions, edge cases,
escalation rules and worked examples; not the change note), with the fields given laid over
it, so a small change is a small request. Every input is checked whole before anything is
written (``guideline_document.merge`` and ``guidelines.example_rows``), so a bad request
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.core.guidelines.current import (
    Guideline,
    entries_of,
    example_rows,
    guideline_from_document,
    guideline_from_row,
    next_version,
    store_examples,
)
from accord.core.guidelines.document import GuidelineDocument, merge
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.core.review import audit
from accord.db.inserts import insert_one
from accord.db.tables import guideline_examples, guideline_versions, tasks, users


@dataclass(frozen=True)
class GuidelineVersion:
    """One stored version with what only its managers need beside the content."""

    guideline: Guideline
    status: str
    requires_recalibration: bool
    created_at: datetime
    created_by: str | None
    document: GuidelineDocument

    @property
    def version(self) -> int:
        return self.guideline.version


def _manager_project(conn: Connection, user: User, project_name: str) -> Project:
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_manage(user, roles):
        raise Forbidden(f'guideline drafts of "{project.name}" are for its managers')
    return project


def _rows(conn: Connection, project: Project, *where):
    return conn.execute(
        select(guideline_versions, users.c.name.label("author"))
        .outerjoin(users, users.c.id == guideline_versions.c.created_by)
        .where(guideline_versions.c.project_id == project.id, *where)
        .order_by(guideline_versions.c.version.desc())
    ).all()


def _document(conn: Connection, row: Any) -> GuidelineDocument:
    """A stored version as the editable document (old shapes normalised)."""
    examples = conn.execute(
        select(guideline_examples, tasks.c.external_id)
        .outerjoin(tasks, tasks.c.id == guideline_examples.c.task_id)
        .where(guideline_examples.c.guideline_version_id == row.id)
        .order_by(guideline_examples.c.position)
    ).all()
    dims = [d for d in (row.dimensions or []) if isinstance(d, dict) and "name" in d]
    return GuidelineDocument(
        text=row.text,
        dimensions=[{"name": d["name"], "min": d.get("min", 1), "max": d.get("max", 5),
                     "definition": d.get("definition") or d.get("description") or ""}
                    for d in dims],
        edge_cases=[{"title": e.title, "text": e.text} for e in entries_of(row.edge_cases)],
        escalation_rules=[{"title": e.title, "text": e.text}
                          for e in entries_of(row.escalation_rules)],
        examples=[{"task": e.external_id, "title": e.title,
                   "better_response": e.better_response, "explanation": e.explanation}
                  for e in examples],
        change_note=row.change_note,
        requires_recalibration=bool(row.requires_recalibration),
    )


def _view(conn: Connection, project: Project, row: Any) -> GuidelineVersion:
    return GuidelineVersion(
        guideline=guideline_from_row(conn, row, project), status=row.status,
        requires_recalibration=bool(row.requires_recalibration), created_at=row.created_at,
        created_by=row.author, document=_document(conn, row),
    )


def stored_version(conn: Connection, project: Project, number: int, *,
                   drafts: bool) -> GuidelineVersion:
    """Version ``number``; a draft counts only when ``drafts`` (a manager is asking)."""
    rows = _rows(conn, project, guideline_versions.c.version == number)
    if not rows or (rows[0].status == "draft" and not drafts):
        raise NotFound(f'guideline version {number} of "{project.name}" does not exist')
    return _view(conn, project, rows[0])


def all_versions(conn: Connection, project: Project, *, drafts: bool) -> list[GuidelineVersion]:
    """Every version, newest first (the draft, if shown, comes first)."""
    where = () if drafts else (guideline_versions.c.status == "published",)
    return [_view(conn, project, row) for row in _rows(conn, project, *where)]


def current_draft(conn: Connection, project: Project) -> GuidelineVersion | None:
    rows = _rows(conn, project, guideline_versions.c.status == "draft")
    return _view(conn, project, rows[0]) if rows else None


def _current_document(conn: Connection, project: Project) -> GuidelineDocument:
    rows = _rows(conn, project, guideline_versions.c.status == "published")
    if not rows:
        return GuidelineDocument()
    document = _document(conn, rows[0])
    return GuidelineDocument(
        text=document.text, dimensions=document.dimensions, edge_cases=document.edge_cases,
        escalation_rules=document.escalation_rules, examples=document.examples,
    )


def _write(conn: Connection, project: Project, version_id: int, document: GuidelineDocument,
           now: datetime) -> None:
    """Store ``document`` in draft ``version_id``; its examples' tasks checked first."""
    rows = example_rows(conn, project, document.examples)
    conn.execute(update(guideline_versions).where(guideline_versions.c.id == version_id).values(
        text=document.text, dimensions=document.dimensions, edge_cases=document.edge_cases,
        escalation_rules=document.escalation_rules, change_note=document.change_note,
        requires_recalibration=document.requires_recalibration,
    ))
    conn.execute(delete(guideline_examples)
                 .where(guideline_examples.c.guideline_version_id == version_id))
    store_examples(conn, version_id, rows, now)


def draft_in(conn: Connection, project: Project, fields: dict[str, Any], now: datetime,
             actor_id: int | None) -> GuidelineVersion:
    """Create the project's draft from the current version with ``fields`` laid over it."""
    existing = current_draft(conn, project)
    if existing is not None:
        raise Conflict(f'version {existing.version} of "{project.name}" is already a draft: '
                       "edit it, or publish it first")
    document = merge(_current_document(conn, project), fields)
    example_rows(conn, project, document.examples)  # before the insert: errors change nothing
    try:
        version_id = insert_one(conn, insert(guideline_versions).values(
            project_id=project.id, version=next_version(conn, project.id), status="draft",
            text="", dimensions=[], edge_cases=[], escalation_rules=[], change_note="",
            created_by=actor_id, created_at=now,
        ))
    except IntegrityError:  # two managers started a draft at the same moment
        raise Conflict(f'someone else just started a draft of "{project.name}": '
                       "reload and edit that one") from None
    _write(conn, project, version_id, document, now)
    return _view(conn, project, _rows(conn, project, guideline_versions.c.id == version_id)[0])


def edit_in(conn: Connection, project: Project, number: int, fields: dict[str, Any],
            now: datetime) -> GuidelineVersion:
    """Replace the fields given in draft ``number``; a published version is refused."""
    version = stored_version(conn, project, number, drafts=True)
    if version.status != "draft":
        raise Conflict(f"version {number} is published and can no longer change: "
                       "create a new draft for the correction")
    document = merge(version.document, fields)
    version_id = conn.execute(select(guideline_versions.c.id).where(
        guideline_versions.c.project_id == project.id,
        guideline_versions.c.version == number)).scalar_one()
    _write(conn, project, version_id, document, now)
    return stored_version(conn, project, number, drafts=True)


def publish_in(conn: Connection, project: Project, number: int, now: datetime,
               actor_id: int | None) -> GuidelineVersion:
    """Publish draft ``number``: it becomes the current version, immutable from now on."""
    version = stored_version(conn, project, number, drafts=True)
    if version.status != "draft":
        raise Conflict(f"version {number} is already published")
    if not version.document.text.strip():
        raise InvalidInput(f"version {number} has no text: write the guideline before "
                           "publishing it")
    published = next_version(conn, project.id)
    moved = conn.execute(
        update(guideline_versions)
        .where(guideline_versions.c.project_id == project.id,
               guideline_versions.c.version == number, guideline_versions.c.status == "draft")
        .values(status="published", version=published, published_at=now)
    ).rowcount
    if moved != 1:
        raise Conflict(f"version {number} was published by someone else meanwhile")
    audit.record(conn, project_id=project.id, actor_id=actor_id, action="guideline.published",
                 subject=f"guideline version {published}", now=now, details={
                     "version": published, "change_note": version.document.change_note,
                     "requires_recalibration": version.requires_recalibration,
                 })
    return stored_version(conn, project, published, drafts=False)


# ── the same rules for a person, with their role checked ────────────────────────────────

def list_versions(conn: Connection, user: User, project_name: str) -> list[GuidelineVersion]:
    """Published versions for every member; the draft too for managers."""
    project, roles = project_for_member(conn, project_name, user)
    return all_versions(conn, project, drafts=access.can_manage(user, roles))


def get_version(conn: Connection, user: User, project_name: str,
                number: int) -> GuidelineVersion:
    project, roles = project_for_member(conn, project_name, user)
    return stored_version(conn, project, number, drafts=access.can_manage(user, roles))


def create_draft(conn: Connection, user: User, project_name: str, fields: dict[str, Any],
                 now: datetime) -> GuidelineVersion:
    return draft_in(conn, _manager_project(conn, user, project_name), fields, now, user.id)


def update_draft(conn: Connection, user: User, project_name: str, number: int,
                 fields: dict[str, Any], now: datetime) -> GuidelineVersion:
    return edit_in(conn, _manager_project(conn, user, project_name), number, fields, now)


def publish(conn: Connection, user: User, project_name: str, number: int,
            now: datetime) -> GuidelineVersion:
    return publish_in(conn, _manager_project(conn, user, project_name), number, now, user.id)


def preview(conn: Connection, user: User, project_name: str, number: int,
            fields: dict[str, Any] | None = None) -> Guideline:
    """Draft ``number`` as annotators will see it, with unsaved ``fields`` laid over it.

    Nothing is written; the checks are those of saving, so a preview that renders is a
    draft that saves.
    """
    project = _manager_project(conn, user, project_name)
    version = stored_version(conn, project, number, drafts=True)
    if not fields:
        return version.guideline
    return guideline_from_document(conn, project, number, merge(version.document, fields))


def add_to_draft(conn: Connection, user: User, project_name: str, kind: str,
                 entry: dict[str, Any], now: datetime) -> GuidelineVersion:
    """Append a worked example or an edge case to the current draft (created if none)."""
    project = _manager_project(conn, user, project_name)
    if kind not in ("example", "edge_case"):
        raise InvalidInput(f"kind {kind!r} is not one of example, edge_case")
    draft = current_draft(conn, project)
    base = draft.document if draft else _current_document(conn, project)
    field = "examples" if kind == "example" else "edge_cases"
    fields = {field: [*getattr(base, field), entry]}
    if draft is None:
        return draft_in(conn, project, fields, now, user.id)
    return edit_in(conn, project, draft.version, fields, now)


def editor(conn: Connection, user: User,
           project_name: str) -> tuple[Project, list[GuidelineVersion]]:
    """What the managers' guideline page lists: every version, the draft first."""
    project = _manager_project(conn, user, project_name)
    return project, all_versions(conn, project, drafts=True)


def draft_for_editing(conn: Connection, user: User, project_name: str,
                      number: int) -> GuidelineVersion:
    return stored_version(conn, _manager_project(conn, user, project_name), number, drafts=True)
