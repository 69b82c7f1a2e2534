"""Telegram messages → comment events. Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from collectors.runtime import iso_time

PLATFORM = "telegram"


def _when(dt: datetime) -> str:
    return iso_time(dt if dt.tzinfo else dt.replace(tzinfo=UTC))


def text_of(msg: Any) -> str:
    return str(getattr(msg, "message", None) or "")


def post_event(account: str, msg: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(msg.id),
        "text": text_of(msg),
        "created_at": _when(msg.date),
        "kind": "post",
        "url": f"https://t.me/{account}/{msg.id}",
    }
    return ev


def parent_of(msg: Any) -> str | None:
    """Within a post's thread: the comment this one answers. A comment on the
    post itself answers the group's copy of the post, which is no comment."""
    head = getattr(msg, "reply_to", None)
    if head is None or not getattr(head, "reply_to_top_id", None):
        return None
    target = getattr(head, "reply_to_msg_id", None)
    return str(target) if target else None


def comment_event(
    account: str, post_id: int, msg: Any, *, official_peer: int | None
) -> dict[str, Any]:
    parent = parent_of(msg)
    sender = getattr(msg, "sender_id", None)
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": str(msg.id),
        "text": text_of(msg),
        "created_at": _when(msg.date),
        "kind": "reply" if parent else "comment",
        "post_id": str(post_id),
        "url": f"https://t.me/{account}/{post_id}?comment={msg.id}",
    }
    if parent:
        ev["parent_id"] = parent
    if sender is not None:
        ev["author_id"] = str(sender)
        if official_peer is not None and int(sender) == official_peer:
            ev["is_official_reply"] = True
    if getattr(msg, "edit_date", None):
        ev["edited_at"] = _when(msg.edit_date)
    return ev


def mention_event(chat: str, msg: Any, agency: str) -> dict[str, Any]:
    """A message in a public chat that names an agency (listening)."""
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": chat,
        "comment_id": str(msg.id),
        "text": text_of(msg),
        "created_at": _when(msg.date),
        "kind": "comment",
        "agency": agency,
        "url": f"https://t.me/{chat}/{msg.id}",
    }
    sender = getattr(msg, "sender_id", None)
    if sender is not None:
        ev["author_id"] = str(sender)
    if getattr(msg, "edit_date", None):
        ev["edited_at"] = _when(msg.edit_date)
    return ev
