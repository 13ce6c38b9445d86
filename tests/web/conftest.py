"""The real HTTP app over the test database, and API helpers that read like the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.settings import Settings
from accord.web.app import create_app


@pytest.fixture
def api(db_url, engine) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url))
    with TestClient(app, base_url="http://accord.test") as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in(client: TestClient, name: str, password: str) -> None:
    """Log in through the form, as a browser would; the client keeps the session cookie."""
    answer = client.post("/login", data={"username": name, "password": password},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
