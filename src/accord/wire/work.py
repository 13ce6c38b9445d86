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


class DraftOut(BaseModel):
    """A model's draft for the writer to post-edit (which model wrote it is not shown)."""

    id: str = Field(description="the task's response this draft is")
    content: str


class DemonstrationOut(BaseModel):
    """How a demonstration is authored (see docs/authoring.md)."""

    mode: str = Field(description="write (from scratch), post_edit (edit the draft) or "
                                  "multi_turn (the assistant turns of a conversation)")
    draft: DraftOut | None = Field(None, description="post_edit: the draft to edit; null "
                                   "when the task has none (write from scratch)")
    user_turns: list[str] = Field([], description="multi_turn: user messages to answer in "
                                  "order after the prompt's, each followed by your reply")


class SuggestionOut(BaseModel):
    """What the project's AI judge ranked; always shown to people as the AI's."""

    judge: str = Field(description="the AI judge whose ranking this is")
    ranking: list[list[str]] = Field(description="tie groups of response ids, best first")


class TaskOut(BaseModel):
    id: str
    kind: str
    messages: list[Message]
    responses: list[ResponseOut] = Field(description="in the order this annotator is shown them")
    category: str = Field(description="the category's key, which rules and filters match on")
    guideline_version: int | None
    category_label: str = Field(description="the category as its source wrote it ('Open QA' "
                                "for the key open-qa)")
    demonstration: DemonstrationOut | None = Field(
        None, description="a demonstration's authoring mode, draft and user turns; null for "
                          "other kinds")
    suggestion: SuggestionOut | None = Field(
        None, description="an AI judge's ranking offered as a suggestion (pre-labelling); "
                          "null on assignments drawn to show none")


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
