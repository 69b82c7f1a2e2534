"""PostgreSQL restarted in the middle of a stream: the running stages ride out the
outage (the transaction in flight rolls back and is tried again) and the stored
state equals an uninterrupted run. The server is shared: the outage is kept to a
few seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REPO, _unavailable, qulaq
from tests.faults.compare import RAISED, STORED, differences, same_secret, snapshot
from tests.stream.test_crash import stored_count, write_stream

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SCRIPT = REPO / "scripts" / "postgres.sh"
OUTAGE_SECONDS = 3


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[str]:
    """A schema of this test's own, dropped through a connection made after the
    restart (the shared fixture's pooled one does not survive it)."""
    from sqlalchemy import create_engine, text

    if not PG_URL:
        _unavailable("PostgreSQL (QULAQ_TEST_DATABASE_URL)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, pool_pre_ping=True)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        _unavailable(f"PostgreSQL ({type(exc).__name__})")
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    monkeypatch.setenv("QULAQ_DATABASE_URL", url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def managed_server() -> None:
    status = subprocess.run(["bash", str(SCRIPT), "status"], capture_output=True, text=True)
    if status.returncode != 0 or "running" not in status.stdout:
        pytest.skip("the PostgreSQL server is not the one scripts/postgres.sh manages")


def restart_postgres() -> None:
    subprocess.run(["bash", str(SCRIPT), "stop"], check=True, capture_output=True, timeout=120)
    time.sleep(OUTAGE_SECONDS)
    subprocess.run(["bash", str(SCRIPT), "start"], check=True, capture_output=True, timeout=120)


def restart_mid_stream(total: int, extra_args: tuple[str, ...] = ()) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qulaq", "run", "--until-idle", *extra_args],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while stored_count() == 0 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            time.sleep(0.05)
        assert 0 < stored_count() < total, "the run finished before the restart; enlarge it"
        restart_postgres()
        code = proc.wait(600)
        err = proc.stderr.read().decode()  # type: ignore[union-attr]
        assert code == 0, err[-3000:]
        return err
    finally:
        if proc.poll() is None:
            proc.kill()


def reference(tmp_path: Path, stream: Path) -> dict[str, str]:
    ref = {
        "QULAQ_HOME": str(tmp_path / "reference-home"),
        "QULAQ_DATABASE_URL": "",
        "QULAQ_BUS": "embedded",
    }
    qulaq("replay", str(stream), env=ref)
    qulaq("run", "--until-idle", env=ref)
    return ref


def test_embedded_run_rides_out_a_postgres_restart(
    postgres: str, home: Path, tmp_path: Path
) -> None:
    managed_server()
    stream = tmp_path / "stream.jsonl"
    total = write_stream(stream, 30_000)
    same_secret(home, tmp_path / "reference-home")
    ref = reference(tmp_path, stream)
    qulaq("replay", str(stream))
    restart_mid_stream(total, ("--batch", "500"))
    got, expected = snapshot(None, STORED + RAISED), snapshot(ref, STORED + RAISED)
    assert not differences(got, expected), differences(got, expected)


@pytest.mark.kafka
def test_kafka_stages_ride_out_a_postgres_restart(
    kafka: str, postgres: str, home: Path, tmp_path: Path
) -> None:
    managed_server()
    stream = tmp_path / "stream.jsonl"
    total = write_stream(stream, 20_000)
    same_secret(home, tmp_path / "reference-home")
    ref = reference(tmp_path, stream)
    qulaq("replay", str(stream))
    restart_mid_stream(total)
    got, expected = snapshot(None, STORED + RAISED), snapshot(ref, STORED + RAISED)
    assert not differences(got, expected), differences(got, expected)
