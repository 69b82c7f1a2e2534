"""The Page `feed` webhook: comments added, edited and removed, as they happen."""

from __future__ import annotations

import json
from typing import Any

from collectors.facebook.events import feed_change
from collectors.runtime import Item
from collectors.runtime.webhooks import Delivery, meta_handshake, meta_signature_ok


class FacebookFeed:
    platform = "facebook"
    path = "/facebook"

    def __init__(self, app_secret: str, verify_token: str | None) -> None:
        self._secret = app_secret
        self._verify = verify_token

    def handshake(self, query: dict[str, str]) -> Delivery:
        return meta_handshake(self._verify, query)

    def receive(self, headers: dict[str, str], body: bytes) -> Delivery:
        if not meta_signature_ok(self._secret, body, headers.get("x-hub-signature-256")):
            return Delivery(403, b"bad signature")
        try:
            payload: Any = json.loads(body)
        except ValueError:
            return Delivery(400, b"not JSON")
        if not isinstance(payload, dict) or payload.get("object") != "page":
            return Delivery(200)
        items: dict[str, list[Item]] = {}
        for entry in payload.get("entry") or ():
            page = str(entry.get("id") or "")
            for change in entry.get("changes") or ():
                if change.get("field") != "feed" or not isinstance(change.get("value"), dict):
                    continue
                found = feed_change(page, change["value"], entry.get("time"))
                if found is not None and page:
                    items.setdefault(page, []).append(found)
        return Delivery(200, b"ok", items)
