"""Servers on loopback that stand in for the outside world in tests: a real
SMTP server (aiosmtpd), a Telegram Bot API stand-in, and a webhook receiver
that verifies Qulaq's HMAC signature."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from playbooks.channels.webhook import verify_signature

TOKEN = "123456:TEST-token"
SECRET = "webhook-test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _MailHandler:
    def __init__(self, box: list[Message]) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, smtp_state: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if "@" not in address:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, smtp_state: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        msg["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.box.append(msg)
        return "250 OK"


@dataclass
class Telegram:
    sent: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def press(self, user_id: str, data: str) -> None:
        with self.lock:
            uid = len(self.updates) + 1000
            self.updates.append(
                {
                    "update_id": uid,
                    "callback_query": {
                        "id": f"cb{uid}",
                        "from": {"id": int(user_id)},
                        "data": data,
                        "message": {"chat": {"id": int(user_id)}},
                    },
                }
            )

    def write(self, user_id: str, text: str) -> None:
        with self.lock:
            uid = len(self.updates) + 1000
            self.updates.append(
                {
                    "update_id": uid,
                    "message": {
                        "message_id": uid,
                        "from": {"id": int(user_id)},
                        "chat": {"id": int(user_id)},
                        "text": text,
                    },
                }
            )


@dataclass
class Webhook:
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0
    fail_next: int = 0


@dataclass
class Standins:
    smtp_port: int
    telegram_url: str
    webhook_url: str
    mail: list[Message]
    telegram: Telegram
    webhook: Webhook


def _telegram_handler(state: Telegram) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            params = json.loads(self.rfile.read(length) or b"{}")
            prefix = f"/bot{TOKEN}/"
            if not self.path.startswith(prefix):
                self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            method = self.path[len(prefix) :]
            with state.lock:
                if state.fail_next > 0:
                    state.fail_next -= 1
                    self._reply(
                        429,
                        {"ok": False, "error_code": 429, "parameters": {"retry_after": 1}},
                    )
                    return
                if method == "sendMessage":
                    state.sent.append(params)
                    self._reply(200, {"ok": True, "result": {"message_id": len(state.sent)}})
                elif method == "getUpdates":
                    offset = params.get("offset")
                    state.offsets.append(offset)
                    ups = [u for u in state.updates if offset is None or u["update_id"] >= offset]
                    self._reply(200, {"ok": True, "result": ups})
                elif method == "answerCallbackQuery":
                    state.answers.append(params)
                    self._reply(200, {"ok": True, "result": True})
                else:
                    self._reply(404, {"ok": False, "description": "Not Found"})

    return H


def _webhook_handler(state: Webhook) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = verify_signature(
                SECRET,
                self.headers.get("X-Qulaq-Timestamp", ""),
                body,
                self.headers.get("X-Qulaq-Signature", ""),
            )
            if state.fail_next > 0:
                state.fail_next -= 1
                self.send_response(503)
                self.end_headers()
                return
            if not ok:
                state.rejected += 1
                self.send_response(401)
                self.end_headers()
                return
            state.received.append(
                {"key": self.headers.get("X-Qulaq-Delivery"), "body": json.loads(body)}
            )
            self.send_response(204)
            self.end_headers()

    return H


@contextmanager
def running() -> Iterator[Standins]:
    mail: list[Message] = []
    smtp_port = free_port()
    controller = Controller(
        _MailHandler(mail), hostname="127.0.0.1", port=smtp_port, ready_timeout=60
    )
    controller.start()
    tg = Telegram()
    hook = Webhook()
    servers = [
        ThreadingHTTPServer(("127.0.0.1", 0), _telegram_handler(tg)),
        ThreadingHTTPServer(("127.0.0.1", 0), _webhook_handler(hook)),
    ]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    try:
        yield Standins(
            smtp_port=smtp_port,
            telegram_url=f"http://127.0.0.1:{servers[0].server_address[1]}",
            webhook_url=f"http://127.0.0.1:{servers[1].server_address[1]}/hook",
            mail=mail,
            telegram=tg,
            webhook=hook,
        )
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
        controller.stop()


def config_toml(s: Standins, *, extra: str = "") -> str:
    """A deployment's config: two people on call, every channel on loopback."""
    return f"""
[channels.telegram]
base_url = "{s.telegram_url}"

[channels.email]
host = "127.0.0.1"
port = {s.smtp_port}
sender = "qulaq@test.kz"

[channels.limits]
per_hour = 100

[oncall.people.dana]
name = "Дана"
lang = "ru"
telegram = "1001"
email = "dana@test.kz"
webhook = "{s.webhook_url}"

[oncall.people.aigerim]
name = "Айгерім"
lang = "kk"
telegram = "1002"
email = "aigerim@test.kz"
webhook = "{s.webhook_url}"

[oncall.roles]
duty_officer = ["dana"]
press_secretary = ["dana"]
smm_manager = ["dana"]
head_of_press = ["aigerim"]
deputy_head = ["aigerim"]

[oncall]
fallback = ["dana"]
{extra}
"""
