"""Webhook hardening: body limits before the body is read, an optional per-address rate
limit that a retrying platform gets through, refused deliveries logged, secrets compared
in constant time whatever they hold."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from collectors.facebook.webhook import FacebookFeed
from collectors.instagram.webhook import InstagramComments
from collectors.runtime.webhooks import Limits, RateLimiter, WebhookHub, make_server
from collectors.vk.callback import VkCallback
from qulaq.config import load_settings
from qulaq.errors import UserError
from tests.collectors.test_webhooks import SECRET, feed, raw_events, signed


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def start(hub: WebhookHub) -> tuple[str, object]:
    server = make_server(hub, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture
def serve(home: Path) -> Iterator[object]:
    """serve(limits, vk_secret=…) -> base URL; servers stopped at the end."""
    running: list[tuple[object, WebhookHub]] = []

    def _serve(limits: Limits | None = None, vk_secret: str | None = "vk-secret") -> str:
        receivers = [
            FacebookFeed(SECRET, "verify-me"),
            InstagramComments(SECRET, "verify-me"),
            VkCallback(vk_secret, "a1b2c3"),
        ]
        hub = WebhookHub(load_settings(), receivers, limits)  # type: ignore[arg-type]
        url, server = start(hub)
        running.append((server, hub))
        return url

    _serve.hubs = running  # type: ignore[attr-defined]
    yield _serve
    for server, hub in running:
        server.shutdown()  # type: ignore[attr-defined]
        server.server_close()  # type: ignore[attr-defined]
        hub.close()


def raw_request(url: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes as they are; the status and body of the answer. Fails if the server
    waits for more (a body it should not read)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_a_body_over_the_limit_is_refused_unread(serve: object) -> None:
    url = serve(Limits(max_bytes=2000))  # type: ignore[operator]
    # 10 GB announced, nothing sent: answered at once, so the body was never waited for
    status, reason = raw_request(
        url, "POST /facebook HTTP/1.1\nHost: x\nContent-Length: 10000000000\n"
    )
    assert status == 413 and reason == b"body larger than 2000 bytes"

    body = feed("add", message="x" * 3000)
    r = httpx.post(f"{url}/facebook", content=body, headers=signed(body))
    assert r.status_code == 413
    assert raw_events() == []

    small = feed("add", message="y" * (2000 - len(feed("add", message=""))))
    assert len(small) <= 2000
    assert httpx.post(f"{url}/facebook", content=small, headers=signed(small)).status_code == 200
    assert len(raw_events()) == 1


def test_missing_or_invalid_content_length(serve: object) -> None:
    url = serve()  # type: ignore[operator]
    cases = {
        "POST /facebook HTTP/1.1\nHost: x\n": 411,
        "POST /facebook HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n": 411,
        "POST /facebook HTTP/1.1\nHost: x\nContent-Length: lots\n": 400,
        "POST /facebook HTTP/1.1\nHost: x\nContent-Length: -5\n": 400,
        "POST /facebook HTTP/1.1\nHost: x\nContent-Length: 5\nContent-Length: 7\n": 400,
    }
    for head, expected in cases.items():
        status, reason = raw_request(url, head)
        assert status == expected, head
        assert b"\n" not in reason and reason  # one line that says why
    assert raw_events() == []


def test_the_default_limit_is_generous_and_from_the_settings(home: Path) -> None:
    assert Limits.from_settings(load_settings()) == Limits(1 << 20, 0.0, 30.0)
    home.mkdir(parents=True, exist_ok=True)
    (home / "qulaq.toml").write_text(
        "[collectors]\nwebhook_max_bytes = 4096\nwebhook_rate_per_minute = 120\n"
    )
    assert Limits.from_settings(load_settings()) == Limits(4096, 120.0, 30.0)
    (home / "qulaq.toml").write_text('[collectors]\nwebhook_max_bytes = "lots"\n')
    with pytest.raises(UserError, match="webhook_max_bytes"):
        Limits.from_settings(load_settings())
    (home / "qulaq.toml").write_text("[collectors]\nwebhook_read_timeout = 0\n")
    with pytest.raises(UserError, match="webhook_read_timeout"):
        Limits.from_settings(load_settings())


def test_rate_limiter_refills_and_says_when_to_come_back() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # one every 10 s, bursts of 6
    assert [limiter.check("a") for _ in range(6)] == [0.0] * 6
    assert limiter.check("a") == pytest.approx(10.0)
    assert limiter.check("b") == 0.0  # another address has its own bucket
    clock.now += 10
    assert limiter.check("a") == 0.0
    assert limiter.check("a") > 0
    assert RateLimiter(0).check("a") == 0.0  # off


def test_rate_limited_deliveries_are_stored_once_the_platform_retries(serve: object) -> None:
    url = serve(Limits(rate_per_minute=5))  # type: ignore[operator]
    hub: WebhookHub = serve.hubs[-1][1]  # type: ignore[attr-defined]
    clock = Clock()
    hub.rate = RateLimiter(5, clock=clock)
    limited = 0
    for i in range(20):  # a platform: retries what was not answered 200, after Retry-After
        body = feed("add", comment_id=f"1_{i}", message=f"комментарий {i}")
        while True:
            r = httpx.post(f"{url}/facebook", content=body, headers=signed(body))
            if r.status_code == 200:
                break
            assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
            limited += 1
            clock.now += int(r.headers["Retry-After"])
    assert limited > 0
    assert sorted(e["comment_id"] for e in raw_events()) == sorted(f"1_{i}" for i in range(20))


def test_every_valid_delivery_of_a_burst_is_stored(serve: object) -> None:
    url = serve()  # type: ignore[operator]
    bodies = [feed("add", comment_id=f"2_{i}", message=f"текст {i}") for i in range(120)]

    def post(body: bytes) -> int:
        # the hub handles deliveries one after another: a request waits for those ahead of it
        return httpx.post(
            f"{url}/facebook", content=body, headers=signed(body), timeout=60
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, bodies))
    assert statuses == [200] * len(bodies)
    assert len({e["comment_id"] for e in raw_events()}) == len(bodies)


def test_a_bad_signature_is_refused_and_logged(
    serve: object, caplog: pytest.LogCaptureFixture
) -> None:
    url = serve()  # type: ignore[operator]
    body = feed("add")
    with caplog.at_level(logging.WARNING, logger="collectors.runtime.webhooks"):
        r = httpx.post(f"{url}/facebook", content=body, headers=signed(body, "forged"))
    assert r.status_code == 403
    refused = [m for m in caplog.messages if "refused a delivery" in m]
    assert len(refused) == 1 and "facebook" in refused[0] and "127.0.0.1" in refused[0]
    assert "bad signature" in refused[0] and SECRET not in refused[0]
    assert raw_events() == []


def test_secrets_outside_ascii_are_refused_not_crashed(serve: object) -> None:
    url = serve()  # type: ignore[operator]
    body = feed("add")
    head = (
        "POST /facebook HTTP/1.1\nHost: x\nContent-Type: application/json\n"
        f"X-Hub-Signature-256: sha256=\xe9\xe9\nContent-Length: {len(body)}\n"
    )
    status, _ = raw_request(url, head, body)
    assert status == 403
    event = {"type": "wall_reply_new", "group_id": 1, "secret": "секрет", "object": {}}
    assert httpx.post(f"{url}/vk", json=event).status_code == 403
    handshake = {"hub.mode": "subscribe", "hub.verify_token": "тест", "hub.challenge": "1"}
    assert httpx.get(f"{url}/facebook", params=handshake).status_code == 403


def test_vk_without_a_secret_answers_the_confirmation_only(serve: object) -> None:
    url = serve(vk_secret=None)  # type: ignore[operator]
    confirm = httpx.post(f"{url}/vk", json={"type": "confirmation", "group_id": 1})
    assert confirm.status_code == 200 and confirm.text == "a1b2c3"
    event = {
        "type": "wall_reply_new",
        "group_id": 1,
        "object": {"id": 1, "from_id": 9, "date": 1, "text": "x", "post_id": 5, "owner_id": -1},
    }
    assert httpx.post(f"{url}/vk", json=event).status_code == 403
    assert raw_events() == []


def test_served_webhooks_log_refusals_and_never_the_tokens(home: Path) -> None:
    verify = "verify-Zq81-distinct"
    env = {**os.environ, "QULAQ_FB_APP_SECRET": SECRET + "-Xy7", "QULAQ_FB_VERIFY_TOKEN": verify}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qulaq", "webhooks", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" ")[2].rstrip(":")
        params = {"hub.mode": "subscribe", "hub.verify_token": verify, "hub.challenge": "5"}
        assert httpx.get(f"{url}/facebook", params=params).text == "5"
        body = json.dumps({"object": "page", "entry": []}).encode()
        assert httpx.post(f"{url}/facebook", content=body, headers=signed(body)).status_code == 403
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    logged = (home / "logs" / "qulaq.log").read_text()
    assert "refused a delivery" in logged and "bad signature" in logged
    assert "GET /facebook" in logged  # requests are logged, their query is not
    for text in (logged, out, err):
        assert verify not in text and SECRET + "-Xy7" not in text
