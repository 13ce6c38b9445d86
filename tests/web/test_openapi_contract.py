"""Schemathesis over the OpenAPI document: a real server on a seeded project, a manager's
token, every check schemathesis has (no server error, only documented status codes, content
types and headers, bodies that match their schemas, invalid data refused, valid data taken…),
on data that fits the schema and data that does not, on SQLite and on PostgreSQL.

The import upload is covered too: its raw bodies (JSONL, gzip, Parquet) go out as the bytes
schemathesis generates for a binary body, and the JSONL and gzip ones, when the data should
be valid, are a real file of two items, so the job the server answers with imports
something.

Deterministic: schemathesis derandomises Hypothesis, so every run sends the same requests and
a failure reproduces. Bounded: ``EXAMPLES`` requests per operation and mode keep the whole
run to a couple of minutes on two cores.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from accord.db.engine import make_engine
from accord.settings import Settings
from accord.web.app import create_app
from tests.conftest import empty_database
from tests.live import running_servers
from tests.web.route_world import MANAGER, build_world
from tests.web.route_world_jobs import IMPORTED_LINES

EXAMPLES = 15
"""Requests per operation and generation mode (positive, negative)."""

pytestmark = pytest.mark.slow


@dataclass
class Server:
    base: str
    token: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    """A real Accord server on the seeded world, on SQLite and on PostgreSQL."""
    url = empty_database(request, request.param, tmp_path_factory.mktemp("contract"))
    engine = make_engine(url)
    jobs = tmp_path_factory.mktemp("jobs")
    world = build_world(engine, jobs)
    engine.dispose()
    with running_servers(url, settings={"ACCORD_UPLOAD_DIR": str(jobs)}) as (base,):
        yield Server(base, world.people[MANAGER].token)


def accord_schema():
    """The document the server serves at ``/openapi.json``, read from the app itself so the
    tests can be collected before a server runs."""
    loaded = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
    loaded.config.generation.update(modes=list(GenerationMode), max_examples=EXAMPLES,
                                    deterministic=True)
    return loaded


schema = accord_schema()
FILE_BODIES = {"application/x-ndjson": IMPORTED_LINES,
               "application/gzip": gzip.compress(IMPORTED_LINES, mtime=0)}
"""What a schema-valid upload of these media types sends: a real file of two items."""

schemathesis.serializer.alias(["application/x-ndjson", "application/gzip",
                               "application/vnd.apache.parquet"], "application/octet-stream")


@schema.hook
def map_case(context, case):
    """Send a real JSONL file (or its gzip) where a valid upload is generated; schemathesis
    only knows such a body as arbitrary bytes."""
    if (case.operation.path.endswith("/imports") and case.media_type in FILE_BODIES
            and case.meta is not None
            and case.meta.generation.mode == GenerationMode.POSITIVE):
        case.body = FILE_BODIES[case.media_type]
    return case


@schema.parametrize()
def test_the_api_keeps_its_openapi_contract(case, server):
    case.call_and_validate(base_url=server.base,
                           headers={"Authorization": f"Bearer {server.token}"},
                           checks=list(CHECKS.get_all()))
