"""When to try a model call again, and how long to wait first.

Rate limits (429), server errors (5xx), timeouts and dropped connections pass; anything else
(a bad request, a wrong key, an unknown model) will fail the same way again, so it is not
retried. Waits grow exponentially with jitter drawn from a seedable generator, so a test or
a benchmark replays the same waits; a server's ``Retry-After`` overrides the computed wait.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from accord.core.errors import InvalidInput

# Statuses a later attempt can cure: the server is busy or broke on its side.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# A server may ask for long waits; beyond this a run would look hung, so the wait is capped.
MAX_RETRY_AFTER_S = 120.0


@dataclass(frozen=True, slots=True)
class Retries:
    """At most ``attempts`` tries per call; waits of ``base_delay_s`` * 2^(n-1), jittered to
    50-100 % and capped at ``max_delay_s``; ``seed`` fixes the jitter."""

    attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise InvalidInput(f"--retries leaves {self.attempts} attempts; at least one is made")
        if self.base_delay_s < 0 or self.max_delay_s < 0:
            raise InvalidInput("retry delays must be zero or more seconds")


def retryable_status(status: int) -> bool:
    return status in RETRY_STATUSES or 500 <= status < 600


class Backoff:
    """The wait before each retry; shared by the threads of one backend (hence the lock)."""

    def __init__(self, retries: Retries) -> None:
        self._retries = retries
        self._random = random.Random(retries.seed)
        self._lock = threading.Lock()

    def delay(self, failed_attempt: int, retry_after_s: float | None = None) -> float:
        """Seconds to wait after attempt number ``failed_attempt`` (from 1) failed."""
        if retry_after_s is not None:
            return min(max(retry_after_s, 0.0), MAX_RETRY_AFTER_S)
        ceiling = min(self._retries.max_delay_s,
                      self._retries.base_delay_s * 2 ** (failed_attempt - 1))
        with self._lock:
            jitter = self._random.random()
        return ceiling * (0.5 + 0.5 * jitter)


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait a response asks for: ``retry-after-ms``, or ``Retry-After`` in seconds or as
    an HTTP date; None when absent or unreadable."""
    lowered = {key.lower(): value for key, value in headers.items()}
    milliseconds = lowered.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - (time.time() if now is None else now), 0.0)
