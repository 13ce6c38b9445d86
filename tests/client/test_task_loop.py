"""``client.tasks(project)`` is the annotation loop: it ends when nothing is left, says why
when a project rule holds work back, and claims no more while its last task is unanswered
(each claim leases a new task, so a body that forgot to submit would lease them all)."""

from __future__ import annotations

import pytest

from accord.client import Client, UnfinishedTask
from accord.demo.seed import PROJECT


def test_the_loop_stops_with_the_reason_when_a_rule_holds_work_back(live_demo):
    with Client(live_demo.base, live_demo.tokens["admin"]) as manager:
        rules = manager.rules.set(PROJECT, rules={"calibration": {"tasks": 3}})
        assert rules.rules["calibration"]["tasks"] == 3
        assert manager.rules.get(PROJECT).rules == rules.rules
    with Client(live_demo.base, live_demo.tokens["ann1"]) as annotator:
        loop = annotator.tasks(PROJECT)
        assert list(loop) == []
        assert annotator.next_task(PROJECT) is None
    assert loop.wait is not None and loop.wait.reason == "calibration_unavailable"
    assert loop.wait.message and loop.wait.until is None


def test_the_loop_refuses_to_hand_out_a_task_that_was_neither_submitted_nor_skipped(live_demo):
    with Client(live_demo.base, live_demo.tokens["ann2"]) as annotator:
        loop = annotator.tasks(PROJECT)
        first = next(loop)
        with pytest.raises(UnfinishedTask, match=f"assignment {first.assignment_id} "
                                                 f'\\(task "{first.task.id}" of "demo"\\)'):
            next(loop)
        assert annotator.projects.progress(PROJECT).active_leases == 1
        annotator.skip(first, reason="unclear")
        second = next(loop)
    assert second.assignment_id != first.assignment_id
    assert second.task.id != first.task.id
