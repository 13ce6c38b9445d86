"""Adaptive overlap on real crowd labels: judgments spent and consensus accuracy, per policy.

Replays four published crowdsourcing sets with ground truth (``../shared/data``:
``crowd_truth_infer`` s4_Dog 807 items x 10 workers, s4_Face_Sentiment 584 x 9, d_Duck
108 x 39, and ``mace`` RTE 800 x 10) through Accord's own claim and submit code
(``core.work.claims.claim_next`` and ``core.work.submissions.submit``, one transaction each,
on a freshly migrated SQLite file in a temporary folder), once per policy: a fixed overlap of
3 and of 5, and adaptive overlap (``rules.overlap``) stopping at posterior confidence 0.9 /
0.95 / 0.99 or at unanimity, from 2 up to 5 annotators. Prints, per set and policy, the
judgments used and the accuracy of the final consensus against the ground truth, then whether
the goal holds on every set: some adaptive policy uses at least 30 % fewer judgments than a
fixed overlap of 5 at equal or better accuracy.

How a k-class label becomes an Accord task: each item is a comparison task whose responses
are the k classes (``label-0`` …); a worker's label is a ranking that puts the chosen class
first and ties the rest behind it (``[["label-2"], ["label-0", "label-1", "label-3"]]``), so the
task's pairs say exactly "the chosen class over each other class" and nothing about the order
of the classes not chosen. Binary sets need no tie (``[["label-1"], ["label-0"]]``). The
project is pairwise for k = 2 and K-way with ties allowed otherwise; the adaptive rule weighs
the first-ranked class, with k classes.

The final consensus is the report's (``core.report.build_report``, which stores each settled
task's Bradley-Terry ranking with votes weighted by Dawid-Skene accuracy): its first response
is the predicted class. An item without a stored consensus (one its labellers could not fill)
counts as wrong.

Simulated annotators, one per worker, answer every task they are handed with that worker's
real label. A worker who has no label for an item must never be handed it, and this is
modelled with Accord's own expertise routing, not outside the claim: every task requires the
expertise tag ``item-<id>``, and a worker holds exactly the tags of the items they labelled,
so the claim's own filter hands them only those. The workers take turns in a seeded random
order; one who is told that nothing is left sleeps until a task they labelled grows (a
submission raised its target), which is when the claim could answer otherwise.

    python bench/adaptive_overlap.py [--items N] [--sets dog,face,duck,rte] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import Engine, insert, select  # noqa: E402

from accord.core.people.users import User  # noqa: E402
from accord.core.projects import project as project_rules  # noqa: E402
from accord.core.projects.project import Project, get_project  # noqa: E402
from accord.core.report import build_report  # noqa: E402
from accord.core.tasks.judgments import Judgment  # noqa: E402
from accord.core.work import claims, submissions  # noqa: E402
from accord.core.work.rules import update_rules  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.db.tables import (  # noqa: E402
    memberships,
    prompts,
    responses,
    task_consensus,
    task_expertise,
    task_responses,
    tasks,
    user_expertise,
    users,
)

DATA = ROOT.parent / "shared" / "data"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
GOAL_SAVING = 0.30


@dataclass(frozen=True)
class CrowdSet:
    """Items with their workers' labels (class indices) and the true class."""

    name: str
    classes: int
    labels: dict[str, dict[str, int]]
    """item → worker → class."""
    truth: dict[str, int]


@dataclass(frozen=True)
class Policy:
    name: str
    overlap: int
    rule: dict | None = None


POLICIES = (
    Policy("fixed 3", 3),
    Policy("fixed 5", 5),
    Policy("adaptive 2-5, confidence 0.9", 2, {"min": 2, "max": 5, "stop": {"confidence": 0.9}}),
    Policy("adaptive 2-5, confidence 0.95", 2,
           {"min": 2, "max": 5, "stop": {"confidence": 0.95}}),
    Policy("adaptive 2-5, confidence 0.99", 2,
           {"min": 2, "max": 5, "stop": {"confidence": 0.99}}),
    Policy("adaptive 2-5, unanimous", 2, {"min": 2, "max": 5, "stop": "unanimous"}),
)


@dataclass(frozen=True)
class Outcome:
    judgments: int
    correct: int
    items: int
    undecided: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.items if self.items else float("nan")


def _crowd_truth(name: str, folder: str) -> CrowdSet:
    base = DATA / "crowd_truth_infer" / folder
    with open(base / "truth.csv", newline="") as handle:
        truth = {row["question"]: int(row["truth"]) for row in csv.DictReader(handle)}
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(base / "answer.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["question"] in truth:
                labels[row["question"]][row["worker"]] = int(row["answer"])
    return _indexed(name, dict(labels), truth)


def _mace(name: str, stem: str) -> CrowdSet:
    base = DATA / "mace"
    keys = (base / f"{stem}.key").read_text().split()
    labels: dict[str, dict[str, int]] = {}
    truth: dict[str, int] = {}
    with open(base / f"{stem}.csv", newline="") as handle:
        for index, row in enumerate(csv.reader(handle)):
            item = str(index)
            labels[item] = {str(w): int(v) for w, v in enumerate(row) if v.strip()}
            truth[item] = int(keys[index])
    return _indexed(name, labels, truth)


def _indexed(name: str, labels: dict[str, dict[str, int]], truth: dict[str, int]) -> CrowdSet:
    """Class values renumbered 0..k-1 in sorted order (the published values may skip)."""
    values = sorted({v for by in labels.values() for v in by.values()} | set(truth.values()))
    code = {v: i for i, v in enumerate(values)}
    return CrowdSet(name, len(values),
                    {item: {w: code[v] for w, v in by.items()} for item, by in labels.items()},
                    {item: code[v] for item, v in truth.items() if item in labels})


LOADERS = {
    "dog": lambda: _crowd_truth("s4_Dog", "s4_Dog_data"),
    "face": lambda: _crowd_truth("s4_Face_Sentiment", "s4_Face_Sentiment_Identification"),
    "duck": lambda: _crowd_truth("d_Duck", "d_Duck_Identification"),
    "rte": lambda: _mace("RTE", "rte"),
}


def sliced(crowd: CrowdSet, items: int | None) -> CrowdSet:
    """The first ``items`` items (by id order), or the whole set."""
    if items is None:
        return crowd
    kept = sorted(crowd.labels, key=lambda i: (len(i), i))[:items]
    return CrowdSet(crowd.name, crowd.classes, {i: crowd.labels[i] for i in kept},
                    {i: crowd.truth[i] for i in kept})


def ranking_for(label: int, classes: int) -> list[list[str]]:
    """A class label as a ranking: the chosen class first, the rest tied behind it."""
    rest = [f"label-{c}" for c in range(classes) if c != label]
    return [[f"label-{label}"], rest]


def _seed_project(engine: Engine, crowd: CrowdSet, policy: Policy) -> tuple[Project, dict]:
    """The project, its tasks (one per item) and its annotators (one per worker)."""
    with engine.begin() as conn:
        project = project_rules.create_project(
            conn, "crowd", overlap=policy.overlap,
            ranking_mode="pairwise" if crowd.classes == 2 else "kway",
            allow_ties=crowd.classes > 2, lease_seconds=3600)
        items = sorted(crowd.labels, key=lambda i: (len(i), i))
        task_ids = {item: n + 1 for n, item in enumerate(items)}
        conn.execute(insert(prompts), [
            {"id": task_ids[i], "project_id": project.id, "external_id": f"item-{i}",
             "messages": [{"role": "user", "content": f"Item {i}"}], "category": "crowd",
             "domains": [], "source": "bench", "metadata": {},
             "content_hash": hashlib.sha256(i.encode()).hexdigest(), "created_at": NOW}
            for i in items])
        conn.execute(insert(tasks), [
            {"id": task_ids[i], "project_id": project.id, "external_id": f"item-{i}",
             "kind": "comparison", "prompt_id": task_ids[i], "overlap": policy.overlap,
             "requires_expertise": True, "metadata": {},
             "content_hash": hashlib.sha256(i.encode()).hexdigest(), "created_at": NOW}
            for i in items])
        conn.execute(insert(responses), [
            {"id": task_ids[i] * crowd.classes + c, "prompt_id": task_ids[i],
             "external_id": f"label-{c}", "content": f"class {c}", "model": None,
             "sampling": {}, "origin": "imported", "created_at": NOW}
            for i in items for c in range(crowd.classes)])
        conn.execute(insert(task_responses), [
            {"task_id": task_ids[i], "response_id": task_ids[i] * crowd.classes + c,
             "position": c} for i in items for c in range(crowd.classes)])
        conn.execute(insert(task_expertise), [
            {"task_id": task_ids[i], "tag": f"item-{i}"} for i in items])
        workers = sorted({w for by in crowd.labels.values() for w in by})
        people = {w: n + 1 for n, w in enumerate(workers)}
        conn.execute(insert(users), [
            {"id": people[w], "name": f"worker-{w}", "kind": "human", "created_at": NOW}
            for w in workers])
        conn.execute(insert(memberships), [
            {"project_id": project.id, "user_id": people[w], "role": "annotator",
             "created_at": NOW} for w in workers])
        conn.execute(insert(user_expertise), [
            {"user_id": people[w], "tag": f"item-{i}"}
            for i in items for w in crowd.labels[i]])
        if policy.rule is not None:
            update_rules(conn, "crowd", changes={"overlap": policy.rule})
        return get_project(conn, "crowd"), people


def replay(crowd: CrowdSet, policy: Policy, folder: Path, template: Path,
           seed: int = 0) -> Outcome:
    """Every worker annotates until nothing is left for anyone; the report's consensus is
    then compared with the truth."""
    path = folder / f"{crowd.name}-{policy.name.replace(' ', '_')}.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        project, people = _seed_project(engine, crowd, policy)
        return _annotate(engine, project, crowd, people, random.Random(seed))
    finally:
        engine.dispose()


def _annotate(engine, project: Project, crowd: CrowdSet, people: dict[str, int],
              rng: random.Random) -> Outcome:
    by_id = {uid: (w, User(id=uid, name=f"worker-{w}", kind="human", is_admin=False))
             for w, uid in people.items()}
    awake = set(people.values())
    judged: dict[str, set[int]] = defaultdict(set)
    judgments = 0
    while awake:
        order = sorted(awake)
        rng.shuffle(order)
        for uid in order:
            worker, user = by_id[uid]
            with engine.begin() as conn:
                got = claims.claim_next(conn, project, user, NOW)
                if got is None:
                    awake.discard(uid)
                    continue
                item = got.task.id.removeprefix("item-")
                label = crowd.labels[item][worker]
                before = _target(conn, got.task.id)
                submissions.submit(conn, user, got.assignment_id, Judgment(
                    ranking=ranking_for(label, crowd.classes), active_ms=1000), NOW)
                grew = _target(conn, got.task.id) > before
            judgments += 1
            judged[item].add(uid)
            if grew:  # those who labelled the item and have not judged it may claim again
                awake |= {people[w] for w in crowd.labels[item]} - judged[item]
    return _score(engine, project, crowd, judgments)


def _target(conn, external_id: str) -> int:
    return conn.execute(select(tasks.c.overlap).where(
        tasks.c.external_id == external_id)).scalar_one()


def _score(engine, project: Project, crowd: CrowdSet, judgments: int) -> Outcome:
    with engine.begin() as conn:
        build_report(conn, project, NOW)
        stored = dict(conn.execute(select(tasks.c.external_id, task_consensus.c.ranking)
                                   .join(task_consensus, task_consensus.c.task_id == tasks.c.id)
                                   ).all())
    correct = undecided = 0
    for item, truth in crowd.truth.items():
        ranking = stored.get(f"item-{item}")
        if ranking is None:
            undecided += 1
            continue
        correct += ranking[0] == [f"label-{truth}"]
    return Outcome(judgments, correct, len(crowd.truth), undecided)


def migrated_template(folder: Path) -> Path:
    """One migrated empty database, copied for every replay (migrating costs seconds)."""
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def goal_met(results: dict[str, Outcome]) -> tuple[bool, str | None]:
    """Whether some adaptive policy saves ``GOAL_SAVING`` of fixed 5's judgments at equal or
    better accuracy; and the best such policy (fewest judgments)."""
    fixed = results["fixed 5"]
    meeting = [(outcome.judgments, name) for name, outcome in results.items()
               if name.startswith("adaptive")
               and outcome.judgments <= (1 - GOAL_SAVING) * fixed.judgments
               and outcome.correct >= fixed.correct]
    return (True, min(meeting)[1]) if meeting else (False, None)


def run(sets: list[str], items: int | None, seed: int,
        policies: tuple[Policy, ...] = POLICIES) -> dict[str, dict[str, Outcome]]:
    """Every policy on every set; returns set → policy → outcome."""
    found: dict[str, dict[str, Outcome]] = {}
    with tempfile.TemporaryDirectory(prefix="accord-overlap-") as tmp:
        folder = Path(tmp)
        template = migrated_template(folder)
        for key in sets:
            crowd = sliced(LOADERS[key](), items)
            found[crowd.name] = {p.name: replay(crowd, p, folder, template, seed)
                                 for p in policies}
    return found


def _print(results: dict[str, dict[str, Outcome]], seconds: float) -> None:
    every = True
    for name, by_policy in results.items():
        fixed = by_policy["fixed 5"]
        print(f"\n{name}: {fixed.items} items")
        print(f"  {'policy':<32}{'judgments':>10}{'per item':>10}{'vs fixed 5':>12}"
              f"{'accuracy':>10}")
        for policy, outcome in by_policy.items():
            saved = 1 - outcome.judgments / fixed.judgments
            print(f"  {policy:<32}{outcome.judgments:>10}"
                  f"{outcome.judgments / outcome.items:>10.2f}{-saved:>+12.1%}"
                  f"{outcome.accuracy:>10.4f}"
                  + (f"  ({outcome.undecided} undecided)" if outcome.undecided else ""))
        met, best = goal_met(by_policy)
        every &= met
        print(f"  goal (>= {GOAL_SAVING:.0%} fewer than fixed 5 at equal or better accuracy): "
              + (f"met by {best}" if met else "NOT met"))
    print(f"\ngoal met on every set: {'yes' if every else 'no'}  ({seconds:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=None, help="first N items of each set")
    parser.add_argument("--sets", default="dog,face,duck,rte")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    results = run(args.sets.split(","), args.items, args.seed)
    _print(results, time.perf_counter() - started)


if __name__ == "__main__":
    main()
