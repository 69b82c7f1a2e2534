"""Assembles the stages for a deployment; both runtimes start here."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from qulaq.config import Settings
from qulaq.errors import UserError, is_disk_full
from qulaq.models import Scored
from qulaq.pseudonym import Pseudonymiser
from qulaq.registry import Registry
from qulaq.storage.comments import ConcurrentUpdate
from qulaq.storage.database import Database
from stream.stages import ScoreStage, StoreStage

log = logging.getLogger(__name__)
T = TypeVar("T")


Output = tuple[str, bytes, bytes]  # (logical topic, key, value) to publish


class DownstreamStage(Protocol):
    """A later stage: signals (fed with scored comments), playbooks (fed with alerts).

    `inputs` names the logical topics it consumes. `process` receives one
    topic's items — `Scored` objects for SCORED, decoded JSON objects for any
    other topic — and runs inside a database transaction: on the embedded
    runtime the one that stores the batch, on Kafka one that also fences the
    stage's offsets (exactly-once state). It returns messages to publish;
    on the embedded runtime those are handed straight to the stages whose
    `inputs` name their topic, in the same transaction.

    A stage may also define `tick(conn, now) -> list[Output]`, called while no
    input arrives (live mode, wall-clock `now`), for timers and deadlines.
    """

    name: str
    inputs: tuple[str, ...]

    def process(self, conn: Connection, topic: str, items: list[Any]) -> list[Output]: ...


def decode_items(topic: str, values: list[bytes]) -> list[Any]:
    """Wire form → what `DownstreamStage.process` receives for `topic`."""
    from stream.bus import SCORED

    if topic == SCORED:
        return [Scored.from_json(v) for v in values]
    import orjson

    return [orjson.loads(v) for v in values]


def run_downstream(
    conn: Connection, stages: list[DownstreamStage], topic: str, items: list[Any]
) -> list[Output]:
    """Feed `items` of `topic` through every stage that consumes it and,
    transitively, their outputs through theirs (embedded runtime)."""
    published: list[Output] = []
    queue: list[tuple[str, list[Any]]] = [(topic, items)]
    while queue:
        current, batch = queue.pop(0)
        for stage in stages:
            if current not in stage.inputs or not batch:
                continue
            out = stage.process(conn, current, batch)
            published.extend(out)
            by_topic: dict[str, list[bytes]] = {}
            for t, _key, value in out:
                by_topic.setdefault(t, []).append(value)
            for t, values in by_topic.items():
                queue.append((t, decode_items(t, values)))
    return published


@dataclass
class Pipeline:
    settings: Settings
    db: Database
    registry: Registry
    score: ScoreStage
    store: StoreStage
    downstream: list[DownstreamStage] = field(default_factory=list)

    def stop(self) -> None:
        """End the stages' background work (a live run's delivery thread)."""
        for stage in self.downstream:
            stop = getattr(stage, "stop", None)
            if callable(stop):
                stop()


def load_registry(settings: Settings) -> Registry:
    extra = settings.option("registry", [])
    if isinstance(extra, str):
        extra = [extra]
    if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
        raise UserError.t("registry.bad_setting", value=extra)
    if not extra:
        return Registry.default()
    base = settings.config_file.parent if settings.config_file else settings.home
    return Registry.load([p if p.startswith("/") else str(base / p) for p in extra])


def build_score_stage(settings: Settings, registry: Registry | None = None) -> ScoreStage:
    from sentiment import Analyzer

    registry = registry or load_registry(settings)
    return ScoreStage(registry, Pseudonymiser.for_settings(settings), Analyzer.default())


def build_pipeline(settings: Settings, db: Database | None = None) -> Pipeline:
    db = db or Database.open(settings)
    registry = load_registry(settings)
    score = build_score_stage(settings, registry)
    return Pipeline(
        settings, db, registry, score, StoreStage(), _downstream(settings, db, registry)
    )


@dataclass(frozen=True)
class StageSpec:
    """A later stage as the runtimes see it: its name (also its Kafka consumer
    group), the logical topics it consumes, and how to build it."""

    name: str
    inputs: tuple[str, ...]
    load: Callable[[Settings, Database, Registry], DownstreamStage]


# Modules that define a later stage expose `STAGE: StageSpec`, in pipeline order.
STAGE_MODULES = ("signals.stage", "playbooks.stage")


def downstream_specs() -> list[StageSpec]:
    import importlib

    specs = []
    for name in STAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        specs.append(module.STAGE)
    return specs


def _downstream(settings: Settings, db: Database, registry: Registry) -> list[DownstreamStage]:
    return [spec.load(settings, db, registry) for spec in downstream_specs()]


# how long a database that went away (a restart, a fail-over) is waited for
OUTAGE_PATIENCE = 120.0


def with_retries(fn: Callable[[], T], *, what: str, attempts: int = 8) -> T:
    """Run a database transaction again when it lost a race or a lock (up to
    `attempts` times) or its connection (for up to OUTAGE_PATIENCE seconds)."""
    delay = 0.05
    started = time.monotonic()
    for attempt in itertools.count(1):
        try:
            return fn()
        except DBAPIError as exc:
            if is_disk_full(exc):  # a full disk is waited out by the runtime
                raise
            if _connection_lost(exc):
                if time.monotonic() - started > OUTAGE_PATIENCE:
                    raise
                log.warning("%s: database unreachable (%s), retrying", what, _short(exc))
            elif isinstance(exc, OperationalError) and attempt < attempts:
                log.warning("%s: retrying after %s (attempt %d)", what, _short(exc), attempt)
            else:
                raise
        except ConcurrentUpdate as exc:
            if attempt >= attempts:
                raise
            log.warning("%s: retrying after %s (attempt %d)", what, _short(exc), attempt)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    raise AssertionError("unreachable")


def database_unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the database went away (rather than refused a statement)."""
    return isinstance(exc, DBAPIError) and _connection_lost(exc)


def _connection_lost(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(
        sign in text
        for sign in (
            "connection refused",
            "connection failed",
            "server closed the connection",
            "terminating connection",
            "the database system is starting up",
            "the database system is shutting down",
            "could not connect",
            "connection is closed",
        )
    )


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
