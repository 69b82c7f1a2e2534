"""The bus the stages talk over: the embedded log or Apache Kafka.

Topics carry bytes keyed by agency. Both buses give at-least-once delivery:
a consumer's position is committed only after what it produced or wrote is
durable, so a crash re-delivers and the idempotent sinks absorb it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from qulaq.config import Settings

# logical topic names; every physical name carries the deployment's prefix
RAW = "raw"
SCORED = "scored"
SIGNALS = "signals"
ALERTS = "alerts"
PLAYBOOK_EVENTS = "playbook-events"
DEADLETTER = "deadletter"
TOPICS = (RAW, SCORED, SIGNALS, ALERTS, PLAYBOOK_EVENTS, DEADLETTER)

# headers every producer of the raw topic sets where it can
H_ORIGIN = "qulaq-origin"  # file:line, or collector run and item
H_RUN = "qulaq-run"  # ingest run id, for provenance
H_REASON = "qulaq-reason"  # dead letters: why the message was rejected


@dataclass(slots=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)
    next_offset: int = -1  # where the consumer resumes after this message

    @property
    def origin(self) -> str:
        return self.headers.get(H_ORIGIN) or f"{self.topic}/{self.partition}/{self.offset}"


class Producer(ABC):
    @abstractmethod
    def send(
        self,
        topic: str,
        value: bytes,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue a message; it is durable once `flush` returns."""

    @abstractmethod
    def flush(self) -> None: ...

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> Producer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Bus(ABC):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def topic(self, name: str) -> str:
        return f"{self.settings.kafka_prefix}.{name}"

    def group(self, stage: str) -> str:
        return f"{self.settings.kafka_prefix}.{stage}"

    @abstractmethod
    def producer(self) -> Producer: ...

    @abstractmethod
    def max_message_bytes(self) -> int: ...


def open_bus(settings: Settings) -> Bus:
    if settings.uses_kafka:
        from stream.kafka_bus import KafkaBus

        return KafkaBus(settings)
    from stream.embedded_bus import EmbeddedBus

    return EmbeddedBus(settings)
