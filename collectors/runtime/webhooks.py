"""`qulaq webhooks serve`: one HTTP server for the platforms that push events.

Each platform brings a `Receiver` (`collectors/facebook/webhook.py`,
`collectors/instagram/webhook.py`, `collectors/vk/callback.py`) that checks
the delivery's signature and turns it into items per account; the server
passes them through the same runtime path as a pass (`Runner.ingest`), so a
replayed delivery publishes nothing new. The answer goes back only once the
items are durable on the bus, so a platform that sees an error retries.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from collectors.runtime.plugin import Collector, Item
from collectors.runtime.runner import Runner
from qulaq.config import Settings
from qulaq.errors import UserError
from qulaq.i18n import t

log = logging.getLogger(__name__)
MAX_BODY = 4 << 20


@dataclass
class Delivery:
    status: int
    reply: bytes = b"ok"
    items: dict[str, list[Item]] = field(default_factory=dict)
    content_type: str = "text/plain; charset=utf-8"


class Receiver(Protocol):
    platform: str
    path: str

    def handshake(self, query: dict[str, str]) -> Delivery:
        """A GET on the path (Meta's subscription check)."""
        ...

    def receive(self, headers: dict[str, str], body: bytes) -> Delivery: ...


def meta_signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


def meta_handshake(verify_token: str | None, query: dict[str, str]) -> Delivery:
    if (
        verify_token
        and query.get("hub.mode") == "subscribe"
        and hmac.compare_digest(query.get("hub.verify_token", ""), verify_token)
    ):
        return Delivery(200, query.get("hub.challenge", "").encode("utf-8"))
    return Delivery(403, b"verification failed")


class _Passive(Collector):
    """An account that only receives: its passes bring nothing, webhooks do."""

    platform = "web"

    def collect(self, ctx: Any) -> Iterable[Item]:
        return ()


def passive(platform: str, account: str) -> Collector:
    cls = type(f"{platform.title()}Webhook", (_Passive,), {"platform": platform})
    return cls(account, f"webhook {account}")


class WebhookHub:
    """Routes deliveries to receivers and items to one runner per account."""

    def __init__(self, settings: Settings, receivers: list[Receiver]) -> None:
        self.settings = settings
        self.receivers = {r.path: r for r in receivers}
        self._runners: dict[tuple[str, str], Runner] = {}
        self._lock = threading.Lock()

    def runner(self, platform: str, account: str) -> Runner:
        with self._lock:
            found = self._runners.get((platform, account))
            if found is None:
                found = Runner(self.settings, passive(platform, account))
                self._runners[(platform, account)] = found
            return found

    def get(self, path: str, query: dict[str, str]) -> Delivery:
        receiver = self.receivers.get(path)
        if receiver is None:
            return Delivery(404, b"not found")
        return receiver.handshake(query)

    def post(self, path: str, headers: dict[str, str], body: bytes) -> Delivery:
        receiver = self.receivers.get(path)
        if receiver is None:
            return Delivery(404, b"not found")
        delivery = receiver.receive(headers, body)
        if delivery.status != 200:
            log.warning("%s webhook: rejected a delivery (%s)", receiver.platform, delivery.status)
            return delivery
        for account, items in delivery.items.items():
            if items:
                self.runner(receiver.platform, account).ingest(items, "webhook")
        return delivery

    def close(self) -> None:
        for runner in self._runners.values():
            runner.close()


def receivers_for(settings: Settings) -> list[Receiver]:
    """Every receiver whose secret is set."""
    from collectors.facebook.webhook import FacebookFeed
    from collectors.instagram.webhook import InstagramComments
    from collectors.vk.callback import VkCallback

    out: list[Receiver] = []
    fb_secret = settings.secret("fb_app_secret")
    if fb_secret:
        out.append(FacebookFeed(fb_secret, settings.secret("fb_verify_token")))
    ig_secret = settings.secret("ig_app_secret") or fb_secret
    if ig_secret:
        verify = settings.secret("ig_verify_token") or settings.secret("fb_verify_token")
        out.append(InstagramComments(ig_secret, verify))
    vk_secret = settings.secret("vk_callback_secret")
    vk_confirm = settings.secret("vk_callback_confirmation")
    if vk_secret or vk_confirm:
        out.append(VkCallback(vk_secret, vk_confirm))
    return out


def make_server(hub: WebhookHub, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "qulaq-webhooks"

        def _answer(self, d: Delivery) -> None:
            self.send_response(d.status)
            self.send_header("Content-Type", d.content_type)
            self.send_header("Content-Length", str(len(d.reply)))
            self.end_headers()
            self.wfile.write(d.reply)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/health":
                self._answer(Delivery(200, b"ok"))
                return
            self._answer(hub.get(url.path, query))

        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(Delivery(413, b"too large"))
                return
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                delivery = hub.post(url.path, headers, body)
            except Exception:
                log.exception("webhook delivery failed; the platform will retry it")
                delivery = Delivery(500, b"error")
            self._answer(delivery)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("webhook %s", format % args)

    return ThreadingHTTPServer((host, port), Handler)


def serve(settings: Settings, host: str, port: int) -> None:
    receivers = receivers_for(settings)
    if not receivers:
        raise UserError(
            "no webhook secret is set: QULAQ_FB_APP_SECRET (Facebook, Instagram), "
            "QULAQ_IG_APP_SECRET, or QULAQ_VK_CALLBACK_SECRET / QULAQ_VK_CALLBACK_CONFIRMATION"
        )
    hub = WebhookHub(settings, receivers)
    try:
        server = make_server(hub, host, port)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    import collectors.messages  # noqa: F401 - registers the texts

    paths = ", ".join(f"{r.platform} {r.path}" for r in receivers)
    url = f"http://{host}:{server.server_address[1]}"
    print(t("webhooks.listening", url=url, paths=paths), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        hub.close()
