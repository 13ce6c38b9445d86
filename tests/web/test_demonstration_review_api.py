"""The demonstration review loop over HTTP: the queue, one demonstration (blind where it must
be), a review's decision, the writer's feedback and revision, and the rules."""

from __future__ import annotations

from accord.core.demonstrations.rubric import DEFAULT_CHECKS
from tests.demonstration_helpers import write
from tests.factories import make_project, make_user
from tests.web.conftest import bearer

CHECKS = dict.fromkeys(DEFAULT_CHECKS, True)
SCORES = {"helpfulness": 4, "honesty": 5}


def people(engine):
    project = make_project(engine, "sft")
    made = {name: make_user(engine, name, project=project, roles=(role,), password="pw")
            for name, role in [("wendy", "annotator"), ("rita", "reviewer"),
                               ("rob", "reviewer"), ("lead", "manager")]}
    return project, {name: bearer(new.token) for name, new in made.items()}, made


def review(api, who, demo, decision, version=1, **fields):
    body = {"version": version, "decision": decision, "scores": SCORES, "checks": CHECKS,
            **fields}
    return api.post(f"/api/v1/projects/sft/demonstrations/{demo}/review", json=body,
                    headers=who)


def test_the_queue_pages_oldest_first_and_filters_by_category(api, engine):
    project, auth, made = people(engine)
    ids = [write(engine, project, made["wendy"].user, f"d-{i}", f"text {i}",
                 category="coding" if i % 2 else "qa") for i in range(5)]
    first = api.get("/api/v1/projects/sft/demonstrations/queue?limit=2", headers=auth["rita"])
    assert first.status_code == 200, first.text
    assert [d["id"] for d in first.json()["items"]] == ids[:2]
    rest = api.get(f"/api/v1/projects/sft/demonstrations/queue?after={first.json()['next']}",
                   headers=auth["rita"]).json()
    assert [d["id"] for d in rest["items"]] == ids[2:] and rest["next"] is None
    coding = api.get("/api/v1/projects/sft/demonstrations/queue?category=coding",
                     headers=auth["rita"]).json()["items"]
    assert [d["id"] for d in coding] == [ids[1], ids[3]]
    assert review(api, auth["rita"], ids[0], "accept").status_code == 200
    accepted = api.get("/api/v1/projects/sft/demonstrations/queue?status=accepted",
                       headers=auth["rob"]).json()["items"]
    assert [d["id"] for d in accepted] == [ids[0]]
    bad = api.get("/api/v1/projects/sft/demonstrations/queue?status=lost", headers=auth["rob"])
    assert bad.status_code == 422 and "status 'lost' is not one of" in bad.text


def test_send_back_revise_and_accept_with_edits_over_http(api, engine):
    project, auth, made = people(engine)
    demo = write(engine, project, made["wendy"].user, "d-1", "Water boils at 100 C.")
    back = review(api, auth["rita"], demo, "send_back", comment="Say at sea level.")
    assert back.json()["status"] == "sent_back"
    mine = api.get("/api/v1/projects/sft/demonstrations/mine", headers=auth["wendy"]).json()
    assert [(d["id"], d["status"]) for d in mine["items"]] == [(demo, "sent_back")]
    seen = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth["wendy"]).json()
    assert seen["can_revise"] and seen["reviews"][0]["comment"] == "Say at sea level."
    revised = api.post(f"/api/v1/projects/sft/demonstrations/{demo}/revise", headers=auth["wendy"],
                       json={"version": 1, "text": "Water boils at 100 C at sea level."})
    assert revised.json() == {"id": demo, "status": "in_review", "version": 2, "rounds": 1,
                              "reviews_in": 0, "reviews_needed": 1}
    stale = review(api, auth["rita"], demo, "accept", version=1)
    assert stale.status_code == 409 and "is at version 2, not 1" in stale.text
    done = review(api, auth["rita"], demo, "accept_with_edits", version=2,
                  edited_text="Water boils at 100 °C at sea level.")
    assert done.json()["status"] == "accepted" and done.json()["version"] == 3
    view = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth["wendy"]).json()
    assert [v["reason"] for v in view["versions"]] == ["written", "revised", "reviewer_edit"]
    assert "+Water boils at 100 C at sea level." in view["versions"][1]["diff"]
    assert view["versions"][2]["edit_distance"] == 1  # the degree sign


def test_the_second_of_a_double_review_does_not_see_the_first(api, engine):
    project, auth, made = people(engine)
    rules = api.put("/api/v1/projects/sft/demonstrations/rules", headers=auth["lead"],
                    json={"two_accepts_for": ["safety"]})
    assert rules.status_code == 200, rules.text
    demo = write(engine, project, made["wendy"].user, "s-1", "I won't help with that.",
                 category="safety")
    assert review(api, auth["rita"], demo, "accept", comment="fine").json()["reviews_in"] == 1
    for who, hidden in (("rob", 1), ("wendy", 1), ("lead", 1)):
        seen = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth[who]).json()
        assert (seen["reviews"], seen["hidden_reviews"]) == ([], hidden), who
    own = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth["rita"]).json()
    assert [r["reviewer"] for r in own["reviews"]] == ["rita"] and not own["can_review"]
    assert review(api, auth["rob"], demo, "accept").json()["status"] == "accepted"
    after = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth["wendy"]).json()
    assert [r["blind"] for r in after["reviews"]] == [True, True]


def test_refusals_name_what_is_wrong_and_change_nothing(api, engine):
    project, auth, made = people(engine)
    demo = write(engine, project, made["wendy"].user, "d-1", "An answer.")
    no_score = review(api, auth["rita"], demo, "accept", scores={"helpfulness": 4})
    # what the rubric asks is the project's, so a review that misses it conflicts with it
    assert no_score.status_code == 409 and 'give \\"honesty\\" a score' in no_score.text
    unticked = review(api, auth["rita"], demo, "accept", checks={**CHECKS, "format": False})
    assert unticked.status_code == 409 and "not ticked" in unticked.text
    no_reason = review(api, auth["rita"], demo, "reject", comment="   ")
    assert no_reason.status_code == 422 and "comment" in no_reason.text
    writer = api.get("/api/v1/projects/sft/demonstrations/queue", headers=auth["wendy"])
    assert writer.status_code == 403
    other = api.post(f"/api/v1/projects/sft/demonstrations/{demo}/revise", headers=auth["wendy"],
                     json={"version": 1, "text": "Changed."})
    assert other.status_code == 409 and "is in_review: it cannot be revised" in other.text
    state = api.get(f"/api/v1/projects/sft/demonstrations/{demo}", headers=auth["rita"]).json()
    assert state["demonstration"]["status"] == "in_review" and state["reviews"] == []


def test_writers_figures_are_for_reviewers(api, engine):
    project, auth, made = people(engine)
    demo = write(engine, project, made["wendy"].user, "d-1", "An answer.")
    assert review(api, auth["rita"], demo, "accept").status_code == 200
    found = api.get("/api/v1/projects/sft/demonstrations/writers", headers=auth["lead"]).json()
    assert [(w["writer"], w["accepted"], w["acceptance_rate"]) for w in found["writers"]] == [
        ("wendy", 1, 1.0)]
    assert found["reviewer_alpha"] is None
    refused = api.get("/api/v1/projects/sft/demonstrations/writers", headers=auth["wendy"])
    assert refused.status_code == 403
