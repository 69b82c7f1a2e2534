"""The signals stage against a real database (SQLite, and PostgreSQL where it runs):
counting once, answers, alerts grouped into incidents, their lifecycle, risk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from qulaq.config import load_settings
from qulaq.errors import UserError
from qulaq.events import CommentEvent
from qulaq.models import Scored
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.storage.schema import signal_buckets, signal_comments
from signals import store
from signals.risk import agency_risk, gather, region_matrix
from signals.stage import LIVE_DELAY, SignalsStage
from stream.bus import ALERTS, SCORED

T0 = datetime(2025, 1, 6, tzinfo=UTC)


def comment(
    n: int,
    at: datetime,
    *,
    agency: str = "akimat-almaty",
    label: str = "neutral",
    needs: bool = False,
    official: bool = False,
    parent: str | None = None,
    topics: tuple[str, ...] = ("roads_transport",),
    text: str | None = None,
) -> Scored:
    event = CommentEvent(
        platform="instagram",
        account="acc",
        comment_id=f"c{n}",
        text=text or f"комментарий номер {n} про дорогу слово{n % 50}",
        created_at=at,
        kind="reply" if parent else "comment",
        parent_id=parent,
        is_official_reply=official,
    )
    analysis = {
        "label": label,
        "aggression": "none",
        "topics": list(topics),
        "needs_answer": needs,
        "urgent": False,
        "answer_days": 1 if needs else None,
    }
    return Scored(event, agency, True, f"author{n}", analysis, "m", None, "")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, home: Path) -> Iterator[Database]:
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    database = Database.open(load_settings())
    yield database
    database.dispose()


@pytest.fixture
def stage() -> SignalsStage:
    return SignalsStage(Registry.default(), "en")


def process(
    db: Database, stage: SignalsStage, items: list[Scored]
) -> list[tuple[str, bytes, bytes]]:
    out: list[tuple[str, bytes, bytes]] = []
    for i in range(0, len(items), 500):
        with db.write() as conn:
            out.extend(stage.process(conn, SCORED, items[i : i + 500]))
    return out


def test_each_comment_counts_once(db: Database, stage: SignalsStage) -> None:
    items = [comment(i, T0 + timedelta(minutes=i)) for i in range(50)]
    process(db, stage, items)
    process(db, stage, items)  # the same events delivered again
    with db.read() as conn:
        counted = conn.execute(select(func.sum(signal_buckets.c.comments))).scalar_one()
        rows = conn.execute(select(func.count()).select_from(signal_comments)).scalar_one()
    assert counted == 50 and rows == 50


def test_the_first_official_reply_answers_whichever_arrives_first(
    db: Database, stage: SignalsStage
) -> None:
    asked = comment(1, T0, needs=True)
    reply = comment(2, T0 + timedelta(hours=2), official=True, parent="c1")
    late_ask = comment(3, T0 + timedelta(hours=1), needs=True)
    early_reply = comment(4, T0 + timedelta(hours=3), official=True, parent="c3")
    process(db, stage, [asked, reply, early_reply])
    process(db, stage, [late_ask])
    with db.read() as conn:
        answered = dict(
            conn.execute(
                select(signal_comments.c.created_at, signal_comments.c.answered_at).where(
                    signal_comments.c.needs_answer.is_(True)
                )
            ).all()
        )
    assert answered == {
        T0: T0 + timedelta(hours=2),
        T0 + timedelta(hours=1): T0 + timedelta(hours=3),
    }


def crisis_stream(agency: str = "akimat-almaty", seed: int = 1) -> tuple[list[Scored], datetime]:
    rng = random.Random(seed)
    items = []
    n = 0
    t = T0
    onset = T0 + timedelta(days=1, hours=4)  # 09:00 in Almaty on day 2
    while t < onset + timedelta(hours=3):
        per_minute = 0.5 + (6.0 if t >= onset else 0.0)
        for _ in range(int(per_minute + rng.random())):
            n += 1
            crisis = t >= onset and rng.random() < 0.9
            items.append(
                comment(
                    n,
                    t + timedelta(seconds=rng.randrange(60)),
                    agency=agency,
                    label="negative" if crisis or rng.random() < 0.25 else "neutral",
                    needs=rng.random() < 0.3,
                    topics=("housing_utilities",) if crisis else ("roads_transport",),
                    text=f"нет отопления батареи холодные {n}" if crisis else None,
                )
            )
        t += timedelta(minutes=1)
    items.sort(key=lambda s: s.event.created_at)
    return items, onset


def test_a_crisis_becomes_alerts_in_one_incident_with_a_lifecycle(
    db: Database, stage: SignalsStage
) -> None:
    items, onset = crisis_stream()
    outputs = process(db, stage, items)
    assert outputs and {topic for topic, _k, _v in outputs} == {ALERTS}
    assert {key for _t, key, _v in outputs} == {b"akimat-almaty"}
    published = [orjson.loads(v) for _t, _k, v in outputs]
    assert all(p["incident_id"] for p in published)
    with db.read() as conn:
        alerts = store.list_alerts(conn)
        incidents = store.list_incidents(conn)
    crisis = [a for a in alerts if a.raised_at >= onset and a.kind != "backlog"]
    assert crisis and max(a.severity for a in crisis) >= 3
    assert len({a.incident_id for a in crisis}) == 1
    inc = next(i for i in incidents if i["id"] == crisis[0].incident_id)
    assert inc["status"] == "open" and inc["family"] == "crisis"
    assert inc["due_at"] - inc["opened_at"] == timedelta(hours=24)
    assert inc["routed_to"] == "akimat-almaty"
    assert set(inc["kinds"]) >= {a.kind for a in crisis}

    with db.write() as conn:
        store.assign_incident(conn, inc["id"], owner="aigerim", by="lead")
        acked = store.acknowledge_incident(conn, inc["id"], by="aigerim")
    assert acked["status"] == "acknowledged" and acked["owner"] == "aigerim"
    with db.read() as conn:
        statuses = {a.status for a in store.list_alerts(conn) if a.incident_id == inc["id"]}
    assert statuses <= {"acknowledged", "closed"}
    with db.write() as conn:
        resolved = store.resolve_incident(conn, inc["id"], by="aigerim", note="statement posted")
    assert resolved["status"] == "resolved" and resolved["resolution"] == "statement posted"
    with db.write() as conn, pytest.raises(UserError):
        store.resolve_incident(conn, inc["id"], by="aigerim")
    with db.write() as conn, pytest.raises(UserError):
        store.acknowledge_incident(conn, "inc-nope", by="x")


def test_risk_ranks_the_agency_in_crisis_first_and_keeps_unknown_agencies(
    db: Database, stage: SignalsStage
) -> None:
    items, onset = crisis_stream()
    calm, _ = crisis_stream("vk:12345", seed=2)
    calm = [s for s in calm if s.event.created_at < onset]  # the same history, no crisis
    for s in calm:
        s.event.comment_id = "vk-" + s.event.comment_id
    process(db, stage, sorted(items + calm, key=lambda s: s.event.created_at))
    with db.read() as conn:
        before = {r.agency: r for r in agency_risk(conn, onset - timedelta(hours=1))}
        during = agency_risk(conn, onset + timedelta(hours=2))
        cells = region_matrix(conn, onset + timedelta(hours=2), Registry.default())
    assert set(before) == {"akimat-almaty", "vk:12345"}
    assert during[0].agency == "akimat-almaty"
    assert during[0].level in ("high", "critical")
    assert during[0].score > before["akimat-almaty"].score
    assert {r.agency for r in during} == {"akimat-almaty", "vk:12345"}
    top = cells[0]
    assert top["topic"] == "housing_utilities" and top["region"] != "unknown"
    assert any(c["region"] == "unknown" for c in cells)


def test_live_ticks_judge_quiet_agencies_but_never_replays(
    db: Database, stage: SignalsStage
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    process(db, stage, [comment(1, now - timedelta(minutes=40))])
    process(db, stage, [comment(2, T0, agency="akimat-astana")])
    with db.write() as conn:
        stage.tick(conn, now)
        monitors = store.load_monitors(conn, ["akimat-almaty", "akimat-astana"])
    assert monitors["akimat-almaty"].judged >= 2
    assert monitors["akimat-astana"].judged == 0


def quiet_crisis(db: Database, stage: SignalsStage) -> tuple[list[dict[str, Any]], datetime, int]:
    """A crisis, then half a day of ordinary comments, then nothing: the crisis incidents
    (alerts all closed, not yet resolved), their last alert, and the next comment number."""
    items, _ = crisis_stream()
    n = len(items) + 1
    t = items[-1].event.created_at
    # half a day of ordinary comments, each its own words: the alerts close
    rng = random.Random(3)
    words = ["".join(rng.choice("абвгдеклмнопрстуя") for _ in range(7)) for _ in range(5000)]
    calm = [
        comment(n + minute, t + timedelta(minutes=minute), text=" ".join(rng.sample(words, 6)))
        for minute in range(1, 12 * 60)
    ]
    process(db, stage, items + calm)
    with db.read() as conn:
        crisis = [i for i in store.list_incidents(conn) if i["family"] == "crisis"]
    assert crisis and all(i["status"] != "resolved" and i["open_alerts"] == 0 for i in crisis)
    last = max(i["last_alert_at"] for i in crisis)
    assert calm[-1].event.created_at < last + store.QUIET_RESOLVE  # the clock stopped short
    return crisis, last, n


def test_a_quiet_incident_stops_weighing_when_the_stage_would_resolve_it(
    db: Database, stage: SignalsStage
) -> None:
    """The stage resolves an incident 24 quiet hours after its last alert, but only
    when the agency's own clock gets there. Risk read in between (no comments since:
    a small district, the end of a replay) counts it as the stage will."""
    crisis, last, n = quiet_crisis(db, stage)

    def open_incidents(at: datetime) -> list[tuple[int, bool]]:
        with db.read() as conn:
            return gather(conn, at)["akimat-almaty"].incident_severities

    before = last + store.QUIET_RESOLVE - timedelta(hours=1)
    after = last + store.QUIET_RESOLVE + timedelta(hours=1)
    # past its 24-hour clock and nobody on it: weighs its full severity, until the quiet day
    neglected = (max(i["severity"] for i in crisis), True)
    assert neglected in open_incidents(before)
    assert neglected not in open_incidents(after)  # a routine backlog incident may remain
    # and the list shows them as the stage will record them
    with db.read() as conn:
        then = {i["id"]: i for i in store.list_incidents(conn, at=before)}
        later = {i["id"]: i for i in store.list_incidents(conn, at=after)}
        still_open = {i["id"] for i in store.list_incidents(conn, status="open", at=after)}
    assert all(then[i["id"]]["status"] == "open" for i in crisis)
    assert all(later[i["id"]]["status"] == "resolved" for i in crisis)
    assert not still_open & {i["id"] for i in crisis}
    shown = later[crisis[0]["id"]]
    # one more comment, far ahead, could be a wrong date: the clock waits for a second
    process(db, stage, [comment(n + 100_000, after)])
    with db.read() as conn:
        waiting = {i["id"]: i for i in store.list_incidents(conn)}
    assert all(waiting[i["id"]]["status"] == "open" for i in crisis)
    # a second moves it on: the stage resolves them, and the figures stand
    process(db, stage, [comment(n + 100_001, after + timedelta(minutes=5))])
    with db.read() as conn:
        resolved = {i["id"]: i for i in store.list_incidents(conn)}
    assert all(resolved[i["id"]]["status"] == "resolved" for i in crisis)
    assert resolved[crisis[0]["id"]]["resolved_at"] == last + store.QUIET_RESOLVE
    recorded = resolved[crisis[0]["id"]]
    keys = ("status", "resolved_at", "resolved_by", "resolution")
    assert {k: shown[k] for k in keys} == {k: recorded[k] for k in keys}
    assert neglected not in open_incidents(after)


def test_live_ticks_resolve_a_quiet_incident_by_the_wall_clock(
    db: Database, stage: SignalsStage
) -> None:
    """Live, a district nobody writes to after its crisis gets its incident resolved once
    the wall clock has passed the quiet day; data long past (a replay) keeps its own clock."""
    crisis, last, _ = quiet_crisis(db, stage)
    quiet_end = last + store.QUIET_RESOLVE

    def statuses(now: datetime) -> set[str]:
        with db.write() as conn:
            stage.tick(conn, now + LIVE_DELAY)
            rows = {i["id"]: i for i in store.list_incidents(conn)}
        return {rows[i["id"]]["status"] for i in crisis}

    assert statuses(quiet_end + timedelta(days=60)) == {"open"}  # months on: a replay
    assert statuses(quiet_end - timedelta(hours=1)) == {"open"}  # live, not quiet long enough
    assert statuses(quiet_end + timedelta(minutes=5)) == {"resolved"}
    with db.read() as conn:
        rows = {i["id"]: i for i in store.list_incidents(conn)}
    for i in crisis:
        got = rows[i["id"]]
        assert got["resolved_at"] == i["last_alert_at"] + store.QUIET_RESOLVE
        assert (got["resolved_by"], got["resolution"]) == ("qulaq", store.QUIET_RESOLUTION)
