"""A guideline version's content as a manager writes it, checked whole before anything is stored.

The same shape arrives from the API (JSON), the command line (a TOML front matter over a
Markdown body, see ``guideline_file``) and the editor page; one checker here turns it into
the stored form, or raises ``InvalidInput`` naming the field and the position
(``dimensions[1].max: …``) without touching the database.

Stored form: ``dimensions`` is a list of ``{name, min, max, definition}`` in priority order
(most important first, the order annotators read); ``edge_cases`` and ``escalation_rules``
are lists of ``{title, text}``; ``examples`` a list of ``{task, title, better_response,
explanation}`` with the task's external id (checked against the project when stored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from accord.core.errors import InvalidInput

FIELDS = ("text", "dimensions", "priority", "edge_cases", "escalation_rules", "examples",
          "change_note", "requires_recalibration")
DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_TEXT = 200_000
MAX_ENTRIES = 200


@dataclass(frozen=True)
class GuidelineDocument:
    """Everything a guideline version says, in stored form."""

    text: str = ""
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    edge_cases: list[dict[str, str]] = field(default_factory=list)
    escalation_rules: list[dict[str, str]] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    change_note: str = ""
    requires_recalibration: bool = False

    @property
    def priority(self) -> list[str]:
        return [d["name"] for d in self.dimensions]


def _text(value: Any, where: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise InvalidInput(f"{where}: longer than {limit:,} characters")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{where}: expected a list, got {type(value).__name__}")
    if len(value) > MAX_ENTRIES:
        raise InvalidInput(f"{where}: more than {MAX_ENTRIES} entries")
    return value


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{where}: expected a whole number, got {value!r}")
    return value


def check_dimensions(value: Any, priority: Any) -> list[dict[str, Any]]:
    """The dimensions in priority order; ``priority`` (names, most important first) must
    list every dimension exactly once. Without it, the list's own order is the priority."""
    result: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(_list(value, "dimensions")):
        where = f"dimensions[{i}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: a dimension is an object with name, min, max")
        name = item.get("name")
        if not isinstance(name, str) or not DIMENSION_NAME.match(name):
            raise InvalidInput(f"{where}.name: {name!r} is not a dimension name "
                               "(lower case letters, digits and _)")
        if name in result:
            raise InvalidInput(f"{where}.name: dimension {name!r} is defined twice")
        low, high = _integer(item.get("min", 1), f"{where}.min"), \
            _integer(item.get("max", 5), f"{where}.max")
        if low >= high:
            raise InvalidInput(f"{where}: min ({low}) must be below max ({high})")
        definition = item.get("definition", item.get("description"))
        result[name] = {"name": name, "min": low, "max": high,
                        "definition": _text(definition, f"{where}.definition", 20_000)}
    if priority is None:
        return list(result.values())
    order = _list(priority, "priority")
    if not all(isinstance(n, str) for n in order):
        raise InvalidInput("priority: list the dimensions by name")
    missing = [n for n in result if n not in order]
    unknown = [n for n in order if n not in result]
    repeated = sorted({n for n in order if order.count(n) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(f"leaves out {', '.join(missing)}")
        if unknown:
            problems.append(f"names {', '.join(unknown)}, which are not dimensions")
        if repeated:
            problems.append(f"repeats {', '.join(repeated)}")
        raise InvalidInput(f"priority: the order must list every dimension once; it "
                           f"{' and '.join(problems)}")
    return [result[n] for n in order]


def check_entries(value: Any, where: str) -> list[dict[str, str]]:
    """Edge cases or escalation rules: ``[{title, text}]``, or ``{title: text}``."""
    if isinstance(value, dict):
        value = [{"title": k, "text": v} for k, v in value.items()]
    result = []
    for i, item in enumerate(_list(value, where)):
        if isinstance(item, str):
            item = {"title": "", "text": item}
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}[{i}]: expected an object with title and text")
        text = _text(item.get("text"), f"{where}[{i}].text", 20_000).strip()
        if not text:
            raise InvalidInput(f"{where}[{i}]: an entry needs its text")
        result.append({"title": _text(item.get("title"), f"{where}[{i}].title", 500).strip(),
                       "text": text})
    return result


def check_examples(value: Any) -> list[dict[str, Any]]:
    """Worked examples' shape; whether each task exists is checked when they are stored."""
    result = []
    for i, item in enumerate(_list(value, "examples")):
        where = f"examples[{i}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: a worked example is an object")
        title = _text(item.get("title"), f"{where}.title", 500).strip()
        if not title:
            raise InvalidInput(f"{where}: a worked example needs a title")
        task = item.get("task")
        if task is not None and not isinstance(task, str | int):
            raise InvalidInput(f"{where}.task: expected a task id")
        result.append({
            "task": None if task in (None, "") else str(task), "title": title,
            "better_response": _text(item.get("better_response"),
                                     f"{where}.better_response", 200).strip(),
            "explanation": _text(item.get("explanation"), f"{where}.explanation", 20_000),
        })
    return result


def merge(base: GuidelineDocument, given: dict[str, Any]) -> GuidelineDocument:
    """``base`` with the fields present in ``given`` replaced, all checked.

    An unknown field is an error (a typo such as ``edge_case`` must not be silently lost).
    """
    if not isinstance(given, dict):
        raise InvalidInput("a guideline is an object of fields: " + ", ".join(FIELDS))
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}: a guideline has "
                           + ", ".join(FIELDS))
    changes: dict[str, Any] = {}
    if "text" in given:
        changes["text"] = _text(given["text"], "text")
    if "dimensions" in given or "priority" in given:
        dims = given.get("dimensions", base.dimensions)
        changes["dimensions"] = check_dimensions(dims, given.get("priority"))
    for name in ("edge_cases", "escalation_rules"):
        if name in given:
            changes[name] = check_entries(given[name], name)
    if "examples" in given:
        changes["examples"] = check_examples(given["examples"])
    if "change_note" in given:
        changes["change_note"] = _text(given["change_note"], "change_note", 20_000)
    if "requires_recalibration" in given:
        flag = given["requires_recalibration"]
        if not isinstance(flag, bool):
            raise InvalidInput(f"requires_recalibration: expected true or false, got {flag!r}")
        changes["requires_recalibration"] = flag
    return replace(base, **changes)
