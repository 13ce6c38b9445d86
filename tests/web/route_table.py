# ruff: noqa: E501  (the table is read across: one route a line, one column per actor)
"""Who gets what from every route: one row per route (method and path as the app declares
them), one column per kind of actor (``route_world.ACTORS``).

A new route adds one line to ``OUTCOMES`` (and, if it takes a body, query or a path value the
world does not name, one line to ``REQUESTS``); ``test_route_authorization`` fails, naming the
route, until it has one. Outcomes:

- a status code (``200``, ``201``, ``303``, ``401``, ``403``, ``404``, ``409``…);
- ``login``: 303 to ``/login`` (a page asked for without a session).

A project an actor may not see answers 404 exactly as a project that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from accord.core.admin import identities
from accord.db.types import utcnow
from tests.web.route_world import (
    ACTORS,
    World,
    publish_the_draft,
    send_back_the_demonstration,
)
from tests.web.route_world_jobs import (
    IMPORTED_LINES,
    add_an_ai_judge,
    archive_the_project,
    deactivate_a_former_member,
)

# Columns: anonymous, annotator of prefs, annotator of another project, reviewer, safety
# specialist, manager, administrator (member of nothing), user of no project.
OUTCOMES: dict[str, str] = {
    # route                                                           anon  ann  out  rev  safe lead admin none
    "GET /healthz":                                                   "200   200  200  200  200  200  200   200",
    "GET /openapi.json":                                              "200   200  200  200  200  200  200   200",
    "HEAD /openapi.json":                                             "200   200  200  200  200  200  200   200",
    "GET /docs":                                                      "200   200  200  200  200  200  200   200",
    "GET /static":                                                    "200   200  200  200  200  200  200   200",
    "GET /static/swagger":                                            "200   200  200  200  200  200  200   200",
    # the annotation loop
    "GET /api/v1/projects/{project}/tasks/next":                      "401   200  404  403  403  403  403   404",
    "POST /api/v1/assignments/{assignment_id}/submit":                "401   200  404  404  404  404  404   404",
    "POST /api/v1/assignments/{assignment_id}/skip":                  "401   200  404  404  404  404  404   404",
    "POST /api/v1/markdown":                                          "401   200  200  200  200  200  200   200",
    # projects
    "GET /api/v1/me":                                                 "401   200  200  200  200  200  200   200",
    "GET /api/v1/projects":                                           "401   200  200  200  200  200  200   200",
    "GET /api/v1/projects/{project}":                                 "401   200  404  200  200  200  200   404",
    "GET /api/v1/projects/{project}/progress":                        "401   200  404  200  200  200  200   404",
    "GET /api/v1/projects/{project}/report":                          "401   403  404  200  403  200  200   404",
    # review
    "GET /api/v1/projects/{project}/adjudication":                    "401   403  404  200  403  200  200   404",
    "POST /api/v1/projects/{project}/tasks/{task_id}/adjudicate":     "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/escalations":                     "401   404  404  404  200  200  200   404",
    "POST /api/v1/projects/{project}/escalations/{escalation_id}":    "401   404  404  404  204  204  204   404",
    # demonstrations under review: reviewers review (never their own writing); the writer
    # (ann) reads and revises her own; every member reads the rubric
    "GET /api/v1/projects/{project}/demonstrations/queue":            "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/demonstrations/mine":             "401   200  404  200  200  200  200   404",
    "GET /api/v1/projects/{project}/demonstrations/rules":            "401   200  404  200  200  200  200   404",
    "PUT /api/v1/projects/{project}/demonstrations/rules":            "401   403  404  403  403  200  200   404",
    "GET /api/v1/projects/{project}/demonstrations/writers":          "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/demonstrations/{demonstration_id}":"401   200  404  200  404  200  200   404",
    "POST /api/v1/projects/{project}/demonstrations/{demonstration_id}/review":"401 403 404 200 403 200 200 404",
    "POST /api/v1/projects/{project}/demonstrations/{demonstration_id}/revise":"401 200 404 403 403 403 403 404",
    # calibration and rules
    "GET /api/v1/projects/{project}/calibrations":                    "401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/calibrations":                   "401   403  404  403  403  201  201   404",
    "GET /api/v1/projects/{project}/rules":                           "401   403  404  403  403  200  200   404",
    "PUT /api/v1/projects/{project}/rules":                           "401   403  404  403  403  200  200   404",
    # guidelines
    "GET /api/v1/projects/{project}/guidelines":                      "401   200  404  200  200  200  200   404",
    "POST /api/v1/projects/{project}/guidelines":                     "401   403  404  403  403  201  201   404",
    "GET /api/v1/projects/{project}/guidelines/diff":                 "401   200  404  200  200  200  200   404",
    "GET /api/v1/projects/{project}/guidelines/{version:int}":        "401   404  404  404  404  200  200   404",
    "PATCH /api/v1/projects/{project}/guidelines/{version:int}":      "401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/guidelines/{version:int}/preview":"401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/guidelines/{version:int}/publish":"401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/guidelines/draft/additions":     "401   403  404  403  403  200  200   404",
    # oversight
    "GET /api/v1/projects/{project}/audit":                           "401   403  404  403  403  200  200   404",
    "GET /api/v1/projects/{project}/digest":                          "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/judges/{judge}/audit":            "401   403  404  200  403  200  200   404",
    # curation: suspect labels and active selection, for managers
    "POST /api/v1/projects/{project}/suspects":                       "401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/priorities":                     "401   403  404  403  403  200  200   404",
    # project administration: administrators create projects; a project's managers (and
    # administrators) read and change its settings, archive it and manage its members
    "POST /api/v1/projects":                                          "401   403  403  403  403  403  201   403",
    "GET /api/v1/projects/{project}/settings":                        "401   403  404  403  403  200  200   404",
    "PATCH /api/v1/projects/{project}":                               "401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/archive":                        "401   403  404  403  403  200  200   404",
    "POST /api/v1/projects/{project}/unarchive":                      "401   403  404  403  403  200  200   404",
    "GET /api/v1/projects/{project}/members":                         "401   403  404  403  403  200  200   404",
    "GET /api/v1/projects/{project}/members/{user}":                  "401   403  404  403  403  200  200   404",
    "PUT /api/v1/projects/{project}/members/{user}":                  "401   403  404  403  403  200  200   404",
    "DELETE /api/v1/projects/{project}/members/{user}":               "401   403  404  403  403  204  204   404",
    # people: administrators only, except that a user (here ann, the annotator) reads their
    # own account and issues themselves a new token
    "GET /api/v1/users":                                              "401   403  403  403  403  403  200   403",
    "POST /api/v1/users":                                             "401   403  403  403  403  403  201   403",
    "GET /api/v1/users/{user}":                                       "401   200  403  403  403  403  200   403",
    "PUT /api/v1/users/{user}/expertise":                             "401   403  403  403  403  403  200   403",
    "POST /api/v1/users/{user}/deactivate":                           "401   403  403  403  403  403  200   403",
    "POST /api/v1/users/{user}/reactivate":                           "401   403  403  403  403  403  200   403",
    "POST /api/v1/users/{user}/tokens":                               "401   201  403  403  403  403  201   403",
    "POST /api/v1/invites":                                           "401   403  403  403  403  403  201   403",
    "GET /api/v1/users/{user}/identities":                            "401   403  403  403  403  403  200   403",
    "POST /api/v1/users/{user}/identities":                           "401   403  403  403  403  403  201   403",
    "DELETE /api/v1/users/{user}/identities":                         "401   403  403  403  403  403  204   403",
    # imports: a project's managers and administrators
    "POST /api/v1/projects/{project}/imports":                        "401   403  404  403  403  202  202   404",
    "GET /api/v1/projects/{project}/imports":                         "401   403  404  403  403  200  200   404",
    "GET /api/v1/projects/{project}/imports/{job_id}":                "401   403  404  403  403  200  200   404",
    # exports: reviewers, managers and administrators (as the report)
    "POST /api/v1/projects/{project}/exports":                        "401   403  404  202  403  202  202   404",
    "GET /api/v1/projects/{project}/exports/jobs":                    "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/exports/jobs/{job_id}":           "401   403  404  200  403  200  200   404",
    "GET /api/v1/projects/{project}/exports/jobs/{job_id}/files/{name}":"401  403  404  200  403  200  200   404",
    "DELETE /api/v1/projects/{project}/exports/jobs/{job_id}":        "401   403  404  204  403  204  204   404",
    "GET /api/v1/projects/{project}/exports/{format}":                "401   403  404  200  403  200  200   404",
    # pages
    "GET /login":                                                     "200   200  200  200  200  200  200   200",
    "POST /login":                                                    "303   303  303  303  303  303  303   303",
    "POST /logout":                                                   "login login login login login login login login",
    "GET /":                                                          "login 200  200  200  200  200  200   200",
    "GET /projects/{project}/annotate":                               "login 200  404  403  403  403  403   404",
    "GET /projects/{project}/calibration/{assignment_id}":            "login 200  404  403  403  403  403   404",
    "GET /projects/{project}/review":                                 "login 403  404  200  403  200  200   404",
    "GET /projects/{project}/review/{task_id:path}":                  "login 403  404  200  403  200  200   404",
    "POST /projects/{project}/review/{task_id:path}":                 "login 403  404  303  403  303  303   404",
    "GET /projects/{project}/demonstrations":                         "login 403  404  200  403  200  200   404",
    "GET /projects/{project}/demonstrations/mine":                    "login 200  404  200  200  200  200   404",
    "GET /projects/{project}/demonstrations/{demonstration_id}":      "login 200  404  200  404  200  200   404",
    "POST /projects/{project}/demonstrations/{demonstration_id}/review":"login 403 404 303  403  303  303   404",
    "POST /projects/{project}/demonstrations/{demonstration_id}/revise":"login 303 404 403  403  403  403   404",
    "GET /projects/{project}/escalations":                            "login 404  404  404  200  200  200   404",
    "POST /projects/{project}/escalations/{escalation_id}":           "login 404  404  404  303  303  303   404",
    "GET /projects/{project}/dashboard":                              "login 403  404  200  403  200  200   404",
    "GET /projects/{project}/guidelines":                             "login 403  404  403  403  200  200   404",
    "POST /projects/{project}/guidelines/new":                        "login 403  404  403  403  303  303   404",
    "GET /projects/{project}/guidelines/{version:int}/edit":          "login 403  404  403  403  200  200   404",
    "POST /projects/{project}/guidelines/{version:int}/edit":         "login 403  404  403  403  303  303   404",
    "POST /projects/{project}/guidelines/{version:int}/publish":      "login 403  404  403  403  303  303   404",
    "GET /projects/{project}/guidelines/changes":                     "login 200  404  200  200  200  200   404",
    "GET /projects/{project}/digest":                                 "login 403  404  200  403  200  200   404",
    "POST /projects/{project}/digest/add":                            "login 403  404  403  403  303  303   404",
    "GET /projects/{project}/audit":                                  "login 403  404  403  403  200  200   404",
    # invites and single sign-on: open to anyone holding the link; the app under test has
    # no OpenID Connect provider configured, so its routes say so (404) to everyone
    # (tests/web/test_sso.py signs in through a real provider)
    # a person's own account page: anyone signed in, for themselves only
    "GET /account":                                                   "login 200  200  200  200  200  200   200",
    "POST /account/token":                                            "login 200  200  200  200  200  200   200",
    "GET /invite/{secret}":                                           "200   200  200  200  200  200  200   200",
    "POST /invite/{secret}":                                          "303   303  303  303  303  303  303   303",
    "GET /auth/oidc/login":                                           "404   404  404  404  404  404  404   404",
    "GET /auth/oidc/callback":                                        "404   404  404  404  404  404  404   404",
}


WRITING_READS = frozenset({
    "GET /api/v1/projects/{project}/tasks/next",
    "GET /api/v1/projects/{project}/exports/{format}",
})
"""GETs that may write: asking for the next task leases it (the contract's claim); a
streamed export leaves an audit event (who took which judgments)."""


@dataclass(frozen=True)
class RequestSpec:
    """What a route is sent beyond its path: a JSON body (API), form fields (pages), a raw
    body with its headers (an uploaded file), a query string, path values other than the world's usual ones (``World.path_values``
    names), the concrete file behind a mount, and a change to the world the route needs
    first (``prepare``, undone after the route's test)."""

    json: dict | None = None
    form: dict[str, str] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""
    path_values: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    prepare: Callable[[Engine, World], None] | None = None


PROVIDER_IDENTITY = {"issuer": "https://id.example.org", "subject": "ann-at-the-provider"}


def link_an_identity(engine: Engine, world: World) -> None:
    """For unlinking: ann is linked to an identity at the provider first."""
    with engine.begin() as conn:
        identities.link_identity(conn, None, "ann", PROVIDER_IDENTITY["issuer"],
                                 PROVIDER_IDENTITY["subject"], utcnow())


REQUESTS: dict[str, RequestSpec] = {
    "GET /static": RequestSpec(path="/static/css/accord.css"),
    "GET /static/swagger": RequestSpec(path="/static/swagger/swagger-ui.css"),
    "POST /api/v1/assignments/{assignment_id}/submit": RequestSpec(json={
        "ranking": [["a"], ["b"]], "strength": 2,
        "ratings": {"a": {"helpfulness": 5}, "b": {"helpfulness": 3}},
        "rationale": "a answers the question", "flags": [], "active_ms": 41250}),
    "POST /api/v1/assignments/{assignment_id}/skip": RequestSpec(
        json={"reason": "outside_expertise"}),
    "POST /api/v1/markdown": RequestSpec(json={"text": "*Rank* the better answer first."}),
    "POST /api/v1/projects/{project}/tasks/{task_id}/adjudicate": RequestSpec(
        json={"ranking": [["a"], ["b"]], "rationale": "a answers the question"}),
    "POST /api/v1/projects/{project}/escalations/{escalation_id}": RequestSpec(
        json={"status": "in_review", "note": "taking a look", "severity": 3}),
    "POST /api/v1/projects/{project}/calibrations": RequestSpec(json={"user": "ann"}),
    "POST /api/v1/projects/{project}/suspects": RequestSpec(
        json={"judge": "judge-1", "top": 10}, prepare=add_an_ai_judge),
    "POST /api/v1/projects/{project}/priorities": RequestSpec(json={"by": "disagreement"}),
    "PUT /api/v1/projects/{project}/demonstrations/rules": RequestSpec(json={
        "rubric_checks": ["follows the instruction", "safe"], "double_share": 0.2,
        "two_accepts_for": ["safety"]}),
    "POST /api/v1/projects/{project}/demonstrations/{demonstration_id}/review": RequestSpec(
        json={"version": 1, "decision": "accept",
              "scores": {"helpfulness": 4, "honesty": 5},
              "checks": {"follows the instruction": True, "factually correct": True,
                         "safe": True, "format": True}, "active_ms": 30000}),
    "POST /api/v1/projects/{project}/demonstrations/{demonstration_id}/revise": RequestSpec(
        json={"version": 1, "text": "A first answer, with more detail."},
        prepare=send_back_the_demonstration),
    "PUT /api/v1/projects/{project}/rules": RequestSpec(json={"gold_rate": 0.1}),
    "POST /api/v1/projects/{project}/guidelines": RequestSpec(
        json={"text": "A third version.", "change_note": "clearer ties"},
        prepare=publish_the_draft),
    "GET /api/v1/projects/{project}/guidelines/diff": RequestSpec(
        query="from=1&to=2", prepare=publish_the_draft),
    "PATCH /api/v1/projects/{project}/guidelines/{version:int}": RequestSpec(
        json={"text": "The draft, edited."}),
    "POST /api/v1/projects/{project}/guidelines/{version:int}/preview": RequestSpec(
        json={"text": "The draft, previewed."}),
    "POST /api/v1/projects/{project}/guidelines/draft/additions": RequestSpec(
        json={"kind": "edge_case", "title": "Both bad", "text": "Rank the less harmful first."}),
    "POST /login": RequestSpec(form={"username": "ann", "password": "pw"}),
    "GET /projects/{project}/calibration/{assignment_id}": RequestSpec(
        path_values={"assignment_id": "calibration_assignment_id"}),
    "POST /projects/{project}/review/{task_id:path}": RequestSpec(
        form={"count": "2", "place-0": "1", "place-1": "2",
              "rationale": "a answers the question"}),
    "POST /projects/{project}/demonstrations/{demonstration_id}/review": RequestSpec(form={
        "version": "1", "decision": "accept", "score-helpfulness": "4", "score-honesty": "5",
        "check-name-0": "follows the instruction", "check-0": "on",
        "check-name-1": "factually correct", "check-1": "on", "check-name-2": "safe",
        "check-2": "on", "check-name-3": "format", "check-3": "on"}),
    "POST /projects/{project}/demonstrations/{demonstration_id}/revise": RequestSpec(
        form={"version": "1", "text": "A first answer, with more detail."},
        prepare=send_back_the_demonstration),
    "POST /projects/{project}/escalations/{escalation_id}": RequestSpec(
        form={"status": "in_review", "note": "taking a look", "severity": "3"}),
    "POST /projects/{project}/guidelines/{version:int}/edit": RequestSpec(
        form={"text": "The draft, edited.", "change_note": "clearer ties"}),
    "POST /projects/{project}/digest/add": RequestSpec(
        form={"kind": "example", "task": "split-1", "title": "Alpha is right",
              "better_response": "a", "explanation": "a answers the question"}),
    "GET /projects/{project}/guidelines/changes": RequestSpec(
        query="from=1&to=2", prepare=publish_the_draft),
    "POST /projects/{project}/guidelines/new": RequestSpec(prepare=publish_the_draft),
    "POST /api/v1/projects": RequestSpec(json={
        "name": "safety-round-2", "description": "Red-team prompts, second round",
        "overlap": 2, "ranking_mode": "pairwise"}),
    "PATCH /api/v1/projects/{project}": RequestSpec(json={
        "description": "Preference pairs for the reward model", "gold_rate": 0.05}),
    "POST /api/v1/projects/{project}/unarchive": RequestSpec(prepare=archive_the_project),
    "PUT /api/v1/projects/{project}/members/{user}": RequestSpec(
        json={"roles": ["annotator", "reviewer"]}),
    "POST /api/v1/users": RequestSpec(json={
        "name": "newcomer", "password": "a long enough password", "expertise": ["coding"],
        "project": "prefs", "roles": ["annotator"]}),
    "PUT /api/v1/users/{user}/expertise": RequestSpec(json={"expertise": ["coding", "stem.math"]}),
    "POST /api/v1/users/{user}/reactivate": RequestSpec(
        path_values={"user": "former_user"}, prepare=deactivate_a_former_member),
    "POST /api/v1/users/{user}/tokens": RequestSpec(json={"label": "laptop"}),
    "POST /api/v1/invites": RequestSpec(json={"project": "prefs", "roles": ["reviewer"]}),
    "POST /api/v1/users/{user}/identities": RequestSpec(json=PROVIDER_IDENTITY),
    "DELETE /api/v1/users/{user}/identities": RequestSpec(
        query=f"issuer={PROVIDER_IDENTITY['issuer']}&subject={PROVIDER_IDENTITY['subject']}",
        prepare=link_an_identity),
    "POST /api/v1/projects/{project}/imports": RequestSpec(
        content=IMPORTED_LINES, query="file_name=round-2.jsonl",
        headers={"Content-Type": "application/x-ndjson"}),
    "GET /api/v1/projects/{project}/imports/{job_id}": RequestSpec(
        path_values={"job_id": "import_job_id"}),
    "POST /api/v1/projects/{project}/exports": RequestSpec(
        json={"format": "preference", "file_format": "jsonl"}),
    "GET /api/v1/projects/{project}/exports/jobs/{job_id}": RequestSpec(
        path_values={"job_id": "export_job_id"}),
    "GET /api/v1/projects/{project}/exports/jobs/{job_id}/files/{name}": RequestSpec(
        path_values={"job_id": "export_job_id"}),
    "DELETE /api/v1/projects/{project}/exports/jobs/{job_id}": RequestSpec(
        path_values={"job_id": "doomed_export_job_id"}),
    "POST /invite/{secret}": RequestSpec(form={
        "username": "invitee", "password": "a long enough password",
        "password_again": "a long enough password"}),
}


def expected(route: str) -> dict[str, str]:
    """The outcome each actor gets from ``route``, by actor."""
    cells = OUTCOMES[route].split()
    assert len(cells) == len(ACTORS), f"{route}: {len(cells)} outcomes for {len(ACTORS)} actors"
    return dict(zip(ACTORS, cells, strict=True))
