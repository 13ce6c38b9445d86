"""The percent-agreement target band: a project setting changed over PATCH (the CLI's side
is in tests/cli), validated (nothing changes on a bad one), and drawn on the dashboard's
agreement chart and named on the digest."""

from __future__ import annotations

import pytest

from tests.factories import make_project, make_user
from tests.review_helpers import split_task
from tests.web.conftest import bearer, log_in


def _settings(api, token):
    return api.get("/api/v1/projects/prefs/settings", headers=token).json()


def test_the_band_defaults_to_070_080_and_a_manager_changes_it(api, engine):
    make_project(engine)
    token = bearer(make_user(engine, "boss", is_admin=True).token)
    assert _settings(api, token)["agreement_target"] == {"low": 0.7, "high": 0.8}
    changed = api.patch("/api/v1/projects/prefs", headers=token,
                        json={"agreement_target": {"low": 0.6, "high": 0.9}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["agreement_target"] == {"low": 0.6, "high": 0.9}
    assert _settings(api, token)["agreement_target"] == {"low": 0.6, "high": 0.9}
    cleared = api.patch("/api/v1/projects/prefs", headers=token, json={"agreement_target": None})
    assert cleared.json()["agreement_target"] == {"low": 0.7, "high": 0.8}


@pytest.mark.parametrize(("band", "named"), [
    ({"low": 0.9, "high": 0.8}, "agreement_target.low (0.9) must be below"),
    ({"low": 0.5, "high": 1.5}, "high"),
    ({"low": 0.5}, "high"),
])
def test_a_bad_band_is_refused_and_changes_nothing(api, engine, band, named):
    make_project(engine)
    token = bearer(make_user(engine, "boss", is_admin=True).token)
    api.patch("/api/v1/projects/prefs", headers=token,
              json={"agreement_target": {"low": 0.6, "high": 0.9}})
    refused = api.patch("/api/v1/projects/prefs", headers=token, json={"agreement_target": band})
    assert refused.status_code == 422
    assert named in refused.text
    assert _settings(api, token)["agreement_target"] == {"low": 0.6, "high": 0.9}


def test_the_dashboard_and_the_digest_show_the_band(api, engine):
    project = make_project(engine)
    split_task(engine, project)
    boss = make_user(engine, "boss", project=project, roles=("manager",), password="pw")
    api.patch("/api/v1/projects/prefs", headers=bearer(boss.token),
              json={"agreement_target": {"low": 0.55, "high": 0.95}})
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/dashboard").text
    assert 'class="target-band"' in page and "target band 0.55 to 0.95" in page
    assert "0.55\N{EN DASH}0.95" in page
    digest = api.get("/projects/prefs/digest").text
    assert 'class="target-band">0.55 and 0.95</strong>' in digest
