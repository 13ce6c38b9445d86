"""The ``consensus`` section: per task, per pair of responses and per model."""

from __future__ import annotations

from accord.wire.report.base import Absent, ReportModel


class ModelRating(ReportModel):
    """A model's Bradley-Terry rating over every comparison of its responses."""

    model: str
    """The model's name."""
    rating: float
    """Bradley-Terry rating on the Elo scale."""
    lower: float
    """Lower end of the bootstrap 95% interval."""
    upper: float
    """Upper end of the bootstrap 95% interval."""
    comparisons: int
    """Pairwise outcomes in which one of its responses took part."""


class WinRate(ReportModel):
    """AlpacaEval's figures for one pair of models (``accord.quality.winrate``)."""

    model: str
    """The model measured."""
    baseline: str
    """The model it is measured against: the one compared with more models."""
    win_rate: float | None
    """Mean preference for ``model``, in percent (soft where a judge gave a probability)."""
    standard_error: float | None
    """Standard error of ``win_rate``, in percent."""
    n_wins: int
    """Preferences for ``model``."""
    n_wins_base: int
    """Preferences for ``baseline``."""
    n_draws: int
    """Exact draws."""
    n_total: int
    """All preferences counted."""
    discrete_win_rate: float | None
    """Win rate with each preference counted as a win, a loss or a draw, in percent."""


class StoredConsensus(ReportModel):
    """What storing the consensus changed in the database."""

    stored: int
    """Tasks whose consensus was written."""
    to_adjudication: int
    """Tasks moved to ``needs_adjudication``."""
    back_to_complete: int
    """Tasks moved back to ``complete`` by judgments that lifted their agreement."""


class ConsensusSection(ReportModel):
    """Per (task, pair) the majority and the reliability-weighted outcome; per task a
    Bradley-Terry ranking and its agreement; per model its rating and win rates."""

    method: str
    """How each task's consensus ranking is made."""
    agreement_threshold: float
    """The project's threshold: a settled task below it needs adjudication."""
    tasks_settled: int
    """Tasks that reached their overlap (status ``complete`` or ``needs_adjudication``)."""
    tasks_needing_adjudication: int
    """Settled tasks whose agreement is below the threshold."""
    pairs: int
    """(task, response pair) items with votes."""
    pairs_with_majority: int
    """Of those, the items one outcome won."""
    mean_task_agreement: float | None
    """Mean agreement of the settled tasks (share of votes on each pair's most common
    outcome), over the pairs that two or more annotators judged: a lone vote agrees only
    with itself. Null when no settled task has such a pair (a project with overlap 1)."""
    mean_confidence: float | None
    """Mean confidence of the tasks' consensus rankings."""
    models: list[ModelRating]
    """Every named model compared with another, highest rating first."""
    win_rates: list[WinRate]
    """Every pair of models compared, highest win rate first."""
    stored: StoredConsensus | Absent = None
    """What storing changed; only in a report that stored its consensus."""
