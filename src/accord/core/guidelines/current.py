"""Guideline versions as annotators read them: the newest published one, in a fixed shape.

Versions are immutable documents (see DESIGN.md); the stored ``edge_cases`` and
``escalation_rules`` may be a mapping ``{title: text}`` or a list of strings or of
``{"title"/"case", "text"/"protocol"/"rule"}`` objects, so the pages get one shape here
instead of guessing.

A version may carry worked examples: real tasks of the project with the response that won
and why. They are written with the version at publish time and never afterwards, so what
an annotation's recorded version taught is what the annotator saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from accord.core.errors import InvalidInput
from accord.core.guidelines.document import GuidelineDocument, check_examples
from accord.core.projects.project import Dimension, Project
from accord.core.review import audit
from accord.db.inserts import insert_one
from accord.db.tables import (
    guideline_examples,
    guideline_versions,
    prompts,
    responses,
    task_responses,
    tasks,
)

_TITLE_KEYS = ("title", "case", "name", "when")
_TEXT_KEYS = ("text", "protocol", "rule", "description", "then", "action")
EXCERPT_CHARS = 300  # enough of a prompt to recognise the task beside the guideline


@dataclass(frozen=True)
class Entry:
    """One edge-case protocol or escalation rule: a short title (may be empty) and its text."""

    title: str
    text: str


@dataclass(frozen=True)
class DimensionDefinition:
    """A quality dimension as the guideline defines it; list order is priority."""

    name: str
    low: int
    high: int
    definition: str


@dataclass(frozen=True)
class WorkedExample:
    """A lesson from a real task: which response won and why (``explanation`` is Markdown).

    ``task`` is the task's external id, None when the example names no task or its task has
    since been deleted; ``excerpt`` is the start of the task's first user message and
    ``response_ids`` its responses in imported order, so the reader can place the winner.
    """

    title: str
    better_response: str
    explanation: str
    task: str | None = None
    excerpt: str = ""
    response_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guideline:
    version: int
    text: str
    dimensions: tuple[DimensionDefinition, ...]
    edge_cases: tuple[Entry, ...]
    escalation_rules: tuple[Entry, ...]
    change_note: str
    published_at: datetime | None
    examples: tuple[WorkedExample, ...] = ()


def entries_of(stored: Any) -> tuple[Entry, ...]:
    """Edge cases or escalation rules in any stored shape, as ``Entry``s in order."""
    if isinstance(stored, dict):
        return tuple(Entry(_title(key), str(value)) for key, value in stored.items())
    if not isinstance(stored, list):
        return ()
    result = []
    for item in stored:
        if isinstance(item, dict):
            title = next((str(item[k]) for k in _TITLE_KEYS if k in item), "")
            text = next((str(item[k]) for k in _TEXT_KEYS if k in item), "")
            result.append(Entry(_title(title), text))
        else:
            result.append(Entry("", str(item)))
    return tuple(result)


def _title(key: str) -> str:
    """``both_bad`` → ``Both bad``: stored keys are identifiers, titles are read by people."""
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _definitions(stored: Any, project: Project) -> tuple[DimensionDefinition, ...]:
    """The guideline's dimensions when it defines them, else the project's own, by priority."""
    if isinstance(stored, list) and stored:
        scale = {d.name: d for d in project.dimensions}
        result = []
        for item in stored:
            if not isinstance(item, dict) or "name" not in item:
                continue
            known = scale.get(item["name"], Dimension(item["name"], 1, 5))
            result.append(DimensionDefinition(
                name=str(item["name"]),
                low=int(item.get("min", known.low)),
                high=int(item.get("max", known.high)),
                definition=str(item.get("definition") or item.get("description")
                               or known.description),
            ))
        if result:
            return tuple(result)
    return project_definitions(project)


def project_definitions(project: Project) -> tuple[DimensionDefinition, ...]:
    """The project's dimensions with their descriptions, for when no guideline defines them."""
    return tuple(
        DimensionDefinition(d.name, d.low, d.high, d.description) for d in project.dimensions
    )


def current_guideline(conn: Connection, project: Project) -> Guideline | None:
    """The newest published guideline version of ``project``, or None if none is published."""
    row = conn.execute(
        select(guideline_versions)
        .where(
            guideline_versions.c.project_id == project.id,
            guideline_versions.c.status == "published",
        )
        .order_by(guideline_versions.c.version.desc())
        .limit(1)
    ).first()
    return None if row is None else guideline_from_row(conn, row, project)


def guideline_from_row(conn: Connection, row: Any, project: Project) -> Guideline:
    """A stored ``guideline_versions`` row (published or draft) in the shape pages read."""
    return Guideline(
        version=row.version,
        text=row.text,
        dimensions=_definitions(row.dimensions, project),
        edge_cases=entries_of(row.edge_cases),
        escalation_rules=entries_of(row.escalation_rules),
        change_note=row.change_note,
        published_at=row.published_at,
        examples=worked_examples(conn, row.id),
    )


def excerpt(messages: Any, limit: int = EXCERPT_CHARS) -> str:
    """The first user message, cut at ``limit`` characters: what identifies a task at a glance.

    Falls back to the first message of any role (a prompt may be system-only) and to "" when
    the stored messages are not a list of ``{role, content}``.
    """
    if not isinstance(messages, list):
        return ""
    turns = [m for m in messages if isinstance(m, dict)]
    first = next((m for m in turns if m.get("role") == "user"), turns[0] if turns else None)
    text = str(first.get("content") or "").strip() if first else ""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def worked_examples(conn: Connection, version_id: int) -> tuple[WorkedExample, ...]:
    """The worked examples of one guideline version, in order, with their tasks' excerpts."""
    rows = conn.execute(
        select(guideline_examples)
        .where(guideline_examples.c.guideline_version_id == version_id)
        .order_by(guideline_examples.c.position)
    ).mappings().all()
    return lessons(conn, rows)


def lessons(conn: Connection, rows: Any) -> tuple[WorkedExample, ...]:
    """Example rows (``task_id``, ``title``, ``better_response``, ``explanation``) with each
    task's external id, excerpt and response ids, in one query per table."""
    task_ids = sorted({row["task_id"] for row in rows if row["task_id"] is not None})
    facts: dict[int, tuple[str, Any]] = {}
    ids: dict[int, list[str]] = {}
    if task_ids:
        for task_id, external_id, messages in conn.execute(
            select(tasks.c.id, tasks.c.external_id, prompts.c.messages)
            .join(prompts, prompts.c.id == tasks.c.prompt_id)
            .where(tasks.c.id.in_(task_ids))
        ):
            facts[task_id] = (external_id, messages)
        for task_id, response_id in conn.execute(
            select(task_responses.c.task_id, responses.c.external_id)
            .join(responses, responses.c.id == task_responses.c.response_id)
            .where(task_responses.c.task_id.in_(task_ids))
            .order_by(task_responses.c.task_id, task_responses.c.position)
        ):
            ids.setdefault(task_id, []).append(response_id)
    result = []
    for row in rows:
        external_id, messages = facts.get(row["task_id"], (None, None))
        result.append(WorkedExample(
            title=row["title"], better_response=row["better_response"],
            explanation=row["explanation"], task=external_id, excerpt=excerpt(messages),
            response_ids=tuple(ids.get(row["task_id"], ())),
        ))
    return tuple(result)


def guideline_from_document(conn: Connection, project: Project, version: int,
                            document: GuidelineDocument) -> Guideline:
    """An unsaved document as annotators would see it (the preview); examples' tasks are
    checked as at publication, so the preview fails exactly where publishing would."""
    return Guideline(
        version=version, text=document.text,
        dimensions=_definitions(document.dimensions, project),
        edge_cases=entries_of(document.edge_cases),
        escalation_rules=entries_of(document.escalation_rules),
        change_note=document.change_note, published_at=None,
        examples=lessons(conn, example_rows(conn, project, document.examples)),
    )


def example_rows(
    conn: Connection, project: Project, examples: Any
) -> list[dict[str, Any]]:
    """Check every example before anything is written; returns the rows to insert.

    The shape is ``guideline_document.check_examples``'s; the tasks are looked up in one
    query. An error names the example's index and the task so a long publish request can be
    fixed in one pass; raising before the version is inserted means nothing is stored.
    """
    checked = check_examples(examples)
    wanted = {example["task"] for example in checked if example["task"] is not None}
    found = dict(conn.execute(
        select(tasks.c.external_id, tasks.c.id)
        .where(tasks.c.project_id == project.id, tasks.c.external_id.in_(wanted))
    ).all()) if wanted else {}
    rows = []
    for index, example in enumerate(checked):
        external_id = example["task"]
        task_id = None if external_id is None else found.get(external_id)
        if external_id is not None and task_id is None:
            raise InvalidInput(
                f"examples[{index}]: task {external_id!r} is not in project {project.name!r}",
                details={"index": index, "task": external_id},
            )
        rows.append({
            "task_id": task_id, "position": index, "title": example["title"],
            "better_response": example["better_response"],
            "explanation": example["explanation"],
        })
    return rows


def publish_version(
    conn: Connection,
    project: Project,
    text: str,
    now: datetime,
    *,
    dimensions: list[dict] | None = None,
    edge_cases: dict | list | None = None,
    escalation_rules: dict | list | None = None,
    change_note: str = "",
    created_by: int | None = None,
    examples: list[dict[str, Any]] | None = None,
    requires_recalibration: bool = False,
) -> int:
    """Publish the project's next guideline version at once; returns its version number.

    Versions are never edited once published: a correction is a new version (drafted,
    previewed and published through ``guideline_drafts``); annotations made from now on
    record this version. Writes one ``guideline.published`` audit event.
    ``examples`` are worked examples, each ``{"task": external id or None, "title",
    "better_response", "explanation"}``; they are stored with this version only.
    """
    if not text.strip():
        raise InvalidInput("a guideline version needs its text")
    rows = example_rows(conn, project, examples or [])
    version = next_version(conn, project.id)
    _make_room(conn, project.id, version)
    version_id = insert_one(conn, insert(guideline_versions).values(
        project_id=project.id, version=version, status="published", text=text,
        dimensions=dimensions or [], edge_cases=edge_cases or {},
        escalation_rules=escalation_rules or [], change_note=change_note,
        requires_recalibration=requires_recalibration,
        created_by=created_by, created_at=now, published_at=now,
    ))
    store_examples(conn, version_id, rows, now)
    audit.record(conn, project_id=project.id, actor_id=created_by, action="guideline.published",
                 subject=f"guideline version {version}", now=now,
                 details={"version": int(version), "change_note": change_note,
                          "requires_recalibration": requires_recalibration})
    return int(version)


def store_examples(conn: Connection, version_id: int, rows: list[dict[str, Any]],
                   now: datetime) -> None:
    """Write checked example rows (from ``example_rows``) for one version."""
    if rows:
        conn.execute(insert(guideline_examples), [
            {**row, "guideline_version_id": version_id, "created_at": now} for row in rows
        ])


def next_version(conn: Connection, project_id: int) -> int:
    """The number the next published version gets: one past the newest published one.

    A project's one draft holds this number; publishing something else first moves the
    draft up by one (``_make_room``), so published numbers never skip or repeat.
    """
    return int(conn.execute(
        select(func.coalesce(func.max(guideline_versions.c.version), 0) + 1)
        .where(guideline_versions.c.project_id == project_id,
               guideline_versions.c.status == "published")
    ).scalar_one())


def _make_room(conn: Connection, project_id: int, version: int) -> None:
    conn.execute(
        update(guideline_versions)
        .where(guideline_versions.c.project_id == project_id,
               guideline_versions.c.status == "draft", guideline_versions.c.version == version)
        .values(version=version + 1)
    )
