"""The complete cost (``cost.complete``): sums of recorded figures, and one projection.

Spend is people's active time times their pay rate (annotators and reviewers; a missing rate
counts zero, as in the cost monitor), plus the recorded cost of every model call. Spend is
charged to a task kind — annotations to their task's kind, adjudications to comparisons,
model calls by purpose (``PURPOSE_KIND``) — and, where it names one, to a category: the
time by its task's prompt, model calls through the generated responses they produced
(candidates and drafts, by their prompt) or the task they name (an AI judge's verdicts); the
rest — failed generation calls, and judge calls recorded before calls named their task — is
``unattributed_spend``.

Per accepted example: comparison spend / accepted pairs, demonstration spend / accepted
demonstrations, and a category's spend / its accepted examples; what counts as accepted comes
in as ``AcceptedExamples`` (``core.report.accepted``). The projection to completion carries
each kind's cost per task done to its remaining tasks (earned-value management's estimate at
completion, kind by kind, since a demonstration costs many comparisons).
"""

from __future__ import annotations

from collections import defaultdict

from accord.core.report.accepted import AcceptedExamples
from accord.core.report.cost_inputs import CostInputs, TimeSpent
from accord.wire.report.cost import CategoryCost, CompleteCost, KindCost

MS_PER_HOUR = 3_600_000.0
PURPOSE_KIND = {"generate": "comparison", "judge": "comparison", "draft": "demonstration"}
"""The task kind a model call works for: candidates and AI judgments serve comparisons,
drafts to post-edit serve demonstrations."""


def _pay(spent: TimeSpent) -> float:
    return spent.active_ms / MS_PER_HOUR * spent.rate


def _ratio(spend: float, count: float) -> float | None:
    return _round(spend / count) if count else None


def _round(value: float) -> float:
    return round(value, 6)


def complete_cost(inputs: CostInputs, accepted: AcceptedExamples,
                  budget: float | None) -> CompleteCost:
    """Everything the project cost so far, per accepted example, and at completion."""
    by_kind: dict[str, float] = defaultdict(float)
    by_category: dict[str, float] = defaultdict(float)
    for spent in (*inputs.annotation_time, *inputs.review_time):
        by_kind[spent.kind] += _pay(spent)
        by_category[spent.category] += _pay(spent)
    for purpose, use in inputs.models.items():
        if purpose in PURPOSE_KIND:
            by_kind[PURPOSE_KIND[purpose]] += use.cost
    for spent_by_category in (inputs.generated_by_category, inputs.task_calls_by_category):
        for category, cost in spent_by_category.items():
            by_category[category] += cost
    annotator_spend = sum(map(_pay, inputs.annotation_time))
    reviewer_spend = sum(map(_pay, inputs.review_time))
    model_spend = sum(use.cost for use in inputs.models.values())
    total = annotator_spend + reviewer_spend + model_spend
    kinds = {}
    for kind in sorted(set(by_kind) | set(inputs.work)):
        done = inputs.work[kind].done if kind in inputs.work else 0.0
        left = inputs.work[kind].remaining if kind in inputs.work else 0.0
        per_task = _ratio(by_kind[kind], done)
        ahead = (0.0 if not left else None if per_task is None else by_kind[kind] / done * left)
        kinds[kind] = KindCost(spend=_round(by_kind[kind]), tasks_done=_round(done),
                               tasks_remaining=_round(left), per_task=per_task,
                               projected_remaining=None if ahead is None else _round(ahead))
    projected = total + sum(k.projected_remaining or 0.0 for k in kinds.values())
    examples = accepted.by_category()
    categories = {key: CategoryCost(spend=_round(by_category[key]),
                                    accepted=examples.get(key, 0),
                                    per_accepted=_ratio(by_category[key], examples.get(key, 0)))
                  for key in sorted(set(by_category) | set(examples))}
    return CompleteCost(
        annotator_hours=_round(sum(s.active_ms for s in inputs.annotation_time) / MS_PER_HOUR),
        annotator_spend=_round(annotator_spend),
        reviewer_hours=_round(sum(s.active_ms for s in inputs.review_time) / MS_PER_HOUR),
        reviewer_spend=_round(reviewer_spend),
        models=inputs.models, model_spend=_round(model_spend), total_spend=_round(total),
        accepted_pairs=accepted.total_pairs,
        accepted_demonstrations=accepted.total_demonstrations,
        per_accepted_pair=_ratio(by_kind.get("comparison", 0.0), accepted.total_pairs),
        per_accepted_demonstration=_ratio(by_kind.get("demonstration", 0.0),
                                          accepted.total_demonstrations),
        by_kind=kinds, by_category=categories,
        unattributed_spend=_round(model_spend - sum(inputs.generated_by_category.values())
                                  - sum(inputs.task_calls_by_category.values())),
        budget=budget, budget_share=_ratio(total, budget) if budget else None,
        projected_total=_round(projected),
        projected_share=_ratio(projected, budget) if budget else None,
    )
