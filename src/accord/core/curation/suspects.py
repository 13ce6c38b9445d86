"""``accord suspects``: rank a project's settled labels by how likely they are wrong.

Reads the settled pairs (:mod:`accord.core.curation.settled`), asks a signal for each pair's
probability (:mod:`accord.core.curation.signals`), runs confident learning weighted by the
consensus' own confidence (:func:`accord.quality.suspects.suspect_pairs`) and stores the top
``K`` issues as one run in ``suspect_labels``: the previous run's open suspects are
superseded, so the review queue and ``--exclude-suspect`` exports follow the latest run. One
audit event (``suspects.found``) records the run: its signal, the thresholds, the confident
joint and how many pairs each step kept.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import Connection, insert, update

from accord.core.admin.authority import Actor, managed_project, record
from accord.core.curation.settled import SettledPair, settled_pairs
from accord.core.curation.signals import Signal
from accord.core.errors import InvalidInput
from accord.db.tables import suspect_labels
from accord.quality.suspects import SuspectPairs, suspect_pairs

DEFAULT_TOP = 100
MAX_TOP = 100_000


@dataclass(frozen=True)
class Suspect:
    rank: int
    task_id: str
    chosen: str
    rejected: str
    signal_probability: float
    """The signal's probability that ``chosen`` (the consensus' winner) is better."""
    consensus_confidence: float | None
    score: float
    """The probability that the consensus label is wrong (see ``quality.suspects``)."""


@dataclass(frozen=True)
class SuspectRun:
    run_id: str
    project: str
    signal: str
    settled_pairs: int
    signalled_pairs: int
    """Settled pairs the signal had an opinion on."""
    issues: int
    """Pairs confident learning flags, before ``top``."""
    thresholds: list[float]
    """Per class (consensus prefers the first response, the second): the signal's mean
    self-confidence."""
    confident_joint: list[list[int]]
    superseded: int
    suspects: list[Suspect] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _suspects(pairs: list[SettledPair], p_first: np.ndarray, top: int
              ) -> tuple[list[Suspect], SuspectPairs]:
    confidence = np.array([np.nan if p.confidence is None else p.confidence for p in pairs])
    found = suspect_pairs([p.first_wins for p in pairs], p_first, confidence)
    chosen_probability = np.where([p.first_wins for p in pairs], p_first, 1 - p_first)
    suspects = [
        Suspect(rank=rank, task_id=pairs[i].pair.task_id, chosen=pairs[i].chosen,
                rejected=pairs[i].rejected, signal_probability=float(chosen_probability[i]),
                consensus_confidence=pairs[i].confidence, score=float(found.wrong[i]))
        for rank, i in enumerate(found.ranked[:top].tolist(), start=1)]
    return suspects, found


def find_suspects(conn: Connection, actor: Actor, project_name: str, signal: Signal,
                  top: int = DEFAULT_TOP, *, now: datetime) -> SuspectRun:
    """Compute, store and audit one run of suspect labels (managers; the CLI as owner)."""
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput(f"--top must lie between 1 and {MAX_TOP:,}, not {top}")
    project = managed_project(conn, actor, project_name, "finding suspect labels")
    pairs = settled_pairs(conn, project)
    p_all = signal.first_probability(conn, project, [p.pair for p in pairs])
    known = np.flatnonzero(np.isfinite(p_all))
    kept = [pairs[i] for i in known.tolist()]
    suspects: list[Suspect] = []
    found: SuspectPairs | None = None
    if kept:
        suspects, found = _suspects(kept, p_all[known], top)
    run_id = uuid.uuid4().hex[:16]
    superseded = conn.execute(
        update(suspect_labels)
        .where(suspect_labels.c.project_id == project.id, suspect_labels.c.status == "open")
        .values(status="superseded", closed_at=now)).rowcount
    by_task = {p.pair.task_id: p.pair.task_db_id for p in kept}
    if suspects:
        conn.execute(insert(suspect_labels), [
            {"run_id": run_id, "project_id": project.id, "task_id": by_task[s.task_id],
             "chosen": s.chosen, "rejected": s.rejected, "signal": signal.name,
             "signal_probability": s.signal_probability,
             "consensus_confidence": s.consensus_confidence, "score": s.score,
             "rank": s.rank, "status": "open", "created_at": now}
            for s in suspects])
    issues = None if found is None else found.issues
    run = SuspectRun(
        run_id=run_id, project=project.name, signal=signal.name, settled_pairs=len(pairs),
        signalled_pairs=len(kept), issues=0 if issues is None else len(issues.ranked),
        thresholds=[] if issues is None else [float(t) for t in issues.thresholds],
        confident_joint=[] if issues is None else issues.confident_joint.tolist(),
        superseded=superseded, suspects=suspects)
    record(conn, actor, "suspects.found", f"run {run_id}", now, project=project,
           run_id=run_id, signal=signal.name, settled_pairs=run.settled_pairs,
           signalled_pairs=run.signalled_pairs, issues=run.issues, stored=len(suspects),
           superseded=superseded, thresholds=run.thresholds,
           confident_joint=run.confident_joint)
    return run
