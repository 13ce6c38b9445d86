"""The annotation loop as the API and pages call it: authorise, then claim, submit or skip.

Each function runs inside one transaction that the caller opened, so the membership check
and the claim see the same state.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Connection

from accord.core import access, claims, submissions
from accord.core.claims import Claim, Wait
from accord.core.errors import Forbidden
from accord.core.judgments import Judgment
from accord.core.projects import project_for_member
from accord.core.submissions import Submission
from accord.core.users import User


def next_task(
    conn: Connection, user: User, project_name: str, now: datetime,
    rng: random.Random | None = None,
) -> Claim | Wait | None:
    """The caller's next task in the project; a Wait when a project rule holds work back
    (failed calibration, a break); None when nothing is left for them."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_annotate(user, roles):
        raise Forbidden(f'you are not an annotator of "{project.name}"')
    return claims.claim_or_wait(conn, project, user, now, rng)


def submit(
    conn: Connection, user: User, assignment_id: int, judgment: Judgment, now: datetime
) -> Submission:
    return submissions.submit(conn, user, assignment_id, judgment, now)


def skip(conn: Connection, user: User, assignment_id: int, reason: str, now: datetime) -> None:
    submissions.skip(conn, user, assignment_id, reason, now)
