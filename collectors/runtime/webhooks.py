"""`qulaq webhooks serve`: one HTTP server for the platforms that push events.

Each platform brings a `Receiver` (`collectors/facebook/webhook.py`,
`collectors/instagram/webhook.py`, `collectors/vk/callback.py`) that checks
the delivery's signature and turns it into items per account; the server
passes them through the same runtime path as a pass (`Runner.ingest`), so a
replayed delivery publishes nothing new. The answer goes back only once the
items are durable on the bus, so a platform that sees an error retries.

Limits, checked before the body is read (options in the config file):
- `collectors.webhook_max_bytes` (default 1 MiB, far above any platform's
  event): a larger `Content-Length` is answered 413 and the body is never
  read; a body without a `Content-Length` 411, an unreadable one 400;
- `collectors.webhook_rate_per_minute` (default 0: off): requests per source
  address, answered 429 with `Retry-After` beyond it. Meta and VK retry a
  delivery that is not answered 200, so a limited delivery comes again later;
  behind a reverse proxy every request has the proxy's address, so limit there;
- `collectors.webhook_read_timeout` (default 30 s): a client that stops
  sending mid-request is cut off.
Every refused request is logged with its source address and reason.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from collectors.runtime.plugin import Collector, Item
from collectors.runtime.runner import Runner
from qulaq.config import Settings
from qulaq.errors import UserError, os_reason
from qulaq.i18n import t

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20
READ_TIMEOUT = 30.0


@dataclass
class Delivery:
    status: int
    reply: bytes = b"ok"
    items: dict[str, list[Item]] = field(default_factory=dict)
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BODY
    rate_per_minute: float = 0.0  # 0: no limit
    read_timeout: float = READ_TIMEOUT

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_bytes=int(_number(settings, "collectors.webhook_max_bytes", MAX_BODY)),
            rate_per_minute=_number(settings, "collectors.webhook_rate_per_minute", 0, zero=True),
            read_timeout=_number(settings, "collectors.webhook_read_timeout", READ_TIMEOUT),
        )


def _number(settings: Settings, key: str, default: float, *, zero: bool = False) -> float:
    value = settings.option(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError.t("setting.not_number_value", name=key, value=value) from None
    if number < 0 or (number == 0 and not zero) or number != number:
        which = "setting.not_zero_or_positive" if zero else "setting.not_positive_value"
        raise UserError.t(which, name=key, value=value)
    return number


class RateLimiter:
    """A token bucket per source address: `per_minute` requests a minute, bursts of
    as many; addresses idle for a minute are forgotten."""

    def __init__(self, per_minute: float, clock: Any = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def check(self, address: str) -> float:
        """0 when the request may go on, else the seconds until it may be tried again."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        with self._lock:
            now = self._clock()
            if now - self._swept > 60:
                self._buckets = {
                    a: b for a, b in self._buckets.items() if now - b[1] < 60 or b[0] < 1
                }
                self._swept = now
            tokens, at = self._buckets.get(address, (self.per_minute, now))
            tokens = min(self.per_minute, tokens + (now - at) * rate)
            if tokens >= 1:
                self._buckets[address] = (tokens - 1, now)
                return 0.0
            self._buckets[address] = (tokens, now)
            return (1 - tokens) / rate


def secret_equal(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes text outside ASCII (a forged header or
    field may hold anything; `hmac.compare_digest` refuses non-ASCII `str`)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    )


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
    return secret_equal(header[len("sha256=") :].strip().lower(), expected)


def meta_handshake(verify_token: str | None, query: dict[str, str]) -> Delivery:
    if (
        verify_token
        and query.get("hub.mode") == "subscribe"
        and secret_equal(query.get("hub.verify_token", ""), verify_token)
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

    def __init__(
        self, settings: Settings, receivers: list[Receiver], limits: Limits | None = None
    ) -> None:
        self.settings = settings
        self.limits = limits or Limits.from_settings(settings)
        self.rate = RateLimiter(self.limits.rate_per_minute)
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

    def post(self, path: str, headers: dict[str, str], body: bytes, peer: str = "-") -> Delivery:
        receiver = self.receivers.get(path)
        if receiver is None:
            return Delivery(404, b"not found")
        delivery = receiver.receive(headers, body)
        if delivery.status != 200:
            log.warning(
                "%s webhook: refused a delivery from %s: %s %s (%d bytes, sha256 %s)",
                receiver.platform,
                peer,
                delivery.status,
                delivery.reply.decode("utf-8", "replace")[:100],
                len(body),
                hashlib.sha256(body).hexdigest()[:16],
            )
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
    limits = hub.limits

    class Handler(BaseHTTPRequestHandler):
        server_version = "qulaq-webhooks"
        timeout = limits.read_timeout

        def _answer(self, d: Delivery) -> None:
            self.send_response(d.status)
            self.send_header("Content-Type", d.content_type)
            self.send_header("Content-Length", str(len(d.reply)))
            for name, value in d.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(d.reply)

        def _refuse(self, status: int, reason: str, **headers: str) -> None:
            """Answer before the body is read; the connection closes, the body unread."""
            log.warning(
                "webhook: refused %s %s from %s: %s %s",
                self.command,
                urlparse(self.path).path,
                self.client_address[0],
                status,
                reason,
            )
            self.close_connection = True
            self._answer(Delivery(status, reason.encode("utf-8"), headers=headers))

        def _length(self) -> int | None:
            """The body's length, or None once the request is refused."""
            if self.headers.get("Transfer-Encoding"):
                self._refuse(411, "a Content-Length is required (no chunked bodies)")
                return None
            values = self.headers.get_all("Content-Length") or []
            if not values:
                self._refuse(411, "a Content-Length is required")
                return None
            if len(set(values)) > 1 or not values[0].strip().isdigit():
                self._refuse(400, "invalid Content-Length")
                return None
            length = int(values[0])
            if length > limits.max_bytes:
                self._refuse(413, f"body larger than {limits.max_bytes} bytes")
                return None
            return length

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/health":
                self._answer(Delivery(200, b"ok"))
                return
            self._answer(hub.get(url.path, query))

        def do_POST(self) -> None:
            url = urlparse(self.path)
            peer = self.client_address[0]
            wait = hub.rate.check(peer)
            if wait > 0:
                self._refuse(429, "too many requests", **{"Retry-After": str(int(wait) + 1)})
                return
            length = self._length()
            if length is None:
                return
            body = self.rfile.read(length)
            if len(body) < length:
                log.warning(
                    "webhook: %s sent %d of %d bytes, then stopped", peer, len(body), length
                )
                self.close_connection = True
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                delivery = hub.post(url.path, headers, body, peer)
            except Exception:
                log.exception("webhook delivery failed; the platform will retry it")
                delivery = Delivery(500, b"error")
            self._answer(delivery)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            # the path without its query: Meta's handshake carries the verify token there
            path = urlparse(self.path).path
            log.info("webhook %s %s %s %s", self.client_address[0], self.command, path, code)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("webhook %s", format % args)

    return ThreadingHTTPServer((host, port), Handler)


def serve(settings: Settings, host: str, port: int) -> None:
    receivers = receivers_for(settings)
    if not receivers:
        raise UserError.t("webhooks.no_secret")
    hub = WebhookHub(settings, receivers)
    try:
        server = make_server(hub, host, port)
    except OSError as exc:
        raise UserError.t(
            "dashboard.cannot_listen", host=host, port=port, reason=os_reason(exc)
        ) from None
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
