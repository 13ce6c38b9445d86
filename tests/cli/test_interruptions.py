"""Ctrl-C on a long command says what is stored and the command that resumes, and exits 130.

Each command runs for real in a child process on a SQLite file, with enough work to be
stopped midway (the fake OpenAI server answers slowly for generate and judge); SIGINT goes
out once its first work is visible in the database or on disk, and the printed command, run
again, completes the work without duplicates.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Iterator

import orjson
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, distinct, func, select

from accord.cli.interruptions import INTERRUPTED_EXIT, ImportWatch, typed_command
from accord.core.importing import import_items
from accord.core.importing.store import DEFAULT_BATCH_SIZE
from accord.db.engine import READ_ONLY, make_engine
from accord.db.tables import annotations, prompts, responses, tasks
from tests.cli.interrupting import ACCORD, interrupt_when, resume_command, run, start
from tests.core.import_helpers import comparison, write_jsonl
from tests.factories import add_comparisons, make_project
from tests.llm.fake_openai import FakeOpenAI, serving
from tests.llm.generation_helpers import generated_tasks, pool_project
from tests.llm.judge_replies import longer_with

SLOW_ANSWER_S = 0.1


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    path = tmp_path / "accord.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_engine(sqlite_url) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def count(engine: Engine, query) -> int:
    """A read that takes no write lock from the command at work."""
    with engine.connect() as conn:
        return conn.execution_options(**{READ_ONLY: True}).execute(query).scalar_one()


GENERATED = select(func.count()).select_from(responses).where(responses.c.origin == "generated")
GENERATED_DISTINCT = select(func.count(distinct(responses.c.prompt_id.concat(":").concat(
    responses.c.external_id)))).where(responses.c.origin == "generated")
TASKS = select(func.count()).select_from(tasks)
ITEMS = select(func.count()).select_from(prompts)
ANNOTATIONS = select(func.count()).select_from(annotations)
ANNOTATED_TASKS = select(func.count(distinct(annotations.c.task_id)))


@pytest.mark.slow
def test_interrupted_generation_says_what_is_stored_and_its_rerun_fills_the_rest(
        sqlite_url, sqlite_engine):
    project = pool_project(sqlite_engine, {"qa": 40})
    fake = FakeOpenAI(delay_s=SLOW_ANSWER_S)
    with serving(fake) as base_url:
        arguments = ["generate", "gen", "--model", "m", "-n", "2", "--base-url", base_url,
                     "--concurrency", "2"]
        stopped = interrupt_when(start(sqlite_url, *arguments),
                                 lambda: count(sqlite_engine, GENERATED) > 0)
        stored, made = count(sqlite_engine, GENERATED), count(sqlite_engine, TASKS)
        fake.delay_s = 0
        rerun = run(sqlite_url, resume_command(stopped.line,
                                               "run the same command again to fill the rest"))

    assert stopped.status == INTERRUPTED_EXIT and stopped.stdout == ""
    assert stopped.line == (
        f"interrupted: {stored} of 80 candidates stored, {made} of 40 tasks made; run the same "
        f"command again to fill the rest: {shlex.join([*ACCORD, *arguments])}")
    assert 0 < stored < 80
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(
        f"gen: 40 prompts: {80 - stored} candidates generated ({stored} already stored), "
        f"{40 - made} tasks created;")
    assert count(sqlite_engine, GENERATED) == count(sqlite_engine, GENERATED_DISTINCT) == 80
    made_tasks = generated_tasks(sqlite_engine, project)
    assert len(made_tasks) == 40 and all(len(set(ids)) == 2 for ids in made_tasks.values())


@pytest.mark.slow
def test_interrupted_judging_prints_json_and_its_rerun_judges_only_the_rest(
        sqlite_url, sqlite_engine):
    add_comparisons(sqlite_engine, make_project(sqlite_engine, "prefs"), 40)
    fake = FakeOpenAI(delay_s=SLOW_ANSWER_S, reply=longer_with(0.9, 0.05))
    with serving(fake) as base_url:
        arguments = ["judge", "prefs", "--model", "m", "--base-url", base_url,
                     "--concurrency", "2", "--json"]
        stopped = interrupt_when(start(sqlite_url, *arguments),
                                 lambda: count(sqlite_engine, ANNOTATIONS) > 0)
        judged = count(sqlite_engine, ANNOTATIONS)
        fake.delay_s = 0
        rerun = run(sqlite_url, resume_command(stopped.line,
                                               "run the same command again to judge the rest"))

    command = shlex.join([*ACCORD, *arguments])
    assert stopped.status == INTERRUPTED_EXIT
    assert orjson.loads(stopped.stdout) == {
        "interrupted": True, "project": "prefs", "judge": "judge-m", "judged": judged,
        "comparison_tasks": 40, "resume": command}
    assert stopped.line == (f"interrupted: {judged} of 40 comparison tasks judged by judge-m; "
                            f"run the same command again to judge the rest: {command}")
    assert 0 < judged < 40
    assert rerun.returncode == 0, rerun.stderr
    summary = orjson.loads(rerun.stdout)
    assert (summary["judged"], summary["already_judged"], summary["failed"]) == (
        40 - judged, 0, 0)
    assert count(sqlite_engine, ANNOTATIONS) == count(sqlite_engine, ANNOTATED_TASKS) == 40


@pytest.mark.slow
def test_interrupted_import_says_how_much_is_in_and_its_rerun_adds_no_duplicates(
        sqlite_url, sqlite_engine, tmp_path):
    make_project(sqlite_engine, "prefs")
    total = 3 * DEFAULT_BATCH_SIZE
    path = write_jsonl(tmp_path / "big items.jsonl",
                       [comparison(f"q-{i}") for i in range(total)])
    arguments = ["import", "prefs", str(path), "--json"]
    stopped = interrupt_when(start(sqlite_url, *arguments),
                             lambda: count(sqlite_engine, ITEMS) > 0)
    imported = count(sqlite_engine, ITEMS)
    rerun = run(sqlite_url, resume_command(
        stopped.line, "run the same command again to import the rest without duplicates"))

    command = shlex.join([*ACCORD, *arguments])
    assert stopped.status == INTERRUPTED_EXIT
    assert orjson.loads(stopped.stdout) == {
        "interrupted": True, "project": "prefs", "file": str(path), "phase": "importing",
        "items_new": imported, "annotations_new": 0, "resume": command}
    assert stopped.line == (
        f"interrupted: {imported:,} new items of big items.jsonl in the project, written in "
        f"whole batches of up to {DEFAULT_BATCH_SIZE:,} (none half-written); run the same "
        f"command again to import the rest without duplicates: {command}")
    assert 0 < imported < total and imported % DEFAULT_BATCH_SIZE == 0
    assert rerun.returncode == 0, rerun.stderr
    report = orjson.loads(rerun.stdout)
    assert (report["new"], report["unchanged"]) == (total - imported, imported)
    assert count(sqlite_engine, ITEMS) == count(sqlite_engine, TASKS) == total


@pytest.mark.slow
def test_interrupted_export_writes_nothing_and_leaves_the_file_as_it_was(
        sqlite_url, sqlite_engine, tmp_path):
    project = make_project(sqlite_engine, "prefs")
    rows = 20_000
    import_items(sqlite_engine, project, [
        {"id": f"p-{i}", "kind": "prompt", "prompt": f"question {i}: explain it",
         "category": "qa"} for i in range(rows)])
    out = tmp_path / "prompts.parquet"
    out.write_bytes(b"the previous export")
    arguments = ["export", "prefs", "--format", "prompts", "--out", str(out), "--json"]
    stopped = interrupt_when(start(sqlite_url, *arguments),
                             lambda: any(tmp_path.glob(".prompts.parquet.*.partial")))
    left = out.read_bytes()
    leftovers = list(tmp_path.glob(".prompts.parquet.*"))
    rerun = run(sqlite_url, resume_command(stopped.line, "run the same command again to export"))

    command = shlex.join([*ACCORD, *arguments])
    assert stopped.status == INTERRUPTED_EXIT
    assert orjson.loads(stopped.stdout) == {
        "interrupted": True, "project": "prefs", "format": "prompts", "written": False,
        "files": {str(out): "left"}, "resume": command}
    assert stopped.line == (
        "interrupted: nothing was written: prompts.parquet was left as it was; run the same "
        f"command again to export: {command}")
    assert left == b"the previous export" and leftovers == []
    assert rerun.returncode == 0, rerun.stderr
    assert pq.read_table(out).num_rows == rows


def test_an_import_stopped_while_checking_has_imported_nothing(engine, tmp_path):
    make_project(engine, "prefs")
    watch = ImportWatch(engine, "prefs", tmp_path / "items.jsonl")
    on_read = watch.following(None)

    on_read("checking", 5_000, 80_000)
    stopped_checking = watch.interruption()
    on_read("checking", 80_000, 80_000)

    assert stopped_checking.stored == "nothing imported (the check of items.jsonl had not finished)"
    assert stopped_checking.rerun == "run the same command again to import it"
    assert stopped_checking.facts["phase"] == "checking"
    assert watch.writing


def test_the_resume_command_is_accord_when_the_accord_on_path_ran(monkeypatch, tmp_path):
    script = tmp_path / "bin" / "accord"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(script.parent))
    monkeypatch.setattr(sys, "argv", [str(script), "generate", "my project", "--model", "m"])

    assert shlex.join(typed_command()) == "accord generate 'my project' --model m"


def test_the_resume_command_keeps_the_interpreter_options_it_was_started_with(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/src/accord/cli/main.py", "import", "p", "a b.jsonl"])
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-X", "dev", "-m", "accord.cli.main",
                                           "import", "p", "a b.jsonl"])

    assert typed_command() == ["python3", "-X", "dev", "-m", "accord.cli.main", "import", "p",
                               "a b.jsonl"]
