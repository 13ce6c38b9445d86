"""The complete cost (``cost.complete``): people's time, reviewers' time and model calls,
per accepted example, per category, and projected to completion against the budget."""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class ModelUse(ReportModel):
    """The model calls of one purpose (``generate``, ``judge``, …) from the ledger."""

    calls: int
    """Calls made, failed ones included."""
    failed: int
    """Calls that failed for good."""
    prompt_tokens: int
    """Prompt tokens recorded."""
    completion_tokens: int
    """Completion tokens recorded."""
    cost: float
    """Their recorded cost."""


class KindCost(ReportModel):
    """One kind of task: what it cost, what it has left, and the projection."""

    spend: float
    """People's and reviewers' time on tasks of this kind, and the model calls made for it."""
    tasks_done: float
    """Tasks done, a task counting the share of its overlap that was submitted."""
    tasks_remaining: float
    """Open tasks' slots still to fill, in tasks."""
    per_task: float | None
    """``spend / tasks_done``; null before any task of the kind was done."""
    projected_remaining: float | None
    """``per_task * tasks_remaining``; null when work remains but nothing was done yet."""


class CategoryCost(ReportModel):
    """One category: what it cost and what it cost per accepted example."""

    spend: float
    """People's and reviewers' time on its tasks and its generated responses' cost."""
    accepted: int
    """Accepted examples (pairs and demonstrations)."""
    per_accepted: float | None
    """``spend / accepted``; null while nothing is accepted."""


class CompleteCost(ReportModel):
    """Everything the project's data cost, in the currency of the pay rates and prices."""

    annotator_hours: float
    """People's active hours on annotations (AI judges' work is in ``models``)."""
    annotator_spend: float
    """Those hours at each annotator's pay rate."""
    reviewer_hours: float
    """Reviewers' active hours, where a review recorded its time."""
    reviewer_spend: float
    """Those hours at each reviewer's pay rate."""
    models: dict[str, ModelUse]
    """The ledger of model calls (``model_calls``) per purpose."""
    model_spend: float
    """The cost of every recorded model call."""
    total_spend: float
    """``annotator_spend + reviewer_spend + model_spend``."""
    accepted_pairs: int
    """Accepted pairs (decided pairs of settled comparison tasks)."""
    accepted_demonstrations: int
    """Accepted demonstrations."""
    per_accepted_pair: float | None
    """Spend on comparison work / accepted pairs; null while none is accepted."""
    per_accepted_demonstration: float | None
    """Spend on demonstration work / accepted demonstrations; null while none is accepted."""
    by_kind: dict[str, KindCost]
    """Per task kind: spend, work done and left, cost per task and the projection."""
    by_category: dict[str, CategoryCost]
    """Per category key: spend and cost per accepted example."""
    unattributed_spend: float
    """Model spend no category can be charged with: failed generation calls, and judge
    calls recorded before calls named the task they judged."""
    budget: float | None
    """The project's budget; null without one."""
    budget_share: float | None
    """``total_spend / budget``."""
    projected_total: float
    """``total_spend`` plus each kind's ``projected_remaining``: the spend at completion."""
    projected_share: float | None
    """``projected_total / budget``."""
