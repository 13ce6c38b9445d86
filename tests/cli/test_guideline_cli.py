"""``accord guideline draft|publish|show|diff`` with the documented file format: a TOML
front matter over a Markdown body; errors are one line and change nothing."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from accord.db.tables import audit_events, guideline_versions
from tests.factories import add_comparisons, make_project

FILE = '''+++
change_note = "Honesty comes first now."
requires_recalibration = true
priority = ["honesty", "helpfulness"]

[[dimensions]]
name = "helpfulness"
min = 1
max = 5
definition = "Does what was asked."

[[dimensions]]
name = "honesty"
min = 1
max = 5
definition = "States only what is true."

[[edge_cases]]
title = "Ties"
text = "Tie only when no difference matters."

[[examples]]
task = "item-0"
title = "Invented facts lose"
better_response = "b"
explanation = """B says it cannot know.
A invents a keynote."""
+++
Rank the responses **best first**.

Read every response to the end.
'''


@pytest.fixture
def accord(accord, engine):
    """``accord guideline *args`` (the shared fixture), on a project with one task."""
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    return lambda *args: accord("guideline", *args)


def _versions(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(guideline_versions)
                                               .order_by(guideline_versions.c.id))]


def test_draft_publish_show_round_trip(accord, engine, tmp_path):
    path = tmp_path / "guideline.md"
    path.write_text(FILE)
    drafted = accord("draft", "prefs", str(path), "--json")
    assert drafted.exit_code == 0, drafted.output
    body = orjson.loads(drafted.output)
    assert (body["version"], body["status"], body["priority"]) == \
        (1, "draft", ["honesty", "helpfulness"])
    assert body["text"] == "Rank the responses **best first**.\n\nRead every response to the end.\n"
    assert body["examples"][0]["explanation"] == "B says it cannot know.\nA invents a keynote."
    published = accord("publish", "prefs")
    assert published.exit_code == 0 and "version 1 of prefs published" in published.output
    shown = accord("show", "prefs")
    assert shown.exit_code == 0
    again = tmp_path / "again.md"
    again.write_text(shown.output)
    accord("draft", "prefs", str(again))
    with engine.connect() as conn:
        first, second = conn.execute(select(
            guideline_versions.c.text, guideline_versions.c.dimensions,
            guideline_versions.c.edge_cases, guideline_versions.c.change_note)
            .order_by(guideline_versions.c.version)).all()
        assert first == second  # show's output drafts the same version again
        assert conn.execute(select(audit_events.c.action)).scalars().all() == \
            ["guideline.published"]


def test_diff_names_the_changes(accord, tmp_path):
    path = tmp_path / "g.md"
    path.write_text(FILE)
    accord("draft", "prefs", str(path))
    accord("publish", "prefs")
    path.write_text(FILE.replace('priority = ["honesty", "helpfulness"]',
                                 'priority = ["helpfulness", "honesty"]')
                    .replace("Read every response", "Read each response"))
    accord("draft", "prefs", str(path))
    accord("publish", "prefs")
    out = accord("diff", "prefs")
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert lines[0] == "version 1 → 2"
    assert "-Read every response to the end." in lines
    assert "+Read each response to the end." in lines
    assert "priority: honesty > helpfulness → helpfulness > honesty" in lines
    as_json = orjson.loads(accord("diff", "prefs", "--from", "1", "--to", "2", "--json").output)
    assert as_json["priority"]["after"] == ["helpfulness", "honesty"]


@pytest.mark.parametrize(("content", "message"), [
    ("+++\npriority = [\n+++\nbody", "front matter"),
    ("+++\nchange_note = 'x'\nbody", "never closed"),
    ("+++\ntext = 'x'\n+++\nbody", "not a 'text' field"),
    (FILE.replace('priority = ["honesty", "helpfulness"]', 'priority = ["honesty"]'),
     "leaves out helpfulness"),
    (FILE.replace('task = "item-0"', 'task = "nope"'), "examples[0]: task 'nope'"),
])
def test_a_bad_file_is_one_line_and_changes_nothing(accord, engine, tmp_path, content,
                                                     message):
    path = tmp_path / "bad.md"
    path.write_text(content)
    result = accord("draft", "prefs", str(path))
    assert result.exit_code == 1
    assert message in result.output and result.output.count("\n") == 1
    assert _versions(engine) == []


def test_publishing_without_a_draft_is_an_error(accord):
    result = accord("publish", "prefs")
    assert result.exit_code == 1 and "has no draft to publish" in result.output
    missing = accord("draft", "prefs", "/nonexistent/guideline.md")
    assert missing.exit_code == 1 and "guideline.md" in missing.output
