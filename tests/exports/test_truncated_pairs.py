"""Pairs with a response cut off at the length limit stay out of training exports unless
asked for, and every export says how many it left out.

In the export world (see ``conftest``), the rejected response of task ``unanimous`` ("answer
a to unanimous") is marked as cut off.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from accord.db.tables import responses
from accord.exports import ExportOptions, export
from tests.exports.conftest import read_rows


def cut_off(engine, *contents: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(responses).where(responses.c.content.in_(contents))
                     .values(finish_reason="length"))


@pytest.fixture
def marked(world):
    cut_off(world.engine, "answer a to unanimous")
    with world.engine.begin() as conn:  # task split's finished by themselves
        conn.execute(update(responses).where(responses.c.finish_reason.is_(None),
                                             responses.c.content.contains("split"))
                     .values(finish_reason="stop"))
    return world


def test_a_pair_with_a_cut_off_response_is_left_out_and_counted(marked, out_dir):
    out = out_dir / "prefs.parquet"
    report = export(marked.engine, "prefs", "preference", out)
    assert [row["task_id"] for row in read_rows(out)] == ["split"]
    assert (report.rows, report.ties_dropped, report.truncated_dropped) == (1, 2, 1)
    assert report.as_dict()["truncated_dropped"] == 1 and report.filters == {}


def test_include_truncated_keeps_them_and_says_which_side_was_cut_off(marked, out_dir):
    out = out_dir / "prefs.jsonl"
    report = export(marked.engine, "prefs", "preference", out,
                    options=ExportOptions(include_truncated=True))
    sides = [(row["task_id"], row["chosen_truncated"], row["rejected_truncated"])
             for row in read_rows(out)]
    # Split's responses finished by themselves; unanimous's chosen one is not known to have.
    assert sides == [("split", False, False), ("unanimous", None, True)]
    assert (report.truncated_dropped, report.filters) == (0, {"include_truncated": True})
    assert "truncated_dropped" not in report.as_dict()


def test_kto_rows_never_hold_a_cut_off_completion_by_default(marked, out_dir):
    out = out_dir / "kto.jsonl"
    report = export(marked.engine, "prefs", "kto", out)
    completions = [row["completion"][0]["content"] for row in read_rows(out)]
    assert completions == ["answer a to split", "longer answer b to split"]
    assert report.truncated_dropped == 1


def test_the_filter_applies_to_the_pairs_best_vs_rest_keeps(world, out_dir):
    cut_off(world.engine, "alpha")  # k3's best response
    out = out_dir / "ranks.jsonl"
    report = export(world.engine, "ranks", "preference", out,
                    options=ExportOptions(pairs="best-vs-rest"))
    assert (report.rows, report.truncated_dropped) == (0, 2)


def test_the_data_card_counts_the_pairs_left_out(marked, out_dir):
    card = out_dir / "card.md"
    export(marked.engine, "prefs", "card", card)
    text = card.read_text()
    assert "1 preference pairs from 4 comparison tasks" in text
    assert ("- 1 pairs had a response cut off at the length limit and are not in the export "
            "(`--include-truncated` keeps them).") in text
    export(marked.engine, "prefs", "card", card, options=ExportOptions(include_truncated=True))
    assert "- `include_truncated`: True" in card.read_text()
