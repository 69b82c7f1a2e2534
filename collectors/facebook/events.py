"""Graph API objects and `feed` webhook changes → comment events. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.runtime import Changed, iso_time, unix_time

PLATFORM = "facebook"


def graph_time(value: str) -> str:
    """Graph API times (`2026-01-05T10:15:00+0000`) as ISO 8601 with a colon offset."""
    return iso_time(datetime.fromisoformat(value))


def post_event(page: str, post: dict[str, Any]) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": page,
        "comment_id": str(post["id"]),
        "text": str(post.get("message") or post.get("story") or ""),
        "created_at": graph_time(post["created_time"]),
        "kind": "post",
    }
    if post.get("permalink_url"):
        ev["url"] = post["permalink_url"]
    return ev


def comment_event(page: str, post_id: str, c: dict[str, Any]) -> dict[str, Any]:
    author = c.get("from") or {}
    parent = (c.get("parent") or {}).get("id")
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": page,
        "comment_id": str(c["id"]),
        "text": str(c.get("message") or ""),
        "created_at": graph_time(c["created_time"]),
        "kind": "reply" if parent else "comment",
        "post_id": post_id,
    }
    if parent:
        ev["parent_id"] = str(parent)
    if author.get("id"):
        ev["author_id"] = str(author["id"])
        if str(author["id"]) == page:
            ev["is_official_reply"] = True
    if author.get("name"):
        ev["author_name"] = str(author["name"])
    if isinstance(c.get("like_count"), int):
        ev["likes"] = c["like_count"]
    if c.get("permalink_url"):
        ev["url"] = c["permalink_url"]
    return ev


def feed_change(page: str, value: dict[str, Any], at: int | None) -> Changed | None:
    """One `feed` change about a comment (item `comment`); None for anything else.
    Hiding is not deleting: a hidden comment stays visible to the page."""
    if value.get("item") != "comment" or not value.get("comment_id"):
        return None
    verb = value.get("verb")
    created = value.get("created_time") or at
    post_id = str(value.get("post_id") or "")
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": page,
        "comment_id": str(value["comment_id"]),
        "text": str(value.get("message") or ""),
        "post_id": post_id or None,
    }
    if created:
        ev["created_at"] = iso_time(unix_time(created))
    parent = value.get("parent_id")
    if parent and str(parent) != post_id:
        ev["parent_id"] = str(parent)
    author = value.get("from") or {}
    if author.get("id"):
        ev["author_id"] = str(author["id"])
        if str(author["id"]) == page:
            ev["is_official_reply"] = True
    if author.get("name"):
        ev["author_name"] = str(author["name"])
    if verb == "add":
        ev["kind"] = "reply" if ev.get("parent_id") else "comment"
    elif verb == "edited":
        ev["kind"] = "edit"
        ev["edited_at"] = iso_time(unix_time(at)) if at else None
    elif verb == "remove":
        ev["kind"] = "delete"
        ev["text"] = ""
        ev["edited_at"] = iso_time(unix_time(at)) if at else None
    else:
        return None
    return Changed(ev)
