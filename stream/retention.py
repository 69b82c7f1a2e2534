"""Retention on the bus: raw comments must not outlive `retention.raw_days` there either.

The database is only one copy of a comment. On the embedded bus, the raw log in
QULAQ_HOME keeps every line a collector or a replay published; on Kafka, every
topic keeps its messages for the broker's retention (for ever in the shipped
configuration, so that a database can be rebuilt from the topics). `qulaq
retention run` therefore also removes, on either bus, the records that are
older than the cutoff **and** that every stage reading them has passed:

- from the embedded log (`TopicLog.trim`);
- from each Kafka partition, with the admin API's DeleteRecords, up to the lower
  of the slowest reading group's committed offset and the first offset written
  after the cutoff. A topic or partition no group has committed on keeps
  everything. The topics' own retention settings are left as they are.

Nothing unprocessed is removed, however old: a stage stopped for longer than the
retention catches up first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qulaq.config import Settings
from qulaq.storage.database import Database
from stream.embedded_bus import EmbeddedBus, TopicTrim, trim_consumed


def trim_embedded(
    settings: Settings, db: Database, days: float, now: datetime, *, dry_run: bool = False
) -> list[TopicTrim]:
    with db.read() as conn:
        return trim_consumed(
            EmbeddedBus(settings), conn, now=now.timestamp(), raw_days=days, dry_run=dry_run
        )


@dataclass(frozen=True)
class KafkaTrim:
    topic: str
    messages: int  # removed (in a dry run: would be removed), over the topic's partitions


def trim_kafka_topics(
    settings: Settings, cutoff: datetime, *, dry_run: bool = False
) -> list[KafkaTrim]:
    """Delete, per partition, the messages older than `cutoff` that every group reading
    the topic has committed past."""
    from kafka import OffsetSpec, TopicPartition

    from stream.kafka_bus import KafkaBus
    from stream.kafka_runtime import offset_of, stage_inputs, stage_names

    bus = KafkaBus(settings)
    readers: dict[str, list[str]] = {}  # topic -> groups that read it
    for stage in stage_names(settings):
        for name in stage_inputs(stage):
            readers.setdefault(bus.topic(name), []).append(bus.group(stage))
    admin = bus.admin()
    try:
        described = admin.describe_topics(sorted(readers))
        parts = [
            TopicPartition(t["name"], p["partition_index"])
            for t in described
            if t.get("error_code") == 0
            for p in t["partitions"]
        ]
        if not parts:
            return []
        committed: dict[str, dict[Any, Any]] = {}
        for group in sorted({g for gs in readers.values() for g in gs}):
            mine = [tp for tp in parts if group in readers[tp.topic]]
            committed[group] = admin.list_group_offsets({group: mine}).get(group, {}) or {}
        earliest = admin.list_partition_offsets({tp: OffsetSpec.EARLIEST for tp in parts})
        latest = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in parts})
        at_cutoff = admin.list_partition_offsets(
            {tp: int(cutoff.timestamp() * 1000) for tp in parts}
        )
        delete: dict[Any, int] = {}
        removed: dict[str, int] = {}
        for tp in parts:
            done = [offset_of(committed[g].get(tp), -1) for g in readers[tp.topic]]
            if min(done) < 0:
                continue  # a group that never committed here: keep everything
            newer = offset_of(at_cutoff.get(tp), -1)  # first offset written at/after the cutoff
            old_end = newer if newer >= 0 else offset_of(latest.get(tp))
            before = min(min(done), old_end)
            first = offset_of(earliest.get(tp))
            if before > first:
                delete[tp] = before
                removed[tp.topic] = removed.get(tp.topic, 0) + before - first
        if delete and not dry_run:
            admin.delete_records(delete)
        return [KafkaTrim(name, removed.get(name, 0)) for name in sorted(readers)]
    finally:
        admin.close()
