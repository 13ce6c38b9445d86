"""The AI judge with a real model: SmolLM2-135M-Instruct, loaded offline once per session.

A 135M-parameter model follows the verdict format poorly, which is the point: whatever it
answers, the judgment must travel end to end — two orders, a verdict read from the text or
from the first token's probabilities, and an annotation that records how it was reached.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.db.tables import annotations, pairwise_outcomes, users
from accord.llm import constitution
from accord.llm.chat import Sampling
from accord.llm.judge import JudgeSetup, PairJudge
from accord.llm.judge_run import run_judge
from accord.llm.local_models import SMOLLM2
from accord.llm.verdict import TEMPLATE_VERSION, VERDICTS
from tests.factories import add_comparisons, make_project

CONTENTS = {"a": "The capital of France is Paris.", "b": "I am not sure, maybe Lyon."}


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_smollm2_judges_a_pair_end_to_end(engine, smollm2):
    project = make_project(engine)
    add_comparisons(engine, project, 1, contents=CONTENTS)
    shipped = constitution.load()
    setup = JudgeSetup(constitution=shipped, backend="local", parse_attempts=2,
                       sampling=Sampling(temperature=0.0, max_tokens=40))

    run = run_judge(engine, project.name, "judge-smollm2", PairJudge(smollm2, setup),
                    concurrency=1)

    assert (run.judged, run.failed) == (1, 0), run.failures
    with engine.connect() as conn:
        ranking, details, rationale = conn.execute(
            select(annotations.c.ranking, annotations.c.details, annotations.c.rationale)
        ).one()
        kind, settings = conn.execute(select(users.c.kind, users.c.ai_settings)
                                      .where(users.c.name == "judge-smollm2")).one()
        outcomes = conn.execute(select(pairwise_outcomes.c.tie)).scalars().all()
    assert kind == "ai" and settings["model"] == SMOLLM2 and settings["backend"] == "local"
    assert details["template"] == TEMPLATE_VERSION
    assert details["model"] == SMOLLM2
    assert details["constitution"] == shipped.label
    assert details["principle"]["id"] in {p.id for p in shipped.principles}
    first, second = details["orders"]
    assert first["shown"] == second["shown"][::-1]
    for order in (first, second):
        assert order["raw"].strip() and order["verdict"] in VERDICTS
    assert details["consistent"] == (len(ranking) == 2)
    assert len(outcomes) == 1 and outcomes[0] == (len(ranking) == 1)
    assert rationale
