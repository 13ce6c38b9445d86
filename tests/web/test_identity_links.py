"""Linking an existing password user to their identity at the provider, over the API, then
signing in through the real provider process (``oidc-provider-mock``): the provider's
person logs in as the existing user, not as a new one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accord.db.tables import audit_events, external_identities, users
from tests.factories import make_user
from tests.oidc_provider import Provider, person, running_provider
from tests.web.conftest import bearer
from tests.web.test_sso import accord, sign_in

PEOPLE = [person("grace"), person("kim")]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(PEOPLE) as running:
        yield running


@pytest.fixture
def app(db_url, engine, provider) -> Iterator[TestClient]:
    with accord(db_url, provider) as client:
        yield client


@pytest.fixture
def admin(engine) -> dict[str, str]:
    return bearer(make_user(engine, "root", is_admin=True).token)


def link(app: TestClient, admin: dict[str, str], provider: Provider, user: str, sub: str):
    return app.post(f"/api/v1/users/{user}/identities", headers=admin,
                    json={"issuer": provider.issuer, "subject": sub})


def user_names(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(users.c.name)).scalars())


def test_a_linked_password_user_signs_in_through_the_provider_as_themselves(
        app, engine, provider, admin):
    make_user(engine, "ada", password="a long enough password")
    linked = link(app, admin, provider, "ada", "grace")
    assert linked.status_code == 201, linked.text
    body = linked.json()
    assert body["linked"] is True and body["identity"]["user"] == "ada"
    assert body["identity"]["last_login_at"] is None
    answer = sign_in(app, "grace")
    assert answer.status_code == 200, answer.text
    assert app.get("/").status_code == 200
    assert 'title="Logged in as">ada<' in app.get("/").text
    assert user_names(engine) == ["ada", "root"]  # nobody new was created
    listed = app.get("/api/v1/users/ada/identities", headers=admin).json()
    assert [(i["subject"], i["last_login_at"] is not None) for i in listed] == [("grace", True)]
    with engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.action, audit_events.c.subject)
                               .order_by(audit_events.c.id)).all()
    assert [tuple(a) for a in actions] == [("user.identity_linked", "ada"),
                                           ("login.sso", "ada")]


def test_linking_the_same_identity_again_changes_nothing(app, engine, provider, admin):
    make_user(engine, "ada")
    assert link(app, admin, provider, "ada", "grace").json()["linked"] is True
    again = link(app, admin, provider, "ada", "grace")
    assert again.status_code == 201 and again.json()["linked"] is False
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(external_identities)
                            ).scalar_one() == 1


def test_an_identity_linked_to_someone_else_is_refused_naming_them(app, engine, provider,
                                                                   admin):
    make_user(engine, "ada")
    make_user(engine, "bob")
    assert link(app, admin, provider, "ada", "grace").status_code == 201
    refused = link(app, admin, provider, "bob", "grace")
    assert refused.status_code == 409
    assert 'already linked to user "ada"' in refused.json()["error"]["message"]
    with engine.connect() as conn:
        owner = conn.execute(select(users.c.name).join(
            external_identities, external_identities.c.user_id == users.c.id)).scalar_one()
    assert owner == "ada"


def test_a_deactivated_user_cannot_be_linked(app, engine, provider, admin):
    make_user(engine, "ada")
    assert app.post("/api/v1/users/ada/deactivate", headers=admin).status_code == 200
    refused = link(app, admin, provider, "ada", "grace")
    assert refused.status_code == 409 and "deactivated" in refused.json()["error"]["message"]
    assert app.get("/api/v1/users/ada/identities", headers=admin).json() == []


def test_an_issuer_that_is_not_a_url_is_refused_naming_the_field(app, engine, admin):
    make_user(engine, "ada")
    refused = app.post("/api/v1/users/ada/identities", headers=admin,
                       json={"issuer": "keycloak", "subject": "grace"})
    assert refused.status_code == 422 and "issuer" in refused.text


def test_only_administrators_link_identities(app, engine, provider):
    ada = make_user(engine, "ada")
    refused = link(app, bearer(ada.token), provider, "ada", "grace")
    assert refused.status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(external_identities)
                            ).scalar_one() == 0


def test_after_unlinking_the_identity_signs_in_as_a_new_user(app, engine, provider, admin):
    make_user(engine, "ada")
    assert link(app, admin, provider, "ada", "kim").status_code == 201
    gone = app.delete("/api/v1/users/ada/identities", headers=admin,
                      params={"issuer": provider.issuer, "subject": "kim"})
    assert gone.status_code == 204
    again = app.delete("/api/v1/users/ada/identities", headers=admin,
                       params={"issuer": provider.issuer, "subject": "kim"})
    assert again.status_code == 404 and "no linked identity" in again.json()["error"]["message"]
    assert sign_in(app, "kim").status_code == 200
    assert user_names(engine) == ["ada", "kim", "root"]
