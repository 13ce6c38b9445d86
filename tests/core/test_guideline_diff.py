"""What changed between guideline versions: text hunks, dimensions, priority, edge cases,
escalation rules and worked examples; the base is the version an annotator last worked
under, else the previous one."""

from __future__ import annotations

from sqlalchemy import update

from accord.core.guidelines import diff as guideline_diff
from accord.core.people.users import get_user
from accord.db.tables import annotations, guideline_versions
from tests.factories import add_comparisons, make_project, make_user, publish_guideline
from tests.review_helpers import annotate

DIMS = [{"name": "helpfulness", "min": 1, "max": 5, "definition": "Does the task."},
        {"name": "honesty", "min": 1, "max": 5, "definition": "True things only."}]


def _three_versions(engine, project):
    publish_guideline(engine, project, "Read the prompt.\nRank best first.\nBe brief.",
                      dimensions=DIMS, edge_cases={"ties": "Tie rarely."},
                      escalation_rules=[{"title": "Unsafe", "text": "Flag it."}])
    publish_guideline(engine, project, "Read the prompt.\nRank best first.\nBe brief.",
                      dimensions=DIMS, edge_cases={"ties": "Tie rarely."},
                      escalation_rules=[{"title": "Unsafe", "text": "Flag it."}],
                      change_note="Nothing but the note.")
    publish_guideline(engine, project, "Read the whole prompt.\nRank best first.",
                      dimensions=[DIMS[1], {**DIMS[0], "max": 7}, {"name": "style", "min": 1,
                                                                   "max": 3}],
                      edge_cases={"ties": "Tie when no difference matters.",
                                  "refusals": "Refuse only harm."},
                      escalation_rules=[], change_note="Honesty first.",
                      examples=[{"task": "item-0", "title": "Honest wins",
                                 "better_response": "b", "explanation": "B admits doubt."}])


def test_the_diff_names_every_kind_of_change(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    _three_versions(engine, project)
    with engine.connect() as conn:
        changes = guideline_diff.changes(conn, boss, "prefs", since=1)
    assert (changes.base, changes.target, changes.why) == (1, 3, "requested")
    kinds = [(line.kind, line.text) for line in changes.text if line.kind != "hunk"]
    assert ("removed", "Read the prompt.") in kinds and ("added", "Read the whole prompt.") in kinds
    assert ("removed", "Be brief.") in kinds and ("context", "Rank best first.") in kinds
    assert changes.dimensions.added == ["style"]
    assert [(c.name, c.before, c.after) for c in changes.dimensions.changed] == \
        [("helpfulness", "scale 1 to 5: Does the task.", "scale 1 to 7: Does the task.")]
    assert changes.priority == (["helpfulness", "honesty"], ["honesty", "helpfulness"])
    assert changes.edge_cases.added == ["Refusals"]
    assert [c.name for c in changes.edge_cases.changed] == ["Ties"]
    assert changes.escalation_rules.removed == ["Unsafe"]
    assert changes.examples.added == ["Honest wins"]
    assert changes.change_note == "Honesty first."
    with engine.connect() as conn:
        same = guideline_diff.changes(conn, boss, "prefs", since=1, target=2)
    assert same.unchanged and same.change_note == "Nothing but the note."


def test_an_annotator_sees_changes_since_the_version_they_last_worked_under(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    _three_versions(engine, project)
    annotate(engine, project, {"ann1": [["a"], ["b"]]})
    with engine.begin() as conn:  # their annotation was made under version 1
        first = conn.execute(guideline_versions.select().where(
            guideline_versions.c.version == 1)).one().id
        conn.execute(update(annotations).values(guideline_version_id=first))
    newcomer = make_user(engine, "new", project=project, roles=("annotator",)).user
    with engine.connect() as conn:
        worker = get_user(conn, "ann1")
        mine = guideline_diff.changes(conn, worker, "prefs")
        theirs = guideline_diff.changes(conn, newcomer, "prefs")
    assert (mine.base, mine.target, mine.why) == (1, 3, "last worked under")
    assert (theirs.base, theirs.target, theirs.why) == (2, 3, "previous version")


def test_nothing_published_means_no_diff(engine):
    project = make_project(engine)
    person = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.connect() as conn:
        assert guideline_diff.changes(conn, person, "prefs") is None
