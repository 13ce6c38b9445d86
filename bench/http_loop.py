"""The annotation loop over real HTTP, as a share of what the framework itself can do.

    python bench/http_loop.py                      # 1, 8 and 32 connections, 3 rounds, 8 s
    python bench/http_loop.py --connections 32 --rounds 5 --seconds 10

wrk runs ``../shared/bench/annotation-loop.lua`` (claim the next task, submit it, repeat)
against ``accord serve`` on a fresh SQLite database and, in the same run and under the same
script, connections and threads, against the do-nothing FastAPI app with the same two routes
(``../shared/bench/noop_app.py``). Each round measures the reference, then Accord, so the
machine's drift (other work on its two cores) lands on both; the ratios are what to record.
Accord's pairs/s count the annotations stored in the database, not the client's counters,
and a round fails loudly if they differ from the submissions wrk saw acknowledged.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from wrk_loop import (
    LoopRun,
    accord_server,
    loop_database,
    noop_server,
    run_wrk,
    settled_annotations,
)

WARM_UP_S = 1
OVERLAP = 3


def peak_rss_mb(pid: int) -> float:
    """The server's peak resident memory (``VmHWM``), of the process wrk talked to."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _row(label: str, run: LoopRun, pairs_per_s: float) -> str:
    return (f"  {label:<9} pairs/s={pairs_per_s:8.1f}  p50={run.p50_ms:7.2f} ms"
            f"  p99={run.p99_ms:7.2f} ms  errors={run.errors}")


def measure(connections: int, rounds: int, seconds: int, annotators: int,
            items: int) -> list[tuple[float, float]]:
    """``rounds`` reference-then-Accord pairs; returns (pairs/s ratio, p99 ratio) per round.

    One wrk thread per annotator, at most one per connection; the project's overlap is 3, or
    the number of annotators when fewer (a pool smaller than the overlap never fills a task,
    so each claim walks past every task the annotator already did: see docs/benchmarks.md).
    """
    threads = min(annotators, connections)
    overlap = min(OVERLAP, threads)
    print(f"connections={connections}: {threads} annotators (wrk threads), overlap {overlap}, "
          f"{seconds} s a run", flush=True)
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'loop.db'}"
        tokens = loop_database(url, annotators=threads, items=items, overlap=overlap)
        with noop_server() as noop, accord_server(url) as (accord, pid):
            run_wrk(noop, tokens, connections, WARM_UP_S, threads)
            run_wrk(accord, tokens, connections, WARM_UP_S, threads)
            for n in range(1, rounds + 1):
                reference = run_wrk(noop, tokens, connections, seconds, threads)
                before = settled_annotations(url)
                ours = run_wrk(accord, tokens, connections, seconds, threads)
                stored = settled_annotations(url) - before
                # wrk counts a submission when it sends it; the last one on each connection
                # may still be in flight when the run ends, so up to one a connection is cut.
                sent = ours.submits - ours.errors
                if not sent - connections <= stored <= sent:
                    raise RuntimeError(f"{stored} annotations stored for {sent} submissions "
                                       f"sent on {connections} connections")
                accord_rate = stored / ours.seconds
                ratio = (accord_rate / reference.pairs_per_s, ours.p99_ms / reference.p99_ms)
                ratios.append(ratio)
                print(f"connections={connections} round {n}/{rounds}", flush=True)
                print(_row("reference", reference, reference.pairs_per_s))
                print(_row("accord", ours, accord_rate) + f"  stored={stored}")
                print(f"  ratio     pairs/s {ratio[0]:.2f} of the reference, "
                      f"p99 {ratio[1]:.2f}x the reference's", flush=True)
            print(f"  accord server peak RSS {peak_rss_mb(pid):.0f} MB")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--annotators", type=int, default=4,
                        help="wrk threads (at most one a connection), each one annotator")
    parser.add_argument("--items", type=int, default=60_000)
    args = parser.parse_args()
    summary = {}
    for connections in args.connections:
        summary[connections] = measure(connections, args.rounds, args.seconds, args.annotators,
                                       args.items)
    print("\nsummary: Accord as a share of the do-nothing app, same run (median [min-max])")
    for connections, ratios in summary.items():
        rate = [r[0] for r in ratios]
        p99 = [r[1] for r in ratios]
        print(f"  connections={connections:>2}  pairs/s {statistics.median(rate):.2f} "
              f"[{min(rate):.2f}-{max(rate):.2f}]  p99 {statistics.median(p99):.2f}x "
              f"[{min(p99):.2f}-{max(p99):.2f}]")


if __name__ == "__main__":
    main()
