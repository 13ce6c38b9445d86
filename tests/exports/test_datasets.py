"""Hugging Face ``datasets`` loads the preference export, JSONL or Parquet, as it is."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before datasets reads its configuration: never the hub

import pytest
from datasets import load_dataset

from accord.exports import export
from accord.exports.preference import PREFERENCE_SCHEMA

COLUMNS = [field.name for field in PREFERENCE_SCHEMA]


@pytest.mark.parametrize(("suffix", "builder"), [(".jsonl", "json"), (".parquet", "parquet")])
def test_datasets_loads_the_preference_export(world, out_dir, tmp_path, suffix, builder):
    out = out_dir / f"prefs{suffix}"
    export(world.engine, "prefs", "preference", out)
    data = load_dataset(builder, data_files=str(out), split="train",
                        cache_dir=str(tmp_path / "hf-cache"))
    assert data.column_names == COLUMNS
    assert data.num_rows == 2
    first = data[0]
    assert first["prompt"] == [{"role": "user", "content": "question split"}]
    assert first["chosen"] == [{"role": "assistant", "content": "answer a to split"}]
    assert first["rejected"] == [{"role": "assistant", "content": "longer answer b to split"}]
    assert (first["task_id"], first["n_annotators"]) == ("split", 3)
    assert first["agreement"] == pytest.approx(2 / 3)
    assert data["task_id"] == ["split", "unanimous"]
