"""Guideline versions as annotators read them: the newest published one, in a fixed shape.

Versions are immutable documents (see DESIGN.md); the stored ``edge_cases`` and
``escalation_rules`` may be a mapping ``{title: text}`` or a list of strings or of
``{"title"/"case", "text"/"protocol"/"rule"}`` objects, so the pages get one shape here
instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from accord.core.errors import InvalidInput
from accord.core.projects import Dimension, Project
from accord.db.tables import guideline_versions

_TITLE_KEYS = ("title", "case", "name", "when")
_TEXT_KEYS = ("text", "protocol", "rule", "description", "then", "action")


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
class Guideline:
    version: int
    text: str
    dimensions: tuple[DimensionDefinition, ...]
    edge_cases: tuple[Entry, ...]
    escalation_rules: tuple[Entry, ...]
    change_note: str
    published_at: datetime | None


def _entries(stored: Any) -> tuple[Entry, ...]:
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
    if row is None:
        return None
    return Guideline(
        version=row.version,
        text=row.text,
        dimensions=_definitions(row.dimensions, project),
        edge_cases=_entries(row.edge_cases),
        escalation_rules=_entries(row.escalation_rules),
        change_note=row.change_note,
        published_at=row.published_at,
    )


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
) -> int:
    """Publish the project's next guideline version at once; returns its version number.

    Versions are never edited: a correction is a new version. (Drafts, previews and
    recalibration build on this; annotations made from now on record this version.)
    """
    if not text.strip():
        raise InvalidInput("a guideline version needs its text")
    version = conn.execute(
        select(func.coalesce(func.max(guideline_versions.c.version), 0) + 1)
        .where(guideline_versions.c.project_id == project.id)
    ).scalar_one()
    conn.execute(insert(guideline_versions).values(
        project_id=project.id, version=version, status="published", text=text,
        dimensions=dimensions or [], edge_cases=edge_cases or {},
        escalation_rules=escalation_rules or [], change_note=change_note,
        created_by=created_by, created_at=now, published_at=now,
    ))
    return int(version)
