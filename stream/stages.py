"""The pipeline's stages as plain code: the same objects run in-process on the
embedded runtime and as consumer groups on Kafka.

validate + score: raw bytes → `Scored` (agency resolved, author pseudonymised,
                  text analysed) or `Rejected` (quarantined with its reason)
store:            `Scored` and `Rejected` → database, idempotently
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from qulaq.events import CommentEvent, InvalidEvent, ahead_of_clock, parse_event
from qulaq.models import ANALYSIS_FIELDS, Rejected, Scored
from qulaq.pseudonym import Pseudonymiser
from qulaq.registry import Registry
from qulaq.storage.comments import WriteResult, write_scored
from qulaq.storage.quarantine import write_rejected
from qulaq.timefmt import zone
from stream.bus import H_REASON, H_RUN, Message

ALMATY = zone()
# analysis reads at most this much of a text; storage keeps it whole
ANALYSIS_CHARS = 5000


class TextAnalyzer(Protocol):
    model_version: str

    def analyze(self, texts: Sequence[str]) -> list[Any]: ...


def resolve_agency(registry: Registry, event: CommentEvent) -> tuple[str, bool]:
    """The agency a comment belongs to, and whether the event named it."""
    if event.agency:
        return event.agency, True
    found = registry.agency_for_account(
        event.platform, event.account, event.created_at.astimezone(ALMATY).date()
    )
    if found:
        return found, False
    return Registry.fallback_id(event.platform, event.account), False


def partition_key(registry: Registry, event: CommentEvent) -> bytes:
    return resolve_agency(registry, event)[0].encode("utf-8")


class ScoreStage:
    name = "score"

    def __init__(
        self, registry: Registry, pseudonymiser: Pseudonymiser, analyzer: TextAnalyzer
    ) -> None:
        self.registry = registry
        self.pseudonymiser = pseudonymiser
        self.analyzer = analyzer

    def process(self, messages: Sequence[Message]) -> tuple[list[Scored], list[Rejected]]:
        scored: list[Scored] = []
        rejected: list[Rejected] = []
        now = datetime.now(UTC)
        for msg in messages:
            run = msg.headers.get(H_RUN)
            reason = msg.headers.get(H_REASON)
            if reason:  # rejected upstream, passed on for safe keeping
                rejected.append(Rejected(msg.value, reason, msg.origin, run, now))
                continue
            try:
                event = parse_event(msg.value)
                ahead = ahead_of_clock(event, now)
                if ahead is not None:
                    raise InvalidEvent(ahead)
            except InvalidEvent as exc:
                rejected.append(Rejected(msg.value, str(exc), msg.origin, run, now))
                continue
            agency, explicit = resolve_agency(self.registry, event)
            author = self.pseudonymiser.author(event.platform, event.author_id)
            event.author_id = None
            scored.append(Scored(event, agency, explicit, author, None, None, run, msg.origin))
        self._analyze(scored)
        return scored, rejected

    def _analyze(self, items: list[Scored]) -> None:
        texts: dict[str, int] = {}
        for it in items:
            if it.event.kind == "delete" and not it.event.text:
                continue
            texts.setdefault(it.event.text[:ANALYSIS_CHARS], len(texts))
        if not texts:
            return
        results = self.analyzer.analyze(list(texts))
        version = self.analyzer.model_version
        as_dicts = [_analysis_dict(r) for r in results]
        for it in items:
            idx = texts.get(it.event.text[:ANALYSIS_CHARS])
            if idx is not None:
                it.analysis = as_dicts[idx]
                it.model_version = version


def _analysis_dict(result: Any) -> dict[str, Any]:
    if isinstance(result, dict):
        out = {k: result.get(k) for k in ANALYSIS_FIELDS}
    else:
        out = {k: getattr(result, k, None) for k in ANALYSIS_FIELDS}
    topics = out.get("topics")
    if topics is not None:
        out["topics"] = list(topics)
    return out


class StoreStage:
    name = "store"

    def write(
        self, conn: Connection, scored: list[Scored], rejected: list[Rejected]
    ) -> WriteResult:
        if rejected:
            write_rejected(conn, rejected)
        return write_scored(conn, scored)
