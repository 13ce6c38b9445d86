"""From rankings to the quality engine's pairs: a ranking of n responses (with tie groups,
best first) yields n(n-1)/2 pairwise outcomes, one per pair of responses, and never a
response preferred over itself — first as a property of ``pairs_from_ranking``, then through
submission and the arrays the report reads."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from accord.core.report import inputs as quality_inputs
from accord.core.report.arrays import OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE
from accord.core.tasks.judgments import Judgment, pairs_from_ranking
from accord.core.work import claims, submissions
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

RESPONSES = "abcdefgh"


@st.composite
def rankings(draw, max_size: int = len(RESPONSES)) -> list[list[str]]:
    """n distinct responses in a drawn order, cut into tie groups at drawn places."""
    order = draw(st.permutations(RESPONSES[:draw(st.integers(1, max_size))]))
    cuts = [i for i in range(1, len(order)) if draw(st.booleans())]
    edges = [0, *cuts, len(order)]
    return [sorted(order[a:b]) for a, b in pairwise(edges)]


def place(ranking: list[list[str]]) -> dict[str, int]:
    """Each response's tie group, 0 for the best."""
    return {response: g for g, group in enumerate(ranking) for response in group}


@given(rankings())
def test_a_ranking_of_n_responses_gives_every_one_of_its_n_choose_2_pairs_once(ranking):
    n = sum(len(group) for group in ranking)
    pairs = pairs_from_ranking(ranking)
    assert len(pairs) == n * (n - 1) // 2
    assert all(pair.winner != pair.loser for pair in pairs)
    assert {frozenset((p.winner, p.loser)) for p in pairs} == {
        frozenset(both) for both in combinations(place(ranking), 2)}


@given(rankings())
def test_each_pair_is_won_by_the_better_ranked_response_and_tied_within_a_group(ranking):
    group = place(ranking)
    for pair in pairs_from_ranking(ranking):
        if pair.tie:
            assert group[pair.winner] == group[pair.loser]
        else:
            assert group[pair.winner] < group[pair.loser]


def test_submitted_rankings_reach_the_arrays_as_one_outcome_per_pair(engine):
    """Drawn rankings of 2 to 6 responses, submitted as annotators do: each annotation's
    outcomes in the arrays are its n(n-1)/2 pairs, each of two different responses, each
    with the outcome its ranking says."""
    rng = random.Random(3)
    project = make_project(engine, overlap=1, ranking_mode="kway", allow_ties=True)
    sizes = [2, 3, 4, 5, 6] * 4
    with engine.begin() as conn:
        for i, size in enumerate(sizes):
            add_comparison(conn, project, f"t{i}", contents={
                r: f"response {r} of t{i}" for r in RESPONSES[:size]})
    person = make_user(engine, "ann", project=project, roles=("annotator",)).user
    given_rankings: dict[str, list[list[str]]] = {}
    start = utcnow() - timedelta(hours=1)
    for step in range(len(sizes)):
        now = start + timedelta(minutes=step)
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, person, now)
            shown = [r.id for r in claim.task.responses]
            rng.shuffle(shown)
            cuts = sorted(rng.sample(range(1, len(shown)), rng.randint(0, len(shown) - 1)))
            edges = [0, *cuts, len(shown)]
            ranking = [shown[a:b] for a, b in pairwise(edges)]
            given_rankings[claim.task.id] = ranking
            submissions.submit(conn, person, claim.assignment_id,
                               Judgment(ranking=ranking, active_ms=1000), now)

    with engine.connect() as conn:
        arrays = quality_inputs.load(conn, project)

    o, a, r = arrays.outcomes, arrays.annotations, arrays.responses
    assert (o.first < o.second).all()  # two different responses, named in one order
    external = r.external_ids
    for row in range(len(a.ids)):
        task = f"t{int(a.task[row])}"  # tasks were added, and numbered, in order
        ranking = given_rankings[task]
        group = place(ranking)
        n = len(group)
        mine = (o.annotation == row).nonzero()[0]
        assert len(mine) == n * (n - 1) // 2
        assert (o.task[mine] == a.task[row]).all()
        seen = set()
        for k in mine:
            first, second = external[o.first[k]], external[o.second[k]]
            seen.add(frozenset((first, second)))
            expected = (OUTCOME_TIE if group[first] == group[second]
                        else OUTCOME_FIRST if group[first] < group[second] else OUTCOME_SECOND)
            assert o.outcome[k] == expected
        assert len(seen) == len(mine)
