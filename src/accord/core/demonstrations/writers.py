"""How good each writer's demonstrations are, and how far reviewers agree on them.

Per writer: how many they wrote and how many were accepted or rejected (acceptance rate over
the settled ones), the review rounds an accepted one took, the edit distance from a model's
draft to their submission (``annotations.details["edit_distance"]``, for post-edits) and from
their first version to the accepted text, their mean rubric scores per dimension (over every
review of their work) and their active writing time. Reviewer agreement is Krippendorff's
alpha (Krippendorff 2011, interval level) over the rubric scores of the versions that two
reviewers scored — the blind double-reviewed share — with one unit per (version, dimension).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, and_, select

from accord.core.demonstrations.edits import edit_distance
from accord.core.errors import Forbidden
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import project_for_member
from accord.db.tables import (
    annotations,
    demonstration_reviews,
    demonstration_versions,
    demonstrations,
    users,
)
from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.krippendorff import krippendorff_alpha


@dataclass(frozen=True)
class WriterQuality:
    writer: str
    written: int
    accepted: int
    rejected: int
    acceptance_rate: float | None
    """Accepted over accepted + rejected; None while none is settled."""
    mean_rounds_to_acceptance: float | None
    mean_edit_distance_from_draft: float | None
    """Characters changed from a model's draft, over their post-edited demonstrations."""
    mean_edit_distance_to_accepted: float | None
    """Characters changed from their first version to the accepted text."""
    mean_scores: dict[str, float]
    active_ms: int


@dataclass(frozen=True)
class DemonstrationQuality:
    writers: list[WriterQuality]
    double_reviewed: int
    """Versions scored by two reviewers."""
    reviewer_alpha: float | None
    """Krippendorff's alpha (interval) over their rubric scores; None when undefined."""
    reviewer_alpha_by_dimension: dict[str, float | None] = field(default_factory=dict)


def reviewer_agreement(reviews: list[tuple[int, int, int, dict[str, int]]],
                       dimensions: list[str] | None = None) -> tuple[int, float | None]:
    """(versions scored twice, alpha) from ``(demonstration, version, reviewer, scores)``:
    one unit per (demonstration, version, dimension), kept only when two reviewers scored
    that version."""
    by_version: dict[tuple[int, int], list[tuple[int, dict[str, int]]]] = defaultdict(list)
    for demo, version, reviewer, scores in reviews:
        by_version[(demo, version)].append((reviewer, scores))
    doubled = {key: found for key, found in by_version.items() if len(found) >= 2}
    units: dict[tuple[int, int, str], int] = {}
    item, annotator, value = [], [], []
    for (demo, version), found in doubled.items():
        for reviewer, scores in found:
            for name, score in scores.items():
                if dimensions is not None and name not in dimensions:
                    continue
                unit = units.setdefault((demo, version, name), len(units))
                item.append(unit)
                annotator.append(reviewer)
                value.append(float(score))
    if not item:
        return len(doubled), None
    reviewers = {r: i for i, r in enumerate(sorted(set(annotator)))}
    judgments = Judgments.from_arrays(np.array(item), np.array([reviewers[a] for a in annotator]),
                                      np.array(value, dtype=np.float64))
    alpha = krippendorff_alpha(judgments, "interval")
    return len(doubled), None if math.isnan(alpha) else alpha


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def demonstration_quality(conn: Connection, project_id: int,
                          dimensions: list[str]) -> DemonstrationQuality:
    """Every writer's figures and the reviewers' agreement in one project."""
    rows = conn.execute(
        select(demonstrations.c.id, demonstrations.c.status, demonstrations.c.rounds,
               demonstrations.c.version, users.c.name, annotations.c.details,
               annotations.c.active_ms)
        .join(users, users.c.id == demonstrations.c.writer_id)
        .join(annotations, annotations.c.id == demonstrations.c.annotation_id)
        .where(demonstrations.c.project_id == project_id).order_by(demonstrations.c.id)).all()
    texts = _first_and_final(conn, project_id)
    reviews = conn.execute(
        select(demonstration_reviews.c.demonstration_id, demonstration_reviews.c.version,
               demonstration_reviews.c.reviewer_id, demonstration_reviews.c.scores)
        .join(demonstrations, demonstrations.c.id == demonstration_reviews.c.demonstration_id)
        .where(demonstrations.c.project_id == project_id)).all()
    scores_of: dict[int, list[dict]] = defaultdict(list)
    for r in reviews:
        scores_of[r.demonstration_id].append(r.scores or {})
    per_writer: dict[str, list] = defaultdict(list)
    for r in rows:
        per_writer[r.name].append(r)
    writers = [_writer(name, found, texts, scores_of) for name, found in per_writer.items()]
    scored = [(r.demonstration_id, r.version, r.reviewer_id, r.scores or {}) for r in reviews]
    doubled, alpha = reviewer_agreement(scored)
    by_dimension = {name: reviewer_agreement(scored, [name])[1] for name in dimensions}
    return DemonstrationQuality(sorted(writers, key=lambda w: w.writer), doubled, alpha,
                                by_dimension)


def _writer(name: str, found: list, texts: dict[int, tuple[str, str]],
            scores_of: dict[int, list[dict]]) -> WriterQuality:
    accepted = [r for r in found if r.status == "accepted"]
    rejected = sum(1 for r in found if r.status == "rejected")
    drafts = [float(d["edit_distance"]) for r in found
              if isinstance(d := (r.details or {}), dict)
              and isinstance(d.get("edit_distance"), int | float)]
    scores: dict[str, list[float]] = defaultdict(list)
    for r in found:
        for review in scores_of.get(r.id, []):
            for dim, value in review.items():
                scores[dim].append(float(value))
    settled = len(accepted) + rejected
    return WriterQuality(
        writer=name, written=len(found), accepted=len(accepted), rejected=rejected,
        acceptance_rate=len(accepted) / settled if settled else None,
        mean_rounds_to_acceptance=_mean([float(r.rounds) for r in accepted]),
        mean_edit_distance_from_draft=_mean(drafts),
        mean_edit_distance_to_accepted=_mean(
            [float(edit_distance(*texts[r.id])) for r in accepted if r.id in texts]),
        mean_scores={dim: sum(v) / len(v) for dim, v in sorted(scores.items())},
        active_ms=sum(int(r.active_ms or 0) for r in found))


def _first_and_final(conn: Connection, project_id: int) -> dict[int, tuple[str, str]]:
    """(first version's text, current version's text) of each accepted demonstration."""
    first = demonstration_versions.alias("first")
    final = demonstration_versions.alias("final")
    rows = conn.execute(
        select(demonstrations.c.id, first.c.text, final.c.text)
        .join(first, and_(first.c.demonstration_id == demonstrations.c.id, first.c.number == 1))
        .join(final, and_(final.c.demonstration_id == demonstrations.c.id,
                          final.c.number == demonstrations.c.version))
        .where(demonstrations.c.project_id == project_id,
               demonstrations.c.status == "accepted")).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def quality_for(conn: Connection, user: User, project_name: str) -> DemonstrationQuality:
    """The project's writer figures, for its reviewers and managers."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_review(user, roles):
        raise Forbidden(f'the writers\' figures of "{project.name}" are for its reviewers')
    return demonstration_quality(conn, project.id, [d.name for d in project.dimensions])
