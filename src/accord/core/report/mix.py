"""The report's ``mix`` section: prompt-mix targets against the items each stage holds.

Four stages, each counted per category key in one grouped query (``stage_counts``):
``imported`` prompts, prompts with a ``generated`` response, ``annotated`` tasks (not gold)
that reached their overlap, and ``accepted`` examples (``core.report.accepted``). A
category's share of a stage is its count over the stage's count for every category, and
its gap is the target minus that share: a positive gap is an under-filled category.
``mix_section`` is a pure function of those counts, so its arithmetic is tested without a
database.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from accord.core.projects.categories import shown_labels
from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project
from accord.core.report.accepted import AcceptedExamples
from accord.db.tables import prompts, responses, tasks
from accord.wire.report.mix import STAGES, MixCategory, MixSection, MixStage

StageCounts = dict[str, dict[str, int]]
"""Stage → category key → items."""


def _generated(project_id: int):
    return (
        select(prompts.c.category, func.count(func.distinct(prompts.c.id)))
        .join(responses, responses.c.prompt_id == prompts.c.id)
        .where(prompts.c.project_id == project_id, responses.c.origin == "generated")
        .group_by(prompts.c.category))


def generated_by_category(conn: Connection, project_id: int) -> dict[str, int]:
    """Per category key, the prompts with at least one generated response (what
    ``accord generate`` weighs the gap against)."""
    return {category: int(count) for category, count in conn.execute(_generated(project_id))}


def stage_counts(conn: Connection, project_id: int, accepted: AcceptedExamples) -> StageCounts:
    """Items per category at each stage of ``project_id``."""
    imported = select(prompts.c.category, func.count()).where(
        prompts.c.project_id == project_id).group_by(prompts.c.category)
    generated = _generated(project_id)
    annotated = (
        select(prompts.c.category, func.count())
        .select_from(tasks).join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project_id, tasks.c.is_gold.is_(False),
               tasks.c.submitted >= tasks.c.overlap)
        .group_by(prompts.c.category))
    found: StageCounts = {
        stage: {category: int(count) for category, count in conn.execute(query)}
        for stage, query in (("imported", imported), ("generated", generated),
                             ("annotated", annotated))}
    found["accepted"] = accepted.by_category()
    return found


def mix_section(targets: dict[str, float], counts: StageCounts,
                labels: dict[str, str] | None = None) -> MixSection:
    """Targets against ``counts``: every targeted category, and every category some stage
    holds, each with its count, share and gap per stage."""
    labels = labels or {}
    totals = {stage: sum(counts.get(stage, {}).values()) for stage in STAGES}
    seen = {key for stage in STAGES for key in counts.get(stage, {})}
    order = sorted(targets, key=lambda key: (-targets[key], key)) + sorted(seen - set(targets))
    categories = {}
    for key in order:
        target = targets.get(key)
        stages = {}
        for stage in STAGES:
            count = counts.get(stage, {}).get(key, 0)
            share = count / totals[stage] if totals[stage] else None
            gap = target - share if target is not None and share is not None else None
            stages[stage] = MixStage(count=count, share=_rounded(share), gap=_rounded(gap))
        categories[key] = MixCategory(label=labels.get(key, key), target=target, **stages)
    return MixSection(targets_total=round(sum(targets.values()), 6), totals=totals,
                      categories=categories)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def build_mix(conn: Connection, project: Project, accepted: AcceptedExamples) -> MixSection:
    """The ``mix`` section of ``project``."""
    return mix_section(mix_of(project), stage_counts(conn, project.id, accepted),
                       shown_labels(conn, project.id))
