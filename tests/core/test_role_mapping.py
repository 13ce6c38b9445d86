"""The single sign-on role mapping and the users behind external identities, on SQLite and
PostgreSQL: what a mapping grants, what a later login takes back, what it never touches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accord.core.errors import Forbidden, InvalidInput
from accord.core.people.external_identities import name_stem, user_for_identity
from accord.core.projects.project import add_member, roles_of
from accord.core.projects.role_mapping import (
    Grants,
    ProjectRole,
    claim_values,
    parse_role_mapping,
)
from accord.core.projects.single_sign_on import sign_in
from accord.db.tables import audit_events, mapped_memberships, users
from accord.db.types import utcnow
from tests.factories import make_project, make_user

ISSUER = "https://id.example.org/realms/acme"
MAPPING = parse_role_mapping("""{
  "accord-admins": "admin",
  "rlhf-annotators": {"project": "demo", "role": "annotator"},
  "rlhf-leads": [{"project": "demo", "role": "manager"}, {"project": "demo", "role": "reviewer"}],
  "future-team": {"project": "not-yet", "role": "annotator"}
}""")


def log_in(engine, sub: str, *groups: str, name: str | None = None, at=None):
    claims = {"sub": sub, "groups": list(groups), "preferred_username": name or sub}
    with engine.begin() as conn:
        return sign_in(conn, ISSUER, claims, MAPPING, "groups", at or utcnow())


def roles(engine, project, user_id) -> set[str]:
    with engine.connect() as conn:
        return set(roles_of(conn, project.id, user_id))


# ── reading a mapping ────────────────────────────────────────────────────────────────────


def test_a_mapping_grants_admin_and_project_roles_by_claim_value():
    grants = MAPPING.grants(frozenset({"rlhf-leads", "accord-admins", "unmapped"}))
    assert grants == Grants(True, frozenset({ProjectRole("demo", "manager"),
                                             ProjectRole("demo", "reviewer")}))
    assert MAPPING.grants(frozenset()) == Grants(False, frozenset())


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "must be a JSON object"),
    ('{"g": ', "is not valid JSON"),
    ('{"g": "boss"}', '"g" must map to "admin" or to {"project": NAME, "role": ROLE}'),
    ('{"g": {"project": "demo", "role": "owner"}}', 'role "owner" is not one of annotator'),
    ('{"g": {"project": "", "role": "annotator"}}', "project must be a project's name"),
    ('{"g": []}', '"g" grants nothing'),
    ('{"g": {"project": "demo"}}', '"g" must map to'),
])
def test_a_wrong_mapping_entry_is_refused_naming_it(text, message):
    with pytest.raises(InvalidInput) as refused:
        parse_role_mapping(text, "ACCORD_OIDC_ROLE_MAPPING")
    assert message in refused.value.message
    assert refused.value.message.startswith("ACCORD_OIDC_ROLE_MAPPING")


def test_claim_values_read_a_list_a_string_or_a_nested_claim():
    claims = {"groups": ["a", "b", 3], "hd": "example.org",
              "realm_access": {"roles": ["rlhf-annotators"]}}
    assert claim_values(claims, "groups") == {"a", "b"}
    assert claim_values(claims, "hd") == {"example.org"}
    assert claim_values(claims, "realm_access.roles") == {"rlhf-annotators"}
    assert claim_values(claims, "missing") == frozenset()
    assert claim_values(claims, "hd.deeper") == frozenset()


def test_a_name_from_the_provider_keeps_only_what_an_accord_name_may_hold():
    assert name_stem("Ada Lovelace") == "Ada-Lovelace"
    assert name_stem("  -élise@example.org") == "lise@example.org"
    assert name_stem("ü") == ""


# ── applying it at every login ───────────────────────────────────────────────────────────


def test_the_first_login_creates_a_user_with_the_mapped_roles(engine):
    demo = make_project(engine, "demo")
    signed = log_in(engine, "s-1", "rlhf-annotators", name="Grace Hopper")
    user = signed.changes.user
    assert signed.created and user.name == "Grace-Hopper" and not user.is_admin
    assert roles(engine, demo, user.id) == {"annotator"}
    assert signed.changes.missing_projects == ()


def test_a_role_the_mapping_no_longer_grants_is_removed_at_the_next_login(engine):
    demo = make_project(engine, "demo")
    first = log_in(engine, "s-1", "rlhf-leads")
    user_id = first.changes.user.id
    assert roles(engine, demo, user_id) == {"manager", "reviewer"}
    later = log_in(engine, "s-1", "rlhf-annotators")
    assert not later.created and later.changes.user.id == user_id
    assert roles(engine, demo, user_id) == {"annotator"}
    assert set(later.changes.removed) == {ProjectRole("demo", "manager"),
                                          ProjectRole("demo", "reviewer")}


def test_roles_given_by_hand_are_kept_whatever_the_mapping_says(engine):
    demo = make_project(engine, "demo")
    user = log_in(engine, "s-1").changes.user
    with engine.begin() as conn:
        add_member(conn, demo, user, "reviewer")
        add_member(conn, demo, user, "annotator")
    log_in(engine, "s-1", "rlhf-annotators")  # grants annotator, already held by hand
    log_in(engine, "s-1")  # grants nothing any more
    assert roles(engine, demo, user.id) == {"reviewer", "annotator"}
    with engine.connect() as conn:
        assert conn.execute(select(mapped_memberships)).all() == []


def test_an_admin_by_mapping_loses_it_with_the_group_but_an_admin_by_hand_never_does(engine):
    mapped = log_in(engine, "s-1", "accord-admins")
    assert mapped.changes.user.is_admin and mapped.changes.admin == "granted"
    lost = log_in(engine, "s-1")
    assert not lost.changes.user.is_admin and lost.changes.admin == "revoked"
    by_hand = make_user(engine, "boss", is_admin=True).user
    with engine.begin() as conn:
        linked = user_for_identity(conn, ISSUER, "s-2", ["boss"], utcnow())
        assert linked.user.name == "boss-2"  # a new user: names never link identities
        conn.execute(update(users).where(users.c.id == linked.user.id).values(is_admin=True))
    assert log_in(engine, "s-2", "accord-admins").changes.admin is None
    kept = log_in(engine, "s-2")
    assert kept.changes.user.is_admin and kept.changes.admin is None
    assert by_hand.is_admin


def test_a_project_the_mapping_names_but_that_does_not_exist_grants_nothing(engine):
    signed = log_in(engine, "s-1", "future-team")
    assert signed.changes.missing_projects == ("not-yet",)
    assert signed.changes.added == ()
    later = make_project(engine, "not-yet")
    log_in(engine, "s-1", "future-team")
    assert roles(engine, later, signed.changes.user.id) == {"annotator"}


def test_each_role_change_is_in_its_projects_audit_trail(engine):
    demo = make_project(engine, "demo")
    log_in(engine, "s-1", "rlhf-annotators")
    log_in(engine, "s-1")
    with engine.connect() as conn:
        rows = conn.execute(select(audit_events.c.action, audit_events.c.project_id,
                                   audit_events.c.details).order_by(audit_events.c.id)).all()
    assert [(r.action, r.project_id) for r in rows] == [
        ("login.sso", None), ("membership.sso_granted", demo.id),
        ("login.sso", None), ("membership.sso_revoked", demo.id)]
    assert rows[1].details == {"role": "annotator"}
    assert rows[0].details["issuer"] == ISSUER and rows[0].details["created"] is True


def test_a_deactivated_user_cannot_sign_in_and_nothing_changes(engine):
    demo = make_project(engine, "demo")
    user = log_in(engine, "s-1").changes.user
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user.id).values(active=False))
    with pytest.raises(Forbidden, match="deactivated"):
        log_in(engine, "s-1", "rlhf-annotators", at=utcnow() + timedelta(minutes=1))
    assert roles(engine, demo, user.id) == set()


def test_an_id_token_without_a_subject_is_refused(engine):
    with engine.begin() as conn, pytest.raises(InvalidInput, match="no subject"):
        sign_in(conn, ISSUER, {"groups": []}, MAPPING, "groups", utcnow())
