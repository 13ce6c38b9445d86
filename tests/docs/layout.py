"""What the documentation tests read from the source tree: Accord's folders and modules, the
core packages in their import order, the modules a Python file imports (parsed with ``ast``,
never run), and the rows of a Markdown table."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "accord"
DOCS = ROOT / "docs"

CORE_ORDER = (
    "people", "projects", "tasks", "review", "guidelines", "demonstrations", "work", "admin",
    "importing", "judging", "report", "curation", "exporting",
)
"""The packages of ``accord.core`` from the bottom up: each may import only those before it.
The one list that the import test and the architecture table's order are both held to."""

_CELL_BORDER = re.compile(r"(?<!\\)\|")


def folders(folder: Path) -> list[str]:
    """The folders directly inside ``folder`` (caches left out), by name."""
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[0] not in "_.")


def modules(folder: Path) -> list[str]:
    """The modules directly inside ``folder`` other than its ``__init__``, by file name."""
    return sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py")


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Each ``(line, dotted name)`` that ``path`` imports, relative imports made absolute.

    ``from a.b import c`` yields ``a.b.c``: ``c`` may be a module of ``a.b`` or a name in it,
    and either way the importer depends on ``a.b``'s package.
    """
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def table_rows(markdown: str, first_header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header starts with ``first_header``, each as
    its stripped cells; empty when there is no such table."""
    lines = markdown.splitlines()
    for number, line in enumerate(lines):
        cells = _cells(line)
        if cells and cells[0] == first_header:
            body = []
            for row in lines[number + 2:]:
                if not row.startswith("|"):
                    break
                body.append(_cells(row))
            return body
    return []


def _cells(line: str) -> list[str]:
    if not line.startswith("|"):
        return []
    return [cell.strip() for cell in _CELL_BORDER.split(line.strip())[1:-1]]


def code_spans(text: str) -> list[str]:
    """The text of every `code span` in ``text``, in order."""
    return re.findall(r"`([^`]+)`", text)
