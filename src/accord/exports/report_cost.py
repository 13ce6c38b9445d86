"""The report's complete cost (``cost.complete``) as text and as HTML: where the money went,
what an accepted example cost, and the spend at completion against the budget."""

from __future__ import annotations

from html import escape

from accord.wire.report.cost import CompleteCost


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def summary(cost: CompleteCost) -> str:
    """One sentence: total and its parts, per accepted example, and the projection."""
    budget = ("no budget" if cost.budget is None else
              f"{_share(cost.budget_share)} of the budget of {_money(cost.budget)}")
    return (f"{_money(cost.total_spend)} spent ({_money(cost.annotator_spend)} annotators, "
            f"{_money(cost.reviewer_spend)} reviewers, {_money(cost.model_spend)} model "
            f"calls), {budget}; {_money(cost.per_accepted_pair)} per accepted pair, "
            f"{_money(cost.per_accepted_demonstration)} per accepted demonstration; "
            f"{_money(cost.projected_total)} at completion"
            + ("" if cost.projected_share is None
               else f" ({_share(cost.projected_share)} of the budget)") + ".")


def cost_lines(cost: CompleteCost | None) -> list[str]:
    """Text lines: the summary, then per kind and per category."""
    if cost is None:
        return []
    lines = ["", f"Complete cost: {summary(cost)}"]
    for kind, row in cost.by_kind.items():
        lines.append(f"  {kind:<14} {_money(row.spend):>10} spent, {row.tasks_done:g} tasks "
                     f"done, {row.tasks_remaining:g} left, {_money(row.per_task)} per task, "
                     f"{_money(row.projected_remaining)} to finish")
    for key, row in cost.by_category.items():
        lines.append(f"  {key:<14} {_money(row.spend):>10} spent, {row.accepted} accepted, "
                     f"{_money(row.per_accepted)} each")
    return lines


def cost_html(cost: CompleteCost | None) -> str:
    """The summary and two tables (by kind, by category)."""
    if cost is None:
        return ""
    kinds = "".join(
        f"<tr><td>{escape(kind)}</td><td class=num>{_money(r.spend)}</td>"
        f"<td class=num>{r.tasks_done:g}</td><td class=num>{r.tasks_remaining:g}</td>"
        f"<td class=num>{_money(r.per_task)}</td>"
        f"<td class=num>{_money(r.projected_remaining)}</td></tr>"
        for kind, r in cost.by_kind.items())
    categories = "".join(
        f"<tr><td>{escape(key)}</td><td class=num>{_money(r.spend)}</td>"
        f"<td class=num>{r.accepted}</td><td class=num>{_money(r.per_accepted)}</td></tr>"
        for key, r in cost.by_category.items())
    return (f"<p>{escape(summary(cost))}</p>"
            "<table><tr><th>task kind</th><th class=num>spend</th><th class=num>tasks done</th>"
            "<th class=num>tasks left</th><th class=num>per task</th>"
            f"<th class=num>to finish</th></tr>{kinds}</table>"
            "<table><tr><th>category</th><th class=num>spend</th><th class=num>accepted</th>"
            f"<th class=num>per accepted</th></tr>{categories}</table>")
