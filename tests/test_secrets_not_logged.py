"""Secrets never reach a log file, stdout or stderr: platform tokens given as
`QULAQ_<NAME>`, dashboard passwords, the database password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from qulaq.errors import UserError
from qulaq.storage.database import Database
from tests.conftest import qulaq

SECRET = "Zx9-SECRET-qy7w"  # distinctive: found only if it leaked


class _Refusing(BaseHTTPRequestHandler):
    """Every platform's answer to a bad token; remembers what it was sent."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.seen.append(f"{self.path} {' '.join(self.headers.values())} {sent}")
        path = self.path
        body: dict[str, object]
        if path.startswith("/method/"):  # VK: errors come with status 200
            status, body = 200, {"error": {"error_code": 5, "error_msg": "invalid access_token"}}
        elif path.startswith("/2/"):  # X
            status, body = 401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}
        elif "youtube" in path or "commentThreads" in path or "channels" in path:
            status = 400
            body = {"error": {"code": 400, "message": "API key not valid.",
                              "errors": [{"reason": "keyInvalid"}]}}  # fmt: skip
        else:  # the Graph API
            status = 400
            body = {"error": {"message": "Invalid OAuth access token.",
                              "type": "OAuthException", "code": 190}}  # fmt: skip
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def refusing() -> Iterator[str]:
    _Refusing.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _leaks(home: Path, *outputs: str) -> list[str]:
    found = [f"output {i}" for i, out in enumerate(outputs) if SECRET in out]
    for path in home.rglob("*"):
        if path.is_file() and path.name != "secrets.toml" and SECRET.encode() in path.read_bytes():
            found.append(str(path.relative_to(home)))
    return found


def test_platform_tokens_are_never_logged(home: Path, refusing: str) -> None:
    runs = {
        "vk": (["--owner", "-1"], "QULAQ_VK_TOKEN"),
        "facebook": (["--page", "1"], "QULAQ_FB_TOKEN"),
        "x": (["--user", "akimat"], "QULAQ_X_BEARER_TOKEN"),
        "youtube": (["--channel", "UC0000000000000000000000"], "QULAQ_YOUTUBE_KEY"),
    }

    def collect(platform: str) -> subprocess.CompletedProcess[str]:
        args, env = runs[platform]
        return qulaq(
            "-v", "collect", platform, *args, "--once", "--api-base", refusing,
            check=False, timeout=120, env={env: SECRET + platform},
        )  # fmt: skip

    with ThreadPoolExecutor(len(runs)) as pool:
        procs = dict(zip(runs, pool.map(collect, runs), strict=True))
    for platform, proc in procs.items():
        assert proc.returncode != 0, platform  # the token was refused…
        assert len(proc.stderr.strip().splitlines()[-1]) < 400
        assert any(SECRET + platform in s for s in _Refusing.seen), platform  # …after use
    outputs = [p.stdout + p.stderr for p in procs.values()]
    assert _leaks(home, *outputs) == []


def test_dashboard_passwords_are_never_logged(home: Path) -> None:
    env = {"QULAQ_USER_PASSWORD": SECRET + "-pw"}
    outs = [qulaq("-v", "users", "add", "officer", "--role", "admin", "--agency", "*", env=env)]
    outs.append(qulaq("-v", "users", "passwd", "officer", env={"QULAQ_USER_PASSWORD": SECRET}))
    outs.append(qulaq("-v", "users", "list"))
    proc = subprocess.run(
        [sys.executable, "-m", "qulaq", "-v", "users", "add", "x", "--role", "nobody"],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    outs.append(proc)
    assert _leaks(home, *(p.stdout + p.stderr for p in outs)) == []


def test_the_database_password_is_masked(home: Path) -> None:
    url = f"postgresql+psycopg://qulaq:{SECRET}@127.0.0.1:9/qulaq?connect_timeout=2"
    db = Database(url)
    assert SECRET not in db.safe_url and "***" in db.safe_url
    with pytest.raises(UserError) as caught:
        db.migrate()
    assert SECRET not in str(caught.value)
    db.dispose()
    proc = qulaq("-v", "stats", "--json", check=False, env={"QULAQ_DATABASE_URL": url})
    assert proc.returncode != 0 and proc.stdout == ""
    assert "127.0.0.1" in proc.stderr  # it says where, without the password
    assert _leaks(home, proc.stdout, proc.stderr) == []
