"""The version a user installs is the one the running app reports, and CHANGELOG.md says what
it brings."""

from __future__ import annotations

import tomllib

import accord
from tests.docs.layout import ROOT


def _packaged_version() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["version"]


def test_the_package_and_the_app_carry_the_same_version():
    assert accord.__version__ == _packaged_version(), (
        "pyproject.toml's version and accord.__version__ (reported by the API and the pages) differ"
    )


def test_the_changelog_has_a_section_for_this_version():
    headings = [line for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]
    assert f"## {_packaged_version()}" in headings, "add this version's section to CHANGELOG.md"
