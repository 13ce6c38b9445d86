"""The K-way judge: a task of more than two responses judged on every pair, in both orders,
and ranked by Bradley-Terry over the pairs' soft preferences; stored on the real database
with the pairwise outcomes its ranking implies. The model is a scripted backend that answers
from a table of planted preferences."""

from __future__ import annotations

from sqlalchemy import Engine, select

from accord.db.tables import annotations, pairwise_outcomes, responses, tasks
from accord.llm import constitution
from accord.llm.judge import JudgeSetup, PairJudge
from accord.llm.judge_run import run_judge
from tests.factories import add_comparison, add_comparisons, make_project
from tests.llm.scripted_backend import TableJudgeBackend

SHORT, MIDDLE, LONG = "one", "two words", "three words here"


def judge_with(backend: TableJudgeBackend) -> PairJudge:
    return PairJudge(backend, JudgeSetup(constitution=constitution.load(), backend="openai"))


def add_three_way(engine: Engine, project, external_id: str, contents: dict[str, str]) -> None:
    with engine.begin() as conn:
        add_comparison(conn, project, external_id, contents=contents)


def stored_judgment(engine: Engine, external_id: str):
    with engine.connect() as conn:
        row = conn.execute(select(annotations.c.id, annotations.c.ranking,
                                  annotations.c.details, annotations.c.preference)
                           .join(tasks, tasks.c.id == annotations.c.task_id)
                           .where(tasks.c.external_id == external_id)).one()
        winner = responses.alias("winner")
        loser = responses.alias("loser")
        pairs = conn.execute(
            select(winner.c.external_id, loser.c.external_id, pairwise_outcomes.c.tie)
            .join(winner, winner.c.id == pairwise_outcomes.c.winner_id)
            .join(loser, loser.c.id == pairwise_outcomes.c.loser_id)
            .where(pairwise_outcomes.c.annotation_id == row.id)).all()
    return row, sorted(tuple(pair) for pair in pairs)


def test_a_three_way_task_is_ranked_from_its_three_pairs_in_both_orders(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)  # a pair, judged as before
    add_three_way(engine, project, "three-way", {"a": SHORT, "b": MIDDLE, "c": LONG})
    table = {(LONG, MIDDLE): 0.8, (LONG, SHORT): 0.9, (MIDDLE, SHORT): 0.7,
             ("longer answer b to item-0", "answer a to item-0"): 0.9}
    backend = TableJudgeBackend(table)

    run = run_judge(engine, project.name, "judge-k", judge_with(backend), concurrency=1)

    assert (run.pending, run.judged, run.ranked, run.failed) == (2, 2, 1, 0)
    assert "1 of more than two responses ranked pair by pair" in run.summary()
    assert len(backend.requests) == 2 + 3 * 2  # the pair's two orders, three pairs' two each
    row, pairs = stored_judgment(engine, "three-way")
    assert row.ranking == [["c"], ["b"], ["a"]]
    assert pairs == [("b", "a", False), ("c", "a", False), ("c", "b", False)]
    assert row.preference is None  # each pair's own probability is in details
    assert [pair["responses"] for pair in row.details["pairs"]] == [["a", "b"], ["a", "c"],
                                                                      ["b", "c"]]
    assert [round(pair["preference"], 3) for pair in row.details["pairs"]] == [0.7, 0.9, 0.8]
    assert row.details["consistent"] is True and row.details["method"] == "bradley_terry"
    assert row.details["scores"]["c"] > row.details["scores"]["b"] > row.details["scores"]["a"]


def test_soft_preferences_break_a_cycle_that_hard_wins_would_call_a_three_way_tie(engine):
    project = make_project(engine)
    add_three_way(engine, project, "cycle", {"a": SHORT, "b": MIDDLE, "c": LONG})
    # a beats b clearly, b beats c clearly, c beats a barely: Copeland counts one win each.
    table = {(SHORT, MIDDLE): 0.9, (MIDDLE, LONG): 0.9, (LONG, SHORT): 0.55}

    run_judge(engine, project.name, "judge-cycle", judge_with(TableJudgeBackend(table)))

    row, _ = stored_judgment(engine, "cycle")
    assert row.ranking == [["a"], ["b"], ["c"]]


def test_a_pair_the_judge_did_not_hold_to_counts_as_a_tie_and_the_verdict_is_unsure(engine):
    project = make_project(engine)
    add_three_way(engine, project, "biased", {"a": SHORT, "b": MIDDLE, "c": LONG})
    table = {(LONG, MIDDLE): 0.8, (LONG, SHORT): 0.8}
    backend = TableJudgeBackend(table, position_first={frozenset((SHORT, MIDDLE))})

    run = run_judge(engine, project.name, "judge-biased", judge_with(backend))

    row, pairs = stored_judgment(engine, "biased")
    assert row.ranking == [["c"], ["a", "b"]]
    assert ("a", "b", True) in pairs or ("b", "a", True) in pairs
    assert row.details["consistent"] is False and row.details["confidence"] == 0
    assert run.inconsistent == 1
