"""The ``accord`` command: set-up, users, projects; JSON output and one-line errors."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from accord.core.people import users as user_rules
from accord.db import migrate
from accord.db.tables import api_tokens, memberships, user_expertise, users


def test_init_is_repeatable_and_reports_the_schema(accord, engine):
    head = migrate.head_revision(engine)  # the newest migration, whichever that is now
    first = accord("init", "--json")
    again = accord("init")
    assert first.exit_code == 0, first.output
    assert orjson.loads(first.stdout)["revision"] == head
    assert again.exit_code == 0 and f"schema {head}" in again.stdout


def test_user_add_prints_a_working_token_once_and_stores_only_its_hash(accord, engine):
    assert accord("project", "create", "p", "--overlap", "2", "--allow-ties").exit_code == 0
    made = accord("user", "add", "ann", "--project", "p", "--role", "annotator",
                  "--role", "reviewer", "--expertise", "coding, stem.math", "--json")
    assert made.exit_code == 0, made.output
    body = orjson.loads(made.stdout)
    assert body["roles"] == ["annotator", "reviewer"]
    with engine.connect() as conn:
        assert user_rules.authenticate_token(conn, body["token"]).name == "ann"
        hashes = conn.execute(select(api_tokens.c.token_hash)).scalars().all()
        roles = conn.execute(select(memberships.c.role)).scalars().all()
        tags = conn.execute(select(user_expertise.c.tag)).scalars().all()
    assert body["token"] not in hashes
    assert sorted(roles) == ["annotator", "reviewer"]
    assert sorted(tags) == ["coding", "stem.math"]


def test_project_create_json_describes_the_project(accord):
    made = accord("project", "create", "k", "--overlap", "5", "--ranking", "kway",
                  "--dimension", "helpfulness:1-7", "--lease-minutes", "30", "--json")
    assert made.exit_code == 0, made.output
    body = orjson.loads(made.stdout)
    assert body["overlap"] == 5 and body["ranking_mode"] == "kway"
    assert body["lease_seconds"] == 1800
    assert body["dimensions"] == [{"name": "helpfulness", "min": 1, "max": 7, "description": ""}]


def test_add_member_gives_a_role(accord, engine):
    accord("project", "create", "p")
    accord("user", "add", "rev")
    added = accord("project", "add-member", "p", "rev", "--role", "reviewer", "--json")
    assert added.exit_code == 0, added.output
    assert orjson.loads(added.stdout) == {"project": "p", "user": "rev", "role": "reviewer"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("project", "create", "p"), 'project "p" already exists'),
        (("project", "create", "bad name"), 'project name "bad name"'),
        (("project", "create", "q", "--overlap", "0"), "overlap must be at least 1"),
        (("project", "create", "q", "--dimension", "helpfulness"), "name:1-5"),
        (("user", "add", "taken"), 'user "taken" already exists'),
        (("user", "add", "x", "--project", "nowhere"), 'project "nowhere" does not exist'),
        (("user", "add", "y", "--project", "p", "--role", "boss"), 'role "boss" is not one of'),
        (("project", "add-member", "p", "ghost"), 'user "ghost" does not exist'),
        (("export", "nowhere", "--format", "raw", "--out", "x.jsonl"), "nowhere"),
    ],
)
def test_errors_are_one_line_and_change_nothing(accord, engine, args, message):
    accord("project", "create", "p")
    accord("user", "add", "taken")
    with engine.connect() as conn:
        before = conn.execute(select(users.c.name)).scalars().all()
    result = accord(*args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    with engine.connect() as conn:
        assert conn.execute(select(users.c.name)).scalars().all() == before


def test_every_command_has_help(accord):
    for command in (["init"], ["db", "upgrade"], ["user", "add"], ["project", "create"],
                    ["project", "add-member"], ["import"], ["export"], ["serve"], ["demo"]):
        result = accord(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout, command
