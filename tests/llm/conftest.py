"""Fixtures for the model backends: a fake OpenAI-compatible server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.llm.local_backend import LocalBackend
from accord.llm.local_models import SMOLLM2, model_folder
from tests.llm.fake_openai import FakeOpenAI, serving


@dataclass
class FakeServer:
    """The running fake: ``fake`` to script it and read what it saw, ``base_url`` to call."""

    fake: FakeOpenAI
    base_url: str


@pytest.fixture
def fake_openai() -> Iterator[FakeServer]:
    """A fresh fake OpenAI server on a free port for each test."""
    fake = FakeOpenAI()
    with serving(fake) as base_url:
        yield FakeServer(fake, base_url)


@pytest.fixture
def generate(db_url, monkeypatch):
    """``generate(*args)`` runs ``accord generate *args`` against the test database, with no
    OpenAI settings from the machine."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["generate", *args])


@pytest.fixture(scope="session")
def local_model_cache(tmp_path_factory) -> Path:
    """A model cache shared by the session's tests: SmolLM2 is converted into it once."""
    cache = tmp_path_factory.mktemp("models")
    model_folder(SMOLLM2, cache)
    return cache


@pytest.fixture(scope="session")
def smollm2(local_model_cache) -> LocalBackend:
    """SmolLM2-135M-Instruct loaded once per session, offline, on the CPU."""
    return LocalBackend(SMOLLM2, cache_dir=local_model_cache)
