"""Where a task's exported label comes from, so that AI and human labels never blur.

A task's label is, in this order of precedence:

- ``ai_judge``: the project's AI judge settled it (``task_consensus.method = 'ai_judge'``,
  see ``core.hybrid``); the label is that judge's ranking, and no person's;
- ``adjudicated``: a reviewer decided it (``task_consensus.method = 'adjudicated'``);
- ``human``: people of kind ``human`` judged it; AI judges' verdicts on the same task are
  kept beside the label (for the audit), never counted in it;
- ``imported``: the labels came with a data set (kind ``imported``);
- ``mixed``: both people and imported labels, and they are counted together;
- ``ai``: only AI judges judged it and none settled it (an AlpacaEval import, say).

``voting_kinds`` says whose pairwise outcomes make the label for each source, so an export
that computes a majority takes only those rows. ``label_source_query`` reads what the rule
needs per task, in task order, for an export's merge join.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Integer, Select, case, exists, func, select

from accord.db.tables import adjudications, annotations, task_consensus, users

SOURCES = ("ai_judge", "adjudicated", "human", "imported", "mixed", "ai")
_VOTERS: dict[str, frozenset[str]] = {
    "ai_judge": frozenset({"ai"}),
    "adjudicated": frozenset(),
    "human": frozenset({"human"}),
    "imported": frozenset({"imported"}),
    "mixed": frozenset({"human", "imported"}),
    "ai": frozenset({"ai"}),
}


def label_source(annotator_kinds: Collection[str], consensus_method: str | None,
                 adjudicated: bool = False) -> str | None:
    """The source of a task's label from the kinds of its annotators and its stored
    consensus method; None for a task nobody has judged."""
    if consensus_method == "ai_judge":
        return "ai_judge"
    if adjudicated or consensus_method == "adjudicated":
        return "adjudicated"
    people = set(annotator_kinds) - {"ai"}
    if people == {"human"}:
        return "human"
    if people == {"imported"}:
        return "imported"
    if people:
        return "mixed"
    return "ai" if annotator_kinds else None


def voting_kinds(source: str) -> frozenset[str]:
    """The annotator kinds whose outcomes make a label of ``source`` (none for a reviewer's
    decision, which is the stored consensus itself)."""
    if source not in _VOTERS:
        raise ValueError(f'label source "{source}" is not one of {", ".join(SOURCES)}')
    return _VOTERS[source]


def _has_kind(kind: str):
    return func.max(case((users.c.kind == kind, 1), else_=0)).label(f"has_{kind}")


def label_source_query(project_id: int) -> Select:
    """Per task with annotations, in task order: ``task_id, has_human, has_imported, has_ai,
    consensus_method, adjudicated`` — what ``label_source`` needs, in one grouped scan."""
    adjudicated = exists().where(adjudications.c.task_id == annotations.c.task_id)
    return (
        select(annotations.c.task_id, _has_kind("human"), _has_kind("imported"), _has_kind("ai"),
               func.max(task_consensus.c.method).label("consensus_method"),
               func.max(case((adjudicated, 1), else_=0)).cast(Integer).label("adjudicated"))
        .join(users, users.c.id == annotations.c.annotator_id)
        .outerjoin(task_consensus, task_consensus.c.task_id == annotations.c.task_id)
        .where(annotations.c.project_id == project_id)
        .group_by(annotations.c.task_id)
        .order_by(annotations.c.task_id)
    )


def source_of_row(row) -> str | None:
    """``label_source`` for one row of ``label_source_query``."""
    kinds = [kind for kind, present in (("human", row[1]), ("imported", row[2]), ("ai", row[3]))
             if present]
    return label_source(kinds, row[4], bool(row[5]))
