"""Where a person can go from the home page, by their roles: one list, extended per page group.

Each page group adds its entry here (the reviewer queue, the manager dashboard, …) with
the same policy predicate its routes use, so a link is shown exactly when the page would
open for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from urllib.parse import quote

from accord.core.people import access
from accord.core.people.users import User


@dataclass(frozen=True)
class ProjectLink:
    label: str
    path: str
    """A path with ``{project}``, filled with the project's (URL-quoted) name."""
    allowed: Callable[[User, Set[str]], bool]
    hint: str = ""


PROJECT_LINKS: list[ProjectLink] = [
    ProjectLink("Annotate", "/projects/{project}/annotate", access.can_annotate,
                "Open your next task"),
    ProjectLink("Review", "/projects/{project}/review", access.can_review,
                "Settle split decisions"),
    ProjectLink("Demonstrations", "/projects/{project}/demonstrations", access.can_review,
                "Review written demonstrations against the rubric"),
    ProjectLink("My demonstrations", "/projects/{project}/demonstrations/mine",
                access.can_annotate, "Your demonstrations and their reviewers' feedback"),
    ProjectLink("Escalations", "/projects/{project}/escalations", access.can_see_escalations,
                "Items flagged unsafe"),
    ProjectLink("Dashboard", "/projects/{project}/dashboard", access.can_review,
                "Progress, agreement and annotators"),
    ProjectLink("What changed", "/projects/{project}/guidelines/changes",
                access.can_see_project, "The guideline since you last worked"),
    ProjectLink("Guidelines", "/projects/{project}/guidelines", access.can_manage,
                "Draft, preview and publish versions"),
    ProjectLink("Digest", "/projects/{project}/digest", access.can_review,
                "The most disputed tasks, with rationales"),
    ProjectLink("Audit", "/projects/{project}/audit", access.can_manage,
                "Decisions that changed a consensus"),
]


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    hint: str


def links_for(user: User, project_name: str, roles: Set[str]) -> list[Link]:
    """The pages of ``project_name`` this person may open, in ``PROJECT_LINKS`` order."""
    name = quote(project_name, safe="")
    return [
        Link(link.label, link.path.format(project=name), link.hint)
        for link in PROJECT_LINKS
        if link.allowed(user, roles)
    ]
