"""Fixtures for the model backends: a fake OpenAI-compatible server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

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
