"""The embedded runtime: every stage in one process over the embedded bus.

One loop reads a batch from the raw log, validates and scores it, and in one
database transaction stores it, runs the later stages and records the new
position. A crash at any point leaves either all of a batch or none of it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from qulaq import gc_tuning
from qulaq.config import Settings
from qulaq.errors import Phrase, UserError, disk_full_detail, is_disk_full
from qulaq.i18n import t
from qulaq.lifeline import Lifeline
from qulaq.models import Rejected, Scored
from qulaq.storage.retention import raw_days
from stream.bus import RAW, SCORED
from stream.embedded_bus import EmbeddedBus, EmbeddedConsumer, keep_days, trim_consumed
from stream.pipeline import (
    Pipeline,
    database_unreachable,
    decode_items,
    run_downstream,
    with_retries,
)

log = logging.getLogger(__name__)

GROUP = "pipeline"
TICK_SECONDS = 5.0
# Events per transaction when a backlog is worked off (live, a batch holds what has
# arrived). Per-batch work (the signals state, the commit) is spread over more events:
# a 400,000-comment replay ran 8% faster with 5000 than with 2000 (10000 was no faster).
EMBEDDED_BATCH = 5000
TRIM_SECONDS = 3600.0  # how often consumed records older than embedded.keep_days are removed
PAUSE = 10.0  # live mode: seconds between tries while the disk is full or the database gone


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
    def __init__(self, pipeline: Pipeline, *, batch_size: int = EMBEDDED_BATCH) -> None:
        self.pipeline = pipeline
        self.bus = EmbeddedBus(pipeline.settings)
        self.batch_size = batch_size
        self.consumer: EmbeddedConsumer = self.bus.consumer(
            self.bus.group(GROUP), self.bus.topic(RAW)
        )
        # a bad setting stops the run here, in one line
        self.keep_days = keep_days(pipeline.settings)
        self.raw_days = raw_days(pipeline.settings)

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
                start = self.consumer.load_position(conn)
            source = self._source(start, until_idle)
            try:
                self._loop(source, stats, until_idle, stop, on_batch, idle_sleep)
            finally:
                source.close()
                self.pipeline.stop()
        stats.seconds = time.perf_counter() - started
        return stats

    def _source(self, start: int, until_idle: bool) -> BatchSource:
        if score_in_own_process(self.pipeline.settings):
            return ProcessSource(self.pipeline, start, self.batch_size, until_idle)
        return InlineSource(self.pipeline, self.consumer, start, self.batch_size)

    def _loop(
        self,
        source: BatchSource,
        stats: RunStats,
        until_idle: bool,
        stop: threading.Event,
        on_batch: Callable[[RunStats, int], None] | None,
        idle_sleep: float,
    ) -> None:
        next_tick = next_trim = time.monotonic()
        paused_since: float | None = None
        pending: ScoredBatch | None = None
        while not stop.is_set():
            if time.monotonic() >= next_trim:
                self._trim_log()
                next_trim = time.monotonic() + TRIM_SECONDS
            try:
                if pending is None:
                    pending = source.next(idle_sleep)
                if pending is None:
                    if until_idle and source.exhausted:
                        break
                    if time.monotonic() >= next_tick:
                        self._tick()
                        next_tick = time.monotonic() + TICK_SECONDS
                    continue
                self._commit(pending, stats)
                pending = None
            except Exception as exc:
                # live mode waits out a full disk or a database that went away: the
                # batch was not committed and is tried again; a batch run stops with
                # one line instead
                full, gone = is_disk_full(exc), database_unreachable(exc)
                if gone and until_idle:
                    raise UserError.t(
                        "db.unreachable", url=self.pipeline.db.safe_url, reason=_first_line(exc)
                    ) from None
                if until_idle or not (full or gone):
                    raise
                if paused_since is None:
                    paused_since = time.monotonic()
                    if full:
                        message = t("run.disk_full", detail=disk_full_detail(exc), seconds=PAUSE)
                    else:
                        message = (
                            f"database unreachable ({_first_line(exc)}); "
                            f"trying again every {PAUSE:.0f} s"
                        )
                    log.warning("%s", message)
                stop.wait(PAUSE)
                continue
            if paused_since is not None:
                log.warning(
                    "processing resumes after a pause of %.0f s", time.monotonic() - paused_since
                )
                paused_since = None
            if on_batch:
                on_batch(stats, self.consumer.lag())

    def _trim_log(self) -> None:
        """Remove from the log the records every consumer processed more than
        `embedded.keep_days` ago (and, under `retention.raw_days`, those appended longer
        ago than that): the disk holds a bounded backlog, and raw personal data does not
        outlive its retention."""
        if self.keep_days is None and self.raw_days is None:
            return
        try:
            with self.pipeline.db.read() as conn:
                done = trim_consumed(
                    self.bus,
                    conn,
                    now=time.time(),
                    keep_days=self.keep_days,
                    raw_days=self.raw_days,
                )
        except Exception as exc:  # the log stays as it is; the next try is in an hour
            log.warning("could not trim the embedded log: %s", _first_line(exc))
            return
        for trim in done:
            if trim.bytes:
                log.info(
                    "embedded log %s: %.1f MB of processed records removed (%s)",
                    trim.topic,
                    trim.bytes / 1e6,
                    trim.how,
                )

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

    def _commit(self, batch: ScoredBatch, stats: RunStats) -> None:
        """Store a scored batch, run the later stages on it and record the
        position after it, all in one transaction."""
        p = self.pipeline
        outputs: list[tuple[str, bytes, bytes]] = []

        def transaction() -> None:
            outputs.clear()
            with p.db.write() as conn:
                result = p.store.write(conn, batch.scored, batch.rejected)
                if p.downstream:
                    outputs.extend(run_downstream(conn, p.downstream, SCORED, batch.scored))
                self.consumer.commit_position(conn, batch.end)
            stats.stored += result.inserted
            stats.updated += result.updated
            stats.unchanged += result.unchanged

        position = self.consumer.position
        try:
            with_retries(transaction, what="storing a batch")
        except BaseException:
            self.consumer.position = position
            raise
        stats.messages += batch.count
        stats.quarantined += len(batch.rejected)
        stats.batches += 1
        for topic, _key, _value in outputs:
            stats.published[topic] = stats.published.get(topic, 0) + 1


@dataclass
class ScoredBatch:
    scored: list[Scored]
    rejected: list[Rejected]
    end: int  # the log position after the batch
    count: int  # messages read


class BatchSource:
    """Where scored batches come from, in log order."""

    exhausted = False  # reached the end of the log (with until_idle)

    def next(self, wait: float) -> ScoredBatch | None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class InlineSource(BatchSource):
    """Reads and scores in this process (one core)."""

    def __init__(
        self, pipeline: Pipeline, consumer: EmbeddedConsumer, start: int, batch_size: int
    ) -> None:
        self.pipeline = pipeline
        self.consumer = consumer
        self.position = start
        self.batch_size = batch_size

    def next(self, wait: float) -> ScoredBatch | None:
        messages = self.consumer.log.read(self.consumer.topic, self.position, self.batch_size)
        if not messages:
            self.exhausted = True
            time.sleep(wait)
            return None
        self.exhausted = False
        scored, rejected = self.pipeline.score.process(messages)
        self.position = messages[-1].next_offset
        return ScoredBatch(scored, rejected, self.position, len(messages))


class ProcessSource(BatchSource):
    """Reads and scores in a process of its own, so validation and analysis
    run on one core while storing and the later stages run on the other. The
    queue between them is bounded: a slow writer holds the scorer back."""

    QUEUE_BATCHES = 3

    def __init__(self, pipeline: Pipeline, start: int, batch_size: int, until_idle: bool) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.queue: Any = ctx.Queue(self.QUEUE_BATCHES)
        self.stop = ctx.Event()
        self.proc = ctx.Process(
            target=_score_worker,
            # the parent's settings, not the environment: a caller may have built them
            # from its own mapping (another QULAQ_HOME or database than os.environ names)
            args=(
                pipeline.settings,
                start,
                batch_size,
                until_idle,
                self.queue,
                self.stop,
                os.getpid(),
            ),
            name="qulaq-score",
            daemon=True,
        )
        self.proc.start()

    def next(self, wait: float) -> ScoredBatch | None:
        try:
            item = self.queue.get(timeout=wait)
        except queue.Empty:
            if not self.proc.is_alive():
                raise RuntimeError(
                    f"the scoring process stopped (exit code {self.proc.exitcode}); see the log"
                ) from None
            return None
        if item is None:
            self.exhausted = True
            return None
        if isinstance(item, str):
            raise RuntimeError(f"scoring failed: {item}")
        payloads, rejected, end, count = item
        return ScoredBatch([Scored.from_json(b) for b in payloads], rejected, end, count)

    def close(self) -> None:
        self.stop.set()
        # let the worker out of a blocking put, then end it
        with contextlib.suppress(Exception):
            while True:
                self.queue.get_nowait()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(5)
        self.queue.close()


def score_in_own_process(settings: Settings) -> bool:
    """Score in a second process when there is a second core to run it."""
    env = os.environ.get("QULAQ_EMBEDDED_SCORE_PROCESS")
    if env is not None:
        return env.strip().lower() in ("1", "true", "yes")
    option = settings.option("embedded.score_process")
    if option is not None:
        return bool(option)
    return (os.cpu_count() or 1) > 1


def _score_worker(
    settings: Settings,
    start: int,
    batch_size: int,
    until_idle: bool,
    out: Any,
    stop: Any,
    parent: int,
) -> None:
    """Entry point of the scoring process, started by the runtime with pid `parent`:
    read the log from `start`, score, hand batches over in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runtime decides when to stop
    lifeline = Lifeline(parent)
    try:
        from stream.pipeline import build_score_stage

        score = build_score_stage(settings)
        gc_tuning.settle()
        bus = EmbeddedBus(settings)
        topic = bus.topic(RAW)
        log_ = bus.log(topic)
        position = start
        while not stop.is_set() and not lifeline.orphaned():
            messages = log_.read(topic, position, batch_size)
            if not messages:
                if until_idle:
                    _put(out, None, stop, lifeline)
                    return
                stop.wait(0.2)
                continue
            scored, rejected = score.process(messages)
            position = messages[-1].next_offset
            item = ([s.to_json() for s in scored], rejected, position, len(messages))
            if not _put(out, item, stop, lifeline):
                return
    except Exception as exc:  # reported by the runtime in one line, traced in the log
        log.exception("scoring process failed")
        _put(out, f"{type(exc).__name__}: {exc}", stop, lifeline)
    finally:
        if lifeline.orphaned():
            # The runtime was killed: nobody will read what is still buffered, so do not
            # wait to flush it on the way out (it is re-read from the log on restart).
            out.cancel_join_thread()


def _put(out: Any, item: Any, stop: Any, lifeline: Lifeline) -> bool:
    """Hand ``item`` to the runtime; False when told to stop or when the runtime is gone
    (killed with SIGKILL, its scorer must not wait forever on a queue nobody reads)."""
    while not stop.is_set() and not lifeline.orphaned():
        try:
            out.put(item, timeout=0.5)
            return True
        except queue.Full:
            continue
    return False


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
            holder: object = self.fh.read().strip() or Phrase(
                "run.another_process", "another process"
            )
            self.fh.close()
            raise UserError.t("run.already_running", holder=holder) from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
