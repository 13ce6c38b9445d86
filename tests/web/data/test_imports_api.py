"""``POST /api/v1/projects/{project}/imports``: a file streamed to disk, imported by a job
with the rules and counts of ``accord import``."""

from __future__ import annotations

import gzip
import io
from datetime import timedelta

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import insert, select

from accord.core.importing import import_file
from accord.core.importing.jobs import ImportOptions
from accord.db.tables import audit_events, data_jobs
from accord.db.types import utcnow
from accord.settings import Settings
from accord.web.app import create_app
from tests.core.import_helpers import comparison, row_counts
from tests.factories import make_project, make_user
from tests.web.conftest import bearer
from tests.web.data.conftest import settled

IMPORTS = "/api/v1/projects/prefs/imports"


def _jsonl(rows: list[dict]) -> bytes:
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


def _lead(engine):
    project = make_project(engine, "prefs")
    return project, bearer(make_user(engine, "lead", project=project, roles=("manager",)).token)


def _upload(api, headers, body, **params):
    return api.post(IMPORTS, content=body, headers=headers, params=params)


def test_a_large_upload_streams_to_disk_and_imports_with_the_counts_of_the_cli(
        data_api, engine, tmp_path, uploads):
    _, lead = _lead(engine)
    copy = make_project(engine, "copy")
    items = [comparison(f"q-{n}") for n in range(20_000)]
    body = _jsonl(items)

    def chunks():  # a streamed request body: the server never sees it whole
        for start in range(0, len(body), 1 << 16):
            yield body[start:start + (1 << 16)]

    answer = data_api.post(IMPORTS, content=chunks(), headers=lead,
                           params={"file_name": "items.jsonl"})

    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] in ("queued", "checking", "importing", "done")
    job = settled(data_api, f"{IMPORTS}/{answer.json()['id']}", lead)
    assert job["status"] == "done", job
    file = tmp_path / "items.jsonl"
    file.write_bytes(body)
    cli = import_file(engine, copy, file)
    assert job["report"]["new"] == cli.new == 20_000
    assert job["report"]["summary"] == cli.summary() == "20000 new, 0 unchanged"
    assert job["progress"]["items_written"] == 20_000
    assert job["progress"]["done"] == job["progress"]["total"] == len(body)
    assert job["file_bytes"] == len(body) and job["file_name"] == "items.jsonl"
    assert list(uploads.iterdir()) == [], "the upload is removed when its job ends"

    again = settled(data_api, f"{IMPORTS}/{_upload(data_api, lead, body).json()['id']}", lead)
    assert again["report"]["summary"] == "0 new, 20000 unchanged"
    assert row_counts(engine)["tasks"] == 40_000  # prefs and copy, nothing twice


def test_gzip_and_parquet_files_import_like_jsonl(data_api, engine):
    _, lead = _lead(engine)
    compressed = gzip.compress(_jsonl([comparison("g-1"), comparison("g-2")]))
    table = pa.Table.from_pylist([{"prompt": "Say hi", "chosen": "Hi!", "rejected": "No."},
                                  {"prompt": "Add 2+2", "chosen": "4", "rejected": "5"}])
    parquet = io.BytesIO()
    pq.write_table(table, parquet)

    zipped = _upload(data_api, lead, compressed, file_name="items.jsonl.gz")
    form = data_api.post(IMPORTS, headers=lead, params={"labelled": "true"},
                         files={"file": ("trl.parquet", parquet.getvalue(),
                                         "application/vnd.apache.parquet")})

    assert zipped.status_code == form.status_code == 202, (zipped.text, form.text)
    first = settled(data_api, f"{IMPORTS}/{zipped.json()['id']}", lead)
    second = settled(data_api, f"{IMPORTS}/{form.json()['id']}", lead)
    assert first["report"]["new"] == 2, first
    assert second["status"] == "done", second
    assert second["file_name"] == "trl.parquet" and second["progress"]["unit"] == "rows"
    assert (second["report"]["new"], second["report"]["annotations_new"]) == (2, 2)


def test_invalid_lines_are_numbered_and_nothing_is_imported_unless_skipped(data_api, engine):
    _, lead = _lead(engine)
    body = _jsonl([comparison("q-1")]) + b"{oops\n" + _jsonl([comparison("q-1")]) + b"[1]\n"

    rejected = settled(data_api, f"{IMPORTS}/{_upload(data_api, lead, body).json()['id']}", lead)

    assert rejected["status"] == "failed"
    assert rejected["failure"] == "3 invalid lines; nothing imported:"
    assert rejected["error_total"] == 3
    assert [(e["unit"], e["number"]) for e in rejected["errors"]] == [
        ("line", 2), ("line", 3), ("line", 4)]
    assert "already used on line 1" in rejected["errors"][1]["reason"]
    assert row_counts(engine)["tasks"] == 0

    skipped = settled(data_api, f"{IMPORTS}/" + str(_upload(
        data_api, lead, body, skip_invalid="true").json()["id"]), lead)
    assert skipped["status"] == "done"
    assert (skipped["report"]["new"], skipped["report"]["invalid"]) == (1, 3)
    assert row_counts(engine)["tasks"] == 1


def test_the_first_thousand_errors_are_kept_and_all_counted(data_api, engine):
    _, lead = _lead(engine)
    body = b"[1]\n" * 1500

    job = settled(data_api, f"{IMPORTS}/{_upload(data_api, lead, body).json()['id']}", lead)

    assert job["error_total"] == 1500
    assert [e["number"] for e in job["errors"]] == list(range(1, 1001))


def test_the_same_idempotency_key_answers_the_same_job_and_imports_once(data_api, engine):
    _, lead = _lead(engine)
    body = _jsonl([comparison("q-1")])
    key = {**lead, "Idempotency-Key": "upload-2025-01-31"}

    first = data_api.post(IMPORTS, content=body, headers=key)
    data_api.app.state.jobs.drain()  # type: ignore[attr-defined]
    second = data_api.post(IMPORTS, content=body, headers=key)

    assert first.status_code == second.status_code == 202
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["status"] == "done"
    listed = data_api.get(IMPORTS, headers=lead).json()
    assert [job["id"] for job in listed["items"]] == [first.json()["id"]]
    assert listed["next"] is None


def test_import_jobs_page_newest_first_with_limit_and_after(data_api, engine):
    _, lead = _lead(engine)
    made = [data_api.post(IMPORTS, content=_jsonl([comparison(f"q-{n}")]),
                          headers=lead).json()["id"] for n in range(5)]

    seen, cursors, after = [], [], None
    while True:
        page = data_api.get(IMPORTS, headers=lead,
                            params={"limit": 2, **({"after": after} if after else {})}).json()
        seen += [job["id"] for job in page["items"]]
        cursors.append(page["next"])
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == sorted(made, reverse=True)
    assert cursors == [str(seen[1]), str(seen[3]), None]

    wrong = data_api.get(IMPORTS, headers=lead, params={"after": "q-1"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["message"] == (
        "after: 'q-1' is not a cursor of the import jobs of \"prefs\" (pass the `next` of "
        "the previous page)")
    assert data_api.get(IMPORTS, headers=lead, params={"limit": 101}).status_code == 422


def test_a_job_interrupted_by_a_stopped_server_is_failed_with_what_to_do(
        db_url, engine, uploads):
    project, lead = _lead(engine)
    left = uploads / "upload-cafe"
    left.mkdir(parents=True)
    (left / "items.jsonl").write_bytes(_jsonl([comparison("q-1")]))
    stopped = utcnow() - timedelta(minutes=10)
    with engine.begin() as conn:
        job_id = conn.execute(insert(data_jobs).values(
            project_id=project.id, kind="import", status="importing",
            options=ImportOptions().as_dict(),
            file_name="items.jsonl", work_dir=str(left), created_at=stopped,
            started_at=stopped, heartbeat_at=stopped).returning(data_jobs.c.id)).scalar_one()

    app = create_app(Settings(database_url=db_url, upload_dir=str(uploads)))
    from fastapi.testclient import TestClient
    with TestClient(app, base_url="http://accord.test") as api:
        job = api.get(f"{IMPORTS}/{job_id}", headers=lead).json()

    assert job["status"] == "failed"
    assert "upload the file again" in job["failure"]
    assert "fills only what is missing" in job["failure"]
    assert not left.exists()


def test_an_upload_over_the_limit_is_refused_with_413_and_nothing_kept(
        db_url, engine, uploads):
    _, lead = _lead(engine)
    from fastapi.testclient import TestClient
    app = create_app(Settings(database_url=db_url, upload_dir=str(uploads),
                              upload_max_bytes=1000))
    body = _jsonl([comparison(f"q-{n}") for n in range(50)])
    with TestClient(app, base_url="http://accord.test") as api:
        declared = api.post(IMPORTS, content=body, headers=lead)
        streamed = api.post(IMPORTS, content=iter([body[:800], body[800:]]), headers=lead)
        listed = api.get(IMPORTS, headers=lead).json()

    for answer in (declared, streamed):
        assert answer.status_code == 413, answer.text
        assert answer.json()["error"]["code"] == "too_large"
        assert "1,000 bytes" in answer.json()["error"]["message"]
    assert listed == {"items": [], "next": None} and list(uploads.iterdir()) == []


def test_only_managers_and_admins_import(data_api, engine):
    project, lead = _lead(engine)
    make_project(engine, "other")
    body = _jsonl([comparison("q-1")])
    reviewer = make_user(engine, "rev", project=project, roles=("reviewer",)).token
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).token
    admin = make_user(engine, "root", is_admin=True).token

    assert data_api.post(IMPORTS, content=body).status_code == 401
    assert _upload(data_api, bearer(annotator), body).status_code == 403
    assert _upload(data_api, bearer(reviewer), body).status_code == 403
    assert data_api.get(IMPORTS, headers=bearer(reviewer)).status_code == 403
    assert data_api.post("/api/v1/projects/other/imports", content=body,
                         headers=lead).status_code == 404
    assert row_counts(engine)["tasks"] == 0
    assert _upload(data_api, bearer(admin), body).status_code == 202


def test_options_that_do_not_go_together_are_refused_before_the_upload(data_api, engine):
    _, lead = _lead(engine)
    answer = _upload(data_api, lead, b"{}\n", update="true", labelled="true")
    unknown = _upload(data_api, lead, b"{}\n", format="csv")
    assert answer.status_code == unknown.status_code == 422
    assert "--update" in answer.json()["error"]["message"]
    assert "csv" in unknown.json()["error"]["message"]


def test_each_import_leaves_an_audit_event(data_api, engine):
    _, lead = _lead(engine)
    settled(data_api, f"{IMPORTS}/" + str(_upload(
        data_api, lead, _jsonl([comparison("q-1")])).json()["id"]), lead)
    with engine.connect() as conn:
        events = list(conn.execute(select(audit_events.c.action, audit_events.c.details)))
    assert [(e.action, e.details["summary"]) for e in events] == [
        ("import.done", "1 new, 0 unchanged")]
