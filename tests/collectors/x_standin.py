"""A stand-in for the X API v2 on loopback: user lookup, a user's tweets and
mentions with `meta.next_token` paging, `includes.users`, edit histories,
429 with `x-rate-limit-reset`, 401 for a bad bearer token."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BEARER = "x-standin-bearer"
USER_ID = "900"


def x_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class XStandin:
    handle: str = "akimat_kz"
    tweets: list[dict[str, Any]] = field(default_factory=list)  # by the account
    mentions: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=lambda: {USER_ID: "akimat_kz"})
    limited_at: set[int] = field(default_factory=set)
    requests: int = 0
    params: list[dict[str, str]] = field(default_factory=list)
    _n: int = 1000

    def tweet(
        self,
        ts: float,
        text: str,
        *,
        author: str = USER_ID,
        reply_to: str | None = None,
        conversation: str | None = None,
    ) -> dict[str, Any]:
        self._n += 1
        tid = str(self._n)
        t: dict[str, Any] = {
            "id": tid,
            "text": text,
            "created_at": x_time(ts),
            "author_id": author,
            "conversation_id": conversation or tid,
            "edit_history_tweet_ids": [tid],
            "public_metrics": {
                "like_count": 1,
                "reply_count": 0,
                "retweet_count": 0,
                "quote_count": 0,
            },
        }
        if reply_to:
            t["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
            t["in_reply_to_user_id"] = USER_ID
        if author != USER_ID:
            self.users.setdefault(author, f"user{author}")
        (self.tweets if author == USER_ID else self.mentions).append(t)
        return t

    def edit(self, t: dict[str, Any], text: str, ts: float) -> None:
        self._n += 1
        t["edit_history_tweet_ids"].append(str(self._n))
        t["id"] = str(self._n)
        t["text"] = text
        t["created_at"] = x_time(ts)

    def answer(self, path: str, q: dict[str, str], auth: str) -> tuple[int, dict[str, str], Any]:
        self.requests += 1
        self.params.append(q)
        if auth != f"Bearer {BEARER}":
            return (
                401,
                {},
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        if self.requests in self.limited_at:
            reset = str(int(time.time()) + 1)
            return (
                429,
                {
                    "x-rate-limit-limit": "450",
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": reset,
                },
                {"title": "Too Many Requests", "status": 429},
            )
        if path == f"/2/users/by/username/{self.handle}":
            return (
                200,
                {},
                {
                    "data": {
                        "id": USER_ID,
                        "name": "Akimat",
                        "username": self.handle,
                        "public_metrics": {
                            "followers_count": 3100,
                            "tweet_count": len(self.tweets),
                        },
                    }
                },
            )
        if path == f"/2/users/{USER_ID}/tweets":
            return 200, {}, self._page(self.tweets, q)
        if path == f"/2/users/{USER_ID}/mentions":
            return 200, {}, self._page(self.mentions, q)
        return 404, {}, {"title": "Not Found Error", "status": 404}

    def _page(self, items: list[dict[str, Any]], q: dict[str, str]) -> dict[str, Any]:
        start = q.get("start_time")
        chosen = [t for t in items if not start or t["created_at"] >= start.replace("Z", ".000Z")]
        chosen.sort(key=lambda t: t["created_at"], reverse=True)
        size = int(q.get("max_results", 10))
        offset = int(q.get("pagination_token", "0") or 0)
        page = chosen[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if offset + size < len(chosen):
            meta["next_token"] = str(offset + size)
        out: dict[str, Any] = {"meta": meta}
        if page:
            out["data"] = page
            authors = {t["author_id"] for t in page}
            out["includes"] = {
                "users": [{"id": a, "name": a, "username": self.users[a]} for a in authors]
            }
        return out


@contextmanager
def serving(standin: XStandin) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, headers, body = standin.answer(
                url.path, q, self.headers.get("Authorization", "")
            )
            data = json.dumps(body).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
