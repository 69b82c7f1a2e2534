"""The Telegram Bot API: messages with acknowledge buttons, and commands back.

Each on-call person starts a conversation with the deployment's bot; their
chat id goes into the roster (`oncall.people.<id>.telegram`). The token
comes from QULAQ_TELEGRAM_BOT_TOKEN. `base_url` points at another server
that speaks the Bot API (a local Bot API server, or a stand-in in tests).

```toml
[channels.telegram]
base_url = "https://api.telegram.org"
```

Step messages carry three buttons (acknowledge, done, escalate). People may
also write `/ack RUN STEP`, `/done RUN STEP [note]`, `/skip RUN STEP note`,
`/escalate RUN STEP` or `/runs`. Updates are read with getUpdates (long
polling, the offset kept in the database), so no public address is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from playbooks.channels import DeliveryError, Outgoing
from qulaq.config import Settings

BUTTONS = {
    "ack": {"kk": "Қабылдадым", "ru": "Принял", "en": "Acknowledge"},
    "done": {"kk": "Орындалды", "ru": "Выполнено", "en": "Done"},
    "escalate": {"kk": "Эскалация", "ru": "Эскалировать", "en": "Escalate"},
}


@dataclass
class TelegramChannel:
    token: str | None
    base_url: str = "https://api.telegram.org"
    timeout: float = 15.0
    kind: str = "telegram"

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramChannel:
        opt = settings.option("channels.telegram", {}) or {}
        return cls(
            token=settings.secret("telegram_bot_token"),
            base_url=str(opt.get("base_url", "https://api.telegram.org")).rstrip("/"),
            timeout=float(opt.get("timeout", 15)),
        )

    @property
    def configured(self) -> bool:
        return bool(self.token)

    def call(self, method: str, params: dict[str, Any], *, timeout: float | None = None) -> Any:
        if not self.token:
            raise DeliveryError("QULAQ_TELEGRAM_BOT_TOKEN is not set", retryable=False)
        url = f"{self.base_url}/bot{self.token}/{method}"
        try:
            resp = httpx.post(url, json=params, timeout=timeout or self.timeout)
        except httpx.HTTPError as exc:
            # the URL holds the token: never put the exception text in a log
            raise DeliveryError(
                f"telegram {method}: {type(exc).__name__}", retryable=True
            ) from None
        try:
            data = resp.json()
        except ValueError:
            data = {}
        if resp.status_code == 429 or resp.status_code >= 500:
            retry = (data.get("parameters") or {}).get("retry_after")
            raise DeliveryError(
                f"telegram {method}: HTTP {resp.status_code}",
                retryable=True,
                retry_after=float(retry) if retry else None,
            )
        if not data.get("ok"):
            raise DeliveryError(
                f"telegram {method}: {data.get('description') or resp.status_code}", retryable=False
            )
        return data.get("result")

    def send(self, message: Outgoing) -> str | None:
        params: dict[str, Any] = {
            "chat_id": message.address,
            "text": f"{message.subject}\n\n{message.body}"[:4096],
            "disable_web_page_preview": True,
        }
        run, step = message.payload.get("run"), message.payload.get("step")
        if run and step:
            params["reply_markup"] = {
                "inline_keyboard": [
                    [
                        {
                            "text": BUTTONS[action].get(message.lang, BUTTONS[action]["ru"]),
                            "callback_data": f"{action}|{run}|{step}",
                        }
                        for action in ("ack", "done", "escalate")
                    ]
                ]
            }
        result = self.call("sendMessage", params)
        return str(result.get("message_id")) if isinstance(result, dict) else None

    def updates(self, offset: int | None, *, wait: int = 0) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "timeout": wait,
            "allowed_updates": ["message", "callback_query"],
        }
        if offset is not None:
            params["offset"] = offset
        result = self.call("getUpdates", params, timeout=wait + self.timeout)
        return list(result or [])

    def answer_callback(self, callback_id: str, text: str) -> None:
        self.call("answerCallbackQuery", {"callback_query_id": callback_id, "text": text[:190]})

    def reply(self, chat_id: str, text: str) -> None:
        self.call("sendMessage", {"chat_id": chat_id, "text": text[:4096]})
