"""Consumer positions kept in the database beside a stage's own writes.

`fence` makes a stage's database effects exactly-once over an at-least-once
bus: inside the stage's transaction it drops the messages already applied and
records the new positions, so a re-delivery after a crash is a no-op.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import Connection, and_, or_, select

from qulaq.storage.schema import bus_offsets
from qulaq.storage.upsert import insert_ignoring_duplicates


class Positioned(Protocol):
    topic: str
    partition: int
    offset: int
    next_offset: int


M = TypeVar("M", bound=Positioned)


def fence(conn: Connection, consumer: str, messages: list[M]) -> list[M]:
    if not messages:
        return []
    parts = {(m.topic, m.partition) for m in messages}
    o = bus_offsets.c
    rows = conn.execute(
        select(o.topic, o.partition, o.offset).where(
            o.consumer == consumer,
            or_(*(and_(o.topic == t, o.partition == p) for t, p in parts)),
        )
    )
    done = {(t, p): off for t, p, off in rows}
    fresh = [m for m in messages if m.offset >= done.get((m.topic, m.partition), -1)]
    latest: dict[tuple[str, int], int] = {}
    for m in messages:
        key = (m.topic, m.partition)
        latest[key] = max(latest.get(key, -1), m.next_offset)
    now = datetime.now(UTC)
    insert_ignoring_duplicates(
        conn,
        bus_offsets,
        [
            {"consumer": consumer, "topic": t, "partition": p, "offset": -1, "updated_at": now}
            for (t, p) in latest
            if (t, p) not in done
        ],
    )
    for (t, p), nxt in latest.items():
        if nxt > done.get((t, p), -1):
            conn.execute(
                bus_offsets.update()
                .where(o.consumer == consumer, o.topic == t, o.partition == p)
                .values(offset=nxt, updated_at=now)
            )
    return fresh
