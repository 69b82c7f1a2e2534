"""Retention on the bus: raw comments must not outlive `retention.raw_days` there either.

The database is only one copy of a comment. On the embedded bus, the raw log in
QULAQ_HOME keeps every line a collector or a replay published; on Kafka, every
topic keeps its messages for the broker's retention. `qulaq retention run`
therefore also

- removes from the embedded log the records every consumer group has passed and
  that were appended before the cutoff (see `TopicLog.trim`): unconsumed records
  stay, whatever their age, so nothing unprocessed is lost;
- sets `retention.ms` on the deployment's Kafka topics to at most the retention
  (and `segment.ms` to at most a day, since the broker deletes whole segments
  only), leaving topics whose retention is already shorter as they are. Those
  topics also get `message.timestamp.type=LogAppendTime`: the broker measures
  age from when a message arrived, never from a timestamp a producer set to an
  old event time, so a replay of last year is not deleted before it is read.
  Unlike the embedded log, Kafka deletes by age alone: a stage stopped for
  longer than the retention loses what it did not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qulaq.config import Settings
from qulaq.storage.database import Database
from stream.bus import TOPICS
from stream.embedded_bus import EmbeddedBus, TopicTrim, trim_consumed

DAY_MS = 86_400_000


def trim_embedded(
    settings: Settings, db: Database, cutoff: datetime, *, dry_run: bool = False
) -> list[TopicTrim]:
    with db.read() as conn:
        return trim_consumed(EmbeddedBus(settings), conn, cutoff.timestamp(), dry_run=dry_run)


@dataclass(frozen=True)
class TopicRetention:
    topic: str
    before_ms: int | None  # retention.ms the topic had (None: the broker's default)
    after_ms: int | None  # what it has now (in a dry run: would have)


def limit_kafka_topics(
    settings: Settings, days: float, *, dry_run: bool = False
) -> list[TopicRetention]:
    """Cap `retention.ms` of every topic of this deployment at `days`."""
    from kafka.admin import ConfigResource, ConfigResourceType

    from stream.kafka_bus import KafkaBus

    bus = KafkaBus(settings)
    bus.ensure_topics()
    want = max(1, round(days * DAY_MS))
    names = [bus.topic(t) for t in TOPICS]
    admin = bus.admin()
    try:
        found = admin.describe_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, n, configs={"retention.ms": None})
                for n in names
            ],
            config_filter="all",
        )
        topics: dict[str, Any] = next(iter(found.values()), {}) if found else {}
        out: list[TopicRetention] = []
        change: list[str] = []
        for name in names:
            current = _retention_ms(topics.get(name))
            if current is not None and 0 <= current <= want:
                out.append(TopicRetention(name, current, current))
                continue
            out.append(TopicRetention(name, current, want))
            change.append(name)
        if change and not dry_run:
            segment = str(min(want, DAY_MS))
            admin.alter_configs(
                [
                    ConfigResource(
                        ConfigResourceType.TOPIC,
                        n,
                        configs={
                            "retention.ms": str(want),
                            "segment.ms": segment,
                            "message.timestamp.type": "LogAppendTime",
                        },
                    )
                    for n in change
                ]
            )
        return out
    finally:
        admin.close()


def _retention_ms(entries: Any) -> int | None:
    """retention.ms out of describe_configs' entries for one topic (-1: for ever)."""
    if not isinstance(entries, dict):
        return None
    entry = entries.get("retention.ms")
    value = entry.get("value") if isinstance(entry, dict) else entry
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
