"""A live Accord server on the seeded demo project, for the SDK's tests and its tour.

The server runs in a child process (``tests/live.py``) on a free port, on SQLite and on
PostgreSQL (``db_url``). The demo seed gives an admin who manages ``demo``, a reviewer and
three annotators; ``judge-1``, an AI judge's account that annotates ``demo``, is added as
``accord user add judge-1 --kind ai --project demo --role annotator`` would add it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from accord.core.people import users as user_rules
from accord.core.projects import project as project_rules
from accord.db.engine import make_engine
from accord.demo.seed import PROJECT, seed
from tests.live import running_servers


@dataclass(frozen=True)
class LiveDemo:
    base: str
    engine: Engine
    tokens: dict[str, str]
    """API tokens by user name: admin, reviewer, ann1, ann2, ann3, judge-1."""


def add_judge(engine: Engine, name: str = "judge-1") -> str:
    with engine.begin() as conn:
        project = project_rules.get_project(conn, PROJECT)
        created = user_rules.create_user(conn, name, kind="ai")
        project_rules.add_member(conn, project, created.user, "annotator")
    return created.token


@pytest.fixture
def live_demo(db_url) -> Iterator[LiveDemo]:
    engine = make_engine(db_url)
    tokens = {login.name: login.token for login in seed(engine)}
    tokens["judge-1"] = add_judge(engine)
    with running_servers(db_url) as (base,):
        yield LiveDemo(base, engine, tokens)
    engine.dispose()
