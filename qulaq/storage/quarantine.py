"""The quarantine: every line or message that failed validation, with its reason."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from qulaq.models import Rejected
from qulaq.storage.schema import quarantine
from qulaq.storage.upsert import insert_ignoring_duplicates


def raw_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def write_rejected(conn: Connection, items: list[Rejected], now: datetime | None = None) -> None:
    """Keep each rejected line once per origin, whatever the number of deliveries."""
    now = now or datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for it in items:
        digest = raw_hash(it.raw)
        rows[(it.origin, digest)] = {
            "origin": it.origin,
            "raw_hash": digest,
            "reason": it.reason,
            "raw": it.raw,
            "run": it.run,
            "received_at": it.received_at or now,
        }
    insert_ignoring_duplicates(conn, quarantine, list(rows.values()))


def count_quarantined(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(quarantine)).scalar_one())
