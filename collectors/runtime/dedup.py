"""Dedup by identity: what to publish for an item, given what was seen before. Pure.

The seen-set holds, per account, each post and comment the collector has
published with a hash of its text and whether it is deleted. A pass that
sees nothing new publishes nothing; a changed text becomes an `edit`, a
comment now shown deleted (or missing from a complete listing) a `delete`,
a deleted one that is back a `restore`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from collectors.runtime.plugin import Changed, Observed, iso_time
from qulaq.storage.merge import text_hash


@dataclass(slots=True)
class SeenRow:
    kind: str  # post | comment
    item_id: str
    post_id: str | None
    parent_id: str | None
    text_hash: str
    deleted: bool
    official: bool
    created_at: datetime


@dataclass(slots=True)
class Decision:
    events: list[dict[str, Any]]
    row: SeenRow | None  # the seen-set row after publishing, None for no change
    note: str  # new | edit | delete | restore | unchanged | deleted_unseen


def seen_kind(event: dict[str, Any]) -> str:
    return "post" if event.get("kind") == "post" else "comment"


def decide(
    item: Observed | Changed, seen: SeenRow | None, now: datetime, created: datetime | None
) -> Decision:
    """`created` is the item's own `created_at`, parsed (None when unparsable)."""
    ev = item.event
    kind = ev.get("kind") or "comment"
    if kind == "post":
        if seen is None:
            return Decision([ev], _row(ev, created, deleted=False), "new")
        return Decision([], None, "unchanged")

    if isinstance(item, Observed):
        if item.deleted:
            return _deleted(ev, seen, now)
        return _visible(ev, seen, now, created)
    if kind == "delete":
        return _deleted(ev, seen, now)
    # a restore is recognised from the seen-set, whatever the source calls it
    return _visible(ev, seen, now, created)


def deletion_of(seen: SeenRow, platform: str, account: str, now: datetime) -> dict[str, Any]:
    """The delete event for a comment missing from a complete listing."""
    return {
        "platform": platform,
        "account": account,
        "comment_id": seen.item_id,
        "text": "",
        "created_at": iso_time(seen.created_at),
        "kind": "delete",
        "edited_at": iso_time(max(now, seen.created_at)),
        "post_id": seen.post_id,
    }


def _deleted(ev: dict[str, Any], seen: SeenRow | None, now: datetime) -> Decision:
    if seen is None:
        return Decision([], None, "deleted_unseen")
    if seen.deleted:
        return Decision([], None, "unchanged")
    out = {
        "platform": ev["platform"],
        "account": ev["account"],
        "comment_id": ev["comment_id"],
        "text": "",
        "created_at": iso_time(seen.created_at),
        "kind": "delete",
        "edited_at": ev.get("edited_at") or iso_time(max(now, seen.created_at)),
    }
    if seen.post_id:
        out["post_id"] = seen.post_id
    return Decision([out], replace(seen, deleted=True), "delete")


def _visible(
    ev: dict[str, Any],
    seen: SeenRow | None,
    now: datetime,
    created: datetime | None,
) -> Decision:
    digest = text_hash(ev.get("text") or "")
    if seen is None:
        out = dict(ev)
        if out.get("kind") in ("restore", None):
            out["kind"] = "reply" if out.get("parent_id") else "comment"
        return Decision([out], _row(ev, created, deleted=False), "new")

    events: list[dict[str, Any]] = []
    note = "unchanged"
    at = ev.get("edited_at") or iso_time(max(now, seen.created_at))
    if seen.deleted:
        restore = dict(ev, kind="restore", edited_at=at, created_at=iso_time(seen.created_at))
        events.append(restore)
        note = "restore"
    if digest != seen.text_hash:
        edit = dict(ev, kind="edit", edited_at=at, created_at=iso_time(seen.created_at))
        events.append(edit)
        note = "edit" if note == "unchanged" else note
    if not events:
        return Decision([], None, "unchanged")
    return Decision(events, replace(seen, deleted=False, text_hash=digest), note)


def _row(ev: dict[str, Any], created: datetime | None, *, deleted: bool) -> SeenRow | None:
    if created is None:
        return None
    return SeenRow(
        kind=seen_kind(ev),
        item_id=str(ev["comment_id"]),
        post_id=ev.get("post_id"),
        parent_id=ev.get("parent_id"),
        text_hash=text_hash(ev.get("text") or ""),
        deleted=deleted,
        official=bool(ev.get("is_official_reply")),
        created_at=created,
    )
