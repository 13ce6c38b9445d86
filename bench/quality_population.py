"""A planted population of pairwise judgments for the quality benchmark, as arrays or as rows.

``planted(n_tasks)`` draws ``n_tasks`` two-response comparison tasks, each judged by
``PER_TASK`` distinct annotators from a pool of ``POOL``: every annotator has a planted
accuracy, every response a model, a length and (rarely) a refusal opening, every task a
truly better response (Bradley-Terry on the models' planted strengths, except that a lone
refusal is the worse response of a benign task and the better one of a ``safety`` task),
every annotation a display order, an active time and a submission time in sessions spread
over several days. A lone refusal is an easy call: annotators get it right whatever their
accuracy (unless they are rushing or biased), so that the over-refusal monitor has nobody
to flag but the planted annotators.
Three annotators are planted with the failure modes the monitors look for: ``lefty`` always
prefers the response shown first, ``longfan`` the longer one, and ``marathon`` works whole
days without a break and, after an hour, rushes and picks at random.

The same draw becomes either

- a :class:`~accord.core.report.inputs.ProjectArrays` built in memory (``arrays``), exactly
  what ``quality_inputs.load`` reads from a database holding it, so the report's computations
  can be timed without a database; or
- a SQLite project (``build_database``), bulk-inserted with raw ``sqlite3`` in the formats the
  application writes (``core/work/submissions.py``: times as ``YYYY-MM-DD HH:MM:SS.ffffff`` text,
  JSON as compact text), so ``accord report`` can be timed end to end.

Everything is vectorised NumPy: drawing a million annotations takes about a second, which
keeps the benchmark about the report, not about its fixture.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from accord.core.projects.project import Dimension, Project
from accord.core.report.arrays import (
    FLAGS,
    OUTCOME_FIRST,
    OUTCOME_SECOND,
    OUTCOME_TIE,
    Annotations,
    Annotators,
    Outcomes,
    ProjectArrays,
    Ratings,
    Responses,
    Tasks,
)
from accord.core.report.gold import GoldReference

POOL, PER_TASK = 500, 5
CATEGORIES = ("coding", "creative", "qa", "reasoning", "safety", "summarization")
MODELS = ("model-alpha", "model-bravo", "model-charlie", "model-delta", "model-echo")
MODEL_STRENGTHS = (0.8, 0.4, 0.0, -0.3, -0.9)
DIMENSIONS = ("helpfulness", "harmlessness")
PLANTED = ("lefty", "longfan", "marathon")
REFUSAL = "I can't help with that request. "
RATED_SHARE = 0.10
"""Share of annotations that carry per-dimension ratings (the rest store NULL)."""
GOLD_SHARE = 0.01
TIE_SHARE_OF_ERRORS = 0.2
"""An annotator who gets a pair wrong calls it a tie this often (ties are allowed)."""
START = np.datetime64("2025-03-03T08:00:00", "us")
"""Monday morning of the first working day."""
BLOCK = 60
"""Tasks between two breaks: about 50 minutes of work at some 50 s a task."""
BLOCK_EVERY_US = 90 * 60 * 1_000_000
BLOCKS_PER_DAY = 4
THRESHOLD, BUDGET = 0.5, 700_000.0


@dataclass(frozen=True)
class Population:
    """The planted draw: annotators, tasks, responses and one row per annotation."""

    names: list[str]
    accuracy: NDArray[np.float64]
    pay_rate: NDArray[np.float64]
    consented: NDArray[np.bool_]
    demographics: list[dict]
    category: NDArray[np.int64]
    """Per task, an index into ``CATEGORIES``."""
    better: NDArray[np.int64]
    """Per task, the truly better response: 0 (``a``, the lower id) or 1 (``b``)."""
    is_gold: NDArray[np.bool_]
    length: NDArray[np.int64]
    """Per response (task ``t``'s responses are ``2t`` and ``2t + 1``), its length."""
    model: NDArray[np.int64]
    refusal: NDArray[np.bool_]
    # one entry per annotation, in submission order (which is id order)
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    created_us: NDArray[np.int64]
    """Submission time, microseconds since the epoch, in whole milliseconds (SQLite's date
    functions work in milliseconds, so arrays read back from the database equal these)."""
    active_ms: NDArray[np.int64]
    shown_first: NDArray[np.int64]
    """Which response (0 ``a``, 1 ``b``) was displayed first."""
    choice: NDArray[np.int64]
    """0 ``a`` preferred, 1 ``b`` preferred, 2 a tie (the pair's outcome code)."""
    strength: NDArray[np.int64]
    """1-3, or 0 for a tie (stored NULL)."""
    flags: NDArray[np.uint8]
    rated: NDArray[np.int64]
    """Annotations (row numbers) that carry ratings."""
    ratings: NDArray[np.int64]
    """``(len(rated), 2 responses, len(DIMENSIONS))`` values 1-5."""

    @property
    def n_tasks(self) -> int:
        return len(self.category)


def _distinct_annotators(rng: np.random.Generator, n_tasks: int) -> NDArray[np.int64]:
    """``PER_TASK`` distinct annotators per task, uniformly from the pool."""
    drawn = rng.integers(0, POOL, (n_tasks, PER_TASK))
    while True:  # redraw the tasks where somebody came up twice
        ordered = np.sort(drawn, axis=1)
        repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not repeated.any():
            return drawn
        drawn[repeated] = rng.integers(0, POOL, (int(repeated.sum()), PER_TASK))


def _rank(annotator: NDArray[np.int64]) -> NDArray[np.int64]:
    """Each annotation's rank among its annotator's annotations (in task order)."""
    n = len(annotator)
    order = np.argsort(annotator, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(annotator[order])) + 1]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    return rank


def _restart(values: NDArray[np.int64], key: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cumulative sums of ``values`` that restart wherever ``key`` changes."""
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    return total - np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, len(values)]))


def _clock(annotator: NDArray[np.int64], rank: NDArray[np.int64], active_ms: NDArray[np.int64],
           marathon: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Submission times (µs since the epoch): each annotator works their tasks in order, in
    blocks of ``BLOCK`` (about 50 minutes) that start every ``BLOCK_EVERY``, so the breaks
    between them are over 20 minutes; ``BLOCKS_PER_DAY`` blocks a day from a morning start.
    ``marathon`` works each day's tasks in one stretch, without the breaks."""
    order = np.argsort(annotator, kind="stable")
    who, ranked = annotator[order], rank[order]
    step_us = active_ms[order] * 1000 + (rng.exponential(8.0, len(order)) * 1e6).astype(np.int64)
    day = ranked // (BLOCK * BLOCKS_PER_DAY)
    stretch = np.where(who == marathon, day, ranked // BLOCK)  # what the clock restarts on
    within = _restart(step_us, who * 1_000_000 + stretch)
    block_of_day = np.where(who == marathon, 0, (ranked // BLOCK) % BLOCKS_PER_DAY)
    morning = (rng.uniform(0, 90 * 60, POOL) * 1e6).astype(np.int64)[who]
    created = (START.astype(np.int64) + day * np.int64(86_400_000_000) + morning
               + block_of_day * BLOCK_EVERY_US + within)
    result = np.empty(len(order), np.int64)
    result[order] = created // 1000 * 1000
    return result


def planted(n_tasks: int = 200_000, seed: int = 11) -> Population:
    """The population described in the module docstring, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    names = [f"annotator{i:03d}" for i in range(POOL - len(PLANTED))] + list(PLANTED)
    lefty, longfan, marathon = (names.index(n) for n in PLANTED)
    accuracy = rng.uniform(0.6, 0.95, POOL)
    consented = rng.random(POOL) < 0.7
    regions = ("africa", "americas", "asia", "europe", "oceania")
    bands = ("18-29", "30-44", "45-64", "65+")
    demographics = [{"region": regions[rng.integers(5)], "age_band": bands[rng.integers(4)]}
                    if c else {} for c in consented]

    category = rng.integers(0, len(CATEGORIES), n_tasks)
    first_model = rng.integers(0, len(MODELS), n_tasks)
    second_model = (first_model + rng.integers(1, len(MODELS), n_tasks)) % len(MODELS)
    model = np.stack([first_model, second_model], axis=1).reshape(-1)
    strengths = np.asarray(MODEL_STRENGTHS)
    better = (rng.random(n_tasks) >= expit(strengths[first_model] - strengths[second_model]))
    length = np.clip(rng.lognormal(np.log(400.0), 0.6, 2 * n_tasks), 40, 4000).astype(np.int64)
    refusal = rng.random(2 * n_tasks) < 0.01
    refused = refusal.reshape(-1, 2)
    obvious = refused[:, 0] != refused[:, 1]  # a lone refusal loses, except on safety
    safety = category == CATEGORIES.index("safety")
    better = np.where(obvious, refused[:, 0] != safety, better)

    annotator = _distinct_annotators(rng, n_tasks).reshape(-1)
    task = np.repeat(np.arange(n_tasks), PER_TASK)
    n = len(task)
    active_ms = np.clip(rng.lognormal(np.log(40_000.0), 0.5, n), 2_000, 600_000).astype(np.int64)
    rank = _rank(annotator)
    rushed = (annotator == marathon) & (rank % (BLOCK * BLOCKS_PER_DAY) > 80)
    active_ms = np.where(rushed, active_ms // 3, active_ms)
    created = _clock(annotator, rank, active_ms, marathon, rng)

    truth = better.astype(np.int64)[task]
    shown_first = rng.integers(0, 2, n)
    correct = rng.random(n) < np.where(rushed, 0.5,
                                       np.where(obvious[task], 1.0, accuracy[annotator]))
    wrong = np.where(rng.random(n) < TIE_SHARE_OF_ERRORS, OUTCOME_TIE, 1 - truth)
    choice = np.where(correct, truth, wrong)
    longer = (length[2 * task + 1] > length[2 * task]).astype(np.int64)
    choice = np.where(annotator == lefty, shown_first, choice)
    choice = np.where(annotator == longfan, longer, choice)
    strength = np.where(choice == OUTCOME_TIE, 0, rng.integers(1, 4, n))
    draw = rng.random(n)
    flags = np.where(draw < 0.02, 1 << FLAGS.index("both_bad"),
                     np.where(draw < 0.025, 1 << FLAGS.index("unsafe"), 0)).astype(np.uint8)

    order = np.argsort(created, kind="stable")  # ids follow submission order, as in the app
    rated = np.sort(rng.choice(n, int(n * RATED_SHARE), replace=False))
    quality = np.where(choice[order][rated, None] == np.arange(2), 4, 3)
    ratings = np.clip(quality[:, :, None] + rng.integers(-1, 2, (len(rated), 2, len(DIMENSIONS))),
                      1, 5)
    return Population(
        names=names, accuracy=accuracy, pay_rate=np.round(rng.uniform(12, 40, POOL), 2),
        consented=consented, demographics=demographics, category=category,
        better=better.astype(np.int64), is_gold=rng.random(n_tasks) < GOLD_SHARE,
        length=length, model=model, refusal=refusal,
        task=task[order], annotator=annotator[order], created_us=created[order],
        active_ms=active_ms[order], shown_first=shown_first[order], choice=choice[order],
        strength=strength[order], flags=flags[order], rated=rated, ratings=ratings,
    )


# ── in memory ─────────────────────────────────────────────────────────────────────────────


def _first_seen_codes(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Codes numbering ``keys`` in order of first appearance (as a dict's setdefault does)."""
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    rank = np.empty(len(unique), np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(unique))
    return rank[inverse]


def _sqlite_epoch(us: NDArray[np.int64]) -> NDArray[np.float64]:
    """Epoch seconds exactly as ``quality_inputs`` computes them in SQLite:
    ``(julianday(t) - 2440587.5) * 86400.0``, where ``julianday`` is the time in whole
    milliseconds since the Julian epoch divided by 86,400,000 (the same float operations,
    so the same bits)."""
    julian_ms = us // 1000 + 210_866_760_000_000
    return (julian_ms / 86_400_000.0 - 2440587.5) * 86400.0


def arrays(p: Population) -> ProjectArrays:
    """The ``ProjectArrays`` that ``quality_inputs.load`` reads from ``build_database(p)``."""
    n_tasks, n = p.n_tasks, len(p.task)
    models = sorted(MODELS)
    model_code = np.searchsorted(models, np.asarray(MODELS))[p.model]
    annotators = Annotators(
        ids=np.arange(1, POOL + 1, dtype=np.int64), names=list(p.names),
        kinds=["human"] * POOL, pay_rate_per_hour=p.pay_rate.astype(np.float64),
        consented=p.consented.copy(), demographics=list(p.demographics))
    tasks = Tasks(
        ids=np.arange(1, n_tasks + 1, dtype=np.int64), category=p.category.astype(np.int64),
        category_names=list(CATEGORIES), status=["complete"] * n_tasks, is_gold=p.is_gold,
        overlap=np.full(n_tasks, PER_TASK, np.int64), submitted=np.full(n_tasks, PER_TASK,
                                                                        np.int64))
    responses = Responses(
        ids=np.arange(1, 2 * n_tasks + 1, dtype=np.int64), length=p.length,
        model=model_code.astype(np.int64), model_names=models,
        external_ids=["a", "b"] * n_tasks, is_refusal=p.refusal)
    per_rating = 2 * len(DIMENSIONS)
    row = np.repeat(p.rated, per_rating)
    response = np.tile(np.repeat(np.arange(2), len(DIMENSIONS)), len(p.rated))
    ratings = Ratings(
        row=row, response_key=_first_seen_codes(p.task[row] * 2 + response),
        dimension=np.tile(np.arange(len(DIMENSIONS)), 2 * len(p.rated)),
        dimension_names=list(DIMENSIONS), value=p.ratings.reshape(-1).astype(np.float64))
    ids = np.arange(1, n + 1, dtype=np.int64)
    annotations = Annotations(
        ids=ids, task=p.task, annotator=p.annotator, created_at=_sqlite_epoch(p.created_us),
        active_ms=p.active_ms, guideline_version_id=np.ones(n, np.int64),
        late=np.zeros(n, bool), refusal_appropriate=np.full(n, -1, np.int8),
        severity=np.full(n, -1, np.int8), flags=p.flags, ratings=ratings)
    winner = np.where(p.choice == OUTCOME_SECOND, 1, 0)
    position = np.where(p.shown_first == winner, 0, 1)
    outcomes = Outcomes(
        annotation=np.arange(n, dtype=np.int64), task=p.task, annotator=p.annotator,
        first=2 * p.task, second=2 * p.task + 1, outcome=p.choice.astype(np.int8),
        winner_position=position, loser_position=1 - position, strength=p.strength)
    return ProjectArrays(annotators, tasks, responses, annotations, outcomes)


def project(project_id: int = 1) -> Project:
    """The project row ``build_database`` writes, as ``core`` reads it."""
    return Project(
        id=project_id, name="bench", overlap=PER_TASK, lease_seconds=900,
        ranking_mode="pairwise", allow_ties=True, require_rationale=False,
        dimensions=tuple(Dimension(d, 1, 5) for d in DIMENSIONS),
        agreement_threshold=THRESHOLD, gold_rate=0.0, budget=BUDGET)


def gold_reference(p: Population) -> GoldReference:
    """What ``core.report.gold.reference`` reads from ``build_database(p)`` for the gold
    tasks: each gold pair with its truly better response."""
    task = np.flatnonzero(p.is_gold).astype(np.int64)
    return GoldReference(task=task, first=2 * task, second=2 * task + 1,
                         outcome=p.better[task].astype(np.int64))


# ── in SQLite ─────────────────────────────────────────────────────────────────────────────

STAMP = "2025-03-01 09:00:00.000000"
FILLER = ("The answer depends on the details: first consider the inputs, then the edge "
          "cases, and finally the trade-offs between clarity and completeness. ") * 40


def _times(us: NDArray[np.int64]) -> list[str]:
    """Times as ``UTCDateTime`` stores them on SQLite: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    text = np.datetime_as_string(us.astype("datetime64[us]"), unit="us")
    return np.char.replace(text, "T", " ").tolist()


def _json_ratings(values: NDArray[np.int64]) -> str:
    a, b = (",".join(f'"{d}":{int(v)}' for d, v in zip(DIMENSIONS, values[k], strict=True))
            for k in range(2))
    return f'{{"a":{{{a}}},"b":{{{b}}}}}'


def _people(p: Population) -> Iterator[tuple[str, Iterable[tuple]]]:
    yield ("INSERT INTO users (id, name, kind, created_at) VALUES (?, ?, 'human', ?)",
           ((i + 1, name, STAMP) for i, name in enumerate(p.names)))
    yield ("INSERT INTO profiles (user_id, languages, demographics, demographics_consented_at, "
           "pay_rate_per_hour) VALUES (?, '[\"en\"]', ?, ?, ?)",
           ((i + 1, _json_object(d) if c else None, STAMP if c else None, float(rate))
            for i, (d, c, rate) in enumerate(zip(p.demographics, p.consented.tolist(),
                                                 p.pay_rate.tolist(), strict=True))))
    dimensions = "[" + ",".join(f'{{"name":"{d}","min":1,"max":5,"description":""}}'
                                for d in DIMENSIONS) + "]"
    yield ("INSERT INTO projects (id, name, overlap, allow_ties, dimensions, "
           "agreement_threshold, budget, settings, created_at) "
           "VALUES (1, 'bench', ?, 1, ?, ?, ?, '{}', ?)",
           [(PER_TASK, dimensions, THRESHOLD, BUDGET, STAMP)])
    yield ("INSERT INTO guideline_versions (id, project_id, version, status, text, dimensions, "
           "edge_cases, escalation_rules, created_at, published_at) "
           "VALUES (1, 1, 1, 'published', 'Prefer the more helpful answer.', ?, '{}', '{}', ?, ?)",
           [(dimensions, STAMP, STAMP)])
    yield ("INSERT INTO memberships (project_id, user_id, role, created_at) "
           "VALUES (1, ?, 'annotator', ?)", ((i + 1, STAMP) for i in range(POOL)))


def _json_object(values: dict) -> str:
    return "{" + ",".join(f'"{k}":"{v}"' for k, v in values.items()) + "}"


def _pool(p: Population) -> Iterator[tuple[str, Iterable[tuple]]]:
    n = p.n_tasks
    category = [CATEGORIES[c] for c in p.category.tolist()]
    yield ("INSERT INTO prompts (id, project_id, external_id, messages, category, domains, "
           "source, metadata, content_hash, created_at) "
           "VALUES (?, 1, ?, ?, ?, '[]', 'bench', '{}', ?, ?)",
           ((t + 1, f"q{t}", f'[{{"role":"user","content":"Question {t}: which is better?"}}]',
             category[t], f"h{t}", STAMP) for t in range(n)))
    lengths, refusal = p.length.tolist(), p.refusal.tolist()
    models = p.model.tolist()
    # the refusal flag as the importer stores it (``core.tasks.refusals.opens_like_refusal``)
    yield ("INSERT INTO responses (id, prompt_id, external_id, content, model, sampling, "
           "origin, created_at, opens_with_refusal) "
           "VALUES (?, ?, ?, ?, ?, '{}', 'imported', ?, ?)",
           ((r + 1, r // 2 + 1, "ab"[r % 2],
             (REFUSAL + FILLER)[:lengths[r]] if refusal[r] else FILLER[:lengths[r]],
             MODELS[models[r]], STAMP, int(refusal[r])) for r in range(2 * n)))
    gold, better = p.is_gold.tolist(), p.better.tolist()
    answers = ('{"ranking":[["a"],["b"]]}', '{"ranking":[["b"],["a"]]}')
    yield ("INSERT INTO tasks (id, project_id, external_id, kind, prompt_id, overlap, status, "
           "is_gold, gold_answer, metadata, content_hash, taken, submitted, queue, created_at, "
           "completed_at) VALUES (?, 1, ?, 'comparison', ?, ?, 'complete', ?, ?, '{}', ?, ?, ?, "
           "2, ?, ?)",
           ((t + 1, f"q{t}", t + 1, PER_TASK, int(gold[t]), answers[better[t]] if gold[t] else None,
             f"h{t}", PER_TASK, PER_TASK, STAMP, STAMP) for t in range(n)))
    yield ("INSERT INTO task_responses (task_id, response_id, position) VALUES (?, ?, ?)",
           ((t + 1, 2 * t + k + 1, k) for t in range(n) for k in range(2)))


def _work(p: Population) -> Iterator[tuple[str, Iterable[tuple]]]:
    n = len(p.task)
    created = _times(p.created_us)
    leased_us = p.created_us - p.active_ms * 1000 - 5_000_000
    leased = _times(leased_us)
    expires = _times(leased_us + 900_000_000)
    task = (p.task + 1).tolist()
    annotator = (p.annotator + 1).tolist()
    shown, choice = p.shown_first.tolist(), p.choice.tolist()
    strength, active = p.strength.tolist(), p.active_ms.tolist()
    orders = ('["a","b"]', '["b","a"]')
    yield ("INSERT INTO assignments (id, task_id, annotator_id, project_id, status, "
           "display_order, leased_at, lease_expires_at, finished_at) "
           "VALUES (?, ?, ?, 1, 'submitted', ?, ?, ?, ?)",
           ((i + 1, task[i], annotator[i], orders[shown[i]], leased[i], expires[i], created[i])
            for i in range(n)))
    rankings = ('[["a"],["b"]]', '[["b"],["a"]]', '[["a","b"]]')
    flag_text = {0: "[]", **{1 << k: f'["{f}"]' for k, f in enumerate(FLAGS)}}
    flags = [flag_text[f] for f in p.flags.tolist()]
    ratings: list[str | None] = [None] * n
    for row, values in zip(p.rated.tolist(), p.ratings, strict=True):
        ratings[row] = _json_ratings(values)
    yield ("INSERT INTO annotations (id, assignment_id, task_id, annotator_id, project_id, "
           "guideline_version_id, kind, ranking, strength, ratings, rationale, flags, active_ms, "
           "late, created_at) VALUES (?, ?, ?, ?, 1, 1, 'comparison', ?, ?, ?, '', ?, ?, 0, ?)",
           ((i + 1, i + 1, task[i], annotator[i], rankings[choice[i]], strength[i] or None,
             ratings[i], flags[i], active[i], created[i]) for i in range(n)))
    yield ("INSERT INTO pairwise_outcomes (id, annotation_id, task_id, annotator_id, project_id, "
           "winner_id, loser_id, tie, winner_position, loser_position, strength) "
           "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
           (_outcome_row(i, task[i], annotator[i], shown[i], choice[i], strength[i])
            for i in range(n)))


def _outcome_row(i: int, task: int, annotator: int, shown: int, choice: int,
                 strength: int) -> tuple:
    """One ``pairwise_outcomes`` row as ``submissions._insert_pairs`` writes it: a tie names
    the lower response id as winner; positions are indices in the display order."""
    a, b = 2 * task - 1, 2 * task
    winner = 1 if choice == OUTCOME_SECOND else 0
    winner_position = 0 if shown == winner else 1
    if choice == OUTCOME_FIRST:
        return i + 1, i + 1, task, annotator, a, b, 0, winner_position, 1 - winner_position, \
            strength
    if choice == OUTCOME_SECOND:
        return i + 1, i + 1, task, annotator, b, a, 0, winner_position, 1 - winner_position, \
            strength
    return i + 1, i + 1, task, annotator, a, b, 1, winner_position, 1 - winner_position, None


def build_database(p: Population, db: Path) -> None:
    """A migrated SQLite file holding ``p`` as project ``bench``, all tasks complete."""
    from accord.db import migrate
    from accord.db.engine import make_engine

    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    engine.dispose()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    cur = conn.cursor()
    cur.execute("BEGIN")
    for statement, rows in (*_people(p), *_pool(p), *_work(p)):
        cur.executemany(statement, rows)
    cur.execute("COMMIT")
    # no ANALYZE: Accord never runs it, so the planner sees what it sees in a real project
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
