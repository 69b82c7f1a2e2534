"""Digests, the weekly PDF, system health and the anti-crisis plan document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from playbooks import health
from playbooks.calendar import WorkCalendar
from playbooks.digest import responsiveness
from playbooks.stage import PlaybookStage
from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import collector_health, comments, playbook_outbox
from stream.pipeline import load_registry
from tests.conftest import qulaq
from tests.playbooks.standins import Standins

MONDAY = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)  # 10:00 in Almaty


def comment(
    i: int, *, answered_after: timedelta | None, days: int = 1, agency: str = "akimat-almaty"
) -> dict:
    created = MONDAY + timedelta(minutes=i)
    return {
        "platform": "instagram",
        "account": "almaty.akimdik",
        "comment_id": f"c{agency}{i}",
        "agency": agency,
        "agency_explicit": True,
        "kind": "comment",
        "is_official_reply": False,
        "created_at": created,
        "text": "Когда дадут отопление?",
        "text_rank": 0,
        "text_hash": f"h{i}",
        "sentiment": "negative" if i % 2 else "neutral",
        "needs_answer": True,
        "answer_days": days,
        "answered_at": created + answered_after if answered_after else None,
        "stored_at": created,
        "updated_at": created,
    }


@pytest.fixture
def db(home: Path) -> Database:
    database = Database.open(load_settings())
    rows = [
        comment(0, answered_after=timedelta(hours=2)),
        comment(1, answered_after=timedelta(days=3)),  # past its 1 working day
        comment(2, answered_after=None),
        comment(3, answered_after=timedelta(hours=1), agency="akimat-astana"),
    ]
    with database.write() as conn:
        conn.execute(comments.insert(), rows)
    return database


def test_responsiveness_counts_answers_on_time(db: Database) -> None:
    with db.read() as conn:
        r = responsiveness(
            conn,
            WorkCalendar.load(),
            MONDAY,
            MONDAY + timedelta(days=7),
            now=MONDAY + timedelta(days=30),
        )
    almaty = r["akimat-almaty"]
    assert (almaty.comments, almaty.needs_answer, almaty.answered) == (3, 3, 2)
    assert almaty.on_time == 1 and almaty.overdue == 1
    assert almaty.median_hours == pytest.approx((2 + 72) / 2)
    assert r["akimat-astana"].on_time_share == 1.0


def test_digest_and_weekly_pdf(db: Database, tmp_path: Path) -> None:
    out = qulaq("playbooks", "digest", "--agency", "akimat-almaty", "--date", "2026-03-16")
    assert "Акимат города Алматы: сводка за 16.03.2026" in out.stdout
    assert "Ждут ответа: 3, отвечено: 2, просрочено: 1." in out.stdout
    kk = qulaq(
        "playbooks", "digest", "--agency", "akimat-almaty", "--date", "2026-03-16", "--lang", "kk"
    )
    assert "Алматы қаласының әкімдігі" in kk.stdout
    for lang in ("kk", "ru"):
        pdf = tmp_path / f"weekly-{lang}.pdf"
        qulaq("playbooks", "weekly", "--week", "2026-03-18", "--lang", lang, "--output", str(pdf))
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 2000


def test_the_daily_digest_goes_out_once_a_day(db: Database, outside: Standins) -> None:
    settings = load_settings()
    stage = PlaybookStage(settings, load_registry(settings), db=db)
    at = datetime(2026, 3, 17, 4, 30, tzinfo=UTC)  # 09:30 in Almaty, the next day
    with db.write() as conn:
        stage.scheduled(conn, at)
        stage.scheduled(conn, at + timedelta(minutes=5))
    with db.read() as conn:
        rows = list(
            conn.execute(
                select(playbook_outbox).where(playbook_outbox.c.kind == "digest")
            ).mappings()
        )
    keys = {r["key"] for r in rows}
    assert len(keys) == len(rows) and rows
    assert {r["key"].split("|")[1] for r in rows} == {"akimat-almaty", "akimat-astana"}
    assert {r["person"] for r in rows} == {"dana"}  # the press secretary


def test_health_findings(db: Database, outside: Standins) -> None:
    settings = load_settings()
    now = datetime.now(UTC)
    with db.write() as conn:
        conn.execute(
            collector_health.insert(),
            [
                {
                    "platform": "vk",
                    "account": "-1",
                    "status": "failing",
                    "last_success_at": now - timedelta(hours=5),
                    "last_error": None,
                    "consecutive_failures": 9,
                    "updated_at": now,
                },
                {
                    "platform": "facebook",
                    "account": "page",
                    "status": "auth",
                    "last_success_at": now,
                    "last_error": "token expired",
                    "consecutive_failures": 1,
                    "updated_at": now,
                },
            ],
        )
    opts = dict(settings.options)
    opts["health"] = {
        "tokens": [{"name": "VK", "expires": (now + timedelta(days=3)).date().isoformat()}]
    }
    with db.read() as conn:
        found = health.check(type(settings)(**{**settings.__dict__, "options": opts}), conn, now)
    keys = {f.key for f in found}
    assert {"stuck:vk:-1", "auth:facebook:page", "token:VK"} <= keys
    assert any(f.urgent for f in found)
    out = qulaq("playbooks", "health", "--json", "--send", check=False)
    assert out.returncode == 1  # an urgent finding
    assert {f["key"] for f in json.loads(out.stdout)} >= {"stuck:vk:-1", "auth:facebook:page"}
    with db.read() as conn:
        sent = list(conn.execute(select(playbook_outbox.c.kind, playbook_outbox.c.person)))
    assert ("health", "dana") in sent  # nobody holds sysadmin: the fallback hears it


def test_plan_document(home: Path) -> None:
    md = qulaq("playbooks", "plan", "--agency", "akimat-almaty", "--lang", "kk").stdout
    assert md.startswith("# Дағдарысқа қарсы жоспар: Алматы қаласының әкімдігі")
    assert md.count("\n## ") == 5
    assert "| 4 | 4 | 16 |" in md  # probability × impact
    assert "Себебі: Органның жүйелеріне кибершабуыл" in md


def test_health_says_when_kafka_does_not_answer(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    import stream.kafka_bus

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    monkeypatch.setattr(stream.kafka_bus, "BOOTSTRAP_MS", 2000)
    monkeypatch.setenv("QULAQ_BUS", f"kafka://127.0.0.1:{port}")
    with db.read() as conn:
        found = {f.key: f for f in health.check(load_settings(), conn)}
    assert found["kafka"].urgent
    assert f"127.0.0.1:{port}" in found["kafka"].text("en")
    monkeypatch.setenv("QULAQ_BUS", "embedded")
    with db.read() as conn:
        assert "kafka" not in {f.key for f in health.check(load_settings(), conn)}
