"""``AsyncClient`` works through the tour's steps with ``asyncio.run``: the same answers,
the loop as ``async for``, the audit trail paged."""

from __future__ import annotations

import asyncio

from accord.client import AsyncClient, NotFound
from accord.demo.seed import PROJECT


async def _judge_everything(base: str, token: str) -> tuple[int, int]:
    judged = skipped = 0
    async with AsyncClient(base, token) as judge:
        async for task in judge.tasks(PROJECT):
            if task.task.kind == "comparison":
                ranking = [[r.id] for r in reversed(task.task.responses)]
                stored = await judge.submit(task, ranking=ranking, rationale="async judge")
                assert stored.task_id == task.task.id
                judged += 1
            else:
                await judge.skip(task, reason="outside_expertise")
                skipped += 1
    return judged, skipped


async def _overview(base: str, token: str):
    async with AsyncClient(base, token) as manager:
        me = await manager.me()
        projects = await manager.projects.list()
        progress = await manager.projects.progress(PROJECT)
        report = await manager.report(PROJECT, include_ai=True)
        digest = await manager.digest(PROJECT)
        trail = [event.action async for event in manager.audit(PROJECT, page_size=1)]
        guideline = (await manager.guidelines.list(PROJECT))[0]
        html = await manager.markdown("*untrusted* <script>x</script>")
        try:
            await manager.projects.get("absent")
        except NotFound as error:
            missing = error.message
        return me, projects, progress, report, digest, trail, guideline, html, missing


def test_the_async_client_works_through_the_loop_and_reads_the_results(live_demo):
    judged, skipped = asyncio.run(_judge_everything(live_demo.base, live_demo.tokens["judge-1"]))
    assert judged > 0 and skipped > 0

    (me, projects, progress, report, digest, trail, guideline, html,
     missing) = asyncio.run(_overview(live_demo.base, live_demo.tokens["admin"]))
    assert me.name == "admin" and [p.name for p in projects] == [PROJECT]
    assert progress.annotations == judged
    assert report.counts.ai_annotations == judged == report.counts.annotations
    assert digest.entries == []
    assert trail == ["guideline.published"]
    assert guideline.status == "published" and guideline.version == 1
    assert "<em>untrusted</em>" in html and "<script>" not in html
    assert missing == 'project "absent" does not exist'
