"""How events fold into a comment's stored state. Pure: no I/O.

The fold is commutative and idempotent, so at-least-once delivery, replays and
out-of-order arrival all end in the same row:
- the current text is the version with the greatest (time, rank, hash), where
  an original has rank 0 and an edit rank 1 — a re-delivered original never
  reverts a later edit;
- a comment is deleted when its latest delete is later than its latest
  restore — a re-delivered original never undoes a delete;
- metadata is filled from whichever event carries it; likes keep the maximum.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from qulaq.models import Scored

RANK_ORIGINAL = 0
RANK_EDIT = 1
TEXT_KINDS = frozenset({"comment", "reply", "edit"})
_FILL = ("post_id", "parent_id", "author_hash", "author_name", "declared_lang", "url")


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _version_key(at: datetime | None, rank: int, digest: str) -> tuple[Any, ...]:
    # a tombstone's placeholder text (no time) loses to any real version
    return (at is not None, at, rank, digest) if at is not None else (False,)


def _analysis_columns(item: Scored) -> dict[str, Any]:
    a = item.analysis
    if a is None:
        return {}
    return {
        "sentiment": a.get("label"),
        "p_positive": a.get("p_positive"),
        "p_neutral": a.get("p_neutral"),
        "p_negative": a.get("p_negative"),
        "lang": a.get("lang"),
        "aggression": a.get("aggression"),
        "topics": json.dumps(list(a.get("topics") or []), ensure_ascii=False),
        "needs_answer": a.get("needs_answer"),
        "urgent": a.get("urgent"),
        "severity": a.get("severity"),
        "answer_days": a.get("answer_days"),
        "model_version": item.model_version,
    }


def new_state(item: Scored, now: datetime) -> dict[str, Any]:
    """The row for a comment first seen through `item`."""
    ev = item.event
    state: dict[str, Any] = {
        "platform": ev.platform,
        "account": ev.account,
        "comment_id": ev.comment_id,
        "agency": item.agency,
        "agency_explicit": item.agency_explicit,
        "kind": "reply" if (ev.kind == "reply" or ev.parent_id) else "comment",
        "post_id": ev.post_id,
        "parent_id": ev.parent_id,
        "author_hash": item.author_hash,
        "author_name": ev.author_name,
        "is_official_reply": ev.is_official_reply,
        "declared_lang": ev.lang,
        "likes": ev.likes,
        "url": ev.url,
        "created_at": ev.created_at,
        "text": ev.text,
        "text_at": None,
        "text_rank": 0,
        "text_hash": text_hash(ev.text),
        "has_original": False,
        "deleted": False,
        "deleted_at": None,
        "restored_at": None,
        "first_run": item.run,
        "last_run": item.run,
        "stored_at": now,
        "updated_at": now,
        "row_version": 1,
        "answered_at": None,
        "answer_comment_id": None,
    }
    for col in _ANALYSIS_COLUMNS:
        state[col] = None
    if ev.kind in TEXT_KINDS:
        state["text_at"] = ev.version_at
        state["text_rank"] = RANK_EDIT if ev.kind == "edit" else RANK_ORIGINAL
        state.update(_analysis_columns(item))
    else:
        # a delete or restore seen before the comment: keep what text it carries,
        # analysed, as a placeholder any real version replaces
        state.update(_analysis_columns(item))
    if ev.kind in ("comment", "reply"):
        state["has_original"] = True
    _apply_deletion(state, item)
    return state


_ANALYSIS_COLUMNS = (
    "sentiment",
    "p_positive",
    "p_neutral",
    "p_negative",
    "lang",
    "aggression",
    "topics",
    "needs_answer",
    "urgent",
    "severity",
    "answer_days",
    "model_version",
)


def merge(state: dict[str, Any], item: Scored) -> bool:
    """Fold `item` into `state` in place; True when anything changed."""
    before = dict(state)
    ev = item.event

    if item.agency_explicit and not state["agency_explicit"]:
        state["agency"] = item.agency
        state["agency_explicit"] = True
    for col in _FILL:
        if state[col] is None:
            value = item.author_hash if col == "author_hash" else _event_field(ev, col)
            if value is not None:
                state[col] = value
    if ev.kind == "reply" or ev.parent_id:
        state["kind"] = "reply"
    if ev.is_official_reply:
        state["is_official_reply"] = True
    if ev.likes is not None and (state["likes"] is None or ev.likes > state["likes"]):
        state["likes"] = ev.likes
    if ev.kind in ("comment", "reply") and ev.created_at < state["created_at"]:
        state["created_at"] = ev.created_at

    if ev.kind in TEXT_KINDS:
        if ev.kind == "edit":
            rank = RANK_EDIT
        else:
            rank = RANK_ORIGINAL
            state["has_original"] = True
        digest = text_hash(ev.text)
        incoming = _version_key(ev.version_at, rank, digest)
        current = _version_key(state["text_at"], state["text_rank"], state["text_hash"])
        if incoming > current:
            state["text"] = ev.text
            state["text_at"] = ev.version_at
            state["text_rank"] = rank
            state["text_hash"] = digest
            state.update(_analysis_columns(item))
        elif incoming == current and state["sentiment"] is None and item.analysis is not None:
            state.update(_analysis_columns(item))
    _apply_deletion(state, item)

    changed = state != before
    if changed:
        state["last_run"] = item.run
    return changed


def _apply_deletion(state: dict[str, Any], item: Scored) -> None:
    ev = item.event
    at = ev.edited_at or ev.created_at
    if ev.kind == "delete":
        if state["deleted_at"] is None or at > state["deleted_at"]:
            state["deleted_at"] = at
    elif ev.kind == "restore" and (state["restored_at"] is None or at > state["restored_at"]):
        state["restored_at"] = at
    state["deleted"] = state["deleted_at"] is not None and (
        state["restored_at"] is None or state["deleted_at"] > state["restored_at"]
    )


def _event_field(ev: Any, col: str) -> Any:
    if col == "declared_lang":
        return ev.lang
    return getattr(ev, col)
