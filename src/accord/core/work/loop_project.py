"""The project as the annotation loop reads it: one statement on the driver connection.

Every claim and every submission loads its project (rules, overlap, lease, the guideline
version in force). Through SQLAlchemy's compiled select that cost about 120 µs a request, a
seventh of a claim+submit pair; the same row read here costs a tenth of that. The rows are
``core.projects.project``'s, read fresh in the request's transaction (nothing is cached), and
turned into the same ``Project`` value.
"""

from __future__ import annotations

from sqlalchemy import Connection

from accord.core.errors import NotFound
from accord.core.people.access import can_see_project
from accord.core.people.users import User
from accord.core.projects.project import Dimension, Project
from accord.db import raw
from accord.db.raw import Statement

_NEWEST_PUBLISHED = (
    "(SELECT g.{column} FROM guideline_versions g WHERE g.project_id = p.id "
    "AND g.status = 'published' ORDER BY g.version DESC LIMIT 1)"
)
_COLUMNS = (
    "p.id, p.name, p.overlap, p.lease_seconds, p.ranking_mode, p.allow_ties, "
    "p.require_rationale, p.dimensions, p.agreement_threshold, p.gold_rate, p.budget, "
    f"p.settings, p.description, {_NEWEST_PUBLISHED.format(column='id')}, "
    f"{_NEWEST_PUBLISHED.format(column='version')}, p.archived_at"
)
_BY_ID = Statement(f"SELECT {_COLUMNS} FROM projects p WHERE p.id = :id")
_FOR_MEMBER = Statement(
    f"SELECT {_COLUMNS}, m.role FROM projects p LEFT JOIN memberships m "
    "ON m.project_id = p.id AND m.user_id = :user_id WHERE p.name = :name"
)


def _project(row) -> Project:
    (project_id, name, overlap, lease_seconds, ranking_mode, allow_ties, require_rationale,
     dimensions, agreement_threshold, gold_rate, budget, settings, description, guideline_id,
     guideline_version, archived_at) = row[:16]
    return Project(
        id=project_id,
        name=name,
        overlap=overlap,
        lease_seconds=lease_seconds,
        ranking_mode=ranking_mode,
        allow_ties=bool(allow_ties),
        require_rationale=bool(require_rationale),
        dimensions=tuple(Dimension(d["name"], d["min"], d["max"], d.get("description", ""))
                         for d in raw.read_json(dimensions)),
        agreement_threshold=agreement_threshold,
        gold_rate=gold_rate,
        budget=budget,
        settings=raw.read_json(settings) or {},
        guideline=None if guideline_id is None else (guideline_id, guideline_version),
        description=description,
        archived_at=raw.read_time(archived_at),
    )


def project_by_id(conn: Connection, project_id: int) -> Project:
    """The project with id ``project_id`` (the submission's, through its assignment)."""
    row = raw.execute(conn, _BY_ID, {"id": project_id}).fetchone()
    if row is None:
        raise NotFound(f"project {project_id} does not exist")
    return _project(row)


def project_for_member(conn: Connection, name: str, user: User) -> tuple[Project, frozenset[str]]:
    """The project and the caller's roles in it; a non-member is told it does not exist
    (the same answer as ``core.projects.project.project_for_member``).

    No project name holds a NUL character, and PostgreSQL's driver refuses one in a query's
    text (unwrapped here, below SQLAlchemy): such a name is simply not found, on both
    databases.
    """
    rows = [] if "\x00" in name else raw.execute(
        conn, _FOR_MEMBER, {"name": name, "user_id": user.id}).fetchall()
    roles = frozenset(row[16] for row in rows if row[16] is not None)
    if not rows or not can_see_project(user, roles):
        raise NotFound(f'project "{name}" does not exist')
    return _project(rows[0]), roles
