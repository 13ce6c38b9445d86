"""The API's wire format (shared with the Python SDK). ``core`` never imports these."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


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
    category: str
    guideline_version: int | None


class NextTaskOut(BaseModel):
    assignment_id: int
    lease_expires_at: datetime
    task: TaskOut


class AnnotationIn(Strict):
    """A judgment: ``ranking`` for comparisons, ``response`` for demonstrations, ``attack``
    for red team."""

    ranking: list[list[str]] | None = Field(
        None, description='tie groups of response ids, best first: [["b"], ["a"]]'
    )
    strength: int | None = Field(None, description="1 slightly, 2 clearly, 3 much better")
    ratings: dict[str, dict[str, int]] | None = None
    rationale: str = ""
    flags: list[str] = []
    active_ms: int = Field(0, description="time actively spent, in milliseconds")
    response: str | None = None
    attack: str | None = None
    model_response: str | None = None
    harm_categories: list[str] | None = None
    severity: int | None = None
    refusal_appropriate: bool | None = None


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
                                    "rotation (see docs/calibration.md)")


class WorkRulesIn(Strict):
    gold_rate: float | None = Field(None, description="share of claims that get gold, 0 to 1")
    rules: dict | None = Field(None, description="sections to replace; null turns one off")


class CalibrationRoundIn(Strict):
    user: str = Field(description="the annotator who gets a new calibration round")


class SkipIn(Strict):
    reason: str


class SkipOut(BaseModel):
    assignment_id: int
    status: str = "skipped"


class DimensionOut(BaseModel):
    name: str
    min: int
    max: int
    description: str = ""


class ProjectOut(BaseModel):
    name: str
    overlap: int
    lease_seconds: int
    ranking_mode: str
    allow_ties: bool
    require_rationale: bool
    dimensions: list[DimensionOut]
    roles: list[str]


class UserOut(BaseModel):
    name: str
    kind: str
    is_admin: bool


class ProgressOut(BaseModel):
    tasks: int
    by_status: dict[str, int]
    annotations: int
    active_leases: int
