"""Alert channels: each knows how to put one message in front of a person.

A channel implements `send(message) -> external id`; it raises
`DeliveryError` (retryable or not) when it cannot. Retries with back-off,
deduplication, rate limits and office-hours holds belong to the deliverer
(`playbooks.delivery`), written once for every channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from qulaq.config import Settings
from qulaq.errors import UserError


@dataclass(frozen=True)
class Outgoing:
    key: str  # the deduplication key: receivers may use it to drop repeats
    kind: str
    person: str
    address: str
    lang: str
    subject: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False
    drill: bool = False


class DeliveryError(Exception):
    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Channel(Protocol):
    kind: str

    def send(self, message: Outgoing) -> str | None: ...


def build_channels(settings: Settings) -> dict[str, Channel]:
    from playbooks.channels.console import ConsoleChannel
    from playbooks.channels.email import EmailChannel
    from playbooks.channels.telegram import TelegramChannel
    from playbooks.channels.webhook import WebhookChannel

    table = settings.option("channels", {}) or {}
    if not isinstance(table, dict):
        raise UserError.t("channels.not_table", value=table)
    for name, value in table.items():
        if not isinstance(value, dict):
            raise UserError.t("channels.entry_not_table", name=name, value=value)
    built: dict[str, Channel] = {"console": ConsoleChannel(settings)}
    for name, kind in (
        ("telegram", TelegramChannel),
        ("email", EmailChannel),
        ("webhook", WebhookChannel),
    ):
        try:
            built[name] = kind.from_settings(settings)
        except (TypeError, ValueError) as exc:  # a port that is not a number, and the like
            raise UserError.t("channels.unusable", name=name, problem=str(exc)) from None
    return built
