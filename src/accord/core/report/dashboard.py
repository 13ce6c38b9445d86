"""What a project's dashboard shows: progress, agreement over time, annotators, alerts, models.

It is the quality report drawn as charts, so it is open to exactly those who may read the
report over the API (``GET …/report``): the project's reviewers and managers, and
administrators. A reviewer deciding split tasks needs the agreement figures as much as the
lead does, and one rule for both views keeps the page and the API from disagreeing.

The annotator table, the alerts and the model ratings come from the quality report
(the stored report of ``report.cache``, built with ``store_consensus=False``: looking at the
dashboard must never move a task). Progress by category and agreement by day are two small
queries of their own.

Agreement by day is the pairwise percent agreement of the tasks completed that day: for
every (task, response pair) the annotators' verdicts (first wins, second wins, tie) are
counted, and the day's agreement is the share of agreeing annotator pairs among all
annotator pairs, computed with numpy over the whole outcome table at once. Like the report's
figures (``report.scope``), it counts people, not AI judges: a judge's verdicts on the tasks
people finished would otherwise read as people disagreeing with each other (the judges
section's audit measures the judge against people instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Connection, func, select

from accord.core.errors import Forbidden
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.categories import shown_labels
from accord.core.projects.project import Project, project_for_member
from accord.core.report import cache as report_cache
from accord.core.report.cache import StoredReport
from accord.core.report.scope import AI_KIND
from accord.db.tables import TASK_STATUSES, pairwise_outcomes, prompts, tasks, users
from accord.wire.report import QualityReport


@dataclass(frozen=True)
class DayAgreement:
    day: date
    agreement: float
    pairs: int
    """Annotator pairs compared that day: how much the point can be trusted."""


@dataclass(frozen=True)
class Dashboard:
    project: Project
    by_category: dict[str, dict[str, int]]
    """Category → task status → count (every status present, zeros included)."""
    agreement_by_day: list[DayAgreement]
    report: QualityReport
    stored: StoredReport
    """The stored report the figures come from, with its age and the annotations since."""


def progress_by_category(conn: Connection, project: Project) -> dict[str, dict[str, int]]:
    """Tasks per status in each category, grouped by key and named by the category's label
    (one label per key, so names stay distinct), in the keys' order."""
    labels = shown_labels(conn, project.id)
    rows = conn.execute(
        select(prompts.c.category, tasks.c.status, func.count())
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project.id)
        .group_by(prompts.c.category, tasks.c.status)
    ).all()
    result: dict[str, dict[str, int]] = {}
    for category, status, count in rows:
        result.setdefault(category, dict.fromkeys(TASK_STATUSES, 0))[status] = count
    return {labels.get(key, key): counts for key, counts in sorted(result.items())}


def agreement_by_day(conn: Connection, project: Project) -> list[DayAgreement]:
    """Pairwise percent agreement per day of task completion (see the module docstring)."""
    rows = conn.execute(
        select(pairwise_outcomes.c.task_id, pairwise_outcomes.c.winner_id,
               pairwise_outcomes.c.loser_id, pairwise_outcomes.c.tie, tasks.c.completed_at)
        .join(tasks, tasks.c.id == pairwise_outcomes.c.task_id)
        .join(users, users.c.id == pairwise_outcomes.c.annotator_id)
        .where(pairwise_outcomes.c.project_id == project.id, tasks.c.completed_at.is_not(None),
               users.c.kind != AI_KIND)
    ).all()
    if not rows:
        return []
    task, winner, loser, tie = (np.array([r[i] for r in rows], dtype=np.int64) for i in range(4))
    days = np.array([r[4].date().toordinal() for r in rows], dtype=np.int64)
    low, high = np.minimum(winner, loser), np.maximum(winner, loser)
    verdict = np.where(tie == 1, 2, np.where(winner == low, 0, 1))
    keys = np.stack([task, low, high])
    _, item = np.unique(keys, axis=1, return_inverse=True)
    item = item.ravel()
    n_items = int(item.max()) + 1
    counts = np.stack([np.bincount(item[verdict == v], minlength=n_items) for v in range(3)])
    total = counts.sum(axis=0)
    agreeing = (counts * (counts - 1) // 2).sum(axis=0)
    compared = total * (total - 1) // 2
    item_day = np.zeros(n_items, dtype=np.int64)
    item_day[item] = days
    result = []
    for day in np.unique(item_day).tolist():
        on_day = item_day == day
        pairs = int(compared[on_day].sum())
        if pairs:
            result.append(DayAgreement(date.fromordinal(day),
                                       float(agreeing[on_day].sum() / pairs), pairs))
    return result


def dashboard(conn: Connection, user: User, project_name: str, now: datetime) -> Dashboard:
    """The dashboard of ``project_name``, for whoever may read its quality report.

    The report is the stored one (``report.cache``): a view never recomputes it, except the
    first view of a project that has none.
    """
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_review(user, roles):
        raise Forbidden(f'the dashboard of "{project.name}" is for its reviewers and managers')
    stored = report_cache.current(conn, project, now)
    return Dashboard(
        project=project,
        by_category=progress_by_category(conn, project),
        agreement_by_day=agreement_by_day(conn, project),
        report=stored.report,
        stored=stored,
    )
