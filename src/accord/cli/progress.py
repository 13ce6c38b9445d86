"""A progress bar on stderr for long model runs (generation, judging), off with ``--quiet``.

Both runs report ``(done, total)`` as calls come back, and the total is known only once the
plan is made, so the bar starts without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def counting_bar(label: str, *, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar titled ``label`` and the ``advance(done, total)`` that moves it; ``None`` when
    disabled."""
    if not enabled:
        yield None
        return
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    row = bar.add_task(label, total=None)

    def advance(done: int, total: int) -> None:
        bar.update(row, completed=done, total=total)

    with bar:
        yield advance
