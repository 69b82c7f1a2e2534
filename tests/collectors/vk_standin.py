"""A stand-in for the VK API 5.199 on loopback: walls, comments with threads,
deleted comments, the rate limit (error 6), bad tokens (error 5), Long Poll.

Shapes follow the documented answers of wall.get, wall.getComments (with
`thread`, `parents_stack`, `reply_to_comment`, `current_level_count`,
`profiles`/`groups` when `extended=1`), groups.getById and the Bots Long Poll.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TOKEN = "standin-token"


@dataclass
class Comment:
    id: int
    post_id: int
    from_id: int
    date: int
    text: str
    root: int | None = None  # the thread this reply belongs to
    reply_to: int | None = None
    deleted: bool = False


@dataclass
class Post:
    id: int
    date: int
    text: str
    is_pinned: bool = False


@dataclass
class VkStandin:
    owner: int = -1
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    members: int = 4200
    token: str = TOKEN
    too_many_at: set[int] = field(default_factory=set)  # request numbers answered with error 6
    revoke_after: int | None = None  # requests after which the token stops working
    requests: int = 0
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # long poll queue
    poll_failed: int | None = None
    unknown_methods: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 1

    # -- building the wall -------------------------------------------------------

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_post(self, date: int, text: str = "post", pinned: bool = False) -> Post:
        post = Post(self.new_id(), date, text, pinned)
        self.posts.append(post)
        return post

    def add_comment(
        self,
        post: Post,
        date: int,
        text: str,
        *,
        from_id: int = 100,
        root: Comment | None = None,
        reply_to: Comment | None = None,
    ) -> Comment:
        answered = reply_to or root
        c = Comment(
            self.new_id(),
            post.id,
            from_id,
            date,
            text,
            root.id if root else None,
            answered.id if answered else None,
        )
        self.comments.append(c)
        return c

    def visible(self) -> list[Comment]:
        return [c for c in self.comments if not c.deleted]

    # -- answering ---------------------------------------------------------------

    def answer(self, method: str, params: dict[str, str]) -> Any:
        with self.lock:
            self.requests += 1
            n = self.requests
            self.calls.append((method, params))
        if params.get("access_token") != self.token or (
            self.revoke_after is not None and n > self.revoke_after
        ):
            return _error(5, "User authorization failed: invalid access_token (4).", params)
        if params.get("v") != "5.199":
            return _error(8, "Invalid request: v is required", params)
        if n in self.too_many_at:
            return _error(6, "Too many requests per second", params)
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        if handler is None or method in self.unknown_methods:
            return _error(3, "Unknown method passed", params)
        return {"response": handler(params)}

    def m_groups_getById(self, params: dict[str, str]) -> Any:
        gid = int(params["group_id"])
        return {
            "groups": [{"id": gid, "name": "Stand-in akimat", "members_count": self.members}],
            "profiles": [],
        }

    def m_wall_get(self, params: dict[str, str]) -> Any:
        assert int(params["owner_id"]) == self.owner
        offset, count = int(params.get("offset", 0)), min(100, int(params.get("count", 20)))
        posts = sorted(self.posts, key=lambda p: (not p.is_pinned, -p.date, -p.id))
        page = posts[offset : offset + count]
        return {"count": len(posts), "items": [self._post(p) for p in page]}

    def _post(self, p: Post) -> dict[str, Any]:
        out = {
            "id": p.id,
            "owner_id": self.owner,
            "from_id": self.owner,
            "date": p.date,
            "text": p.text,
            "post_type": "post",
            "comments": {
                "count": sum(1 for c in self.visible() if c.post_id == p.id),
                "can_post": 1,
            },
            "likes": {"count": 3, "user_likes": 0, "can_like": 1},
        }
        if p.is_pinned:
            out["is_pinned"] = 1
        return out

    def m_wall_getComments(self, params: dict[str, str]) -> Any:
        post_id = int(params["post_id"])
        offset, count = int(params.get("offset", 0)), min(100, int(params.get("count", 10)))
        inline = min(10, int(params.get("thread_items_count", 0)))
        on_post = sorted((c for c in self.comments if c.post_id == post_id), key=lambda c: c.id)
        if "comment_id" in params:
            root = int(params["comment_id"])
            replies = [c for c in on_post if c.root == root and not c.deleted]
            page = replies[offset : offset + count]
            out: dict[str, Any] = {
                "count": len(replies),
                "items": [self._comment(c, 0) for c in page],
                "current_level_count": len(replies),
                "can_post": True,
                "show_reply_button": True,
            }
        else:
            level = [
                c
                for c in on_post
                if c.root is None
                and (not c.deleted or any(r.root == c.id and not r.deleted for r in on_post))
            ]
            page = level[offset : offset + count]
            out = {
                "count": sum(1 for c in on_post if not c.deleted),
                "items": [self._comment(c, inline) for c in page],
                "current_level_count": len(level),
                "can_post": True,
                "show_reply_button": True,
                "groups_can_post": True,
            }
        if params.get("extended") == "1":
            ids = {c["from_id"] for c in _all_items(out["items"]) if c.get("from_id")}
            out["profiles"] = [
                {"id": i, "first_name": "Айгерим", "last_name": f"№{i}"} for i in ids if i > 0
            ]
            out["groups"] = [{"id": -i, "name": "Stand-in akimat"} for i in ids if i < 0]
        return out

    def _comment(self, c: Comment, inline: int) -> dict[str, Any]:
        if c.deleted:
            out: dict[str, Any] = {
                "id": c.id,
                "from_id": 0,
                "date": c.date,
                "text": "",
                "post_id": c.post_id,
                "owner_id": self.owner,
                "parents_stack": [],
                "deleted": True,
            }
        else:
            out = {
                "id": c.id,
                "from_id": c.from_id,
                "date": c.date,
                "text": c.text,
                "post_id": c.post_id,
                "owner_id": self.owner,
                "parents_stack": [c.root] if c.root else [],
                "likes": {"count": c.id % 4, "user_likes": 0, "can_like": 1},
            }
            if c.reply_to:
                out["reply_to_comment"] = c.reply_to
                out["reply_to_user"] = 100
        if c.root is None:
            replies = [r for r in self.comments if r.root == c.id and not r.deleted]
            replies.sort(key=lambda r: r.id)
            out["thread"] = {
                "count": len(replies),
                "items": [self._comment(r, 0) for r in replies[:inline]] if inline else [],
                "can_post": True,
                "show_reply_button": True,
                "groups_can_post": True,
            }
        return out

    def m_groups_getLongPollServer(self, params: dict[str, str]) -> Any:
        return {"key": "k1", "server": f"{self.base}/longpoll", "ts": "1"}

    def long_poll(self, params: dict[str, str]) -> Any:
        with self.lock:
            if self.poll_failed is not None:
                failed, self.poll_failed = self.poll_failed, None
                return {"failed": failed, "ts": params.get("ts")}
            updates, self.updates = self.updates, []
        return {"ts": str(int(params.get("ts", "1")) + len(updates)), "updates": updates}

    base: str = ""


def _all_items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in items:
        yield c
        yield from (c.get("thread") or {}).get("items") or []


def _error(code: int, msg: str, params: dict[str, str]) -> dict[str, Any]:
    shown = [{"key": k, "value": v} for k, v in params.items() if k != "access_token"]
    return {"error": {"error_code": code, "error_msg": msg, "request_params": shown}}


@contextmanager
def serving(standin: VkStandin, *, get_only: bool = False) -> Iterator[str]:
    """Serve `standin` on 127.0.0.1; yields the `--api-base` URL (…/method).
    With `get_only`, POST is not served (http.server answers 501)."""

    class Handler(BaseHTTPRequestHandler):
        def _params(self) -> dict[str, str]:
            url = urlparse(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                body = self.rfile.read(length).decode("utf-8")
                params.update({k: v[-1] for k, v in parse_qs(body).items()})
            return params

        def _send(self, obj: Any) -> None:
            data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self._route()

        def do_GET(self) -> None:
            self._route()

        def _route(self) -> None:
            path = urlparse(self.path).path
            params = self._params()
            if path.startswith("/method/"):
                self._send(standin.answer(path[len("/method/") :], params))
            elif path == "/longpoll":
                self._send(standin.long_poll(params))
            else:
                self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler: type[BaseHTTPRequestHandler] = Handler
    if get_only:
        handler = type("GetOnly", (Handler,), {"do_POST": None})
        delattr(handler, "do_POST")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{standin.base}/method"
    finally:
        server.shutdown()
        server.server_close()


def acceptance_wall(base_date: int = 1767600000) -> VkStandin:
    """The wall of the acceptance check: a post with more than 100 comments,
    threads longer than their inline page (one longer than a page of 100),
    a comment deleted before it was ever seen (with and without replies),
    official replies, a post without comments, and error 6 along the way."""
    s = VkStandin(owner=-1)
    s.too_many_at = {2, 5, 6}
    big = s.add_post(base_date, "Отопление: график подключения")
    t = base_date + 60
    first: Comment | None = None
    for i in range(140):
        c = s.add_comment(big, t + i, f"Когда дадут тепло? №{i}", from_id=1000 + i)
        first = first or c
    assert first is not None
    long_thread = s.comments[3]
    for i in range(23):
        s.add_comment(big, t + 500 + i, f"ответ {i}", from_id=2000 + i, root=long_thread)
    very_long = s.comments[7]
    for i in range(130):
        reply_to = s.comments[-1] if i % 3 == 2 else very_long
        s.add_comment(
            big, t + 900 + i, f"Жауап {i}", from_id=3000 + i, root=very_long, reply_to=reply_to
        )
    s.add_comment(big, t + 2000, "Уважаемый житель, график опубликован.", from_id=-1, root=first)

    other = s.add_post(base_date + 86400, "Nauryz")
    gone = s.add_comment(other, base_date + 86500, "удалённый до сбора")
    gone.deleted = True
    s.add_comment(other, base_date + 86600, "ответ на удалённый", root=gone)
    lonely = s.add_comment(other, base_date + 86700, "удалён без ответов")
    lonely.deleted = True
    s.add_comment(other, base_date + 86800, "Рахмет!", from_id=555)
    s.add_post(base_date + 2 * 86400, "без комментариев")
    return s
