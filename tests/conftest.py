"""Shared fixtures: a fresh QULAQ_HOME per test, and the real Kafka and
PostgreSQL when they are there. With CI=true a missing broker or database
fails the test instead of skipping it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
KAFKA = os.environ.get("QULAQ_TEST_KAFKA", "127.0.0.1:9092")
PG_URL = os.environ.get("QULAQ_TEST_DATABASE_URL", "")


def _reachable(hostport: str) -> bool:
    host, _, port = hostport.partition(":")
    try:
        with socket.create_connection((host, int(port or 9092)), timeout=1):
            return True
    except OSError:
        return False


def _unavailable(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true but is not reachable")
    pytest.skip(f"{what} not reachable")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("QULAQ_HOME", str(h))
    for var in (
        "QULAQ_DATABASE_URL",
        "QULAQ_BUS",
        "QULAQ_KAFKA_PREFIX",
        "QULAQ_CONFIG",
        "QULAQ_LANG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return h


@pytest.fixture
def kafka(monkeypatch: pytest.MonkeyPatch, home: Path) -> str:
    """QULAQ_BUS pointing at the test broker, with a prefix of this test's own."""
    if not _reachable(KAFKA):
        _unavailable(f"Kafka at {KAFKA}")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("QULAQ_BUS", f"kafka://{KAFKA}")
    monkeypatch.setenv("QULAQ_KAFKA_PREFIX", prefix)
    return prefix


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[str]:
    """QULAQ_DATABASE_URL pointing at a schema of this test's own."""
    if not PG_URL:
        _unavailable("PostgreSQL (QULAQ_TEST_DATABASE_URL)")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
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


def qulaq(
    *args: str, check: bool = True, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "qulaq", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"qulaq {' '.join(args)} did not finish in {timeout} s\n{_log_tail(full_env)}"
        ) from exc
    if check and proc.returncode != 0:
        raise AssertionError(
            f"qulaq {' '.join(args)} exited {proc.returncode}\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-4000:]}\n{_log_tail(full_env)}"
        )
    return proc


def _log_tail(env: dict[str, str], lines: int = 40) -> str:
    """The end of QULAQ_HOME's log, to see why a command failed in CI."""
    home = env.get("QULAQ_HOME")
    if not home:
        return ""
    path = Path(home) / "logs" / "qulaq.log"
    try:
        tail = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return f"log ({path}):\n" + "\n".join(tail)
