"""The Kafka runtime: each stage a consumer group, scaled out by partitions.

score:  raw → validate, pseudonymise, analyse → scored (valid) / deadletter
store:  scored + deadletter → database (idempotent), then commit
later stages (signals, playbooks) consume scored and publish their own topics.

Delivery is at least once: a stage marks its input offsets done only after its
output is flushed to Kafka or committed to the database (the consumer commits
what is marked every second and on shutdown). Re-delivered
messages are absorbed by the idempotent writes, and the later stages fence
their database state by offset so they apply each message once.

`qulaq run` starts one process per stage (so scoring and storing use both
cores) and watches them; `qulaq run --stage NAME` is one stage alone, to be
scaled out with replicas. With `--until-idle` the parent stops the stages
once every group has consumed everything upstream of it.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaAdminClient, OffsetSpec, TopicPartition
from kafka.errors import KafkaError

from qulaq import gc_tuning
from qulaq.config import Settings, load_settings
from qulaq.errors import UserError
from qulaq.lifeline import Lifeline
from qulaq.models import Rejected, Scored
from qulaq.storage.offsets import fence
from stream.bus import DEADLETTER, H_ORIGIN, H_REASON, H_RUN, RAW, SCORED, Message
from stream.kafka_bus import KafkaBus, KafkaConsumerAdapter, KafkaProducerAdapter
from stream.pipeline import (
    DownstreamStage,
    Output,
    Pipeline,
    build_pipeline,
    decode_items,
    downstream_specs,
    with_retries,
)

log = logging.getLogger(__name__)

# upstream first: a stage is idle only once everything before it is
STAGE_INPUTS: dict[str, list[str]] = {
    "score": [RAW],
    "store": [SCORED, DEADLETTER],
}
TICK_SECONDS = 5.0


class StageWorker:
    """One stage's consume → handle → commit loop."""

    def __init__(
        self, stage: str, pipeline: Pipeline, bus: KafkaBus, batch_size: int = 2000
    ) -> None:
        self.stage = stage
        self.pipeline = pipeline
        self.bus = bus
        self.batch_size = batch_size
        self.processed = 0
        self.consumer: KafkaConsumerAdapter | None = None
        self.producer: KafkaProducerAdapter | None = None
        self._next_tick = datetime.now(UTC)

    def run(self, stop: threading.Event, orphaned: Callable[[], bool] = lambda: False) -> None:
        self.consumer = self.bus.consumer(self.stage, stage_inputs(self.stage))
        if self.stage != "store":
            self.producer = self.bus.producer()
        try:
            while not stop.is_set() and not orphaned():
                messages = self.consumer.poll(self.batch_size, timeout_ms=300)
                if messages:
                    self.handle(messages)
                    self.consumer.commit(messages)
                    self.processed += len(messages)
                else:
                    self.tick()
        finally:
            self.pipeline.stop()
            if self.producer is not None:
                self.producer.close()
            self.consumer.close()

    def handle(self, messages: list[Message]) -> None:
        if self.stage == "score":
            self._score(messages)
        elif self.stage == "store":
            self._store(messages)
        else:
            self._downstream(messages)

    def tick(self) -> None:
        """Let time-driven stages act while no message arrives."""
        ticking = [s for s in self._stages() if hasattr(s, "tick")]
        if not ticking or self.producer is None:
            return
        now = datetime.now(UTC)
        if now < self._next_tick:
            return
        self._next_tick = now + timedelta(seconds=TICK_SECONDS)
        outputs: list[Output] = []

        def transaction() -> None:
            outputs.clear()
            with self.pipeline.db.write() as conn:
                for stage in ticking:
                    outputs.extend(stage.tick(conn, now))

        with_retries(transaction, what=f"stage {self.stage} timers")
        self._publish(outputs)

    def _stages(self) -> list[DownstreamStage]:
        return [s for s in self.pipeline.downstream if s.name == self.stage]

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

        def transaction() -> None:
            with self.pipeline.db.write() as conn:
                self.pipeline.store.write(conn, scored, rejected)

        with_retries(transaction, what="storing a batch")

    def _downstream(self, messages: list[Message]) -> None:
        stages = self._stages()
        outputs: list[Output] = []
        group = self.bus.group(self.stage)
        logical = {self.bus.topic(name): name for name in stage_inputs(self.stage)}

        def transaction() -> None:
            outputs.clear()
            with self.pipeline.db.write() as conn:
                # exactly once for the stage's database state: skip what an
                # earlier attempt applied but could not commit to Kafka
                fresh = fence(conn, group, messages)
                by_topic: dict[str, list[bytes]] = {}
                for m in fresh:
                    by_topic.setdefault(logical[m.topic], []).append(m.value)
                for topic, values in by_topic.items():
                    items = decode_items(topic, values)
                    for stage in stages:
                        if topic in stage.inputs:
                            outputs.extend(stage.process(conn, topic, items))

        with_retries(transaction, what=f"stage {self.stage}")
        self._publish(outputs)

    def _publish(self, outputs: list[tuple[str, bytes, bytes]]) -> None:
        if not outputs:
            return
        assert self.producer is not None
        for topic, key, value in outputs:
            self.producer.send(self.bus.topic(topic), value, key=key)
        self.producer.flush()


def _stage_process(stage: str, batch_size: int, parent: int) -> None:
    """Entry point of a stage's own process, started by the runtime with pid `parent`."""
    lifeline = Lifeline(parent)
    if lifeline.orphaned():  # the runtime died while this process was starting
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("kafka").setLevel(logging.ERROR)
    from qulaq.cli import log_file

    log_file()
    settings = load_settings()
    pipeline = build_pipeline(settings)
    worker = StageWorker(stage, pipeline, KafkaBus(settings), batch_size)
    gc_tuning.settle()
    worker.run(stop, lifeline.orphaned)


class GroupLag:
    """Consumer-group lag per stage, read with the admin client."""

    def __init__(self, bus: KafkaBus) -> None:
        self.bus = bus
        self.admin: KafkaAdminClient = bus.admin()
        self._parts: dict[str, list[TopicPartition]] = {}
        self.done: dict[str, int] = {}  # per stage, the sum of its committed offsets

    def lag(self, stage: str) -> int:
        parts = self.partitions(stage)
        if not parts:
            return 1  # topics not visible yet: not idle
        ends = self.admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in parts})
        group = self.bus.group(stage)
        committed = self.admin.list_group_offsets({group: parts}).get(group, {})
        total = done_sum = 0
        for tp in parts:
            end = offset_of(ends.get(tp))
            done = committed.get(tp)
            at = done.offset if done is not None and done.offset >= 0 else 0
            total += max(0, end - at)
            done_sum += at
        self.done[stage] = done_sum
        return total

    def partitions(self, stage: str) -> list[TopicPartition]:
        found = self._parts.get(stage)
        if found is None:
            topics = [self.bus.topic(name) for name in stage_inputs(stage)]
            found = [
                TopicPartition(t["name"], p["partition_index"])
                for t in self.admin.describe_topics(topics)
                if t.get("error_code") == 0
                for p in t["partitions"]
            ]
            if len({tp.topic for tp in found}) < len(topics):
                return []
            self._parts[stage] = found
        return found

    def close(self) -> None:
        try:
            self.admin.close()
        except KafkaError as exc:  # closing a connection to a broker that is gone
            log.info("admin client close: %s", exc)


def _reconnect(bus: KafkaBus, stop: threading.Event) -> GroupLag:
    """A new admin connection, waiting out a broker that is coming back."""
    delay = 1.0
    while True:
        try:
            return GroupLag(bus)
        except (KafkaError, UserError) as exc:
            if stop.is_set():
                raise
            log.warning("broker not reachable yet (%s); retrying in %.0f s", exc, delay)
            stop.wait(delay)
            delay = min(delay * 2, 15.0)


def offset_of(info: Any, missing: int = 0) -> int:
    """The offset in an admin-client answer (an OffsetAndMetadata, OffsetAndTimestamp or
    a plain number); `missing` when there is none."""
    if info is None:
        return missing
    value = getattr(info, "offset", info)
    return int(value) if value is not None else missing


def stage_names(settings: Settings) -> list[str]:
    """Every stage this deployment runs: score, store and the later ones."""
    return ["score", "store", *[spec.name for spec in downstream_specs()]]


def stage_inputs(stage: str) -> list[str]:
    if stage in STAGE_INPUTS:
        return STAGE_INPUTS[stage]
    for spec in downstream_specs():
        if spec.name == stage:
            return list(spec.inputs)
    raise UserError.t("run.unknown_stage", stage=stage)


# a stage with input waiting whose commits have not moved for this long is hung (a
# consumer that never got its partitions back after a broker restart, a process
# stopped by the system): it is killed and started again like a stage that died
STALL_SECONDS = 300.0
WATCH_SECONDS = 15.0  # how often a live run reads the lag to watch for hung stages


def stall_seconds() -> float:
    """`QULAQ_STALL_SECONDS`, else 300; anything but a positive number stops the run in
    one line, before any stage starts."""
    raw = os.environ.get("QULAQ_STALL_SECONDS")
    if not raw:
        return STALL_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise UserError.t("run.bad_stall_seconds", value=raw)
    return value


class _Stalls:
    """Which stages have had input waiting while their commits stood still."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.since: dict[str, tuple[int, float]] = {}  # stage -> (committed sum, since)

    def hung(self, stage: str, waiting: int, done: int, now: float) -> bool:
        last = self.since.get(stage)
        if waiting == 0 or last is None or last[0] != done:
            self.since[stage] = (done, now)
            return False
        return now - last[1] >= self.seconds

    def forget(self, stage: str) -> None:
        self.since.pop(stage, None)


class KafkaRuntime:
    def __init__(
        self,
        pipeline: Pipeline | None,
        stages: list[str] | None = None,
        settings: Settings | None = None,
        batch_size: int = 2000,
    ) -> None:
        self.settings = settings or (pipeline.settings if pipeline else load_settings())
        self.bus = KafkaBus(self.settings)
        downstream = [s.name for s in pipeline.downstream] if pipeline else []
        names = stages or ["score", "store", *downstream]
        for name in names:
            stage_inputs(name)  # unknown names fail here, before any process starts
        self.stages = list(dict.fromkeys(names))
        self.batch_size = batch_size
        self.stall_seconds = stall_seconds()

    def run(
        self, *, until_idle: bool, stop: threading.Event | None = None, idle_checks: int = 2
    ) -> dict[str, int]:
        stop = stop or threading.Event()
        self.bus.ensure_topics()
        ctx = multiprocessing.get_context("spawn")
        procs: dict[str, Any] = {}
        restarts: dict[str, int] = dict.fromkeys(self.stages, 0)

        def launch(stage: str) -> None:
            p = ctx.Process(
                target=_stage_process,
                args=(stage, self.batch_size, os.getpid()),
                name=f"qulaq-{stage}",
                daemon=False,
            )
            p.start()
            procs[stage] = p

        for stage in self.stages:
            launch(stage)
        lag = GroupLag(self.bus)
        calm = 0
        lags: dict[str, int] = {}
        next_report = time.monotonic() + 10
        stalls = _Stalls(self.stall_seconds)
        next_watch = time.monotonic()
        try:
            while not stop.is_set():
                stop.wait(0.5)
                for stage, p in list(procs.items()):
                    if p.is_alive() or stop.is_set():
                        continue
                    # a stage that died (a broker restart, a lost database
                    # connection) starts again from its last commit: nothing is
                    # lost, at most a batch is redone and absorbed
                    if restarts[stage] >= 5:
                        raise RuntimeError(
                            f"stage {stage} stopped unexpectedly (exit code {p.exitcode}); "
                            "see the log"
                        )
                    restarts[stage] += 1
                    log.warning("stage %s exited (code %s); restarting", stage, p.exitcode)
                    time.sleep(min(30, 2 ** restarts[stage]))
                    launch(stage)
                if not until_idle:
                    if time.monotonic() < next_watch:
                        continue
                    next_watch = time.monotonic() + WATCH_SECONDS
                try:
                    lags = {s: lag.lag(s) for s in self.stages}
                except KafkaError as exc:  # the broker restarting: ask again later
                    log.warning("cannot read consumer lag yet (%s); retrying", exc)
                    calm = 0
                    lag.close()
                    stop.wait(2)
                    lag = _reconnect(self.bus, stop)
                    continue
                now = time.monotonic()
                for stage in self.stages:
                    p = procs[stage]
                    if p.is_alive() and stalls.hung(
                        stage, lags[stage], lag.done.get(stage, -1), now
                    ):
                        log.warning(
                            "stage %s has not moved for %.0f s with %d messages waiting; "
                            "restarting it",
                            stage,
                            stalls.seconds,
                            lags[stage],
                        )
                        stalls.forget(stage)
                        p.kill()  # a hung process may not answer SIGTERM; restarted above
                        p.join(10)
                if not until_idle:
                    continue
                calm = calm + 1 if not any(lags.values()) else 0
                if time.monotonic() >= next_report:
                    log.info("waiting for the stages to drain; lag %s", lags)
                    next_report = time.monotonic() + 10
                if calm >= idle_checks:
                    break
        finally:
            stop.set()
            lag.close()
            for p in procs.values():
                if p.is_alive():
                    p.terminate()  # SIGTERM: the stage finishes its batch, commits, exits
            for p in procs.values():
                p.join(60)
                if p.is_alive():
                    p.kill()
        return {s: lags.get(s, -1) for s in self.stages}
