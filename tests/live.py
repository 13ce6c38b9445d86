"""Real Accord servers in child processes, on free ports, for tests that need real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"server at {base} did not answer within {START_TIMEOUT_S} s")


@contextmanager
def running_servers(database_url: str, count: int = 1,
                    settings: dict[str, str] | None = None) -> Iterator[list[str]]:
    """Start ``count`` server processes sharing ``database_url`` (and any other ``ACCORD_…``
    ``settings``); yields their base URLs."""
    env = {**os.environ, **(settings or {}), "ACCORD_DATABASE_URL": database_url}
    processes, bases = [], []
    try:
        for _ in range(count):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "accord.web.app:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                 "--log-level", "warning", "--timeout-keep-alive", "30"],
                env=env,
            ))
            bases.append(base)
        for process, base in zip(processes, bases, strict=True):
            _wait_until_ready(process, base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
