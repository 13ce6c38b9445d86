"""``accord suspects``, ``accord prioritize`` and ``accord export --exclude-suspect`` as users
run them."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from accord.db.tables import tasks
from tests.core.suspect_world import JUDGE, settled_world
from tests.factories import add_comparison


def test_suspects_are_found_stored_and_left_out_of_the_export(accord, engine, tmp_path):
    world = settled_world(engine, tasks_count=60)
    found = accord("suspects", "prefs", "--signal", f"judge:{JUDGE}", "--top", "3", "--json")
    assert found.exit_code == 0, found.output
    run = orjson.loads(found.stdout)
    assert run["signal"] == f"judge:{JUDGE}" and len(run["suspects"]) <= 3
    assert run["settled_pairs"] == len(world.consensus)
    text = accord("suspects", "prefs", "--signal", f"judge:{JUDGE}")
    assert text.exit_code == 0 and "settled pairs" in text.stdout
    out = tmp_path / "kept.jsonl"
    exported = accord("export", "prefs", "--format", "preference", "--out", str(out),
                      "--exclude-suspect", "--json")
    assert exported.exit_code == 0, exported.output
    kept = {orjson.loads(line)["task_id"] for line in out.read_bytes().splitlines()}
    second = orjson.loads(accord("suspects", "prefs", "--signal", f"judge:{JUDGE}",
                                 "--json").stdout)
    assert kept and not kept & {s["task_id"] for s in second["suspects"]}


def test_wrong_signals_are_one_clear_line(accord, engine):
    settled_world(engine, tasks_count=6)
    wrong = accord("suspects", "prefs", "--signal", "oracle")
    assert wrong.exit_code == 1
    assert wrong.output.strip() == ('error: signal "oracle" must be judge:NAME or '
                                    "reward-model:PATH")
    missing = accord("suspects", "prefs", "--signal", "reward-model:/no/such/model")
    assert missing.exit_code == 1 and "is not a directory" in missing.output
    needs = accord("prioritize", "prefs", "--by", "judge")
    assert needs.exit_code == 1 and needs.output.strip() == "error: --by judge needs --signal"


def test_prioritize_sets_priorities_and_a_rerun_changes_nothing(accord, engine):
    world = settled_world(engine, tasks_count=6)
    with engine.begin() as conn:
        for name in ("open-1", "open-2"):
            add_comparison(conn, world.project, name)
    first = accord("prioritize", "prefs", "--by", "uncertainty", "--json")
    assert first.exit_code == 0, first.output
    assert orjson.loads(first.stdout)["changed"] == 2
    again = accord("prioritize", "prefs", "--by", "uncertainty")
    assert again.exit_code == 0
    assert again.stdout.strip() == ("0 of 2 open tasks changed priority by uncertainty; "
                                    "nothing to record")
    with engine.begin() as conn:
        assert set(conn.execute(select(tasks.c.priority)
                                .where(tasks.c.status == "open")).scalars()) == {1000}
