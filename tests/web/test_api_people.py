"""People administered over the real app on SQLite and PostgreSQL: users listed a page at a
time and created with a token shown once, expertise edited, deactivation that stops tokens
and sessions at once and releases leases, tokens reset by oneself, invites that work once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accord.db.tables import assignments, audit_events, tasks, users
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer, log_in


def _users(engine):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(users).order_by(users.c.id))]


def _actions(engine):
    with engine.connect() as conn:
        return [r.action for r in conn.execute(select(audit_events.c.action)
                                               .order_by(audit_events.c.id))]


def test_admins_list_and_create_users_and_others_change_nothing(api, engine):
    project = make_project(engine)
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    before = _users(engine)
    assert api.get("/api/v1/users", headers=boss).status_code == 403
    assert api.post("/api/v1/users", headers=boss, json={"name": "eve"}).status_code == 403
    assert api.post("/api/v1/users", headers=admin,
                    json={"name": "eve", "project": "nope"}).status_code == 404
    assert api.post("/api/v1/users", headers=admin,
                    json={"name": "e v e"}).status_code == 422
    assert _users(engine) == before
    made = api.post("/api/v1/users", headers=admin, json={
        "name": "ana", "expertise": ["Coding"], "project": "prefs",
        "roles": ["annotator", "reviewer"], "password": "long enough"})
    assert made.status_code == 201, made.text
    assert made.json()["user"]["expertise"] == ["coding"]
    token = bearer(made.json()["token"])
    assert api.get("/api/v1/me", headers=token).json()["name"] == "ana"
    assert api.get("/api/v1/projects", headers=token).json()[0]["roles"] == \
        ["annotator", "reviewer"]
    log_in(api, "ana", "long enough")
    assert api.post("/api/v1/users", headers=admin,
                    json={"name": "ana"}).json()["error"]["code"] == "already_exists"
    first = api.get("/api/v1/users?limit=2", headers=admin).json()
    assert [u["name"] for u in first["items"]] == ["ana", "boss"] and first["next"] == "boss"
    rest = api.get("/api/v1/users?limit=2&after=boss", headers=admin).json()
    assert [u["name"] for u in rest["items"]] == ["root"] and rest["next"] is None
    assert api.get("/api/v1/users?limit=0", headers=admin).status_code == 422
    assert _actions(engine) == ["user.created"]


def test_expertise_is_editable_by_admins(api, engine):
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    ann = bearer(make_user(engine, "ann", expertise=["qa"]).token)
    assert api.put("/api/v1/users/ann/expertise", headers=ann,
                   json={"expertise": ["medical"]}).status_code == 403
    assert api.get("/api/v1/users/ann", headers=ann).json()["expertise"] == ["qa"]
    bad = api.put("/api/v1/users/ann/expertise", headers=admin, json={"expertise": ["A B"]})
    assert bad.status_code == 422 and "a b" in bad.json()["error"]["message"]
    done = api.put("/api/v1/users/ann/expertise", headers=admin,
                   json={"expertise": ["stem.math", "coding"]})
    assert done.json()["expertise"] == ["coding", "stem.math"]
    assert api.put("/api/v1/users/ghost/expertise", headers=admin,
                   json={"expertise": []}).status_code == 404


def test_deactivation_stops_tokens_and_sessions_at_once_and_releases_leases(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    ann = bearer(make_user(engine, "ann", project=project, roles=("annotator",),
                           password="pw").token)
    assert api.get("/api/v1/projects/prefs/tasks/next", headers=ann).status_code == 200
    log_in(api, "ann", "pw")
    assert api.get("/api/v1/me").status_code == 200
    assert api.post("/api/v1/users/root/deactivate", headers=admin).status_code == 409
    assert api.post("/api/v1/users/ann/deactivate", headers=ann).status_code == 403
    done = api.post("/api/v1/users/ann/deactivate", headers=admin)
    assert done.status_code == 200, done.text
    assert (done.json()["leases_released"], done.json()["sessions_ended"],
            done.json()["user"]["active"]) == (1, 1, False)
    assert api.get("/api/v1/me", headers=ann).status_code == 401
    assert api.get("/api/v1/me").status_code == 401
    with engine.connect() as conn:
        assert conn.execute(select(tasks.c.taken)).scalar_one() == 0
        assert conn.execute(select(assignments.c.status)).scalar_one() == "expired"
    assert api.post("/api/v1/users/ann/deactivate", headers=admin).status_code == 409
    back = api.post("/api/v1/users/ann/reactivate", headers=admin)
    assert back.json()["active"] is True
    assert api.get("/api/v1/me", headers=ann).status_code == 401  # revoked tokens stay so
    log_in(api, "ann", "pw")
    assert _actions(engine) == ["user.deactivated", "user.reactivated"]


def test_a_user_resets_their_own_tokens_and_no_one_elses(api, engine):
    ann_token = make_user(engine, "ann").token
    ann = bearer(ann_token)
    bob = bearer(make_user(engine, "bob").token)
    assert api.post("/api/v1/users/ann/tokens", headers=bob, json={}).status_code == 403
    assert api.get("/api/v1/me", headers=ann).status_code == 200
    fresh = api.post("/api/v1/users/ann/tokens", headers=ann,
                     json={"label": "laptop", "revoke_others": True})
    assert fresh.status_code == 201 and fresh.json()["revoked"] == 1
    assert api.get("/api/v1/me", headers=ann).status_code == 401
    assert api.get("/api/v1/me", headers=bearer(fresh.json()["token"])).json()["name"] == "ann"


def test_an_invite_link_works_once_and_says_why_it_no_longer_does(api, engine):
    project = make_project(engine)
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    assert api.post("/api/v1/invites", headers=boss, json={}).status_code == 403
    made = api.post("/api/v1/invites", headers=admin,
                    json={"project": "prefs", "roles": ["reviewer"], "valid_hours": 2})
    assert made.status_code == 201, made.text
    path = made.json()["url"].removeprefix("http://accord.test")
    assert path.startswith("/invite/")
    assert "reviewer" in api.get(path).text
    short = api.post(path, data={"username": "nia", "password": "short",
                                 "password_again": "short"})
    assert short.status_code == 422 and "8 to 1024" in short.text
    joined = api.post(path, data={"username": "nia", "password": "a good secret",
                                  "password_again": "a good secret"}, follow_redirects=False)
    assert joined.status_code == 303, joined.text
    me = api.get("/api/v1/projects").json()
    assert [(p["name"], p["roles"]) for p in me] == [("prefs", ["reviewer"])]
    again = api.get(path)
    assert again.status_code == 409 and "already been used" in again.text
    assert api.post(path, data={"username": "zed", "password": "a good secret",
                                "password_again": "a good secret"}).status_code == 409
    assert api.get("/invite/not-a-secret").status_code == 404
    assert _actions(engine) == ["invite.created", "user.created", "invite.accepted"]


def test_an_expired_invite_says_so(api, engine):
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    made = api.post("/api/v1/invites", headers=admin, json={"name": "kim", "valid_hours": 1})
    path = made.json()["url"].removeprefix("http://accord.test")
    later = utcnow() + timedelta(hours=2)
    api.app.state.clock = lambda: later  # type: ignore[attr-defined]
    expired = api.get(path)
    assert expired.status_code == 409 and "expired" in expired.text
