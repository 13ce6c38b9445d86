"""The guideline file of ``accord guideline draft|show``: Markdown with a TOML front matter.

The file opens with a line ``+++``, the front matter in TOML, and a closing ``+++``; the
rest of the file is the guideline text in Markdown. A file without front matter is all
text. The front matter holds the other fields of a guideline document
(``core.guidelines.document``)::

    +++
    change_note = "Honesty now comes before helpfulness."
    requires_recalibration = true
    priority = ["harmlessness", "honesty", "helpfulness"]

    [[dimensions]]
    name = "honesty"
    min = 1
    max = 5
    definition = "States only what is true."

    [[edge_cases]]
    title = "Ties"
    text = "Tie only when no difference matters."

    [[escalation_rules]]
    title = "Unsafe content"
    text = "Flag **Unsafe** and submit."

    [[examples]]
    task = "demo-qa-06"
    title = "Invented facts lose"
    better_response = "b"
    explanation = "B says it cannot know; A invents a keynote."
    +++
    Compare the responses as a careful user would, then rank them **best first**.

Fields left out of the front matter keep their value in the draft (or the current
version's, for a new draft). ``render`` writes a version back in this format, so
``accord guideline show P > g.md`` then ``accord guideline draft P g.md`` round-trips.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from accord.core.errors import InvalidInput
from accord.core.guidelines.document import GuidelineDocument

FENCE = "+++"


def parse(content: str, name: str = "the file") -> dict[str, Any]:
    """The fields a guideline file sets; a TOML error names the file and the line."""
    content = content.removeprefix("\ufeff")
    lines = content.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return {"text": content}
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if close is None:
        raise InvalidInput(f"{name}: the front matter opened by {FENCE} on line 1 is never "
                           f"closed by a line {FENCE}")
    try:
        fields = tomllib.loads("".join(lines[1:close]))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{name}: front matter: {error} (counting from the line after "
                           f"the opening {FENCE})") from None
    if "text" in fields:
        raise InvalidInput(f"{name}: the guideline text is the Markdown after the front "
                           "matter, not a 'text' field")
    return {**fields, "text": "".join(lines[close + 1:])}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # JSON's escapes are TOML's too


def render(document: GuidelineDocument) -> str:
    """``document`` as a guideline file (front matter and Markdown body)."""
    out = [FENCE, f"change_note = {_value(document.change_note)}",
           f"requires_recalibration = {_value(document.requires_recalibration)}",
           f"priority = {_value(document.priority)}"]
    for table, rows in (("dimensions", document.dimensions),
                        ("edge_cases", document.edge_cases),
                        ("escalation_rules", document.escalation_rules),
                        ("examples", document.examples)):
        for row in rows:
            out += ["", f"[[{table}]]"]
            out += [f"{key} = {_value(value)}" for key, value in row.items()
                    if value is not None]
    out.append(FENCE)
    return "\n".join(out) + "\n" + document.text
