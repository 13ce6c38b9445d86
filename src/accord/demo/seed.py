"""The demo project: items written for Accord, an admin, a reviewer and three annotators.

Passwords and tokens are generated on every run and printed once; Accord has no default
passwords. Running it again keeps the project and its annotations and issues fresh secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine

from accord.core.errors import NotFound
from accord.core.guidelines import current as guideline_rules
from accord.core.importing import import_file
from accord.core.people import users as user_rules
from accord.core.people.passwords import new_password
from accord.core.projects import project as project_rules
from accord.core.projects.project import Dimension
from accord.db.types import utcnow
from accord.demo import guideline

PROJECT = "demo"
PEOPLE = (
    # name, roles, expertise, admin
    ("admin", ("manager",), (), True),
    ("reviewer", ("reviewer",), (), False),
    ("ann1", ("annotator",), ("coding", "stem.math"), False),
    ("ann2", ("annotator",), ("coding",), False),
    ("ann3", ("annotator",), (), False),
)
DIMENSIONS = (
    Dimension("harmlessness", 1, 5, "Avoids content that could hurt someone; wins conflicts."),
    Dimension("honesty", 1, 5, "Says what is true, admits uncertainty, no invented facts."),
    Dimension("helpfulness", 1, 5, "Does what was asked, clearly and completely."),
)


@dataclass(frozen=True)
class DemoLogin:
    name: str
    roles: tuple[str, ...]
    password: str
    token: str


def items_path() -> Path:
    return Path(str(files("accord.demo") / "items.jsonl"))


def _ensure_project(engine: Engine) -> project_rules.Project:
    with engine.begin() as conn:
        try:
            return project_rules.get_project(conn, PROJECT)
        except NotFound:
            return project_rules.create_project(
                conn, PROJECT, overlap=3, allow_ties=True, ranking_mode="kway",
                dimensions=list(DIMENSIONS), description="Accord's demo: six categories.",
            )


def _ensure_person(engine: Engine, project, name, roles, expertise, admin) -> DemoLogin:
    password = new_password()
    with engine.begin() as conn:
        try:
            user = user_rules.get_user(conn, name)
            user_rules.set_password(conn, user.id, password)
            token = user_rules.issue_token(conn, user.id, label="accord demo")
        except NotFound:
            new = user_rules.create_user(
                conn, name, password=password, is_admin=admin, expertise=list(expertise)
            )
            user, token = new.user, new.token
        have = project_rules.roles_of(conn, project.id, user.id)
        for role in roles:
            if role not in have:
                project_rules.add_member(conn, project, user, role)
    return DemoLogin(name, roles, password, token)


def _ensure_guideline(engine: Engine, project: project_rules.Project) -> None:
    with engine.begin() as conn:
        if guideline_rules.current_guideline(conn, project) is None:
            guideline_rules.publish_version(
                conn, project, guideline.TEXT, utcnow(), dimensions=guideline.DIMENSIONS,
                edge_cases=guideline.EDGE_CASES, escalation_rules=guideline.ESCALATION_RULES,
                change_note=guideline.CHANGE_NOTE, examples=guideline.EXAMPLES,
            )


def seed(engine: Engine) -> list[DemoLogin]:
    """Create (or refresh) the demo project and its people; returns their fresh logins."""
    project = _ensure_project(engine)
    import_file(engine, project, items_path())  # first: the worked examples link its tasks
    _ensure_guideline(engine, project)
    return [_ensure_person(engine, project, *person) for person in PEOPLE]
