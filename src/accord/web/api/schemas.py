"""The API's wire format (shared with the Python SDK). ``core`` never imports these.

Request bodies are typed with ``web.values`` (``Text``, ``Int64``, ``Document``) and carry
the bounds that ``core`` enforces, so a value no database could store, or a list of any size,
is refused while the body is parsed (422 naming the field), and OpenAPI states the bounds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.core.tasks.judgments import (
    FLAGS,
    MAX_DIMENSIONS,
    MAX_HARM_CATEGORIES,
    MAX_ID,
    MAX_LABEL,
    MAX_RANKED,
    MAX_TEXT,
)
from accord.web.values import STORABLE, Document, FiniteFloat, Int64, Text


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
    category: str = Field(description="the category's key, which rules and filters match on")
    guideline_version: int | None
    category_label: str = Field(description="the category as its source wrote it ('Open QA' "
                                "for the key open-qa)")


class NextTaskOut(BaseModel):
    assignment_id: int
    lease_expires_at: datetime
    task: TaskOut


LongText = Annotated[str, StringConstraints(max_length=MAX_TEXT), STORABLE]
"""A rationale, a written response, an attack, a model's response."""
ResponseId = Annotated[str, StringConstraints(max_length=MAX_ID), STORABLE]
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL), STORABLE]
"""A dimension's or a harm category's name."""
TieGroup = Annotated[list[ResponseId], Field(max_length=MAX_RANKED)]
Scores = Annotated[dict[Label, Int64], Field(max_length=MAX_DIMENSIONS)]


class AnnotationIn(Strict):
    """A judgment. Each task kind takes its own fields, besides ``rationale``, ``flags``,
    ``active_ms`` and ``severity``: a comparison ``ranking``, ``strength`` and ``ratings``; a
    demonstration ``response``; red team ``attack``, ``model_response``, ``harm_categories``
    and ``refusal_appropriate``. A field of another kind is refused (422 naming it)."""

    ranking: list[TieGroup] | None = Field(
        None, max_length=MAX_RANKED,
        description='comparison: tie groups of response ids, best first: [["b"], ["a"]]')
    strength: Int64 | None = Field(
        None, description="comparison: 1 slightly, 2 clearly, 3 much better")
    ratings: dict[ResponseId, Scores] | None = Field(
        None, max_length=MAX_RANKED,
        description='comparison: per response, per dimension: {"a": {"helpfulness": 5}}')
    rationale: LongText = ""
    flags: list[Text] = Field([], max_length=len(FLAGS), description=", ".join(FLAGS))
    active_ms: Int64 = Field(0, description="time actively spent, in milliseconds")
    response: LongText | None = Field(None, description="demonstration: the written response")
    attack: LongText | None = Field(None, description="red team: the attack prompt")
    model_response: LongText | None = Field(
        None, description="red team: what the model answered")
    harm_categories: list[Label] | None = Field(
        None, max_length=MAX_HARM_CATEGORIES,
        description="red team: categories from the project's list, each once")
    severity: Int64 | None = Field(
        None, description="0 none … 4 critical: how harmful a red-team attack is; on any "
                          "kind, the tier of the escalation an unsafe flag opens")
    refusal_appropriate: bool | None = Field(
        None, description="red team: whether a refusal was the right answer")


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
    gold_rate: FiniteFloat | None = Field(
        None, description="share of claims that get gold, 0 to 1")
    rules: Document | None = Field(None, description="sections to replace; null turns one off")


class CalibrationRoundIn(Strict):
    user: Text = Field(description="the annotator who gets a new calibration round")


class SkipIn(Strict):
    reason: Text


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
