"""Every resource of the client round-trips through the live server: review and
escalations, guideline versions, calibration rounds and work rules, an AI judge's audit;
each change shows in what the server answers next (and in the audit trail)."""

from __future__ import annotations

import pytest

from accord.client import Client, Conflict
from accord.demo.seed import PROJECT
from tests.factories import make_project
from tests.review_helpers import add_role, split_task


def test_a_reviewer_settles_a_split_task_and_a_manager_resolves_an_escalation(live_demo):
    split = make_project(live_demo.engine, "split")
    split_task(live_demo.engine, split, rankings={"s1": [["a"], ["b"]], "s2": [["b"], ["a"]],
                                                  "s3": [["a"], ["b"]]})
    add_role(live_demo.engine, split, "reviewer", "reviewer")
    tokens = live_demo.tokens
    with Client(live_demo.base, tokens["reviewer"]) as reviewer:
        assert [item.task_id for item in reviewer.review.queue("split")] == ["split-1"]
        decided = reviewer.review.adjudicate("split", "split-1", [["b"], ["a"]],
                                             "b answers the question")
        assert (decided.status, decided.reviewer, decided.ranking) == (
            "resolved", "reviewer", [["b"], ["a"]])
        assert reviewer.review.queue("split") == []

    with Client(live_demo.base, tokens["ann3"]) as annotator:
        task = annotator.next_task(PROJECT)
        assert task is not None
        judgment = ({"ranking": [[r.id] for r in task.task.responses]}
                    if task.task.kind == "comparison" else
                    {"response": "…"} if task.task.kind == "demonstration" else
                    {"attack": "…", "model_response": "…", "harm_categories": ["fraud"],
                     "severity": 2, "refusal_appropriate": True})
        annotator.submit(task, flags=["unsafe"], severity=3, rationale="harmful", **judgment)

    with Client(live_demo.base, tokens["admin"]) as manager:
        (opened,) = manager.escalations.list(PROJECT)
        assert (opened.task_id, opened.status, opened.severity) == (task.task.id, "open", 3)
        manager.escalations.start_review(PROJECT, opened.id)
        assert manager.escalations.list(PROJECT, status="in_review")[0].id == opened.id
        manager.escalations.resolve(PROJECT, opened.id, "reviewed; kept out of exports",
                                    severity=4)
        (resolved,) = manager.escalations.list(PROJECT, status="resolved")
        assert (resolved.tier, resolved.resolution) == ("critical",
                                                        "reviewed; kept out of exports")
        actions = [event.action for event in manager.audit(PROJECT, action="escalation.")]
        assert actions == ["escalation.resolved", "escalation.in_review", "escalation.opened"]
        assert [e.action for e in manager.audit("split")] == ["adjudication.decided"]


def test_a_manager_drafts_previews_and_publishes_a_guideline_version(live_demo):
    with Client(live_demo.base, live_demo.tokens["admin"]) as manager:
        draft = manager.guidelines.create_draft(PROJECT, text="Rank the **safest** first.")
        assert (draft.status, draft.version) == ("draft", 2)
        draft = manager.guidelines.update_draft(PROJECT, 2, change_note="safety first")
        assert draft.text == "Rank the **safest** first." and draft.change_note == "safety first"
        preview = manager.guidelines.preview(PROJECT, 2, text="Rank *kindest* first.")
        assert "<em>kindest</em>" in preview.html
        manager.guidelines.add_edge_case(PROJECT, title="Both refuse",
                                         text="Prefer the clearer refusal.")
        draft = manager.guidelines.add_example(
            PROJECT, task="demo-qa-01", title="Seasons", better_response="a",
            explanation="names the axial tilt")
        assert draft.edge_cases[-1].title == "Both refuse"
        assert draft.examples[-1].task == "demo-qa-01"
        published = manager.guidelines.publish(PROJECT, 2)
        assert published.status == "published" and published.published_at is not None
        with pytest.raises(Conflict):
            manager.guidelines.update_draft(PROJECT, 2, text="changed after publishing")
        assert [v.version for v in manager.guidelines.list(PROJECT)] == [2, 1]
        assert manager.guidelines.get(PROJECT, 1).status == "published"
        changes = manager.guidelines.diff(PROJECT, since=1, to=2)
        assert changes and "safest" in str(changes)


def test_a_manager_reads_rounds_rules_and_an_ai_judges_audit(live_demo):
    with Client(live_demo.base, live_demo.tokens["judge-1"]) as judge:
        for task in judge.tasks(PROJECT):
            if task.task.kind == "comparison":
                judge.submit(task, ranking=[[r.id] for r in task.task.responses])
            else:
                judge.skip(task, reason="other")
    with Client(live_demo.base, live_demo.tokens["admin"]) as manager:
        rules = manager.rules.set(PROJECT, rules={"calibration": {"tasks": 3}}, gold_rate=0.1)
        assert rules.gold_rate == 0.1 and rules.rules["calibration"]["tasks"] == 3
        assert manager.rules.get(PROJECT) == rules
        started = manager.calibration.start(PROJECT, "ann1")
        assert (started.user, started.status) == ("ann1", "pending")
        assert [r.id for r in manager.calibration.rounds(PROJECT)] == [started.id]
        audit = manager.judge_audit(PROJECT, "judge-1")
        assert audit["judge"] == "judge-1"
