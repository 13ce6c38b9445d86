"""Many annotators at once against real servers: nothing lost, nothing counted twice.

50 annotator clients work 1,000 items with overlap 3 until each is told that nothing is
left. On PostgreSQL two server processes share the database; on SQLite one process holds
the single writer connection. Afterwards every item must hold exactly 3 annotations from 3
distinct annotators, no one may have seen an item twice, every acknowledged submission must
be stored (and nothing else), and no answer may have been a 5xx.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import func, select

from accord.db.tables import annotations, assignments, pairwise_outcomes, tasks
from tests.factories import add_comparisons, make_project, make_user
from tests.live import running_servers

ITEMS = 1_000
ANNOTATORS = 50
OVERLAP = 3

pytestmark = pytest.mark.slow


@dataclass
class Tally:
    acknowledged: list[int] = field(default_factory=list)  # annotation ids answered 200
    seen: Counter = field(default_factory=Counter)  # (annotator, task id) → times shown
    statuses: Counter = field(default_factory=Counter)


async def annotate_until_done(client: httpx.AsyncClient, name: str, token: str, tally: Tally):
    headers = {"Authorization": f"Bearer {token}"}
    while True:
        claim = await client.get("/api/v1/projects/load/tasks/next", headers=headers)
        tally.statuses[claim.status_code] += 1
        if claim.status_code == 204:
            return
        assert claim.status_code == 200, claim.text
        body = claim.json()
        tally.seen[(name, body["task"]["id"])] += 1
        shown = [r["id"] for r in body["task"]["responses"]]
        answer = await client.post(
            f"/api/v1/assignments/{body['assignment_id']}/submit",
            json={"ranking": [[shown[0]], [shown[1]]], "strength": 1, "active_ms": 1000},
            headers=headers,
        )
        tally.statuses[answer.status_code] += 1
        assert answer.status_code == 200, answer.text
        tally.acknowledged.append(answer.json()["annotation_id"])


async def run_annotators(bases: list[str], people: list[tuple[str, str]]) -> Tally:
    tally = Tally()
    # Clients drop idle connections well before the server would, so no request races a close.
    limits = httpx.Limits(max_connections=ANNOTATORS, keepalive_expiry=5)
    clients = [httpx.AsyncClient(base_url=b, timeout=60, limits=limits) for b in bases]
    try:
        rotation = itertools.cycle(clients)
        await asyncio.gather(
            *(annotate_until_done(next(rotation), name, token, tally) for name, token in people)
        )
    finally:
        for client in clients:
            await client.aclose()
    return tally


def test_fifty_annotators_fill_every_item_exactly(engine, db_url):
    project = make_project(engine, "load", overlap=OVERLAP)
    add_comparisons(engine, project, ITEMS)
    people = [
        (f"a{i}", make_user(engine, f"a{i}", project=project, roles=("annotator",)).token)
        for i in range(ANNOTATORS)
    ]
    servers = 2 if db_url.startswith("postgresql") else 1
    with running_servers(db_url, servers) as bases:
        tally = asyncio.run(run_annotators(bases, people))

    assert not [s for s in tally.statuses if s >= 500]
    assert max(tally.seen.values()) == 1, "someone was shown the same item twice"
    with engine.connect() as conn:
        stored = sorted(conn.execute(select(annotations.c.id)).scalars())
        per_task = conn.execute(
            select(
                annotations.c.task_id,
                func.count(),
                func.count(annotations.c.annotator_id.distinct()),
            ).group_by(annotations.c.task_id)
        ).all()
        statuses = Counter(conn.execute(select(tasks.c.status)).scalars())
        pairs = conn.execute(select(func.count()).select_from(pairwise_outcomes)).scalar_one()
        open_leases = conn.execute(
            select(func.count()).select_from(assignments).where(assignments.c.status == "active")
        ).scalar_one()
    assert sorted(tally.acknowledged) == stored
    assert len(stored) == ITEMS * OVERLAP
    assert len(per_task) == ITEMS
    assert all(n == OVERLAP and distinct == OVERLAP for _, n, distinct in per_task)
    assert statuses == {"complete": ITEMS}
    assert pairs == ITEMS * OVERLAP
    assert open_leases == 0
