"""The report's demonstrations section: the writers' figures and reviewer agreement that
``core.demonstrations.writers`` measures, typed for the report."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection

from accord.core.demonstrations.writers import demonstration_quality
from accord.core.projects.project import Project
from accord.wire.report.demonstrations import DemonstrationsSection, WriterFigures


def section(conn: Connection, project: Project) -> DemonstrationsSection | None:
    """The section, or None for a project without demonstrations (the report leaves it
    out)."""
    found = demonstration_quality(conn, project.id, [d.name for d in project.dimensions])
    if not found.writers:
        return None
    return DemonstrationsSection(
        writers=[WriterFigures(**asdict(writer)) for writer in found.writers],
        double_reviewed=found.double_reviewed,
        reviewer_alpha=found.reviewer_alpha,
        reviewer_alpha_by_dimension=found.reviewer_alpha_by_dimension,
    )
