"""A stand-in for the YouTube Data API v3 on loopback: channels, playlistItems,
commentThreads (with up to 5 inline replies) and comments by parentId, paged
with `nextPageToken`; errors shaped `{"error": {"code", "message", "errors":
[{"reason", "domain"}]}}` (quotaExceeded, commentsDisabled, keyInvalid)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KEY = "yt-standin-key"
CHANNEL = "UC" + "a" * 22


def yt_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class YtComment:
    id: str
    video: str
    text: str
    published: float
    author: str = "UCcitizen0000000000000000"
    parent: str | None = None
    updated: float | None = None
    deleted: bool = False


@dataclass
class YouTubeStandin:
    videos: list[tuple[str, float, str]] = field(default_factory=list)  # id, published, title
    comments: list[YtComment] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    rate_limited_at: set[int] = field(default_factory=set)
    quota_at: int | None = None
    requests: int = 0
    _n: int = 0

    def add_video(self, ts: float, title: str) -> str:
        self._n += 1
        vid = f"vid{self._n:08d}"
        self.videos.append((vid, ts, title))
        return vid

    def add_comment(
        self,
        video: str,
        ts: float,
        text: str,
        *,
        author: str | None = None,
        parent: YtComment | None = None,
    ) -> YtComment:
        self._n += 1
        cid = f"Ugz{self._n:06d}" if parent is None else f"{parent.id}.r{self._n:06d}"
        c = YtComment(
            cid,
            video,
            text,
            ts,
            author or f"UCcitizen{self._n:016d}",
            parent.id if parent else None,
        )
        self.comments.append(c)
        return c

    def visible(self) -> list[YtComment]:
        return [c for c in self.comments if not c.deleted]

    def answer(self, resource: str, q: dict[str, str]) -> tuple[int, Any]:
        self.requests += 1
        if q.get("key") != KEY:
            return 400, _error(
                400, "API key not valid. Please pass a valid API key.", "keyInvalid", "global"
            )
        if self.requests in self.rate_limited_at:
            return 403, _error(403, "Rate limit exceeded", "rateLimitExceeded", "youtube.quota")
        if self.quota_at is not None and self.requests >= self.quota_at:
            return 403, _error(
                403,
                "The request cannot be completed because you have exceeded your quota.",
                "quotaExceeded",
                "youtube.quota",
            )
        if resource == "channels":
            if q.get("id") != CHANNEL:
                return 200, {"kind": "youtube#channelListResponse", "items": []}
            return 200, {
                "items": [
                    {
                        "id": CHANNEL,
                        "contentDetails": {"relatedPlaylists": {"uploads": "UU" + CHANNEL[2:]}},
                        "statistics": {
                            "viewCount": "100",
                            "subscriberCount": "5100",
                            "hiddenSubscriberCount": False,
                            "videoCount": str(len(self.videos)),
                        },
                    }
                ]
            }
        if resource == "playlistItems":
            items = [
                {
                    "kind": "youtube#playlistItem",
                    "id": f"pl{v}",
                    "snippet": {
                        "publishedAt": yt_time(ts),
                        "title": title,
                        "resourceId": {"videoId": v},
                    },
                    "contentDetails": {"videoId": v, "videoPublishedAt": yt_time(ts)},
                }
                for v, ts, title in sorted(self.videos, key=lambda x: -x[1])
            ]
            return 200, self._page(items, q, 50)
        if resource == "commentThreads":
            video = q["videoId"]
            if video in self.disabled:
                return 403, _error(
                    403,
                    "The video identified by the videoId parameter has disabled comments.",
                    "commentsDisabled",
                    "youtube.commentThread",
                )
            tops = [c for c in self.visible() if c.video == video and c.parent is None]
            items = []
            for t in tops:
                replies = [r for r in self.visible() if r.parent == t.id]
                thread: dict[str, Any] = {
                    "kind": "youtube#commentThread",
                    "id": t.id,
                    "snippet": {
                        "channelId": CHANNEL,
                        "videoId": video,
                        "topLevelComment": self._comment(t),
                        "canReply": True,
                        "totalReplyCount": len(replies),
                        "isPublic": True,
                    },
                }
                if replies:
                    thread["replies"] = {"comments": [self._comment(r) for r in replies[:5]]}
                items.append(thread)
            return 200, self._page(items, q, 100)
        if resource == "comments":
            found = [self._comment(r) for r in self.visible() if r.parent == q["parentId"]]
            return 200, self._page(found, q, 100)
        return 404, _error(404, "Not found", "notFound", "global")

    def _comment(self, c: YtComment) -> dict[str, Any]:
        s: dict[str, Any] = {
            "textDisplay": c.text,
            "textOriginal": c.text,
            "authorDisplayName": f"@{c.author[-6:]}",
            "authorChannelId": {"value": c.author},
            "likeCount": 2,
            "videoId": c.video,
            "publishedAt": yt_time(c.published),
            "updatedAt": yt_time(c.updated or c.published),
            "canRate": True,
            "viewerRating": "none",
        }
        if c.parent:
            s["parentId"] = c.parent
        return {"kind": "youtube#comment", "id": c.id, "snippet": s}

    def _page(self, items: list[dict[str, Any]], q: dict[str, str], cap: int) -> dict[str, Any]:
        size = min(cap, int(q.get("maxResults", 20)))
        start = int(q.get("pageToken", "0") or 0)
        out: dict[str, Any] = {
            "items": items[start : start + size],
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        }
        if start + size < len(items):
            out["nextPageToken"] = str(start + size)
        return out


def _error(code: int, message: str, reason: str, domain: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


@contextmanager
def serving(standin: YouTubeStandin) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, body = standin.answer(url.path.rsplit("/", 1)[-1], q)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/youtube/v3"
    finally:
        server.shutdown()
        server.server_close()
