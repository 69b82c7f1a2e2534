"""Apache Kafka as the bus.

The data path (every stage's producer and consumer, `qulaq replay`, the
collectors) runs on librdkafka through confluent-kafka: on the same broker and
bytes it produces and consumes more than ten times as many messages per second
as kafka-python, whose per-message work in Python was most of what a stage
spent (`make bench` measures both clients side by side). The admin side (topic
creation, group lag, DeleteRecords for retention) stays on kafka-python.

Topics are created on first use with the configured partition count; every
topic and consumer group carries QULAQ_KAFKA_PREFIX. Producers are idempotent
with acks=all and partition keys with murmur2, as Java clients and kafka-python
do, so an agency's messages stay in one partition whoever wrote them. A stage
marks its input done only after its output is flushed or written; the marked
positions are committed every second and on close.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

import confluent_kafka as ck
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from qulaq.config import Settings
from qulaq.errors import UserError
from stream.bus import TOPICS, Bus, Message, Producer

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 4
# the broker's default message.max.bytes is about 1 MB; stay below it
MAX_MESSAGE_BYTES = 1_000_000
BOOTSTRAP_MS = 20_000
# how long a message may wait for delivery, riding out a broker restart
DELIVERY_MS = 120_000
# how often the positions a stage has marked done are committed to the group
COMMIT_INTERVAL_MS = 1000


class DeliveryError(RuntimeError):
    """Messages the broker did not acknowledge in time; nothing was committed after them."""


def _unreachable(settings: Settings, exc: Exception) -> UserError:
    return UserError.t(
        "kafka.unreachable", servers=",".join(settings.kafka_servers), error=type(exc).__name__
    )


class _ClientLog:
    """librdkafka's own lines (every refused connection while a broker restarts and the
    like) go to the log file, not the terminal: the errors that matter reach the caller."""

    def log(self, level: int, fmt: str, *args: object) -> None:
        log.info(fmt, *args)


def _client_config(settings: Settings, client_id: str) -> dict[str, Any]:
    return {
        "bootstrap.servers": ",".join(settings.kafka_servers),
        "client.id": client_id,
        "socket.connection.setup.timeout.ms": BOOTSTRAP_MS,
        "logger": _ClientLog(),
    }


def _check_reachable(client: Any, settings: Settings) -> None:
    try:
        client.list_topics(timeout=BOOTSTRAP_MS / 1000)
    except ck.KafkaException as exc:
        raise _unreachable(settings, exc) from exc


class KafkaProducerAdapter(Producer):
    def __init__(self, settings: Settings) -> None:
        config = _client_config(settings, f"{settings.kafka_prefix}-producer")
        config.update(
            {
                "acks": "all",
                "enable.idempotence": True,
                "partitioner": "murmur2_random",
                "linger.ms": 20,
                "message.max.bytes": MAX_MESSAGE_BYTES + 4096,
                "request.timeout.ms": 30_000,
                "message.timeout.ms": DELIVERY_MS,
            }
        )
        self._producer = ck.Producer(config)
        _check_reachable(self._producer, settings)
        self._failed: list[str] = []

    def _delivered(self, err: ck.KafkaError | None, msg: Any) -> None:
        if err is not None:
            self._failed.append(f"{msg.topic()}: {err.str()}")

    def send(
        self,
        topic: str,
        value: bytes,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        hdrs: list[tuple[str, str | bytes | None]] | None = (
            [(k, v.encode("utf-8")) for k, v in headers.items()] if headers else None
        )
        while True:
            try:
                self._producer.produce(topic, value, key, headers=hdrs, on_delivery=self._delivered)
                return
            except BufferError:  # the local queue is full: wait for deliveries
                self._producer.poll(0.1)

    def flush(self) -> None:
        left = self._producer.flush(DELIVERY_MS / 1000 + 10)
        failed, self._failed = self._failed, []
        if left or failed:
            raise DeliveryError(
                f"{len(failed) + left} message(s) not delivered to Kafka"
                + (f": {failed[0]}" if failed else " in time")
            )

    def close(self) -> None:
        self.flush()


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

    def consumer(self, stage: str, topics: list[str]) -> KafkaConsumerAdapter:
        self.ensure_topics()
        return KafkaConsumerAdapter(self, self.group(stage), [self.topic(t) for t in topics])


class KafkaConsumerAdapter:
    def __init__(self, bus: KafkaBus, group: str, topics: list[str]) -> None:
        self.group = group
        self.topics = topics
        self.settings = bus.settings
        config = _client_config(bus.settings, f"{group}-consumer")
        config.update(
            {
                "group.id": group,
                # only positions stored by commit() are committed, in the background
                "enable.auto.commit": True,
                "auto.commit.interval.ms": COMMIT_INTERVAL_MS,
                "enable.auto.offset.store": False,
                "auto.offset.reset": "earliest",
                "fetch.wait.max.ms": 200,
                "max.partition.fetch.bytes": MAX_MESSAGE_BYTES * 2,
                "session.timeout.ms": 10_000,
                "heartbeat.interval.ms": 2_000,
                "max.poll.interval.ms": 600_000,
                # notice new partitions within seconds
                "topic.metadata.refresh.interval.ms": 10_000,
            }
        )
        self._consumer = ck.Consumer(config)
        try:
            self._await_partitions()
        except Exception:
            self._consumer.close()
            raise
        self._consumer.subscribe(topics)

    def _await_partitions(self, timeout: float = 30.0) -> None:
        """Wait until the broker knows every subscribed topic's partitions."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                meta = self._consumer.list_topics(timeout=BOOTSTRAP_MS / 1000)
            except ck.KafkaException as exc:
                raise _unreachable(self.settings, exc) from exc
            if all(meta.topics.get(t) and meta.topics[t].partitions for t in self.topics):
                return
            if time.monotonic() > deadline:
                raise UserError.t("kafka.no_partitions", topics=", ".join(self.topics))
            time.sleep(0.2)

    def poll(self, max_records: int, timeout_ms: int = 500) -> list[Message]:
        out: list[Message] = []
        records: list[Any] = self._consumer.consume(max_records, timeout_ms / 1000)
        for r in records:
            err = r.error()
            if err is not None:
                if err.fatal():
                    raise ck.KafkaException(err)
                # a broker going away and the like: librdkafka recovers by itself
                log.info("consumer %s: %s", self.group, err.str())
                continue
            headers = {k: (v or b"").decode("utf-8", "replace") for k, v in r.headers() or ()}
            offset = r.offset()
            out.append(
                Message(
                    r.topic(), r.partition(), offset, r.key(), r.value() or b"", headers, offset + 1
                )
            )
        return out

    def commit(self, messages: list[Message]) -> None:
        """Mark the positions after `messages` done: librdkafka commits them within
        COMMIT_INTERVAL_MS and on close, without blocking the stage. (A synchronous
        commit waits without limit for a coordinator that a restarted broker has not
        re-elected, and the stage stalls past max.poll.interval.) Crash before the
        commit and the batch is read again: at least once, the sinks absorb it."""
        if not messages:
            return
        latest: dict[tuple[str, int], int] = {}
        for m in messages:
            key = (m.topic, m.partition)
            latest[key] = max(latest.get(key, -1), m.next_offset)
        offsets = [ck.TopicPartition(t, p, off) for (t, p), off in latest.items()]
        try:
            self._consumer.store_offsets(offsets=offsets)
        except ck.KafkaException as exc:
            # the partitions moved to another member in a rebalance: their next owner
            # reads again from the last commit, and what this batch wrote is absorbed
            log.warning("group %s: position not kept (%s)", self.group, exc.args[0].str())

    def close(self) -> None:
        self._consumer.close()
