"""From two readings of one pair — shown in both orders — to one verdict.

LLM judges prefer whichever response is shown first (or second) far more often than chance
(Zheng et al. 2023, §3.3, "position bias"; Wang et al. 2023, "Large Language Models are not
Fair Evaluators"). The remedy MT-Bench uses is the one here: ask twice with the responses
swapped and count a win only when both orders name the same response; when they disagree
the verdict stored is a tie with confidence 0.

- ``confidence``: how sure the judge is of a verdict it gave in both orders — the mean over
  the two orders of its probability of that verdict, from token probabilities where the
  backend gave them (for a reply whose text named no verdict, times the probability that
  its first token named one at all), else 1 for the verdict the order named. Two orders
  that agree without probabilities give 1. Two orders that disagree give 0, whatever
  probability either gave a tie: the tie stored for them is Accord's, not a verdict the
  judge gave. So a verdict the judge did not hold to never reads as a sure one (hybrid
  routing sends it to people), and the audit's ``mean_confidence`` averages one figure.
- ``preference`` (``annotations.preference``): where both orders have token probabilities,
  the mean over orders of P(winner) / (P(winner) + P(loser)), the probability that the
  first-ranked response is better; 0.5 for a tie; None without probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.llm.verdict import TIE, A, B

TIE_OUTCOME = "tie"


@dataclass(frozen=True)
class Reading:
    """One order's reply: which responses were shown as A and B, and what the judge said."""

    shown: tuple[str, str]
    raw: str
    verdict: str
    """``A``, ``B`` or ``TIE``."""
    reasons: str
    probabilities: dict[str, float] | None
    """P(A), P(B), P(TIE) from the first token's log-probabilities, when the backend gave them."""
    attempts: int = 1
    read_from: str = "text"
    """``text`` (the reply named its verdict) or ``logprobs`` (it did not, and the verdict is
    the likeliest of A, B and TIE among the first token's alternatives)."""
    verdict_mass: float | None = None
    """The first token's probability of naming any verdict, where log-probabilities came."""

    @property
    def outcome(self) -> str:
        """The response id the judge preferred, or ``tie``."""
        return {A: self.shown[0], B: self.shown[1]}.get(self.verdict, TIE_OUTCOME)

    def distribution(self) -> dict[str, float]:
        """P(each response is better) and P(tie), by response id."""
        if self.probabilities is None:
            return {self.shown[0]: float(self.verdict == A),
                    self.shown[1]: float(self.verdict == B),
                    TIE_OUTCOME: float(self.verdict == TIE)}
        # A verdict read from the alternatives of a reply that named none counts only the
        # probability the model gave to answering with a verdict at all.
        scale = self.verdict_mass if self.read_from == "logprobs" and \
            self.verdict_mass is not None else 1.0
        return {self.shown[0]: self.probabilities[A] * scale,
                self.shown[1]: self.probabilities[B] * scale,
                TIE_OUTCOME: self.probabilities[TIE] * scale}

    def as_record(self) -> dict:
        return {"shown": list(self.shown), "raw": self.raw, "verdict": self.verdict,
                "attempts": self.attempts, "read_from": self.read_from,
                "verdict_mass": None if self.verdict_mass is None
                else round(self.verdict_mass, 6),
                "probabilities": None if self.probabilities is None
                else {k: round(v, 6) for k, v in self.probabilities.items()}}


@dataclass(frozen=True)
class Decision:
    ranking: list[list[str]]
    consistent: bool
    confidence: float
    preference: float | None


def decide(first: Reading, second: Reading) -> Decision:
    """The verdict of two readings of the same pair in opposite orders."""
    if sorted(first.shown) != sorted(second.shown) or first.shown == second.shown:
        raise ValueError("the two readings must show the same responses in opposite orders")
    consistent = first.outcome == second.outcome
    outcome = first.outcome if consistent else TIE_OUTCOME
    one, other = first.shown
    if outcome == TIE_OUTCOME:
        ranking = [sorted([one, other])]
    else:
        loser = other if outcome == one else one
        ranking = [[outcome], [loser]]
    dists = (first.distribution(), second.distribution())
    confidence = sum(d[outcome] for d in dists) / 2 if consistent else 0.0
    preference = None
    if first.probabilities is not None and second.probabilities is not None:
        if outcome == TIE_OUTCOME:
            preference = 0.5
        else:
            winner, loser = ranking[0][0], ranking[1][0]
            shares = [d[winner] / (d[winner] + d[loser]) if d[winner] + d[loser] > 0 else 0.5
                      for d in dists]
            # The text's verdict and the token probabilities can part ways when sampling is
            # not greedy; the stored preference stays within its documented range.
            preference = min(max(sum(shares) / 2, 0.5), 1.0)
    return Decision(ranking, consistent, round(confidence, 6),
                    None if preference is None else round(preference, 6))
