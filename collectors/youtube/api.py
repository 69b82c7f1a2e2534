"""A thin client of the YouTube Data API v3 over httpx: one GET, and what the
answer means (quota, rate limits, keys, comments turned off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from collectors.runtime import (
    AuthFailed,
    CollectorError,
    RateLimited,
    TransientError,
    Unavailable,
    retry_after,
)

DEFAULT_BASE = "https://www.googleapis.com/youtube/v3"
AUTH_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "forbidden", "ipRefererBlocked"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
UNAVAILABLE_REASONS = {
    "commentsDisabled",
    "videoNotFound",
    "channelNotFound",
    "playlistNotFound",
    "commentThreadNotFound",
    "processingFailure",
}


class YouTubeApi:
    def __init__(
        self,
        key: str,
        *,
        base: str = DEFAULT_BASE,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        self._key = key
        self.base = base.rstrip("/")
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": "qulaq"})

    def get(self, resource: str, **params: Any) -> dict[str, Any]:
        query = {k: str(v) for k, v in params.items() if v is not None}
        query["key"] = self._key
        try:
            resp = self.http.get(f"{self.base}/{resource}", params=query)
        except httpx.TimeoutException:
            raise TransientError(f"{resource}: YouTube did not answer in time") from None
        except httpx.TransportError as exc:
            raise TransientError(f"{resource}: cannot reach {self.base} ({exc})") from None
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code >= 400 or (isinstance(body, dict) and "error" in body):
            raise classify(resource, resp, body)
        if not isinstance(body, dict):
            raise TransientError(f"{resource}: unexpected answer")
        return body

    def close(self) -> None:
        self.http.close()


def quota_reset(now: datetime | None = None) -> float:
    """Seconds until the daily quota renews: midnight in California."""
    pacific = ZoneInfo("America/Los_Angeles")
    local = (now or datetime.now(UTC)).astimezone(pacific)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - local).total_seconds()


def classify(resource: str, resp: httpx.Response, body: Any) -> CollectorError:
    error = body.get("error") if isinstance(body, dict) else None
    reasons = set()
    message = ""
    if isinstance(error, dict):
        message = str(error.get("message") or "")
        reasons = {str(e.get("reason")) for e in error.get("errors") or () if isinstance(e, dict)}
    status = resp.status_code
    label = f"{resource}: HTTP {status}" + (f" {', '.join(sorted(reasons))}" if reasons else "")
    if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
        return RateLimited(f"{label}: the day's quota is spent", quota_reset())
    if reasons & RATE_REASONS or status == 429:
        return RateLimited(label, retry_after(resp.headers))
    if reasons & AUTH_REASONS or status in (401,) or (status == 400 and "API key" in message):
        return AuthFailed(f"{label}: the API key was refused ({message})")
    if reasons & UNAVAILABLE_REASONS or status == 404:
        return Unavailable(label)
    if status >= 500 or "backendError" in reasons:
        return TransientError(label)
    return CollectorError(f"{label}: {message}")
