"""The administration commands run the same core functions as the API: settings changed
and refused alike, archive, members, users, expertise, deactivation and invites."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from accord.db.tables import audit_events, invites


def test_projects_are_administered_from_the_command_line(accord, engine):
    made = accord("project", "create", "p", "--harm-category", "fraud", "--json")
    assert made.exit_code == 0, made.output
    assert orjson.loads(made.stdout)["harm_categories"] == ["fraud"]
    changed = accord("project", "set", "p", "--overlap", "4", "--no-ties", "--dimension",
                     "honesty:1-5", "--json")
    assert changed.exit_code == 0, changed.output
    body = orjson.loads(changed.stdout)
    assert (body["overlap"], body["dimensions"][0]["name"]) == (4, "honesty")
    bad = accord("project", "set", "p", "--overlap", "0")
    assert bad.exit_code == 1 and "overlap must be at least 1" in bad.output
    assert accord("project", "archive", "p").exit_code == 0
    assert "p:" not in accord("project", "list").stdout
    assert "p:" in accord("project", "list", "--archived").stdout
    again = accord("project", "archive", "p")
    assert again.exit_code == 1 and "already archived" in again.output
    assert accord("project", "unarchive", "p").exit_code == 0
    assert accord("user", "add", "ann").exit_code == 0
    roles = accord("project", "set-roles", "p", "ann", "--role", "reviewer", "--role",
                   "annotator", "--json")
    assert orjson.loads(roles.stdout)["roles"] == ["annotator", "reviewer"]
    listed = orjson.loads(accord("project", "members", "p", "--json").stdout)
    assert listed == {"items": [{"name": "ann", "kind": "human", "active": True,
                                 "roles": ["annotator", "reviewer"]}], "next": None}
    assert accord("project", "remove-member", "p", "ann").exit_code == 0
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_events.c.action)
                                                  .order_by(audit_events.c.id))]
    assert actions[:3] == ["project.created", "project.settings_changed", "project.archived"]
    assert actions[-1] == "member.removed"


def test_people_are_administered_from_the_command_line(accord, engine):
    assert accord("user", "add", "ann", "--expertise", "qa").exit_code == 0
    assert accord("user", "add", "bob").exit_code == 0
    tagged = accord("user", "expertise", "ann", "coding,stem.math", "--json")
    assert orjson.loads(tagged.stdout)["expertise"] == ["coding", "stem.math"]
    page = orjson.loads(accord("user", "list", "--limit", "1", "--json").stdout)
    assert [u["name"] for u in page["items"]] == ["ann"] and page["next"] == "ann"
    token = orjson.loads(accord("user", "token", "ann", "--revoke-others", "--json").stdout)
    assert token["revoked"] == 1
    gone = orjson.loads(accord("user", "deactivate", "ann", "--json").stdout)
    assert gone["user"]["active"] is False and gone["tokens_revoked"] == 1
    assert accord("user", "deactivate", "ann").exit_code == 1
    assert accord("user", "reactivate", "ann").exit_code == 0
    link = accord("user", "invite", "--name", "kim", "--base-url", "https://accord.example",
                  "--valid-hours", "2")
    assert link.exit_code == 0, link.output
    assert link.stdout.startswith("https://accord.example/invite/")
    with engine.connect() as conn:
        assert conn.execute(select(invites.c.name)).scalar_one() == "kim"
    taken = accord("user", "invite", "--name", "bob")
    assert taken.exit_code == 1 and 'user "bob" already exists' in taken.output


def test_an_existing_user_is_linked_to_a_provider_identity_and_unlinked(accord, engine):
    issuer = "https://keycloak.example.com/realms/acme"
    assert accord("user", "add", "ada").exit_code == 0
    assert accord("user", "add", "bob").exit_code == 0
    made = accord("user", "link-identity", "ada", "--issuer", issuer, "--subject", "s-1",
                  "--json")
    assert made.exit_code == 0, made.output
    assert orjson.loads(made.stdout) == {"user": "ada", "issuer": issuer, "subject": "s-1",
                                         "linked": True}
    taken = accord("user", "link-identity", "bob", "--issuer", issuer, "--subject", "s-1")
    assert taken.exit_code == 1 and 'already linked to user "ada"' in taken.output
    bad = accord("user", "link-identity", "bob", "--issuer", "keycloak", "--subject", "s-2")
    assert bad.exit_code == 1 and "issuer must be" in bad.output
    assert accord("user", "unlink-identity", "ada", "--issuer", issuer,
                  "--subject", "s-1").exit_code == 0
    missing = accord("user", "unlink-identity", "ada", "--issuer", issuer, "--subject", "s-1")
    assert missing.exit_code == 1 and "no linked identity" in missing.output
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_events.c.action)
                                                  .order_by(audit_events.c.id))]
    assert actions[-2:] == ["user.identity_linked", "user.identity_unlinked"]
