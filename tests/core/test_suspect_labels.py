"""Suspect labels: settled labels an AI judge doubts are found by confident learning, go to
the review queue with their own reason, and can be left out of exports."""

from __future__ import annotations

import numpy as np
import orjson
import pytest
from cleanlab.filter import find_label_issues
from sqlalchemy import select

from accord.core.curation.settled import settled_pairs
from accord.core.curation.signals import JudgeSignal, parse
from accord.core.curation.suspects import find_suspects
from accord.core.errors import Forbidden, InvalidInput, NotFound
from accord.core.projects.project import get_project
from accord.core.review import adjudication, audit, review_queue
from accord.db.tables import suspect_labels, tasks
from accord.db.types import utcnow
from accord.exports import ExportOptions, export
from tests.core.suspect_world import JUDGE, World, settled_world
from tests.factories import make_user


@pytest.fixture
def world(engine) -> World:
    return settled_world(engine)


def _run(engine, top: int = 1000):
    with engine.begin() as conn:
        return find_suspects(conn, None, "prefs", JudgeSignal(JUDGE), top, now=utcnow())


def test_planted_flips_are_found_with_precision_and_recall_beyond_the_baselines(engine, world):
    run = _run(engine)
    flipped = world.flipped
    k = len(flipped)
    assert k > 0, "the planted population must hold wrong consensus labels"
    top = [s.task_id for s in run.suspects[:k]]
    hits = len(set(top) & flipped)
    precision, recall = hits / len(top), hits / k
    # Baselines from the planted truth: k tasks drawn at random, and flagging every pair on
    # which the judge's verdict differs from the consensus.
    random_precision, random_recall = k / len(world.truth), k / len(world.truth)
    disagree = {t for t, p in world.judge_p_first.items()
                if ("a" if p >= 0.5 else "b") != world.consensus[t]}
    naive_precision = len(disagree & flipped) / len(disagree)
    print(f"\nplanted flips {k} of {len(world.truth)}; suspects {run.issues}; "
          f"precision@{k} {precision:.2f} (random {random_precision:.2f}, every disagreement "
          f"{naive_precision:.2f}); recall@{k} {recall:.2f} (random {random_recall:.2f})")
    assert precision >= naive_precision > random_precision
    assert recall > random_recall


def test_the_core_ranking_is_cleanlabs_on_the_same_arrays(engine, world):
    run = _run(engine)
    with engine.begin() as conn:
        project = get_project(conn, "prefs")
        pairs = settled_pairs(conn, project)
        p_first = JudgeSignal(JUDGE).first_probability(conn, project, [p.pair for p in pairs])
    labels = np.array([0 if p.first_wins else 1 for p in pairs])
    expected = find_label_issues(labels, np.column_stack([p_first, 1 - p_first]),
                                 filter_by="confident_learning",
                                 return_indices_ranked_by="self_confidence", n_jobs=1)
    cleanlab_order = [pairs[i].pair.task_id for i in expected]
    assert {s.task_id for s in run.suspects} == set(cleanlab_order)
    # Within one level of the consensus' confidence the order is cleanlab's own.
    for level in {s.consensus_confidence for s in run.suspects}:
        ours = [s.task_id for s in run.suspects if s.consensus_confidence == level]
        assert ours == [t for t in cleanlab_order if t in set(ours)]


def test_suspects_wait_in_the_review_queue_with_their_reason_until_decided(engine, world):
    run = _run(engine, top=3)
    reviewer = make_user(engine, "rev", project=world.project, roles=("reviewer",)).user
    with engine.begin() as conn:
        items = review_queue.page(conn, reviewer, "prefs").items
    assert [i.task_id for i in items] == sorted(s.task_id for s in run.suspects)
    first = run.suspects[0]
    item = next(i for i in items if i.task_id == first.task_id)
    assert (item.reason, item.signal) == ("suspect label", f"judge:{JUDGE}")
    assert item.signal_probability == pytest.approx(first.signal_probability)
    assert item.signal_probability < 0.5  # the judge prefers the other response
    with engine.begin() as conn:
        view = adjudication.split_task(conn, reviewer, "prefs", first.task_id)
        assert view.can_decide
        adjudication.decide(conn, reviewer, "prefs", first.task_id,
                            [[first.rejected], [first.chosen]], "the judge was right",
                            utcnow())
    with engine.begin() as conn:
        remaining = [i.task_id for i in review_queue.page(conn, reviewer, "prefs").items]
        status = conn.execute(select(suspect_labels.c.status).join(
            tasks, tasks.c.id == suspect_labels.c.task_id)
            .where(tasks.c.external_id == first.task_id)).scalar_one()
    assert first.task_id not in remaining and len(remaining) == 2
    assert status == "reviewed"


def test_a_rerun_supersedes_the_open_suspects_and_each_run_is_audited(engine, world):
    first = _run(engine, top=5)
    second = _run(engine, top=2)
    assert second.superseded == 5
    manager = make_user(engine, "lead", project=world.project, roles=("manager",)).user
    with engine.begin() as conn:
        open_rows = conn.execute(select(suspect_labels.c.run_id).where(
            suspect_labels.c.status == "open")).scalars().all()
        events = audit.events(conn, manager, "prefs", action="suspects.found").items
    assert set(open_rows) == {second.run_id}
    assert [e.details["run_id"] for e in events] == [second.run_id, first.run_id]
    assert events[0].details["signal"] == f"judge:{JUDGE}"
    assert events[0].details["stored"] == 2 and events[0].details["superseded"] == 5


def test_exports_can_leave_the_open_suspects_out(engine, world, tmp_path):
    run = _run(engine, top=4)

    def exported(**options) -> set[str]:
        out = tmp_path / f"prefs-{len(options)}.jsonl"
        export(engine, "prefs", "preference", out, options=ExportOptions(**options))
        return {orjson.loads(line)["task_id"] for line in out.read_bytes().splitlines()}

    everything = exported()
    kept = exported(exclude_suspect=True)
    assert everything - kept == {s.task_id for s in run.suspects}


def test_a_wrong_signal_or_top_is_refused_and_nothing_is_stored(engine, world):
    with pytest.raises(InvalidInput, match="judge:NAME or reward-model:PATH"):
        parse("oracle:me")
    with engine.begin() as conn, pytest.raises(NotFound, match='no AI judge is named "nobody"'):
        find_suspects(conn, None, "prefs", JudgeSignal("nobody"), now=utcnow())
    with engine.begin() as conn, pytest.raises(InvalidInput, match="--top"):
        find_suspects(conn, None, "prefs", JudgeSignal(JUDGE), 0, now=utcnow())
    annotator = make_user(engine, "ann-x", project=world.project, roles=("annotator",)).user
    with engine.begin() as conn, pytest.raises(Forbidden):
        find_suspects(conn, annotator, "prefs", JudgeSignal(JUDGE), now=utcnow())
    with engine.begin() as conn:
        assert conn.execute(select(suspect_labels.c.id)).first() is None
