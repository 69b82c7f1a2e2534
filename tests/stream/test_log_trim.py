"""The embedded log does not grow for ever and does not outlive retention: records every
consumer has passed, appended long enough ago, are removed from the front of the file;
offsets stay valid and nothing unconsumed is ever removed."""

from __future__ import annotations

import json
import os
import struct
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stream import embedded_bus
from stream.embedded_bus import TopicLog
from tests.conftest import qulaq

DAY = 86_400.0


def _records(tag: str, n: int) -> list[tuple[bytes | None, bytes, dict[str, str]]]:
    return [(b"k", f"{tag}-{i}-{'x' * 2000}".encode(), {}) for i in range(n)]


def _append_at(log: TopicLog, when: float, records: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(embedded_bus.time, "time", lambda: when)
    end = log.append(records)
    monkeypatch.undo()
    return end


def test_trim_removes_the_front_keeps_offsets_and_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = TopicLog(tmp_path / "t")
    first = _append_at(log, 1_000.0, _records("first", 300), monkeypatch)
    second = _append_at(log, 2_000.0, _records("second", 300), monkeypatch)
    third = _append_at(log, 3_000.0, _records("third", 10), monkeypatch)
    kept = log.read("t", second, 1000)
    blocks_before = os.stat(log.log_path).st_blocks

    # only what was appended before the cutoff goes, however far consumers have read
    assert log.appended_before(cutoff=500.0, upto=third) == 0
    assert log.appended_before(cutoff=1_500.0, upto=third) == first
    assert log.appended_before(cutoff=2_500.0, upto=third) == second
    assert log.appended_before(cutoff=9_000.0, upto=third) == third
    # and never beyond what every consumer has passed
    assert log.appended_before(cutoff=9_000.0, upto=first) == first

    done = log.trim(second)
    assert done.bytes == second
    assert log.start() == second
    data = log.log_path.read_bytes()
    assert len(data) == third  # the file keeps its length: offsets never move
    assert data[:second] == bytes(second)  # the removed range reads as zeros
    assert b"first-" not in data and b"second-" not in data
    if done.how == "punched":
        assert os.stat(log.log_path).st_blocks < blocks_before
    # readers from an offset that is gone start at the first record still held
    again = log.read("t", 0, 1000)
    assert [(m.offset, m.value) for m in again] == [(m.offset, m.value) for m in kept]
    assert again[0].value.startswith(b"third-0-")
    # a second trim to the same place changes nothing; appends go on as before
    assert log.trim(second).bytes == 0
    fourth = log.append(_records("fourth", 2))
    assert [m.value[:8] for m in log.read("t", third, 10)] == [b"fourth-0", b"fourth-1"]
    assert log.end() == fourth


def test_a_log_without_append_times_is_dated_by_its_last_append(tmp_path: Path) -> None:
    log = TopicLog(tmp_path / "t")
    end = log.append(_records("old", 5))
    log.marks_path.unlink()  # written before append times were kept
    assert log.appended_before(cutoff=time.time() - DAY, upto=end) == 0
    week_ago = time.time() - 7 * DAY
    os.utime(log.committed_path, (week_ago, week_ago))
    assert log.appended_before(cutoff=time.time() - DAY, upto=end) == end


def _event(i: int, text: str) -> dict[str, Any]:
    return {
        "platform": "vk",
        "account": "-1",
        "comment_id": str(i),
        "post_id": "5",
        "text": f"{text} {i}",
        "created_at": (datetime(2025, 1, 5, 10, tzinfo=UTC) + timedelta(minutes=i)).isoformat(),
        "author_id": f"user-{i}",
    }


def _replay(path: Path, text: str, ids: range) -> None:
    path.write_text(
        "".join(json.dumps(_event(i, text), ensure_ascii=False) + "\n" for i in ids),
        encoding="utf-8",
    )
    qulaq("replay", str(path))


def _age_marks(log_dir: Path, days: float) -> None:
    """Make every append of the log look `days` old."""
    marks = (log_dir / "marks").read_bytes()
    shift = days * DAY
    out = b"".join(
        struct.pack("<Qd", end, at - shift)
        for end, at in struct.iter_unpack("<Qd", marks[: len(marks) - len(marks) % 16])
    )
    (log_dir / "marks").write_bytes(out)


def _stored(home: Path) -> int:
    stats = json.loads(qulaq("stats", "--json").stdout)
    return int(stats["comments"])


def test_retention_run_trims_the_consumed_log_and_nothing_unconsumed(
    home: Path, tmp_path: Path
) -> None:
    _replay(tmp_path / "a.jsonl", "Когда починят дорогу у школы", range(0, 40))
    qulaq("run", "--until-idle")
    _replay(tmp_path / "b.jsonl", "Где автобус номер семь", range(40, 60))  # not consumed yet
    log_dir = home / "bus" / "qulaq.raw"
    _age_marks(log_dir, 40)
    raw = (log_dir / "log").read_bytes()
    assert "дорогу".encode() in raw

    dry = json.loads(qulaq("retention", "run", "--days", "30", "--dry-run", "--json").stdout)
    assert dry["embedded_log"][0]["bytes"] > 0
    assert (log_dir / "log").read_bytes() == raw  # a dry run changes nothing

    out = json.loads(qulaq("retention", "run", "--days", "30", "--json").stdout)
    assert out["embedded_log"] == [{**dry["embedded_log"][0], "how": out["embedded_log"][0]["how"]}]
    raw = (log_dir / "log").read_bytes()
    assert "дорогу".encode() not in raw  # consumed and old: gone from the disk
    assert "автобус".encode() in raw  # old but not consumed: kept
    assert _stored(home) == 40
    qulaq("run", "--until-idle")
    assert _stored(home) == 60  # the unconsumed lines were processed after the trim

    text = qulaq("retention", "run", "--days", "30").stdout
    assert "qulaq.raw" in text


def _age(path: Path, days: float) -> None:
    """Make every (offset, time) record of a marks file `days` older."""
    data = path.read_bytes()
    shift = days * DAY
    path.write_bytes(
        b"".join(
            struct.pack("<Qd", offset, at - shift)
            for offset, at in struct.iter_unpack("<Qd", data[: len(data) - len(data) % 16])
        )
    )


def test_run_trims_what_was_processed_more_than_keep_days_ago(home: Path, tmp_path: Path) -> None:
    _replay(tmp_path / "a.jsonl", "Отопления нет третий день", range(0, 30))
    qulaq("run", "--until-idle")
    log_dir = home / "bus" / "qulaq.raw"
    _age_marks(log_dir, 30)  # appended long ago: what counts is when it was processed
    qulaq("run", "--until-idle")  # notes that everything so far is processed
    assert (log_dir / "consumed").stat().st_size == 16
    _age(log_dir / "consumed", 3)  # processed 3 days ago: within the default 7 days
    qulaq("run", "--until-idle")
    assert "Отопления".encode() in (log_dir / "log").read_bytes()
    _age(log_dir / "consumed", 5)  # now 8 days ago
    _replay(tmp_path / "b.jsonl", "Спасибо за ремонт", range(30, 35))
    qulaq("run", "--until-idle")
    raw = (log_dir / "log").read_bytes()
    assert "Отопления".encode() not in raw
    assert "Спасибо".encode() in raw
    assert _stored(home) == 35


def test_zeroing_where_holes_cannot_be_punched_also_finishes_a_trim_that_died(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_bus, "_punch_hole", lambda fd, length: False)
    log = TopicLog(tmp_path / "t")
    first = log.append(_records("first", 50))
    second = log.append(_records("second", 50))
    log.append(_records("third", 5))
    log._write_start(first, 0)  # a trim that died after moving `start`, before zeroing
    assert b"first-" in log.log_path.read_bytes()
    done = log.trim(second)
    assert done.how == "zeroed" and done.bytes == second - first
    data = log.log_path.read_bytes()
    assert data[:second] == bytes(second)
    assert b"third-" in data
    assert [m.value[:7] for m in log.read("t", 0, 1)] == [b"third-0"]


def test_append_marks_survive_a_torn_mark_and_a_mark_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = TopicLog(tmp_path / "t")
    old = _append_at(log, 1_000.0, _records("old", 3), monkeypatch)
    with log.marks_path.open("ab") as fh:
        fh.write(b"\x07" * 5)  # a mark torn by a crash
    new = _append_at(log, 5_000.0, _records("new", 3), monkeypatch)
    assert log.appended_before(cutoff=2_000.0, upto=new) == old
    # the records are durable before their mark: a mark that fails does not fail the append
    log.marks_path.unlink()
    log.marks_path.mkdir()
    end = log.append(_records("more", 2))
    assert end > new and log.end() == end
    assert [m.value[:6] for m in log.read("t", new, 10)] == [b"more-0", b"more-1"]


def test_a_bad_keep_days_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    (tmp_path / "qulaq.toml").write_text('[embedded]\nkeep_days = "soon"\n', encoding="utf-8")
    proc = qulaq("run", "--until-idle", check=False)
    assert proc.returncode != 0
    assert "embedded.keep_days" in proc.stderr and "Traceback" not in proc.stderr


def _kafka_earliest(topic: str) -> int:
    from kafka import OffsetSpec, TopicPartition

    from qulaq.config import load_settings
    from stream.kafka_bus import KafkaBus

    admin = KafkaBus(load_settings()).admin()
    try:
        parts = [
            TopicPartition(t["name"], p["partition_index"])
            for t in admin.describe_topics([topic])
            for p in t["partitions"]
        ]
        found = admin.list_partition_offsets({tp: OffsetSpec.EARLIEST for tp in parts})
        return sum(int(found[tp].offset) for tp in parts)
    finally:
        admin.close()


@pytest.mark.kafka
def test_retention_removes_only_processed_old_messages_from_kafka(
    kafka: str, home: Path, tmp_path: Path
) -> None:
    _replay(tmp_path / "a.jsonl", "Когда починят дорогу у школы", range(0, 30))
    qulaq("run", "--until-idle")
    _replay(tmp_path / "b.jsonl", "Где автобус номер семь", range(30, 40))  # not read yet
    time.sleep(2.0)
    days = "0.00001"  # under a second: every message so far is older than that

    dry = json.loads(qulaq("retention", "run", "--days", days, "--dry-run", "--json").stdout)
    by_topic = {t["topic"]: t["messages"] for t in dry["kafka_topics"]}
    assert by_topic[f"{kafka}.raw"] == 30  # read by the score stage: the 10 new ones stay
    assert by_topic[f"{kafka}.scored"] == 30
    assert _kafka_earliest(f"{kafka}.raw") == 0  # a dry run changes nothing

    out = json.loads(qulaq("retention", "run", "--days", days, "--json").stdout)
    assert out["kafka_topics"] == dry["kafka_topics"]
    assert _kafka_earliest(f"{kafka}.raw") == 30
    assert _kafka_earliest(f"{kafka}.scored") == 30
    qulaq("run", "--until-idle")
    assert _stored(home) == 40  # the unread messages were processed after the trim
