"""VK's Callback API: the community's server receives wall_reply_* events.

VK signs nothing: each event carries the `secret` set in the community's
Callback API settings, and the server must answer the `confirmation` event
with the code VK shows there. Without a secret (`QULAQ_VK_CALLBACK_SECRET`)
anyone who knows the address could post comments, so then only the
confirmation is answered and every event is refused.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from collectors.runtime import Item, iso_time
from collectors.runtime.webhooks import Delivery, secret_equal
from collectors.vk.events import change_of


class VkCallback:
    platform = "vk"
    path = "/vk"

    def __init__(self, secret: str | None, confirmation: str | None) -> None:
        self._secret = secret
        self._confirmation = confirmation

    def handshake(self, query: dict[str, str]) -> Delivery:
        return Delivery(405, b"POST only")

    def receive(self, headers: dict[str, str], body: bytes) -> Delivery:
        try:
            event: Any = json.loads(body)
        except ValueError:
            return Delivery(400, b"not JSON")
        if not isinstance(event, dict) or "group_id" not in event:
            return Delivery(400, b"not a Callback API event")
        if self._secret and not secret_equal(str(event.get("secret", "")), self._secret):
            return Delivery(403, b"bad secret")
        if event.get("type") == "confirmation":
            if not self._confirmation:
                return Delivery(403, b"no confirmation code configured")
            return Delivery(200, self._confirmation.encode("utf-8"))
        if not self._secret:
            return Delivery(403, b"no secret configured: events cannot be authenticated")
        owner = -int(event["group_id"])
        change = change_of(event, owner, iso_time(datetime.now(UTC)))
        items: dict[str, list[Item]] = {str(owner): [change]} if change else {}
        return Delivery(200, b"ok", items)
