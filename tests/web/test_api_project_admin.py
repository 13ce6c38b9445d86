"""Projects administered over the real app on SQLite and PostgreSQL: created by admins with
the CLI's defaults, settings changed by managers (only the fields sent), changes the stored
work forbids refused with 409 and nothing changed, archive and unarchive, members and roles,
every change in the audit trail, and denied writes changing nothing."""

from __future__ import annotations

from sqlalchemy import select

from accord.db.tables import audit_events, memberships, projects
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer


def _judge(api, token, ranking, ratings):
    got = api.get("/api/v1/projects/prefs/tasks/next", headers=token)
    assert got.status_code == 200, got.text
    return api.post(f"/api/v1/assignments/{got.json()['assignment_id']}/submit",
                    headers=token, json={"ranking": ranking, "ratings": ratings})


def _rows(engine, table):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key))]


def _actions(engine):
    with engine.connect() as conn:
        return [r.action for r in conn.execute(select(audit_events.c.action)
                                               .order_by(audit_events.c.id))]


def test_an_admin_creates_a_project_with_the_cli_defaults(api, engine):
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    made = api.post("/api/v1/projects", headers=admin, json={"name": "helpful"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["overlap"], body["lease_seconds"], body["ranking_mode"], body["allow_ties"],
            body["gold_rate"], body["rules"], body["archived"]) == \
        (3, 900, "pairwise", False, 0.0, {}, False)
    assert "fraud" in body["harm_categories"]
    full = api.post("/api/v1/projects", headers=admin, json={
        "name": "safety", "overlap": 5, "ranking_mode": "kway", "allow_ties": True,
        "dimensions": [{"name": "honesty", "min": 1, "max": 7}],
        "harm_categories": ["fraud", "weapons"],
        "rules": {"calibration": {"tasks": 3, "pass_threshold": 0.5}}})
    assert full.status_code == 201, full.text
    assert full.json()["dimensions"] == [
        {"name": "honesty", "min": 1, "max": 7, "description": ""}]
    assert full.json()["harm_categories"] == ["fraud", "weapons"]
    assert full.json()["rules"] == {"calibration": {"tasks": 3, "pass_threshold": 0.5}}
    taken = api.post("/api/v1/projects", headers=admin, json={"name": "helpful"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "already_exists"
    assert _actions(engine) == ["project.created", "project.created"]


def test_only_admins_create_and_bad_bodies_change_nothing(api, engine):
    project = make_project(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    before = _rows(engine, projects)
    denied = api.post("/api/v1/projects", headers=boss, json={"name": "mine"})
    assert denied.status_code == 403
    for body, field in (({"name": "x", "overlap": 0}, "overlap"),
                        ({"name": "bad name!"}, "name"),
                        ({"name": "x", "dimensions": [{"name": "h", "min": 5, "max": 1}]},
                         "min (5) must be below max"),
                        ({"name": "x", "rules": {"calibration": {"tasks": 0}}}, "tasks"),
                        ({"name": "x", "colour": "red"}, "colour")):
        answer = api.post("/api/v1/projects", headers=admin, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert field in answer.json()["error"]["message"]
    assert api.post("/api/v1/projects", json={"name": "x"}).status_code == 401
    assert _rows(engine, projects) == before
    assert _actions(engine) == []


def test_a_manager_changes_only_the_fields_sent(api, engine):
    project = make_project(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    ann = bearer(make_user(engine, "ann", project=project, roles=("annotator",)).token)
    outsider = bearer(make_user(engine, "out").token)
    before = _rows(engine, projects)
    assert api.patch("/api/v1/projects/prefs", headers=ann,
                     json={"overlap": 5}).status_code == 403
    assert api.patch("/api/v1/projects/prefs", headers=outsider,
                     json={"overlap": 5}).status_code == 404
    assert _rows(engine, projects) == before
    changed = api.patch("/api/v1/projects/prefs", headers=boss, json={
        "overlap": 5, "allow_ties": True,
        "dimensions": [{"name": "honesty", "min": 1, "max": 5, "description": "True."},
                       {"name": "helpfulness", "min": 1, "max": 5}]})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["overlap"], body["allow_ties"], body["lease_seconds"]) == (5, True, 900)
    assert [d["name"] for d in body["dimensions"]] == ["honesty", "helpfulness"]
    assert api.get("/api/v1/projects/prefs/settings", headers=boss).json() == body
    assert api.get("/api/v1/projects/prefs/settings", headers=ann).status_code == 403
    with engine.connect() as conn:
        event = conn.execute(select(audit_events).where(
            audit_events.c.action == "project.settings_changed")).one()
    assert event.details["before"]["overlap"] == 3 and event.details["after"]["overlap"] == 5


def test_changes_the_stored_work_forbids_answer_409_and_change_nothing(api, engine):
    project = make_project(engine, allow_ties=True)
    add_comparisons(engine, project, 2)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    make_user(engine, "ann", project=project, roles=("annotator",))
    ann = bearer(make_user(engine, "ann2", project=project, roles=("annotator",)).token)
    submitted = _judge(api, ann, [["a", "b"]], {"a": {"helpfulness": 4}, "b": {"helpfulness": 2}})
    assert submitted.status_code == 200, submitted.text
    before = _rows(engine, projects)
    refusals = {
        "overlap": {"overlap": 2},
        "ranking mode": {"ranking_mode": "kway"},
        "ties": {"allow_ties": False},
        "helpfulness": {"dimensions": [{"name": "honesty", "min": 1, "max": 5}]},
        "scale": {"dimensions": [{"name": "helpfulness", "min": 1, "max": 3},
                                 {"name": "honesty", "min": 1, "max": 5}]},
    }
    for reason, body in refusals.items():
        answer = api.patch("/api/v1/projects/prefs", headers=boss, json=body)
        assert answer.status_code == 409, (reason, answer.text)
        assert reason in answer.json()["error"]["message"]
    assert _rows(engine, projects) == before
    widened = api.patch("/api/v1/projects/prefs", headers=boss, json={
        "overlap": 4, "dimensions": [{"name": "helpfulness", "min": 0, "max": 10}]})
    assert widened.status_code == 200, widened.text


def test_an_archived_project_keeps_its_data_and_hands_out_no_work(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    ann = bearer(make_user(engine, "ann", project=project, roles=("annotator",)).token)
    assert api.post("/api/v1/projects/prefs/archive", headers=ann).status_code == 403
    archived = api.post("/api/v1/projects/prefs/archive", headers=boss)
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert api.post("/api/v1/projects/prefs/archive", headers=boss).status_code == 409
    assert api.get("/api/v1/projects/prefs/tasks/next", headers=ann).status_code == 204
    assert api.get("/api/v1/projects", headers=ann).json() == []
    listed = api.get("/api/v1/projects?archived=true", headers=ann).json()
    assert [(p["name"], p["archived"]) for p in listed] == [("prefs", True)]
    assert api.get("/api/v1/projects/prefs/progress", headers=ann).json()["tasks"] == 2
    assert api.post("/api/v1/projects/prefs/unarchive", headers=boss).status_code == 200
    assert api.get("/api/v1/projects/prefs/tasks/next", headers=ann).status_code == 200
    assert _actions(engine) == ["project.archived", "project.unarchived"]


def test_managers_manage_members_and_cannot_drop_their_own_management(api, engine):
    project = make_project(engine)
    make_project(engine, "other")
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    ann = bearer(make_user(engine, "ann", project=project, roles=("annotator",)).token)
    make_user(engine, "bob")
    base = "/api/v1/projects/prefs/members"
    before = _rows(engine, memberships)
    assert api.put(f"{base}/bob", headers=ann, json={"roles": ["reviewer"]}).status_code == 403
    assert api.put("/api/v1/projects/other/members/bob", headers=boss,
                   json={"roles": ["reviewer"]}).status_code == 404
    assert api.put(f"{base}/boss", headers=boss,
                   json={"roles": ["annotator"]}).status_code == 403
    assert api.put(f"{base}/nobody", headers=boss,
                   json={"roles": ["annotator"]}).status_code == 404
    assert api.put(f"{base}/bob", headers=boss, json={"roles": ["chef"]}).status_code == 422
    assert _rows(engine, memberships) == before
    made = api.put(f"{base}/bob", headers=boss, json={"roles": ["reviewer", "annotator"]})
    assert made.json() == {"name": "bob", "kind": "human", "active": True,
                           "roles": ["annotator", "reviewer"]}
    first = api.get(f"{base}?limit=2", headers=boss).json()
    assert [m["name"] for m in first["items"]] == ["ann", "bob"] and first["next"] == "bob"
    rest = api.get(f"{base}?limit=2&after=bob", headers=boss).json()
    assert [m["name"] for m in rest["items"]] == ["boss"] and rest["next"] is None
    assert api.get(f"{base}/bob", headers=boss).json()["roles"] == ["annotator", "reviewer"]
    assert api.delete(f"{base}/bob", headers=boss).status_code == 204
    assert api.get(f"{base}/bob", headers=boss).status_code == 404
    assert api.delete(f"{base}/bob", headers=boss).status_code == 404
    assert _actions(engine) == ["member.roles_set", "member.removed"]
