"""A stand-in for Meta's Graph API on loopback: Facebook Pages (posts, comments
with `filter=stream`) and Instagram professional accounts (media, comments,
replies), cursor paging, the usage headers, rate-limit and token errors.

Shapes follow the documented answers: `{"data": [...], "paging": {"cursors":
{"before", "after"}, "next"}}`, errors as `{"error": {"message", "type",
"code", "error_subcode", "fbtrace_id"}}`, times as `2026-01-05T10:15:00+0000`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

TOKEN = "graph-standin-token"
VERSION = "v21.0"


def graph_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Node:
    id: str
    created: float
    text: str
    author: tuple[str, str] = ("10", "Citizen")  # id, name or username
    parent: str | None = None
    deleted: bool = False


@dataclass
class GraphStandin:
    page: str = "111"
    ig_user: str = "17841400000000001"
    ig_username: str = "akimat_standin"
    followers: int = 2500
    posts: list[Node] = field(default_factory=list)
    comments: dict[str, list[Node]] = field(default_factory=dict)  # post id -> flat list
    media: list[Node] = field(default_factory=list)
    ig_comments: dict[str, list[Node]] = field(default_factory=dict)
    token: str = TOKEN
    rate_limited_at: set[int] = field(default_factory=set)  # request numbers
    usage: int = 10  # call_count % in x-app-usage
    requests: int = 0
    paths: list[str] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _n: int = 0

    def new_id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def add_post(self, created: float, text: str = "post") -> Node:
        n = Node(f"{self.page}_{self.new_id('')}", created, text, (self.page, "Akimat"))
        self.posts.append(n)
        self.comments[n.id] = []
        return n

    def add_comment(
        self,
        post: Node,
        created: float,
        text: str,
        *,
        author: tuple[str, str] = ("10", "Citizen"),
        parent: Node | None = None,
    ) -> Node:
        n = Node(
            f"{post.id.split('_')[1]}_{self.new_id('')}",
            created,
            text,
            author,
            parent.id if parent else None,
        )
        self.comments[post.id].append(n)
        return n

    def add_media(self, created: float, caption: str = "media") -> Node:
        n = Node(self.new_id("1790"), created, caption, (self.ig_user, self.ig_username))
        self.media.append(n)
        self.ig_comments[n.id] = []
        return n

    def add_ig_comment(
        self,
        media: Node,
        created: float,
        text: str,
        *,
        author: tuple[str, str] = ("20", "citizen"),
        parent: Node | None = None,
    ) -> Node:
        n = Node(self.new_id("1780"), created, text, author, parent.id if parent else None)
        self.ig_comments[media.id].append(n)
        return n

    def visible_fb(self) -> list[Node]:
        return [c for cs in self.comments.values() for c in cs if not c.deleted]

    def visible_ig(self) -> list[Node]:
        return [c for cs in self.ig_comments.values() for c in cs if not c.deleted]

    # -- answering -------------------------------------------------------------

    def answer(self, path: str, q: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.requests += 1
            n = self.requests
            self.paths.append(path)
        headers = {
            "x-app-usage": json.dumps(
                {"call_count": self.usage, "total_cputime": 1, "total_time": 1}
            )
        }
        if q.get("access_token") != self.token:
            return (
                400,
                headers,
                _error(
                    190, "Invalid OAuth access token - Cannot parse access token", "OAuthException"
                ),
            )
        if n in self.rate_limited_at:
            buc = {
                self.page: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 20,
                        "total_time": 20,
                        "estimated_time_to_regain_access": 0,
                    }
                ]
            }
            headers["x-business-use-case-usage"] = json.dumps(buc)
            return 400, headers, _error(32, "Page request limit reached", "OAuthException")
        parts = path.strip("/").split("/")
        if parts[0] != VERSION:
            return 400, headers, _error(2500, "Unknown path components", "OAuthException")
        parts = parts[1:]
        if parts == [self.page]:
            return (
                200,
                headers,
                {"id": self.page, "name": "Akimat", "followers_count": self.followers},
            )
        if parts == [self.ig_user]:
            return (
                200,
                headers,
                {
                    "id": self.ig_user,
                    "username": self.ig_username,
                    "followers_count": self.followers,
                    "media_count": len(self.media),
                },
            )
        if parts == [self.page, "posts"]:
            since = float(q.get("since", 0) or 0)
            items = sorted((p for p in self.posts if p.created >= since), key=lambda p: -p.created)
            data: list[dict[str, Any]] = [
                {
                    "id": p.id,
                    "message": p.text,
                    "created_time": graph_time(p.created),
                    "permalink_url": f"https://www.facebook.com/{p.id}",
                    "comments": {
                        "data": [],
                        "summary": {
                            "order": "chronological",
                            "total_count": sum(1 for c in self.comments[p.id] if not c.deleted),
                            "can_comment": True,
                        },
                    },
                }
                for p in items
            ]
            return 200, headers, self._page(path, q, data)
        if len(parts) == 2 and parts[1] == "comments" and parts[0] in self.comments:
            assert q.get("filter") == "stream"
            items = sorted(
                (c for c in self.comments[parts[0]] if not c.deleted), key=lambda c: c.created
            )
            data = []
            for c in items:
                d: dict[str, Any] = {
                    "id": c.id,
                    "message": c.text,
                    "created_time": graph_time(c.created),
                    "from": {"id": c.author[0], "name": c.author[1]},
                    "like_count": 1,
                }
                if c.parent:
                    d["parent"] = {
                        "id": c.parent,
                        "created_time": graph_time(c.created),
                        "message": "…",
                    }
                data.append(d)
            return 200, headers, self._page(path, q, data)
        if parts == [self.ig_user, "media"]:
            items = sorted(self.media, key=lambda m: -m.created)
            data = [
                {
                    "id": m.id,
                    "caption": m.text,
                    "timestamp": graph_time(m.created),
                    "permalink": f"https://www.instagram.com/p/{m.id}/",
                    "media_type": "IMAGE",
                    "comments_count": sum(1 for c in self.ig_comments[m.id] if not c.deleted),
                }
                for m in items
            ]
            return 200, headers, self._page(path, q, data)
        if len(parts) == 2 and parts[1] == "comments" and parts[0] in self.ig_comments:
            items = [c for c in self.ig_comments[parts[0]] if c.parent is None and not c.deleted]
            return 200, headers, self._page(path, q, [self._ig(c) for c in items])
        if len(parts) == 2 and parts[1] == "replies":
            items = [
                c
                for cs in self.ig_comments.values()
                for c in cs
                if c.parent == parts[0] and not c.deleted
            ]
            return 200, headers, self._page(path, q, [self._ig(c) for c in items])
        return 400, headers, _error(100, "Unsupported get request.", "GraphMethodException", 33)

    def _ig(self, c: Node) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": c.id,
            "text": c.text,
            "timestamp": graph_time(c.created),
            "username": c.author[1],
            "from": {"id": c.author[0], "username": c.author[1]},
            "like_count": 0,
        }
        if c.parent:
            d["parent_id"] = c.parent
        return d

    def _page(self, path: str, q: dict[str, str], data: list[dict[str, Any]]) -> dict[str, Any]:
        limit = int(q.get("limit", 25))
        start = int(q.get("after", "0") or 0)
        chunk = data[start : start + limit]
        out: dict[str, Any] = {"data": chunk}
        if chunk:
            out["paging"] = {"cursors": {"before": str(start), "after": str(start + len(chunk))}}
            if start + len(chunk) < len(data):
                nq = dict(q, after=str(start + len(chunk)))
                out["paging"]["next"] = f"{self.base}{path}?{urlencode(nq)}"
        return out


def _error(code: int, msg: str, kind: str, sub: int | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"message": msg, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}
    if sub:
        err["error_subcode"] = sub
    return {"error": err}


@contextmanager
def serving(standin: GraphStandin) -> Iterator[str]:
    """Serve on 127.0.0.1; yields the `--api-base` URL (…/v21.0)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, headers, body = standin.answer(url.path, q)
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
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"{standin.base}/{VERSION}"
    finally:
        server.shutdown()
        server.server_close()
