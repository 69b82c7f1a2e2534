"""`qulaq replay`: publish a JSONL file of comment events into the bus.

Each line is validated at this edge: valid events go to the raw topic as the
exact bytes read, keyed by agency, with their origin (file:line) and the
replay's run id in headers; broken lines go straight to quarantine with their
reason. Nothing is dropped but blank lines.
"""

from __future__ import annotations

import gzip
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from qulaq.config import Settings
from qulaq.errors import DiskFull, UserError, disk_full_detail, is_disk_full, os_reason
from qulaq.events import InvalidEvent, ahead_of_clock, parse_event
from qulaq.i18n import t
from qulaq.models import Rejected
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.storage.quarantine import write_rejected
from qulaq.storage.runs import finish_run, start_run
from stream.bus import H_ORIGIN, H_RUN, RAW, Bus, open_bus
from stream.pipeline import load_registry
from stream.stages import partition_key

log = logging.getLogger(__name__)

BOM = b"\xef\xbb\xbf"
_GZIP_MAGIC = b"\x1f\x8b"
_QUARANTINE_BATCH = 1000


@dataclass
class ReplayCounts:
    lines: int = 0
    published: int = 0
    quarantined: int = 0
    blank: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    run: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "file_lines": self.lines,
            "published": self.published,
            "quarantined": self.quarantined,
            "blank": self.blank,
            "run": self.run,
            "seconds": round(self.seconds, 3),
            "quarantine_reasons": dict(self.reasons.most_common()),
        }


def parse_speed(value: str) -> float | None:
    """`max` → None (no pacing); `N` → N× real time."""
    if value == "max":
        return None
    try:
        speed = float(value)
    except ValueError:
        raise UserError.t("replay.bad_speed", value=value) from None
    if not speed > 0 or speed == float("inf"):
        raise UserError.t("replay.bad_speed", value=value)
    return speed


def replay_file(
    settings: Settings,
    path: Path,
    *,
    speed: float | None = None,
    on_progress: Callable[[int], None] | None = None,
    bus: Bus | None = None,
    db: Database | None = None,
    registry: Registry | None = None,
) -> ReplayCounts:
    if not path.exists():
        raise UserError.t("file.not_found", path=path)
    if path.is_dir():
        raise UserError.t("file.is_dir_jsonl", path=path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise UserError.t("file.cannot_read", path=path, reason=os_reason(exc)) from None
    try:
        # gzip by its first bytes, not its name: "day.jsonl" may be compressed, and
        # "<(zcat day.jsonl.gz)" is a pipe with no name at all
        gz = raw.peek(2)[:2] == _GZIP_MAGIC
    except OSError as exc:
        raw.close()
        raise UserError.t("file.cannot_read", path=path, reason=os_reason(exc)) from None
    fh = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if gz else raw
    # progress counts the bytes of the file, which are compressed ones for gzip
    file_pos = raw.tell if gz and raw.seekable() else None
    read_to = 0

    db = db or Database.open(settings)
    bus = bus or open_bus(settings)
    registry = registry or load_registry(settings)
    raw_topic = bus.topic(RAW)
    limit = bus.max_message_bytes()
    counts = ReplayCounts()
    with db.write() as conn:
        counts.run = start_run(conn, "replay", str(path.resolve()))
    started = time.perf_counter()
    pending: list[Rejected] = []
    pace_origin: tuple[datetime, float] | None = None
    now = datetime.now(UTC)  # a replay of a day's export takes minutes, not a day
    # the whole path: two exports called day.jsonl are two origins, one file replayed
    # again is the same one (the quarantine keeps a line once per origin)
    name = str(path.resolve())
    status = "failed"

    def quarantine_pending() -> None:
        if pending:
            with db.write() as conn:
                write_rejected(conn, pending)
            pending.clear()

    try:
        with raw, fh, bus.producer() as producer:
            for lineno, line in enumerate(fh, 1):
                if on_progress:
                    if file_pos is None:
                        on_progress(len(line))
                    else:
                        pos = file_pos()
                        on_progress(pos - read_to)
                        read_to = pos
                if lineno == 1 and line.startswith(BOM):
                    line = line[len(BOM) :]
                line = line.rstrip(b"\r\n")
                if not line.strip():
                    counts.blank += 1
                    continue
                counts.lines += 1
                origin = f"replay:{name}:{lineno}"
                if len(line) > limit:
                    reason = f"line of {len(line)} bytes is larger than the bus accepts ({limit})"
                    _reject(pending, counts, line, reason, origin)
                    continue
                try:
                    event = parse_event(line)
                    ahead = ahead_of_clock(event, now)
                    if ahead is not None:
                        raise InvalidEvent(ahead)
                except InvalidEvent as exc:
                    _reject(pending, counts, line, str(exc), origin)
                    if len(pending) >= _QUARANTINE_BATCH:
                        quarantine_pending()
                    continue
                if speed is not None:
                    pace_origin = _pace(event.created_at, speed, pace_origin)
                producer.send(
                    raw_topic,
                    line,
                    key=partition_key(registry, event),
                    headers={H_ORIGIN: origin, H_RUN: counts.run},
                )
                counts.published += 1
            producer.flush()
        quarantine_pending()
        status = "done"
    except KeyboardInterrupt:
        quarantine_pending()  # the broken lines read so far are kept, as they were counted
        raise ReplayInterrupted(counts, counts.lines + counts.blank) from None
    except Exception as exc:
        line_no = counts.lines + counts.blank
        if is_disk_full(exc):
            detail = f"{path.name}, line {line_no}: {disk_full_detail(exc)}"
            raise DiskFull(t("replay.disk_full", detail=detail)) from None
        if not isinstance(exc, OSError | EOFError):
            raise
        quarantine_pending()
        raise UserError.t("replay.read_stopped", path=path, line=line_no, reason=exc) from None
    finally:
        counts.seconds = time.perf_counter() - started
        try:
            with db.write() as conn:
                finish_run(conn, counts.run, status, counts.as_dict())
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            log.info("could not record the end of replay run %s: disk full", counts.run)
    return counts


class ReplayInterrupted(KeyboardInterrupt):
    """Ctrl-C during a replay, with how far it got: the lines read before are published
    or quarantined, and replaying the file again is safe."""

    def __init__(self, counts: ReplayCounts, line: int) -> None:
        super().__init__(line)
        self.counts = counts
        self.line = line


def _reject(
    pending: list[Rejected], counts: ReplayCounts, line: bytes, reason: str, origin: str
) -> None:
    pending.append(Rejected(line, reason, origin, counts.run or None, datetime.now(UTC)))
    counts.quarantined += 1
    counts.reasons[_reason_kind(reason)] += 1


def _reason_kind(reason: str) -> str:
    """Group reasons for the summary: 'missing required field text' stays whole,
    details in quotes or parentheses and the value after ", not" are cut."""
    for cut in (" '", ' "', " (", ": ", ", not "):
        i = reason.find(cut)
        if i > 0:
            reason = reason[:i]
    return reason


def _pace(
    created_at: datetime, speed: float, origin: tuple[datetime, float] | None
) -> tuple[datetime, float]:
    if origin is None:
        return created_at, time.monotonic()
    first_event, first_wall = origin
    due = first_wall + (created_at - first_event).total_seconds() / speed
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(min(delay, 3600))
    return origin
