"""`qulaq dashboard` on a port that is taken: the usual one-line error, exit 2."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import qulaq


def test_a_port_in_use_is_a_user_error(home: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = qulaq("dashboard", "--port", str(port), check=False, env={"QULAQ_BUS": "embedded"})
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines == [f"qulaq: error: cannot listen on 127.0.0.1:{port}: Address already in use"]
