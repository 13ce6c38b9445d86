"""Which pages the accessibility test visits, and as whom: every GET route of the app that
answers HTML, taken from the app itself, each seen by the first actor the route table lets
see it (so the annotator sees the workbench, the reviewer the review queue, the safety
specialist the escalations, the manager the guideline editor)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.web.route_table import OUTCOMES, REQUESTS, RequestSpec, expected
from tests.web.route_world import ACTORS, ANONYMOUS, World
from tests.web.test_route_authorization import ROUTES, concrete_path

NOT_PAGES = ("/api/", "/static", "/openapi.json", "/healthz", "/auth/oidc/")
"""Routes that answer JSON, files or redirects: never a page of ours."""

THIRD_PARTY = {"GET /docs": "Swagger UI's own page, served as its authors ship it"}
"""HTML the app serves but does not write; left out, with the reason."""


@dataclass(frozen=True)
class Visit:
    route: str
    actor: str
    spec: RequestSpec

    def path(self, world: World) -> str:
        return concrete_path(self.route, self.spec, world)


def page_routes() -> list[str]:
    """Every GET route that can answer an HTML page."""
    return [route for route in ROUTES
            if route.startswith("GET ") and route not in THIRD_PARTY
            and not route.split(" ", 1)[1].startswith(NOT_PAGES)]


def visits() -> list[Visit]:
    """One visit per page, by the first actor (anonymous last) it answers 200; routes
    whose request prepares the world (publishing the draft) come after the others, since
    they change what the rest would see."""
    found = []
    order = [actor for actor in ACTORS if actor != ANONYMOUS] + [ANONYMOUS]
    for route in page_routes():
        if route not in OUTCOMES:
            raise AssertionError(f"{route} has no row in tests/web/route_table.py")
        outcomes = expected(route)
        actor = next((who for who in order if outcomes[who] == "200"), None)
        if actor is None:
            raise AssertionError(f"{route}: no actor gets the page; say who should see it")
        found.append(Visit(route, actor, REQUESTS.get(route, RequestSpec())))
    return sorted(found, key=lambda visit: visit.spec.prepare is not None)
