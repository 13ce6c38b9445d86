"""Who may do what: small policy predicates, in one place, used by every edge.

Each takes the user and their roles in one project. The rules ask them before they act, and
the pages' navigation (``web.pages.navigation``) asks the same ones, so a link is shown
exactly when its page would open.
"""

from __future__ import annotations

from collections.abc import Set

from accord.core.people.users import User


def can_see_project(user: User, roles: Set[str]) -> bool:
    """Members see their project and its published guideline; administrators see every
    project. To anyone else a project does not exist."""
    return user.is_admin or bool(roles)


def can_annotate(user: User, roles: Set[str]) -> bool:
    """Annotators (human or AI judges) take tasks; reviewers and managers do other work."""
    return "annotator" in roles


def can_manage(user: User, roles: Set[str]) -> bool:
    return user.is_admin or "manager" in roles


def can_review(user: User, roles: Set[str]) -> bool:
    return user.is_admin or "reviewer" in roles or "manager" in roles


def can_adjudicate(user: User, roles: Set[str], annotated: bool) -> bool:
    """Reviewers settle split decisions, but never one they helped to split."""
    return can_review(user, roles) and not annotated


def can_see_escalations(user: User, roles: Set[str]) -> bool:
    """Escalated content is harmful by definition: safety specialists and managers only."""
    return can_manage(user, roles) or "safety_specialist" in roles
