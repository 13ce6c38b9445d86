"""Model calls run side by side, at most ``concurrency`` at a time, results as they finish.

Calls to a model spend nearly all their time waiting on the network (or, for a local model,
inside torch, which releases the GIL), so threads are enough. Each of ``concurrency``
workers takes the next job from the shared iterator, so jobs are read lazily and a run over
a million prompts never lists them all as futures. The caller consumes outcomes on its own
thread and writes them to the database there: one writer, however many calls are in flight.
Workers hand outcomes over a queue and go straight on to their next job; the caller's
thread only wakes to write (a futures-based loop that woke it to refill was measurably
slower once the client, not the server, was the bottleneck).

    for outcome in run_bounded(prompts, ask_model, concurrency=8):
        if outcome.error: report(outcome.job, outcome.error)
        else: store(outcome.job, outcome.result)
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

from accord.core.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")
MAX_CONCURRENCY = 1024

JobsDone = Callable[[int, int], None]
"""A long run's progress callback, called with (jobs done, jobs in the run): candidates for
``accord generate``, comparison tasks for ``accord judge``."""


@dataclass(frozen=True, slots=True)
class Answered(Generic[T, R]):
    """A job that returned: its result; ``elapsed_ms`` from its start."""

    job: T
    result: R
    elapsed_ms: int
    error: None = None


@dataclass(frozen=True, slots=True)
class Failed(Generic[T]):
    """A job that raised: the exception; ``elapsed_ms`` from its start."""

    job: T
    error: Exception
    elapsed_ms: int
    result: None = None


Outcome: TypeAlias = "Answered[T, R] | Failed[T]"
"""One job done; ``outcome.error is None`` tells an answer from a failure."""


@dataclass(frozen=True, slots=True)
class _WorkerDone:
    error: BaseException | None = None  # the jobs iterator itself failed


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
    consumer stops early (an error of its own, Ctrl-C), no further job is started; the calls
    in flight finish or time out on their own (the threads are daemons, so they never keep
    the process alive).
    """
    check_concurrency(concurrency)
    source = iter(jobs)
    taking = threading.Lock()
    stop = threading.Event()
    outcomes: queue.SimpleQueue = queue.SimpleQueue()

    def worker() -> None:
        try:
            while not stop.is_set():
                with taking:
                    try:
                        job = next(source)
                    except StopIteration:
                        break
                outcomes.put(_timed(work, job))
        except BaseException as failure:  # the iterator broke: the consumer re-raises it
            outcomes.put(_WorkerDone(failure))
            return
        outcomes.put(_WorkerDone())

    workers = [threading.Thread(target=worker, name=f"accord-llm-{i}", daemon=True)
               for i in range(concurrency)]
    for thread in workers:
        thread.start()
    running = len(workers)
    try:
        while running:
            item = outcomes.get()
            if isinstance(item, _WorkerDone):
                running -= 1
                if item.error is not None:
                    raise item.error
                continue
            yield item
    finally:
        stop.set()


def _timed(work: Callable[[T], R], job: T) -> Outcome[T, R]:
    started = time.perf_counter()
    try:
        result = work(job)
    except Exception as failure:  # every failure is reported with its job
        return Failed(job, failure, _ms_since(started))
    return Answered(job, result, _ms_since(started))


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
