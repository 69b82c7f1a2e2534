"""Records that pass between the stages, with their wire form for the bus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from qulaq.events import CommentEvent, parse_timestamp

ANALYSIS_FIELDS = (
    "label",
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
)


@dataclass(slots=True)
class Scored:
    """A valid event after the score stage: agency resolved, author
    pseudonymised (the raw author id is gone), text analysed."""

    event: CommentEvent
    agency: str
    agency_explicit: bool
    author_hash: str | None
    analysis: dict[str, Any] | None
    model_version: str | None
    run: str | None
    origin: str

    def to_json(self) -> bytes:
        ev = self.event.to_dict()
        ev.pop("author_id", None)
        return orjson.dumps(
            {
                "v": 1,
                "event": ev,
                "agency": self.agency,
                "agency_explicit": self.agency_explicit,
                "author_hash": self.author_hash,
                "analysis": self.analysis,
                "model_version": self.model_version,
                "run": self.run,
                "origin": self.origin,
            }
        )

    @classmethod
    def from_json(cls, raw: bytes) -> Scored:
        obj = orjson.loads(raw)
        ev = obj["event"]
        event = CommentEvent(
            platform=ev["platform"],
            account=ev["account"],
            comment_id=ev["comment_id"],
            text=ev["text"],
            created_at=parse_timestamp(ev["created_at"]),
            kind=ev.get("kind", "comment"),
            agency=ev.get("agency"),
            post_id=ev.get("post_id"),
            parent_id=ev.get("parent_id"),
            author_id=None,
            author_name=ev.get("author_name"),
            lang=ev.get("lang"),
            likes=ev.get("likes"),
            url=ev.get("url"),
            is_official_reply=bool(ev.get("is_official_reply", False)),
            edited_at=parse_timestamp(ev["edited_at"]) if ev.get("edited_at") else None,
        )
        return cls(
            event=event,
            agency=obj["agency"],
            agency_explicit=bool(obj["agency_explicit"]),
            author_hash=obj.get("author_hash"),
            analysis=obj.get("analysis"),
            model_version=obj.get("model_version"),
            run=obj.get("run"),
            origin=obj.get("origin", ""),
        )


@dataclass(slots=True)
class Rejected:
    """A line or message that failed validation, kept in quarantine."""

    raw: bytes
    reason: str
    origin: str
    run: str | None = None
    received_at: datetime | None = None
