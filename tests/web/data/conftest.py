"""The import and export API tests' fixtures: the app with its upload folder in the test's
own directory, and waiting for the job thread without sleeping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.settings import Settings
from accord.web.app import create_app

UPLOAD_LIMIT = 64 * 1024 * 1024


@pytest.fixture
def uploads(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def data_api(db_url, engine, uploads) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, upload_dir=str(uploads),
                        upload_max_bytes=UPLOAD_LIMIT)
    with TestClient(create_app(settings), base_url="http://accord.test") as client:
        yield client


def settled(client: TestClient, url: str, headers: dict[str, str]) -> dict:
    """The job at ``url`` once every job submitted so far has ended."""
    client.app.state.jobs.drain()  # type: ignore[attr-defined]
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()
