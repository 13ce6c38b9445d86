"""Which annotations a report counts: a cut by guideline version, and humans apart from AI.

- **Guideline versions.** ``accord report --guideline-version N`` (and the API's
  ``guideline_version`` parameter) keeps the annotations made under those versions of the
  project's guideline (``annotations.guideline_version_id`` → ``guideline_versions.version``),
  as ``accord export --guideline-version`` keeps the tasks judged under them: agreement
  before and after a guideline change, measured apart.
- **AI judges.** Annotations by users of kind ``ai`` are not people's judgments: counting
  them in agreement, reliability or the monitors would let a judge that agrees with itself
  lift the figures meant to say how consistent the *annotators* are. The report's figures are
  computed on human annotations unless ``include_ai`` is asked for; the AI annotations are
  counted apart (``counts.ai_annotations`` and the ``judges`` section). The model win rates
  (AlpacaEval's figures) are the one exception: they rate the *models*, and a judge's verdicts
  are exactly what AlpacaEval computes them from, so they count every annotation in the cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from accord.core.errors import InvalidInput
from accord.core.projects.project import Project
from accord.core.report.arrays import (
    Annotations,
    Outcomes,
    ProjectArrays,
    Ratings,
)
from accord.db.tables import guideline_versions
from accord.wire.report import ReportScope

AI_KIND = "ai"


@dataclass(frozen=True)
class Scope:
    """What a report counts. The default, the whole project's human annotations."""

    guideline_versions: tuple[int, ...] = ()
    """Guideline version numbers to keep; empty keeps every annotation."""
    include_ai: bool = False
    """Whether AI judges' annotations count in the figures."""

    @property
    def is_cut(self) -> bool:
        """Whether the report leaves annotations out by version (then it stores nothing)."""
        return bool(self.guideline_versions)

    def described(self) -> ReportScope:
        """The scope as the report states it."""
        return ReportScope(guideline_versions=list(self.guideline_versions) or None,
                           include_ai=self.include_ai)


def version_ids(conn: Connection, project: Project, versions: tuple[int, ...]) -> list[int]:
    """The database ids of the project's guideline ``versions``; an unknown number is refused
    with the versions that exist."""
    if not versions:
        return []
    known = dict(conn.execute(
        select(guideline_versions.c.version, guideline_versions.c.id)
        .where(guideline_versions.c.project_id == project.id)).all())
    missing = sorted(set(versions) - set(known))
    if missing:
        have = ", ".join(str(v) for v in sorted(known)) or "none published"
        raise InvalidInput(f'guideline version {missing[0]} does not exist in project '
                           f'"{project.name}" (versions: {have})')
    return sorted(known[v] for v in set(versions))


def is_ai(arrays: ProjectArrays) -> NDArray[np.bool_]:
    """Per annotation: whether its annotator is an AI judge."""
    kinds = np.array(arrays.annotators.kinds, dtype=object)
    ai = kinds == AI_KIND if len(kinds) else np.zeros(0, bool)
    return ai[arrays.annotations.annotator] if len(arrays.annotations.ids) else np.zeros(0, bool)


def subset(arrays: ProjectArrays, keep: NDArray[np.bool_]) -> ProjectArrays:
    """``arrays`` with only the annotations where ``keep`` (one entry per annotation) holds,
    their pairwise outcomes and their ratings.

    Annotators, tasks and responses stay as they are, so every dense index keeps its meaning
    and a figure computed on the part lines up with one computed on the whole.
    """
    a, o = arrays.annotations, arrays.outcomes
    if len(keep) != len(a.ids):
        raise ValueError(f"keep has {len(keep)} entries for {len(a.ids)} annotations")
    if keep.all():
        return arrays
    new_row = np.cumsum(keep) - 1
    r = a.ratings
    rated = keep[r.row]
    ratings = Ratings(new_row[r.row[rated]], r.response_key[rated], r.dimension[rated],
                      r.dimension_names, r.value[rated])
    annotations = Annotations(
        ids=a.ids[keep], task=a.task[keep], annotator=a.annotator[keep],
        created_at=a.created_at[keep], active_ms=a.active_ms[keep],
        guideline_version_id=a.guideline_version_id[keep], late=a.late[keep],
        refusal_appropriate=a.refusal_appropriate[keep], severity=a.severity[keep],
        flags=a.flags[keep], ratings=ratings,
        preference=None if a.preference is None else a.preference[keep])
    kept = keep[o.annotation]
    outcomes = Outcomes(
        annotation=new_row[o.annotation[kept]], task=o.task[kept], annotator=o.annotator[kept],
        first=o.first[kept], second=o.second[kept], outcome=o.outcome[kept],
        winner_position=o.winner_position[kept], loser_position=o.loser_position[kept],
        strength=o.strength[kept])
    return ProjectArrays(arrays.annotators, arrays.tasks, arrays.responses, annotations,
                         outcomes)


@dataclass(frozen=True)
class Selection:
    cut: ProjectArrays
    """The annotations within the guideline versions asked for, humans' and AI judges'."""
    counted: ProjectArrays
    """Those the figures count: the cut's human annotations, or all of it with AI included."""
    ai: NDArray[np.bool_]
    """Per annotation of ``cut``: whether an AI judge made it."""


def select_annotations(arrays: ProjectArrays, scope: Scope,
                       version_ids_kept: list[int]) -> Selection:
    """The cut and the counted parts of ``arrays`` under ``scope``."""
    cut = arrays
    if scope.is_cut:
        cut = subset(arrays, np.isin(arrays.annotations.guideline_version_id, version_ids_kept))
    ai = is_ai(cut)
    counted = cut if scope.include_ai or not ai.any() else subset(cut, ~ai)
    return Selection(cut, counted, ai)
