"""Fatigue: long sessions without a break, sudden speed-ups, and agreement that sags late.

An annotator's annotations, in time order, fall into **sessions**: runs in which the idle time
before a task (the time since the previous submission, less the task's own active time) never
exceeds ``break_minutes``. A session starts when its first task was started (its submission
less its active time) and ends at its last submission.

Three statistics, per annotator:

- **Session length**: the longest session, in minutes. Breaks matter for sustained
  judgement work; the alert fires past ``max_session_minutes`` without a break of
  ``break_minutes`` (occupational guidance such as the UK HSE's *Working with display screen
  equipment* (2013) asks for short, frequent breaks; two hours without one is well beyond it).
- **Speed-up**: the share of the annotator's ``window``-task windows (inside one session) whose
  median time per task is below ``speedup_ratio`` times their own *fresh baseline* — the
  median time per task over the first ``fresh_minutes`` of their sessions, when they are
  rested. Working against one's own baseline, not the pool's, keeps fast-but-careful people
  out of it. A window's median is below the line exactly when more than half of its tasks are
  (for an odd window), so the windows are counted with one cumulative sum, not sorted.
  Rushing is the classic sign of satisficing (Krosnick 1991, *Applied Cognitive Psychology*
  5(3)); half one's own pace is far outside ordinary variation in time per task.
- **Late agreement**: agreement with consensus on annotations made more than
  ``long_session_minutes`` into a session, against the annotator's other annotations (only
  the annotations that had a consensus to be compared with, where the caller says which); a
  one-sided pooled two-proportion z-test, Bonferroni-corrected over the annotators tested,
  and a drop of at least ``min_agreement_drop`` (vigilance decrement: Warm, Parasuraman &
  Matthews 2008, *Human Factors* 50(3)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.grouped import group_medians
from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_bool, as_float, as_index, as_seconds
from accord.quality.monitors.significance import bonferroni, proportion_lower


@dataclass(frozen=True)
class FatigueDefaults:
    """The thresholds :func:`fatigue` uses unless told otherwise."""

    break_minutes: float = 20.0
    """Idle time that ends a session: longer than a pause between tasks, shorter than lunch."""
    fresh_minutes: float = 30.0
    """The start of each session that makes the annotator's own baseline time per task."""
    window: int = 15
    """Tasks per rolling window: enough that one quick task cannot move its median."""
    speedup_ratio: float = 0.5
    """A window is fast when its median time is under this share of the fresh baseline."""
    min_speedup_share: float = 0.05
    """Alert when at least this share of an annotator's windows is fast — a pattern, not a blip."""
    long_session_minutes: float = 60.0
    """Annotations made after this many minutes of a session count as late."""
    min_agreement_drop: float = 0.10
    """Alert only when late agreement is at least this much lower (ten points)."""
    min_late_annotations: int = 30
    """Annotators with fewer late (or earlier) annotations are not tested."""
    max_session_minutes: float = 120.0
    """Alert on a session longer than two hours without a break."""
    alpha: float = 0.01
    """Family-wise false-alert rate of the agreement test over the whole pool."""


DEFAULTS = FatigueDefaults()


@dataclass(frozen=True)
class Fatigue:
    """Sessions and fatigue statistics; per-annotation arrays are in the input's order."""

    session: NDArray[np.int64]
    """Per annotation: its session, numbered by annotator, then time."""
    minutes_into_session: NDArray[np.float64]
    """Per annotation: minutes from its session's start to its submission."""
    sessions: NDArray[np.int64]
    """Per annotator: how many sessions."""
    longest_session_minutes: NDArray[np.float64]
    """Per annotator: the longest session (0 for an annotator with no annotations)."""
    baseline_ms: NDArray[np.float64]
    """Per annotator: median active time per task in the fresh part of their sessions."""
    speedup_share: NDArray[np.float64]
    """Per annotator: share of in-session windows whose median is under the speed-up line."""
    early_agreement: NDArray[np.float64]
    """Per annotator: agreement with consensus before ``long_session_minutes`` (NaN: none)."""
    late_agreement: NDArray[np.float64]
    """Per annotator: agreement with consensus after ``long_session_minutes`` (NaN: none)."""
    agreement_p_value: NDArray[np.float64]
    """Per annotator: one-sided p-value that late agreement is lower (1 when not tested)."""
    n_sessions: int
    long_sessions: int
    """Sessions, over everyone, longer than ``max_session_minutes``."""
    alerts: list[Alert] = field(default_factory=list)


@dataclass(frozen=True)
class _Sessions:
    order: NDArray[np.intp]
    annotator: NDArray[np.intp]
    session: NDArray[np.int64]
    position: NDArray[np.int64]
    elapsed_s: NDArray[np.float64]
    session_annotator: NDArray[np.intp]
    duration_s: NDArray[np.float64]


def _chronological(annotator: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray:
    """The order by annotator, then time: one argsort of a packed key when it fits 64 bits.

    Two submissions of one annotator in the same millisecond come in either order.
    """
    if len(seconds) == 0:
        return np.zeros(0, dtype=np.intp)
    ms = np.round((seconds - seconds.min()) * 1000.0).astype(np.int64)
    if ms.max() < 2**42 and annotator.max() < 2**20:
        return np.argsort((annotator.astype(np.int64) << 42) | ms)
    return np.lexsort((seconds, annotator))


def _sessions(annotator, seconds, active_s, break_s: float) -> _Sessions:
    """Split each annotator's time-ordered annotations at idle gaps longer than ``break_s``."""
    order = _chronological(annotator, seconds)
    a, t, work = annotator[order], seconds[order], active_s[order]
    starts = np.ones(len(a), dtype=bool)
    starts[1:] = (a[1:] != a[:-1]) | (t[1:] - t[:-1] - work[1:] > break_s)
    session = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    begun = t[first] - work[first]
    last = np.append(first[1:], len(a))[: len(first)] - 1
    return _Sessions(
        order=order, annotator=a, session=session,
        position=np.arange(len(a)) - first[session],
        elapsed_s=t - begun[session],
        session_annotator=a[first], duration_s=t[last] - begun,
    )


def _speedup_share(s: _Sessions, active_ms, baseline, window: int, ratio: float, n: int):
    """Share of each annotator's in-session windows whose median is under ``ratio x baseline``."""
    fast = active_ms < ratio * baseline[s.annotator]
    running = np.r_[0, np.cumsum(fast)]
    end = np.flatnonzero(s.position >= window - 1)
    in_window = running[end + 1] - running[end + 1 - window]
    windows = np.bincount(s.annotator[end], minlength=n)
    fast_windows = np.bincount(s.annotator[end], weights=2 * in_window > window, minlength=n)
    return _rate(fast_windows, windows)


def fatigue(
    annotator: ArrayLike,
    created_at: ArrayLike,
    active_ms: ArrayLike,
    agrees_with_consensus: ArrayLike | None = None,
    *,
    compared: ArrayLike | None = None,
    n_annotators: int | None = None,
    break_minutes: float = DEFAULTS.break_minutes,
    fresh_minutes: float = DEFAULTS.fresh_minutes,
    window: int = DEFAULTS.window,
    speedup_ratio: float = DEFAULTS.speedup_ratio,
    min_speedup_share: float = DEFAULTS.min_speedup_share,
    long_session_minutes: float = DEFAULTS.long_session_minutes,
    min_agreement_drop: float = DEFAULTS.min_agreement_drop,
    min_late_annotations: int = DEFAULTS.min_late_annotations,
    max_session_minutes: float = DEFAULTS.max_session_minutes,
    alpha: float = DEFAULTS.alpha,
) -> Fatigue:
    """Sessions, speed-ups and late-session agreement of every annotator (see module notes).

    One entry per annotation: ``annotator`` (index), ``created_at`` (submission time,
    ``datetime64`` or epoch seconds), ``active_ms`` (time spent on the task) and, optionally,
    ``agrees_with_consensus`` (without it, late agreement is not measured) and ``compared``,
    whether each annotation had a consensus to agree with (without it, every one had): late
    agreement counts only those that had.
    """
    who, n = as_index("annotator", annotator, n_annotators)
    seconds = as_seconds("created_at", created_at, len(who))
    spent = as_float("active_ms", active_ms, len(who))
    if window < 1:
        raise ValueError(f"window must be at least 1 task, not {window}")
    s = _sessions(who, seconds, spent / 1000.0, break_minutes * 60.0)
    spent_sorted = spent[s.order]
    fresh = s.elapsed_s <= fresh_minutes * 60.0
    baseline = group_medians(s.annotator[fresh], spent_sorted[fresh], n)
    share = _speedup_share(s, spent_sorted, baseline, window, speedup_ratio, n)
    longest = np.zeros(n)
    np.maximum.at(longest, s.session_annotator, s.duration_s / 60.0)

    early, late, p_value, agreement_alerts = _late_agreement(
        s, agrees_with_consensus, compared, n, long_session_minutes, min_late_annotations,
        min_agreement_drop, alpha,
    )
    alerts = _session_alerts(longest, max_session_minutes, break_minutes)
    alerts += _speedup_alerts(share, baseline, min_speedup_share, speedup_ratio, window)
    alerts += agreement_alerts

    session = np.empty(len(who), dtype=np.int64)
    session[s.order] = s.session
    minutes = np.empty(len(who))
    minutes[s.order] = s.elapsed_s / 60.0
    return Fatigue(
        session=session, minutes_into_session=minutes,
        sessions=np.bincount(s.session_annotator, minlength=n),
        longest_session_minutes=longest, baseline_ms=baseline, speedup_share=share,
        early_agreement=early, late_agreement=late, agreement_p_value=p_value,
        n_sessions=len(s.duration_s),
        long_sessions=int((s.duration_s > max_session_minutes * 60.0).sum()),
        alerts=alerts,
    )


def _late_agreement(s: _Sessions, agrees, compared, n: int, after_minutes: float,
                    min_count: int, min_drop: float, alpha: float):
    """Agreement before and after ``after_minutes`` into a session, over the compared
    annotations, its test and alerts."""
    if agrees is None:
        nothing = np.full(n, np.nan)
        return nothing, nothing, np.ones(n), []
    agree = as_bool("agrees_with_consensus", agrees, len(s.order))[s.order]
    counted = (np.ones(len(s.order), dtype=bool) if compared is None
               else as_bool("compared", compared, len(s.order))[s.order])
    late = s.elapsed_s > after_minutes * 60.0
    k_early, n_early, k_late, n_late = (
        np.bincount(s.annotator, weights=mask & counted, minlength=n)
        for mask in (agree & ~late, ~late, agree & late, late)
    )
    tested = (n_early >= min_count) & (n_late >= min_count)
    p_value = np.where(tested, proportion_lower(k_early, n_early, k_late, n_late), 1.0)
    early, later = _rate(k_early, n_early), _rate(k_late, n_late)
    level = bonferroni(alpha, int(tested.sum()))
    flagged = tested & (p_value < level) & (early - later >= min_drop)
    alerts = [_agreement_alert(i, early[i], later[i], p_value[i], min_drop, after_minutes)
              for i in np.flatnonzero(flagged)]
    return early, later, p_value, alerts


def _rate(k: NDArray, total: NDArray) -> NDArray[np.float64]:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, k / total, np.nan)


def _session_alerts(longest, limit: float, break_minutes: float) -> list[Alert]:
    return [
        Alert("fatigue.session_length", int(i), "warning", float(longest[i]), limit,
              f"annotator {i} worked {longest[i]:.0f} minutes without a break of "
              f"{break_minutes:g} minutes (limit {limit:g})")
        for i in np.flatnonzero(longest > limit)
    ]


def _speedup_alerts(share, baseline, limit: float, ratio: float, window: int) -> list[Alert]:
    return [
        Alert("fatigue.speedup", int(i), "warning", float(share[i]), limit,
              f"annotator {i}: {share[i]:.0%} of their {window}-task windows ran at under "
              f"{ratio:g}x their fresh median of {baseline[i] / 1000:.0f} s per task "
              f"(limit {limit:.0%})")
        for i in np.flatnonzero(share >= limit)
    ]


def _agreement_alert(i, early, late, p, limit: float, after: float) -> Alert:
    return Alert(
        "fatigue.agreement_drop", int(i), "warning", float(early - late), limit,
        f"annotator {i} agreed with consensus {late:.0%} of the time after {after:g} minutes "
        f"in a session, against {early:.0%} before (one-sided p = {p:.2g})",
    )
