"""Pacing and back-off, written once for every platform.

`Throttle` spaces requests to the platform's documented rate and holds them
when the platform says it is near its limit (Graph API usage headers).
`Backoff` gives the waits between retries when the platform names none.
`retry_after` reads the reset time of an HTTP 429 from its headers.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


class Throttle:
    """At most `rate` requests a second; `hold(s)` pauses every request for s seconds."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.set_rate(rate)
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._held_until = 0.0
        self.held_reason = ""
        self._lock = threading.Lock()

    def set_rate(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0

    def wait(self) -> float:
        """Block until the next request may go; return the seconds waited."""
        with self._lock:
            now = self._clock()
            due = max(self._next, self._held_until, now)
            self._next = due + self.interval
        delay = due - now
        if delay > 0:
            self._sleep(delay)
        return delay

    def hold(self, seconds: float, reason: str = "") -> None:
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            if until > self._held_until:
                self._held_until = until
                self.held_reason = reason


@dataclass
class Backoff:
    """Exponential back-off with full jitter, capped."""

    base: float = 0.5
    cap: float = 60.0
    jitter: bool = True

    def delay(self, attempt: int) -> float:
        top = min(self.cap, self.base * (2 ** max(0, attempt)))
        return random.uniform(top / 2, top) if self.jitter else top


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date), X's
    `x-rate-limit-reset` (epoch seconds) or `RateLimit-Reset` (seconds)."""
    lower = {k.lower(): v for k, v in headers.items()}
    now = now or datetime.now(UTC)
    value = lower.get("retry-after")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                return max(0.0, (when - now).total_seconds())
    value = lower.get("x-rate-limit-reset")
    if value:
        try:
            return max(0.0, float(value) - now.timestamp())
        except ValueError:
            pass
    value = lower.get("ratelimit-reset")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
    return None
