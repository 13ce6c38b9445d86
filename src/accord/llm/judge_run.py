"""``accord judge``'s engine: every comparison the judge has not judged, judged and stored.

A task of two responses is one pair; a task of K is judged pair by pair and aggregated
into a ranking (``llm.judge_ranking``).

Resumable by construction: the work list is the project's comparison tasks on which the
judge has no assignment, and each verdict is committed in a transaction of its own as soon
as it arrives, so a run that stops (Ctrl-C, a crash, a failing server) loses at most the
calls in flight, and the next run judges only what is left. Calls run on ``concurrency``
threads (``llm.pool``); this thread alone writes. A pair that fails is reported and left for
the next run; its calls still reach the ledger (``model_calls``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from accord.core.judging import ai_judges
from accord.core.judging.ai_judges import ComparisonTask
from accord.core.judging.model_calls import ModelCall, record_calls
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project
from accord.db.types import utcnow
from accord.llm.judge import JudgedPair, JudgeFailure, PairJudge
from accord.llm.judge_ranking import RankingJudge
from accord.llm.pool import JobsDone, check_concurrency, run_bounded

MAX_REPORTED_FAILURES = 100


@dataclass
class JudgeRun:
    """What a run did; ``failures`` lists (task, reason) for the first failures."""

    project: str
    judge: str
    model: str
    pending: int = 0
    judged: int = 0
    wins: int = 0
    ties: int = 0
    inconsistent: int = 0
    already_judged: int = 0
    failed: int = 0
    failures: list[dict] = field(default_factory=list)
    ranked: int = 0
    """Of ``judged``, tasks of more than two responses (judged pair by pair)."""
    passed_over: list[str] = field(default_factory=list)
    """Comparison tasks of fewer than two responses: nothing to compare."""

    def as_dict(self) -> dict:
        return {"project": self.project, "judge": self.judge, "model": self.model,
                "pending": self.pending, "judged": self.judged, "wins": self.wins,
                "ties": self.ties, "inconsistent": self.inconsistent,
                "already_judged": self.already_judged, "failed": self.failed,
                "failures": self.failures, "ranked": self.ranked,
                "passed_over": len(self.passed_over)}

    def summary(self) -> str:
        text = (f"judge {self.judge} ({self.model}) on {self.project}: {self.judged} judged "
                f"({self.wins} wins, {self.ties} ties, {self.inconsistent} inconsistent "
                f"across orders), {self.failed} failed")
        if self.ranked:
            text += f"; {self.ranked} of more than two responses ranked pair by pair"
        if self.passed_over:
            count = len(self.passed_over)
            text += (f", {count} task{'s' if count > 1 else ''} of fewer than two responses "
                     "passed over")
        return text


def start(engine: Engine, project_name: str, judge_name: str, settings: dict
          ) -> tuple[Project, User, int]:
    """The project, its judge (created or checked against ``settings``) and how many
    comparison tasks it has left to judge."""
    with engine.begin() as conn:
        project = get_project(conn, project_name)
        judge = ai_judges.ensure_judge(conn, project, judge_name, settings)
        return project, judge, ai_judges.count_pending(conn, project.id, judge.id)


def run_judge(engine: Engine, project_name: str, judge_name: str, pair_judge: PairJudge, *,
              concurrency: int = 4, limit: int | None = None, progress: JobsDone | None = None,
              clock: Callable[[], datetime] = utcnow) -> JudgeRun:
    """Judge the project's unjudged comparisons (at most ``limit``) and store each verdict;
    tasks of more than two responses are judged on every pair by ``pair_judge``."""
    check_concurrency(concurrency)  # before anything is written
    model = pair_judge.model_name
    project, judge, pending = start(
        engine, project_name, judge_name,
        pair_judge.setup.ai_settings(model, model_id=pair_judge.backend.model))
    run = JudgeRun(project.name, judge.name, model, pending=pending)
    total = pending if limit is None else min(pending, limit)
    jobs = ai_judges.walk_pending(engine.begin, project.id, judge.id, run.passed_over,
                                  limit=limit)
    judge_task = RankingJudge(pair_judge).judge
    for done, outcome in enumerate(run_bounded(jobs, judge_task, concurrency), 1):
        if outcome.error is None:
            _store(engine, project, judge, outcome.job, outcome.result, run, clock())
        else:
            _fail(engine, project, outcome.job, outcome.error, run)
        if progress is not None:
            progress(done, max(total - len(run.passed_over), done))
    return run


def _store(engine: Engine, project: Project, judge: User, task: ComparisonTask, judged: JudgedPair,
           run: JudgeRun, now: datetime) -> None:
    try:
        with engine.begin() as conn:
            stored = ai_judges.record_verdict(conn, project, judge, task, judged.verdict, now)
            record_calls(conn, project.id, _for_task(judged.calls, task))
    except IntegrityError:
        stored = None  # another run of the same judge stored this task a moment ago
    if stored is None:
        run.already_judged += 1
        return
    run.judged += 1
    run.ranked += len(task.responses) > 2
    if len(judged.verdict.ranking) == 1:
        run.ties += 1
    else:
        run.wins += 1
    run.inconsistent += not judged.consistent


def _fail(engine: Engine, project: Project, task: ComparisonTask, error: Exception,
          run: JudgeRun) -> None:
    run.failed += 1
    if len(run.failures) < MAX_REPORTED_FAILURES:
        run.failures.append({"task": task.external_id, "error": str(error)})
    if isinstance(error, JudgeFailure) and error.calls:
        with engine.begin() as conn:
            record_calls(conn, project.id, _for_task(error.calls, task))


def _for_task(calls: Sequence[ModelCall], task: ComparisonTask) -> list[ModelCall]:
    """The calls, each naming the task it judged (its cost then counts to its category)."""
    return [replace(call, task_id=task.id) for call in calls]
