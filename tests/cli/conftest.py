"""The ``accord`` command as users run it, against the test database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from accord.cli.main import app


@pytest.fixture
def run(db_url, monkeypatch):
    """``run(*args)`` runs ``accord import *args`` through the real command line."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["import", *args])

    return invoke


@pytest.fixture
def accord(db_url, monkeypatch):
    """``accord(*args)`` runs the ``accord`` command line with ``args``."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke
