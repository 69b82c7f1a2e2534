"""kill -9 mid-stream, then restart: nothing lost, nothing doubled.

Each test kills a real `qulaq run` process while it is part-way through a
replayed file, restarts it, and compares what is stored with the same file
processed without interruption in another QULAQ_HOME.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import comment_versions, comments, quarantine
from tests.conftest import REPO, qulaq
from tests.faults.compare import same_secret

VOLATILE = {
    "id",
    "stored_at",
    "updated_at",
    "first_run",
    "last_run",
    "row_version",
    "run",
    "received_at",
}


def write_stream(path: Path, n: int, seed: int = 5) -> int:
    """n comments with edits, deletes, duplicates and broken lines; returns
    the number of distinct comments."""
    rnd = random.Random(seed)
    t0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    lines: list[bytes] = []
    for i in range(n):
        ev = {
            "platform": rnd.choice(["vk", "instagram", "telegram"]),
            "account": f"acc{i % 9}",
            "comment_id": f"k{i}",
            "text": rnd.choice(
                [
                    "Суық! Жылу жоқ",
                    "Спасибо за дороги",
                    "Где автобус?",
                    "Otopleniye qashan beriledi?",
                ]
            )
            + f" {i}",
            "created_at": (t0 + timedelta(seconds=7 * i)).isoformat(),
            "author_id": f"u{rnd.randrange(400)}",
        }
        lines.append(orjson.dumps(ev))
        if i % 50 == 0:
            lines.append(
                orjson.dumps(
                    {
                        **ev,
                        "kind": "edit",
                        "text": ev["text"] + " (edit)",
                        "edited_at": (t0 + timedelta(seconds=7 * i + 60)).isoformat(),
                    }
                )
            )
        if i % 97 == 0:
            lines.append(orjson.dumps({**ev, "kind": "delete", "text": ""}))
        if i % 40 == 0:
            lines.append(lines[rnd.randrange(len(lines))])
        if i % 500 == 0:
            lines.append(b'{"broken": ' + str(i).encode())
    path.write_bytes(b"\n".join(lines) + b"\n")
    return n


def stored_count() -> int:
    db = Database.open(load_settings(), migrate=False)
    try:
        with db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(comments)).scalar_one())
    except Exception:
        return 0
    finally:
        db.dispose()


def content(env: dict[str, str] | None = None) -> dict[str, Any]:
    db = Database.open(load_settings({**os.environ, **(env or {})}))
    out: dict[str, Any] = {}
    with db.read() as conn:
        for table, order in (
            (comments, comments.c.comment_id),
            (comment_versions, comment_versions.c.text_hash),
            (quarantine, quarantine.c.origin),
        ):
            rows = conn.execute(select(table).order_by(order, *table.primary_key.columns))
            out[table.name] = sorted(
                (
                    tuple((k, v) for k, v in sorted(r.items()) if k not in VOLATILE)
                    for r in rows.mappings()
                ),
                key=repr,
            )
    db.dispose()
    return out


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qulaq", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux /proc)."""
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def kill_when_partly_done(
    proc: subprocess.Popen[bytes], total: int, *, timeout: float = 120, at_least: int = 1
) -> int:
    """SIGKILL `proc` once some but not all comments are stored; the processes it started
    must not outlive it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = stored_count()
        if n >= at_least:
            helpers = children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            assert n < total, "the run finished before it could be killed; enlarge the stream"
            # An orphaned scorer would hold its memory and a core until the machine restarts.
            gone = time.monotonic() + 60
            while any(alive(p) for p in helpers) and time.monotonic() < gone:
                time.sleep(0.2)
            assert not any(alive(p) for p in helpers), "a helper process outlived its runtime"
            return n
        if proc.poll() is not None:
            pytest.fail(f"run exited early: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        time.sleep(0.05)
    proc.kill()
    pytest.fail("no comment was stored in time")


def reference(tmp_path: Path, stream: Path) -> dict[str, Any]:
    """The same stream processed without interruption, embedded and SQLite."""
    ref = tmp_path / "reference-home"
    env = {
        "QULAQ_HOME": str(ref),
        "QULAQ_BUS": "embedded",
        "QULAQ_DATABASE_URL": f"sqlite:///{ref / 'qulaq.db'}",
    }
    qulaq("replay", str(stream), env=env)
    qulaq("run", "--until-idle", env=env)
    return content(env)


def replayed(home: Path, tmp_path: Path, n: int) -> tuple[int, dict[str, Any]]:
    """A stream of `n` comments replayed into this test's home, ready to be processed with
    interruptions; its comment count, and what one uninterrupted run stores of it."""
    stream = tmp_path / "stream.jsonl"
    total = write_stream(stream, n)
    same_secret(home, tmp_path / "reference-home")
    expected = reference(tmp_path, stream)
    qulaq("replay", str(stream))
    return total, expected


@pytest.mark.slow
def test_embedded_run_killed_mid_stream(home: Path, tmp_path: Path) -> None:
    total, expected = replayed(home, tmp_path, 30_000)
    for _ in range(2):  # two crashes at different points
        proc = start("run", "--until-idle", "--batch", "300")
        kill_when_partly_done(proc, total, at_least=stored_count() + 1)
    qulaq("run", "--until-idle")
    assert content() == expected


@pytest.mark.slow
@pytest.mark.kafka
@pytest.mark.parametrize("victim", ["score", "store"])
def test_kafka_stage_killed_mid_stream(kafka: str, home: Path, tmp_path: Path, victim: str) -> None:
    total, expected = replayed(home, tmp_path, 20_000)
    other = "store" if victim == "score" else "score"
    survivor = start("run", "--stage", other)
    try:
        proc = start("run", "--stage", victim)
        kill_when_partly_done(proc, total, timeout=180)
        qulaq("run", "--stage", victim, "--until-idle", timeout=600)
        if victim == "score":
            # the store stage drains what the restarted score stage produced
            qulaq("run", "--stage", "store", "--until-idle", timeout=600)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(60)
    qulaq("run", "--until-idle", timeout=600)
    assert content() == expected


@pytest.mark.slow
@pytest.mark.kafka
def test_kafka_run_killed_mid_stream(kafka: str, home: Path, tmp_path: Path) -> None:
    """`qulaq run` on Kafka keeps each stage in a process of its own: killing the runtime
    must stop them all (none may go on consuming as an orphan), and a new run must store
    every comment once."""
    total, expected = replayed(home, tmp_path, 20_000)
    proc = start("run", "--until-idle")
    kill_when_partly_done(proc, total, timeout=180)
    qulaq("run", "--until-idle", timeout=600)
    assert content() == expected


@pytest.mark.slow
@pytest.mark.kafka
def test_kafka_broker_restart_mid_stream(kafka: str, home: Path, tmp_path: Path) -> None:
    script = REPO / "scripts" / "kafka.sh"
    status = subprocess.run(["bash", str(script), "status"], capture_output=True, text=True)
    if status.returncode != 0:
        pytest.skip("the broker is not the one scripts/kafka.sh manages")
    total, expected = replayed(home, tmp_path, 20_000)
    proc = start("run", "--until-idle")
    try:
        deadline = time.monotonic() + 180
        while stored_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0 < stored_count() < total
        subprocess.run(["bash", str(script), "stop"], check=True, capture_output=True, timeout=120)
        time.sleep(2)
        subprocess.run(["bash", str(script), "start"], check=True, capture_output=True, timeout=300)
        assert proc.wait(600) == 0, proc.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
    qulaq("run", "--until-idle", timeout=600)
    assert content() == expected


def _stage_processes(parent: int) -> list[int]:
    """The stage processes `qulaq run` spawned, in the order it started them."""
    cmdlines = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children(parent)}
    return sorted(
        pid
        for pid, cmdline in cmdlines.items()
        if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline
    )


@pytest.mark.slow
@pytest.mark.kafka
def test_a_hung_kafka_stage_is_restarted(kafka: str, home: Path, tmp_path: Path) -> None:
    """A stage that stops moving (here: SIGSTOP) with input waiting is killed and
    started again, and the run ends with everything stored once."""
    total, expected = replayed(home, tmp_path, 20_000)
    proc = start("run", "--until-idle", env={"QULAQ_STALL_SECONDS": "30"})
    try:
        deadline = time.monotonic() + 180
        while stored_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0 < stored_count() < total
        score = _stage_processes(proc.pid)[0]  # started first
        os.kill(score, signal.SIGSTOP)
        assert proc.wait(400) == 0, proc.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
    log = (home / "logs" / "qulaq.log").read_text()
    assert "stage score has not moved" in log
    assert content() == expected


def kill_while_starting(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL `proc` as soon as it has spawned its helpers, while they are still loading
    (seconds before any can look up its parent); they must all end within a minute."""
    deadline = time.monotonic() + 60
    while not _stage_processes(proc.pid):
        if proc.poll() is not None:
            pytest.fail(f"run exited early: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "no helper process was started"
        time.sleep(0.01)
    time.sleep(0.3)  # the runtime starts its helpers one after another
    helpers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    gone = time.monotonic() + 60
    while any(alive(p) for p in helpers) and time.monotonic() < gone:
        time.sleep(0.2)
    left = [p for p in helpers if alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, "a helper process outlived its runtime, killed before the helper looked"


@pytest.mark.slow
@pytest.mark.kafka
def test_kafka_run_killed_while_its_stages_start(kafka: str, home: Path) -> None:
    kill_while_starting(start("run"))


@pytest.mark.slow
def test_embedded_run_killed_while_its_scorer_starts(home: Path) -> None:
    kill_while_starting(start("run", env={"QULAQ_EMBEDDED_SCORE_PROCESS": "1"}))
