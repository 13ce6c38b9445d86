"""What the routing rules cost the claim: claim+submit through ``core`` on SQLite, per rule.

Each configuration runs on a fresh database of 20,000 tasks (and 500 gold tasks) with 20
annotators taking turns, each of whom has already passed calibration where it is on and
works without a pause, one task every 30 s, building up a history as the run goes (at the
default 2,000 pairs, 100 assignments each, all within the break rule's look-back: the rules
that read recent work pay their most here). Prints the CPU microseconds of this process (SQLite
runs in it) per claim+submit pair, one transaction each as the server runs them, for every
configuration: CPU time, because on a shared machine wall time measures the neighbours. The
first line is the loop with no rules, so the rest read as the price of each rule.

    python bench/routing.py [pairs]        # default 2,000 pairs per configuration and run
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from accord.core.people import users as user_rules  # noqa: E402
from accord.core.projects import project as project_rules  # noqa: E402
from accord.core.projects.mix import with_mix  # noqa: E402
from accord.core.tasks.judgments import Judgment  # noqa: E402
from accord.core.work import claims, submissions  # noqa: E402
from accord.core.work.rules import update_rules  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.db.tables import (  # noqa: E402
    calibrations,
    projects,
    prompts,
    responses,
    task_responses,
    tasks,
)

TASKS, GOLD, ANNOTATORS = 20_000, 500, 20
STEP_S = 1.5  # between pairs: each annotator claims every 30 s, never pausing
CONFIGURATIONS = {
    "no rules": ({}, 0.0),
    "gold 5 %": ({}, 0.05),
    "calibration (passed)": ({"calibration": {"tasks": 3}}, 0.0),
    "exposure": ({"exposure": {"per_day": 1000}}, 0.0),
    "breaks": ({"breaks": {"work_minutes": 90, "break_minutes": 10}}, 0.0),
    "rotation": ({"rotation": {"after": 20}}, 0.0),
    # targets against the four categories of _items, each a quarter of the tasks
    "favour under-filled": ({"favour_underfilled": True,
                             "mix": {"qa": 0.4, "coding": 0.3, "safety": 0.2}}, 0.0),
    "all rules, gold 5 %": ({"calibration": {"tasks": 3}, "exposure": {"per_day": 1000},
                             "breaks": {"work_minutes": 90, "break_minutes": 10},
                             "rotation": {"after": 20}}, 0.05),
}
JUDGMENT = Judgment(ranking=[["a"], ["b"]], strength=2, active_ms=1000)


def _items(conn, project) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    count = TASKS + GOLD
    categories = ("qa", "coding", "safety", "creative")
    conn.execute(insert(prompts), [
        {"id": i + 1, "project_id": project.id, "external_id": f"p{i}",
         "messages": [{"role": "user", "content": f"Question {i}?"}],
         "category": categories[i % 4], "domains": [], "source": "bench", "metadata": {},
         "content_hash": "x", "created_at": now} for i in range(count)])
    conn.execute(insert(responses), [
        {"id": 2 * i + k + 1, "prompt_id": i + 1, "external_id": rid,
         "content": f"Answer {rid} to {i}.", "sampling": {}, "created_at": now}
        for i in range(count) for k, rid in enumerate("ab")])
    conn.execute(insert(tasks), [
        {"id": i + 1, "project_id": project.id, "external_id": f"t{i}", "kind": "comparison",
         "prompt_id": i + 1, "overlap": project.overlap, "metadata": {}, "content_hash": "x",
         "is_gold": i >= TASKS, "gold_answer": {"ranking": [["a"], ["b"]]} if i >= TASKS else None,
         "created_at": now} for i in range(count)])
    conn.execute(insert(task_responses), [
        {"task_id": i + 1, "response_id": 2 * i + k + 1, "position": k}
        for i in range(count) for k in range(2)])


def measure(path: Path, rules: dict, gold_rate: float, pairs: int) -> float:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    with engine.begin() as conn:
        project = project_rules.create_project(conn, "bench", overlap=3)
        people = []
        for i in range(ANNOTATORS):
            user = user_rules.create_user(conn, f"a{i}").user
            project_rules.add_member(conn, project, user, "annotator")
            conn.execute(insert(calibrations).values(
                project_id=project.id, user_id=user.id, status="passed", score=1.0,
                created_at=start, finished_at=start))
            people.append(user)
        _items(conn, project)
        rules = dict(rules)
        targets = rules.pop("mix", {})
        if targets:
            conn.execute(update(projects).where(projects.c.id == project.id)
                         .values(settings=with_mix(project.settings, targets)))
        project = update_rules(conn, "bench", changes=rules or None)
        conn.execute(update(calibrations).values(guideline_version_id=None))
        if gold_rate:
            project = update_rules(conn, "bench", gold_rate=gold_rate)
    rng = random.Random(1)
    started = time.process_time()
    for n in range(pairs):
        person = people[n % ANNOTATORS]
        now = start + timedelta(seconds=n * STEP_S)
        with engine.begin() as conn:
            got = claims.claim_next(conn, project, person, now, rng)
        with engine.begin() as conn:
            submissions.submit(conn, person, got.assignment_id, JUDGMENT, now)
    elapsed = time.process_time() - started
    engine.dispose()
    return elapsed / pairs * 1e6


def main(pairs: int, rounds: int = 3) -> None:
    """Configurations take turns, ``rounds`` times; the fastest run of each is reported, so
    a burst of load from elsewhere on a shared machine does not pass for a rule's cost."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, (rules, gold_rate) in CONFIGURATIONS.items():
            with tempfile.TemporaryDirectory() as tmp:
                micros = measure(Path(tmp) / "routing.db", rules, gold_rate, pairs)
            best[name] = min(best.get(name, micros), micros)
    baseline = best["no rules"]
    for name, micros in best.items():
        print(f"{name:<22} {micros:7.0f} µs per claim+submit  "
              f"({micros / baseline - 1:+.0%} against no rules)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000)
