"""A thin client of the VK API (version 5.199) over httpx.

vk_api hard-codes its host (`https://api.vk.ru/method/…`), so it cannot be
pointed at another server with `--api-base`, and it answers error 6 with a
fixed half-second sleep and nothing for 9 or 29; this client only sends a
method and says what the answer means. Waiting and retrying is the runtime's.
"""

from __future__ import annotations

from typing import Any

import httpx

from collectors.runtime import (
    AuthFailed,
    CollectorError,
    RateLimited,
    TransientError,
    Unavailable,
    retry_after,
)

API_VERSION = "5.199"
DEFAULT_BASE = "https://api.vk.com/method"

# https://dev.vk.com/ru/reference/errors
AUTH_ERRORS = {5, 7, 27, 28, 1116}  # bad token; no permission; wrong token type; expired app
TRANSIENT_ERRORS = {1, 10}  # unknown error; internal server error
UNAVAILABLE_ERRORS = {15, 18, 19, 30, 212, 213}  # denied, deleted, blocked, private, comments off


class VkError(CollectorError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"VK error {code}: {message}" if code else message)
        self.code = code


class VkApi:
    def __init__(
        self,
        token: str,
        *,
        base: str = DEFAULT_BASE,
        version: str = API_VERSION,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        self._token = token
        self.base = base.rstrip("/")
        self.version = version
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": "qulaq"})
        self._use_get = False

    def call(self, method: str, **params: Any) -> Any:
        """One method call; the `response` of the answer, or a classified error."""
        data = {k: _param(v) for k, v in params.items() if v is not None}
        data["v"] = self.version
        data["access_token"] = self._token
        url = f"{self.base}/{method}"
        try:
            if self._use_get:
                resp = self.http.get(url, params=data)
            else:
                # in the body, so the token stays out of URLs that get logged
                resp = self.http.post(url, data=data)
                if resp.status_code in (405, 501):  # a server that answers GET only
                    self._use_get = True
                    resp = self.http.get(url, params=data)
        except httpx.TimeoutException:
            raise TransientError(f"{method}: VK did not answer in time") from None
        except httpx.TransportError as exc:
            raise TransientError(f"{method}: cannot reach {self.base} ({exc})") from None
        if resp.status_code == 429:
            raise RateLimited(f"{method}: HTTP 429", retry_after(resp.headers))
        if resp.status_code >= 500:
            raise TransientError(f"{method}: HTTP {resp.status_code}")
        if resp.status_code in (401, 403):
            raise AuthFailed(f"{method}: HTTP {resp.status_code}, the token was refused")
        if resp.status_code >= 400:
            raise VkError(0, f"{method}: HTTP {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            raise TransientError(
                f"{method}: the answer is not JSON (HTTP {resp.status_code})"
            ) from None
        if not isinstance(body, dict):
            raise TransientError(f"{method}: unexpected answer")
        if "error" in body:
            raise classify(method, body["error"])
        if "response" not in body:
            raise TransientError(f"{method}: the answer has no response")
        return body["response"]

    def get_json(self, url: str, params: dict[str, Any], timeout: float) -> Any:
        """A GET to another VK server (the long poll server)."""
        try:
            resp = self.http.get(url, params=params, timeout=timeout)
        except httpx.TransportError as exc:
            raise TransientError(f"long poll: cannot reach the server ({exc})") from None
        if resp.status_code == 429:
            raise RateLimited("long poll: HTTP 429", retry_after(resp.headers))
        if resp.status_code >= 400:
            raise TransientError(f"long poll: HTTP {resp.status_code}")
        try:
            return resp.json()
        except ValueError:
            raise TransientError("long poll: the answer is not JSON") from None

    def close(self) -> None:
        self.http.close()


def classify(method: str, error: Any) -> CollectorError:
    code = int(error.get("error_code", 0)) if isinstance(error, dict) else 0
    msg = str(error.get("error_msg", "")) if isinstance(error, dict) else str(error)
    where = f"{method}: "
    if code == 6:
        return RateLimited(f"{where}too many requests per second (VK error 6)")
    if code == 9:
        return RateLimited(f"{where}flood control (VK error 9)", 30.0)
    if code == 29:
        # the method's daily quota: VK names no reset time, the quota renews within a day
        return RateLimited(f"{where}the method's rate limit is reached (VK error 29)", 3600.0)
    if code in AUTH_ERRORS:
        return AuthFailed(f"{where}the token was refused (VK error {code}: {msg})")
    if code in TRANSIENT_ERRORS:
        return TransientError(f"{where}VK error {code}: {msg}")
    if code in UNAVAILABLE_ERRORS:
        return Unavailable(f"{where}VK error {code}: {msg}")
    return VkError(code, f"{where}{msg}")


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)
