"""A signed JSON webhook, for situation centres and ticket systems.

Each delivery is a POST of a JSON object with these headers:

- `X-Qulaq-Timestamp`: seconds since the epoch when it was signed;
- `X-Qulaq-Signature`: `sha256=` + hex HMAC-SHA256, keyed with the shared
  secret (QULAQ_WEBHOOK_SECRET), of `<timestamp>.<body bytes>`;
- `X-Qulaq-Delivery`: the deduplication key; a receiver that sees a key
  twice drops the repeat.

A receiver checks the signature with `verify_signature` (or the same three
lines in its own language) and rejects timestamps older than five minutes.

```toml
[channels.webhook]
url = "https://situation-centre.example.kz/qulaq"  # every notification, besides people's own
```
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

import httpx
import orjson

from playbooks.channels import DeliveryError, Outgoing
from qulaq.config import Settings


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str, timestamp: str, body: bytes, signature: str, *, max_age: float = 300
) -> bool:
    try:
        age = abs(time.time() - float(timestamp))
    except ValueError:
        return False
    return age <= max_age and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass
class WebhookChannel:
    secret: str | None
    timeout: float = 10.0
    kind: str = "webhook"

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookChannel:
        opt = settings.option("channels.webhook", {}) or {}
        return cls(secret=settings.secret("webhook_secret"), timeout=float(opt.get("timeout", 10)))

    def send(self, message: Outgoing) -> str | None:
        if not self.secret:
            raise DeliveryError(
                "QULAQ_WEBHOOK_SECRET is not set; webhooks are only sent signed", retryable=False
            )
        body = orjson.dumps(
            {
                "delivery": message.key,
                "kind": message.kind,
                "person": message.person,
                "lang": message.lang,
                "subject": message.subject,
                "text": message.body,
                "urgent": message.urgent,
                "drill": message.drill,
                **message.payload,
            }
        )
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Qulaq-Timestamp": ts,
            "X-Qulaq-Signature": sign(self.secret, ts, body),
            "X-Qulaq-Delivery": message.key,
        }
        try:
            resp = httpx.post(message.address, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook: {type(exc).__name__}", retryable=True) from exc
        if resp.status_code >= 500 or resp.status_code == 429:
            after = resp.headers.get("Retry-After")
            raise DeliveryError(
                f"webhook answered {resp.status_code}",
                retryable=True,
                retry_after=float(after) if after and after.isdigit() else None,
            )
        if resp.status_code >= 400:
            raise DeliveryError(f"webhook answered {resp.status_code}", retryable=False)
        return resp.headers.get("X-Request-Id")
