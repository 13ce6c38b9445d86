"""The report's authoring figures: how many demonstrations were written, post-edited or
written turn by turn, and how many post-edits submitted the model's draft unchanged
(allowed, flagged ``details.unchanged``, and worth a lead's look: an unedited draft is the
model's answer, not a person's)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, select

from accord.core.projects.project import Project
from accord.db.tables import annotations, users
from accord.wire.report.authoring import AuthoringFigures

STREAM_ROWS = 2000
_MODES = ("write", "post_edit", "multi_turn")


def section(conn: Connection, project: Project) -> AuthoringFigures | None:
    """The figures, or None for a project without demonstrations (the report leaves the
    section out)."""
    query = (
        select(users.c.name, annotations.c.details)
        .join(users, users.c.id == annotations.c.annotator_id)
        .where(annotations.c.project_id == project.id,
               annotations.c.kind == "demonstration")
        .execution_options(yield_per=STREAM_ROWS)
    )
    modes: Counter[str] = Counter()
    unchanged: Counter[str] = Counter()
    distance_total = 0
    for name, details in conn.execute(query):
        details = details or {}
        mode = details.get("mode", "write")  # written before modes existed: from scratch
        modes[mode] += 1
        if mode == "post_edit":
            distance_total += int(details.get("edit_distance", 0))
            if details.get("unchanged"):
                unchanged[name] += 1
    total = sum(modes.values())
    if not total:
        return None
    post_edits = modes["post_edit"]
    flagged = sum(unchanged.values())
    return AuthoringFigures(
        demonstrations=total,
        by_mode={mode: modes[mode] for mode in _MODES},
        unchanged_drafts=flagged,
        unchanged_share=flagged / post_edits if post_edits else None,
        mean_edit_distance=distance_total / post_edits if post_edits else None,
        unchanged_by_annotator=dict(sorted(unchanged.items())),
    )
