"""Webhook receivers: bad signatures rejected, replays accepted and idempotent."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from collectors.facebook.webhook import FacebookFeed
from collectors.instagram.webhook import InstagramComments
from collectors.runtime.webhooks import WebhookHub, make_server
from collectors.vk.callback import VkCallback
from qulaq.config import load_settings
from stream.bus import RAW
from stream.embedded_bus import EmbeddedBus

SECRET = "app-secret"
NOW = int(time.time())


@pytest.fixture
def hub(home: Path) -> Iterator[tuple[str, WebhookHub]]:
    settings = load_settings()
    receivers = [
        FacebookFeed(SECRET, "verify-me"),
        InstagramComments(SECRET, "verify-me"),
        VkCallback("vk-secret", "a1b2c3"),
    ]
    hub = WebhookHub(settings, receivers)  # type: ignore[arg-type]
    server = make_server(hub, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hub
    server.shutdown()
    server.server_close()
    hub.close()


def raw_events() -> list[dict[str, Any]]:
    bus = EmbeddedBus(load_settings())
    topic = bus.topic(RAW)
    return [json.loads(m.value) for m in bus.log(topic).read(topic, 0, 100000)]


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={sig}", "Content-Type": "application/json"}


def feed(verb: str, comment_id: str = "222_333", message: str = "Где автобус?", **v: Any) -> bytes:
    value = {
        "item": "comment",
        "verb": verb,
        "comment_id": comment_id,
        "post_id": "111_222",
        "parent_id": "111_222",
        "created_time": NOW - 60,
        "message": message,
        "from": {"id": "42", "name": "Citizen"},
        **v,
    }
    entry = {"id": "111", "time": NOW, "changes": [{"field": "feed", "value": value}]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def test_meta_subscription_handshake(hub: tuple[str, WebhookHub]) -> None:
    url, _ = hub
    ok = httpx.get(
        f"{url}/facebook",
        params={"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "987"},
    )
    assert ok.status_code == 200 and ok.text == "987"
    bad = httpx.get(
        f"{url}/facebook",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "987"},
    )
    assert bad.status_code == 403


def test_facebook_feed_signatures_replays_edits_and_removals(hub: tuple[str, WebhookHub]) -> None:
    url, _ = hub
    body = feed("add")
    assert httpx.post(f"{url}/facebook", content=body).status_code == 403
    assert (
        httpx.post(f"{url}/facebook", content=body, headers=signed(body, "other")).status_code
        == 403
    )
    tampered = body.replace(b"42", b"43")
    assert httpx.post(f"{url}/facebook", content=tampered, headers=signed(body)).status_code == 403
    assert raw_events() == []

    for _ in range(3):  # the platform retries: stored once
        assert httpx.post(f"{url}/facebook", content=body, headers=signed(body)).status_code == 200
    assert [e["kind"] for e in raw_events()] == ["comment"]

    edited = feed("edited", message="Где автобус №12?")
    removed = feed("remove", message="")
    for b in (edited, edited, removed, removed):
        assert httpx.post(f"{url}/facebook", content=b, headers=signed(b)).status_code == 200
    events = raw_events()
    assert [e["kind"] for e in events] == ["comment", "edit", "delete"]
    assert events[0]["account"] == "111" and events[0]["post_id"] == "111_222"
    assert "parent_id" not in events[0]  # a top-level comment names the post as parent


def test_instagram_comments_webhook(hub: tuple[str, WebhookHub]) -> None:
    url, _ = hub
    value = {
        "from": {"id": "555", "username": "citizen"},
        "media": {"id": "1790001", "media_product_type": "FEED"},
        "id": "1780001",
        "text": "Когда откроют садик?",
    }
    entry = {
        "id": "17841400000000001",
        "time": NOW,
        "changes": [{"field": "comments", "value": value}],
    }
    body = json.dumps({"object": "instagram", "entry": [entry]}).encode()
    assert (
        httpx.post(f"{url}/instagram", content=body, headers=signed(body, "x")).status_code == 403
    )
    for _ in range(2):
        assert httpx.post(f"{url}/instagram", content=body, headers=signed(body)).status_code == 200
    events = raw_events()
    assert len(events) == 1 and events[0]["platform"] == "instagram"
    assert events[0]["account"] == "17841400000000001"


def test_vk_callback_confirmation_secret_and_replays(hub: tuple[str, WebhookHub]) -> None:
    url, _ = hub
    confirm = httpx.post(
        f"{url}/vk", json={"type": "confirmation", "group_id": 1, "secret": "vk-secret"}
    )
    assert confirm.text == "a1b2c3"
    event = {
        "type": "wall_reply_new",
        "group_id": 1,
        "event_id": "abc",
        "v": "5.199",
        "object": {
            "id": 77,
            "from_id": 9,
            "date": NOW,
            "text": "Свет отключили",
            "post_id": 5,
            "post_owner_id": -1,
            "owner_id": -1,
        },
    }
    assert httpx.post(f"{url}/vk", json={**event, "secret": "wrong"}).status_code == 403
    for _ in range(2):
        r = httpx.post(f"{url}/vk", json={**event, "secret": "vk-secret"})
        assert r.status_code == 200 and r.text == "ok"
    delete = {
        "type": "wall_reply_delete",
        "group_id": 1,
        "secret": "vk-secret",
        "object": {"owner_id": -1, "id": 77, "deleter_id": 1, "post_id": 5},
    }
    for _ in range(2):
        assert httpx.post(f"{url}/vk", json=delete).status_code == 200
    assert [e["kind"] for e in raw_events()] == ["comment", "delete"]


def test_serve_without_any_secret_is_a_user_error(home: Path) -> None:
    from tests.conftest import qulaq

    proc = qulaq("webhooks", "serve", "--port", "0", check=False)
    assert proc.returncode == 2 and "QULAQ_FB_APP_SECRET" in proc.stderr


def test_webhooks_serve_command(home: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "QULAQ_FB_APP_SECRET": SECRET, "QULAQ_FB_VERIFY_TOKEN": "v"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qulaq", "webhooks", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "facebook /facebook" in line
        url = line.split(" ")[2].rstrip(":")
        body = feed("add", comment_id="9_9")
        assert httpx.post(f"{url}/facebook", content=body, headers=signed(body)).status_code == 200
        assert httpx.post(f"{url}/facebook", content=body).status_code == 403
    finally:
        proc.terminate()
        proc.wait(10)
    assert [e["comment_id"] for e in raw_events()] == ["9_9"]
