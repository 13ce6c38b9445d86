"""docs/settings.md documents every setting that ``accord.settings.Settings`` declares, with
its environment variable and, where the code has one, its default; and nothing else under
Accord's prefix, so a removed setting cannot linger in the docs."""

from __future__ import annotations

from dataclasses import fields

from accord.settings import ENVIRONMENT, Settings
from tests.docs.layout import DOCS, code_spans, table_rows


def _documented() -> dict[str, list[str]]:
    """The rows of the settings table, keyed by the variable their first cell names."""
    rows = table_rows((DOCS / "settings.md").read_text(encoding="utf-8"), "variable")
    return {spans[0]: row for row in rows if (spans := code_spans(row[0]))}


def test_every_setting_has_a_row_in_docs_settings():
    missing = sorted(set(ENVIRONMENT.values()) - set(_documented()))
    assert not missing, f"docs/settings.md does not document {', '.join(missing)}"


def test_docs_settings_names_no_accord_variable_that_is_not_a_setting():
    settings = set(ENVIRONMENT.values())
    stale = sorted(v for v in _documented() if v.startswith("ACCORD_") and v not in settings)
    assert not stale, f"docs/settings.md documents {', '.join(stale)}, which Settings lacks"


def test_each_documented_default_is_the_one_in_the_code():
    documented = _documented()
    wrong = [
        f"{ENVIRONMENT[field.name]}: the code's default is {field.default!r}"
        for field in fields(Settings)
        if field.default != "" and ENVIRONMENT[field.name] in documented
        and f"`{field.default}`" not in documented[ENVIRONMENT[field.name]][1]
    ]
    assert not wrong, "docs/settings.md shows another default:\n" + "\n".join(wrong)
