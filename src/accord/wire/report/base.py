"""What the report's models share: frozen values, no unknown fields, documented fields."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class ReportModel(BaseModel):
    """A part of the quality report. Each field's docstring is its description in OpenAPI."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


Interval = Annotated[list[float | None], Field(min_length=2, max_length=2)]
"""A 95% interval, [lower, upper]; null ends where it cannot be estimated."""
PerAnnotator = dict[str, float | None]
"""A figure per annotator, keyed by name; null where it cannot be measured."""
PerAnnotatorCount = dict[str, int]
"""A count per annotator, keyed by name."""
Absent = SkipJsonSchema[None]
"""The default of a field that some reports leave out: absent from the JSON, never null."""
