"""Delivering the outbox: after commit, with retries, dedup and rate limits.

A row is claimed (pending → sending) in a short transaction, sent with no
transaction open, and marked sent (with an audit entry holding the text
that went out) in another. Each row has a unique key, so the same
notification is queued once however often its batch is replayed; a row that
is `sent` is never sent again. A process killed between sending and marking
leaves the row `sending`; it is retried after `reclaim_after` with the same
key, which receivers that keep keys (webhooks, mail Message-ID) drop.

Rate limits against alert fatigue: a person receives at most `per_hour`
non-urgent messages an hour on a channel; more wait. Urgent messages
(severity 3–4, escalations, overdue steps) are never held back, neither by
the limit nor by office hours. A message that fails for good on its channel
goes to the console, and the failure is in the audit log.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, func, select

from playbooks import store
from playbooks.channels import Channel, DeliveryError, Outgoing, build_channels
from qulaq.config import Settings
from qulaq.storage.database import Database
from qulaq.storage.schema import playbook_outbox
from stream.pipeline import with_retries

if TYPE_CHECKING:
    from playbooks.stage import PlaybookStage

log = logging.getLogger(__name__)


@dataclass
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "deferred": self.deferred,
        }


class Deliverer:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        channels: dict[str, Channel] | None = None,
        *,
        max_attempts: int | None = None,
    ) -> None:
        self.db = db
        self.channels = channels if channels is not None else build_channels(settings)
        limits = settings.option("channels.limits", {}) or {}
        self.per_hour = int(limits.get("per_hour", 30))
        self.max_attempts = max_attempts or int(limits.get("max_attempts", 8))
        self.reclaim_after = timedelta(seconds=float(limits.get("reclaim_after_seconds", 300)))

    def deliver_due(self, now: datetime | None = None, *, batch: int = 50) -> DeliveryCounts:
        now = now or datetime.now(UTC)
        counts = DeliveryCounts()
        rows = with_retries(lambda: self._claim(now, batch), what="claiming notifications")
        for row in rows:
            self._deliver(row, counts)
        return counts

    def _claim(self, now: datetime, batch: int) -> list[dict[str, Any]]:
        o = playbook_outbox.c
        with self.db.write() as conn:
            conn.execute(
                playbook_outbox.update()
                .where(o.status == "sending", o.claimed_at < now - self.reclaim_after)
                .values(status="pending")
            )
            candidates = list(
                conn.execute(
                    select(playbook_outbox)
                    .where(o.status == "pending", o.next_attempt_at <= now)
                    .order_by(o.urgent.desc(), o.id)
                    .limit(batch)
                ).mappings()
            )
            claimed = []
            for row in candidates:
                if not row["urgent"] and self._over_limit(conn, row, now):
                    conn.execute(
                        playbook_outbox.update()
                        .where(o.id == row["id"])
                        .values(next_attempt_at=now + timedelta(minutes=10))
                    )
                    continue
                done = conn.execute(
                    playbook_outbox.update()
                    .where(o.id == row["id"], o.status == "pending")
                    .values(status="sending", claimed_at=now)
                )
                if done.rowcount == 1:
                    claimed.append(dict(row))
            return claimed

    def _over_limit(self, conn: Connection, row: Any, now: datetime) -> bool:
        """Sent or being sent to this person on this channel in the last hour
        (rows claimed earlier in the same round count too)."""
        o = playbook_outbox.c
        hour_ago = now - timedelta(hours=1)
        recent = conn.execute(
            select(func.count())
            .select_from(playbook_outbox)
            .where(
                o.person == row["person"],
                o.channel == row["channel"],
                ((o.status == "sent") & (o.sent_at >= hour_ago))
                | ((o.status == "sending") & (o.claimed_at >= hour_ago)),
            )
        ).scalar_one()
        return int(recent) >= self.per_hour

    def _deliver(self, row: dict[str, Any], counts: DeliveryCounts) -> None:
        channel = self.channels.get(row["channel"])
        message = Outgoing(
            key=row["key"],
            kind=row["kind"],
            person=row["person"],
            address=row["address"],
            lang=row["lang"],
            subject=row["subject"],
            body=row["body"],
            payload=orjson.loads(row["payload"] or "{}"),
            urgent=bool(row["urgent"]),
            drill=bool(row["drill"]),
        )
        try:
            if channel is None:
                raise DeliveryError(f"no channel {row['channel']!r}", retryable=False)
            external = channel.send(message)
        except DeliveryError as exc:
            attempts = row["attempts"] + 1
            final = not exc.retryable or attempts >= self.max_attempts
            delay = exc.retry_after or min(30 * 2 ** (attempts - 1), 1800)
            log.warning(
                "notification %s via %s failed (attempt %d): %s",
                row["id"],
                row["channel"],
                attempts,
                exc,
            )
            error = str(exc)
            with_retries(
                lambda: self._failed(row, attempts, error, final, delay),
                what="recording a failure",
            )
            if final:
                counts.failed += 1
            else:
                counts.retried += 1
            return
        with_retries(lambda: self._sent(row, external), what="recording a delivery")
        counts.sent += 1

    def _sent(self, row: dict[str, Any], external: str | None) -> None:
        now = datetime.now(UTC)
        o = playbook_outbox.c
        with self.db.write() as conn:
            conn.execute(
                playbook_outbox.update()
                .where(o.id == row["id"])
                .values(
                    status="sent", sent_at=now, external_id=external, attempts=row["attempts"] + 1
                )
            )
            store.append_audit(
                conn,
                row["run_id"],
                [
                    {
                        "action": "notified",
                        "at": now,
                        "actor": "system",
                        "step": row["step"],
                        "channel": row["channel"],
                        "recipient": row["person"],
                        "message": f"{row['subject']}\n{row['body']}",
                        "detail": {"kind": row["kind"], "key": row["key"]},
                    }
                ],
                now=now,
            )

    def _failed(
        self, row: dict[str, Any], attempts: int, error: str, final: bool, delay: float
    ) -> None:
        now = datetime.now(UTC)
        o = playbook_outbox.c
        with self.db.write() as conn:
            conn.execute(
                playbook_outbox.update()
                .where(o.id == row["id"])
                .values(
                    status="failed" if final else "pending",
                    attempts=attempts,
                    last_error=error[:500],
                    next_attempt_at=now + timedelta(seconds=delay),
                )
            )
            if not final:
                return
            store.append_audit(
                conn,
                row["run_id"],
                [
                    {
                        "action": "delivery_failed",
                        "at": now,
                        "actor": "system",
                        "step": row["step"],
                        "channel": row["channel"],
                        "recipient": row["person"],
                        "detail": {"kind": row["kind"], "key": row["key"], "error": error[:500]},
                    }
                ],
                now=now,
            )
            if row["channel"] != "console":
                fallback = {k: v for k, v in row.items() if k != "id"}
                fallback.update(
                    key=row["key"] + "|console",
                    channel="console",
                    address=row["person"],
                    status="pending",
                    attempts=0,
                    claimed_at=None,
                    last_error=None,
                    created_at=now,
                    next_attempt_at=now,
                )
                store.enqueue(conn, [fallback])


class DeliveryLoop:
    """Delivery and Telegram commands, round after round, until stopped: the
    background of a live `qulaq run`, or `qulaq playbooks serve` on its own."""

    def __init__(self, settings: Settings, db: Database, stage: PlaybookStage) -> None:
        from playbooks.telegram_bot import TelegramCommands

        self.deliverer = Deliverer(settings, db)
        self.commands = TelegramCommands.from_settings(settings, db, stage)
        self.interval = float(settings.option("playbooks.delivery_interval_seconds", 2))

    def run_once(self) -> DeliveryCounts:
        counts = self.deliverer.deliver_due()
        if self.commands is not None:
            self.commands.poll_once()
        return counts

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # the loop must outlive one bad round
                log.exception("playbook delivery round failed")
            stop.wait(self.interval)
