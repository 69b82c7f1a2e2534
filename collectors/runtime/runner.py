"""The collector runtime, written once for every platform.

`Runner` drives one plugin for one account:
- a pass (`run_once`) records an ingest run (provenance), lets the plugin
  yield what the platform shows, resolves each item against the seen-set
  (`dedup.decide`), produces what is new or changed to the raw topic with
  origin and run headers, flushes, and only then records the seen-set and
  moves the checkpoints, so a crash re-publishes at worst and never skips;
- `ctx.call` paces requests (`Throttle`), rides out rate limits for as long
  as the platform asks (up to `max_wait`), retries transient errors with
  back-off, and stops on an auth error;
- live mode (`run_forever`) alternates passes with the plugin's live source,
  and runs a backfill pass whenever the live source lost history;
- `ingest` takes items from a webhook delivery through the same path;
- per account it keeps health (last success, errors, lag) and metrics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson

from collectors.runtime import state
from collectors.runtime.backoff import Backoff, Throttle
from collectors.runtime.dedup import SeenRow, decide, deletion_of, seen_kind
from collectors.runtime.plugin import (
    AccountFacts,
    Advance,
    AuthFailed,
    Changed,
    Collector,
    CollectorError,
    Complete,
    HistoryLost,
    Item,
    Observed,
    RateLimited,
    TransientError,
    Watermark,
)
from qulaq.config import Settings
from qulaq.errors import UserError, disk_full_detail, is_disk_full
from qulaq.events import InvalidEvent, event_from_dict, parse_timestamp
from qulaq.models import Rejected
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.storage.quarantine import write_rejected
from qulaq.storage.runs import finish_run, start_run
from stream.bus import H_ORIGIN, H_RUN, RAW, Bus, Producer, open_bus
from stream.pipeline import load_registry
from stream.stages import partition_key

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class RunnerOptions:
    rescan: timedelta = timedelta(days=7)  # posts this recent are re-read for late comments
    since: datetime | None = None  # first pass: how far back (None: everything)
    interval: float = 300.0  # live mode: seconds between passes
    max_wait: float = 900.0  # the longest single rate-limit wait before giving up a pass
    max_attempts: int = 6  # tries of one call on transient errors
    batch: int = 500  # items resolved and produced together
    backoff: Backoff = field(default_factory=Backoff)


@dataclass
class PassResult:
    run: str
    status: str
    counts: Counter[str]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            **_shown(self.counts),
        }


def _shown(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(({k: counts[k] for k in ALWAYS_COUNTED} | dict(counts)).items()))


ALWAYS_COUNTED = (
    "published",
    "new",
    "edit",
    "delete",
    "restore",
    "unchanged",
    "deleted_unseen",
    "quarantined",
    "requests",
    "rate_limit_waits",
)


class CollectorFailed(UserError):
    """A pass stopped: auth, rate limit beyond `max_wait`, the platform unreachable."""

    exit_code = 3

    def __init__(self, message: str, error: CollectorError) -> None:
        super().__init__(message)
        self.error = error


class Runner:
    def __init__(
        self,
        settings: Settings,
        collector: Collector,
        *,
        throttle: Throttle | None = None,
        options: RunnerOptions | None = None,
        db: Database | None = None,
        bus: Bus | None = None,
        registry: Registry | None = None,
        stop: threading.Event | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.collector = collector
        self.throttle = throttle or collector.throttle
        self.options = options or RunnerOptions()
        self.db = db or Database.open(settings)
        self.bus = bus or open_bus(settings)
        self.registry = registry or load_registry(settings)
        self.stop = stop or threading.Event()
        self._sleep = sleep or self._interruptible_sleep
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._producer: Producer | None = None

    @property
    def platform(self) -> str:
        return self.collector.platform

    @property
    def account(self) -> str:
        return self.collector.account

    # -- one pass ------------------------------------------------------------------

    def run_once(self) -> PassResult:
        with self._lock:
            return self._pass(lambda ctx: self.collector.collect(ctx), "pass")

    def _pass(
        self,
        produce: Callable[[_Context], Iterable[Item]],
        what: str,
        deadline: float | None = None,
    ) -> PassResult:
        started = time.perf_counter()
        now = self._clock()
        with self.db.write() as conn:
            run = start_run(conn, f"collector:{self.platform}", self.collector.target, what)
            marks = state.load_checkpoints(conn, self.platform, self.account)
        ctx = _Context(self, run, now, marks, deadline)
        sink = _Sink(self, run, ctx.counts, eager=what == "live")
        status = "failed"
        error: CollectorError | None = None
        try:
            for item in _readable(produce(ctx), self.platform):
                sink.add(item)
                if self.stop.is_set():
                    break
            sink.commit()
            status = "stopped" if self.stop.is_set() else "done"
        except HistoryLost as exc:
            sink.commit()
            status = "history_lost"
            ctx.warn(str(exc))
        except _Stopped:
            self._commit_quietly(sink)
            status = "stopped"
        except CollectorError as exc:
            error = exc
            self._commit_quietly(sink)
        except BaseException:
            self._commit_quietly(sink)
            with self.db.write() as conn:
                self._record_failure(conn, run, "internal error", "failing")
                finish_run(conn, run, "failed", _shown(ctx.counts))
            raise
        seconds = time.perf_counter() - started
        with self.db.write() as conn:
            if error is None:
                if status != "stopped":
                    self._record_success(conn, run, ctx, sink, full_pass=what == "pass")
            else:
                self._record_failure(conn, run, str(error), _status_of(error))
                ctx.counts["errors"] += 1
            finish_run(conn, run, status, _shown(ctx.counts) | {"seconds": round(seconds, 3)})
        if error is not None:
            raise CollectorFailed(f"{self.platform} {self.account}: {error}", error)
        return PassResult(run, status, ctx.counts, seconds)

    def _commit_quietly(self, sink: _Sink) -> None:
        try:
            sink.commit(apply_advances=False)
        except Exception:  # the pass failed already; its error is the one to report
            log.exception("could not save what the failed pass had gathered")

    # -- live mode ---------------------------------------------------------------

    def run_forever(self, *, live: bool = True) -> None:
        """Pass, then live events (or a wait) until the next pass is due; repeat."""
        while not self.stop.is_set():
            try:
                result = self.run_once()
                log.info("%s %s: pass %s", self.platform, self.account, result.as_dict())
            except CollectorFailed as exc:
                log.warning("%s", exc)
                if isinstance(exc.error, AuthFailed):
                    raise
            except Exception as exc:
                # what the pass gathered but could not record is published again next time
                if not is_disk_full(exc):
                    raise
                log.warning(
                    "%s %s: disk full (%s); the next pass tries again",
                    self.platform,
                    self.account,
                    disk_full_detail(exc),
                )
            due = time.monotonic() + self.options.interval
            if live and self._live_until(due) == "history_lost":
                log.info("%s %s: live history lost, backfilling", self.platform, self.account)
                continue
            remaining = due - time.monotonic()
            if remaining > 0:
                self._sleep(remaining)

    def _live_until(self, due: float) -> str:
        def produce(ctx: _Context) -> Iterable[Item]:
            for item in self.collector.live(ctx):
                yield item
                if ctx.stopping():
                    return

        try:
            with self._lock:
                return self._pass(produce, "live", due).status
        except CollectorFailed as exc:
            log.warning("%s", exc)
            if isinstance(exc.error, AuthFailed):
                raise
            return "failed"

    # -- webhook deliveries ------------------------------------------------------

    def ingest(self, items: Iterable[Item], what: str = "webhook") -> PassResult:
        with self._lock:
            return self._pass(lambda _ctx: items, what)

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close()
            self._producer = None
        self.collector.close()

    @property
    def producer(self) -> Producer:
        if self._producer is None:
            self._producer = self.bus.producer()
        return self._producer

    # -- calls ---------------------------------------------------------------------

    def call(self, counts: Counter[str], fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        attempt = 0
        waited = 0.0
        while True:
            if self.stop.is_set():
                raise _Stopped("asked to stop")
            self.throttle.wait()
            counts["requests"] += 1
            try:
                return fn(*args, **kwargs)
            except RateLimited as exc:
                wait = exc.retry_after
                if wait is None:
                    if attempt >= 2 * self.options.max_attempts:
                        raise RateLimited(
                            f"{exc}; still limited after {attempt + 1} tries: try again later"
                        ) from None
                    wait = self.options.backoff.delay(attempt)
                if wait > self.options.max_wait:
                    raise RateLimited(
                        f"{exc}; the platform asks to wait {wait:.0f} s, "
                        f"longer than {self.options.max_wait:.0f} s: try again later",
                        wait,
                    ) from None
                counts["rate_limit_waits"] += 1
                counts["rate_limit_seconds"] += round(wait)
                waited += wait
                log.info("%s: %s; waiting %.1f s", self.platform, exc, wait)
                self.throttle.hold(wait, str(exc))
            except TransientError as exc:
                if attempt + 1 >= self.options.max_attempts:
                    raise TransientError(f"{exc} (gave up after {attempt + 1} tries)") from None
                counts["retries"] += 1
                delay = self.options.backoff.delay(attempt)
                log.info("%s: %s; retrying in %.1f s", self.platform, exc, delay)
                self._sleep(delay)
            attempt += 1

    def _interruptible_sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)

    # -- health and metrics ------------------------------------------------------

    def _health_base(self, conn: Any, run: str) -> dict[str, Any]:
        now = self._clock()
        old = state.load_health(conn, self.platform, self.account) or {}
        return {
            "platform": self.platform,
            "account": self.account,
            "target": self.collector.target,
            "last_run": run,
            "last_attempt_at": now,
            "last_success_at": old.get("last_success_at"),
            "last_error": old.get("last_error"),
            "last_error_at": old.get("last_error_at"),
            "consecutive_failures": old.get("consecutive_failures") or 0,
            "newest_item_at": old.get("newest_item_at"),
            "published_total": old.get("published_total") or 0,
            "rate_limit_waits": old.get("rate_limit_waits") or 0,
            "status": old.get("status") or "ok",
            "updated_at": now,
        }

    def _record_success(
        self, conn: Any, run: str, ctx: _Context, sink: _Sink, *, full_pass: bool
    ) -> None:
        values = self._health_base(conn, run)
        values.update(
            status="ok",
            last_success_at=values["last_attempt_at"],
            consecutive_failures=0,
            published_total=values["published_total"] + ctx.counts["published"],
            rate_limit_waits=values["rate_limit_waits"] + ctx.counts["rate_limit_waits"],
        )
        if sink.newest is not None and (
            values["newest_item_at"] is None or sink.newest > values["newest_item_at"]
        ):
            values["newest_item_at"] = sink.newest
        state.save_health(conn, values)
        if full_pass or sink.facts is not None:
            self._record_metrics(conn, run, sink.facts)

    def _record_failure(self, conn: Any, run: str, message: str, status: str) -> None:
        values = self._health_base(conn, run)
        values.update(
            status=status,
            last_error=message[:2000],
            last_error_at=values["last_attempt_at"],
            consecutive_failures=values["consecutive_failures"] + 1,
        )
        state.save_health(conn, values)

    def _record_metrics(self, conn: Any, run: str, facts: AccountFacts | None) -> None:
        now = self._clock()
        measured = state.measure_account(conn, self.platform, self.account)
        day = now.date().isoformat()
        old = state.latest_metrics(conn, self.platform, self.account).get(
            (self.platform, self.account)
        )
        same_day = old is not None and old["day"] == day
        followers = facts.followers if facts else None
        posts = facts.posts if facts else None
        if same_day and old is not None:
            followers = followers if followers is not None else old["followers"]
            posts = posts if posts is not None else old["posts"]
        state.save_metrics(
            conn,
            {
                "platform": self.platform,
                "account": self.account,
                "day": day,
                "measured_at": now,
                "posts": posts if posts is not None else measured["posts_seen"],
                "followers": followers,
                "run": run,
                **measured,
            },
        )


class UnexpectedAnswer(CollectorError):
    """The platform answered in a shape the plugin cannot read (a field missing or
    of another type, a body cut short): the pass ends as failed, keeping what was
    gathered, and the next pass asks again."""


# what reading a platform's JSON raises when a field is missing or of another type
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def _readable(items: Iterable[Item], platform: str) -> Iterator[Item]:
    """The plugin's items, with a failure to read the platform's answer turned into
    `UnexpectedAnswer` (the traceback goes to the log)."""
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except _SHAPE_ERRORS as exc:
            log.warning("%s: cannot read the answer", platform, exc_info=True)
            detail = f"{type(exc).__name__}: {exc}"[:200]
            raise UnexpectedAnswer(
                f"{platform} answered in an unexpected shape ({detail}); the next pass asks again"
            ) from None
        yield item


class _Stopped(CollectorError):
    """SIGTERM or Ctrl-C in the middle of a pass: what was gathered is kept."""


def _status_of(error: CollectorError) -> str:
    if isinstance(error, AuthFailed):
        return "auth"
    if isinstance(error, RateLimited):
        return "rate_limited"
    return "failing"


class _Context:
    """The `PassContext` a plugin sees."""

    def __init__(
        self,
        runner: Runner,
        run: str,
        now: datetime,
        marks: dict[str, Watermark],
        deadline: float | None = None,
    ) -> None:
        self._runner = runner
        self._deadline = deadline  # live passes end then (time.monotonic)
        self.run = run
        self.now = now
        self._marks = marks
        self.counts: Counter[str] = Counter()

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._runner.call(self.counts, fn, *args, **kwargs)

    def checkpoint(self, stream: str) -> Watermark | None:
        return self._marks.get(stream)

    def horizon(self, stream: str) -> datetime | None:
        mark = self._marks.get(stream)
        opts = self._runner.options
        if mark is None or mark.at is None:
            return opts.since
        recent = self.now - opts.rescan
        return min(mark.at, recent)

    def known_comments(self, post_id: str) -> int:
        r = self._runner
        with r.db.read() as conn:
            return len(state.seen_comments_of_post(conn, r.platform, r.account, post_id))

    def warn(self, message: str) -> None:
        self.counts["warnings"] += 1
        log.warning("%s %s: %s", self._runner.platform, self._runner.account, message)

    def stopping(self) -> bool:
        if self._deadline is not None and time.monotonic() >= self._deadline:
            return True
        return self._runner.stop.is_set()


class _Sink:
    """Buffers a pass's items, resolves them against the seen-set, produces and records."""

    def __init__(self, runner: Runner, run: str, counts: Counter[str], *, eager: bool) -> None:
        self.runner = runner
        self.eager = eager  # live events are published as they come
        self.run = run
        self.counts = counts
        self.pending: list[Item] = []
        self.newest: datetime | None = None
        self.facts: AccountFacts | None = None

    def add(self, item: Item) -> None:
        if isinstance(item, AccountFacts):
            self.facts = item
            return
        self.pending.append(item)
        if self.eager or len(self.pending) >= self.runner.options.batch:
            self.commit()

    def commit(self, *, apply_advances: bool = True) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        r = self.runner
        platform, account = r.platform, r.account
        now = r._clock()
        keys = {
            (seen_kind(it.event), str(it.event.get("comment_id")))
            for it in items
            if isinstance(it, Observed | Changed)
        }
        with r.db.read() as conn:
            seen = state.load_seen(conn, platform, account, keys)
        changed: dict[tuple[str, str], SeenRow] = {}
        out: list[tuple[dict[str, Any], SeenRow | None]] = []
        advances: list[Advance] = []
        for it in items:
            if isinstance(it, Advance):
                advances.append(it)
                continue
            if isinstance(it, Complete):
                out.extend(self._absent(it, seen, changed, now))
                continue
            assert isinstance(it, Observed | Changed)
            ev = it.event
            ev.setdefault("platform", platform)
            ev.setdefault("account", account)
            key = (seen_kind(ev), str(ev.get("comment_id")))
            current = changed.get(key) or seen.get(key)
            decision = decide(it, current, now, _parse_time(ev.get("created_at")))
            self.counts[decision.note] += 1
            if decision.row is not None:
                changed[key] = decision.row
            for e in decision.events:
                out.append((e, decision.row))

        rejected: list[Rejected] = []
        accepted: list[SeenRow] = []
        producer = r.producer
        topic = r.bus.topic(RAW)
        for ev, row in out:
            origin = (
                f"collector:{platform}:{account}:{ev.get('kind', 'comment')}:{ev.get('comment_id')}"
            )
            raw = orjson.dumps(ev)
            try:
                parsed = event_from_dict(ev)
            except InvalidEvent as exc:
                rejected.append(Rejected(raw, str(exc), origin, self.run, now))
                self.counts["quarantined"] += 1
                continue
            producer.send(
                topic,
                raw,
                key=partition_key(r.registry, parsed),
                headers={H_ORIGIN: origin, H_RUN: self.run},
            )
            self.counts["published"] += 1
            if parsed.kind != "post" and (self.newest is None or parsed.created_at > self.newest):
                self.newest = parsed.created_at
            if row is not None:
                accepted.append(row)
        producer.flush()
        with r.db.write() as conn:
            state.save_seen(conn, platform, account, accepted, self.run, now)
            if rejected:
                write_rejected(conn, rejected)
            if apply_advances:
                for adv in advances:
                    state.save_checkpoint(
                        conn,
                        platform,
                        account,
                        adv.stream,
                        Watermark(adv.at, adv.item_id),
                        self.run,
                        now,
                    )

    def _absent(
        self,
        done: Complete,
        seen: dict[tuple[str, str], SeenRow],
        changed: dict[tuple[str, str], SeenRow],
        now: datetime,
    ) -> list[tuple[dict[str, Any], SeenRow | None]]:
        r = self.runner
        with r.db.read() as conn:
            known = state.seen_comments_of_post(conn, r.platform, r.account, done.post_id)
        out: list[tuple[dict[str, Any], SeenRow | None]] = []
        for row in known:
            key = ("comment", row.item_id)
            current = changed.get(key) or seen.get(key) or row
            if current.deleted or row.item_id in done.present:
                continue
            gone = SeenRow(**{**_fields(current), "deleted": True})
            changed[key] = gone
            self.counts["delete"] += 1
            out.append((deletion_of(current, r.platform, r.account, now), gone))
        return out


def _fields(row: SeenRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SeenRow.__slots__}


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None
