"""Every route of the app, asked by every kind of actor, answers as ``route_table`` says.

The routes come from the app's own route table, so a route added without a row fails here
by name. Each request carries valid path values and a valid body (a real split task to
adjudicate, a real draft to publish…), so a refusal is the rules' and not the parser's. A
refused request changes no row of any table; an allowed write is undone before the next
actor asks, so every actor meets the same world. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.routing import Mount

from accord.db.engine import make_engine
from accord.settings import Settings
from accord.web.app import create_app
from accord.web.sessions import COOKIE
from tests.conftest import empty_database
from tests.web.route_table import OUTCOMES, REQUESTS, WRITING_READS, RequestSpec, expected
from tests.web.route_world import (
    ACTORS,
    ANONYMOUS,
    World,
    build_world,
    changed_tables,
    dump,
    restore,
)

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANONYMOUS_WRITES = frozenset({"POST /login", "POST /invite/{secret}"})
"""Writes someone not logged in may make: logging in, and accepting an invite (the link's
secret is the credential)."""


def app_routes() -> list[str]:
    """``METHOD path`` for every method of every route and mount the app serves."""
    found = []
    for route in iter_route_contexts(create_app(Settings()).routes):
        if isinstance(route.original_route, Mount):
            found.append(f"GET {route.path}")
            continue
        found.extend(f"{method} {route.path}" for method in sorted(route.methods or ()))
    return found


ROUTES = app_routes()


@dataclass
class Site:
    client: TestClient
    engine: Engine
    world: World
    snapshot: dict


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory) -> Iterator[Site]:
    """The world, built once per database kind, behind the real app."""
    url = empty_database(request, request.param, tmp_path_factory.mktemp("routes"))
    engine = make_engine(url)
    jobs = tmp_path_factory.mktemp("jobs")
    world = build_world(engine, jobs)
    app = create_app(Settings(database_url=url, upload_dir=str(jobs)))
    with TestClient(app, base_url="http://accord.test") as client:
        yield Site(client, engine, world, dump(engine))
    engine.dispose()


def concrete_path(route: str, spec: RequestSpec, world: World) -> str:
    if spec.path is not None:
        return spec.path
    values = world.path_values()
    values.update({name: values[alias] for name, alias in spec.path_values.items()})
    template = route.split(" ", 1)[1]
    path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], template)
    return f"{path}?{spec.query}" if spec.query else path


def ask(site: Site, route: str, actor: str):
    method = route.split(" ", 1)[0]
    spec = REQUESTS.get(route, RequestSpec())
    path = concrete_path(route, spec, site.world)
    headers = {}
    if actor != ANONYMOUS:
        person = site.world.people[actor]
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {person.token}"
        else:
            headers["Cookie"] = f"{COOKIE}={person.cookie}"
    headers.update(spec.headers)
    site.client.cookies.clear()
    answer = site.client.request(method, path, headers=headers, json=spec.json,
                                 data=spec.form, content=spec.content, follow_redirects=False)
    # A job the request queued runs to its end before the tables are compared, so its
    # writes are counted (and undone) with the request that caused them.
    site.client.app.state.jobs.drain()  # type: ignore[attr-defined]
    return answer


def outcome_of(answer) -> str:
    location = answer.headers.get("location", "")
    if answer.status_code == 303 and location.startswith("/login"):
        return "login"
    return str(answer.status_code)


def test_every_route_of_the_app_has_a_row_and_every_row_a_route():
    missing = [route for route in ROUTES if route not in OUTCOMES]
    stale = [route for route in OUTCOMES if route not in ROUTES]
    assert not missing, (
        "routes without an expected outcome per actor in tests/web/route_table.py "
        f"OUTCOMES: {missing}")
    assert not stale, f"rows of tests/web/route_table.py for routes the app lacks: {stale}"
    assert not [r for r in REQUESTS if r not in ROUTES], "REQUESTS names routes the app lacks"


@pytest.mark.parametrize("route", ROUTES)
def test_every_actor_gets_the_expected_outcome(site, route):
    if route not in OUTCOMES:
        pytest.fail(f"{route} has no row in tests/web/route_table.py OUTCOMES: say what each "
                    f"actor ({', '.join(ACTORS)}) gets from it")
    wanted = expected(route)
    spec = REQUESTS.get(route, RequestSpec())
    before = site.snapshot
    if spec.prepare is not None:
        spec.prepare(site.engine, site.world)
        before = dump(site.engine)
    got, changes = {}, {}
    try:
        for actor in ACTORS:
            got[actor] = outcome_of(ask(site, route, actor))
            changed = sorted(changed_tables(before, dump(site.engine)))
            if changed:
                changes[actor] = changed
                restore(site.engine, before)
    finally:
        if before is not site.snapshot:
            restore(site.engine, site.snapshot)
    assert got == wanted, f"{route}: got {got}"
    for actor, tables in changes.items():
        assert was_allowed_write(route, actor, got[actor]), (
            f"{route}: {actor} was answered {got[actor]}, yet the request changed {tables}")


def was_allowed_write(route: str, actor: str, outcome: str) -> bool:
    """Only a write that succeeded may change rows: 2xx or a redirect after a form (logging
    out ends on the login page), and for someone anonymous only logging in or accepting an
    invite."""
    writes = route.split(" ", 1)[0] in UNSAFE or route in WRITING_READS
    if not writes or not (outcome == "login" or outcome[0] in "23"):
        return False
    return actor != ANONYMOUS or route in ANONYMOUS_WRITES
