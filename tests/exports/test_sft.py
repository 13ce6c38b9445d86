"""The SFT export: each written demonstration as a chat conversation."""

from __future__ import annotations

import pytest

from accord.exports import export
from tests.exports.conftest import read_rows


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_each_demonstration_is_the_prompt_followed_by_the_written_answer(world, tmp_path, suffix):
    out = tmp_path / f"sft{suffix}"
    report = export(world.engine, "prefs", "sft", out)
    assert read_rows(out) == [
        {
            "messages": [
                {"role": "user", "content": "question demo"},
                {"role": "assistant", "content": f"written by ann{i}"},
            ],
            "task_id": "demo",
            "annotator": f"ann{i}",
        }
        for i in range(3)
    ]
    assert (report.rows, report.tasks) == (3, 1)


def test_a_project_without_demonstrations_exports_no_rows(world, tmp_path):
    report = export(world.engine, "ranks", "sft", tmp_path / "sft.parquet")
    assert report.rows == 0
    assert read_rows(tmp_path / "sft.parquet") == []
