"""``accord`` in a child process, stopped the way Ctrl-C stops it, and the command it prints
to resume, run again."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCORD = [sys.executable, "-m", "accord.cli.main"]
WAIT_S = 60
POLL_S = 0.005


@dataclass(frozen=True)
class Stopped:
    """What an interrupted command left: its exit status, stdout, and its last stderr line."""

    status: int
    stdout: str
    line: str


def environment(database_url: str) -> dict[str, str]:
    """The test's environment with this checkout's sources first and the given database;
    no OpenAI settings leak in from the machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT),
                                                      env.get("PYTHONPATH")]))
    env["ACCORD_DATABASE_URL"] = database_url
    return env


def _as_from_a_terminal() -> None:
    """In the child, before ``accord`` starts: Ctrl-C at its default, as a shell gives it.
    An ignored signal is inherited across exec, so a test runner's worker that some earlier
    test left ignoring SIGINT would otherwise start a child that cannot be interrupted."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(database_url: str, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen([*ACCORD, *arguments], env=environment(database_url), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_from_a_terminal)


def interrupt_when(process: subprocess.Popen, ready: Callable[[], bool]) -> Stopped:
    """Send SIGINT as soon as ``ready()`` holds (polled while the command works)."""
    deadline = time.monotonic() + WAIT_S
    while not ready():
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the command ended ({process.returncode}) before it could "
                                 f"be interrupted:\n{out}\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"nothing to interrupt after {WAIT_S} s")
        time.sleep(POLL_S)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT_S)
    lines = err.strip().splitlines()
    return Stopped(process.returncode, out, lines[-1] if lines else "")


def resume_command(line: str, advice: str) -> list[str]:
    """The command printed after ``advice`` ("run the same command again to …")."""
    _, found, command = line.partition(f"; {advice}: ")
    assert found, line
    return shlex.split(command)


def run(database_url: str, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=environment(database_url), cwd=ROOT, capture_output=True,
                          text=True, timeout=WAIT_S * 2)
