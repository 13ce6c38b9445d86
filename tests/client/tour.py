"""docs/sdk.md's Python blocks, in order: the tour a test runs as a reader would."""

from __future__ import annotations

import re
from pathlib import Path

SDK_DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def python_blocks(path: Path = SDK_DOC) -> list[tuple[str, str]]:
    """Each Python block with the heading of the section it stands in."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for found in _BLOCK.finditer(text):
        headings = re.findall(r"^## (.+)$", text[: found.start()], re.M)
        blocks.append((headings[-1] if headings else "(top)", found.group(1)))
    return blocks


def run_blocks(blocks: list[tuple[str, str]], namespace: dict) -> None:
    """Run the blocks in one namespace, as a notebook would; a failure names its section."""
    for number, (section, code) in enumerate(blocks, start=1):
        try:
            exec(compile(code, f"docs/sdk.md block {number} ({section})", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"docs/sdk.md block {number}, in '{section}', failed: "
                                 f"{type(error).__name__}: {error}") from error
