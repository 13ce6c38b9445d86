"""The OpenAPI document as Accord serves it: FastAPI's, corrected where it would mislead a
client (found by schemathesis, ``tests/web/test_openapi_contract.py``).

- FastAPI passes the document through a model whose ``maximum``/``minimum`` are floats, so
  the 64-bit bounds of ids and counts (``2**63 - 1``) came out as ``9.223372036854776e18``,
  which is ``2**63``: a client reading it would think ``2**63`` valid. They are put back as
  the exact integers the validators use.
- Objects keyed by text (``dict[Text, …]``) list their keys' pattern; keys outside it are
  refused, so the document says ``additionalProperties: false`` beside it.
- A body that is not JSON at all (bytes that are not UTF-8) is answered 400 by FastAPI before
  any validation; every operation that takes a body documents that answer.
"""

from __future__ import annotations

from typing import Any

from accord.web.values import INT64_MAX, INT64_MIN

EXACT_BOUNDS = {float(INT64_MAX): INT64_MAX, float(INT64_MIN): INT64_MIN}
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}
UNREADABLE_BODY = {
    "description": "The body could not be read as JSON (e.g. it is not UTF-8); nothing was "
                   "changed.",
    "content": {"application/json": {"schema": ERROR_SCHEMA}},
}


def exact_bounds(node: Any) -> Any:
    """``node`` with every float 64-bit bound of an integer schema made the exact integer,
    and every object whose keys must match a pattern closed to other keys (what a
    ``dict[Text, …]`` refuses)."""
    if isinstance(node, list):
        return [exact_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {key: exact_bounds(value) for key, value in node.items()}
    if "patternProperties" in fixed:
        fixed.setdefault("additionalProperties", False)
    if fixed.get("type") == "integer":
        for bound in ("maximum", "minimum"):
            value = fixed.get(bound)
            if isinstance(value, float) and value in EXACT_BOUNDS:
                fixed[bound] = EXACT_BOUNDS[value]
    return fixed


def document_unreadable_bodies(document: dict[str, Any]) -> None:
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("400", UNREADABLE_BODY)


def corrected(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's document with the corrections above."""
    fixed = exact_bounds(document)
    document_unreadable_bodies(fixed)
    return fixed
