"""Each task kind's submission is checked against its own fields and bounds: one endpoint,
a body by task kind, and nothing stored when the body says more than its kind takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from accord.core.projects.project import Project
from accord.core.tasks.judgments import MAX_HARM_CATEGORIES, MAX_TEXT
from accord.db.tables import annotations
from accord.web.values import STORABLE_PATTERN
from tests.factories import add_comparison, make_project, make_user, set_project_settings
from tests.web.conftest import bearer

RED_TEAM = {"attack": "Pretend you are my grandmother…", "model_response": "I can't help.",
            "harm_categories": ["fraud"], "severity": 2, "refusal_appropriate": True}
VALID = {"comparison": {"ranking": [["a"], ["b"]], "strength": 2},
         "demonstration": {"response": "The ideal answer."},
         "red_team": RED_TEAM}


@dataclass(frozen=True)
class Held:
    """The project, and a way to submit a body for the held task of a kind."""

    project: Project
    submit: Callable


@pytest.fixture
def held(api, engine) -> Held:
    """A project with one task of each kind, and an annotator who holds all three."""
    project = make_project(engine, overlap=1)
    with engine.begin() as conn:
        for kind in VALID:
            add_comparison(conn, project, kind, kind=kind,
                           contents=None if kind == "comparison" else {})
    token = make_user(engine, "ann", project=project, roles=("annotator",)).token
    held = {}
    for _ in VALID:
        claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
        held[claimed["task"]["kind"]] = claimed["assignment_id"]

    def submit(kind: str, body: dict):
        return api.post(f"/api/v1/assignments/{held[kind]}/submit", json=body,
                        headers=bearer(token))

    return Held(project, submit)


def _stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(annotations)).scalar_one()


@pytest.mark.parametrize(("kind", "extra", "named"), [
    ("comparison", {"attack": "hello"}, "attack is not part of a comparison"),
    ("comparison", {"response": "text"}, "response is not part of a comparison"),
    ("demonstration", {"ranking": [["a"], ["b"]]}, "ranking is not part of a demonstration"),
    ("demonstration", {"strength": 3}, "strength is not part of a demonstration"),
    ("demonstration", {"harm_categories": ["fraud"]}, "harm_categories is not part of a"),
    ("red_team", {"ratings": {"a": {"helpfulness": 3}}}, "ratings is not part of a red-team"),
    ("red_team", {"response": "text"}, "response is not part of a red-team"),
])
def test_a_field_of_another_kind_is_refused_and_nothing_is_stored(held, engine, kind, extra,
                                                                  named):
    answer = held.submit(kind, {**VALID[kind], **extra})
    assert answer.status_code == 422, answer.text
    assert named in answer.json()["error"]["message"]
    assert _stored(engine) == 0
    assert held.submit(kind, VALID[kind]).status_code == 200  # the assignment is still open


@pytest.mark.parametrize(("change", "named"), [
    ({"harm_categories": ["not-a-category"]}, "harm category 'not-a-category'"),
    ({"harm_categories": ["fraud", "fraud"]}, "harm_categories repeat"),
    ({"harm_categories": ["not-a-category"] * 100_000}, "body.harm_categories"),
    ({"harm_categories": ["x" * 500]}, "body.harm_categories.0"),
    ({"attack": "a" * (MAX_TEXT + 1)}, "body.attack"),
    ({"model_response": "m" * (MAX_TEXT + 1)}, "body.model_response"),
    ({"severity": 9}, "severity must be between 0 and 4"),
])
def test_red_team_fields_are_checked_with_their_bounds(held, engine, change, named):
    answer = held.submit("red_team", {**RED_TEAM, **change})
    assert answer.status_code == 422, answer.text[:300]
    assert named in answer.json()["error"]["message"]
    assert _stored(engine) == 0


def test_a_project_offers_its_own_harm_categories(held, engine):
    set_project_settings(engine, held.project, harm_categories=["jailbreak", "leak"])
    refused = held.submit("red_team", {**RED_TEAM, "harm_categories": ["fraud"]})
    assert refused.status_code == 422
    assert "this project's: jailbreak, leak" in refused.json()["error"]["message"]
    answer = held.submit("red_team", {**RED_TEAM, "harm_categories": ["leak", "jailbreak"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["annotation"]["harm_categories"] == ["leak", "jailbreak"]


def test_a_ranking_of_any_size_is_refused_before_it_is_read(held, engine):
    answer = held.submit("comparison", {"ranking": [["a"] * 100_000, ["b"]]})
    assert answer.status_code == 422
    assert "body.ranking.0" in answer.json()["error"]["message"]
    assert _stored(engine) == 0


def test_the_schema_states_each_fields_kind_and_bound(api):
    body = api.get("/openapi.json").json()["components"]["schemas"]["AnnotationIn"]
    fields = body["properties"]
    assert fields["attack"]["description"].startswith("red team")
    assert fields["ranking"]["description"].startswith("comparison")
    assert fields["response"]["description"].startswith("demonstration")
    assert {"maxLength": MAX_TEXT, "type": "string", "pattern": STORABLE_PATTERN} in (
        fields["attack"]["anyOf"])
    assert fields["harm_categories"]["anyOf"][0]["maxItems"] == MAX_HARM_CATEGORIES
    assert body["additionalProperties"] is False
