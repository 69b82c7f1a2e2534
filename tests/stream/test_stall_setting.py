"""The hung-stage watchdog's setting: a bad value stops `qulaq run` in one line,
before any stage process starts or the broker is asked anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import qulaq


@pytest.mark.parametrize("value", ["abc", "0", "-5", "inf", "nan"])
def test_a_bad_stall_setting_is_one_line(tmp_path: Path, value: str) -> None:
    env = {
        "QULAQ_HOME": str(tmp_path / "home"),
        "QULAQ_BUS": "kafka://127.0.0.1:9",  # nothing listens: it must not be reached
        "QULAQ_STALL_SECONDS": value,
    }
    proc = qulaq("run", "--until-idle", check=False, env=env, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "QULAQ_STALL_SECONDS" in lines[0] and repr(value) in lines[0]
    assert "Traceback" not in proc.stderr
