"""The API's request bodies, and its answers' models under the names the routes import.
``core`` never imports these.

The answers' models live in ``accord.wire`` (Pydantic only), from which the Python SDK
(``accord.client``) reads the server's answers; they are re-exported here. Request bodies
are typed with ``web.values`` (``Text``, ``Int64``, ``Document``) and carry the bounds that
``core`` enforces, so a value no database could store, or a list of any size, is refused
while the body is parsed (422 naming the field), and OpenAPI states the bounds. The SDK
sends plain JSON and lets the server apply these checks, so its errors are the server's.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.core.tasks.authoring import MAX_TURNS
from accord.core.tasks.judgments import (
    FLAGS,
    MAX_DIMENSIONS,
    MAX_HARM_CATEGORIES,
    MAX_ID,
    MAX_LABEL,
    MAX_RANKED,
    MAX_TEXT,
    SKIP_REASONS,
)
from accord.web.values import STORABLE, Document, FiniteFloat, Int64, Text
from accord.wire.projects import DimensionOut, ProgressOut, ProjectOut, UserOut
from accord.wire.work import (
    CalibrationFeedbackOut,
    CalibrationRoundOut,
    Message,
    NextTaskOut,
    ResponseOut,
    SkipOut,
    SubmissionOut,
    TaskOut,
    WorkRulesOut,
)

__all__ = [
    "AnnotationIn",
    "CalibrationFeedbackOut",
    "CalibrationRoundIn",
    "CalibrationRoundOut",
    "DimensionOut",
    "Message",
    "NextTaskOut",
    "ProgressOut",
    "ProjectOut",
    "ResponseOut",
    "SkipIn",
    "SkipOut",
    "Strict",
    "SubmissionOut",
    "TaskOut",
    "TurnIn",
    "UserOut",
    "WorkRulesIn",
    "WorkRulesOut",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


LongText = Annotated[str, StringConstraints(max_length=MAX_TEXT), STORABLE]
"""A rationale, a written response, an attack, a model's response."""
ResponseId = Annotated[str, StringConstraints(max_length=MAX_ID), STORABLE]
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL), STORABLE]
"""A dimension's or a harm category's name."""
TieGroup = Annotated[list[ResponseId], Field(max_length=MAX_RANKED)]
Scores = Annotated[dict[Label, Int64], Field(max_length=MAX_DIMENSIONS)]


class TurnIn(Strict):
    """One turn of a multi-turn demonstration."""

    role: Annotated[str, StringConstraints(max_length=16), STORABLE] = Field(
        description="assistant or user: the assistant first, then alternating")
    content: LongText


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
    response: LongText | None = Field(
        None, description="demonstration (write, post_edit): the written or edited response")
    turns: list[TurnIn] | None = Field(
        None, max_length=MAX_TURNS,
        description="demonstration (multi_turn): the conversation's continuation, "
                    '[{"role": "assistant", "content": "…"}, {"role": "user", …}, …], '
                    "ending with the assistant")
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
    suggestion_accepted: bool = Field(
        False, description="comparison: the ranking is the AI suggestion taken with the "
                           "one-key accept (pre-labelling); recorded with the assignment")


class WorkRulesIn(Strict):
    gold_rate: FiniteFloat | None = Field(
        None, description="share of claims that get gold, 0 to 1")
    rules: Document | None = Field(None, description="sections to replace; null turns one off")


class CalibrationRoundIn(Strict):
    user: Text = Field(description="the annotator who gets a new calibration round")


class SkipIn(Strict):
    reason: Text = Field(description="why the task is handed back",
                         json_schema_extra={"enum": list(SKIP_REASONS)})
