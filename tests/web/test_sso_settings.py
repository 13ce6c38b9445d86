"""Single sign-on settings that cannot work are refused when the server starts, each naming
its variable; nothing waits for someone's first sign-in to fail."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from accord.cli.main import app as accord_command
from accord.settings import SettingError, load_settings
from accord.web.app import create_app
from accord.web.sso import read_role_mapping

PROVIDER = {"ACCORD_OIDC_ISSUER": "https://id.example.org/realms/acme",
            "ACCORD_OIDC_CLIENT_ID": "accord"}


@pytest.mark.parametrize(("environment", "message"), [
    ({"ACCORD_PASSWORD_LOGIN": "false"}, "ACCORD_PASSWORD_LOGIN=false needs single sign-on"),
    ({"ACCORD_OIDC_ISSUER": "id.example.org"}, "ACCORD_OIDC_ISSUER must be an http(s) URL"),
    ({"ACCORD_OIDC_ISSUER": "https://id.example.org"}, "ACCORD_OIDC_CLIENT_ID is needed"),
    ({**PROVIDER, "ACCORD_OIDC_SCOPES": "email profile"}, "ACCORD_OIDC_SCOPES must include openid"),
    ({**PROVIDER, "ACCORD_OIDC_ROLE_MAPPING": '{"g": {"project": "demo", "role": "chief"}}'},
     'ACCORD_OIDC_ROLE_MAPPING: "g": role "chief" is not one of annotator'),
    ({**PROVIDER, "ACCORD_OIDC_ROLE_MAPPING": "/nonexistent/mapping.json"},
     "cannot read the mapping file /nonexistent/mapping.json"),
])
def test_a_setting_that_cannot_work_stops_the_app_naming_it(environment, message):
    with pytest.raises(SettingError) as refused:
        create_app(load_settings(environment))
    assert message in str(refused.value)


def test_a_switch_that_is_not_true_or_false_is_refused():
    with pytest.raises(SettingError, match="ACCORD_PASSWORD_LOGIN must be true or false"):
        load_settings({"ACCORD_PASSWORD_LOGIN": "maybe"})
    assert load_settings({"ACCORD_PASSWORD_LOGIN": "Off"}).password_login is False
    assert load_settings({}).password_login is True


def test_the_role_mapping_may_live_in_a_file_whose_errors_name_it(tmp_path):
    path = tmp_path / "roles.json"
    path.write_text('{"rlhf-annotators": {"project": "demo", "role": "annotator"}}')
    mapping = read_role_mapping(str(path))
    assert set(mapping.project_roles) == {"rlhf-annotators"}
    path.write_text('{"g": 1}')
    with pytest.raises(SettingError, match=f"ACCORD_OIDC_ROLE_MAPPING file {path}: \"g\""):
        read_role_mapping(str(path))


def test_accord_serve_refuses_a_wrong_setting_in_one_line(db_url, monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("ACCORD_PASSWORD_LOGIN", "false")
    result = CliRunner().invoke(accord_command, ["serve"])
    assert result.exit_code != 0
    assert "ACCORD_PASSWORD_LOGIN=false needs single sign-on" in result.output
    assert "Traceback" not in result.output
