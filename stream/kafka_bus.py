"""Apache Kafka as the bus, through kafka-python.

Topics are created on first use with the configured partition count; every
topic and consumer group carries QULAQ_KAFKA_PREFIX. Producers are idempotent
with acks=all; consumers never auto-commit: a stage commits after its output
is flushed or written.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError

from qulaq.config import Settings
from qulaq.errors import UserError
from stream.bus import TOPICS, Bus, Message, Producer

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 4
# the broker's default message.max.bytes is about 1 MB; stay below it
MAX_MESSAGE_BYTES = 1_000_000
BOOTSTRAP_MS = 20_000


def _unreachable(settings: Settings, exc: Exception) -> UserError:
    return UserError(
        f"cannot reach Kafka at {','.join(settings.kafka_servers)} "
        f"({type(exc).__name__}); is the broker running? (make kafka)"
    )


class KafkaProducerAdapter(Producer):
    def __init__(self, settings: Settings) -> None:
        try:
            self._producer = KafkaProducer(
                bootstrap_servers=settings.kafka_servers,
                client_id=f"{settings.kafka_prefix}-producer",
                acks="all",
                linger_ms=20,
                batch_size=256 * 1024,
                max_request_size=MAX_MESSAGE_BYTES + 4096,
                request_timeout_ms=30_000,
                bootstrap_timeout_ms=BOOTSTRAP_MS,
            )
        except KafkaTimeoutError as exc:
            raise _unreachable(settings, exc) from exc
        self._futures: list[Any] = []

    def send(
        self,
        topic: str,
        value: bytes,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        hdrs = [(k, v.encode("utf-8")) for k, v in headers.items()] if headers else None
        self._futures.append(self._producer.send(topic, value=value, key=key, headers=hdrs))
        if len(self._futures) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self._producer.flush()
        futures, self._futures = self._futures, []
        for fut in futures:
            fut.get(timeout=60)  # raises if a message could not be delivered

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._producer.close(timeout=10)


class KafkaBus(Bus):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.partitions = int(settings.option("kafka.partitions", DEFAULT_PARTITIONS))
        self._ensured = False

    def admin(self) -> KafkaAdminClient:
        try:
            return KafkaAdminClient(
                bootstrap_servers=self.settings.kafka_servers,
                client_id=f"{self.settings.kafka_prefix}-admin",
                request_timeout_ms=30_000,
                bootstrap_timeout_ms=BOOTSTRAP_MS,
            )
        except KafkaError as exc:
            raise _unreachable(self.settings, exc) from exc

    def ensure_topics(self) -> None:
        """Create every topic of this deployment that does not exist yet."""
        if self._ensured:
            return
        admin = self.admin()
        try:
            existing = set(admin.list_topics())
            wanted = [
                NewTopic(self.topic(name), self.partitions, 1)
                for name in TOPICS
                if self.topic(name) not in existing
            ]
            if wanted:
                with contextlib.suppress(TopicAlreadyExistsError):
                    admin.create_topics(wanted)
                admin.wait_for_topics([t.name for t in wanted], timeout_ms=30_000)
        finally:
            admin.close()
        self._ensured = True

    def producer(self) -> KafkaProducerAdapter:
        self.ensure_topics()
        return KafkaProducerAdapter(self.settings)

    def max_message_bytes(self) -> int:
        return MAX_MESSAGE_BYTES

    def consumer(self, stage: str, topics: list[str], **overrides: Any) -> KafkaConsumerAdapter:
        self.ensure_topics()
        return KafkaConsumerAdapter(
            self, self.group(stage), [self.topic(t) for t in topics], **overrides
        )


class KafkaConsumerAdapter:
    def __init__(self, bus: KafkaBus, group: str, topics: list[str], **overrides: Any) -> None:
        self.group = group
        self.topics = topics
        config: dict[str, Any] = {
            "bootstrap_servers": bus.settings.kafka_servers,
            "group_id": group,
            "client_id": f"{group}-consumer",
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": 2000,
            "fetch_max_wait_ms": 200,
            "max_partition_fetch_bytes": MAX_MESSAGE_BYTES * 2,
            "session_timeout_ms": 10_000,
            "heartbeat_interval_ms": 2_000,
            "max_poll_interval_ms": 600_000,
            "bootstrap_timeout_ms": BOOTSTRAP_MS,
            # notice new partitions (and recover a missed assignment) within seconds
            "metadata_max_age_ms": 10_000,
        }
        config.update(overrides)
        try:
            self._consumer = KafkaConsumer(**config)
            # Learn the topics' partitions before joining the group: a member
            # that joins without them is assigned nothing and waits for the
            # next metadata refresh before the group rebalances.
            for topic in topics:
                self._await_partitions(topic)
            self._consumer.subscribe(topics)
        except KafkaTimeoutError as exc:
            raise _unreachable(bus.settings, exc) from exc

    def _await_partitions(self, topic: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self._consumer.partitions_for_topic(topic):
            if time.monotonic() > deadline:
                raise KafkaTimeoutError(f"no partitions known for topic {topic}")
            time.sleep(0.2)

    def poll(self, max_records: int, timeout_ms: int = 500) -> list[Message]:
        batches = self._consumer.poll(timeout_ms=timeout_ms, max_records=max_records)
        out: list[Message] = []
        for tp, records in batches.items():
            for r in records:
                headers = {k: v.decode("utf-8", "replace") for k, v in (r.headers or [])}
                out.append(
                    Message(tp.topic, tp.partition, r.offset, r.key, r.value, headers, r.offset + 1)
                )
        return out

    def commit(self, messages: list[Message]) -> None:
        """Commit the positions after `messages` (synchronously)."""
        if not messages:
            return
        from kafka import OffsetAndMetadata

        latest: dict[TopicPartition, int] = {}
        for m in messages:
            tp = TopicPartition(m.topic, m.partition)
            latest[tp] = max(latest.get(tp, -1), m.next_offset)
        self._consumer.commit({tp: OffsetAndMetadata(off, "", -1) for tp, off in latest.items()})

    def lag(self) -> int:
        """Messages in the subscribed topics not yet committed by this group."""
        parts = []
        for topic in self.topics:
            for p in self._consumer.partitions_for_topic(topic) or ():
                parts.append(TopicPartition(topic, p))
        if not parts:
            return 0
        ends = self._consumer.end_offsets(parts)
        total = 0
        for tp in parts:
            committed = self._consumer.committed(tp) or 0
            total += max(0, ends.get(tp, 0) - committed)
        return total

    def close(self) -> None:
        self._consumer.close(autocommit=False)
