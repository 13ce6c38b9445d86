"""Who may do what: small policy predicates, in one place, used by every edge."""

from __future__ import annotations

from collections.abc import Set

from accord.core.people.users import User

ANNOTATING_ROLES = frozenset({"annotator"})
MANAGING_ROLES = frozenset({"manager"})


def can_annotate(user: User, roles: Set[str]) -> bool:
    """Annotators (human or AI judges) take tasks; reviewers and managers do other work."""
    return "annotator" in roles


def can_manage(user: User, roles: Set[str]) -> bool:
    return user.is_admin or "manager" in roles


def can_export(user: User, roles: Set[str]) -> bool:
    """Exports show every annotator's judgments, so only managers and admins take them."""
    return can_manage(user, roles)


def can_review(user: User, roles: Set[str]) -> bool:
    return user.is_admin or "reviewer" in roles or "manager" in roles


def can_adjudicate(user: User, roles: Set[str], annotated: bool) -> bool:
    """Reviewers settle split decisions, but never one they helped to split."""
    return can_review(user, roles) and not annotated


def can_see_escalations(user: User, roles: Set[str]) -> bool:
    """Escalated content is harmful by definition: safety specialists and managers only."""
    return can_manage(user, roles) or "safety_specialist" in roles
