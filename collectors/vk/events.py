"""VK objects → comment events (CONTRACT §2). Pure."""

from __future__ import annotations

from typing import Any

from collectors.runtime import Changed, iso_time, unix_time

PLATFORM = "vk"


def names_of(response: dict[str, Any]) -> dict[int, str]:
    """Author names from an `extended=1` answer: users by id, communities by -id."""
    names: dict[int, str] = {}
    for p in response.get("profiles") or ():
        full = f"{p.get('first_name', '')} {p.get('last_name', '')}".strip()
        if full:
            names[int(p["id"])] = full
    for g in response.get("groups") or ():
        if g.get("name"):
            names[-int(g["id"])] = str(g["name"])
    return names


def post_event(owner: int, post: dict[str, Any]) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": str(owner),
        "comment_id": str(post["id"]),
        "text": str(post.get("text") or ""),
        "created_at": iso_time(unix_time(post["date"])),
        "kind": "post",
        "url": f"https://vk.com/wall{owner}_{post['id']}",
    }
    likes = (post.get("likes") or {}).get("count")
    if isinstance(likes, int):
        ev["likes"] = likes
    return ev


def parent_of(comment: dict[str, Any]) -> str | None:
    """The comment this one answers: `reply_to_comment`, else its thread's root."""
    if comment.get("reply_to_comment"):
        return str(comment["reply_to_comment"])
    stack = comment.get("parents_stack") or []
    return str(stack[-1]) if stack else None


def comment_event(
    owner: int, post_id: int | str, comment: dict[str, Any], names: dict[int, str] | None = None
) -> dict[str, Any]:
    author = comment.get("from_id")
    parent = parent_of(comment)
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": str(owner),
        "comment_id": str(comment["id"]),
        "text": str(comment.get("text") or ""),
        "created_at": iso_time(unix_time(comment.get("date") or 0)),
        "kind": "reply" if parent else "comment",
        "post_id": str(post_id),
        "url": _url(owner, post_id, comment),
    }
    if parent:
        ev["parent_id"] = parent
    if author:
        ev["author_id"] = str(author)
        name = (names or {}).get(int(author))
        if name:
            ev["author_name"] = name
    likes = (comment.get("likes") or {}).get("count")
    if isinstance(likes, int):
        ev["likes"] = likes
    if author is not None and int(author) == owner:
        ev["is_official_reply"] = True
    return ev


def _url(owner: int, post_id: int | str, comment: dict[str, Any]) -> str:
    url = f"https://vk.com/wall{owner}_{post_id}?reply={comment['id']}"
    stack = comment.get("parents_stack") or []
    return f"{url}&thread={stack[0]}" if stack else url


LIVE_TYPES = ("wall_reply_new", "wall_reply_edit", "wall_reply_restore", "wall_reply_delete")


def change_of(update: dict[str, Any], owner: int, now_iso: str) -> Changed | None:
    """One Callback API or Long Poll event about a wall comment; None for others."""
    kind = update.get("type")
    obj = update.get("object") or {}
    if kind not in LIVE_TYPES or not isinstance(obj, dict):
        return None
    post_owner = obj.get("post_owner_id", obj.get("owner_id"))
    if post_owner is None or int(post_owner) != owner:
        return None
    if kind == "wall_reply_delete":
        return Changed(
            {
                "platform": PLATFORM,
                "account": str(owner),
                "comment_id": str(obj["id"]),
                "text": "",
                "kind": "delete",
                "edited_at": now_iso,
                "post_id": str(obj.get("post_id")) if obj.get("post_id") else None,
            }
        )
    ev = comment_event(owner, obj.get("post_id") or "", obj)
    if kind == "wall_reply_edit":
        ev["kind"] = "edit"
        ev["edited_at"] = now_iso
    elif kind == "wall_reply_restore":
        ev["kind"] = "restore"
        ev["edited_at"] = now_iso
    return Changed(ev)
