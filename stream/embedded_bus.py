"""The embedded bus: an append-only log per topic in QULAQ_HOME, no broker.

Layout per topic, in `QULAQ_HOME/bus/<topic>/`:
- `log`: framed records `MAGIC crc32 keylen vallen hdrlen key value headers`;
  a record's offset is its byte position;
- `committed`: the length of `log` that is durable (8 bytes). Appends write and
  fsync the records, then the new length, so a writer killed mid-append leaves
  a tail that readers never see and the next writer cuts off;
- `lock`: taken by writers (a collector and a replay may append at once);
- `start`: the first offset still held (8 bytes; 0 when absent). Records every
  consumer group has passed, appended long enough ago, are removed from the
  front (`trim`): the file keeps its length, so offsets never change, and the
  removed range is punched out of the file (zeroed where the file system cannot
  punch holes). Readers start at `start` at the earliest;
- `marks`: (end offset, append time) per append, so `trim` knows how old the
  records before a position are.

Consumer positions live in the database (`bus_offsets`), written in the same
transaction as the stage's output: a crash re-runs at most the batch whose
transaction never committed.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import math
import os
import struct
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import Connection, func, select

from qulaq.config import Settings
from qulaq.storage.schema import bus_offsets
from qulaq.storage.upsert import insert_ignoring_duplicates
from stream.bus import Bus, Message, Producer

MAGIC = b"Q1"
_HEAD = struct.Struct("<2sIIII")  # magic, crc32, key len, value len, headers len
_NO_KEY = 0xFFFFFFFF
_READ_CHUNK = 4 << 20
_MARK = struct.Struct("<Qd")  # end offset after an append, its wall time (Unix seconds)
_ZERO_CHUNK = 1 << 20

log = logging.getLogger(__name__)


class CorruptLog(RuntimeError):
    pass


class TopicLog:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_path = directory / "log"
        self.committed_path = directory / "committed"
        self.lock_path = directory / "lock"
        self.start_path = directory / "start"
        self.marks_path = directory / "marks"
        self.consumed_path = directory / "consumed"

    # -- writing -----------------------------------------------------------

    def append(self, records: Sequence[tuple[bytes | None, bytes, Mapping[str, str]]]) -> int:
        """Append records durably; return the new committed end."""
        if not records:
            return self.end()
        frames = bytearray()
        for key, value, headers in records:
            frames += _frame(key, value, headers)
        with self._locked():
            end = self.end()
            fd = os.open(self.log_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if os.fstat(fd).st_size != end:
                    os.ftruncate(fd, end)  # the torn tail of a writer that died
                _write_all(fd, frames, end)
                os.fsync(fd)
            finally:
                os.close(fd)
            new_end = end + len(frames)
            self._write_committed(new_end)
            self._mark(new_end)
            return new_end

    def _mark(self, end: int) -> None:
        """Note when the records up to `end` were appended (called under the lock). Best
        effort and not synced: the records are durable already, and a mark that is lost
        only makes `trim` take those records for as new as the next mark."""
        try:
            _append_pair(self.marks_path, end, time.time())
        except OSError as exc:
            log.warning("%s: append time not noted (%s)", self.marks_path, exc)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self.lock_path.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _write_committed(self, end: int) -> None:
        fd = os.open(self.committed_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _write_all(fd, struct.pack("<Q", end), 0)
            os.fsync(fd)
        finally:
            os.close(fd)

    # -- reading -----------------------------------------------------------

    def end(self) -> int:
        try:
            with self.committed_path.open("rb") as fh:
                data = fh.read(8)
        except FileNotFoundError:
            return 0
        return struct.unpack("<Q", data)[0] if len(data) == 8 else 0

    def start(self) -> int:
        """The first offset still held: everything before it was trimmed."""
        return self._start_and_discarded()[0]

    def read(self, topic: str, offset: int, max_records: int) -> list[Message]:
        offset = max(offset, self.start())
        end = self.end()
        if offset >= end:
            return []
        out: list[Message] = []
        with self.log_path.open("rb") as fh:
            pos = offset
            while pos < end and len(out) < max_records:
                fh.seek(pos)
                buf = fh.read(min(_READ_CHUNK, end - pos))
                used = _parse(buf, pos, topic, out, max_records)
                if used == 0:
                    # a single record larger than the chunk
                    klen, vlen, hlen = _lengths(buf, pos)
                    fh.seek(pos)
                    buf = fh.read(_HEAD.size + klen + vlen + hlen)
                    used = _parse(buf, pos, topic, out, max_records)
                    if used == 0:
                        raise CorruptLog(f"{self.log_path}: cannot read the record at {pos}")
                pos += used
        return out

    # -- trimming ----------------------------------------------------------

    def appended_before(self, cutoff: float, upto: int) -> int:
        """The furthest record boundary at or below `upto` such that every record before
        it was appended before `cutoff` (Unix seconds). `upto` must be a record boundary
        (a consumer position); the boundaries below it come from the append marks."""
        start = self.start()
        if upto <= start:
            return start
        best = start
        for end, at in _pairs(self.marks_path, self.end()):
            if at >= cutoff:
                return best
            if end >= upto:
                return upto
            best = max(best, end)
        # records after the last mark (its append died before the mark): no later
        # than the last change of `committed`
        try:
            last_append = self.committed_path.stat().st_mtime
        except FileNotFoundError:
            return best
        return upto if last_append < cutoff else best

    def note_consumed(self, position: int, at: float) -> None:
        """Remember that every consumer had passed `position` at time `at`, so that
        records can be kept for a while *after* they were processed."""
        with self._locked():
            _append_pair(self.consumed_path, position, at)

    def consumed_before(self, cutoff: float, upto: int) -> int:
        """The furthest position every consumer had passed before `cutoff`, at most `upto`
        (which the current positions bound: a database restored from a backup may have
        moved them back)."""
        best = self.start()
        for position, at in _pairs(self.consumed_path, self.end(), rising=False):
            if at < cutoff:
                best = max(best, position)
        return max(self.start(), min(best, upto))

    def trim(self, before: int) -> Trimmed:
        """Remove the records before `before` (a record boundary) for good: `start` moves
        there durably first, then the range is punched out of the file (or zeroed).
        Appends write past the end only, so the slow part runs outside the lock."""
        with self._locked():
            old, discarded = self._start_and_discarded()
            before = min(before, self.end())
            if before <= old:
                return Trimmed(0, "nothing")
            self._write_start(before, discarded)
        how = _discard(self.log_path, discarded, before)
        with self._locked():
            self._write_start(*self._advance_discarded(before))
            for path in (self.marks_path, self.consumed_path):
                kept = [(e, t) for e, t in _pairs(path, None, rising=False) if e > before]
                tmp = path.with_name(path.name + ".tmp")
                tmp.write_bytes(b"".join(_MARK.pack(e, t) for e, t in kept))
                os.replace(tmp, path)
        return Trimmed(before - old, how)

    def _start_and_discarded(self) -> tuple[int, int]:
        """`start`, and how far the bytes before it are known to be gone (a trim that
        died between moving `start` and discarding left the difference)."""
        try:
            data = self.start_path.read_bytes()
        except FileNotFoundError:
            return 0, 0
        if len(data) >= 16:
            start, discarded = struct.unpack_from("<QQ", data)
            return start, min(discarded, start)
        return (struct.unpack_from("<Q", data)[0], 0) if len(data) >= 8 else (0, 0)

    def _advance_discarded(self, upto: int) -> tuple[int, int]:
        start, discarded = self._start_and_discarded()
        return start, max(discarded, min(upto, start))

    def _write_start(self, start: int, discarded: int) -> None:
        new = not self.start_path.exists()
        fd = os.open(self.start_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _write_all(fd, struct.pack("<QQ", start, discarded), 0)
            os.fsync(fd)
        finally:
            os.close(fd)
        if new:  # the file's name must be as durable as the holes punched after it
            dfd = os.open(self.dir, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


def _append_pair(path: Path, offset: int, at: float) -> None:
    """Append one (offset, time) record, after cutting a torn one off the end, so a
    record half-written by a crash does not shift every later one."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        size -= size % _MARK.size
        _write_all(fd, _MARK.pack(offset, at), size)
        os.ftruncate(fd, size + _MARK.size)
    finally:
        os.close(fd)


def _pairs(path: Path, limit: int | None, *, rising: bool = True) -> list[tuple[int, float]]:
    """(offset, time) records of a marks file, up to the first implausible one (an
    offset beyond `limit` or, with `rising`, one that goes back; a time that is not
    finite)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    out: list[tuple[int, float]] = []
    last = 0
    for i in range(0, len(data) - len(data) % _MARK.size, _MARK.size):
        offset, at = _MARK.unpack_from(data, i)
        back = rising and offset < last
        if back or (limit is not None and offset > limit) or not math.isfinite(at):
            break
        out.append((offset, at))
        last = offset
    return out


@dataclass(frozen=True)
class Trimmed:
    bytes: int  # bytes of records removed by this trim
    how: str  # "punched" (disk space freed), "zeroed" (overwritten in place) or "nothing"


_FALLOC_FL_KEEP_SIZE = 0x01
_FALLOC_FL_PUNCH_HOLE = 0x02


def _discard(path: Path, old: int, end: int) -> str:
    """Make the bytes of `path` before `end` unreadable for good: punch them out of the
    file where the kernel and file system can (Linux fallocate; from 0, which is cheap
    and also finishes a trim that died after moving `start`), else zero those from
    `old` on."""
    fd = os.open(path, os.O_RDWR)
    try:
        if _punch_hole(fd, end):
            how = "punched"
        else:
            zeros = bytes(_ZERO_CHUNK)
            for pos in range(old, end, _ZERO_CHUNK):
                _write_all(fd, zeros[: min(_ZERO_CHUNK, end - pos)], pos)
            how = "zeroed"
        os.fsync(fd)
        return how
    finally:
        os.close(fd)


def _punch_hole(fd: int, length: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fallocate = libc.fallocate
    except (OSError, AttributeError):
        return False
    fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong]
    fallocate.restype = ctypes.c_int
    mode = _FALLOC_FL_KEEP_SIZE | _FALLOC_FL_PUNCH_HOLE
    if fallocate(fd, mode, 0, length) == 0:
        return True
    log.info("cannot punch holes here (%s); zeroing instead", os.strerror(ctypes.get_errno()))
    return False


def _write_all(fd: int, data: bytes | bytearray, offset: int) -> None:
    """pwrite until every byte is written: on a nearly full disk pwrite writes part
    and returns the count; only the next call raises ENOSPC."""
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, offset)
        if n <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[n:]
        offset += n


def _frame(key: bytes | None, value: bytes, headers: Mapping[str, str]) -> bytes:
    hdr = orjson.dumps(dict(headers)) if headers else b""
    body = (key or b"") + value + hdr
    klen = _NO_KEY if key is None else len(key)
    crc = zlib.crc32(body, zlib.crc32(struct.pack("<III", klen, len(value), len(hdr))))
    return _HEAD.pack(MAGIC, crc, klen, len(value), len(hdr)) + body


def _lengths(buf: bytes, pos: int) -> tuple[int, int, int]:
    if len(buf) < _HEAD.size:
        raise CorruptLog(f"truncated record header at {pos}")
    magic, _crc, klen, vlen, hlen = _HEAD.unpack_from(buf, 0)
    if magic != MAGIC:
        raise CorruptLog(f"bad record magic at {pos}")
    return (0 if klen == _NO_KEY else klen), vlen, hlen


def _parse(buf: bytes, base: int, topic: str, out: list[Message], limit: int) -> int:
    """Parse whole records from `buf`; return the bytes consumed."""
    i = 0
    n = len(buf)
    head = _HEAD.size
    while i + head <= n and len(out) < limit:
        magic, crc, klen_raw, vlen, hlen = _HEAD.unpack_from(buf, i)
        if magic != MAGIC:
            raise CorruptLog(f"bad record magic at offset {base + i}")
        klen = 0 if klen_raw == _NO_KEY else klen_raw
        size = head + klen + vlen + hlen
        if i + size > n:
            break
        body = buf[i + head : i + size]
        expect = zlib.crc32(body, zlib.crc32(struct.pack("<III", klen_raw, vlen, hlen)))
        if expect != crc:
            raise CorruptLog(f"checksum mismatch in the record at offset {base + i}")
        key = None if klen_raw == _NO_KEY else bytes(body[:klen])
        value = bytes(body[klen : klen + vlen])
        headers = orjson.loads(body[klen + vlen :]) if hlen else {}
        out.append(Message(topic, 0, base + i, key, value, headers, base + i + size))
        i += size
    return i


class EmbeddedProducer(Producer):
    def __init__(self, bus: EmbeddedBus, batch: int = 5000) -> None:
        self._bus = bus
        self._pending: dict[str, list[tuple[bytes | None, bytes, Mapping[str, str]]]] = {}
        self._count = 0
        self._batch = batch

    def send(
        self,
        topic: str,
        value: bytes,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._pending.setdefault(topic, []).append((key, value, headers or {}))
        self._count += 1
        if self._count >= self._batch:
            self.flush()

    def flush(self) -> None:
        for topic, records in self._pending.items():
            self._bus.log(topic).append(records)
        self._pending.clear()
        self._count = 0


class EmbeddedBus(Bus):
    """One partition per topic; positions kept in the database."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.root = settings.home / "bus"
        self._logs: dict[str, TopicLog] = {}

    def log(self, topic: str) -> TopicLog:
        found = self._logs.get(topic)
        if found is None:
            found = self._logs[topic] = TopicLog(self.root / topic)
        return found

    def producer(self) -> EmbeddedProducer:
        return EmbeddedProducer(self)

    def max_message_bytes(self) -> int:
        return 64 << 20

    def consumer(self, group: str, topic: str) -> EmbeddedConsumer:
        return EmbeddedConsumer(self.log(topic), group, topic)


class EmbeddedConsumer:
    """Reads one topic from the position committed in the database."""

    def __init__(self, log: TopicLog, group: str, topic: str) -> None:
        self.log = log
        self.group = group
        self.topic = topic
        self.position: int | None = None

    def load_position(self, conn: Connection) -> int:
        row = conn.execute(
            select(bus_offsets.c.offset).where(
                bus_offsets.c.consumer == self.group,
                bus_offsets.c.topic == self.topic,
                bus_offsets.c.partition == 0,
            )
        ).first()
        self.position = int(row[0]) if row else 0
        start = self.log.start()
        if row and self.position < start:
            # only after the database went back in time (a restore from an older backup)
            log.warning(
                "%s: %s resumes at offset %d, but the log was trimmed up to %d: the records "
                "in between were processed before and are no longer on disk",
                self.topic,
                self.group,
                self.position,
                start,
            )
        return self.position

    def poll(self, max_records: int) -> list[Message]:
        if self.position is None:
            raise RuntimeError("load_position() first")
        return self.log.read(self.topic, self.position, max_records)

    def commit(self, conn: Connection, messages: list[Message]) -> None:
        """Record, inside the caller's transaction, that `messages` are done."""
        if messages:
            self.commit_position(conn, messages[-1].next_offset)

    def commit_position(self, conn: Connection, nxt: int) -> None:
        """Record, inside the caller's transaction, the position to resume from."""
        now = datetime.now(UTC)
        insert_ignoring_duplicates(
            conn,
            bus_offsets,
            [
                {
                    "consumer": self.group,
                    "topic": self.topic,
                    "partition": 0,
                    "offset": 0,
                    "updated_at": now,
                }
            ],
        )
        conn.execute(
            bus_offsets.update()
            .where(
                bus_offsets.c.consumer == self.group,
                bus_offsets.c.topic == self.topic,
                bus_offsets.c.partition == 0,
            )
            .values(offset=nxt, updated_at=now)
        )
        self.position = nxt

    def lag(self) -> int:
        """Bytes not yet consumed (0 when caught up)."""
        return max(0, self.log.end() - (self.position or 0))


# -- trimming consumed records ---------------------------------------------------------------

KEEP_DAYS = 7.0  # `embedded.keep_days`: processed records stay this long (Kafka's default too)


@dataclass(frozen=True)
class TopicTrim:
    topic: str
    bytes: int  # removed (or, in a dry run, that would be removed)
    how: str  # "punched", "zeroed", "nothing" or "dry run"


def keep_days(settings: Settings) -> float | None:
    """How long records stay in the embedded log after every consumer has processed
    them: `embedded.keep_days` (7 by default; `false` keeps them for ever)."""
    from qulaq.errors import UserError
    from qulaq.storage.retention import days_option

    value = settings.option("embedded.keep_days", KEEP_DAYS)
    if value is True:  # `false` turns it off; `true` names no number of days
        raise UserError.t("embedded.bad_keep_days", value=value)
    return days_option(value, "embedded.keep_days")


def trim_consumed(
    bus: EmbeddedBus,
    conn: Connection,
    *,
    now: float,
    keep_days: float | None = None,
    raw_days: float | None = None,
    dry_run: bool = False,
) -> list[TopicTrim]:
    """Remove from each topic's log what every consumer group of the topic has passed
    and that is either processed more than `keep_days` ago or appended more than
    `raw_days` ago (retention of raw personal data). A topic nobody has consumed yet
    keeps everything: nothing unprocessed is ever removed."""
    out: list[TopicTrim] = []
    if not bus.root.is_dir():
        return out
    for directory in sorted(p for p in bus.root.iterdir() if p.is_dir()):
        topic = directory.name
        consumed = conn.execute(
            select(func.min(bus_offsets.c.offset)).where(bus_offsets.c.topic == topic)
        ).scalar()
        if consumed is None:
            continue
        log_ = bus.log(topic)
        upto = log_.start()
        if keep_days is not None:
            upto = max(upto, log_.consumed_before(now - keep_days * 86400.0, int(consumed)))
        if raw_days is not None:
            upto = max(upto, log_.appended_before(now - raw_days * 86400.0, int(consumed)))
        if dry_run:
            out.append(TopicTrim(topic, max(0, upto - log_.start()), "dry run"))
            continue
        if keep_days is not None:
            log_.note_consumed(int(consumed), now)
        done = log_.trim(upto)
        out.append(TopicTrim(topic, done.bytes, done.how))
    return out
