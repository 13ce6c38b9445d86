"""The Hugging Face ``DatasetDict`` export over HTTP: an export job with ``file_format="hf"``
writes the directory ``accord export --file-format hf`` writes, served as one ZIP; unpacked,
``datasets.load_from_disk`` opens it with the same rows as the command line's export."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import datasets
import httpx
import pytest
from sqlalchemy import Engine

from accord.client import Client
from accord.db.engine import make_engine
from accord.exports import export
from tests.exports.conftest import build_world
from tests.factories import make_user
from tests.live import running_servers

PROJECT = "prefs"
"""Judged by three annotators (``tests/exports/conftest.build_world``): pairs to export."""


def rows_of(dataset) -> list[dict]:
    return sorted((dict(row) for row in dataset), key=repr)


@dataclass(frozen=True)
class Live:
    base: str
    engine: Engine
    token: str
    """An administrator's API token."""


@pytest.fixture
def live(db_url) -> Iterator[Live]:
    """A live server on a project judged by three annotators, and an administrator."""
    engine = make_engine(db_url)
    build_world(engine)
    token = make_user(engine, "root", is_admin=True).token
    with running_servers(db_url) as (base,):
        yield Live(base, engine, token)
    engine.dispose()


@pytest.fixture
def cli_export(live, tmp_path):
    """What ``accord export prefs --format hf --out DIR`` writes, loaded."""
    def load(split: float | None = None) -> datasets.DatasetDict:
        out = tmp_path / f"cli-{split}"
        export(live.engine, PROJECT, "hf", out, split=split)
        return datasets.load_from_disk(str(out), keep_in_memory=True)
    return load


def test_the_archive_unpacks_into_the_directory_the_cli_writes(live, tmp_path,
                                                                cli_export):
    with Client(live.base, live.token) as client:
        job = client.exports.start(PROJECT, "preference", file_format="hf").wait(timeout=120)
        assert job.status == "done"
        [listed] = job.files
        assert listed.name == f"{PROJECT}.preference.hf.zip"
        saved = job.download().to_path(tmp_path)
        answer = httpx.get(listed.url, headers={
            "Authorization": f"Bearer {live.token}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert saved.stat().st_size == listed.bytes == len(answer.content)
    with zipfile.ZipFile(saved) as archive:
        assert {name.split("/")[0] for name in archive.namelist()} == {f"{PROJECT}.preference"}
        archive.extractall(tmp_path / "unzipped")
    loaded = datasets.load_from_disk(str(tmp_path / "unzipped" / f"{PROJECT}.preference"))
    expected = cli_export()
    assert list(loaded) == ["train"] and loaded["train"].num_rows == listed.rows > 0
    assert loaded["train"].features == expected["train"].features
    assert rows_of(loaded["train"]) == rows_of(expected["train"])


def test_the_sdk_opens_the_archive_as_a_dataset_dict(live, tmp_path, cli_export):
    with Client(live.base, live.token) as client:
        job = client.exports.start(PROJECT, "preference", file_format="hf",
                                   split=0.3).wait(timeout=120)
        download = job.download()
        assert download.kind == "hf"
        in_memory = download.to_datasets()
        folder = download.unpack(tmp_path / "mine")
        with pytest.raises(ValueError, match="use to_datasets"):
            next(download.rows())
    expected = cli_export(0.3)
    on_disk = datasets.load_from_disk(str(folder))
    assert folder == (tmp_path / "mine" / f"{PROJECT}.preference").resolve()
    for opened in (in_memory, on_disk):
        assert sorted(opened) == ["test", "train"]
        for side in ("train", "test"):
            assert rows_of(opened[side]) == rows_of(expected[side])
    assert job.files[0].rows == in_memory["train"].num_rows + in_memory["test"].num_rows


def test_the_data_card_is_not_a_dataset_and_is_refused_naming_why(live, cli_export):
    answer = httpx.post(f"{live.base}/api/v1/projects/{PROJECT}/exports",
                        headers={"Authorization": f"Bearer {live.token}"},
                        json={"format": "card", "file_format": "hf"})
    assert answer.status_code == 422
    assert "file_format" in answer.text
