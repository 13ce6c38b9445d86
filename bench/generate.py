"""Accord's overhead on candidate generation: 1,000 chat requests to a local fake server.

    .venv/bin/python bench/generate.py                      # 1,000 requests, 16 at a time
    .venv/bin/python bench/generate.py --requests 2000 --concurrency 32 --delay 0.05

The fake OpenAI server (``tests/llm/fake_openai.py``) runs in its own process and answers
each request after a fixed delay. The same requests are sent twice, alternately, several
rounds: once by the bare ``openai`` client on a thread pool of the same size, once by
Accord's generator end to end (prompt sampling, retries policy, the bounded pool, every
answer stored in SQLite with its ledger entry, the tasks created). The best round of each
and the median round of each are compared; Accord's overhead is the difference as a share
of the bare client's time (target: under 5 %). The client's CPU time per request is
printed too: on a busy machine it varies less than wall time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openai  # noqa: E402
from tests.llm.fake_openai import serving_in_process  # noqa: E402

from accord.core.importing import import_items  # noqa: E402
from accord.core.projects.project import create_project  # noqa: E402
from accord.db import migrate  # noqa: E402
from accord.db.engine import make_engine  # noqa: E402
from accord.llm.backend_choice import BackendOptions, open_backend  # noqa: E402
from accord.llm.generation import generate_candidates, make_plan  # noqa: E402

CANDIDATES = 2
MODELS = ["bench-model-a", "bench-model-b"]
MAX_TOKENS = 64


def question(n: int) -> str:
    return f"Question {n}: how would you explain topic {n % 97} to a new colleague?"


def bare_client(base_url: str, requests: int, concurrency: int) -> tuple[float, float]:
    client = openai.OpenAI(base_url=base_url, api_key="bench", max_retries=0)

    def ask(n: int) -> str:
        completion = client.chat.completions.create(
            model=MODELS[n % CANDIDATES],
            messages=[{"role": "user", "content": question(n // CANDIDATES)}],
            temperature=0.7, top_p=1.0, max_tokens=MAX_TOKENS)
        return completion.choices[0].message.content

    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(concurrency) as pool:
        answers = list(pool.map(ask, range(requests)))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    client.close()
    assert len(answers) == requests and all(answers)
    return seconds, cpu


def accord_generator(base_url: str, requests: int, concurrency: int, folder: Path,
                     round_: int) -> tuple[float, float]:
    url = f"sqlite:///{folder / f'generate-{round_}.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        project = create_project(conn, "bench", ranking_mode="kway", allow_ties=True)
    prompts = requests // CANDIDATES
    import_items(engine, project, [{"id": f"p-{n}", "kind": "prompt", "prompt": question(n),
                                    "category": "qa"} for n in range(prompts)])
    options = BackendOptions(base_url=base_url, api_key="bench")
    backends = {model: open_backend("openai", model, options) for model in MODELS}
    plan = make_plan(MODELS, CANDIDATES, max_tokens=MAX_TOKENS)
    started, cpu = time.perf_counter(), time.process_time()
    report = generate_candidates(engine, "bench", backends, plan, concurrency=concurrency)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    for backend in backends.values():
        backend.close()
    engine.dispose()
    assert report.generated == requests and report.tasks_created == prompts, report
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.05, help="server seconds a request")
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    bare, accord = [], []
    with (serving_in_process(delay_s=arguments.delay) as base_url,
          tempfile.TemporaryDirectory() as tmp):
        bare_client(base_url, 100, arguments.concurrency)  # warm the server up
        for round_ in range(arguments.rounds):
            bare.append(bare_client(base_url, arguments.requests, arguments.concurrency))
            accord.append(accord_generator(base_url, arguments.requests,
                                           arguments.concurrency, Path(tmp), round_))
            print(f"round {round_ + 1}: bare openai {bare[-1][0]:.2f} s "
                  f"({bare[-1][1]:.2f} s CPU), accord generate {accord[-1][0]:.2f} s "
                  f"({accord[-1][1]:.2f} s CPU)", flush=True)
    ideal = arguments.requests / arguments.concurrency * arguments.delay
    print(f"{arguments.requests} requests, concurrency {arguments.concurrency}, "
          f"server delay {arguments.delay * 1000:.0f} ms (ideal {ideal:.2f} s)")
    for name, pick in (("best", min), ("median", statistics.median)):
        plain, ours = pick(t for t, _ in bare), pick(t for t, _ in accord)
        print(f"{name:>6}: bare openai {plain:5.2f} s ({arguments.requests / plain:4.0f} "
              f"requests/s), accord generate {ours:5.2f} s ({arguments.requests / ours:4.0f} "
              f"requests/s, stored in SQLite), overhead {(ours - plain) / plain * 100:+5.1f} %")
    plain, ours = statistics.median(c for _, c in bare), statistics.median(c for _, c in accord)
    print(f"client CPU per request (median): bare openai {plain / arguments.requests * 1e3:.2f} "
          f"ms, accord generate {ours / arguments.requests * 1e3:.2f} ms "
          f"({(ours - plain) / plain * 100:+.1f} %)")


if __name__ == "__main__":
    main()
