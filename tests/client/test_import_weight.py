"""``accord.client`` is for notebooks and pipelines: importing it loads httpx and Pydantic,
never the server's dependencies, and it reads answers with ``accord.wire`` alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.docs.layout import SRC, imported_modules, python_files

SERVER_DEPENDENCIES = ("fastapi", "starlette", "sqlalchemy", "uvicorn", "numpy", "scipy",
                       "jinja2", "alembic", "typer", "pandas", "pyarrow", "markdown_it", "nh3",
                       "datasets")


def test_importing_the_client_loads_none_of_the_servers_dependencies():
    program = ("import json, sys, accord.client; "
               "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONPATH": str(SRC.parent)})
    loaded = set(json.loads(result.stdout))
    assert "httpx" in loaded and "pydantic" in loaded
    assert not loaded & set(SERVER_DEPENDENCIES), sorted(loaded & set(SERVER_DEPENDENCIES))
    accord_modules = subprocess.run(
        [sys.executable, "-c", "import sys, accord.client; print(' '.join(m for m in "
         "sys.modules if m.startswith('accord')))"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(SRC.parent)}).stdout.split()
    assert all(m == "accord" or m.startswith(("accord.client", "accord.wire"))
               for m in accord_modules), accord_modules


def _accord_imports(folder: str) -> list[str]:
    return [f"{path.relative_to(SRC.parent)}:{line} imports {name}"
            for path in python_files(SRC / folder)
            for line, name in imported_modules(path)
            if name.split(".")[0] == "accord"]


def test_the_client_imports_only_the_wire_models_and_itself():
    allowed = ("accord.client", "accord.wire")
    wrong = [entry for entry in _accord_imports("client")
             if (name := entry.split(" imports ")[1]) != "accord"
             and not name.startswith(allowed)]
    assert not wrong, "\n".join(wrong)


def test_the_wire_models_import_nothing_of_accord_outside_themselves():
    wrong = [entry for entry in _accord_imports("wire")
             if not entry.split(" imports ")[1].startswith("accord.wire")]
    assert not wrong, "\n".join(wrong)
