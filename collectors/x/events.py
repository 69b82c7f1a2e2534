"""X API v2 tweets → comment events. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.runtime import iso_time

PLATFORM = "x"


def _replied_to(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or ():
        if ref.get("type") == "replied_to":
            return str(ref["id"])
    return None


def identity(tweet: dict[str, Any]) -> str:
    """An edited tweet gets a new id; the first of its edit history names it for good."""
    history = tweet.get("edit_history_tweet_ids") or []
    return str(history[0]) if history else str(tweet["id"])


def post_event(account: str, handle: str, tweet: dict[str, Any]) -> dict[str, Any]:
    return {
        "platform": PLATFORM,
        "account": account,
        "comment_id": identity(tweet),
        "text": str(tweet.get("text") or ""),
        "created_at": iso_time(datetime.fromisoformat(tweet["created_at"])),
        "kind": "post",
        "url": f"https://x.com/{handle}/status/{tweet['id']}",
    }


def tweet_event(
    account: str,
    user_id: str,
    tweet: dict[str, Any],
    *,
    own_posts: set[str],
    users: dict[str, str],
) -> dict[str, Any]:
    """A reply to or mention of the account, or the account's own reply."""
    author = str(tweet.get("author_id") or "")
    target = _replied_to(tweet)
    conversation = str(tweet.get("conversation_id") or "") or None
    created = iso_time(datetime.fromisoformat(tweet["created_at"]))
    ev: dict[str, Any] = {
        "platform": PLATFORM,
        "account": account,
        "comment_id": identity(tweet),
        "text": str(tweet.get("text") or ""),
        "created_at": created,
        "kind": "comment",
    }
    if conversation:
        ev["post_id"] = conversation
    if target and target not in own_posts:
        ev["kind"] = "reply"
        ev["parent_id"] = target
    if author:
        ev["author_id"] = author
        if users.get(author):
            ev["author_name"] = users[author]
            ev["url"] = f"https://x.com/{users[author]}/status/{tweet['id']}"
        if author == user_id:
            ev["is_official_reply"] = True
    if str(tweet["id"]) != ev["comment_id"]:
        ev["edited_at"] = created
    metrics = tweet.get("public_metrics") or {}
    if isinstance(metrics.get("like_count"), int):
        ev["likes"] = metrics["like_count"]
    return ev
