"""kill -9 of each collector in the middle of a pass, then the next pass: nothing
lost (every comment the platform shows is stored), nothing doubled (the stored
state equals that of one uninterrupted pass), no human step in between.

The collector publishes a batch, then records it in its seen-set and moves its
checkpoint; a kill between the two re-publishes that batch on the next pass and
the store absorbs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qulaq.config import load_settings
from stream.bus import RAW
from stream.embedded_bus import EmbeddedBus
from tests.conftest import REPO, qulaq
from tests.faults.compare import COLLECTED, STORED, differences, same_secret, snapshot
from tests.faults.worlds import WORLDS

pytestmark = pytest.mark.slow


def raw_end(env: dict[str, str] | None = None) -> int:
    bus = EmbeddedBus(load_settings({**os.environ, **(env or {})}))
    return bus.log(bus.topic(RAW)).end()


def kill_after_first_batch(proc: subprocess.Popen[bytes], timeout: float = 120) -> int:
    """SIGKILL `proc` once it has published something and before it has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        end = raw_end()
        if end > 0:
            assert proc.poll() is None, "the pass finished before it could be killed; slow it down"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            return end
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            pytest.fail(f"the collector exited before publishing: {err[-2000:]}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the collector published nothing in time")


def stored_comments(env: dict[str, str] | None = None) -> int:
    out = qulaq("stats", "--json", env=env)
    return int(json.loads(out.stdout)["comments"])


@pytest.mark.parametrize("platform", sorted(WORLDS))
def test_collector_killed_mid_pass(platform: str, home: Path, tmp_path: Path) -> None:
    world = WORLDS[platform]()
    ref = {"QULAQ_HOME": str(tmp_path / "reference-home")}
    same_secret(home, ref["QULAQ_HOME"])
    with world.serving(world.standin) as base:
        collect = ["collect", platform, *world.args, "--once", "--api-base", base]
        qulaq(*collect, "--rps", "1000", env={**world.env, **ref})

        proc = subprocess.Popen(
            [sys.executable, "-m", "qulaq", *collect, "--rps", str(world.rps)],
            env={**os.environ, **world.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        published = kill_after_first_batch(proc)
        assert 0 < published < raw_end(ref)

        qulaq(*collect, "--rps", "1000", env=world.env)  # the next pass, as scheduled

    qulaq("run", "--until-idle", env=ref)
    qulaq("run", "--until-idle")
    assert stored_comments() == world.expected_comments()
    got, expected = snapshot(None, STORED + COLLECTED), snapshot(ref, STORED + COLLECTED)
    assert not differences(got, expected), differences(got, expected)
    health = json.loads(qulaq("collectors", "status", "--json").stdout)
    assert [(h["platform"], h["status"]) for h in health] == [(platform, "ok")]


def test_telegram_collector_killed_mid_pass(home: Path, tmp_path: Path) -> None:
    """Telegram speaks MTProto, not HTTP: the same runtime drives the channel
    collector over a fake of the Telethon surface, in its own process."""
    ref = {"QULAQ_HOME": str(tmp_path / "reference-home")}
    same_secret(home, ref["QULAQ_HOME"])
    one_pass = [sys.executable, "-m", "tests.faults.telegram_pass"]
    subprocess.run(one_pass, env={**os.environ, **ref}, cwd=REPO, check=True, capture_output=True)

    proc = subprocess.Popen(
        [*one_pass, "20"],
        env=dict(os.environ),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    published = kill_after_first_batch(proc)
    assert 0 < published < raw_end(ref)
    subprocess.run(one_pass, env=dict(os.environ), cwd=REPO, check=True, capture_output=True)

    qulaq("run", "--until-idle", env=ref)
    qulaq("run", "--until-idle")
    from tests.faults.telegram_pass import PER_POST, POSTS

    assert stored_comments() == POSTS * PER_POST
    got, expected = snapshot(None, STORED + COLLECTED), snapshot(ref, STORED + COLLECTED)
    assert not differences(got, expected), differences(got, expected)
