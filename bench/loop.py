"""Accord's loop, measured on this machine: HTTP claim+submit, import and export on SQLite.

Prints one line per figure. Targets (2-core machine): ≥ 1,000 submissions/s at 32 clients
with p99 ≤ 100 ms; import ≥ 50,000 items/s; export ≥ 100,000 pairs/s; peak memory flat as the
project grows (< 500 MB at 1 M items). Run with ``make bench`` (about ten minutes).

    python bench/loop.py                 # everything
    python bench/loop.py http import     # some of it
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import export_speed  # noqa: E402
import http_loop  # noqa: E402
import import_speed  # noqa: E402


def run_http() -> None:
    for clients in (1, 8, 32):
        r = http_loop.measure(clients)
        print(f"http    clients={clients:>2}  {r['submissions_per_s']:8.0f} submissions/s  "
              f"p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
              f"stored {r['stored']}  errors {r['errors']}  "
              f"server peak RSS {r['server_peak_rss_mb']:.0f} MB", flush=True)


def run_import() -> None:
    for n in (100_000, 1_000_000):
        with tempfile.TemporaryDirectory() as tmp:
            r = import_speed.measure(n, Path(tmp))
        print(f"import  items={n:>9,}  {r['items_per_s']:8.0f} items/s  "
              f"{r['seconds']:6.1f} s  peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)


def run_export() -> None:
    for n in (100_000, 300_000):
        with tempfile.TemporaryDirectory() as tmp:
            r = export_speed.measure(n, Path(tmp))
        print(f"export  tasks={n:>9,}  {r['pairs_per_s']:8.0f} pairs/s  "
              f"{r['seconds']:6.1f} s  peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)


PARTS = {"http": run_http, "import": run_import, "export": run_export}


def main(names: list[str]) -> None:
    started = time.monotonic()
    for name in names or list(PARTS):
        if name not in PARTS:
            raise SystemExit(f"unknown part {name!r}; choose from {', '.join(PARTS)}")
        PARTS[name]()
    print(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
