"""For managers: suspect labels and active selection over the API, as ``accord suspects``
and ``accord prioritize`` run them, with an AI judge's stored verdicts as the signal.

A reward model is loaded by the training extra, which the server does not import
(``web`` sits beside ``train``, not above it): ``reward-model:PATH`` signals run from the
command line; the API's bodies name a judge, so a body the schema accepts is one the
server can run.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import ConfigDict, Field, StringConstraints, model_validator

from accord.core.curation import priorities, suspects
from accord.core.curation.signals import JudgeSignal
from accord.core.errors import ErrorKind
from accord.core.people.users import NAME_PATTERN
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.values import STORABLE, WHOLE
from accord.wire.curation import PriorityRunOut, SuspectRunOut

router = APIRouter(tags=["curation"])
MANAGED = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
JudgeName = Annotated[str, StringConstraints(pattern=NAME_PATTERN.pattern), STORABLE]


class SuspectsIn(Strict):
    judge: JudgeName = Field(description="the AI judge whose stored verdicts doubt the labels "
                                         "(the command line also takes a reward model)",
                             examples=["judge-1"])
    top: Annotated[int, WHOLE] = Field(suspects.DEFAULT_TOP, ge=1, le=suspects.MAX_TOP,
                     description="store at most this many suspects, most doubtful first")


class PrioritizeIn(Strict):
    """The strategy; ``judge`` names the AI judge exactly when ``by`` is ``judge``."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"by": {"const": "judge"}}, "required": ["by"]},
        "then": {"required": ["judge"], "properties": {"judge": {"type": "string"}}},
        "else": {"properties": {"judge": {"type": "null"}}}})

    by: Literal["uncertainty", "disagreement", "judge"] = Field(
        description="uncertainty: the posterior uncertainty of the consensus so far; "
                    "disagreement: the split so far; judge: the judge's soft preference, "
                    "closest to indifference first (the reward-model strategy runs from the "
                    "command line)")
    judge: JudgeName | None = Field(None, examples=["judge-1"])

    @model_validator(mode="after")
    def _judge_with_its_strategy(self) -> PrioritizeIn:
        if (self.by == "judge") != (self.judge is not None):
            raise ValueError("judge names the AI judge exactly when by is judge")
        return self


@router.post("/projects/{project}/suspects", summary="Find suspect labels",
             response_model=SuspectRunOut, responses=MANAGED)
async def find_suspects(project: str, body: SuspectsIn, me: Caller, at: Now) -> SuspectRunOut:
    """Rank the project's settled labels by how likely they are wrong (confident learning
    against the judge, weighted by the consensus' confidence), store the top ones as open
    suspects for review, and supersede the previous run's (managers only)."""
    run = await me.run(suspects.find_suspects, project, JudgeSignal(body.judge), body.top,
                       now=at)
    return SuspectRunOut(**asdict(run))


@router.post("/projects/{project}/priorities", summary="Set task priorities",
             response_model=PriorityRunOut, responses=MANAGED)
async def set_priorities(project: str, body: PrioritizeIn, me: Caller,
                         at: Now) -> PriorityRunOut:
    """Set the open tasks' priorities by active selection; every change is recorded with
    its reason, and a rerun that changes nothing writes nothing (managers only; the
    reward-model strategy runs from the command line)."""
    signal = None if body.judge is None else JudgeSignal(body.judge)
    run = await me.run(priorities.prioritize, project, body.by, signal, now=at)
    return PriorityRunOut(**asdict(run))
