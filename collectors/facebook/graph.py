"""A thin client of Meta's Graph API over httpx, shared by Facebook Pages and
the Instagram Graph API: one GET, cursor paging, and what the answer means
(errors and the usage headers that warn before a rate limit hits).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from collectors.runtime import (
    AuthFailed,
    CollectorError,
    PassContext,
    RateLimited,
    Throttle,
    TransientError,
    Unavailable,
    retry_after,
)

DEFAULT_VERSION = "v21.0"
DEFAULT_BASE = f"https://graph.facebook.com/{DEFAULT_VERSION}"
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage", "x-ad-account-usage")

# https://developers.facebook.com/docs/graph-api/guides/error-handling
AUTH_CODES = {102, 190, 10, 3}
RATE_CODES = {4, 17, 32, 341, 613}  # app, user, page, spam, calls within a window
TRANSIENT_CODES = {1, 2}


class GraphApi:
    def __init__(
        self,
        token: str,
        *,
        base: str = DEFAULT_BASE,
        throttle: Throttle | None = None,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        self._token = token
        self.base = base.rstrip("/")
        self.throttle = throttle
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": "qulaq"})
        self.last_usage: float = 0.0

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        query = {k: str(v) for k, v in params.items() if v is not None}
        query["access_token"] = self._token
        what = path.split("?")[0].strip("/").split("/")[-1] or "node"
        try:
            resp = self.http.get(f"{self.base}/{path.lstrip('/')}", params=query)
        except httpx.TimeoutException:
            raise TransientError(f"{what}: the Graph API did not answer in time") from None
        except httpx.TransportError as exc:
            raise TransientError(f"{what}: cannot reach {self.base} ({exc})") from None
        self._read_usage(resp.headers)
        try:
            body = resp.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise classify(what, body["error"], resp)
        if resp.status_code == 429:
            raise RateLimited(f"{what}: HTTP 429", retry_after(resp.headers))
        if resp.status_code >= 500:
            raise TransientError(f"{what}: HTTP {resp.status_code}")
        if resp.status_code in (401, 403):
            raise AuthFailed(f"{what}: HTTP {resp.status_code}, the token was refused")
        if resp.status_code >= 400 or not isinstance(body, dict):
            raise CollectorError(f"{what}: HTTP {resp.status_code}, unexpected answer")
        return body

    def pages(self, ctx: PassContext, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paged edge, following `paging.cursors.after`."""
        after: str | None = None
        while True:
            body = ctx.call(self.get, path, **params, after=after)
            yield from body.get("data") or []
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after or not body.get("data"):
                return

    def _read_usage(self, headers: httpx.Headers) -> None:
        """Slow down before the limit: the usage headers give percentages of the
        window's budget and, once throttled, the minutes until access returns."""
        worst = 0.0
        regain = 0.0
        for name in USAGE_HEADERS:
            raw = headers.get(name)
            if not raw:
                continue
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            for entry in _usage_entries(data):
                for key in ("call_count", "total_cputime", "total_time", "acc_id_util_pct"):
                    value = entry.get(key)
                    if isinstance(value, int | float):
                        worst = max(worst, float(value))
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, int | float):
                    regain = max(regain, float(minutes) * 60)
        self.last_usage = worst
        if self.throttle is None:
            return
        if regain > 0:
            self.throttle.hold(
                regain, f"Graph API usage {worst:.0f}%, access back in {regain:.0f} s"
            )
        elif worst >= 95:
            self.throttle.hold(60, f"Graph API usage at {worst:.0f}%")
        elif worst >= 80:
            self.throttle.hold(5, f"Graph API usage at {worst:.0f}%")

    def close(self) -> None:
        self.http.close()


def _usage_entries(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        if any(isinstance(v, list) for v in data.values()):
            for value in data.values():  # business use case: {id: [{type, call_count, …}]}
                if isinstance(value, list):
                    yield from (v for v in value if isinstance(v, dict))
        else:
            yield data


def classify(what: str, error: dict[str, Any], resp: httpx.Response) -> CollectorError:
    code = int(error.get("code") or 0)
    sub = error.get("error_subcode")
    msg = str(error.get("message") or "").strip()
    label = f"Graph API error {code}" + (f"/{sub}" if sub else "")
    if code in AUTH_CODES or 200 <= code <= 299:
        return AuthFailed(f"{what}: the token was refused ({label}: {msg})")
    if code in RATE_CODES or 80001 <= code <= 80014:
        wait = retry_after(resp.headers)
        if wait is None:
            wait = _regain_seconds(resp.headers)
        return RateLimited(f"{what}: rate limit ({label})", wait)
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return TransientError(f"{what}: {label}: {msg}")
    if (code == 100 and sub == 33) or code == 803:
        return Unavailable(f"{what}: {label}: {msg}")
    return CollectorError(f"{what}: {label}: {msg}")


def _regain_seconds(headers: httpx.Headers) -> float | None:
    best = None
    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for entry in _usage_entries(data):
            minutes = entry.get("estimated_time_to_regain_access")
            if isinstance(minutes, int | float) and minutes > 0:
                best = max(best or 0.0, float(minutes) * 60)
    return best
