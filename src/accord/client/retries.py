"""When to send a request again, and how long to wait first.

A 429 or a 503 means the server did nothing with the request, so any request may be sent
again, after the ``Retry-After`` the server asked for (seconds or an HTTP date) or else an
exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
Jitter", 2015). A connection that failed or timed out may have carried the request to the
server, so only idempotent requests are sent again then: reads, and writes the server
makes idempotent (a submission repeated returns the stored one). Attempts are bounded, and
a server that asks for a longer wait than ``max_wait`` gets its error raised instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` counts every try, the first included (1 turns retries off)."""

    attempts: int = 5
    base_delay: float = 0.5
    """Seconds: the backoff before try ``n + 1`` is drawn from 0 … ``base_delay * 2**(n-1)``."""
    max_delay: float = 30.0
    """The backoff's ceiling, in seconds."""
    max_wait: float = 120.0
    """The longest ``Retry-After`` waited out, in seconds; a longer one is raised at once."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_wait < 0:
            raise ValueError("base_delay, max_delay and max_wait must not be negative")

    def backoff(self, attempt: int, random: Callable[[], float]) -> float:
        """The wait after the ``attempt``-th try failed, with full jitter."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling * random()

    def wait_after_status(self, attempt: int, status: int, retry_after: float | None,
                          random: Callable[[], float]) -> float | None:
        """Seconds to wait before trying again after an answer, or None to stop here."""
        if status not in RETRYABLE_STATUSES or attempt >= self.attempts:
            return None
        if retry_after is None:
            return self.backoff(attempt, random)
        return retry_after if retry_after <= self.max_wait else None

    def wait_after_failure(self, attempt: int, idempotent: bool,
                           random: Callable[[], float]) -> float | None:
        """Seconds to wait after a failed connection, or None to stop here."""
        if not idempotent or attempt >= self.attempts:
            return None
        return self.backoff(attempt, random)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header in seconds: ``"3"`` or ``"Wed, 21 Oct 2026 07:28:00 GMT"``
    (RFC 9110, 10.2.3); a date in the past is 0; anything else is None."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
