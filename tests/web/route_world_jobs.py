"""The administrative things of the route world: a finished import job, two finished export
jobs with their files on disk (one for the routes that read it, one for the route that
deletes it), and an invite link waiting to be accepted.

Made through the same ``core`` functions and job runners the server calls, so the routes
act on what a real server would hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from accord.core.admin import deactivation, invites
from accord.core.admin import projects as admin_projects
from accord.core.exporting import jobs as export_jobs
from accord.core.importing import jobs as import_jobs
from accord.core.people import users
from accord.core.projects.project import get_project
from accord.db.types import utcnow
from accord.exports.jobs import run_export_job
from accord.exports.requested import ExportRequest
from tests.factories import make_user
from tests.web.routing_helpers import item

IMPORTED_LINES = b"".join(json.dumps(item(f"u-{n}")).encode() + b"\n" for n in range(2))
"""A small JSONL file of two comparisons: what the import route is sent."""


@dataclass(frozen=True)
class Jobs:
    import_job_id: int
    export_job_id: int
    export_file: str
    doomed_export_job_id: int
    invite_secret: str


def _import_job(engine: Engine, project: str, folder: Path) -> int:
    upload = folder / "upload-world" / "world.jsonl"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(IMPORTED_LINES)
    with engine.begin() as conn:
        lead = users.get_user(conn, "lead")
        job, _ = import_jobs.create_import_job(
            conn, lead, project, import_jobs.ImportOptions(), upload, upload.stat().st_size,
            None, utcnow())
    import_jobs.run_import_job(engine, job.id)
    return job.id


def _export_job(engine: Engine, project: str, folder: Path) -> tuple[int, str]:
    wanted = ExportRequest(format="raw", file_format="jsonl")
    with engine.begin() as conn:
        lead = users.get_user(conn, "lead")
        job, _ = export_jobs.create_export_job(conn, lead, project, wanted.as_document(),
                                               None, utcnow())
    run_export_job(engine, job.id, folder)
    with engine.connect() as conn:
        lead = users.get_user(conn, "lead")
        done = export_jobs.export_job(conn, lead, project, job.id, utcnow(),
                                      timedelta(days=7))
    assert done.status == "done", done.failure
    return job.id, done.files[0]["name"]


def build_jobs(engine: Engine, project: str, folder: Path) -> Jobs:
    import_id = _import_job(engine, project, folder)
    export_id, export_file = _export_job(engine, project, folder)
    doomed_id, _ = _export_job(engine, project, folder)
    with engine.begin() as conn:
        made = invites.create_invite(conn, None, utcnow(), valid_for=timedelta(days=1),
                                     project=project, roles=["annotator"])
    return Jobs(import_id, export_id, export_file, doomed_id, made.secret)


def archive_the_project(engine: Engine, world: object) -> None:
    """For unarchiving: the project is archived first."""
    with engine.begin() as conn:
        admin_projects.archive(conn, None, "prefs", utcnow())


def deactivate_a_former_member(engine: Engine, world: object) -> None:
    """For reactivating: ``former``, an annotator of the project, was deactivated."""
    with engine.connect() as conn:
        project = get_project(conn, "prefs")
    make_user(engine, "former", project=project, roles=("annotator",))
    with engine.begin() as conn:
        deactivation.deactivate(conn, None, "former", utcnow())


def add_an_ai_judge(engine: Engine, world: object) -> None:
    """For suspect labels: the project has an AI judge, ``judge-1`` (it judged nothing yet)."""
    from accord.core.judging import ai_judges

    with engine.begin() as conn:
        ai_judges.ensure_judge(conn, get_project(conn, "prefs"), "judge-1",
                               {"model": "m", "backend": "test"})
