"""An AI judge's audit over the API: how far its verdicts agree with people's."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection

from accord.core.errors import ErrorKind, Forbidden, InvalidInput
from accord.core.judging.judge_audit import judge_audit
from accord.core.people.access import can_review
from accord.core.people.users import User
from accord.core.projects.project import project_for_member
from accord.web.api.documented import caller_errors
from accord.web.deps import Caller

router = APIRouter(tags=["judges"])


def _audit(conn: Connection, user: User, name: str, judge: str, min_votes: int) -> dict:
    project, roles = project_for_member(conn, name, user)
    if not can_review(user, roles):
        raise Forbidden(f'the judge audit of "{project.name}" is for its reviewers and managers')
    if min_votes < 1:
        raise InvalidInput(f"min_votes must be at least 1, not {min_votes}")
    return judge_audit(conn, project, judge, min_votes=min_votes)


@router.get("/projects/{project}/judges/{judge}/audit", summary="Audit an AI judge",
            responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                    ErrorKind.INVALID))
async def get_judge_audit(project: str, judge: str, me: Caller, min_votes: int = 1) -> dict:
    """The judge's agreement and Cohen's κ with human consensus (gold answers where a task
    has one), its swap consistency and confidence; AI annotations never count as human."""
    return await me.run(_audit, project, judge, min_votes)
