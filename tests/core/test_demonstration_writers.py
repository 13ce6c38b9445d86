"""Writers' figures and reviewer agreement on the double-reviewed share: Krippendorff's alpha
over the rubric scores equals the ``krippendorff`` package's on a planted population."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from accord.core.demonstrations import lifecycle, rubric
from accord.core.demonstrations.writers import demonstration_quality
from accord.core.projects.project import get_project
from accord.db.types import utcnow
from tests.demonstration_helpers import reviewer, write, writer
from tests.factories import make_project

DEMOS = 12
DIMENSIONS = ("helpfulness", "honesty")


def _review(engine, who, demo, decision, scores, version=1, **fields):
    with engine.begin() as conn:
        checks = dict.fromkeys(rubric.rules_of(get_project(conn, "sft")).checks, True)
        return lifecycle.decide(conn, who, "sft", demo, version=version, decision=decision,
                                scores=scores, checks=checks, now=utcnow(), **fields)


def test_reviewer_alpha_equals_the_reference_on_a_planted_population(engine):
    project = make_project(engine, "sft")
    with engine.begin() as conn:
        rubric.configure(conn, None, "sft", {"double_share": 1.0}, utcnow())
        project = get_project(conn, "sft")
    wendy = writer(engine, project, "wendy")
    panel = [reviewer(engine, project, f"r{i}") for i in range(3)]
    rng = random.Random(5)
    matrix = np.full((3, DEMOS * len(DIMENSIONS)), np.nan)
    for d in range(DEMOS):
        demo = write(engine, project, wendy, f"d-{d}", f"answer {d}")
        pair = (panel[d % 3], panel[(d + 1) % 3])
        truth = {name: rng.randint(1, 5) for name in DIMENSIONS}
        for seat, who in enumerate(pair):
            scores = {name: min(5, max(1, v + (rng.choice((-1, 0, 1)) if seat else 0)))
                      for name, v in truth.items()}
            _review(engine, who, demo, "accept", scores)
            for k, name in enumerate(DIMENSIONS):
                matrix[panel.index(who), d * len(DIMENSIONS) + k] = scores[name]
    with engine.connect() as conn:
        found = demonstration_quality(conn, project.id, list(DIMENSIONS))
    reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert found.double_reviewed == DEMOS
    assert found.reviewer_alpha == pytest.approx(reference, abs=1e-12)
    assert 0 < reference < 1


def test_a_writers_acceptance_rounds_and_edit_distance(engine):
    project = make_project(engine, "sft")
    wendy, rita = writer(engine, project, "wendy"), reviewer(engine, project, "rita")
    kept = write(engine, project, wendy, "kept", "Short.", active_ms=30_000)
    dropped = write(engine, project, wendy, "dropped", "Wrong.", active_ms=10_000)
    write(engine, project, wendy, "waiting", "Pending.", active_ms=5_000)
    _review(engine, rita, kept, "send_back", {"helpfulness": 2, "honesty": 4}, comment="More.")
    with engine.begin() as conn:
        lifecycle.revise(conn, wendy, "sft", kept, version=1, text="Short, longer.", now=utcnow())
    _review(engine, rita, kept, "accept", {"helpfulness": 4, "honesty": 4}, version=2)
    _review(engine, rita, dropped, "reject", {"helpfulness": 1, "honesty": 1}, comment="No.")
    with engine.connect() as conn:
        found = demonstration_quality(conn, project.id, list(DIMENSIONS))
    [mine] = found.writers
    assert (mine.written, mine.accepted, mine.rejected, mine.acceptance_rate) == (3, 1, 1, 0.5)
    assert mine.mean_rounds_to_acceptance == 2
    assert mine.mean_edit_distance_to_accepted == len(", longer")
    assert mine.mean_scores == {"helpfulness": pytest.approx(7 / 3), "honesty": 3.0}
    assert mine.active_ms == 45_000
    assert (found.double_reviewed, found.reviewer_alpha) == (0, None)
