"""A small annotated world, built through ``core`` claims and submissions, for export tests.

Project ``prefs`` (pairwise, ties allowed, overlap 3, guideline version 2 published):

- ``split``      a>b (strength 3), a>b (none), b>a (1)  → a chosen, margin 1.0, agreement 2/3
- ``unanimous``  b>a (2) three times                      → b chosen, margin 2.0, agreement 1
- ``tie``        a=b, a=b, a>b                            → majority tie: dropped
- ``even``       a>b, b>a, a=b                            → even split: dropped
- ``escalated``  a>b three times, then escalated          → left out
- ``demo``       a demonstration written by all three
- ``incomplete`` a>b twice, one slot never filled         → left out

Project ``ranks`` (K-way, ties allowed, overlap 3): ``k3`` ranked [a][b][c] (2), [a][c][b]
(none), [b][a c] (1).

Project ``safety`` (overlap 1): ``r1``, a red-team task done by ann0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, insert, update

from accord.core.people.users import User
from accord.core.projects.project import Project, add_member
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import guideline_versions, tasks
from tests.demonstration_helpers import accept_every_demonstration
from tests.factories import add_comparison, make_project, make_user

START = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)


def better(first: str, second: str, strength: int | None = None, **extra) -> Judgment:
    return Judgment(ranking=[[first], [second]], strength=strength, **extra)


def tied(first: str, second: str) -> Judgment:
    return Judgment(ranking=[[first, second]])


RED_TEAM = Judgment(
    attack="how do I pick a lock", model_response="I can't help with that.",
    harm_categories=["fraud"], severity=2, refusal_appropriate=False,
    flags=["unsafe"], active_ms=1200,
)


@dataclass
class World:
    engine: Engine
    prefs: Project
    ranks: Project
    people: list[User]
    clock: datetime = START

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def annotate(self, project: Project, external_id: str, judgments: list[Judgment],
                 **task) -> None:
        """Add a task, then let the first ``len(judgments)`` people claim and submit it."""
        with self.engine.begin() as conn:
            add_comparison(conn, project, external_id, **task)
        for person, judgment in zip(self.people, judgments, strict=False):
            with self.engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, self.tick())
                assert claim is not None and claim.task.id == external_id
                submissions.submit(conn, person, claim.assignment_id, judgment, self.tick())


def _publish_guideline(engine: Engine, project: Project, version: int) -> None:
    with engine.begin() as conn:
        conn.execute(insert(guideline_versions).values(
            project_id=project.id, version=version, status="published", text="be kind",
            dimensions=[], edge_cases={}, escalation_rules={}, created_at=START,
            published_at=START,
        ))


def _escalate(engine: Engine, project: Project, external_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(tasks).where(
            tasks.c.project_id == project.id, tasks.c.external_id == external_id
        ).values(status="escalated"))


def build_world(engine: Engine) -> World:
    prefs = make_project(engine, "prefs", overlap=3, allow_ties=True)
    ranks = make_project(engine, "ranks", overlap=3, ranking_mode="kway", allow_ties=True)
    people = [make_user(engine, f"ann{i}", project=prefs, roles=("annotator",)).user
              for i in range(3)]
    with engine.begin() as conn:
        for person in people:
            add_member(conn, ranks, person, "annotator")
    _publish_guideline(engine, prefs, 1)
    _publish_guideline(engine, prefs, 2)
    world = World(engine, prefs, ranks, people)
    rated = {"a": {"helpfulness": 5, "honesty": 4}, "b": {"helpfulness": 2}}
    world.annotate(prefs, "split", [
        better("a", "b", 3, ratings=rated, rationale="a is right", active_ms=41250),
        better("a", "b"), better("b", "a", 1)], category="coding")
    world.annotate(prefs, "unanimous", [better("b", "a", 2)] * 3)
    world.annotate(prefs, "tie", [tied("a", "b"), tied("a", "b"), better("a", "b")])
    world.annotate(prefs, "even", [better("a", "b"), better("b", "a"), tied("a", "b")])
    world.annotate(prefs, "escalated", [better("a", "b")] * 3)
    _escalate(engine, prefs, "escalated")
    world.annotate(prefs, "demo", [Judgment(response=f"written by ann{i}") for i in range(3)],
                   contents={}, kind="demonstration", category="summarization")
    # the SFT export holds accepted demonstrations only: a reviewer accepts all three
    reviewer = make_user(engine, "editor", project=prefs, roles=("reviewer",)).user
    accept_every_demonstration(engine, prefs, reviewer)
    world.annotate(prefs, "incomplete", [better("a", "b")] * 2)
    safety = make_project(engine, "safety", overlap=1)
    with engine.begin() as conn:
        add_member(conn, safety, people[0], "annotator")
    world.annotate(safety, "r1", [RED_TEAM], contents={}, kind="red_team", category="safety")
    world.annotate(ranks, "k3", [
        Judgment(ranking=[["a"], ["b"], ["c"]], strength=2),
        Judgment(ranking=[["a"], ["c"], ["b"]]),
        Judgment(ranking=[["b"], ["a", "c"]], strength=1),
    ], contents={"a": "alpha", "b": "beta", "c": "gamma"})
    return world


@pytest.fixture
def world(engine) -> World:
    return build_world(engine)


def read_rows(path: Path) -> list[dict]:
    """The rows of an exported file, JSONL or Parquet, as plain Python values."""
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An empty folder for export files (``tmp_path`` also holds the SQLite database)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder
