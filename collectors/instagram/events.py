"""Instagram objects (Graph API, webhooks, instaloader) → comment events. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.runtime import Changed, iso_time, unix_time

PLATFORM = "instagram"


def media_event(account: str, media: dict[str, Any]) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(media["id"]),
        "text": str(media.get("caption") or ""),
        "created_at": iso_time(datetime.fromisoformat(media["timestamp"])),
        "kind": "post",
    }
    if media.get("permalink"):
        ev["url"] = media["permalink"]
    if isinstance(media.get("like_count"), int):
        ev["likes"] = media["like_count"]
    return ev


def comment_event(
    account: str,
    media_id: str,
    c: dict[str, Any],
    *,
    parent: str | None = None,
    own: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    author = c.get("from") or {}
    author_id = str(author.get("id") or c.get("user", {}).get("id") or "")
    username = str(author.get("username") or c.get("username") or "")
    parent = parent or (str(c["parent_id"]) if c.get("parent_id") else None)
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(c["id"]),
        "text": str(c.get("text") or ""),
        "created_at": iso_time(datetime.fromisoformat(c["timestamp"])),
        "kind": "reply" if parent else "comment",
        "post_id": media_id,
    }
    if parent:
        ev["parent_id"] = parent
    if author_id:
        ev["author_id"] = author_id
    if username:
        ev["author_name"] = username
    if (author_id and author_id in own) or (username and username.lower() in own):
        ev["is_official_reply"] = True
    if isinstance(c.get("like_count"), int):
        ev["likes"] = c["like_count"]
    return ev


def webhook_comment(account: str, value: dict[str, Any], at: int | None) -> Changed | None:
    if not value.get("id") or not at:
        return None
    author = value.get("from") or {}
    media = value.get("media") or {}
    parent = value.get("parent_id")
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(value["id"]),
        "text": str(value.get("text") or ""),
        "created_at": iso_time(unix_time(at)),
        "kind": "reply" if parent else "comment",
        "post_id": str(media["id"]) if media.get("id") else None,
    }
    if parent:
        ev["parent_id"] = str(parent)
    if author.get("id"):
        ev["author_id"] = str(author["id"])
        if str(author["id"]) == account:
            ev["is_official_reply"] = True
    if author.get("username"):
        ev["author_name"] = str(author["username"])
    return Changed(ev)


def loader_comment(
    account: str,
    shortcode: str,
    c: Any,
    *,
    parent: str | None,
    own: str,
) -> dict[str, Any]:
    """An instaloader `PostComment` or `PostCommentAnswer`."""
    owner = getattr(c, "owner", None)
    username = str(getattr(owner, "username", "") or "")
    created = c.created_at_utc
    if created.tzinfo is None:
        created = created.replace(tzinfo=unix_time(0).tzinfo)
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(c.id),
        "text": str(c.text or ""),
        "created_at": iso_time(created),
        "kind": "reply" if parent else "comment",
        "post_id": shortcode,
        "url": f"https://www.instagram.com/p/{shortcode}/",
    }
    if parent:
        ev["parent_id"] = parent
    user_id = getattr(owner, "userid", None)
    if user_id:
        ev["author_id"] = str(user_id)
    if username:
        ev["author_name"] = username
        if username.lower() == own.lower():
            ev["is_official_reply"] = True
    likes = getattr(c, "likes_count", None)
    if isinstance(likes, int):
        ev["likes"] = likes
    return ev
