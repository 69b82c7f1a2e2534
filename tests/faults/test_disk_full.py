"""A full disk under QULAQ_HOME: appends to the embedded log and SQLite writes
fail with one line, nothing already acknowledged is lost, and work resumes once
there is space — by running the command again, or by itself for a live
`qulaq run`. The disk is a small tmpfs mounted for the test (root only)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qulaq.config import load_settings
from stream.bus import RAW
from stream.embedded_bus import EmbeddedBus
from tests.conftest import qulaq
from tests.faults.compare import STORED, differences, same_secret, snapshot
from tests.stream.test_crash import write_stream

pytestmark = pytest.mark.slow
EVENTS = 8000


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB file system of its own."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m,mode=0755", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Take all the space of `disk` but `leave` bytes; deleting the file frees it."""
    ballast = disk / "ballast"
    st = os.statvfs(disk)
    size = max(0, st.f_bavail * st.f_frsize - leave)
    with ballast.open("wb") as fh:
        chunk = b"\0" * (1 << 20)
        while size > 0:
            n = fh.write(chunk[: min(size, len(chunk))])
            size -= n
    return ballast


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 75, (proc.returncode, proc.stderr[-3000:])
    assert proc.stderr.count("\n") == 1, proc.stderr[-3000:]
    assert "no space left" in proc.stderr, proc.stderr
    return proc.stderr


def log_values(env: dict[str, str]) -> list[bytes]:
    bus = EmbeddedBus(load_settings(env))
    topic = bus.topic(RAW)
    return [m.value for m in bus.log(topic).read(topic, 0, 10_000_000)]


def reference(tmp_path: Path, stream: Path) -> dict[str, str]:
    ref = {"QULAQ_HOME": str(tmp_path / "reference-home")}
    qulaq("replay", str(stream), env=ref)
    qulaq("run", "--until-idle", env=ref)
    return ref


def test_replay_and_run_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    env = {"QULAQ_HOME": str(home)}
    same_secret(home, tmp_path / "reference-home")
    stream = tmp_path / "stream.jsonl"
    write_stream(stream, EVENTS)
    ref = reference(tmp_path, stream)
    qulaq("stats", "--json", env=env)  # the schema, before the disk fills

    ballast = fill(small_disk, 1800 << 10)
    one_line_error(qulaq("replay", str(stream), env=env, check=False))
    # what the log acknowledged is whole and in order: the file's first valid lines
    acknowledged = log_values(env)
    assert 0 < len(acknowledged) < len(log_values(ref))
    assert acknowledged == log_values(ref)[: len(acknowledged)]

    run = qulaq("run", "--until-idle", env=env, check=False)
    if run.returncode != 0:  # the database filled up too
        one_line_error(run)

    ballast.unlink()
    qulaq("replay", str(stream), env=env)  # the whole file again: duplicates are absorbed
    qulaq("run", "--until-idle", env=env)
    got, expected = snapshot(env, STORED), snapshot(ref, STORED)
    assert not differences(got, expected), differences(got, expected)


def test_a_live_run_waits_for_space(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    env = {**os.environ, "QULAQ_HOME": str(home)}
    same_secret(home, tmp_path / "reference-home")
    stream = tmp_path / "stream.jsonl"
    write_stream(stream, EVENTS)
    ref = reference(tmp_path, stream)
    qulaq("replay", str(stream), env=env)

    ballast = fill(small_disk, 1 << 20)
    errors = tmp_path / "run.stderr"
    with errors.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qulaq", "run"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
    try:
        deadline = time.monotonic() + 180
        while "no space left" not in errors.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, errors.read_text()[-3000:]
            time.sleep(0.2)
        assert "no space left" in errors.read_text(), "the disk never filled"
        time.sleep(2)
        assert proc.poll() is None, errors.read_text()[-3000:]

        ballast.unlink()
        expected = json.loads(qulaq("stats", "--json", env=ref).stdout)["comments"]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            stats = json.loads(qulaq("stats", "--json", env=env).stdout)
            if stats["comments"] == expected:
                break
            assert proc.poll() is None, errors.read_text()[-3000:]
            time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0, errors.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in errors.read_text()
    got, expected_rows = snapshot(env, STORED), snapshot(ref, STORED)
    assert not differences(got, expected_rows), differences(got, expected_rows)


def test_a_collector_pass_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    from tests.faults.compare import COLLECTED
    from tests.faults.worlds import vk_world

    world = vk_world()
    home = small_disk / "home"
    env = {**world.env, "QULAQ_HOME": str(home)}
    ref = {**world.env, "QULAQ_HOME": str(tmp_path / "reference-home")}
    same_secret(home, ref["QULAQ_HOME"])
    qulaq("stats", "--json", env=env)
    with world.serving(world.standin) as base:
        collect = ["collect", "vk", *world.args, "--once", "--rps", "1000", "--api-base", base]
        qulaq(*collect, env=ref)
        ballast = fill(small_disk, 200 << 10)
        one_line_error(qulaq(*collect, env=env, check=False))
        ballast.unlink()
        qulaq(*collect, env=env)
    qulaq("run", "--until-idle", env=ref)
    qulaq("run", "--until-idle", env=env)
    got, expected = snapshot(env, STORED + COLLECTED), snapshot(ref, STORED + COLLECTED)
    assert not differences(got, expected), differences(got, expected)
