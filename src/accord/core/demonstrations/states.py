"""The states of a demonstration and the actions each allows: the one table every change is
checked against, so an illegal action is refused with the state and the action named.

::

    in_review ── accept / accept_with_edits ──► accepted
        │   └──── reject ─────────────────────► rejected
        └──────── send_back ──► sent_back ── revise ──► in_review (a new version)

``accepted`` and ``rejected`` are final. A demonstration that needs two reviews stays
``in_review`` after the first; the second settles it (see ``lifecycle``).
"""

from __future__ import annotations

from accord.core.errors import Conflict

STATES = ("in_review", "sent_back", "accepted", "rejected")
DECISIONS = ("accept", "accept_with_edits", "send_back", "reject")
ACTIONS = (*DECISIONS, "revise")
ALLOWED = {
    "in_review": frozenset(DECISIONS),
    "sent_back": frozenset({"revise"}),
    "accepted": frozenset(),
    "rejected": frozenset(),
}
SETTLES_TO = {"accept": "accepted", "accept_with_edits": "accepted", "send_back": "sent_back",
              "reject": "rejected"}
STRICTNESS = {"accept": 0, "accept_with_edits": 1, "send_back": 2, "reject": 3}
"""When two reviews of one version disagree, the stricter decision is the outcome: a
category that needs two accepts is accepted only when both accept."""
_ACTION_WORDS = {"accept": "accepted", "accept_with_edits": "accepted with edits",
                 "send_back": "sent back", "reject": "rejected", "revise": "revised"}


def require_allowed(demonstration_id: int, status: str, action: str) -> None:
    """Refuse ``action`` unless ``status`` allows it, naming both."""
    if action not in ALLOWED[status]:
        allowed = ", ".join(sorted(ALLOWED[status])) or "nothing: it is final"
        raise Conflict(
            f"demonstration {demonstration_id} is {status}: it cannot be "
            f"{_ACTION_WORDS[action]} (a {status} demonstration allows {allowed})",
            details={"status": status, "action": action},
        )


def outcome(decisions: list[str]) -> str:
    """The decision that settles a version from all of its reviews: the strictest."""
    return max(decisions, key=STRICTNESS.__getitem__)
