"""The K-way AI judge: a comparison of any number of responses, judged pair by pair.

A judge reads two responses at a time (``llm.judge``), so a task of K responses is judged as
its K(K-1)/2 pairs, each in both display orders as always, and the pairs are aggregated into
one ranking by Bradley-Terry (``quality.ranking.rank_responses``) over the pairs' soft
preferences: a pair the judge won with probability ``p`` counts ``p`` of a win to its winner
and ``1 - p`` to its loser (one whole win where the backend gave no probabilities), and a
pair whose two orders disagreed counts as a tie. Soft counts keep a barely-preferred pair
from outweighing a clear one, which hard Copeland counts would not.

The stored annotation is the aggregate ranking (with the pairwise outcomes it implies, as
for a person's ranking); ``details["pairs"]`` keeps every pair's own verdict, probability
and readings, so the aggregation can be audited and redone. The verdict is ``consistent``
only when every pair was, and its ``confidence`` is the least confidence of its pairs: hybrid
routing trusts a K-way verdict no more than its weakest pair. A two-response task is judged
exactly as before.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from accord.core.judging.ai_judges import AiVerdict, ComparisonTask
from accord.llm.judge import JudgedPair, JudgeFailure, PairJudge
from accord.quality.ranking import rank_responses

FIRST_PREFERRED, SECOND_PREFERRED, TIE = 0, 1, 2
METHOD = "bradley_terry"


def soft_outcomes(pairs: list[tuple[int, int, list[list[str]], float | None]],
                  ids: list[str]) -> tuple[list[int], list[int], list[int], list[float]]:
    """Entries for ``rank_responses`` from judged pairs ``(first, second, ranking,
    preference)``: a win split by its probability, a tie as one tie."""
    first, second, outcome, weight = [], [], [], []
    for a, b, ranking, preference in pairs:
        if len(ranking) == 1:
            first.append(a)
            second.append(b)
            outcome.append(TIE)
            weight.append(1.0)
            continue
        p = 1.0 if preference is None else preference
        a_won = ids[a] == ranking[0][0]
        first += [a, a]
        second += [b, b]
        outcome += [FIRST_PREFERRED, SECOND_PREFERRED]
        weight += [p, 1.0 - p] if a_won else [1.0 - p, p]
    return first, second, outcome, weight


def aggregate(pairs: list[tuple[int, int, list[list[str]], float | None]],
              ids: list[str]) -> tuple[list[list[str]], dict[str, float]]:
    """The ranking (tie groups, best first, imported order within a group) and each
    response's Bradley-Terry strength."""
    first, second, outcome, weight = soft_outcomes(pairs, ids)
    ranked = rank_responses(np.zeros(len(first), dtype=np.int64), first, second, outcome,
                            weight, method=METHOD)
    groups = [sorted(group) for group in ranked.ranking(0)]
    scores = {ids[int(r)]: round(float(s), 6)
              for r, s in zip(ranked.response, ranked.score, strict=True)}
    return [[ids[i] for i in group] for group in groups], scores


class RankingJudge:
    """Judges comparison tasks of any size with one ``PairJudge``; thread-safe when it is."""

    def __init__(self, pair_judge: PairJudge) -> None:
        self.pair_judge = pair_judge

    def judge(self, task: ComparisonTask) -> JudgedPair:
        if len(task.responses) == 2:
            return self.pair_judge.judge(task)
        ids = [rid for rid, _ in task.responses]
        calls, judged = [], []
        for a, b in combinations(range(len(ids)), 2):
            try:
                one = self.pair_judge.judge(task.pair(ids[a], ids[b]))
            except JudgeFailure as error:
                raise JudgeFailure(f"pair {ids[a]}, {ids[b]}: {error}",
                                   calls + error.calls) from error
            calls.extend(one.calls)
            judged.append((a, b, one))
        ranking, scores = aggregate(
            [(a, b, one.verdict.ranking, one.verdict.preference) for a, b, one in judged], ids)
        consistent = all(one.consistent for _, _, one in judged)
        confidence = min(one.confidence for _, _, one in judged)
        return JudgedPair(self._verdict(task, ids, judged, ranking, scores, consistent,
                                        confidence), consistent, confidence, calls)

    def _verdict(self, task: ComparisonTask, ids: list[str], judged: list, ranking, scores,
                 consistent: bool, confidence: float) -> AiVerdict:
        first = judged[0][2].verdict.details
        details = {key: first[key] for key in ("template", "constitution", "principle",
                                                "model", "model_id", "backend", "seed")}
        details.update({
            "method": METHOD, "scores": scores, "consistent": consistent,
            "confidence": confidence,
            "pairs": [{"responses": [ids[a], ids[b]], "ranking": one.verdict.ranking,
                       "preference": one.verdict.preference, "consistent": one.consistent,
                       "confidence": one.confidence,
                       "orders": one.verdict.details["orders"]} for a, b, one in judged],
        })
        rationale = "\n\n".join(f"{ids[a]} against {ids[b]}:\n{one.verdict.rationale}"
                                for a, b, one in judged)
        return AiVerdict(ranking=ranking, display_order=list(ids), preference=None,
                         rationale=rationale, details=details,
                         active_ms=sum(one.verdict.active_ms for _, _, one in judged))
