"""What a long command says when Ctrl-C stops it: what is stored, and how to resume.

``accord generate``, ``judge``, ``import`` and ``export`` keep their work whole when SIGINT
arrives (generation writes the answers it has, the judge commits each verdict as it comes,
an import writes whole batches, an export replaces its file only once complete). The user
still needs to know where that left them. Each command wraps its work in
:func:`reports_interruption` with a reader of its state; on Ctrl-C the reader looks at the
database (or the files) as they are now, and the user gets one line on stderr —

    interrupted: 412 of 1,000 candidates stored, 206 of 500 tasks made; run the same
    command again to fill the rest: accord generate helpful --model m -n 2

— the same facts as one JSON object on stdout with ``--json`` (``{"interrupted": true,
…, "resume": "accord generate …"}``), and exit status 130 (128 + SIGINT, as shells report
it). What is stored is read afresh rather than counted along the way, so the line is true
even of work that earlier runs did.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from accord.cli.context import open_engine, print_json
from accord.core.errors import AccordError, NotFound
from accord.core.importing import SourceRead
from accord.core.importing.existing import count_items
from accord.core.importing.store import DEFAULT_BATCH_SIZE
from accord.core.judging.ai_judges import count_judged, count_pending, judge_of_project
from accord.core.judging.generated import pool_prompts, stored_candidates, stored_tasks
from accord.core.projects.progress import progress
from accord.core.projects.project import get_project
from accord.db.engine import READ_ONLY
from accord.db.types import utcnow
from accord.exports.hygiene import SPLITS, split_path
from accord.llm.generation_plan import Plan
from accord.llm.prompt_sample import choose

INTERRUPTED_EXIT = 130
"""128 + SIGINT: what a shell reports for a command that Ctrl-C stopped."""


@dataclass(frozen=True)
class Interruption:
    """Where an interrupted command left things: ``stored`` says it in words, ``rerun`` says
    what running the command again does, ``facts`` are the figures for ``--json``."""

    stored: str
    rerun: str
    facts: dict


StateReader = Callable[[], Interruption]


@contextmanager
def reports_interruption(state: StateReader, *, json_output: bool) -> Iterator[None]:
    """On Ctrl-C inside the block: say what ``state()`` finds and how to resume, exit 130."""
    try:
        yield
    except KeyboardInterrupt:
        command = shlex.join(typed_command())
        if sys.stderr.isatty():
            typer.echo("", err=True)  # the terminal echoed ^C where the cursor was
        try:
            found: Interruption | None = state()
        except (AccordError, OperationalError):  # stopped before there was anything to read
            found = None
        said = f"interrupted: {found.stored}; {found.rerun}" if found else \
            "interrupted; run the same command again"
        typer.echo(f"{said}: {command}", err=True)
        if json_output:
            print_json({"interrupted": True, **(found.facts if found else {}),
                        "resume": command})
        raise typer.Exit(INTERRUPTED_EXIT) from None


def typed_command() -> list[str]:
    """This process's command line as its user can type it again: ``accord …`` when the
    ``accord`` found on PATH started it, else what the interpreter was given (``python -m
    accord.cli.main …``)."""
    arguments = sys.argv[1:]
    script = Path(sys.argv[0])
    on_path = shutil.which(script.name)
    if on_path is not None and Path(on_path).resolve() == script.resolve():
        return [script.name, *arguments]
    return [*sys.orig_argv[:len(sys.orig_argv) - len(arguments)], *arguments]


@contextmanager
def _reading(engine: Engine | None = None) -> Iterator[Connection]:
    """A read that takes no write lock (another process may be writing), on ``engine`` or
    on one of its own."""
    used = open_engine() if engine is None else engine
    try:
        with used.connect() as conn:
            yield conn.execution_options(**{READ_ONLY: True})
    finally:
        if engine is None:
            used.dispose()


def _count(number: int, word: str) -> str:
    return f"{number:,} {word if number == 1 else word + 's'}"


# ── accord generate ──

@dataclass(frozen=True)
class GenerationSample:
    """The prompts a generation command samples and the plan it applies to them."""

    project: str
    plan: Plan
    mix: dict[str, float] | None
    limit: int | None
    sample_seed: int

    def interruption(self) -> Interruption:
        """Candidates and tasks of the sample now stored, whichever run stored them."""
        with _reading() as conn:
            project = get_project(conn, self.project)
            prompts = choose(pool_prompts(conn, project.id), self.mix, self.limit,
                             self.sample_seed).prompts
            candidates = len(stored_candidates(conn, [p.id for p in prompts],
                                               self.plan.response_ids))
            made = len(stored_tasks(conn, project.id,
                                    [self.plan.task_id(p.external_id) for p in prompts]))
        wanted = len(prompts) * len(self.plan.slots)
        return Interruption(
            f"{candidates:,} of {_count(wanted, 'candidate')} stored, "
            f"{made:,} of {_count(len(prompts), 'task')} made",
            "run the same command again to fill the rest",
            {"project": project.name, "candidates_stored": candidates,
             "candidates_wanted": wanted, "tasks_made": made, "tasks_wanted": len(prompts)})


# ── accord judge ──

def judging_interruption(project_name: str, judge: str) -> StateReader:
    """How many of the project's comparison tasks ``judge`` has judged, this run or before."""

    def state() -> Interruption:
        with _reading() as conn:
            project = get_project(conn, project_name)
            try:
                judge_id = judge_of_project(conn, project, judge).id
            except NotFound:  # stopped before the judge was set up: it has judged nothing
                judge_id = 0  # no user's id: every comparison task counts as left
            judged = count_judged(conn, project.id, judge_id)
            left = count_pending(conn, project.id, judge_id)
        return Interruption(
            f"{judged:,} of {_count(judged + left, 'comparison task')} judged by {judge}",
            "run the same command again to judge the rest",
            {"project": project.name, "judge": judge, "judged": judged,
             "comparison_tasks": judged + left})

    return state


# ── accord import ──

class ImportWatch:
    """Follows an import through its two passes, so that an interruption can say whether
    anything was written and how much of the file is in.

    The pipeline checks the whole file before it writes anything (``core.importing``) and
    tells ``on_read`` when the check has read it all; the items and annotations the project
    held before are counted up front, so that the interruption can count what came in.
    """

    def __init__(self, engine: Engine, project: str, file: Path) -> None:
        self.file = file
        self.writing = False
        with _reading(engine) as conn:
            self._project = get_project(conn, project)
            self._before = self._counts(conn)

    def following(self, on_read: SourceRead | None) -> SourceRead:
        """``on_read`` (the progress bar, or none), with the watch told of each step too."""

        def read(phase: str, done: int, total: int) -> None:
            if phase != "checking" or done >= total:
                self.writing = True
            if on_read is not None:
                on_read(phase, done, total)

        return read

    def interruption(self) -> Interruption:
        facts: dict = {"project": self._project.name, "file": str(self.file),
                       "phase": "importing" if self.writing else "checking"}
        if not self.writing:
            return Interruption(f"nothing imported (the check of {self.file.name} had not "
                                "finished)", "run the same command again to import it",
                                {**facts, "items_new": 0, "annotations_new": 0})
        with _reading() as conn:
            now = self._counts(conn)
        items, annotations = now[0] - self._before[0], now[1] - self._before[1]
        labels = f" and {_count(annotations, 'annotation')}" if annotations else ""
        return Interruption(
            f"{_count(items, 'new item')}{labels} of {self.file.name} in the project, written "
            f"in whole batches of up to {DEFAULT_BATCH_SIZE:,} (none half-written)",
            "run the same command again to import the rest without duplicates",
            {**facts, "items_new": items, "annotations_new": annotations})

    def _counts(self, conn: Connection) -> tuple[int, int]:
        return (count_items(conn, self._project.id),
                progress(conn, self._project, utcnow()).annotations)


# ── accord export ──

class ExportTargets:
    """The files (or the ``hf`` directory) an export replaces, as they were before it
    began: an interrupted export leaves them as they were, and this checks that it did."""

    def __init__(self, project: str, out: Path, *, export_format: str,
                 file_format: str | None, split: float | None) -> None:
        self.project = project
        self.format = export_format
        whole = split is None or export_format in ("card", "hf") or file_format == "hf"
        self.paths = [out] if whole else [split_path(out, side) for side in SPLITS]
        self._before = {path: _identity(path) for path in self.paths}

    def interruption(self) -> Interruption:
        states = {path: _what_became_of(path, self._before[path]) for path in self.paths}
        untouched = all(state in UNTOUCHED for state in states.values())
        said = "; ".join(f"{path.name} {FILE_STATES[state]}" for path, state in states.items())
        return Interruption(
            f"nothing was written: {said}" if untouched else said,
            "run the same command again to export",
            {"project": self.project, "format": self.format, "written": not untouched,
             "files": {str(path): state for path, state in states.items()}})


FILE_STATES = {
    "left": "was left as it was",
    "not_created": "was not created",
    "replaced": "was replaced by the complete export just before the interruption",
    "removed": "was removed",  # Ctrl-C between removing the old dataset and moving the new in
}
UNTOUCHED = ("left", "not_created")


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Which file ``path`` is: replacing it (``os.replace``) changes this; None if absent."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def _what_became_of(path: Path, before: tuple[int, int, int] | None) -> str:
    """One of ``FILE_STATES``."""
    now = _identity(path)
    if now == before:
        return "left" if before is not None else "not_created"
    return "removed" if now is None else "replaced"
