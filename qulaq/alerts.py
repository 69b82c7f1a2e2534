"""The alert as it travels on the alerts topic and is handed to playbooks.

Signals raise alerts; one open alert per agency and kind grows instead of
repeating, so a message carries the alert's whole current state and the
`change` that produced it (raised, updated, escalated, closed). Every alert
belongs to an incident: related alerts of one agency grouped, routed and
clocked (24 hours) together. Playbooks start one run per incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from qulaq.events import parse_timestamp

KINDS = (
    "volume_spike",  # more comments than the seasonal baseline
    "negativity_spike",  # a higher share of negative comments than usual, with evidence
    "topic_burst",  # one topic or a new term rising
    "aggression_surge",  # insults, obscenity, threats rising
    "backlog",  # unanswered comments piling up (a daily figure, rarely a page)
    "sla_breach",  # answers late against the triage deadlines
    "coordinated",  # near-identical texts from many accounts in a short window
    "rumour",  # markers of disinformation spreading
    "positive_burst",  # a surge of praise or greetings: reported, never a crisis
)
CHANGES = ("raised", "updated", "escalated", "closed")
STATUSES = ("open", "acknowledged", "closed")


@dataclass(slots=True)
class Alert:
    id: str
    agency: str
    kind: str
    severity: int  # 1–4, 4 the most severe
    status: str
    raised_at: datetime  # event time of the first detection
    updated_at: datetime  # event time of this state
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    negative_share: float | None
    summary: str
    change: str = "raised"
    incident_id: str | None = None
    platform: str | None = None
    topic: str | None = None
    topics: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    top_comments: list[dict[str, Any]] = field(default_factory=list)
    persistence: int = 1  # windows in a row the condition has held
    score: float = 0.0
    drill: bool = False
    # the evidence behind the numbers: comments in the window, the usual share or ratio,
    # accounts behind near-identical texts... (what raised it, for the record)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        # orjson writes a dataclass and its datetimes (ISO 8601) itself, without the
        # deep copy asdict() makes: the same bytes, several times faster
        return orjson.dumps(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Alert:
        values = dict(d)
        for key in ("raised_at", "updated_at", "window_start", "window_end"):
            if isinstance(values.get(key), str):
                values[key] = parse_timestamp(values[key])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})

    @property
    def is_crisis(self) -> bool:
        return self.kind != "positive_burst" and self.severity >= 3
