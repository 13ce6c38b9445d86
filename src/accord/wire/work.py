"""The annotation loop as it travels: the task handed out, what a submission or a skip
answers, and the calibration rounds and work rules that decide who gets what."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Message(BaseModel):
    role: str
    content: str


class ResponseOut(BaseModel):
    id: str
    content: str
    truncated: bool = Field(False, description="the model was cut off at the length limit: "
                                               "the response's end is missing")


class TaskOut(BaseModel):
    id: str
    kind: str
    messages: list[Message]
    responses: list[ResponseOut] = Field(description="in the order this annotator is shown them")
    category: str = Field(description="the category's key, which rules and filters match on")
    guideline_version: int | None
    category_label: str = Field(description="the category as its source wrote it ('Open QA' "
                                "for the key open-qa)")


class NextTaskOut(BaseModel):
    assignment_id: int
    lease_expires_at: datetime
    task: TaskOut


class CalibrationFeedbackOut(BaseModel):
    """After an answer in a calibration round: the reference and the round so far."""

    reference: list[list[str]] = Field(description="the reference ranking, tie groups best first")
    explanation: str = Field(description="why the reference ranks so (Markdown)")
    answered: int
    of: int
    status: str = Field(description="pending, passed or failed")
    score: float | None = Field(description="share of reference pairs ranked alike, once scored")
    pass_threshold: float


class SubmissionOut(BaseModel):
    annotation_id: int
    assignment_id: int
    task_id: str
    status: str = "submitted"
    late: bool
    created_at: datetime
    annotation: dict
    calibration: CalibrationFeedbackOut | None = Field(
        None, description="only for an answer in a calibration round; null otherwise")


class SkipOut(BaseModel):
    assignment_id: int
    status: str = "skipped"


class CalibrationRoundOut(BaseModel):
    id: int
    user: str
    status: str
    score: float | None
    guideline_version: int | None
    created_at: datetime
    finished_at: datetime | None


class WorkRulesOut(BaseModel):
    gold_rate: float
    rules: dict = Field(description="the rules in force: calibration, exposure, breaks, "
                                    "rotation, overlap (see docs/calibration.md)")
