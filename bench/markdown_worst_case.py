"""How long the Markdown renderer takes on the worst inputs it accepts.

Renders hostile and ordinary texts of the preview's largest size (``MAX_PREVIEW``
characters on at most ``MAX_PREVIEW_LINES`` lines, the most ``POST /api/v1/markdown``
accepts) and, for comparison, of a response's largest size (``MAX_TEXT``, what the pages
may render, with no line bound), through ``web.markdown.render_markdown``: parse, render
and sanitise. A unit that ends a line is repeated on ``lines`` lines and the last line is
filled up to the length with the costliest inline text (``[`` and backticks). Each text is
rendered three times and the fastest time is printed, wall and CPU (the CPU time is what an
idle machine's wall time would be), slowest first. The preview's worst case should stay
well under 100 ms; a reference row renders prose of the same length, since absolute times
move 2 to 3 times between machines of this kind.

Run by hand: ``.venv/bin/python bench/markdown_worst_case.py [CHARACTERS …]``.
Never part of the timed test suite.
"""

from __future__ import annotations

import sys
import time

from accord.core.tasks.judgments import MAX_TEXT
from accord.web.api.markdown import MAX_PREVIEW, MAX_PREVIEW_LINES
from accord.web.markdown import render_markdown

UNITS = {
    "unmatched [": "[",
    "unmatched ![": "![",
    "[ per line": "[\n",
    "[a](": "[a](",
    "[\\]": "[\\]",
    "[`": "[`",
    "*a": "*a",
    "**a": "**a",
    "_a ": "_a ",
    "~~a": "~~a",
    "*_": "*_",
    "<a ": "<a ",
    "`a": "`a",
    "&#1;": "&#1;",
    "a\\ per line": "a\\\n",
    "[x]: y per line": "[x]: y\n",
    "1. *a per line": "1. *a\n",
    "> [": "> [",
    "table rows": "|a|b|\n",
    "short paragraphs": "x [y](z)\n\n",
    "prose (reference)": "This is **bold** and _emphasis_ with a [link](https://example.com) "
                         "and `code`. ",
}


INLINE_FILLER = "[`"


def text_of(unit: str, length: int, lines: int | None) -> str:
    """``unit`` repeated to ``length`` characters, on at most ``lines`` lines."""
    head = "|a|b|\n|-|-|\n" if unit.startswith("|") else ""
    if lines is not None and unit.endswith("\n"):
        body = unit * max(0, lines - head.count("\n") - 1)
        return (head + body + INLINE_FILLER * length)[:length]
    return (head + unit * (length // len(unit) + 1))[:length]


def fastest(text: str, runs: int = 3) -> tuple[float, float]:
    """The fastest of ``runs`` renders: wall seconds and CPU seconds (steadier than wall
    time when other work shares the cores)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        render_markdown(text)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def main(sizes: list[tuple[int, int | None]]) -> None:
    for length, lines in sizes:
        timings = sorted(((*fastest(text_of(unit, length, lines)), name)
                          for name, unit in UNITS.items()), reverse=True)
        bound = f"at most {lines} lines" if lines is not None else "any number of lines"
        print(f"{length:,} characters, {bound} (fastest of 3 renders each): wall ms, CPU ms")
        for wall, cpu, name in timings:
            print(f"  {name:<20} {wall * 1000:8.1f} {cpu * 1000:8.1f}")


if __name__ == "__main__":
    main([(int(a), None) for a in sys.argv[1:]]
         or [(MAX_PREVIEW, MAX_PREVIEW_LINES), (MAX_TEXT, None)])
