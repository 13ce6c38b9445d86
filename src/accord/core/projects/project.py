"""Projects, their settings and memberships."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select

from accord.core.errors import AlreadyExists, InvalidInput, NotFound
from accord.core.people.access import can_see_project
from accord.core.people.users import User
from accord.db.tables import guideline_versions, memberships, projects
from accord.db.types import utcnow

ROLES = ("annotator", "reviewer", "safety_specialist", "manager")
RANKING_MODES = ("pairwise", "kway")
PROJECT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
DIMENSION_SPEC = re.compile(r"^([a-z][a-z0-9_]*):(-?\d+)-(-?\d+)$")


@dataclass(frozen=True)
class Dimension:
    """A quality dimension rated on an integer scale ``low..high``; list order is priority."""

    name: str
    low: int
    high: int
    description: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "min": self.low, "max": self.high,
                "description": self.description}


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    overlap: int
    lease_seconds: int
    ranking_mode: str
    allow_ties: bool
    require_rationale: bool
    dimensions: tuple[Dimension, ...]
    agreement_threshold: float
    gold_rate: float
    budget: float | None
    settings: dict = field(default_factory=dict)
    guideline: tuple[int, int] | None = None
    """(id, version) of the guideline version in force when the project was loaded."""
    description: str = ""
    archived_at: datetime | None = None
    """When the project was archived: it keeps its data and exports but hands out no work."""


def parse_dimension(spec: str) -> Dimension:
    """``helpfulness:1-5`` → a Dimension; the error names the spec that is wrong."""
    match = DIMENSION_SPEC.match(spec.strip())
    if not match:
        raise InvalidInput(f'dimension "{spec}" must look like name:1-5')
    name, low, high = match.group(1), int(match.group(2)), int(match.group(3))
    if low >= high:
        raise InvalidInput(f'dimension "{spec}": the scale minimum must be below its maximum')
    return Dimension(name, low, high)


def create_project(
    conn: Connection,
    name: str,
    *,
    overlap: int = 3,
    lease_seconds: int = 900,
    ranking_mode: str = "pairwise",
    allow_ties: bool = False,
    require_rationale: bool = False,
    dimensions: list[Dimension] | None = None,
    agreement_threshold: float = 0.5,
    gold_rate: float = 0.0,
    budget: float | None = None,
    description: str = "",
) -> Project:
    if not PROJECT_NAME.match(name):
        raise InvalidInput(
            f'project name "{name}" must start with a letter or digit and use only letters, '
            "digits and . _ - (at most 120 characters)"
        )
    if overlap < 1:
        raise InvalidInput(f"overlap must be at least 1, not {overlap}")
    if lease_seconds < 1:
        raise InvalidInput(f"lease length must be at least 1 second, not {lease_seconds}")
    if ranking_mode not in RANKING_MODES:
        raise InvalidInput(f'ranking mode "{ranking_mode}" is not one of pairwise, kway')
    if not 0 <= gold_rate <= 1:
        raise InvalidInput(f"gold rate must be between 0 and 1, not {gold_rate}")
    if not 0 <= agreement_threshold <= 1:
        raise InvalidInput(
            f"agreement threshold must be between 0 and 1, not {agreement_threshold}"
        )
    dims = list(dimensions or [])
    names = [d.name for d in dims]
    if len(set(names)) != len(names):
        raise InvalidInput(f"dimension names repeat: {', '.join(names)}")
    if conn.execute(select(projects.c.id).where(projects.c.name == name)).first():
        raise AlreadyExists(f'project "{name}" already exists')
    conn.execute(
        insert(projects).values(
            name=name,
            description=description,
            overlap=overlap,
            lease_seconds=lease_seconds,
            ranking_mode=ranking_mode,
            allow_ties=allow_ties,
            require_rationale=require_rationale,
            dimensions=[d.as_dict() for d in dims],
            agreement_threshold=agreement_threshold,
            gold_rate=gold_rate,
            budget=budget,
            settings={},
            created_at=utcnow(),
        )
    )
    return get_project(conn, name)


def _project_from_row(row) -> Project:
    dims = tuple(
        Dimension(d["name"], d["min"], d["max"], d.get("description", "")) for d in row.dimensions
    )
    return Project(
        id=row.id,
        name=row.name,
        overlap=row.overlap,
        lease_seconds=row.lease_seconds,
        ranking_mode=row.ranking_mode,
        allow_ties=bool(row.allow_ties),
        require_rationale=bool(row.require_rationale),
        dimensions=dims,
        agreement_threshold=row.agreement_threshold,
        gold_rate=row.gold_rate,
        budget=row.budget,
        settings=row.settings or {},
        guideline=(row.guideline_id, row.guideline_version)
        if row.guideline_id is not None
        else None,
        description=row.description,
        archived_at=row.archived_at,
    )


def _newest_published(column):
    return (
        select(column)
        .where(
            guideline_versions.c.project_id == projects.c.id,
            guideline_versions.c.status == "published",
        )
        .order_by(guideline_versions.c.version.desc())
        .limit(1)
        .scalar_subquery()
    )


# A project row always comes with the guideline version in force, so the annotation loop
# needs no separate query for it.
_PROJECT_COLUMNS = (
    projects,
    _newest_published(guideline_versions.c.id).label("guideline_id"),
    _newest_published(guideline_versions.c.version).label("guideline_version"),
)
_BY_NAME = select(*_PROJECT_COLUMNS).where(projects.c.name == bindparam("name"))
_BY_ID = select(*_PROJECT_COLUMNS).where(projects.c.id == bindparam("id"))
_FOR_MEMBER = (
    select(*_PROJECT_COLUMNS, memberships.c.role)
    .select_from(
        projects.outerjoin(
            memberships,
            (memberships.c.project_id == projects.c.id)
            & (memberships.c.user_id == bindparam("user_id")),
        )
    )
    .where(projects.c.name == bindparam("name"))
)
_ROLES = select(memberships.c.role).where(
    memberships.c.project_id == bindparam("project_id"),
    memberships.c.user_id == bindparam("user_id"),
)
def get_project(conn: Connection, name: str) -> Project:
    """The project called ``name`` (no access check: for the CLI, which runs as the owner)."""
    row = conn.execute(_BY_NAME, {"name": name}).first()
    if row is None:
        raise NotFound(f'project "{name}" does not exist')
    return _project_from_row(row)


def get_project_by_id(conn: Connection, project_id: int) -> Project:
    row = conn.execute(_BY_ID, {"id": project_id}).first()
    if row is None:
        raise NotFound(f"project {project_id} does not exist")
    return _project_from_row(row)


def roles_of(conn: Connection, project_id: int, user_id: int) -> frozenset[str]:
    rows = conn.execute(_ROLES, {"project_id": project_id, "user_id": user_id})
    return frozenset(r[0] for r in rows)


def project_for_member(conn: Connection, name: str, user: User) -> tuple[Project, frozenset[str]]:
    """The project and the caller's roles in it; a non-member is told it does not exist."""
    rows = conn.execute(_FOR_MEMBER, {"name": name, "user_id": user.id}).all()
    roles = frozenset(r.role for r in rows if r.role is not None)
    if not rows or not can_see_project(user, roles):
        raise NotFound(f'project "{name}" does not exist')
    return _project_from_row(rows[0]), roles


def projects_of(conn: Connection, user: User, *, archived: bool = False) -> list[Project]:
    """The projects ``user`` may see: their own, or all of them for an administrator.

    Archived projects are left out unless ``archived`` asks for them too.
    """
    query = select(*_PROJECT_COLUMNS).order_by(projects.c.name)
    if not archived:
        query = query.where(projects.c.archived_at.is_(None))
    if not user.is_admin:
        query = query.where(
            projects.c.id.in_(
                select(memberships.c.project_id).where(memberships.c.user_id == user.id)
            )
        )
    return [_project_from_row(r) for r in conn.execute(query)]


def add_member(conn: Connection, project: Project, user: User, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f'role "{role}" is not one of {", ".join(ROLES)}')
    if role in roles_of(conn, project.id, user.id):
        raise AlreadyExists(f'user "{user.name}" is already a {role} of "{project.name}"')
    conn.execute(
        insert(memberships).values(
            project_id=project.id, user_id=user.id, role=role, created_at=utcnow()
        )
    )
