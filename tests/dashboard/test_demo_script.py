"""`make demo`'s script: replay, run, summary, then the dashboard serving on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_script_ends_serving_the_dashboard(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "QULAQ_HOME": str(tmp_path / "demo-home"),
        "QULAQ_DEMO_PORT": str(port),
        "QULAQ_BIN": str(Path(sys.executable).parent),
        "QULAQ_LANG": "en",
    }
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["bash", str(REPO / "scripts" / "demo.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 600
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/_stcore/health"
                    with urllib.request.urlopen(url, timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert proc.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(1)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    text = log.read_text()
    assert "23752 events published" in text
    assert "Akimat of Almaty" in text  # the per-agency summary
    assert f"http://127.0.0.1:{port}" in text
    assert "serving read-only" in text
