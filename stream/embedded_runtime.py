"""The embedded runtime: every stage in one process over the embedded bus.

One loop reads a batch from the raw log, validates and scores it, and in one
database transaction stores it, runs the later stages and records the new
position. A crash at any point leaves either all of a batch or none of it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from qulaq.errors import UserError, disk_full_detail, is_disk_full
from qulaq.i18n import t
from stream.bus import RAW, SCORED
from stream.embedded_bus import EmbeddedBus, EmbeddedConsumer
from stream.pipeline import Pipeline, decode_items, run_downstream, with_retries

log = logging.getLogger(__name__)

GROUP = "pipeline"
TICK_SECONDS = 5.0
FULL_WAIT = 10.0  # live mode: seconds between tries while the disk is full


@dataclass
class RunStats:
    messages: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    batches: int = 0
    seconds: float = 0.0
    published: dict[str, int] = field(default_factory=dict)


class EmbeddedRuntime:
    def __init__(self, pipeline: Pipeline, *, batch_size: int = 2000) -> None:
        self.pipeline = pipeline
        self.bus = EmbeddedBus(pipeline.settings)
        self.batch_size = batch_size
        self.consumer: EmbeddedConsumer = self.bus.consumer(
            self.bus.group(GROUP), self.bus.topic(RAW)
        )

    def pending_bytes(self) -> int:
        return self.consumer.lag()

    def run(
        self,
        *,
        until_idle: bool,
        stop: threading.Event | None = None,
        on_batch: Callable[[RunStats, int], None] | None = None,
        idle_sleep: float = 0.2,
    ) -> RunStats:
        stop = stop or threading.Event()
        stats = RunStats()
        started = time.perf_counter()
        with _exclusive(self.pipeline.settings.path("run.lock")):
            with self.pipeline.db.read() as conn:
                self.consumer.load_position(conn)
            next_tick = time.monotonic()
            full_since: float | None = None
            while not stop.is_set():
                messages = self.consumer.poll(self.batch_size)
                try:
                    if not messages:
                        if until_idle:
                            break
                        if time.monotonic() >= next_tick:
                            self._tick()
                            next_tick = time.monotonic() + TICK_SECONDS
                        stop.wait(idle_sleep)
                        continue
                    self._process(messages, stats)
                except Exception as exc:
                    # live mode waits out a full disk: the batch was not committed and
                    # is read again; a batch run stops with one line instead
                    if until_idle or not is_disk_full(exc):
                        raise
                    if full_since is None:
                        full_since = time.monotonic()
                        log.warning(
                            "%s",
                            t("run.disk_full", detail=disk_full_detail(exc), seconds=FULL_WAIT),
                        )
                    stop.wait(FULL_WAIT)
                    continue
                if full_since is not None:
                    log.warning(
                        "space is back after %.0f s; processing resumes",
                        time.monotonic() - full_since,
                    )
                    full_since = None
                if on_batch:
                    on_batch(stats, self.consumer.lag())
        stats.seconds = time.perf_counter() - started
        return stats

    def _tick(self) -> None:
        """Timers of the later stages (deadlines, escalations) in wall time."""
        stages = [s for s in self.pipeline.downstream if hasattr(s, "tick")]
        if not stages:
            return
        now = datetime.now(UTC)

        def transaction() -> None:
            with self.pipeline.db.write() as conn:
                for stage in stages:
                    out = stage.tick(conn, now)
                    by_topic: dict[str, list[bytes]] = {}
                    for topic, _key, value in out:
                        by_topic.setdefault(topic, []).append(value)
                    for topic, values in by_topic.items():
                        others = [x for x in self.pipeline.downstream if x is not stage]
                        run_downstream(conn, others, topic, decode_items(topic, values))

        with_retries(transaction, what="stage timers")

    def _process(self, messages: list, stats: RunStats) -> None:
        p = self.pipeline
        scored, rejected = p.score.process(messages)
        outputs: list[tuple[str, bytes, bytes]] = []

        def transaction() -> None:
            outputs.clear()
            with p.db.write() as conn:
                result = p.store.write(conn, scored, rejected)
                if p.downstream:
                    outputs.extend(run_downstream(conn, p.downstream, SCORED, scored))
                self.consumer.commit(conn, messages)
            stats.stored += result.inserted
            stats.updated += result.updated
            stats.unchanged += result.unchanged

        position = self.consumer.position
        try:
            with_retries(transaction, what="storing a batch")
        except BaseException:
            self.consumer.position = position
            raise
        stats.messages += len(messages)
        stats.quarantined += len(rejected)
        stats.batches += 1
        for topic, _key, _value in outputs:
            stats.published[topic] = stats.published.get(topic, 0) + 1


class _exclusive:
    """Only one `qulaq run` per QULAQ_HOME on the embedded bus."""

    def __init__(self, path: os.PathLike[str]) -> None:
        self.path = path
        self.fh: IO[str] | None = None

    def __enter__(self) -> None:
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise UserError(
                f"qulaq run is already processing this QULAQ_HOME (pid {holder}); "
                "stop it first or use another QULAQ_HOME"
            ) from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
