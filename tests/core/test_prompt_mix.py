"""Prompt-mix targets: checked when set, and target against actual at every stage of the
report, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from accord.core.admin import projects as admin_projects
from accord.core.errors import InvalidInput
from accord.core.projects.mix import check_mix, mix_of
from accord.core.report import build_report
from accord.core.report.mix import mix_section
from accord.db.types import utcnow
from tests.factories import make_project
from tests.mix_world import build_mixed


def test_targets_are_keyed_like_categories_and_sorted():
    assert check_mix({"Open QA": 0.4, "coding": 0.3, "Safety": 0.1}) == {
        "coding": 0.3, "open-qa": 0.4, "safety": 0.1}
    assert check_mix({"a": 0.3, "b": 0.3, "c": 0.4}) == {"a": 0.3, "b": 0.3, "c": 0.4}
    assert check_mix(None) == {} and check_mix({}) == {}


@pytest.mark.parametrize(("value", "message"), [
    ([0.3], "mix must be an object of category → share"),
    ({"coding": 0}, "mix['coding'] must be a share above 0 and at most 1, not 0"),
    ({"coding": 1.5}, "mix['coding'] must be a share above 0 and at most 1, not 1.5"),
    ({"coding": True}, "mix['coding'] must be a share above 0 and at most 1, not True"),
    ({"coding": float("nan")}, "mix['coding'] must be a share above 0 and at most 1"),
    ({"coding": "0.3"}, "mix['coding'] must be a share above 0 and at most 1, not '0.3'"),
    ({"!!": 0.3}, "mix: category '!!' has no letter or digit"),
    ({"Open QA": 0.2, "open-qa": 0.3}, "mix names category 'open-qa' twice ('Open QA' and "
                                       "'open-qa')"),
    ({"coding": 0.6, "qa": 0.5}, "mix: the shares sum to 1.1; they may sum to at most 1"),
])
def test_bad_targets_are_refused_naming_the_entry(value, message):
    with pytest.raises(InvalidInput) as refused:
        check_mix(value)
    assert str(refused.value).startswith(message)


def test_setting_targets_keeps_the_other_settings_and_bad_ones_change_nothing(engine):
    project = make_project(engine, "p")
    with engine.begin() as conn:
        admin_projects.change(conn, None, "p", {"rules": {"rotation": {"after": 3}}}, utcnow())
        changed = admin_projects.change(conn, None, "p", {"mix": {"Coding": 0.3}}, utcnow())
    assert mix_of(changed) == {"coding": 0.3}
    assert changed.settings["rotation"] == {"after": 3}
    with pytest.raises(InvalidInput), engine.begin() as conn:
        admin_projects.change(conn, None, "p", {"mix": {"coding": 2}}, utcnow())
    with engine.begin() as conn:
        cleared = admin_projects.change(conn, None, "p", {"mix": None}, utcnow())
        assert mix_of(admin_projects.get_project(conn, "p")) == {}
    assert "mix" not in cleared.settings and cleared.settings["rotation"] == {"after": 3}
    assert project.id == cleared.id


def test_the_section_gives_shares_and_gaps_from_counts():
    counts = {"imported": {"coding": 3, "qa": 1}, "accepted": {"qa": 2}}
    section = mix_section({"coding": 0.5, "safety": 0.2}, counts, {"qa": "QA"})
    assert list(section.categories) == ["coding", "safety", "qa"]
    assert section.totals == {"imported": 4, "generated": 0, "annotated": 0, "accepted": 2}
    coding = section.categories["coding"]
    assert (coding.imported.count, coding.imported.share, coding.imported.gap) == \
        (3, 0.75, -0.25)
    assert (coding.accepted.share, coding.accepted.gap) == (0.0, 0.5)
    assert (coding.generated.share, coding.generated.gap) == (None, None)
    qa = section.categories["qa"]
    assert (qa.label, qa.target, qa.imported.gap, qa.accepted.share) == ("QA", None, None, 1.0)
    assert section.categories["safety"].imported.gap == 0.2


def test_the_report_sets_target_against_actual_at_every_stage(engine):
    project = build_mixed(engine)
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    mix = report.mix
    assert mix is not None and mix.targets_total == 0.8
    assert mix.totals == {"imported": 8, "generated": 1, "annotated": 4, "accepted": 4}
    assert report.counts.accepted_pairs == 3
    got = {key: (row.target, {stage: (getattr(row, stage).count, getattr(row, stage).share,
                                      getattr(row, stage).gap)
                              for stage in ("imported", "generated", "annotated", "accepted")})
           for key, row in mix.categories.items()}
    assert got == {
        "coding": (0.5, {"imported": (4, 0.5, 0.0), "generated": (0, 0.0, 0.5),
                         "annotated": (2, 0.5, 0.0), "accepted": (2, 0.5, 0.0)}),
        "q-a": (0.3, {"imported": (3, 0.375, -0.075), "generated": (0, 0.0, 0.3),
                      "annotated": (2, 0.5, -0.2), "accepted": (2, 0.5, -0.2)}),
        "creative": (None, {"imported": (1, 0.125, None), "generated": (1, 1.0, None),
                            "annotated": (0, 0.0, None), "accepted": (0, 0.0, None)}),
    }
    assert report.as_json()["mix"]["categories"]["q-a"]["target"] == 0.3
