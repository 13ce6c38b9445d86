"""Suspect labels and active selection over the API: a manager finds suspects with the AI
judge, reviewers see them in the queue with their reason, exports leave them out on request,
and priorities are set by a strategy."""

from __future__ import annotations

import re

import orjson

from tests.core.suspect_world import JUDGE, settled_world
from tests.factories import add_comparison, make_user
from tests.web.conftest import bearer, log_in


def test_a_manager_finds_suspects_that_reviewers_see_and_exports_leave_out(api, engine):
    world = settled_world(engine, tasks_count=60)
    lead = make_user(engine, "lead", project=world.project, roles=("manager",)).token
    rev = make_user(engine, "rev", project=world.project, roles=("reviewer",)).token
    found = api.post("/api/v1/projects/prefs/suspects", headers=bearer(lead),
                     json={"judge": JUDGE, "top": 3})
    assert found.status_code == 200, found.text
    run = found.json()
    suspects = {s["task_id"]: s for s in run["suspects"]}
    assert suspects and run["signal"] == f"judge:{JUDGE}"
    queue = api.get("/api/v1/projects/prefs/adjudication", headers=bearer(rev)).json()
    assert {i["task_id"] for i in queue} == set(suspects)
    for item in queue:
        assert item["reason"] == "suspect label" and item["signal"] == f"judge:{JUDGE}"
        assert item["signal_probability"] == suspects[item["task_id"]]["signal_probability"]
    everything = api.get("/api/v1/projects/prefs/exports/preference", headers=bearer(rev))
    kept = api.get("/api/v1/projects/prefs/exports/preference?exclude_suspect=true",
                   headers=bearer(rev))
    assert everything.status_code == kept.status_code == 200

    def tasks(answer) -> set[str]:
        return {orjson.loads(line)["task_id"] for line in answer.content.splitlines()}

    assert tasks(everything) - tasks(kept) == set(suspects)


def test_reward_model_signals_are_for_the_command_line(api, engine):
    world = settled_world(engine, tasks_count=4)
    lead = make_user(engine, "lead", project=world.project, roles=("manager",)).token
    answer = api.post("/api/v1/projects/prefs/suspects", headers=bearer(lead),
                      json={"signal": "reward-model:/models/rm"})
    assert answer.status_code == 422
    by_model = api.post("/api/v1/projects/prefs/priorities", headers=bearer(lead),
                        json={"by": "reward-model", "signal": "/models/rm"})
    assert by_model.status_code == 422
    unknown = api.post("/api/v1/projects/prefs/suspects", headers=bearer(lead),
                       json={"judge": "nobody"})
    assert unknown.status_code == 404 and "nobody" in unknown.text


def test_a_manager_sets_priorities_and_a_rerun_changes_nothing(api, engine):
    world = settled_world(engine, tasks_count=4)
    with engine.begin() as conn:
        add_comparison(conn, world.project, "open-1")
    lead = make_user(engine, "lead", project=world.project, roles=("manager",)).token
    first = api.post("/api/v1/projects/prefs/priorities", headers=bearer(lead),
                     json={"by": "uncertainty"})
    assert first.status_code == 200, first.text
    assert [(c["task_id"], c["new_priority"]) for c in first.json()["changes"]] == \
        [("open-1", 1000)]
    again = api.post("/api/v1/projects/prefs/priorities", headers=bearer(lead),
                     json={"by": "uncertainty"}).json()
    assert (again["changed"], again["unchanged"]) == (0, 1)
    refused = api.post("/api/v1/projects/prefs/priorities", headers=bearer(lead),
                       json={"by": "judge"})
    assert refused.status_code == 422 and "judge" in refused.text


def test_the_review_page_names_the_suspect_and_the_signals_probability(api, engine):
    world = settled_world(engine, tasks_count=60)
    lead = make_user(engine, "lead", project=world.project, roles=("manager",)).token
    make_user(engine, "rev", project=world.project, roles=("reviewer",), password="pw")
    run = api.post("/api/v1/projects/prefs/suspects", headers=bearer(lead),
                   json={"judge": JUDGE, "top": 1}).json()
    suspect = run["suspects"][0]
    log_in(api, "rev", "pw")
    page = api.get("/projects/prefs/review")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert (f"{suspect['task_id']} suspect label (judge:{JUDGE}: "
            f"{suspect['signal_probability']:.2f} that the chosen response is better)") in text
    task = api.get(f"/projects/prefs/review/{suspect['task_id']}")
    assert task.status_code == 200 and 'name="place-0"' in task.text  # the form to decide
