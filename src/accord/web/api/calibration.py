"""Calibration rounds for managers: see every round, start a new one for an annotator."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from accord.core import calibration
from accord.web.api.schemas import CalibrationRoundIn, CalibrationRoundOut
from accord.web.deps import Caller
from accord.web.sources import now

router = APIRouter(tags=["calibration"])


@router.get("/projects/{project}/calibrations", response_model=list[CalibrationRoundOut])
async def list_rounds(project: str, me: Caller) -> list[CalibrationRoundOut]:
    """Every calibration round in the project, newest first (managers only)."""
    found = await me.run(calibration.rounds, project)
    return [CalibrationRoundOut(**asdict(r)) for r in found]


@router.post("/projects/{project}/calibrations", response_model=CalibrationRoundOut,
             status_code=201)
async def start_round(project: str, body: CalibrationRoundIn, me: Caller,
                      request: Request) -> CalibrationRoundOut:
    """Send an annotator through a new calibration round (after a failed one, for example)."""
    started = await me.run(calibration.restart, project, body.user, now(request))
    return CalibrationRoundOut(**asdict(started))
