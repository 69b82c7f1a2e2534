"""The stage, the outbox and the deliverer against real servers on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from playbooks import store
from playbooks.delivery import Deliverer
from playbooks.stage import PlaybookStage
from playbooks.telegram_bot import TelegramCommands
from qulaq.alerts import Alert
from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import playbook_audit, playbook_outbox
from stream.pipeline import load_registry
from tests.playbooks.standins import Standins


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now


def crisis(at: datetime, **kw: Any) -> dict[str, Any]:
    a = Alert(
        id=kw.pop("id", "alert-1"),
        agency="akimat-almaty",
        kind=kw.pop("kind", "negativity_spike"),
        severity=kw.pop("severity", 3),
        status="open",
        raised_at=at,
        updated_at=at,
        window_start=at - timedelta(hours=1),
        window_end=at,
        observed=150,
        expected=12,
        negative_share=0.8,
        summary="Жалобы на отключение тепла в Алмалинском районе",
        incident_id=kw.pop("incident_id", "inc-live"),
        topics=kw.pop("topics", ["housing_utilities"]),
        **kw,
    )
    return orjson.loads(a.to_json())


@pytest.fixture
def live(outside: Standins) -> Any:
    settings = load_settings()
    db = Database.open(settings)
    clock = Clock()
    stage = PlaybookStage(settings, load_registry(settings), db=db, wall=clock)
    yield settings, db, stage, clock
    db.dispose()


def outbox(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [dict(r) for r in conn.execute(select(playbook_outbox)).mappings()]


def test_a_live_crisis_reaches_people_on_every_channel(live: Any, outside: Standins) -> None:
    settings, db, stage, clock = live
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
    with db.read() as conn:
        (run,) = store.list_runs(conn)
    assert run.playbook == "utility-outage" and run.clock_mode == "wall"
    counts = Deliverer(settings, db).deliver_due(clock.now)
    assert counts.sent > 0 and counts.failed == 0
    # Telegram: a message with acknowledge buttons to the duty officer's chat
    first = next(m for m in outside.telegram.sent if "Подтвердить получение сигнала" in m["text"])
    assert first["chat_id"] == "1001"
    buttons = first["reply_markup"]["inline_keyboard"][0]
    assert buttons[0]["callback_data"] == f"ack|{run.id}|acknowledge"
    assert "!" not in first["text"]
    # e-mail through a real SMTP server
    mail = [m for m in outside.mail if m["X-Envelope-To"] == "dana@test.kz"]
    assert mail and "Акимат города Алматы" in mail[0]["Subject"]
    # the webhook receiver checked the signature of every delivery
    assert outside.webhook.rejected == 0
    assert {r["body"]["run"] for r in outside.webhook.received} == {run.id}
    # each delivery is in the audit log with the text that went out
    with db.read() as conn:
        notified = conn.execute(
            select(func.count()).where(playbook_audit.c.action == "notified")
        ).scalar_one()
    assert notified == counts.sent


def test_an_unacknowledged_step_escalates_on_time(live: Any, outside: Standins) -> None:
    settings, db, stage, clock = live
    start = clock.now
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(start)])
    deliverer = Deliverer(settings, db)
    deliverer.deliver_due(clock.now)
    before = len(outside.telegram.sent)
    clock.now = start + timedelta(minutes=14, seconds=59)
    with db.write() as conn:
        stage.tick_timers(conn, clock.now)
    deliverer.deliver_due(clock.now)
    assert not [m for m in outside.telegram.sent[before:] if "эскалац" in m["text"].lower()]
    clock.now = start + timedelta(minutes=15)
    with db.write() as conn:
        stage.tick_timers(conn, clock.now)
    deliverer.deliver_due(clock.now)
    escalations = [m for m in outside.telegram.sent[before:] if m["chat_id"] == "1002"]
    assert escalations, "the head of the press office hears about it"
    assert "эскалация" in escalations[0]["text"]  # Kazakh frame, Kazakh-speaking recipient
    assert "Баспасөз қызметінің кезекшісі" in escalations[0]["text"]


def test_telegram_buttons_and_commands_act_on_steps(live: Any, outside: Standins) -> None:
    settings, db, stage, clock = live
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
    with db.read() as conn:
        (run,) = store.list_runs(conn)
    commands = TelegramCommands.from_settings(settings, db, stage)
    assert commands is not None
    outside.telegram.press("1001", f"ack|{run.id}|acknowledge")
    outside.telegram.write("1001", f"/done {run.id} holding-statement опубликовано в 07:50")
    outside.telegram.press("999", f"done|{run.id}|brief-head")  # not on the roster
    assert commands.poll_once() == 3
    assert commands.poll_once() == 0  # the offset is kept: nothing is handled twice
    with db.read() as conn:
        state = store.load_run(conn, run.id)
        log = store.audit_log(conn, [run.id])
    assert state is not None
    assert state.step("acknowledge").acknowledged_by == "dana"
    assert state.step("holding-statement").status == "done"
    assert state.step("holding-statement").note == "опубликовано в 07:50"
    assert state.step("brief-head").status != "done"
    assert any(a["text"].startswith("Вас нет в списке") for a in outside.telegram.answers)
    vias = {e["detail"].get("via") for e in log if e["action"] in ("acknowledged", "done")}
    assert vias == {"telegram"}


def test_retries_after_failures_then_delivers_once(live: Any, outside: Standins) -> None:
    settings, db, stage, clock = live
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
    outside.webhook.fail_next = 100
    deliverer = Deliverer(settings, db)
    first = deliverer.deliver_due(clock.now)
    assert first.retried > 0
    hooks = [r for r in outbox(db) if r["channel"] == "webhook"]
    assert all(r["status"] == "pending" and r["attempts"] == 1 for r in hooks)
    outside.webhook.fail_next = 0
    later = clock.now + timedelta(minutes=5)
    deliverer.deliver_due(later)
    deliverer.deliver_due(later)
    keys = [r["key"] for r in outside.webhook.received]
    assert keys and len(keys) == len(set(keys)) == len(hooks)


def test_the_same_alert_twice_queues_nothing_new(live: Any, outside: Standins) -> None:
    _settings, db, stage, clock = live
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
    n = len(outbox(db))
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
        stage.process(conn, "alerts", [crisis(clock.now, id="alert-2")])  # same incident
    with db.read() as conn:
        runs = store.list_runs(conn)
    assert len(runs) == 1 and runs[0].alerts == ["alert-1", "alert-2"]
    assert len(outbox(db)) == n


def test_a_permanent_failure_falls_back_to_the_console(live: Any, outside: Standins) -> None:
    settings, db, stage, clock = live
    with db.write() as conn:
        stage.process(conn, "alerts", [crisis(clock.now)])
    with db.write() as conn:
        conn.execute(
            playbook_outbox.update()
            .where(playbook_outbox.c.channel == "email")
            .values(address="not-an-address")
        )
    outside_mail_before = len(outside.mail)
    Deliverer(settings, db, max_attempts=1).deliver_due(clock.now)
    Deliverer(settings, db).deliver_due()
    rows = outbox(db)
    assert [r for r in rows if r["channel"] == "email" and r["status"] == "failed"]
    assert [r for r in rows if r["key"].endswith("|console") and r["status"] == "sent"]
    assert len(outside.mail) == outside_mail_before
    assert (settings.home / "logs" / "notifications.log").read_text(encoding="utf-8")


def test_low_severity_waits_for_office_hours_and_the_rate_limit(live: Any) -> None:
    settings, db, stage, clock = live
    evening = datetime(2026, 3, 16, 15, 0, tzinfo=UTC)  # 20:00 in Almaty, a Monday
    clock.now = evening
    with db.write() as conn:
        stage.process(
            conn,
            "alerts",
            [
                crisis(
                    evening,
                    kind="topic_burst",
                    severity=2,
                    incident_id="inc-low",
                    topics=["social_payments"],
                )
            ],
        )
    rows = outbox(db)
    assert rows and all(r["status"] == "pending" for r in rows)
    assert {r["not_before"] for r in rows} == {datetime(2026, 3, 17, 4, 0, tzinfo=UTC)}
    assert Deliverer(settings, db).deliver_due(evening).sent == 0
    limited = Deliverer(settings, db)
    limited.per_hour = 1
    counts = limited.deliver_due(datetime(2026, 3, 17, 4, 1, tzinfo=UTC))
    per_person_channel = {(r["person"], r["channel"]) for r in rows}
    assert counts.sent <= len(per_person_channel)
