"""The report's ``overlap`` section as text lines, as HTML, and as the chart of judgments per
task that the HTML report and the dashboard both draw."""

from __future__ import annotations

from html import escape

from accord.charts import bar_chart
from accord.wire.report.overlap import OverlapSection


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _stop(section: OverlapSection) -> str:
    stop = section.rule["stop"]
    return "unanimity" if stop == "unanimous" else f"confidence {stop['confidence']:g}"


def summary(section: OverlapSection) -> str:
    """One sentence: the rule, what it spent against a fixed ``max``, what it bought."""
    rule = section.rule
    return (f"{rule['min']} to {rule['max']} annotators a task, stopping at {_stop(section)}: "
            f"{section.tasks_decided} tasks decided ({section.tasks_settled} settled, "
            f"{section.tasks_at_max} at max) with {section.judgments} judgments, "
            f"{section.judgments_saved} ({_pct(section.saved_share)}) fewer than a fixed "
            f"overlap of {rule['max']}; mean {_f(section.mean_judgments_per_task, 2)} a task; "
            f"estimated accuracy of settled tasks {_f(section.estimated_accuracy)}")


def text_lines(section: OverlapSection | None) -> list[str]:
    """The section for ``accord report`` (nothing without the rule)."""
    if section is None:
        return []
    spread = ", ".join(f"{n}: {tasks}" for n, tasks in section.judgments_per_task.items())
    return ["", "Adaptive overlap", f"  {summary(section)}",
            f"  tasks by judgments taken  {spread or 'none yet'}"]


def judgments_chart(section: OverlapSection) -> str:
    """Share of decided tasks by the judgments they took, as inline SVG."""
    decided = section.tasks_decided or 1
    rows = [(f"{n} judgments", tasks / decided)
            for n, tasks in section.judgments_per_task.items()]
    return bar_chart(rows, title="share of decided tasks by judgments taken")


def html(section: OverlapSection | None) -> str:
    """The section for the self-contained HTML report (empty without the rule)."""
    if section is None:
        return ""
    return (f"<h2>Adaptive overlap</h2><p>{escape(summary(section))}.</p>"
            f"<h3>Tasks by judgments taken</h3>{judgments_chart(section)}")
