"""For managers: a project's work rules (gold rate, calibration, exposure, breaks,
rotation), its calibration rounds, and a new round for an annotator."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from accord.core.errors import ErrorKind
from accord.core.work import calibration
from accord.core.work import rules as work_rules
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import (
    CalibrationRoundIn,
    CalibrationRoundOut,
    WorkRulesIn,
    WorkRulesOut,
)
from accord.web.deps import Caller
from accord.web.sources import Now

router = APIRouter(tags=["calibration"])
MANAGED = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
"""Every route here is for the project's managers."""


@router.get("/projects/{project}/calibrations", summary="List calibration rounds",
            response_model=list[CalibrationRoundOut], responses=MANAGED)
async def list_rounds(project: str, me: Caller) -> list[CalibrationRoundOut]:
    """Every calibration round in the project, newest first (managers only)."""
    found = await me.run(calibration.rounds, project)
    return [CalibrationRoundOut(**asdict(r)) for r in found]


@router.post("/projects/{project}/calibrations", summary="Start a calibration round",
             response_model=CalibrationRoundOut, status_code=201, responses=MANAGED)
async def start_round(project: str, body: CalibrationRoundIn, me: Caller,
                      at: Now) -> CalibrationRoundOut:
    """Send an annotator through a new calibration round (after a failed one, for example)."""
    started = await me.run(calibration.restart, project, body.user, at)
    return CalibrationRoundOut(**asdict(started))


@router.get("/projects/{project}/rules", summary="Read the work rules",
            response_model=WorkRulesOut, responses=MANAGED)
async def read_rules(project: str, me: Caller) -> WorkRulesOut:
    """The gold rate and the work rules in force (managers only)."""
    found, rules = await me.run(work_rules.rules_for, project)
    return WorkRulesOut(gold_rate=found.gold_rate, rules=rules)


@router.put("/projects/{project}/rules", summary="Change the work rules",
            response_model=WorkRulesOut, responses=MANAGED)
async def change_rules(project: str, body: WorkRulesIn, me: Caller) -> WorkRulesOut:
    """Replace the named rule sections and maybe the gold rate; checked whole first."""
    found, rules = await me.run(work_rules.change_rules, project, body.rules, body.gold_rate)
    return WorkRulesOut(gold_rate=found.gold_rate, rules=rules)
