"""The annotation loop reads its project with its own statement (``core/work/loop_project``):
it must give the same ``Project`` as ``core.projects.project`` for every field, so a column
added to projects cannot be silently missing on the hot path (an archived project that still
hands out work, say)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from accord.core.projects import project as project_rules
from accord.core.work import loop_project
from accord.db.tables import projects
from tests.factories import make_project, make_user


def test_the_loops_project_equals_the_projects_own_reading_field_for_field(engine):
    project = make_project(engine, gold_rate=0.1, budget=250.0, allow_ties=True,
                           require_rationale=True, description="the loop's view")
    member = make_user(engine, "ann", project=project, roles=("annotator", "reviewer"))
    archived = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(update(projects).where(projects.c.id == project.id).values(
            archived_at=archived, settings={"exposure": {"max_per_annotator": 3}}))
    with engine.connect() as conn:
        expected = project_rules.get_project_by_id(conn, project.id)
        assert expected.archived_at == archived
        assert loop_project.project_by_id(conn, project.id) == expected
        assert (loop_project.project_for_member(conn, project.name, member.user)
                == project_rules.project_for_member(conn, project.name, member.user))
