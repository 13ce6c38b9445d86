"""What a value in a request must be for Accord to store it and to answer with it.

JSON lets a request say things no database column holds: a lone UTF-16 surrogate
(``"\\ud800"``) that UTF-8 cannot encode, a NUL character that PostgreSQL's text refuses,
integers of any size where columns hold 64 bits, ``NaN`` and infinities that JSON answers
cannot carry. Left to reach the database (or an error message quoting them), each one was a
500. These types refuse them where the request is parsed, so the answer is 422 naming the
field: ``body.rationale: …``, ``path.assignment_id: …``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import AllowInfNan, BeforeValidator, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}")


def _text_problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    character = found.group()
    what = ("a NUL character" if character == "\x00"
            else f"a lone UTF-16 surrogate (U+{ord(character):04X})")
    return f"text may not contain {what}; found at character {found.start()}"


def storable_text(text: str) -> str:
    """``text`` if every database can store it and every answer can encode it."""
    problem = _text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


def _refuse_unstorable(value: object) -> object:
    """Checked before the string itself is validated: pydantic's own string check would
    refuse a lone surrogate too, but with a message that names no reason."""
    if isinstance(value, str):
        storable_text(value)
    return value


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        return f"{value} does not fit in 64 bits"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return None


def _first_problem(value: Any, place: str) -> str | None:
    """The first unstorable thing in a JSON value, named by its place (``rules.items[2]``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{place}.{key}" if place else str(key)
            problem = _text_problem(str(key))
            if problem is not None:
                return f"a key in {place or 'the object'}: {problem}"
            problem = _first_problem(item, inner)
            if problem is not None:
                return problem
        return None
    if isinstance(value, list):
        for position, item in enumerate(value):
            problem = _first_problem(item, f"{place}[{position}]")
            if problem is not None:
                return problem
        return None
    problem = _scalar_problem(value)
    return None if problem is None else f"{place}: {problem}"


def storable_document(document: dict[str, Any]) -> dict[str, Any]:
    """A free-form JSON object (work rules, guideline rows) with every key and value checked
    as above; the error names the place inside it (``calibration.items``)."""
    problem = _first_problem(document, "")
    if problem is not None:
        raise ValueError(problem)
    return document


def whole_number(text: str) -> int | None:
    """A form field's whole number (ASCII digits, optional minus, within 64 bits), else None.

    ``str.isdigit`` is no test: it accepts ``"²"``, which ``int`` then refuses.
    """
    text = text.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else None


STORABLE_PATTERN = r"^[^\x00]*$"
"""The part of ``storable_text``'s rule a JSON Schema pattern can say: no NUL. A lone
surrogate is refused too, but no client can send one in UTF-8, and the regex dialects that
read this document disagree on how to write a surrogate range."""


@dataclass(frozen=True, slots=True)
class _Storable(BeforeValidator):
    """The check, and its documentation: OpenAPI says which characters text may hold."""

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        documented = handler(schema)
        # Optional text (``str | None``) is an anyOf of a string and null: the string says it.
        for member in [documented, *documented.get("anyOf", [])]:
            if member.get("type") == "string":
                member.setdefault("pattern", STORABLE_PATTERN)
        return documented


STORABLE = _Storable(_refuse_unstorable)
"""Put last in ``Annotated[str, StringConstraints(max_length=…), STORABLE]`` for bounded text,
so the bound's message says "characters"."""
Text = Annotated[str, STORABLE]
"""Text a request sends: no lone surrogate, no NUL."""
CATEGORY_PATTERN = r"^[^\x00]*[^\W_][^\x00]*$"
"""A category filter must hold a letter or digit, from which its key is derived (and no NUL)."""
CategoryFilter = Annotated[str, StringConstraints(max_length=200, pattern=CATEGORY_PATTERN),
                           STORABLE]
"""A category's label or key, as a filter: "Open QA" and "open-qa" select the same prompts."""
def _whole_float_as_int(value: object) -> object:
    """``3.0`` is the integer 3 in JSON Schema (and in JavaScript, which writes no other
    kind of number), so a client may send it where an integer is due; ``3.5`` stays a
    float and is refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WHOLE = BeforeValidator(_whole_float_as_int)
"""Put last in ``Annotated[int, Field(ge=…, le=…), WHOLE]`` for an integer with its own
bounds that takes ``3.0`` as 3 (the bounds must come first to appear in OpenAPI)."""
Int64 = Annotated[int, Interval(ge=INT64_MIN, le=INT64_MAX), WHOLE]
"""A whole number that fits the database's 64-bit integers (ids, versions, counts)."""
FiniteFloat = Annotated[float, AllowInfNan(False)]
"""A number JSON can carry back: no NaN, no infinity."""
JsonValue = TypeAliasType(
    "JsonValue",
    "Text | Int64 | FiniteFloat | bool | list[JsonValue] | dict[Text, JsonValue] | None")
"""Any JSON value a database stores as it was sent (what ``storable_document`` checks), so
OpenAPI documents exactly what ``Document`` takes."""
Document = Annotated[dict[Text, JsonValue], BeforeValidator(storable_document)]
"""A free-form JSON object whose every key and value is storable; checked whole first, so the
error names the place inside it (``calibration.items``)."""
