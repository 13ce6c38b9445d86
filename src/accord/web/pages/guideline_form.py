"""The guideline editor's HTML form, both ways: a stored document as rows of fields, and the
posted fields back as a guideline document's fields (``core.guidelines.document``).

The form works without a script: every list (dimensions, edge cases, escalation rules,
worked examples) is shown as numbered rows plus a few blank ones; a row left wholly blank
is dropped, anything else is checked by the same rules as the API, so an error names the
same field (``edge_cases[2]: an entry needs its text``).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from accord.core.guidelines.document import GuidelineDocument
from accord.web.values import whole_number

BLANK_ROWS = 2
MAX_ROWS = 200
LISTS: dict[str, tuple[str, ...]] = {
    "dimensions": ("name", "min", "max", "definition"),
    "edge_cases": ("title", "text"),
    "escalation_rules": ("title", "text"),
    "examples": ("task", "title", "better_response", "explanation"),
}


def rows_of(document: GuidelineDocument | dict[str, Any]) -> dict[str, Any]:
    """What the form shows: text fields, and each list's rows with blank ones after them."""
    get = document.get if isinstance(document, dict) else \
        (lambda name, default=None: getattr(document, name, default))
    shown: dict[str, Any] = {
        "text": get("text", "") or "", "change_note": get("change_note", "") or "",
        "requires_recalibration": bool(get("requires_recalibration", False)),
    }
    priority = get("priority", None)
    dimensions = get("dimensions", []) or []
    shown["priority"] = ", ".join(priority if priority is not None
                                  else [str(d.get("name", "")) for d in dimensions])
    for name, keys in LISTS.items():
        rows = [{k: "" if row.get(k) is None else str(row.get(k)) for k in keys}
                for row in (get(name, []) or [])]
        shown[name] = rows + [dict.fromkeys(keys, "") for _ in range(BLANK_ROWS)]
    return shown


def _number(value: str) -> int | str:
    """A whole number where the field holds one; the text itself otherwise, so the check
    names what was typed."""
    number = whole_number(value)
    return value.strip() if number is None else number


def fields_from(form: FormData) -> dict[str, Any]:
    """The posted form as guideline fields (every field present: the form shows them all)."""
    fields: dict[str, Any] = {
        "text": str(form.get("text", "")).replace("\r\n", "\n"),
        "change_note": str(form.get("change_note", "")).replace("\r\n", "\n"),
        "requires_recalibration": form.get("requires_recalibration") is not None,
    }
    for name, keys in LISTS.items():
        count = str(form.get(f"{name}-count", "0"))
        rows = []
        for i in range(min(max(whole_number(count) or 0, 0), MAX_ROWS)):
            row = {k: str(form.get(f"{name}-{i}-{k}", "")).replace("\r\n", "\n") for k in keys}
            if not any(v.strip() for v in row.values()):
                continue
            if name == "dimensions":
                row = {**row, "min": _number(row["min"]), "max": _number(row["max"])}
            if name == "examples" and not row["task"].strip():
                row = {**row, "task": None}
            rows.append(row)
        fields[name] = rows
    order = [n.strip() for n in str(form.get("priority", "")).split(",") if n.strip()]
    fields["priority"] = order if order or fields["dimensions"] else None
    return fields
