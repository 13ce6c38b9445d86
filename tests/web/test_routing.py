"""Which task an annotator gets, over the HTTP API: gold mixed in at the project's rate and
indistinguishable from production work, expertise, the daily exposure limit on sensitive
content, breaks after continuous work, and rotation between categories."""

from __future__ import annotations

import json
import math
import random
import re

from accord.core.work.rules import update_rules
from tests.factories import import_lines, make_project, make_user
from tests.web.conftest import log_in
from tests.web.routing_helpers import (
    START,
    claim,
    claim_and_submit,
    item,
    submit,
    use_clock,
    work_on_one,
)


def annotator(engine, project, name="ann", expertise=None):
    return make_user(engine, name, project=project, roles=("annotator",), password="pw",
                     expertise=expertise).token


def set_rules(engine, project, **changes):
    with engine.begin() as conn:
        update_rules(conn, project.name, changes=changes)


def test_gold_tasks_are_mixed_in_at_the_projects_gold_rate(api, engine):
    rate, claims_made = 0.2, 150
    project = make_project(engine, gold_rate=rate)
    # More of each than the claims can use up, so every draw finds what it asks for.
    import_lines(engine, project, *[item(f"q-{i}", gold=[["a"], ["b"]]) for i in range(100)],
                 *[item(f"q-{100 + i}") for i in range(claims_made)])
    token = annotator(engine, project)
    api.app.state.rng = random.Random(20261127)

    seen = [claim_and_submit(api, token)["task"]["id"] for _ in range(claims_made)]

    gold = sum(int(task_id.split("-")[1]) < 100 for task_id in seen)
    assert len(set(seen)) == claims_made  # never the same task, gold or not, twice
    mean = claims_made * rate
    bound = 4 * math.sqrt(claims_made * rate * (1 - rate))  # four binomial standard deviations
    assert mean - bound <= gold <= mean + bound, (gold, mean, bound)
    assert gold > 0


def shape(value):
    """The structure of a JSON value without its contents: keys, types and lengths."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def test_a_gold_task_looks_exactly_like_production_work(api, engine):
    project = make_project(engine, gold_rate=0.5)
    import_lines(engine, project, item("q-1", gold=[["b"], ["a"]], explanation="b is right"),
                 item("q-2"))
    token = annotator(engine, project)
    log_in(api, "ann", "pw")
    api.app.state.rng = random.Random(3)

    payloads, headers, pages, stored = {}, {}, {}, {}
    for _ in range(2):
        got = claim(api, token)
        body = got.json()
        task_id = body["task"]["id"]
        payloads[task_id], headers[task_id] = body, set(got.headers)
        pages[task_id] = api.get("/projects/prefs/annotate").text
        stored[task_id] = submit(api, token, body["assignment_id"], [["a"], ["b"]]).json()

    assert set(payloads) == {"q-1", "q-2"}
    assert shape(payloads["q-1"]) == shape(payloads["q-2"])
    assert headers["q-1"] == headers["q-2"]
    assert set(stored["q-1"]) == set(stored["q-2"]) and stored["q-1"]["calibration"] is None
    data = [json.loads(re.search(r'id="task-data">(.*?)</script>', pages[t]).group(1))
            for t in ("q-1", "q-2")]
    assert shape(data[0]) == shape(data[1])
    for task_id, page in pages.items():
        assert "gold" not in page.lower() and "b is right" not in page, task_id
        assert "calibration" not in page.lower(), task_id


def test_tasks_requiring_medical_never_reach_an_annotator_without_it(api, engine):
    project = make_project(engine, overlap=2)
    import_lines(engine, project, item("m-1", domains=["medical"], priority=5),
                 item("m-2", domains=["medical", "stem.math"], priority=5), item("q-1"))
    lay = annotator(engine, project, "lay", expertise=["stem.math", "coding"])
    doctor = annotator(engine, project, "doctor", expertise=["medical"])

    lay_tasks = []
    while (got := claim_and_submit(api, lay)) is not None:
        lay_tasks.append(got["task"]["id"])
    doctor_tasks = []
    while (got := claim_and_submit(api, doctor)) is not None:
        doctor_tasks.append(got["task"]["id"])

    assert lay_tasks == ["q-1"]
    assert sorted(doctor_tasks) == ["m-1", "q-1"]  # m-2 also needs stem.math


def test_the_exposure_limit_keeps_sensitive_tasks_away_for_the_rest_of_the_day(api, engine):
    project = make_project(engine)
    import_lines(engine, project,
                 *[item(f"s-{i}", category="safety", priority=5) for i in range(4)],
                 {"id": "r-1", "kind": "red_team", "topic": "phishing", "category": "security",
                  "priority": 5},
                 *[item(f"q-{i}") for i in range(3)])
    set_rules(engine, project, exposure={"per_day": 2})
    token = annotator(engine, project)
    clock = use_clock(api, START.replace(hour=20))

    first_day = []
    while (got := claim(api, token)).status_code == 200:
        body = got.json()
        first_day.append(body["task"]["id"])
        if body["task"]["kind"] == "red_team":
            answer = {"attack": "a lure", "harm_categories": ["fraud"], "severity": 2,
                      "refusal_appropriate": True, "active_ms": 10}
            api.post(f"/api/v1/assignments/{body['assignment_id']}/submit", json=answer,
                     headers={"Authorization": f"Bearer {token}"})
        else:
            submit(api, token, body["assignment_id"], [["a"], ["b"]])
    assert got.headers.get("Accord-Wait") is None  # simply nothing left that they may see
    assert first_day == ["s-0", "s-1", "q-0", "q-1", "q-2"]

    clock.advance(hours=5)  # past midnight UTC: a new day, a new allowance
    next_day = [claim_and_submit(api, token)["task"]["id"] for _ in range(2)]
    assert next_day == ["s-2", "s-3"]
    assert claim(api, token).status_code == 204


def test_a_flagged_task_counts_as_exposure(api, engine):
    project = make_project(engine, overlap=2)
    import_lines(engine, project, item("q-1", priority=9),
                 item("s-1", category="safety", priority=5), item("q-2"))
    set_rules(engine, project, exposure={"per_day": 1})
    token = annotator(engine, project)
    use_clock(api)

    flagged = claim(api, token).json()
    submit(api, token, flagged["assignment_id"], [["a"], ["b"]], flags=["unsafe"],
           severity=3)

    assert claim_and_submit(api, token)["task"]["id"] == "q-2"  # s-1 is withheld now
    assert claim(api, token).status_code == 204


def test_a_break_is_required_after_continuous_work(api, engine):
    project = make_project(engine)
    import_lines(engine, project, *[item(f"q-{i}") for i in range(20)])
    set_rules(engine, project, breaks={"work_minutes": 30, "break_minutes": 10})
    token = annotator(engine, project)
    clock = use_clock(api)
    log_in(api, "ann", "pw")

    for _ in range(7):  # 4 minutes a task, a minute between: one stretch of 34 minutes
        work_on_one(api, token, clock, 4)
        clock.advance(minutes=1)

    refused = claim(api, token)
    until = START.replace(minute=34 + 10)  # the last submission, plus the break
    assert refused.status_code == 204
    assert refused.headers["Accord-Wait"] == "break"
    assert refused.headers["Accord-Wait-Until"] == until.isoformat()
    assert refused.headers["Retry-After"] == str(int((until - clock()).total_seconds()))
    assert "Take a break until 09:44 UTC" in refused.headers["Accord-Wait-Message"]
    assert "Take a break until 09:44 UTC" in api.get("/projects/prefs/annotate").text

    clock.advance(minutes=8)  # 09:43: not yet
    assert claim(api, token).headers["Accord-Wait"] == "break"
    clock.advance(minutes=1)
    assert claim(api, token).status_code == 200


def test_short_pauses_do_not_end_a_stretch_but_a_long_one_does(api, engine):
    project = make_project(engine)
    import_lines(engine, project, *[item(f"q-{i}") for i in range(20)])
    set_rules(engine, project, breaks={"work_minutes": 30, "break_minutes": 10})
    token = annotator(engine, project)
    clock = use_clock(api)

    for pause in (9, 9, 9, 10, 9, 9):  # the 10-minute pause restarts the count
        work_on_one(api, token, clock, 2)
        clock.advance(minutes=pause)
    assert claim(api, token).status_code == 200  # 2 + 9 + 2 + 9 + 2 = 24 minutes since


def test_rotation_prefers_another_category_after_a_streak(api, engine):
    project = make_project(engine)
    import_lines(engine, project, *[item(f"q-{i}", category="qa", priority=5) for i in range(5)],
                 *[item(f"c-{i}", category="coding") for i in range(2)])
    set_rules(engine, project, rotation={"after": 3})
    token = annotator(engine, project)

    categories = []
    while (got := claim_and_submit(api, token)) is not None:
        categories.append(got["task"]["category"])

    assert categories == ["qa", "qa", "qa", "coding", "qa", "qa", "coding"]


def test_rotation_falls_back_to_the_same_category_when_nothing_else_is_left(api, engine):
    project = make_project(engine)
    import_lines(engine, project, *[item(f"q-{i}") for i in range(4)])
    set_rules(engine, project, rotation={"after": 2})
    token = annotator(engine, project)

    got = [claim_and_submit(api, token)["task"]["id"] for _ in range(4)]

    assert got == ["q-0", "q-1", "q-2", "q-3"]
