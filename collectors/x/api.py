"""tweepy's v2 `Client`, pointed at `--api-base` when given, with its errors
turned into the runtime's. tweepy sleeps on 429 only if asked to; it is not,
so the reset time comes back to the runtime."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from collectors.runtime import (
    AuthFailed,
    CollectorError,
    RateLimited,
    TransientError,
    Unavailable,
    retry_after,
)

X_HOST = "https://api.twitter.com"


class _Session(requests.Session):
    """tweepy's session with a timeout on every request (tweepy sets none, so an X
    that never answers would hold a pass forever), sending what tweepy addresses to
    the X host to another base URL when one is given."""

    def __init__(self, base: str | None, timeout: float) -> None:
        super().__init__()
        self.base = base.rstrip("/") if base else None
        self.timeout = timeout

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        if self.base and isinstance(url, str) and url.startswith(X_HOST):
            url = self.base + url[len(X_HOST) :]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def make_client(bearer_token: str, base: str | None = None, *, timeout: float = 30.0) -> Any:
    import tweepy

    client = tweepy.Client(bearer_token=bearer_token, return_type=dict, wait_on_rate_limit=False)
    client.session = _Session(base, timeout)
    return client


def guarded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a tweepy method; raise the runtime's errors."""
    import tweepy

    try:
        return fn(*args, **kwargs)
    except tweepy.TooManyRequests as exc:
        wait = retry_after(dict(exc.response.headers))
        raise RateLimited("X answered 429 Too Many Requests", wait) from None
    except tweepy.Unauthorized:
        raise AuthFailed("X refused the bearer token (401)") from None
    except tweepy.Forbidden as exc:
        detail = _detail(exc)
        raise AuthFailed(
            f"X refused the request (403: {detail}); reading mentions needs the Basic "
            "access tier or higher"
        ) from None
    except tweepy.NotFound as exc:
        raise Unavailable(f"X: not found ({_detail(exc)})") from None
    except tweepy.TwitterServerError as exc:
        raise TransientError(f"X: HTTP {exc.response.status_code}") from None
    except tweepy.BadRequest as exc:
        raise CollectorError(f"X rejected the request (400: {_detail(exc)})") from None
    except requests.Timeout:
        raise TransientError("X did not answer in time") from None
    except requests.RequestException as exc:
        raise TransientError(f"cannot reach X ({type(exc).__name__})") from None


def _detail(exc: Any) -> str:
    messages = getattr(exc, "api_messages", None) or []
    if messages:
        return "; ".join(str(m) for m in messages)[:300]
    return str(getattr(exc.response, "reason", "")) or "no detail"
