"""Model calls run side by side, at most ``concurrency`` at a time, results as they finish.

Calls to a model spend nearly all their time waiting on the network (or, for a local model,
inside torch, which releases the GIL), so threads are enough. Jobs are read lazily and at
most twice ``concurrency`` are queued, so a run over a million prompts holds a few dozen in
memory. The caller consumes outcomes on its own thread and writes them to the database
there: one writer, however many calls are in flight.

    for outcome in run_bounded(prompts, ask_model, concurrency=8):
        if outcome.error: report(outcome.job, outcome.error)
        else: store(outcome.job, outcome.result)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

from accord.core.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")
QUEUED_PER_WORKER = 2
MAX_CONCURRENCY = 1024


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """One job done: its result, or the exception it raised; ``elapsed_ms`` from its start."""

    job: T
    result: R | None
    error: Exception | None
    elapsed_ms: int


def check_concurrency(concurrency: int) -> int:
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise InvalidInput(
            f"--concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency}"
        )
    return concurrency


def run_bounded(jobs: Iterable[T], work: Callable[[T], R], concurrency: int,
                ) -> Iterator[Outcome[T, R]]:
    """``work(job)`` for every job on ``concurrency`` threads; outcomes in finishing order.

    An exception from ``work`` becomes the outcome's ``error`` and the others go on. When the
    consumer stops early (an error of its own, Ctrl-C), queued jobs are dropped and the calls
    in flight are left to finish or time out.
    """
    check_concurrency(concurrency)
    source = iter(jobs)
    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="accord-llm")
    pending: dict[Future, T] = {}
    finished = False
    try:
        while True:
            while not finished and len(pending) < concurrency * QUEUED_PER_WORKER:
                job = next(source, _END)
                if job is _END:
                    finished = True
                    break
                pending[executor.submit(_timed, work, job)] = job
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                result, error, elapsed_ms = future.result()
                yield Outcome(job, result, error, elapsed_ms)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


_END = object()


def _timed(work: Callable[[T], R], job: T) -> tuple[R | None, Exception | None, int]:
    started = time.perf_counter()
    try:
        result, error = work(job), None
    except Exception as failure:  # every failure is reported with its job
        result, error = None, failure
    return result, error, round((time.perf_counter() - started) * 1000)
