"""A category written as a label ("Safety", "Open QA") is matched by its key over the API:
the exposure rule shelters a "Safety" prompt like a ``safety`` one, and a claimed task carries
both the key and the label."""

from __future__ import annotations

from accord.core.work.rules import update_rules
from tests.factories import import_lines, make_project, make_user
from tests.web.routing_helpers import START, claim, claim_and_submit, item, use_clock


def test_a_safety_label_is_sheltered_by_the_exposure_rule_like_its_key(api, engine):
    project = make_project(engine)
    import_lines(engine, project,
                 item("s-1", category="Safety", priority=5),
                 item("s-2", category="SAFETY ", priority=4),
                 item("q-1", category="Open QA"))
    with engine.begin() as conn:
        update_rules(conn, project.name, changes={"exposure": {"per_day": 1}})
    token = make_user(engine, "ann", project=project, roles=("annotator",),
                      password="pw").token
    use_clock(api, START.replace(hour=10))
    claimed = [claim_and_submit(api, token) for _ in range(2)]
    assert [body["task"]["id"] for body in claimed] == ["s-1", "q-1"]
    assert claim(api, token).status_code == 204  # s-2 is sensitive too: over today's limit
    first, second = (body["task"] for body in claimed)
    assert (first["category"], first["category_label"]) == ("safety", "Safety")
    assert (second["category"], second["category_label"]) == ("open-qa", "Open QA")
