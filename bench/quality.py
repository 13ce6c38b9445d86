"""The quality report over a million annotations: on arrays, beside the reference libraries,
and end to end from a SQLite project.

    .venv/bin/python bench/quality.py                  # 200,000 tasks x 5 of 500 annotators
    .venv/bin/python bench/quality.py --tasks 20000    # a quick look
    .venv/bin/python bench/quality.py --skip-dense     # without krippendorff's 1 GB matrix

The data is ``quality_population.planted``: two-response comparisons with planted annotator
accuracies (and a position-biased, a length-biased and a fatigued annotator), display
orders, response lengths and models, active times and sessions over nine days.

1. **Arrays in memory.** The ``ProjectArrays`` that ``quality_inputs.load`` would read are
   built in memory and ``core.report.compute_report`` — every computation of ``accord
   report`` between reading and storing — is timed (best of ``--repeat``; peak memory under
   ``tracemalloc`` in one more run, which sees NumPy's and pandas' buffers). Then the same
   statistics from the reference libraries on the same arrays: crowd-kit's ``DawidSkene``
   and ``MajorityVote``, ``krippendorff.alpha`` on the annotators x items matrix it needs,
   statsmodels' ``fleiss_kappa`` on the count table; beside each, Accord's function on the
   same input, and whether the answers agree (alpha and kappa to 1e-9, Dawid-Skene and majority
   accuracy against the planted truth).
2. **End to end.** The same population is bulk-inserted into a migrated SQLite file (kept
   in ``--workdir`` and reused while the schema and the draw are unchanged), copied fresh
   for every run, and ``accord report bench --json`` runs in a child process: its wall
   clock, CPU time and peak resident memory (``ru_maxrss`` of the child, collected by a
   small launcher so that this process's own memory cannot leak into the figure). A second
   child runs ``build_report``'s steps one by one to show where the time goes, and the JSON
   the command printed is checked against the report computed on arrays.

Targets on the 2-core machine (issue 3): the computations within 2 s and no slower than the
libraries, with the same answers; ``accord report`` within 10 s and under 1 GB. The machine
is shared, so CPU seconds are printed beside wall seconds: they move less when it is busy.
Never part of the timed test suite.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import quality_population as population  # noqa: E402
from accord.core.projects.project import Project  # noqa: E402
from accord.core.report import compute_report  # noqa: E402
from accord.core.report.arrays import ProjectArrays  # noqa: E402
from accord.core.report.gold import GoldReference  # noqa: E402
from quality_timing import Figure, measure, show  # noqa: E402

SECONDS_TARGET, END_TO_END_TARGET, MEMORY_TARGET_MB = 2.0, 10.0, 1000.0
POPULATION_VERSION = 4
"""Bump when ``quality_population`` draws differently, so cached databases are rebuilt."""
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    child = subprocess.Popen(sys.argv[2:], stdout=out)
    _, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - started, "status": status,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024}))
"""
"""Runs a command and reports its ``wait4`` usage. A fresh, small process: Linux carries a
parent's peak RSS into a child's ``ru_maxrss`` across fork and exec, so the command must not
be started by this process, which holds the whole population."""


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# ── 1. arrays in memory ───────────────────────────────────────────────────────────────────


def report_steps(arrays: ProjectArrays, project: Project, now: datetime,
                 gold: GoldReference) -> list[Figure]:
    """One timed run of each step of ``compute_report``, in its order (where the time goes)."""
    from accord.core.report import _exported, agreement, annotators, consensus, monitors
    from accord.core.report import gold as gold_rules
    from accord.core.report.consensus_of_others import agreement_with_others
    from accord.core.report.pairs import pair_items
    from accord.wire.report.monitors import CostFigures

    figures: list[Figure] = []
    names = arrays.annotators.names

    def step(name: str, run: Callable[[], Any]) -> Any:
        figure = measure(name, run, 1, memory=False)
        figures.append(figure)
        return figure.value

    pairs = step("pair items (task, pair) of the outcomes", lambda: pair_items(arrays))
    agreed = step("consensus.compute (majority, Dawid-Skene, rankings)",
                  lambda: consensus.compute(arrays, pairs))
    others = step("each vote against the others' consensus",
                  lambda: agreement_with_others(pairs, arrays.outcomes.outcome))
    accepted, times = _exported(arrays, agreed)
    results = step("monitors.run (fatigue, bias, refusal, staleness, cost)", lambda: monitors.run(
        arrays, project, pairs, others, now.timestamp(), accepted, times))
    step("agreement section (figures, intervals, groups)",
         lambda: agreement.agreement_section(arrays, pairs))
    step("monitors and cost sections (figures by annotator name)", lambda: (
        monitors.section(results, names), monitors.figures(results.cost, names, CostFigures)))
    step("annotators section (with gold accuracy)", lambda: annotators.section(
        arrays, agreed, others, gold_rules.accuracy(arrays, pairs, gold), results.cost))
    step("consensus section (models, win rates)", lambda: consensus.section(
        arrays, agreed, project.agreement_threshold))
    return figures


def engine_steps(arrays: ProjectArrays) -> list[Figure]:
    """The engine functions inside ``consensus.compute``, as it calls them."""
    from accord.quality.consensus import majority_pairs
    from accord.quality.ranking import rank_responses
    from accord.quality.reliability import pair_reliability

    o = arrays.outcomes
    n = len(arrays.annotators.ids)
    ds = measure("quality.reliability.pair_reliability (Dawid-Skene)", lambda: pair_reliability(
        o.task, o.first, o.second, o.annotator, o.outcome, n_annotators=n), 1, memory=False)
    fitted = ds.value.reliability
    ds.note = (f"{fitted.iterations} EM steps, converged: {fitted.converged}, "
               f"{ds.seconds / fitted.iterations * 1000:.1f} ms a step")
    weight = np.clip(np.nan_to_num(fitted.accuracy, nan=0.5)[o.annotator], 0.05, None)
    return [
        measure("quality.consensus.majority_pairs", lambda: majority_pairs(
            o.task, o.winner, o.loser, o.tie, o.strength), 1, memory=False),
        ds,
        measure("quality.ranking.rank_responses (Bradley-Terry per task)", lambda: rank_responses(
            o.task, o.first, o.second, o.outcome, weight=weight), 1, memory=False),
    ]


@dataclass
class HeadToHead:
    """Accord's functions and the references on the same judgments, and their answers."""

    ours: list[Figure]
    theirs: list[Figure]
    alpha: float
    """Krippendorff's alpha from the ``krippendorff`` package (the dense matrix when it ran)."""
    kappa: float
    """Fleiss' kappa from statsmodels."""
    lines: list[str]


def _crowd_kit(item: np.ndarray, annotator: np.ndarray, label: np.ndarray
               ) -> tuple[Callable[[], tuple[np.ndarray, int]], Callable[[], np.ndarray]]:
    """crowd-kit's Dawid-Skene (its default budget: 100 steps, tolerance 1e-5) and majority
    vote on one long frame (task, worker, label), built once outside the timings."""
    import pandas as pd
    from crowdkit.aggregation import DawidSkene, MajorityVote

    frame = pd.DataFrame({"task": item, "worker": annotator, "label": label})

    def dawid_skene() -> tuple[np.ndarray, int]:
        model = DawidSkene(n_iter=100)
        labels = model.fit_predict(frame).sort_index().to_numpy()
        return labels, len(model.loss_history_)

    def majority() -> np.ndarray:
        return MajorityVote().fit_predict(frame).sort_index().to_numpy()

    return dawid_skene, majority


def _equal(name: str, ours: float, theirs: float, library: str) -> str:
    gap = abs(ours - theirs)
    return (f"{name}: Accord {ours:.12f}, {library} {theirs:.12f}, difference {gap:.1e} "
            f"({'equal to 1e-9' if gap <= 1e-9 else 'DIFFERENT'})")


def head_to_head(arrays: ProjectArrays, truth: np.ndarray, repeat: int,
                 skip_dense: bool) -> HeadToHead:
    """Accord and the references on the report's comparison judgments: one per pairwise
    outcome, the item its (task, pair), the category its outcome (first, second, tie)."""
    import krippendorff
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    from accord.core.report.pairs import pair_items
    from accord.quality.agreement import Judgments, fleiss_kappa, krippendorff_alpha
    from accord.quality.reliability import majority_vote, pair_reliability

    o, n = arrays.outcomes, len(arrays.annotators.ids)
    pairs = pair_items(arrays)
    item, annotator, label = pairs.item, o.annotator, o.outcome.astype(np.int64)
    truth_of_item = truth[pairs.task]

    def judgments() -> Judgments:  # counts are cached on a Judgments: a fresh one per run
        return Judgments(item, annotator, label, n_items=pairs.n_items, n_annotators=n,
                         n_categories=3)

    counts = np.bincount(item * 3 + label, minlength=pairs.n_items * 3).reshape(-1, 3)
    ours = [
        measure("Accord pair_reliability (Dawid-Skene, as the report)", lambda: pair_reliability(
            o.task, o.first, o.second, annotator, o.outcome, n_annotators=n), repeat),
        measure("Accord majority_vote", lambda: majority_vote(item, annotator, label, n_classes=3),
                repeat),
        measure("Accord krippendorff_alpha nominal (per-item counts)",
                lambda: krippendorff_alpha(judgments()), repeat),
        measure("Accord fleiss_kappa (from the judgments)",
                lambda: fleiss_kappa(judgments()), repeat),
    ]
    dawid_skene, majority = _crowd_kit(item, annotator, label)

    def dense() -> float:
        matrix = np.full((n, pairs.n_items), np.nan)
        matrix[annotator, item] = label
        return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")

    theirs = [measure("crowd-kit DawidSkene (n_iter=100)", dawid_skene, 1),
              measure("crowd-kit MajorityVote", majority, repeat)]
    if not skip_dense:
        theirs.append(measure("krippendorff.alpha nominal (annotators x items matrix)", dense, 1))
    from_counts = measure("krippendorff.alpha nominal (value_counts; not a report input)",
                          lambda: krippendorff.alpha(value_counts=counts,
                                                     level_of_measurement="nominal"), repeat)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fleiss = measure("statsmodels fleiss_kappa (from the count table)",
                         lambda: statsmodels_fleiss(counts), repeat)
    theirs += [from_counts, fleiss]

    ds, mv, alpha, kappa = (f.value for f in ours)
    ck_labels, ck_steps = theirs[0].value
    ours[0].note = (f"{ds.reliability.iterations} EM steps; accuracy vs planted truth "
                    f"{(ds.outcome == truth_of_item).mean():.5f}")
    theirs[0].note = (f"{ck_steps} EM steps; accuracy vs planted truth "
                      f"{(ck_labels == truth_of_item).mean():.5f}")
    ours[1].note = f"accuracy {(mv.labels == truth_of_item).mean():.5f}"
    theirs[1].note = f"accuracy {(theirs[1].value == truth_of_item).mean():.5f}"
    ours[2].note, ours[3].note = f"alpha = {alpha:.12f}", f"kappa = {kappa:.12f}"
    for f in theirs[2:-1]:
        f.note = f"alpha = {f.value:.12f}"
    fleiss.note = f"kappa = {fleiss.value:.12f}"
    library_alpha = theirs[2].value
    lines = [
        _equal("Krippendorff's alpha", alpha, library_alpha, "krippendorff"),
        _equal("Fleiss' kappa", kappa, fleiss.value, "statsmodels"),
        f"Dawid-Skene accuracy against the planted truth: Accord "
        f"{(ds.outcome == truth_of_item).mean():.5f}, crowd-kit "
        f"{(ck_labels == truth_of_item).mean():.5f} (labels differ on "
        f"{int((ds.outcome != ck_labels).sum()):,} of {pairs.n_items:,} pairs)",
    ]
    return HeadToHead(ours, theirs, library_alpha, fleiss.value, lines)


def on_arrays(p: population.Population, repeat: int, skip_dense: bool) -> tuple[dict, dict]:
    """Part 1; returns the report computed on arrays and the figures for the summary."""
    arrays = population.arrays(p)
    project, gold, now = population.project(), population.gold_reference(p), datetime.now(UTC)
    print(f"\n1. Arrays in memory: {len(arrays.annotations.ids):,} annotations, "
          f"{len(arrays.tasks.ids):,} tasks x {population.PER_TASK} of "
          f"{len(arrays.annotators.ids)} annotators, {len(arrays.outcomes.task):,} pairwise "
          "outcomes")
    total = measure("core.report.compute_report (all the report's computations)",
                    lambda: compute_report(arrays, project, now, gold), repeat)
    report = total.value[0]
    show([total])
    print("  where the time goes (one run each):")
    show(report_steps(arrays, project, now, gold))
    print("  inside consensus.compute (accord.quality, one run each):")
    show(engine_steps(arrays))
    versus = head_to_head(arrays, p.better, repeat, skip_dense)
    print("\n  The same statistics from Accord and from the reference libraries, same judgments")
    print("  Accord")
    show(versus.ours)
    print("  reference libraries")
    show(versus.theirs)
    for line in versus.lines:
        print("  " + line)
    shown = (report.agreement.krippendorff_alpha, report.agreement.fleiss_kappa)
    rounded = (round(versus.alpha, 6), round(versus.kappa, 6))
    print(f"  The report's alpha and kappa {shown}: the libraries' rounded to 6 places "
          f"{'(equal)' if shown == rounded else f'are {rounded}: DIFFERENT'}")
    libraries = [f for f in versus.theirs if "value_counts" not in f.name]
    library_seconds = sum(f.seconds for f in libraries)
    print(f"\n  Target: the report's computations in <= {SECONDS_TARGET:.0f} s: "
          f"{total.seconds:.2f} s ({total.cpu_seconds:.2f} s CPU) -> "
          f"{verdict(total.seconds <= SECONDS_TARGET)}")
    print(f"  Target: no slower than the libraries ({library_seconds:.2f} s for "
          f"{', '.join(f.name.split(' (')[0] for f in libraries)}) -> "
          f"{verdict(total.seconds <= library_seconds)}")
    return report.as_json(), {"compute_seconds": total.seconds, "compute_peak_mib": total.peak_mib,
                    "library_seconds": library_seconds}


# ── 2. end to end from SQLite ─────────────────────────────────────────────────────────────


def _schema_head() -> str:
    from accord.db import migrate
    from accord.db.engine import make_engine

    engine = make_engine("sqlite://")
    try:
        return migrate.head_revision(engine) or "none"
    finally:
        engine.dispose()


def database(p: population.Population, seed: int, workdir: Path) -> tuple[Path, float]:
    """The pristine SQLite project for ``p``: reused while the schema head and the draw are
    the same, otherwise built (returns its path and the build time, 0 when reused)."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / (f"quality-{p.n_tasks}-{seed}-v{POPULATION_VERSION}-"
                    f"schema{_schema_head()}.db")
    if db.exists():
        return db, 0.0
    building = db.with_suffix(".building")
    for leftover in (building, building.with_name(building.name + "-wal"),
                     building.with_name(building.name + "-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    population.build_database(p, building)
    building.rename(db)
    return db, time.perf_counter() - started


def _fresh_copy(pristine: Path, workdir: Path) -> Path:
    """A copy of the project for one run: the report stores consensus and moves tasks, so
    every run starts from the same state (the first report on a project)."""
    target = workdir / "report-run.db"
    for path in (target, target.with_name(target.name + "-wal"),
                 target.with_name(target.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.copyfile(pristine, target)
    return target


def run_command(db: Path, out: Path) -> dict:
    """``accord report bench --json`` in a child, measured by the launcher."""
    accord = Path(sys.executable).parent / "accord"
    command = ([str(accord)] if accord.exists()
               else [sys.executable, "-c", "from accord.cli.main import app; app()"])
    env = {**os.environ, "ACCORD_DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run([sys.executable, "-c", LAUNCHER, str(out), *command, "report",
                           "bench", "--json"], env=env, capture_output=True, text=True,
                          check=True)
    usage = json.loads(done.stdout.strip().splitlines()[-1])
    if usage["status"] != 0:
        raise RuntimeError(f"accord report failed: {done.stderr.strip()}")
    return usage


def _peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``: its own, not a forking parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def _seconds_since_start() -> float:
    """Wall seconds since this process started (``/proc``: 10 ms resolution)."""
    ticks = os.sysconf("SC_CLK_TCK")
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
    return float(Path("/proc/uptime").read_text().split()[0]) - started


def steps_in_this_process(db: str) -> None:
    """The child's side of ``--steps``: ``build_report``'s steps one by one, as JSON."""
    from accord.cli.main import app  # noqa: F401  (what the command imports)
    from accord.core.projects import project as projects
    from accord.core.report import gold, store
    from accord.core.report import inputs as quality_inputs
    from accord.db.engine import make_engine
    from accord.db.types import utcnow

    steps = [("interpreter start and imports (NumPy, SciPy, SQLAlchemy…)",
              _seconds_since_start(), time.process_time())]

    def step(name: str, run: Callable[[], Any]) -> Any:
        begun, cpu = time.perf_counter(), time.process_time()
        value = run()
        steps.append((name, time.perf_counter() - begun, time.process_time() - cpu))
        return value

    engine = make_engine(f"sqlite:///{db}")
    transaction = engine.begin()
    conn = transaction.__enter__()
    project = step("find the project", lambda: projects.get_project(conn, "bench"))
    arrays = step("read the project into arrays (quality_inputs.load)",
                  lambda: quality_inputs.load(conn, project))
    reference = step("read gold references (gold.reference)",
                     lambda: gold.reference(conn, arrays, project.id))
    now = utcnow()
    report, agreed = step("compute_report", lambda: compute_report(arrays, project, now,
                                                                   reference))
    step("store consensus (store.store)", lambda: store.store(
        conn, arrays, agreed, project.agreement_threshold, now))
    step("commit", lambda: transaction.__exit__(None, None, None))
    step("JSON text (as_json, orjson)", lambda: __import__("orjson").dumps(report.as_json()))
    engine.dispose()
    print(json.dumps({"steps": steps, "peak_rss_mb": _peak_rss_mb()}))


CLOCK_OR_STORE = ("generated_at", "monitors.staleness", "consensus.stored")


def _numbers_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) \
            or not isinstance(b, int | float):
        return a == b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Where two reports differ, leaving out what depends on the clock or on storing:
    ``generated_at``, the staleness monitor and its alerts, and ``consensus.stored``."""
    if isinstance(expected, dict) and isinstance(got, dict):
        found = []
        for key in sorted(set(expected) | set(got), key=str):
            where = f"{path}.{key}" if path else str(key)
            if where in CLOCK_OR_STORE:
                continue
            if key not in expected or key not in got:
                found.append(f"{where}: only in one")
            else:
                found += differences(expected[key], got[key], where)
        return found
    if isinstance(expected, list) and isinstance(got, list):
        if path == "monitors.alerts":
            expected = [a for a in expected if a.get("monitor") != "staleness"]
            got = [a for a in got if a.get("monitor") != "staleness"]
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} entries against {len(got)}"]
        return [d for i, (x, y) in enumerate(zip(expected, got, strict=True))
                for d in differences(x, y, f"{path}[{i}]")]
    return [] if _numbers_equal(expected, got) else [f"{path}: {expected!r} against {got!r}"]


def end_to_end(p: population.Population, seed: int, workdir: Path, repeat: int,
               expected: dict) -> dict:
    """Part 2: ``accord report`` on a SQLite project holding ``p``."""
    db, built = database(p, seed, workdir)
    size_mb = db.stat().st_size / 2**20
    print(f"\n2. End to end: SQLite project of {size_mb:,.0f} MB at {db}"
          + (f" (built in {built:.1f} s)" if built else " (reused)"))
    runs = []
    out = workdir / "report-run.json"
    for index in range(repeat):
        run = run_command(_fresh_copy(db, workdir), out)
        runs.append(run)
        print(f"  accord report bench --json, run {index + 1}: {run['seconds']:.2f} s "
              f"({run['cpu_seconds']:.2f} s CPU), peak RSS {run['peak_rss_mb']:.0f} MB")
    best = min(runs, key=lambda r: r["seconds"])
    got = json.loads(out.read_text())
    found = differences(expected, got)
    print("  same report as on arrays: " + ("yes (staleness left out: it depends on the clock)"
                                            if not found else f"NO, {len(found)} differences: "
                                            + "; ".join(found[:5])))
    child = subprocess.run([sys.executable, __file__, "--steps", str(_fresh_copy(db, workdir))],
                           capture_output=True, text=True, check=True)
    detail = json.loads(child.stdout.strip().splitlines()[-1])
    print("  where the time goes (build_report's steps in one child process):")
    print(f"  {'':58s} {'seconds':>8s} {'CPU s':>7s}")
    for name, seconds, cpu in detail["steps"]:
        print(f"  {name:58s} {seconds:8.3f} {cpu:7.3f}")
    print(f"  {'peak RSS of that child':58s} {detail['peak_rss_mb']:8.0f} MB")
    peak = max(r["peak_rss_mb"] for r in runs)
    print(f"\n  Target: accord report end to end in <= {END_TO_END_TARGET:.0f} s: best "
          f"{best['seconds']:.2f} s ({best['cpu_seconds']:.2f} s CPU) -> "
          f"{verdict(best['seconds'] <= END_TO_END_TARGET)}")
    print(f"  Target: memory < {MEMORY_TARGET_MB:.0f} MB: peak RSS {peak:.0f} MB -> "
          f"{verdict(peak < MEMORY_TARGET_MB)}")
    for path in workdir.glob("report-run.db*"):
        path.unlink()
    return {"seconds": best["seconds"], "peak_rss_mb": peak}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000,
                        help="comparison tasks, 5 annotations each (default 200,000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best counts)")
    parser.add_argument("--skip-dense", action="store_true",
                        help="leave out krippendorff.alpha on the dense matrix (about 1 GB)")
    parser.add_argument("--skip-database", action="store_true", help="arrays only")
    parser.add_argument("--workdir", type=Path, default=BENCH / "out" / "quality",
                        help="where the SQLite project is kept between runs")
    parser.add_argument("--steps", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.steps:
        steps_in_this_process(args.steps)
        return
    started = time.perf_counter()
    p = population.planted(args.tasks, args.seed)
    print(f"Planted population: {len(p.task):,} annotations drawn in "
          f"{time.perf_counter() - started:.1f} s")
    report, arrays = on_arrays(p, args.repeat, args.skip_dense)
    summary = (f"\nSummary: the report's computations on arrays {arrays['compute_seconds']:.2f} s "
               f"(target {SECONDS_TARGET:.0f} s; the libraries {arrays['library_seconds']:.2f} s)")
    if not args.skip_database:
        run = end_to_end(p, args.seed, args.workdir, args.repeat, report)
        summary += (f"; accord report end to end {run['seconds']:.2f} s (target "
                    f"{END_TO_END_TARGET:.0f} s), peak RSS {run['peak_rss_mb']:.0f} MB "
                    f"(target < {MEMORY_TARGET_MB:.0f} MB)")
    print(summary)


if __name__ == "__main__":
    main(sys.argv[1:])
