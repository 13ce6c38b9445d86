"""The report's ``judges`` section: AI judges' annotations, counted apart from people's.

The report's figures count people (``report.scope``); here are the AI judges whose
annotations fall in the report's cut, each with its count, and whether the figures counted
them this time (``include_ai``). ``audit`` is filled by ``build_report`` with one judge
audit per AI judge of the project — agreement and Cohen's kappa with the human consensus or
gold, swap consistency (``core.judging.judge_audit``) — and stays ``null`` when no judge is in the
cut.
"""

from __future__ import annotations

import numpy as np

from accord.core.report.scope import Scope, Selection
from accord.wire.report.judges import JudgeCount, JudgesSection


def section(selection: Selection, scope: Scope) -> JudgesSection:
    """The AI judges of the cut with their counts; ``audit`` stays null for
    ``build_report``, which reads the audits from the database."""
    annotators = selection.cut.annotators
    made = np.bincount(selection.cut.annotations.annotator[selection.ai],
                       minlength=len(annotators.ids))
    judges = [JudgeCount(name=annotators.names[i], annotations=int(made[i]))
              for i in np.flatnonzero(made).tolist()]
    return JudgesSection(annotations=int(selection.ai.sum()), judges=judges,
                         counted_in_figures=scope.include_ai, audit=None)
