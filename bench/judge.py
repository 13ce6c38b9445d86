"""The AI judge's throughput against a fake server that answers after a fixed delay.

    .venv/bin/python bench/judge.py                          # 200 pairs, delay 50 ms
    .venv/bin/python bench/judge.py --pairs 400 --delay 0.1 --concurrency 1 4 16

The fake OpenAI server (``tests/llm/fake_openai.py --judge``, answering as a consistent judge
with first-token log-probabilities) runs in its own process. For each concurrency, first the bare
``openai`` client makes as many calls on a thread pool of the same size (the ceiling), then
the same project is judged from scratch, end to end: a principle per task, two calls per
pair, every verdict stored in SQLite with its outcomes and ledger entries. Printed: pairs per
second for both, and Accord's share of the bare client's rate, which shows what the bounded
pool and the single writer cost.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openai  # noqa: E402
from tests.factories import add_comparisons  # noqa: E402
from tests.llm.fake_openai import serving_in_process  # noqa: E402

from accord.core.projects.project import create_project  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.llm import constitution  # noqa: E402
from accord.llm.backend_choice import BackendOptions, open_backend  # noqa: E402
from accord.llm.judge import JudgeSetup, PairJudge  # noqa: E402
from accord.llm.judge_run import run_judge  # noqa: E402


def one_run(folder: Path, base_url: str, pairs: int, concurrency: int) -> float:
    engine = make_engine(f"sqlite:///{folder / f'judge-{concurrency}.db'}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        project = create_project(conn, "bench")
    add_comparisons(engine, project, pairs)
    backend = open_backend("openai", "bench-judge", BackendOptions(base_url=base_url))
    judge = PairJudge(backend, JudgeSetup(constitution=constitution.load(), backend="openai"))
    started = time.perf_counter()
    run = run_judge(engine, "bench", "judge-bench", judge, concurrency=concurrency)
    elapsed = time.perf_counter() - started
    engine.dispose()
    if run.judged != pairs:
        raise SystemExit(f"only {run.judged} of {pairs} pairs judged: {run.failures[:3]}")
    return pairs / elapsed


def bare_client(base_url: str, pairs: int, concurrency: int) -> float:
    """Pairs' worth of calls per second by the bare ``openai`` client on a thread pool of
    the same size, with the same prompt shape and log-probabilities: the ceiling."""
    client = openai.OpenAI(api_key="bench", base_url=base_url, max_retries=0)
    messages = [{"role": "system", "content": "judge"}, {"role": "user", "content": (
        "[Response A]\nshort\n[End of response A]\n\n"
        "[Response B]\na longer one\n[End of response B]")}]

    def call(_: int) -> None:
        client.chat.completions.create(model="bench-judge", messages=messages, temperature=0,
                                       max_tokens=256, logprobs=True, top_logprobs=5)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(call, range(2 * pairs)))
    client.close()
    return pairs / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    arguments = parser.parse_args()
    with (serving_in_process(delay_s=arguments.delay, judge=True) as base_url,
          tempfile.TemporaryDirectory(prefix="accord-judge-bench-") as folder):
        for concurrency in arguments.concurrency:
            bare = bare_client(base_url, arguments.pairs, concurrency)
            rate = one_run(Path(folder), base_url, arguments.pairs, concurrency)
            ideal = concurrency / (2 * arguments.delay)
            print(f"concurrency {concurrency:>3}: {rate:8.1f} pairs/s judged and stored, "
                  f"bare client {bare:8.1f} ({rate / bare:6.1%}); ideal {ideal:.1f} at "
                  f"{arguments.delay * 1000:.0f} ms an answer")


if __name__ == "__main__":
    main()
