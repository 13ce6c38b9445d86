"""Small factories for test data, written straight to the tables through ``core`` where it can."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, Engine, insert, update

from accord.core.guidelines.current import publish_version
from accord.core.importing import import_items
from accord.core.people import users as user_rules
from accord.core.projects import project as project_rules
from accord.core.projects.project import Dimension, Project
from accord.db.tables import projects, prompts, responses, task_expertise, task_responses, tasks
from accord.db.types import utcnow


def make_user(
    engine: Engine, name: str, *, project: Project | None = None, roles: tuple[str, ...] = (),
    expertise: list[str] | None = None, password: str | None = None, is_admin: bool = False,
) -> user_rules.NewUser:
    with engine.begin() as conn:
        new = user_rules.create_user(
            conn, name, expertise=expertise, password=password, is_admin=is_admin
        )
        for role in roles:
            project_rules.add_member(conn, project, new.user, role)
    return new


def make_project(engine: Engine, name: str = "prefs", **settings) -> Project:
    settings.setdefault("dimensions", [Dimension("helpfulness", 1, 5), Dimension("honesty", 1, 5)])
    with engine.begin() as conn:
        return project_rules.create_project(conn, name, **settings)


def add_comparison(
    conn: Connection, project: Project, external_id: str, *,
    contents: dict[str, str] | None = None, category: str = "qa", priority: int = 0,
    expertise: tuple[str, ...] = (), kind: str = "comparison",
) -> int:
    """One task with its prompt and responses; returns the task's database id."""
    contents = contents if contents is not None else {
        "a": f"answer a to {external_id}", "b": f"longer answer b to {external_id}"
    }
    now = utcnow()
    digest = hashlib.sha256(external_id.encode()).hexdigest()
    prompt_id = conn.execute(insert(prompts).values(
        project_id=project.id, external_id=external_id,
        messages=[{"role": "user", "content": f"question {external_id}"}], category=category,
        domains=list(expertise), source="test", metadata={}, content_hash=digest, created_at=now,
    )).inserted_primary_key[0]
    task_id = conn.execute(insert(tasks).values(
        project_id=project.id, external_id=external_id, kind=kind, prompt_id=prompt_id,
        overlap=project.overlap, priority=priority, requires_expertise=bool(expertise),
        metadata={}, content_hash=digest, created_at=now,
    )).inserted_primary_key[0]
    for position, (rid, content) in enumerate(contents.items()):
        response_id = conn.execute(insert(responses).values(
            prompt_id=prompt_id, external_id=rid, content=content, model=f"model-{rid}",
            sampling={}, origin="imported", created_at=now,
        )).inserted_primary_key[0]
        conn.execute(insert(task_responses).values(
            task_id=task_id, response_id=response_id, position=position))
    for tag in expertise:
        conn.execute(insert(task_expertise).values(task_id=task_id, tag=tag))
    return task_id


def add_comparisons(engine: Engine, project: Project, count: int, **kwargs) -> list[int]:
    with engine.begin() as conn:
        return [add_comparison(conn, project, f"item-{i}", **kwargs) for i in range(count)]


def publish_guideline(engine: Engine, project: Project, text: str = "Rank best first.",
                      **fields) -> int:
    """Publish the project's next guideline version; returns its number."""
    with engine.begin() as conn:
        return publish_version(conn, project, text, utcnow(), **fields)


def import_lines(engine: Engine, project: Project, *lines: dict) -> None:
    """Items as import-file lines (any kind), through the real importer."""
    import_items(engine, project, list(lines))


def set_project_settings(engine: Engine, project: Project, **settings) -> None:
    with engine.begin() as conn:
        conn.execute(update(projects).where(projects.c.id == project.id).values(settings=settings))
