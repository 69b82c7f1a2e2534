"""The embedded log: durable appends, torn tails cut off, concurrent writers."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from stream.bus import Message
from stream.embedded_bus import CorruptLog, TopicLog


def read_all(log: TopicLog) -> list[Message]:
    out: list[Message] = []
    pos = 0
    while True:
        batch = log.read("t", pos, 1000)
        if not batch:
            return out
        out.extend(batch)
        pos = batch[-1].next_offset


def test_append_and_read_back(tmp_path: Path) -> None:
    log = TopicLog(tmp_path / "t")
    log.append([(b"k1", b"v1", {"h": "x"}), (None, b"", {})])
    log.append([(b"k3", "ключ ☃".encode(), {})])
    msgs = read_all(log)
    assert [(m.key, m.value, m.headers) for m in msgs] == [
        (b"k1", b"v1", {"h": "x"}),
        (None, b"", {}),
        (b"k3", "ключ ☃".encode(), {}),
    ]
    assert msgs[-1].next_offset == log.end()
    # resuming from the middle yields the rest
    assert [m.value for m in log.read("t", msgs[0].next_offset, 10)] == [b"", msgs[2].value]


def test_record_larger_than_the_read_chunk(tmp_path: Path) -> None:
    log = TopicLog(tmp_path / "t")
    big = os.urandom(9 << 20)
    log.append([(None, b"small", {}), (None, big, {}), (None, b"after", {})])
    assert [m.value for m in read_all(log)] == [b"small", big, b"after"]


def test_torn_tail_is_invisible_and_cut_by_the_next_writer(tmp_path: Path) -> None:
    log = TopicLog(tmp_path / "t")
    log.append([(None, b"one", {})])
    with log.log_path.open("ab") as fh:  # a writer killed mid-append
        fh.write(b"Q1\x00\x00garbage")
    assert [m.value for m in read_all(log)] == [b"one"]
    log.append([(None, b"two", {})])
    assert [m.value for m in read_all(log)] == [b"one", b"two"]


def test_corruption_inside_the_committed_part_is_reported(tmp_path: Path) -> None:
    log = TopicLog(tmp_path / "t")
    log.append([(None, b"payload-one", {})])
    data = bytearray(log.log_path.read_bytes())
    data[-3] ^= 0xFF
    log.log_path.write_bytes(bytes(data))
    with pytest.raises(CorruptLog):
        read_all(log)


def _writer(path: str, tag: int, n: int) -> None:
    log = TopicLog(Path(path))
    for i in range(n):
        log.append([(None, f"{tag}:{i}".encode(), {})])


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "t")
    procs = [multiprocessing.Process(target=_writer, args=(path, k, 200)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    values = [m.value.decode() for m in read_all(TopicLog(Path(path)))]
    assert sorted(values) == sorted(f"{k}:{i}" for k in range(3) for i in range(200))
    for k in range(3):  # each writer's own order is kept
        mine = [v for v in values if v.startswith(f"{k}:")]
        assert mine == [f"{k}:{i}" for i in range(200)]
