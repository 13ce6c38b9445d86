"""Export jobs' files are kept for ``ACCORD_EXPORT_RETENTION_DAYS``, then the job runner
deletes them and the job reads ``expired``; a job may be deleted earlier with ``DELETE``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accord.db.tables import audit_events, data_jobs
from accord.db.types import utcnow
from accord.settings import SettingError, Settings, export_retention, load_settings
from tests.exports.conftest import build_world
from tests.factories import make_user
from tests.web.conftest import bearer
from tests.web.data.conftest import settled
from tests.web.routing_helpers import use_clock

JOBS = "/api/v1/projects/prefs/exports/jobs"


@pytest.fixture
def lead(engine):
    world = build_world(engine)
    return bearer(make_user(engine, "boss", project=world.prefs, roles=("manager",)).token)


def _finished_job(data_api, headers) -> dict:
    made = data_api.post("/api/v1/projects/prefs/exports", headers=headers,
                         json={"format": "preference"})
    assert made.status_code == 202, made.text
    job = settled(data_api, f"{JOBS}/{made.json()['id']}", headers)
    assert job["status"] == "done", job
    return job


def _folder(engine, job_id: int) -> Path:
    with engine.connect() as conn:
        found = conn.execute(select(data_jobs.c.work_dir)
                             .where(data_jobs.c.id == job_id)).scalar_one()
    return Path(found)


def test_an_export_past_its_retention_is_deleted_and_reads_expired(data_api, engine, lead):
    job = _finished_job(data_api, lead)
    folder = _folder(engine, job["id"])
    assert any(folder.iterdir())
    runner = data_api.app.state.jobs  # type: ignore[attr-defined]
    assert runner.expire_exports(utcnow() + timedelta(days=6)) == []
    assert runner.expire_exports(utcnow() + timedelta(days=7, minutes=1)) == [str(folder)]
    assert not folder.exists()
    use_clock(data_api, utcnow() + timedelta(days=7, minutes=1))
    read = data_api.get(f"{JOBS}/{job['id']}", headers=lead).json()
    assert read["status"] == "expired"
    assert [f["name"] for f in read["files"]] == [f["name"] for f in job["files"]]
    listed = data_api.get(JOBS, headers=lead).json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert [j["status"] for j in rows] == ["expired"]
    gone = data_api.get(job["files"][0]["url"], headers=lead)
    assert gone.status_code == 404
    error = gone.json()["error"]
    assert error["code"] == "export_expired" and "7 days" in error["message"], error
    with engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.action)).scalars().all()
    assert "export.expired" in actions


def test_a_file_is_never_served_past_its_retention_even_before_the_sweep(
        data_api, engine, lead):
    job = _finished_job(data_api, lead)
    assert data_api.get(job["files"][0]["url"], headers=lead).status_code == 200
    use_clock(data_api, utcnow() + timedelta(days=8))
    late = data_api.get(job["files"][0]["url"], headers=lead)
    assert late.status_code == 404 and late.json()["error"]["code"] == "export_expired"
    assert _folder(engine, job["id"]).exists()  # the runner deletes it on its next sweep


def test_deleting_an_export_job_removes_its_row_and_files(data_api, engine, lead):
    job = _finished_job(data_api, lead)
    folder = _folder(engine, job["id"])
    deleted = data_api.delete(f"{JOBS}/{job['id']}", headers=lead)
    assert deleted.status_code == 204, deleted.text
    assert not folder.exists()
    assert data_api.get(f"{JOBS}/{job['id']}", headers=lead).status_code == 404
    assert data_api.get(job["files"][0]["url"], headers=lead).status_code == 404
    again = data_api.delete(f"{JOBS}/{job['id']}", headers=lead)
    assert again.status_code == 404
    assert f"export job {job['id']}" in again.json()["error"]["message"]
    with engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.action)).scalars().all()
    assert "export.deleted" in actions


def test_an_export_job_being_written_cannot_be_deleted(data_api, engine, lead):
    job = _finished_job(data_api, lead)
    with engine.begin() as conn:
        conn.execute(data_jobs.update().where(data_jobs.c.id == job["id"]).values(
            status="exporting", heartbeat_at=utcnow()))
    refused = data_api.delete(f"{JOBS}/{job['id']}", headers=lead)
    assert refused.status_code == 409 and "being written" in refused.json()["error"]["message"]
    assert _folder(engine, job["id"]).exists()


def test_the_retention_is_read_in_days_and_must_be_positive():
    assert export_retention(load_settings({"ACCORD_EXPORT_RETENTION_DAYS": "0.5"})) == \
        timedelta(hours=12)
    assert export_retention(Settings()) == timedelta(days=7)
    for wrong in ("0", "-7"):
        with pytest.raises(SettingError, match="ACCORD_EXPORT_RETENTION_DAYS"):
            export_retention(load_settings({"ACCORD_EXPORT_RETENTION_DAYS": wrong}))
    with pytest.raises(SettingError, match="must be a number"):
        load_settings({"ACCORD_EXPORT_RETENTION_DAYS": "a week"})
