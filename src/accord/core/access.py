"""Who may do what: small policy predicates, in one place, used by every edge."""

from __future__ import annotations

from collections.abc import Set

from accord.core.users import User

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
