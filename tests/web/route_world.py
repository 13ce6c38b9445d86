"""A realistic project in which every route has something real to act on, one person of each
kind of actor, and a snapshot of every table to prove that a refused request changed nothing.

The project ``prefs`` holds a split task waiting for adjudication, an escalated (unsafe) task,
a published guideline with a draft after it, an AI judge, a finished calibration round, an
active assignment of its annotator, finished import and export jobs and an open invite;
``other`` is a second project whose annotator is the outsider. Built once through ``core``
(the same rules the app runs), then restored from its snapshot whenever a request was
allowed to change it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from accord.core.demonstrations import lifecycle, rubric
from accord.core.guidelines import drafts
from accord.core.judging import ai_judges
from accord.core.people import sessions, users
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.core.work.rules import update_rules
from accord.db.tables import escalations, metadata
from accord.db.types import utcnow
from tests.demonstration_helpers import stored_demonstration
from tests.factories import add_comparison, import_lines, make_project, make_user, publish_guideline
from tests.review_helpers import annotate, split_task
from tests.web.route_world_jobs import Jobs, build_jobs
from tests.web.routing_helpers import item

ANONYMOUS = "anonymous"
ANNOTATOR = "annotator"
OUTSIDER = "outsider"
REVIEWER = "reviewer"
SAFETY = "safety"
MANAGER = "manager"
ADMIN = "admin"
NO_PROJECT = "no_project"
ACTORS = (ANONYMOUS, ANNOTATOR, OUTSIDER, REVIEWER, SAFETY, MANAGER, ADMIN, NO_PROJECT)
"""Every kind of caller, in the order of the route table's columns."""

PROJECT = "prefs"
JUDGE = "judge-1"
REFERENCE = [["a"], ["b"]]

Dump = dict[str, list[tuple]]


@dataclass
class Credentials:
    token: str
    cookie: str


@dataclass
class World:
    """What the routes' path parameters name, and each actor's credentials."""

    assignment_id: int
    calibration_assignment_id: int
    split_task: str
    escalation_id: int
    draft_version: int
    published_version: int
    jobs: Jobs
    demonstration_id: int
    people: dict[str, Credentials] = field(default_factory=dict)

    def path_values(self) -> dict[str, str]:
        """A valid value for each path parameter name of the app's routes."""
        return {
            "project": PROJECT, "assignment_id": str(self.assignment_id),
            "task_id": self.split_task, "escalation_id": str(self.escalation_id),
            "version": str(self.draft_version), "judge": JUDGE,
            "calibration_assignment_id": str(self.calibration_assignment_id),
            "user": "ann", "former_user": "former", "format": "preference",
            "secret": self.jobs.invite_secret,
            "job_id": str(self.jobs.import_job_id),
            "import_job_id": str(self.jobs.import_job_id),
            "export_job_id": str(self.jobs.export_job_id),
            "doomed_export_job_id": str(self.jobs.doomed_export_job_id),
            "name": self.jobs.export_file,
            "demonstration_id": str(self.demonstration_id),
        }


def _people(engine: Engine, prefs, other) -> dict[str, Credentials]:
    made = {
        ANNOTATOR: make_user(engine, "ann", project=prefs, roles=("annotator",), password="pw"),
        OUTSIDER: make_user(engine, "stranger", project=other, roles=("annotator",)),
        REVIEWER: make_user(engine, "rev", project=prefs, roles=("reviewer",)),
        SAFETY: make_user(engine, "safe", project=prefs, roles=("safety_specialist",)),
        MANAGER: make_user(engine, "lead", project=prefs, roles=("manager",)),
        ADMIN: make_user(engine, "root", is_admin=True),
        NO_PROJECT: make_user(engine, "nobody"),
    }
    people = {}
    with engine.begin() as conn:
        for actor, new in made.items():
            cookie = sessions.start_session(conn, new.user, utcnow()).token
            people[actor] = Credentials(new.token, cookie)
    return people


def _escalation(engine: Engine, prefs) -> int:
    with engine.begin() as conn:
        add_comparison(conn, prefs, "risky-1", contents={"a": "how to pick a lock", "b": "no"})
    annotate(engine, prefs, {"flagger": [["b"], ["a"]]}, flags={"flagger": ["unsafe"]})
    with engine.connect() as conn:
        return conn.execute(select(escalations.c.id)).scalar_one()


def _calibrated_annotator(engine: Engine, prefs) -> tuple[int, int]:
    """The annotator passes a one-task calibration round, then holds a production task:
    returns (the calibration assignment, the active one)."""
    import_lines(engine, prefs, item("c-0", gold=REFERENCE, explanation="a answers", priority=9),
                 item("p-0"), item("p-1"))
    with engine.begin() as conn:
        update_rules(conn, PROJECT,
                     changes={"calibration": {"tasks": 1, "pass_threshold": 0.5}})
    with engine.connect() as conn:
        ann = users.get_user(conn, "ann")
    now = utcnow() - timedelta(minutes=2)  # the answer takes a minute, as a person's would
    with engine.begin() as conn:
        gold = claims.next_task(conn, ann, PROJECT, now, random.Random(1))
        assert isinstance(gold, claims.Claim) and gold.calibration is not None
        submissions.submit(conn, ann, gold.assignment_id, Judgment(
            ranking=REFERENCE, strength=2, ratings={}, rationale="", flags=[], active_ms=9000),
            now + timedelta(minutes=1))
    with engine.begin() as conn:
        active = claims.next_task(conn, ann, PROJECT, utcnow(), random.Random(2))
        assert isinstance(active, claims.Claim) and active.calibration is None, active
    return gold.assignment_id, active.assignment_id


def build_world(engine: Engine, job_folder: Path) -> World:
    prefs = make_project(engine, PROJECT)
    other = make_project(engine, "other")
    import_lines(engine, other, item("o-1"))
    published = publish_guideline(engine, prefs, "Rank the better answer first.")
    people = _people(engine, prefs, other)
    split = "split-1"
    split_task(engine, prefs, split)
    escalation_id = _escalation(engine, prefs)
    calibration_id, assignment_id = _calibrated_annotator(engine, prefs)
    with engine.begin() as conn:
        lead = users.get_user(conn, "lead")
        draft = drafts.create_draft(conn, lead, PROJECT, {"text": "A draft in progress."},
                                    utcnow())
        ai_judges.ensure_judge(conn, prefs, JUDGE, {"model": "m"})
    jobs = build_jobs(engine, PROJECT, job_folder)
    with engine.connect() as conn:
        ann = users.get_user(conn, "ann")
    demonstration_id = stored_demonstration(engine, prefs, ann, "demo-1", "A first answer.")
    return World(assignment_id, calibration_id, split, escalation_id, draft.version,
                 published, jobs, demonstration_id, people)


def send_back_the_demonstration(engine: Engine, world: World) -> None:
    """For the revision route: the reviewer sends ann's demonstration back to her."""
    with engine.begin() as conn:
        rev = users.get_user(conn, "rev")
        lifecycle.decide(conn, rev, PROJECT, world.demonstration_id, version=1,
                         decision="send_back", comment="Say more.", now=utcnow(),
                         scores={"helpfulness": 3, "honesty": 3},
                         checks=dict.fromkeys(rubric.DEFAULT_CHECKS, True))


def publish_the_draft(engine: Engine, world: World) -> None:
    """For routes that start a draft (one draft at a time) or compare published versions:
    the draft becomes version 2, published."""
    with engine.begin() as conn:
        lead = users.get_user(conn, "lead")
        drafts.publish(conn, lead, PROJECT, world.draft_version, utcnow())


def dump(engine: Engine) -> Dump:
    """Every row of every table, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))]
            for table in metadata.sorted_tables
        }


def restore(engine: Engine, snapshot: Dump) -> None:
    """Put every table back as ``snapshot`` holds it."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
        for table in metadata.sorted_tables:
            rows = snapshot[table.name]
            if rows:
                names = [column.name for column in table.columns]
                conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


SLIDING_COLUMNS = {"login_sessions": ("last_seen_at", "expires_at")}
"""Columns a signed-in request may touch whatever it asks (a session slides at most once a
minute, so a slow run sees it move): not a change the route made."""


def _without_sliding(name: str, rows: list[tuple]) -> list[tuple]:
    sliding = SLIDING_COLUMNS.get(name)
    if not sliding:
        return rows
    names = [column.name for column in metadata.tables[name].columns]
    keep = [index for index, column in enumerate(names) if column not in sliding]
    return [tuple(row[index] for index in keep) for row in rows]


CACHE_TABLES = frozenset({"report_snapshots"})
"""Tables that only keep what can be computed again (a stored report, filled by the first
view of a project's report or dashboard): filling them changes no data a route guards."""


def changed_tables(before: Dump, after: Dump) -> Iterator[str]:
    return (name for name in before if name not in CACHE_TABLES
            and _without_sliding(name, before[name]) != _without_sliding(name, after[name]))

