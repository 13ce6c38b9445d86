"""The layers import one way: each core package only the packages before it in CORE_ORDER, core
never the edges that are built on it, and the quality engine nothing of Accord's at all.

Read from the source with ``ast`` (imports inside functions and ``TYPE_CHECKING`` blocks
count too), so a violation names the file and line without running anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.layout import CORE_ORDER, SRC, folders, imported_modules, python_files

EDGES = ("web", "cli", "exports", "llm", "train", "demo")
"""Folders of ``accord`` that use ``core``; core using any of them would be a cycle in waiting."""


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(SRC.parent)}:{line}"


def _core_package(name: str) -> str | None:
    """The core package a dotted import name falls in (``accord.core.work.claims`` → ``work``)."""
    parts = name.split(".")
    if parts[:2] == ["accord", "core"] and len(parts) > 2 and parts[2] in CORE_ORDER:
        return parts[2]
    return None


def test_every_core_package_has_its_place_in_the_import_order():
    assert folders(SRC / "core") == sorted(CORE_ORDER), (
        "add the new package of accord.core to CORE_ORDER in tests/docs/layout.py, after every "
        "package it imports, and to the table in docs/architecture.md"
    )


@pytest.mark.parametrize("package", CORE_ORDER)
def test_a_core_package_imports_only_the_packages_before_it(package):
    allowed = CORE_ORDER[: CORE_ORDER.index(package) + 1]
    wrong = [
        f"{_where(path, line)} imports {name}"
        for path in python_files(SRC / "core" / package)
        for line, name in imported_modules(path)
        if (target := _core_package(name)) is not None and target not in allowed
    ]
    earlier = ", ".join(allowed[:-1])
    may = f"may import only {earlier} of core" if earlier else "may import no other package of core"
    assert not wrong, (
        f"core.{package} {may} (the order is CORE_ORDER in tests/docs/layout.py):\n"
        + "\n".join(wrong)
    )


def test_core_never_imports_the_edges_built_on_it():
    edges = tuple(f"accord.{edge}" for edge in EDGES)
    wrong = [
        f"{_where(path, line)} imports {name}"
        for path in python_files(SRC / "core")
        for line, name in imported_modules(path)
        if name in edges or name.startswith(tuple(f"{edge}." for edge in edges))
    ]
    assert not wrong, "core must not import " + ", ".join(EDGES) + ":\n" + "\n".join(wrong)


def test_the_quality_engine_imports_nothing_of_accord():
    wrong = [
        f"{_where(path, line)} imports {name}"
        for path in python_files(SRC / "quality")
        for line, name in imported_modules(path)
        if name.split(".")[0] == "accord" and name.split(".")[:2] != ["accord", "quality"]
    ]
    assert not wrong, "accord.quality is pure: arrays in, results out:\n" + "\n".join(wrong)


def test_relative_imports_are_read_as_the_absolute_names_they_stand_for(tmp_path, monkeypatch):
    module = tmp_path / "accord" / "core" / "work" / "claims.py"
    module.parent.mkdir(parents=True)
    module.write_text("from . import rules\nfrom ..report.store import save\nimport numpy\n")
    monkeypatch.setattr("tests.docs.layout.SRC", tmp_path / "accord")
    assert list(imported_modules(module)) == [
        (1, "accord.core.work.rules"), (2, "accord.core.report.store.save"), (3, "numpy"),
    ]
