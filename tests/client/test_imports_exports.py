"""Uploads and exports through the SDK against a live server: a lost answer is retried with
the same ``Idempotency-Key`` and imports once; bad sources are refused before anything is
sent; the async client uploads, waits and reads an export as the sync one does."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from accord.client import AsyncClient, Client, RetryPolicy
from accord.db.tables import data_jobs, projects, tasks
from accord.demo.seed import PROJECT
from tests.client.dropping_proxy import dropping_proxy

FAST_RETRIES = RetryPolicy(attempts=4, base_delay=0.01)


def _items(path, count: int, prefix: str = "up"):
    with path.open("w", encoding="utf-8") as file:
        for n in range(count):
            file.write(json.dumps({
                "id": f"{prefix}-{n}", "category": "qa",
                "messages": [{"role": "user", "content": f"Question {prefix} {n}?"}],
                "responses": [{"id": "a", "content": "Yes."},
                              {"id": "b", "content": "No, because of the reason."}]}) + "\n")
    return path


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def _demo_tasks(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tasks).join(
            projects, projects.c.id == tasks.c.project_id)
            .where(projects.c.name == PROJECT)).scalar_one()


def test_an_upload_whose_answer_is_lost_is_sent_again_with_its_key_and_imports_once(
        live_demo, tmp_path):
    items = _items(tmp_path / "lost.jsonl", 4)
    before = _demo_tasks(live_demo.engine)
    with dropping_proxy(live_demo.base) as (base, seen), \
            Client(base, live_demo.tokens["admin"], retry=FAST_RETRIES) as client:
        job = client.imports.upload(PROJECT, items)
        done = job.wait(timeout=120)
    assert seen.dropped == 1, "the first answer was lost on the way back"
    assert len(seen.keys) >= 2 and seen.keys[0] == seen.keys[1]
    assert done.status == "done" and done.report is not None and done.report.new == 4
    assert done.idempotency_key == seen.keys[0]
    assert _demo_tasks(live_demo.engine) == before + 4
    assert _count(live_demo.engine, data_jobs, data_jobs.c.file_name == "lost.jsonl") == 1


def test_the_async_client_sends_a_lost_upload_again_with_its_key_and_imports_once(
        live_demo, tmp_path):
    items = _items(tmp_path / "lost-async.jsonl", 3, prefix="la")
    before = _demo_tasks(live_demo.engine)

    async def run():
        async with AsyncClient(base, live_demo.tokens["admin"], retry=FAST_RETRIES) as client:
            return await (await client.imports.upload(PROJECT, items)).wait(timeout=120)

    with dropping_proxy(live_demo.base) as (base, seen):
        done = asyncio.run(run())
    assert seen.dropped == 1, "the first answer was lost on the way back"
    assert len(seen.keys) >= 2 and seen.keys[0] == seen.keys[1]
    assert done.status == "done" and done.report is not None and done.report.new == 3
    assert _demo_tasks(live_demo.engine) == before + 3
    assert _count(live_demo.engine, data_jobs, data_jobs.c.file_name == "lost-async.jsonl") == 1


def test_each_upload_call_has_its_own_key_and_rows_upload_as_jsonl(live_demo, tmp_path):
    rows = ({"id": f"row-{n}", "prompt": f"Say {n}.", "chosen": f"{n}, said clearly.",
             "rejected": f"{n}"} for n in range(3))
    with Client(live_demo.base, live_demo.tokens["admin"]) as client:
        first = client.imports.upload(PROJECT, rows).wait(timeout=120)
        again = client.imports.upload(PROJECT, _items(tmp_path / "a.jsonl", 2)).wait(120)
        listed = list(client.imports.list(PROJECT, page_size=1))
    assert first.file_name == "rows.jsonl" and first.report and first.report.new == 3
    assert first.idempotency_key != again.idempotency_key
    assert [job.id for job in listed] == [again.id, first.id]
    assert listed[0].wait(timeout=1).status == "done", "a listed job is a handle too"


@pytest.mark.parametrize(("source", "options", "error", "message"), [
    ("missing.jsonl", {}, FileNotFoundError, "is not a file"),
    (b"raw bytes", {}, TypeError, "not bytes"),
    ([{"id": "x"}, "not a dict"], {}, TypeError, "row 2 of the rows to upload is a str"),
    ([{"id": {1, 2}}], {}, ValueError, "row 1 of the rows to upload cannot be written"),
    ([{"id": "x"}], {"skip": True}, TypeError, "unknown options skip"),
])
def test_a_bad_source_or_option_is_refused_before_anything_is_sent(
        live_demo, tmp_path, monkeypatch, source, options, error, message):
    monkeypatch.chdir(tmp_path)
    with Client(live_demo.base, live_demo.tokens["admin"]) as client, \
            pytest.raises(error, match=message):
        client.imports.upload(PROJECT, source, **options)
    assert _count(live_demo.engine, data_jobs) == 0


def test_the_async_client_uploads_waits_and_streams_an_export(live_demo, tmp_path):
    items = _items(tmp_path / "async.jsonl", 3, prefix="as")

    async def run():
        async with AsyncClient(live_demo.base, live_demo.tokens["admin"]) as client:
            job = await (await client.imports.upload(PROJECT, items)).wait(timeout=120)
            download = client.exports.download(PROJECT, format="prompts")
            rows = [row async for row in download.rows()]
            path = await download.to_path(tmp_path)
            jobs = [j.id async for j in client.imports.list(PROJECT)]
            return job, rows, path, jobs

    job, rows, path, jobs = asyncio.run(run())
    assert job.report is not None and job.report.new == 3 and jobs == [job.id]
    assert path == tmp_path / f"{PROJECT}.prompts.jsonl"
    assert [json.loads(line) for line in path.read_text().splitlines()] == rows
    assert len(rows) >= 3
