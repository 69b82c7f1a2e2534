"""YouTube Data API v3 resources → comment events. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.runtime import iso_time

PLATFORM = "youtube"


def _t(value: str) -> str:
    return iso_time(datetime.fromisoformat(value))


def video_event(channel: str, item: dict[str, Any]) -> dict[str, Any]:
    details = item.get("contentDetails") or {}
    snippet = item.get("snippet") or {}
    video = str(details.get("videoId") or (snippet.get("resourceId") or {}).get("videoId"))
    published = str(details.get("videoPublishedAt") or snippet.get("publishedAt") or "")
    return {
        "platform": PLATFORM,
        "account": channel,
        "comment_id": video,
        "text": str(snippet.get("title") or ""),
        "created_at": _t(published),
        "kind": "post",
        "url": f"https://www.youtube.com/watch?v={video}",
    }


def comment_event(
    channel: str, video: str, comment: dict[str, Any], *, parent: str | None = None
) -> dict[str, Any]:
    s = comment.get("snippet") or {}
    parent = parent or s.get("parentId")
    author = (s.get("authorChannelId") or {}).get("value")
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": channel,
        "comment_id": str(comment["id"]),
        "text": str(s.get("textOriginal") or s.get("textDisplay") or ""),
        "created_at": _t(s["publishedAt"]),
        "kind": "reply" if parent else "comment",
        "post_id": video,
        "url": f"https://www.youtube.com/watch?v={video}&lc={comment['id']}",
    }
    if parent:
        ev["parent_id"] = str(parent)
    if author:
        ev["author_id"] = str(author)
        if author == channel:
            ev["is_official_reply"] = True
    if s.get("authorDisplayName"):
        ev["author_name"] = str(s["authorDisplayName"])
    if isinstance(s.get("likeCount"), int):
        ev["likes"] = s["likeCount"]
    if s.get("updatedAt") and s.get("updatedAt") != s.get("publishedAt"):
        ev["edited_at"] = _t(s["updatedAt"])
    return ev
