"""The complete cost on planted rows with known rates and recorded model costs: every figure
is worked out by hand below from the rows, not from the code, on SQLite and PostgreSQL.

Planted (project ``costly``, overlap 1, budget 100):

- ``ann`` (30 an hour): comparisons c1 for 60 s and c2 for 120 s, demonstration d1 for
  360 s — 0.50 + 1.00 + 3.00 = 4.50, 0.15 hours;
- ``rev`` (60 an hour) adjudicated c1 in 30 s — 0.50;
- ``judge`` (an AI judge) annotated c2 for 5 s: paid through its model call, not its time;
- the ledger: generate 0.25 (100 + 50 tokens) and 0.50 (200 + 100), one failed generate
  call, judge 0.125 (40 + 10) — 0.875; c1's prompt holds a generated response that cost 0.75;
- c3 (comparison) and d2 (demonstration) are open and untouched.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from accord.core.demonstrations import lifecycle
from accord.core.people.users import get_user
from accord.core.report import build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import (
    QUEUE_STARTED,
    adjudications,
    demonstrations,
    model_calls,
    profiles,
    prompts,
    responses,
    tasks,
    users,
)
from accord.db.types import utcnow
from tests.demonstration_helpers import accept_every_demonstration, good_review
from tests.factories import add_comparison, make_project, make_user


def _plant(engine, *, accept_demonstration: bool = True):
    project = make_project(engine, "costly", overlap=1, budget=100.0)
    with engine.begin() as conn:
        ids = {name: add_comparison(conn, project, name, category="coding",
                                    priority=1 if name != "c3" else 0)
               for name in ("c1", "c2", "c3")}
        for name in ("d1", "d2"):
            ids[name] = add_comparison(conn, project, name, category="qa", contents={},
                                       kind="demonstration", priority=1 if name == "d1" else 0)
    ann = make_user(engine, "ann", project=project, roles=("annotator",)).user
    rev = make_user(engine, "rev", project=project, roles=("reviewer",)).user
    judge = make_user(engine, "judge", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        conn.execute(update(profiles).where(profiles.c.user_id == ann.id)
                     .values(pay_rate_per_hour=30.0))
        conn.execute(update(profiles).where(profiles.c.user_id == rev.id)
                     .values(pay_rate_per_hour=60.0))
        conn.execute(update(profiles).where(profiles.c.user_id == judge.id)
                     .values(pay_rate_per_hour=1000.0))
        conn.execute(update(users).where(users.c.id == judge.id).values(kind="ai"))
    spent = {"c1": 60_000, "c2": 120_000, "d1": 360_000}
    for _ in range(3):
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, ann, utcnow())
            assert claim is not None
            judgment = (Judgment(response="written", active_ms=spent[claim.task.id])
                        if claim.task.kind == "demonstration"
                        else Judgment(ranking=[["a"], ["b"]], active_ms=spent[claim.task.id]))
            submissions.submit(conn, ann, claim.assignment_id, judgment, utcnow())
    if accept_demonstration:
        # rev accepts d1 in review (recording no active time of the review)
        accept_every_demonstration(engine, project, rev)
    with engine.begin() as conn:
        # the AI judge's annotation of c2, outside the overlap as AI judgments are
        conn.execute(update(tasks).where(tasks.c.id == ids["c2"])
                     .values(overlap=2, queue=QUEUE_STARTED))
    with engine.begin() as conn:
        claim = claims.claim_next(conn, project, judge, utcnow())
        assert claim is not None and claim.task.id == "c2"
        submissions.submit(conn, judge, claim.assignment_id,
                           Judgment(ranking=[["a"], ["b"]], active_ms=5_000), utcnow())
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(adjudications).values(
            task_id=ids["c1"], reviewer_id=rev.id, ranking=[["a"], ["b"]],
            decision={"ranking": [["a"], ["b"]], "method": "adjudicated", "active_ms": 30_000},
            rationale="a is right", created_at=now))
        conn.execute(insert(model_calls), [
            {"project_id": project.id, "purpose": "generate", "model": "m", "prompt_tokens": 100,
             "completion_tokens": 50, "cost": 0.25, "error": None, "created_at": now},
            {"project_id": project.id, "purpose": "generate", "model": "m", "prompt_tokens": 200,
             "completion_tokens": 100, "cost": 0.5, "error": None, "created_at": now},
            {"project_id": project.id, "purpose": "generate", "model": "m", "prompt_tokens": None,
             "completion_tokens": None, "cost": None, "error": "timeout", "created_at": now},
            {"project_id": project.id, "purpose": "judge", "model": "j", "prompt_tokens": 40,
             "completion_tokens": 10, "cost": 0.125, "error": None, "created_at": now},
        ])
        prompt_id = conn.execute(tasks.select().where(tasks.c.id == ids["c1"])).one().prompt_id
        conn.execute(insert(responses).values(
            prompt_id=prompt_id, external_id="g", content="generated", model="m", sampling={},
            origin="generated", cost=0.75, created_at=now))
        assert conn.execute(prompts.select().where(prompts.c.id == prompt_id)).one()
    return project


def test_the_complete_cost_is_the_figure_worked_out_by_hand(engine):
    project = _plant(engine)
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    cost = report.cost.complete
    assert cost is not None
    annotators = 60 / 3600 * 30 + 120 / 3600 * 30 + 360 / 3600 * 30  # 4.5
    reviewers = 30 / 3600 * 60  # 0.5
    models = 0.25 + 0.5 + 0.125  # 0.875
    total = annotators + reviewers + models  # 5.875
    comparisons = 60 / 3600 * 30 + 120 / 3600 * 30 + reviewers + models  # 2.875
    demonstrations = 360 / 3600 * 30  # 3.0
    assert (cost.annotator_spend, cost.reviewer_spend, cost.model_spend, cost.total_spend) == \
        (annotators, reviewers, models, total)
    assert cost.annotator_hours == round(540 / 3600, 6)
    assert cost.reviewer_hours == round(30 / 3600, 6)
    assert cost.models["generate"].model_dump() == {
        "calls": 3, "failed": 1, "prompt_tokens": 300, "completion_tokens": 150, "cost": 0.75}
    assert cost.models["judge"].model_dump() == {
        "calls": 1, "failed": 0, "prompt_tokens": 40, "completion_tokens": 10, "cost": 0.125}
    # accepted: c1 and c2 give a pair each; d1 is a demonstration rev accepted
    assert (cost.accepted_pairs, cost.accepted_demonstrations) == (2, 1)
    assert cost.per_accepted_pair == comparisons / 2 == 1.4375
    assert cost.per_accepted_demonstration == demonstrations / 1 == 3.0
    # c1 and c2 done, c3 left; d1 done, d2 left (c2's overlap 2 is filled by ann and judge)
    assert cost.by_kind["comparison"].model_dump() == {
        "spend": comparisons, "tasks_done": 3.0 - 1.0, "tasks_remaining": 1.0,
        "per_task": comparisons / 2, "projected_remaining": comparisons / 2}
    assert cost.by_kind["demonstration"].model_dump() == {
        "spend": demonstrations, "tasks_done": 1.0, "tasks_remaining": 1.0,
        "per_task": demonstrations, "projected_remaining": demonstrations}
    coding = 60 / 3600 * 30 + 120 / 3600 * 30 + reviewers + 0.75  # 2.75
    assert cost.by_category["coding"].model_dump() == {
        "spend": coding, "accepted": 2, "per_accepted": coding / 2}
    assert cost.by_category["qa"].model_dump() == {
        "spend": demonstrations, "accepted": 1, "per_accepted": demonstrations}
    assert cost.unattributed_spend == models - 0.75 == 0.125
    projected = total + comparisons / 2 + demonstrations  # 10.3125
    assert (cost.budget, cost.budget_share, cost.projected_total, cost.projected_share) == \
        (100.0, total / 100, projected, projected / 100)
    assert report.as_json()["cost"]["complete"]["per_accepted_pair"] == 1.4375


def test_the_text_and_html_reports_show_the_complete_cost(engine):
    from accord.exports.report_html import render_html
    from accord.exports.report_text import render_text

    project = _plant(engine)
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    said = ("5.88 spent (4.50 annotators, 0.50 reviewers, 0.88 model calls), 5.9% of the "
            "budget of 100.00; 1.44 per accepted pair, 3.00 per accepted demonstration; 10.31 "
            "at completion (10.3% of the budget).")
    text = render_text(report)
    assert f"Complete cost: {said}" in text
    assert ("  demonstration        3.00 spent, 1 tasks done, 1 left, 3.00 per task, 3.00 to "
            "finish") in text
    assert "  coding               2.75 spent, 2 accepted, 1.38 each" in text
    html = render_html(report)
    assert f"<p>{said}</p>" in html
    assert "<tr><td>qa</td><td class=num>3.00</td><td class=num>1</td>" in html


def _review_d1(engine, project, decision: str, active_ms: int) -> None:
    with engine.begin() as conn:
        rev = get_user(conn, "rev")
        waiting = conn.execute(select(demonstrations.c.id, demonstrations.c.version).where(
            demonstrations.c.project_id == project.id)).one()
        lifecycle.decide(conn, rev, project.name, waiting.id, version=waiting.version,
                         decision=decision, active_ms=active_ms, now=utcnow(),
                         comment="not yet" if decision == "send_back" else "",
                         **good_review(project))


def test_only_an_accepted_demonstration_counts_and_its_review_time_is_paid(engine):
    """d1 written but sent back is no accepted example; the 60 s review at rev's 60 an hour
    is reviewer spend (1.0) on the demonstration kind and on d1's category."""
    project = _plant(engine, accept_demonstration=False)
    _review_d1(engine, project, "send_back", 60_000)
    with engine.begin() as conn:
        cost = build_report(conn, project, utcnow(), store_consensus=False).cost.complete
    assert cost is not None
    assert cost.accepted_demonstrations == 0 and cost.per_accepted_demonstration is None
    assert cost.reviewer_spend == 30 / 3600 * 60 + 60 / 3600 * 60  # 0.5 + 1.0
    assert cost.by_kind["demonstration"].spend == 360 / 3600 * 30 + 1.0  # 4.0
    assert cost.by_category["qa"].spend == 4.0 and cost.by_category["qa"].accepted == 0


def test_judge_calls_count_to_the_category_of_the_task_they_judged_and_drafts_to_theirs(engine):
    """Planted on top of the above: a judge call that names c2 (coding) for 0.0625, and a
    draft to post-edit on d2's prompt (qa) whose call cost 0.3: both are charged to their
    category; only the older judge call, which names no task, stays unattributed."""
    project = _plant(engine)
    now = utcnow()
    with engine.begin() as conn:
        c2 = conn.execute(select(tasks.c.id).where(tasks.c.external_id == "c2")).scalar_one()
        d2_prompt = conn.execute(select(tasks.c.prompt_id)
                                 .where(tasks.c.external_id == "d2")).scalar_one()
        conn.execute(insert(model_calls), [
            {"project_id": project.id, "purpose": "judge", "model": "j", "prompt_tokens": 20,
             "completion_tokens": 5, "cost": 0.0625, "error": None, "created_at": now,
             "task_id": c2},
            {"project_id": project.id, "purpose": "draft", "model": "m", "prompt_tokens": 30,
             "completion_tokens": 90, "cost": 0.3, "error": None, "created_at": now,
             "task_id": None},
        ])
        conn.execute(insert(responses).values(
            prompt_id=d2_prompt, external_id="draft", content="a draft", model="m",
            sampling={}, origin="generated", cost=0.3, created_at=now))
    with engine.begin() as conn:
        cost = build_report(conn, project, utcnow(), store_consensus=False).cost.complete
    assert cost is not None
    reviewers = 30 / 3600 * 60
    coding = 60 / 3600 * 30 + 120 / 3600 * 30 + reviewers + 0.75 + 0.0625  # 2.8125
    qa = 360 / 3600 * 30 + 0.3  # 3.3
    assert cost.by_category["coding"].spend == coding
    assert cost.by_category["qa"].model_dump() == {"spend": qa, "accepted": 1, "per_accepted": qa}
    assert cost.unattributed_spend == 0.125  # the judge call of _plant, which names no task
    assert cost.models["draft"].model_dump() == {
        "calls": 1, "failed": 0, "prompt_tokens": 30, "completion_tokens": 90, "cost": 0.3}
    assert cost.by_kind["demonstration"].spend == 360 / 3600 * 30 + 0.3
    assert cost.per_accepted_demonstration == 360 / 3600 * 30 + 0.3
