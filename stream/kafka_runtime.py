"""The Kafka runtime: each stage a consumer group, scaled out by partitions.

score:  raw → validate, pseudonymise, analyse → scored (valid) / deadletter
store:  scored + deadletter → database (idempotent), then commit
later stages (signals, playbooks) consume scored and publish their own topics.

Delivery is at least once: a stage commits its input offsets only after its
output is flushed to Kafka or committed to the database. Re-delivered
messages are absorbed by the idempotent writes.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from qulaq.models import Rejected, Scored
from stream.bus import DEADLETTER, H_ORIGIN, H_REASON, H_RUN, RAW, SCORED, Message
from stream.kafka_bus import KafkaBus, KafkaConsumerAdapter, KafkaProducerAdapter
from stream.pipeline import Pipeline, with_retries

log = logging.getLogger(__name__)

STAGES = ("score", "store", "signals", "playbooks")


@dataclass
class WorkerState:
    processed: int = 0
    idle: bool = False
    lag: int = -1
    error: BaseException | None = None


class StageWorker(threading.Thread):
    """Runs one stage's consumer loop until `stop` is set."""

    def __init__(
        self,
        stage: str,
        pipeline: Pipeline,
        bus: KafkaBus,
        stop: threading.Event,
        batch_size: int = 2000,
    ) -> None:
        super().__init__(name=f"stage-{stage}", daemon=True)
        self.stage = stage
        self.pipeline = pipeline
        self.bus = bus
        self.stop = stop
        self.batch_size = batch_size
        self.state = WorkerState()
        self.consumer: KafkaConsumerAdapter | None = None
        self.producer: KafkaProducerAdapter | None = None

    def inputs(self) -> list[str]:
        if self.stage == "score":
            return [RAW]
        if self.stage == "store":
            return [SCORED, DEADLETTER]
        return [SCORED]

    def run(self) -> None:
        try:
            self.consumer = self.bus.consumer(self.stage, self.inputs())
            if self.stage in ("score", "signals", "playbooks"):
                self.producer = self.bus.producer()
            while not self.stop.is_set():
                messages = self.consumer.poll(self.batch_size, timeout_ms=300)
                if not messages:
                    self.state.lag = self.consumer.lag()
                    self.state.idle = True
                    continue
                self.state.idle = False
                self.handle(messages)
                self.consumer.commit(messages)
                self.state.processed += len(messages)
        except BaseException as exc:  # reported by the runtime
            self.state.error = exc
            log.exception("stage %s failed", self.stage)
        finally:
            if self.producer is not None:
                try:
                    self.producer.close()
                except Exception:
                    log.warning("stage %s: producer close failed", self.stage)
            if self.consumer is not None:
                self.consumer.close()

    def handle(self, messages: list[Message]) -> None:
        if self.stage == "score":
            self._score(messages)
        elif self.stage == "store":
            self._store(messages)
        else:
            self._downstream(messages)

    def _score(self, messages: list[Message]) -> None:
        assert self.producer is not None
        scored, rejected = self.pipeline.score.process(messages)
        for item in scored:
            self.producer.send(
                self.bus.topic(SCORED), item.to_json(), key=item.agency.encode("utf-8")
            )
        for bad in rejected:
            headers = {H_REASON: bad.reason, H_ORIGIN: bad.origin}
            if bad.run:
                headers[H_RUN] = bad.run
            self.producer.send(self.bus.topic(DEADLETTER), bad.raw, headers=headers)
        self.producer.flush()

    def _store(self, messages: list[Message]) -> None:
        scored: list[Scored] = []
        rejected: list[Rejected] = []
        for m in messages:
            if m.topic == self.bus.topic(DEADLETTER):
                rejected.append(
                    Rejected(
                        m.value, m.headers.get(H_REASON, "rejected"), m.origin, m.headers.get(H_RUN)
                    )
                )
            else:
                scored.append(Scored.from_json(m.value))
        db = self.pipeline.db

        def transaction() -> None:
            with db.write() as conn:
                self.pipeline.store.write(conn, scored, rejected)

        with_retries(transaction, what="storing a batch")

    def _downstream(self, messages: list[Message]) -> None:
        assert self.producer is not None
        scored = [Scored.from_json(m.value) for m in messages]
        stages = [s for s in self.pipeline.downstream if s.name == self.stage]
        outputs: list[tuple[str, bytes, bytes]] = []

        def transaction() -> None:
            outputs.clear()
            with self.pipeline.db.write() as conn:
                for stage in stages:
                    outputs.extend(stage.process(conn, scored))

        with_retries(transaction, what=f"stage {self.stage}")
        for topic, key, value in outputs:
            self.producer.send(self.bus.topic(topic), value, key=key)
        self.producer.flush()


class KafkaRuntime:
    def __init__(self, pipeline: Pipeline, stages: list[str] | None = None) -> None:
        self.pipeline = pipeline
        self.bus = KafkaBus(pipeline.settings)
        names = stages or ["score", "store", *[s.name for s in pipeline.downstream]]
        self.stages = list(dict.fromkeys(names))

    def run(
        self, *, until_idle: bool, stop: threading.Event | None = None, idle_checks: int = 3
    ) -> dict[str, int]:
        stop = stop or threading.Event()
        self.bus.ensure_topics()
        workers = [StageWorker(s, self.pipeline, self.bus, stop) for s in self.stages]
        for w in workers:
            w.start()
        calm = 0
        try:
            while not stop.is_set():
                time.sleep(0.5)
                failed = [w for w in workers if w.state.error is not None]
                if failed:
                    err = failed[0].state.error
                    raise RuntimeError(f"stage {failed[0].stage} failed: {err}") from err
                if not until_idle:
                    continue
                if all(w.state.idle and w.state.lag == 0 for w in workers):
                    calm += 1
                    if calm >= idle_checks:
                        break
                else:
                    calm = 0
        finally:
            stop.set()
            for w in workers:
                w.join(timeout=30)
        return {w.stage: w.state.processed for w in workers}
