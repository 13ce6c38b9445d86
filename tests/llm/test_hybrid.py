"""Hybrid routing: the AI judge settles what it is sure of; people get safety, flagged,
inconsistent and unsure tasks, and settled tasks come back when the rule gets stricter."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update

from accord.core.errors import InvalidInput
from accord.core.judging import hybrid
from accord.core.judging.judge_audit import judge_audit
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import QUEUE_FULL, annotations, audit_events, task_consensus, tasks
from accord.db.types import utcnow
from accord.llm.judge_run import run_judge
from tests.factories import add_comparison, make_project, make_user
from tests.llm import judge_replies
from tests.llm.test_judge import pair_judge

JUDGE = "judge-h"
SURE, UNSURE = 0.9, 0.6
HABITS = {
    "calm-1": judge_replies.longer_with(SURE, 0.05),
    "calm-2": judge_replies.longer_with(SURE, 0.05),
    "unsafe-1": judge_replies.longer_with(SURE, 0.05),
    "flagged-1": judge_replies.longer_with(SURE, 0.05),
    "split-1": judge_replies.position_a,
    "unsure-1": judge_replies.longer_with(UNSURE, 0.1),
}


def by_task(body: dict):
    return HABITS[judge_replies.task_of(body)](body)


def planted(engine: Engine, fake_openai) -> Project:
    """Six tasks, one person's flag on ``flagged-1``, all judged by ``JUDGE``."""
    project = make_project(engine, "hybrid", overlap=2)
    with engine.begin() as conn:
        for name in HABITS:
            add_comparison(conn, project, name, category="safety" if "unsafe" in name else "qa",
                           priority=1 if name == "flagged-1" else 0)
    annotate(engine, project, make_user(engine, "flagger", project=project,
                                        roles=("annotator",)).user, flags=["both_bad"])
    fake_openai.fake.reply = by_task
    run = run_judge(engine, project.name, JUDGE, pair_judge(fake_openai))
    assert run.judged == len(HABITS)
    return project


def annotate(engine: Engine, project: Project, user: User, *, ranking=(("b",), ("a",)),
             flags=()) -> str | None:
    """``user`` claims their next task and ranks it; returns the task's id (None: no work)."""
    with engine.begin() as conn:
        claim = claims.claim_next(conn, get_project(conn, project.name), user, utcnow())
        if claim is None:
            return None
        submissions.submit(conn, user, claim.assignment_id,
                           Judgment(ranking=[list(g) for g in ranking], flags=list(flags)),
                           utcnow())
        return claim.task.id


def route(engine: Engine, project: Project, **rule) -> dict:
    with engine.begin() as conn:
        hybrid.configure(conn, project, hybrid.HybridRule(judge=JUDGE, **rule))
        return hybrid.route(conn, get_project(conn, project.name), utcnow()).as_dict()


def states(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(tasks.c.external_id, tasks.c.status, tasks.c.queue,
                                   task_consensus.c.method, task_consensus.c.ranking)
                            .outerjoin(task_consensus, task_consensus.c.task_id == tasks.c.id))
        return {row[0]: tuple(row[1:]) for row in rows}


def work_left_for_people(engine: Engine, project: Project) -> set[str]:
    person = make_user(engine, "newcomer", project=project, roles=("annotator",)).user
    seen = set()
    while (task := annotate(engine, project, person)) is not None:
        seen.add(task)
    return seen


def test_the_judge_settles_what_it_is_sure_of_and_people_get_the_rest(engine, fake_openai):
    project = planted(engine, fake_openai)

    routing = route(engine, project, min_confidence=0.8)

    assert routing["settled"] == 2
    assert routing["to_humans"] == {"category": 1, "flagged": 1, "inconsistent": 1,
                                    "low_confidence": 1}
    found = states(engine)
    for name in ("calm-1", "calm-2"):
        assert found[name] == ("resolved", QUEUE_FULL, "ai_judge", [["b"], ["a"]])
    for name in ("unsafe-1", "flagged-1", "split-1", "unsure-1"):
        assert found[name][0] == "open" and found[name][2] is None
    with engine.connect() as conn:
        confidence = conn.execute(select(task_consensus.c.confidence)).scalars().all()
        settled_events = conn.execute(select(audit_events.c.subject).where(
            audit_events.c.action == "ai_judge.settled")).scalars().all()
    assert confidence == [pytest.approx(SURE, abs=1e-5)] * 2
    assert sorted(settled_events) == ["calm-1", "calm-2"]
    # Settled tasks left the people's queue; everything else is still theirs.
    assert work_left_for_people(engine, project) == {"unsafe-1", "flagged-1", "split-1",
                                                     "unsure-1"}


def test_a_stricter_rule_returns_settled_tasks_to_people(engine, fake_openai):
    project = planted(engine, fake_openai)
    route(engine, project, min_confidence=0.8)

    stricter = route(engine, project, min_confidence=0.95)
    again = route(engine, project, min_confidence=0.95)

    assert (stricter["settled"], stricter["returned"]) == (0, 2)
    assert stricter["to_humans"]["low_confidence"] == 3
    assert (again["settled"], again["returned"]) == (0, 0)
    found = states(engine)
    assert found["calm-1"][0] == "open" and found["calm-1"][2] is None
    assert found["calm-1"][1] != QUEUE_FULL
    assert "calm-1" in work_left_for_people(engine, project)


def test_a_person_who_disagrees_with_the_judge_keeps_the_task_with_people(engine, fake_openai):
    project = planted(engine, fake_openai)
    dissenter = make_user(engine, "dissenter", project=project, roles=("annotator",)).user
    ranked = {annotate(engine, project, dissenter, ranking=(("a",), ("b",))) for _ in range(6)}
    assert {"calm-1", "calm-2"} <= ranked

    routing = route(engine, project, min_confidence=0.8)

    assert routing["settled"] == 0 and routing["to_humans"]["human_disagrees"] == 2


def test_a_rule_that_does_not_settle_leaves_everything_with_people(engine, fake_openai):
    project = planted(engine, fake_openai)

    routing = route(engine, project, min_confidence=0.8, settle=False)

    assert routing["settled"] == 0 and routing["to_humans"]["settling_off"] == 2
    assert {state[0] for state in states(engine).values()} == {"open"}


def test_an_inconsistent_verdict_never_settles_and_counts_zero_in_the_audit(engine,
                                                                           fake_openai):
    project = make_project(engine, "split", overlap=2)
    with engine.begin() as conn:
        for name in ("split-1", "split-2", "calm-1"):
            add_comparison(conn, project, name)
    p_tie = 0.218
    habits = {"split-1": judge_replies.position_a_with(0.6, p_tie),
              "split-2": judge_replies.position_a_with(0.6, p_tie),
              "calm-1": judge_replies.longer_with(SURE, 0.05)}
    fake_openai.fake.reply = lambda body: habits[judge_replies.task_of(body)](body)
    run_judge(engine, project.name, JUDGE, pair_judge(fake_openai))
    # A judgment stored before an inconsistent pair's confidence was 0: the mean P(tie).
    with engine.begin() as conn:
        task_id = conn.execute(select(tasks.c.id).where(tasks.c.external_id == "split-2")
                               ).scalar_one()
        details = conn.execute(select(annotations.c.details)
                               .where(annotations.c.task_id == task_id)).scalar_one()
        conn.execute(update(annotations).where(annotations.c.task_id == task_id)
                     .values(details={**details, "confidence": p_tie}))

    routing = route(engine, project, min_confidence=0.0)
    with engine.connect() as conn:
        audit = judge_audit(conn, get_project(conn, project.name), JUDGE)

    assert routing["settled"] == 1 and routing["to_humans"] == {"inconsistent": 2}
    assert states(engine)["split-1"][0] == "open"
    assert audit["swap_consistency"] == pytest.approx(1 / 3, abs=1e-6)
    assert audit["mean_confidence"] == pytest.approx(SURE / 3, abs=1e-5)


def test_an_untrusted_judge_settles_nothing(engine, fake_openai):
    project = planted(engine, fake_openai)
    with engine.begin() as conn:
        hybrid.configure(conn, project, hybrid.HybridRule(judge=JUDGE, min_kappa=0.5))
        routing = hybrid.route(conn, get_project(conn, project.name), utcnow(), kappa=None)

    assert routing.settled == 0 and routing.to_humans["judge_untrusted"] == 2


@pytest.mark.parametrize(("document", "message"), [
    ({"judge": JUDGE, "min_confidence": 1.5}, "settings.ai_judge.min_confidence must be"),
    ({"judge": JUDGE, "settle": "yes"}, "settings.ai_judge.settle must be true or false"),
    ({"judge": JUDGE, "threshold": 0.8}, "unknown keys threshold"),
    ({"min_confidence": 0.8}, "settings.ai_judge.judge must name an AI judge"),
    ("judge-h", "settings.ai_judge must be an object"),
])
def test_a_wrong_rule_is_refused_naming_the_key(document, message):
    with pytest.raises(InvalidInput) as refused:
        hybrid.parse_rule(document)

    assert message in refused.value.message


def test_routing_needs_a_rule_and_a_judge_that_is_an_ai(engine):
    project = make_project(engine, "plain")
    make_user(engine, "person")

    with engine.begin() as conn, pytest.raises(InvalidInput, match=r"has no settings\.ai_judge"):
        hybrid.route(conn, project, utcnow())
    with engine.begin() as conn, pytest.raises(InvalidInput, match='"person" is a human'):
        hybrid.configure(conn, project, hybrid.HybridRule(judge="person"))
