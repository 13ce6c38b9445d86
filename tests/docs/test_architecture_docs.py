"""docs/architecture.md's table names every folder and top-level module of ``accord``, every
package and module of ``accord.core``, and nothing that is gone; and it lists core's packages
in their import order, the order the import test holds them to."""

from __future__ import annotations

from tests.docs.layout import CORE_ORDER, DOCS, SRC, code_spans, folders, modules, table_rows


def _table_entries() -> list[str]:
    """The paths the first column names, in row order (`core/work/`, `settings.py`)."""
    rows = table_rows((DOCS / "architecture.md").read_text(encoding="utf-8"), "folder or package")
    return [span for row in rows for span in code_spans(row[0])]


def _required() -> list[str]:
    return [
        *(f"{name}/" for name in folders(SRC)),
        *modules(SRC),
        *(f"core/{name}/" for name in folders(SRC / "core")),
        *(f"core/{name}" for name in modules(SRC / "core")),
    ]


def test_every_folder_package_and_top_level_module_has_a_row_in_the_architecture_table():
    missing = [path for path in _required() if path not in _table_entries()]
    assert not missing, (
        "docs/architecture.md's table lacks " + ", ".join(missing)
        + ": add a row saying what it holds and what it may import"
    )


def test_the_architecture_table_names_nothing_that_is_gone():
    gone = [path for path in _table_entries() if not (SRC / path).exists()]
    assert not gone, f"docs/architecture.md's table names {', '.join(gone)}, not in src/accord"


def test_the_architecture_table_lists_core_packages_in_their_import_order():
    listed = [path.split("/")[1] for path in _table_entries()
              if path.startswith("core/") and path.endswith("/") and path != "core/"]
    assert listed == list(CORE_ORDER), (
        "list core's packages in docs/architecture.md in CORE_ORDER (tests/docs/layout.py), "
        "each below the packages it imports"
    )
