"""One contract, every runtime: the mixed replay file is stored exactly once,
broken lines are quarantined with their reasons, and a second replay changes
nothing — on the embedded bus and on Kafka, with SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import comment_versions, comments, quarantine
from tests.conftest import qulaq
from tests.stream.mixed_file import build

RUNTIMES = [
    pytest.param(("embedded", "sqlite"), id="embedded-sqlite"),
    pytest.param(("embedded", "postgres"), id="embedded-postgres", marks=pytest.mark.postgres),
    pytest.param(("kafka", "sqlite"), id="kafka-sqlite", marks=pytest.mark.kafka),
    pytest.param(
        ("kafka", "postgres"), id="kafka-postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]
    ),
]


@pytest.fixture(params=RUNTIMES)
def runtime(request: pytest.FixtureRequest, home: Path) -> tuple[str, str]:
    bus, db = request.param
    if bus == "kafka":
        request.getfixturevalue("kafka")
    if db == "postgres":
        request.getfixturevalue("postgres")
    return bus, db


def snapshot() -> dict[str, Any]:
    """Everything stored, as comparable data (ids and row contents)."""
    db = Database.open(load_settings())
    with db.read() as conn:
        rows = {
            "comments": [
                dict(r)
                for r in conn.execute(
                    select(comments).order_by(
                        comments.c.platform, comments.c.account, comments.c.comment_id
                    )
                ).mappings()
            ],
            "versions": [
                dict(r)
                for r in conn.execute(
                    select(comment_versions).order_by(comment_versions.c.id)
                ).mappings()
            ],
            "quarantine": [
                dict(r)
                for r in conn.execute(select(quarantine).order_by(quarantine.c.id)).mappings()
            ],
        }
    db.dispose()
    return rows


def stats() -> dict[str, Any]:
    return json.loads(qulaq("stats", "--json").stdout)


def test_mixed_file_is_stored_once_and_broken_lines_quarantined(
    runtime: tuple[str, str], tmp_path: Path
) -> None:
    expected = build(tmp_path / "mixed.jsonl")

    out = json.loads(qulaq("replay", str(tmp_path / "mixed.jsonl"), "--json").stdout)
    assert out["quarantined"] == expected.broken
    assert out["blank"] == expected.blank
    qulaq("run", "--until-idle")

    s = stats()
    assert s["comments"] == len(expected.identities)
    assert s["quarantined"] == expected.broken
    assert s["deleted"] == len(expected.deleted)

    first = snapshot()
    by_id = {(r["platform"], r["account"], r["comment_id"]): r for r in first["comments"]}
    assert set(by_id) == expected.identities
    for ident, text in expected.final_text.items():
        assert by_id[ident]["text"] == text, ident
    assert {i for i, r in by_id.items() if r["deleted"]} == expected.deleted
    for ident in expected.edited:
        history = [
            v for v in first["versions"] if (v["platform"], v["account"], v["comment_id"]) == ident
        ]
        assert len(history) >= 2 or ident[2] == "only-edit"
    # the author id never reaches storage, only its keyed hash
    assert all(
        r["author_hash"] is None or r["author_hash"].startswith("a_") for r in first["comments"]
    )
    assert not any("user1" in json.dumps(r, default=str) for r in first["comments"])
    reasons = [r["reason"] for r in first["quarantine"]]
    assert len(reasons) == expected.broken and all(reasons)
    assert any("UTF-8" in r for r in reasons)
    assert any("unknown platform" in r for r in reasons)
    assert any("no UTC offset" in r for r in reasons)
    # quarantine keeps the bytes exactly as they were read
    raw_lines = {line.rstrip(b"\r") for line in expected.lines}
    assert all(bytes(r["raw"]) in raw_lines for r in first["quarantine"])

    # a second replay changes nothing
    qulaq("replay", str(tmp_path / "mixed.jsonl"))
    qulaq("run", "--until-idle")
    assert stats() == s
    assert _digest(snapshot()) == _digest(first)


_EVENT = {
    "platform": "vk",
    "account": "-1",
    "comment_id": "1",
    "text": "Когда починят дорогу?",
    "created_at": "2026-03-20T10:00:00+05:00",
}


def test_files_of_the_same_name_keep_each_broken_line(home: Path, tmp_path: Path) -> None:
    """Two exports called day.jsonl from two folders: each broken line is kept, and
    replaying either again keeps nothing twice."""
    good = _EVENT
    for folder in ("monday", "tuesday"):
        (tmp_path / folder).mkdir()
        line = json.dumps({**good, "comment_id": folder}, ensure_ascii=False)
        (tmp_path / folder / "day.jsonl").write_text(f"{line}\n{{broken\n", encoding="utf-8")
        qulaq("replay", str(tmp_path / folder / "day.jsonl"))
    qulaq("replay", str(tmp_path / "monday" / "day.jsonl"))
    qulaq("run", "--until-idle")
    assert (stats()["comments"], stats()["quarantined"]) == (2, 2)


def _digest(snap: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snap, default=str, sort_keys=True).encode()).hexdigest()


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_replay_into_an_unreachable_broker_says_so_in_one_line(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    build(path)
    port = _closed_port()
    proc = qulaq("replay", str(path), check=False, env={"QULAQ_BUS": f"kafka://127.0.0.1:{port}"})
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    # the client's retries go to the log file, not the terminal
    assert len(lines) == 1, proc.stderr
    assert f"cannot reach Kafka at 127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in proc.stderr


def test_ctrl_c_keeps_the_broken_lines_read_and_says_how_far(home: Path, tmp_path: Path) -> None:
    from stream.replay import ReplayInterrupted, replay_file

    path = tmp_path / "day.jsonl"
    lines = [json.dumps({**_EVENT, "comment_id": str(i)}, ensure_ascii=False) for i in range(10)]
    lines.insert(3, "{broken")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = 0

    def ctrl_c_at_line_seven(_size: int) -> None:
        nonlocal seen
        seen += 1
        if seen == 7:
            raise KeyboardInterrupt

    settings = load_settings()
    with pytest.raises(ReplayInterrupted) as stopped:
        replay_file(settings, path, on_progress=ctrl_c_at_line_seven)
    counts = stopped.value.counts
    assert (stopped.value.line, counts.published, counts.quarantined) == (6, 5, 1)
    assert stats()["quarantined"] == 1  # counted, so kept


def test_a_line_that_names_a_field_twice_is_quarantined(home: Path, tmp_path: Path) -> None:
    """Which of the two texts is the comment? Neither is guessed: the line is kept
    in quarantine, as it was read, with the reason."""
    good = json.dumps(_EVENT, ensure_ascii=False)
    twice = good[:-1] + ', "text": "другой текст", "comment_id": "2"}'
    path = tmp_path / "twice.jsonl"
    path.write_text(f"{good}\n{twice}\n", encoding="utf-8")
    out = json.loads(qulaq("replay", str(path), "--json").stdout)
    assert (out["published"], out["quarantined"]) == (1, 1)
    qulaq("run", "--until-idle")
    assert (stats()["comments"], stats()["quarantined"]) == (1, 1)
    [kept] = snapshot()["quarantine"]
    assert kept["reason"] == 'duplicate key "text"'
    assert bytes(kept["raw"]) == twice.encode("utf-8")


def test_a_comment_dated_days_ahead_of_the_clock_is_quarantined(home: Path, tmp_path: Path) -> None:
    """A comment cannot be written in 2062: taken as the agency's newest time it would
    stall its detectors and move the dashboard's "now". It is kept with the reason."""
    good = json.dumps(_EVENT, ensure_ascii=False)
    wrong = json.dumps(
        {**_EVENT, "comment_id": "2", "created_at": "2062-03-19T12:00:00+05:00"},
        ensure_ascii=False,
    )
    path = tmp_path / "typo.jsonl"
    path.write_text(f"{good}\n{wrong}\n", encoding="utf-8")
    out = json.loads(qulaq("replay", str(path), "--json").stdout)
    assert (out["published"], out["quarantined"]) == (1, 1)
    qulaq("run", "--until-idle")
    [kept] = snapshot()["quarantine"]
    assert kept["reason"].startswith(
        "created_at is more than a day ahead of this machine's clock: 2062-03-19T07:00:00+00:00"
    )
    assert bytes(kept["raw"]) == wrong.encode("utf-8")


def test_the_score_stage_quarantines_a_time_ahead_of_the_clock_too() -> None:
    """Collectors publish straight onto the bus, past replay's check."""
    from datetime import UTC, datetime, timedelta

    from qulaq.pseudonym import Pseudonymiser
    from qulaq.registry import Registry
    from stream.bus import Message
    from stream.stages import ScoreStage

    class Nothing:
        model_version = "none"

        def analyze(self, texts: Sequence[str]) -> list[Any]:
            return [{} for _ in texts]

    stage = ScoreStage(Registry.load(), Pseudonymiser(b"k" * 16), Nothing())
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=20)
    later = soon + timedelta(days=3)
    messages = [
        Message("raw", 0, i, None, json.dumps({**_EVENT, "created_at": at.isoformat()}).encode())
        for i, at in enumerate((soon, later))
    ]
    scored, rejected = stage.process(messages)
    assert [s.event.created_at for s in scored] == [soon]
    [why] = [r.reason for r in rejected]
    assert why.startswith("created_at is more than a day ahead of this machine's clock: ")
    assert later.isoformat() in why


def _day(n: int) -> bytes:
    lines = [json.dumps({**_EVENT, "comment_id": str(i)}, ensure_ascii=False) for i in range(n)]
    return ("\n".join([*lines, "{broken"]) + "\n").encode("utf-8")


@pytest.mark.parametrize("name", ["day.jsonl", "day.jsonl.gz"])
def test_a_file_is_read_as_gzip_by_its_bytes_not_its_name(
    home: Path, tmp_path: Path, name: str
) -> None:
    """An export compressed without the .gz suffix is not a file of broken lines, and a
    plain file that someone named .gz is not an unreadable one."""
    import gzip

    plain = _day(5)
    data = gzip.compress(plain) if name == "day.jsonl" else plain
    path = tmp_path / name
    path.write_bytes(data)
    out = json.loads(qulaq("replay", str(path), "--json").stdout)
    assert (out["published"], out["quarantined"]) == (5, 1)


def test_a_compressed_pipe_is_replayed_and_named_by_its_path(home: Path, tmp_path: Path) -> None:
    """`qulaq replay <(cat day.jsonl.gz)`: the shell hands over a pipe, /dev/fd/63."""
    import gzip
    import os

    from tests.fifo import fed

    fifo = tmp_path / "63"
    os.mkfifo(fifo)
    with fed(fifo, gzip.compress(_day(3))):
        proc = qulaq("replay", str(fifo))
    assert proc.stdout.startswith(f"replayed {fifo}: 3 events published, 1 lines quarantined")


def test_progress_of_a_compressed_file_counts_its_own_bytes(home: Path, tmp_path: Path) -> None:
    """The bar's total is the file's size: its steps are compressed bytes, not the larger
    decompressed ones, so it ends at 100% and not far past it."""
    import gzip

    from stream.replay import replay_file

    path = tmp_path / "day.jsonl.gz"
    path.write_bytes(gzip.compress(_day(2000)))
    steps: list[int] = []
    replay_file(load_settings(), path, on_progress=steps.append)
    assert len(steps) == 2001
    assert sum(steps) == path.stat().st_size
