"""A refused request raises the kind of ``AccordError`` that says what happened, carrying the
server's status, code and message, and changes nothing; the client refuses a setup that
cannot work before it sends anything."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.client import (
    AccordError,
    Client,
    Conflict,
    Forbidden,
    Invalid,
    MissingSetting,
    NotFound,
    ServerError,
    Unauthenticated,
)
from accord.db.tables import annotations
from tests.client.scripted_server import scripted_server


def _annotation_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(annotations)).scalar_one()


def test_each_refusal_raises_its_kind_with_the_servers_code_and_message(live_demo):
    tokens = live_demo.tokens
    with Client(live_demo.base, tokens["ann1"]) as annotator:
        with pytest.raises(NotFound) as missing:
            annotator.projects.get("no-such-project")
        assert (missing.value.status, missing.value.code) == (404, "not_found")
        assert 'project "no-such-project"' in missing.value.message

        with pytest.raises(Forbidden) as forbidden:
            annotator.report("demo")
        assert forbidden.value.status == 403 and "reviewers and managers" in str(forbidden.value)

        task = annotator.next_task("demo")
        assert task is not None
        with pytest.raises(Invalid) as invalid:
            annotator.submit(task, ranking=[["no-such-response"]], rationale="?")
        assert invalid.value.status == 422 and "no-such-response" in invalid.value.message
        assert _annotation_count(live_demo.engine) == 0

        annotator.submit(task, ranking=[[r.id] for r in task.task.responses])
        with pytest.raises(Conflict) as conflict:
            annotator.skip(task, reason="unclear")
        assert conflict.value.status == 409 and "already submitted" in conflict.value.message
        assert isinstance(conflict.value, AccordError)

    with (Client(live_demo.base, "acc_not-a-token") as stranger,
          pytest.raises(Unauthenticated) as unauthenticated):
        stranger.me()
    assert unauthenticated.value.code == "unauthenticated"


def test_a_repeated_submission_answers_with_the_annotation_stored_first(live_demo):
    with Client(live_demo.base, live_demo.tokens["ann2"]) as annotator:
        task = annotator.next_task("demo")
        assert task is not None and task.task.kind == "comparison"
        ranking = [[r.id] for r in task.task.responses]
        first = annotator.submit(task, ranking=ranking, rationale="first")
        again = annotator.submit(task.assignment_id, ranking=ranking, rationale="again")
    assert again.annotation_id == first.annotation_id
    assert again.annotation["rationale"] == "first"
    assert _annotation_count(live_demo.engine) == 1


def test_an_error_body_that_is_not_accords_is_quoted():
    with (scripted_server((502, {}, "Bad Gateway from the proxy")) as (base, _),
          pytest.raises(ServerError) as raised):
        Client(base, "acc_test").me()
    assert raised.value.code == "http_error"
    assert raised.value.message == "the server answered 502: Bad Gateway from the proxy"


def test_from_env_names_each_missing_variable(monkeypatch):
    monkeypatch.delenv("ACCORD_URL", raising=False)
    monkeypatch.setenv("ACCORD_TOKEN", "acc_x")
    with pytest.raises(MissingSetting, match=r"^ACCORD_URL is not set"):
        Client.from_env()
    monkeypatch.delenv("ACCORD_TOKEN")
    with pytest.raises(MissingSetting, match=r"^ACCORD_URL and ACCORD_TOKEN are not set"):
        Client.from_env()


def test_a_base_url_that_is_not_http_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="base_url must be an http:// or https:// URL"):
        Client("127.0.0.1:8000", "acc_x")
    with pytest.raises(ValueError, match="token is empty"):
        Client("http://127.0.0.1:8000", " ")
