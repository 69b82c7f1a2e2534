"""Assembles the stages for a deployment; both runtimes start here."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from qulaq.config import Settings
from qulaq.models import Scored
from qulaq.pseudonym import Pseudonymiser
from qulaq.registry import Registry
from qulaq.storage.comments import ConcurrentUpdate
from qulaq.storage.database import Database
from stream.stages import ScoreStage, StoreStage

log = logging.getLogger(__name__)
T = TypeVar("T")


class DownstreamStage(Protocol):
    """A stage fed with stored comments (signals, playbooks).

    `process` runs inside the transaction that stored the batch (embedded) or
    that records the stage's own progress (Kafka), and returns messages to
    publish as (logical topic, key, value).
    """

    name: str

    def process(self, conn: Connection, scored: list[Scored]) -> list[tuple[str, bytes, bytes]]: ...


@dataclass
class Pipeline:
    settings: Settings
    db: Database
    registry: Registry
    score: ScoreStage
    store: StoreStage
    downstream: list[DownstreamStage] = field(default_factory=list)


def load_registry(settings: Settings) -> Registry:
    extra = settings.option("registry", [])
    if isinstance(extra, str):
        extra = [extra]
    if not extra:
        return Registry.default()
    base = settings.config_file.parent if settings.config_file else settings.home
    return Registry.load([p if p.startswith("/") else str(base / p) for p in extra])


def build_pipeline(settings: Settings, db: Database | None = None) -> Pipeline:
    from sentiment import Analyzer

    db = db or Database.open(settings)
    registry = load_registry(settings)
    score = ScoreStage(registry, Pseudonymiser.for_settings(settings), Analyzer.default())
    return Pipeline(settings, db, registry, score, StoreStage(), _downstream(settings, db))


def _downstream(settings: Settings, db: Database) -> list[DownstreamStage]:
    stages: list[DownstreamStage] = []
    for loader in DOWNSTREAM_LOADERS:
        stage = loader(settings, db)
        if stage is not None:
            stages.append(stage)
    return stages


# Later stages register a loader here: (settings, db) -> stage or None.
DOWNSTREAM_LOADERS: list[Callable[[Settings, Database], Any]] = []


_RETRYABLE = (ConcurrentUpdate, OperationalError)


def with_retries(fn: Callable[[], T], *, what: str, attempts: int = 8) -> T:
    """Run a database transaction again when it lost a race or a lock."""
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except _RETRYABLE as exc:
            if attempt == attempts:
                raise
            log.warning("%s: retrying after %s (attempt %d)", what, _short(exc), attempt)
        except DBAPIError as exc:
            if not exc.connection_invalidated or attempt == attempts:
                raise
            log.warning("%s: database connection lost, reconnecting", what)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    raise AssertionError("unreachable")


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
