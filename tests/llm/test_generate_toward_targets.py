"""``accord generate`` samples toward a project's prompt-mix targets by default: each
category weighs what it lacks of its target once the sample is added; ``--mix`` wins."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from accord.core.admin import projects as admin_projects
from accord.db.tables import prompts, tasks
from accord.db.types import utcnow
from accord.llm.generation import generate_candidates
from accord.llm.generation_plan import make_plan
from accord.llm.prompt_sample import choose, gap_mix, parse_mix
from tests.llm.generation_helpers import fake_backends, pool_project
from tests.llm.test_generate_sample import pool


def test_the_weights_are_what_each_category_lacks_after_the_sample():
    prompts_ = pool(qa=10, coding=10, creative=10)
    # 4 coding prompts generated before, 10 more to take: 14 in all. coding lacks
    # 0.5 x 14 - 4 = 3, qa 0.3 x 14 = 4.2, and creative (no target) the rest, 0.2 x 14 = 2.8
    weights = gap_mix({"coding": 0.5, "qa": 0.3}, {"coding": 4}, prompts_, 10)
    assert weights is not None
    assert {k: round(v, 9) for k, v in weights.items()} == {"coding": 3.0, "qa": 4.2,
                                                            "creative": 2.8}
    chosen = Counter(p.category for p in choose(prompts_, weights, 10).prompts)
    assert chosen == {"coding": 3, "qa": 4, "creative": 3}


def test_an_over_filled_category_is_not_sampled():
    weights = gap_mix({"coding": 0.5, "qa": 0.3}, {"coding": 20}, pool(qa=10, coding=10,
                                                                     creative=10), 10)
    assert weights is not None
    assert {k: round(v, 9) for k, v in weights.items()} == {"qa": 9.0, "creative": 6.0}


def test_when_nothing_lacks_anything_the_targets_are_the_weights_and_an_empty_pool_none():
    assert gap_mix({"qa": 1.0}, {"qa": 50}, pool(qa=3), 0) == {"qa": 1.0}
    assert gap_mix({"qa": 1.0}, {}, [], 5) is None
    # a targeted category the pool lacks is left out rather than refused
    assert gap_mix({"legal": 0.5, "qa": 0.5}, {}, pool(qa=3), 2) == {"qa": 1.0}


def _tasks_per_category(engine, project_id: int) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(
            select(prompts.c.category, func.count())
            .join(tasks, tasks.c.prompt_id == prompts.c.id)
            .where(tasks.c.project_id == project_id).group_by(prompts.c.category)).all())


def test_generate_follows_the_targets_by_default_and_an_explicit_mix_wins(engine, fake_openai):
    plan = make_plan(["m"], 2, max_tokens=8)
    backends = fake_backends(fake_openai.base_url, ["m"])
    targeted = pool_project(engine, {"qa": 10, "coding": 10})
    with engine.begin() as conn:
        admin_projects.change(conn, None, "gen", {"mix": {"qa": 0.7, "coding": 0.3}}, utcnow())
    report = generate_candidates(engine, "gen", backends, plan, limit=10)
    assert report.toward_targets == {"coding": 3.0, "qa": 7.0}
    assert report.as_dict()["toward_targets"] == {"coding": 3.0, "qa": 7.0}
    assert _tasks_per_category(engine, targeted.id) == {"coding": 3, "qa": 7}

    other = pool_project(engine, {"qa": 10, "coding": 10}, name="gen2")
    with engine.begin() as conn:
        admin_projects.change(conn, None, "gen2", {"mix": {"qa": 0.7, "coding": 0.3}},
                              utcnow())
    report = generate_candidates(engine, "gen2", backends, plan, limit=4,
                                 mix=parse_mix("coding=0.5,qa=0.5"))
    assert report.toward_targets == {}
    assert _tasks_per_category(engine, other.id) == {"coding": 2, "qa": 2}
