"""The hourly rollups: an incremental refresh gives the same figures as a rebuild, after
new comments, edits, deletions and official replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from dashboard import data, ranking, rollups
from qulaq.config import load_settings
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.storage.schema import comments, rollup_hourly, rollup_topics


def _insert(db: Database, rows: list[dict]) -> None:
    now = datetime.now(UTC)
    base = {
        "agency_explicit": False,
        "kind": "comment",
        "is_official_reply": False,
        "text_rank": 0,
        "text_hash": "x",
        "has_original": True,
        "deleted": False,
        "stored_at": now,
        "updated_at": now,
        "row_version": 1,
    }
    with db.write() as conn:
        conn.execute(comments.insert(), [{**base, **r} for r in rows])


def _snapshot(db: Database) -> tuple[list, list]:
    with db.read() as conn:
        hourly = conn.execute(select(rollup_hourly).order_by(*rollup_hourly.primary_key)).all()
        topics = conn.execute(select(rollup_topics).order_by(*rollup_topics.primary_key)).all()
    return [tuple(r) for r in hourly], [tuple(r) for r in topics]


def _comment(i: int, at: datetime, **extra: object) -> dict:
    return {
        "platform": "vk",
        "account": "club1",
        "comment_id": f"c{i}",
        "agency": extra.pop("agency", "akimat-almaty"),
        "created_at": at,
        "text": f"comment {i}",
        "sentiment": "negative" if i % 3 == 0 else "neutral",
        "aggression": "strong" if i % 7 == 0 else "none",
        "lang": "kk" if i % 2 else "ru",
        "topics": '["housing_utilities", "roads_transport"]' if i % 2 else "[]",
        "needs_answer": i % 4 == 0,
        "answer_days": 3 if i % 4 == 0 else None,
        "likes": i,
        **extra,
    }


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, home: Path) -> Database:
    if request.param == "postgresql":
        request.getfixturevalue("postgres")
    database = Database.open(load_settings())
    assert database.dialect == request.param
    return database


def test_incremental_refresh_equals_a_rebuild(db: Database) -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    _insert(db, [_comment(i, t0 + timedelta(minutes=13 * i)) for i in range(300)])
    with db.write() as conn:
        first = rollups.refresh(conn)
    assert first.full and first.buckets > 0
    with db.write() as conn:
        assert rollups.refresh(conn).buckets == 0  # nothing new: nothing recomputed

    later = datetime.now(UTC) + timedelta(seconds=1)
    _insert(
        db,
        [_comment(i, t0 + timedelta(hours=i - 100), agency="vk:club1") for i in range(300, 320)],
    )
    c = comments.c
    with db.write() as conn:
        conn.execute(
            update(comments)
            .where(c.comment_id.in_(["c3", "c4"]))
            .values(deleted=True, updated_at=later)
        )
        conn.execute(
            update(comments)
            .where(c.comment_id == "c8")
            .values(answered_at=c.created_at, updated_at=later)
        )
    with db.write() as conn:
        step = rollups.refresh(conn)
    assert not step.full and step.buckets > 0
    incremental = _snapshot(db)
    with db.write() as conn:
        rollups.refresh(conn, full=True)
    assert _snapshot(db) == incremental

    with db.read() as conn:
        frame = data.hourly(conn, t0, t0 + timedelta(days=30))
        topics = data.topics(conn, t0, t0 + timedelta(days=30))
    assert int(frame["comments"].sum()) == 320
    assert int(frame["answered"].sum()) == 1
    assert int(frame["strong"].sum()) == len([i for i in range(320) if i % 7 == 0])
    housing = topics[topics["topic"] == "housing_utilities"]["comments"].sum()
    assert int(housing) == 160
    assert set(frame["agency"]) == {"akimat-almaty", "vk:club1"}
    answered = frame[frame["answered"] > 0]
    assert float(answered["answer_seconds"].sum()) == 0.0  # answered at its own creation

    end = t0 + timedelta(days=30)
    with db.read() as conn:
        queue = data.work_queue(conn, None, since=t0, until=end)
        sla = data.sla_counts(conn, ["akimat-almaty"], since=t0, at=end)
        liked = data.top_comments(conn, "akimat-almaty", t0, end, order="likes", limit=3)
        model = ranking.overview(conn, Registry.default(), t0 + timedelta(hours=250))
    needing = [i for i in range(320) if i % 4 == 0 and i not in (4, 8)]
    assert len(queue) == len(needing)
    assert [r["deadline"] for r in queue] == sorted(r["deadline"] for r in queue)
    assert sum(v["open"] for v in sla.values()) == len([i for i in needing if i < 300])
    assert [r["likes"] for r in liked] == [299, 298, 297]
    assert {r.agency for r in model.ranked} == {"akimat-almaty", "vk:club1"}


def test_queue_search_folds_kazakh_and_russian_case(db: Database) -> None:
    """Searching the work queue ignores case in Cyrillic, Kazakh letters included, on
    both databases (SQLite's own lower() folds ASCII only), and takes % and _ as text."""
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    texts = [
        "НЕТ ОТОПЛЕНИЯ в доме",
        "Отопление дали, спасибо",
        "ЖЫЛУ ЖОҚ, балалар тоңып отыр",
        "Өңірде жылу жоқ",
        "скидка 50% на всё",
        "дорога разбита",
    ]
    _insert(db, [_comment(4 * i, t0 + timedelta(hours=i), text=t) for i, t in enumerate(texts)])

    def found(search: str) -> set[str]:
        end = t0 + timedelta(days=1)
        with db.read() as conn:
            rows = data.work_queue(conn, None, since=t0, until=end, search=search)
        return {r["text"] for r in rows}

    assert found("отоплени") == {texts[0], texts[1]}
    assert found("Жылу ЖОҚ") == {texts[2], texts[3]}
    assert found("ӨҢІР") == {texts[3]}
    assert found("50%") == {texts[4]}
    assert found("5_%") == set()
    assert found("  ") == set(texts)


def test_safe_links_and_markdown_escape() -> None:
    from dashboard.widgets import md_escape

    assert data.safe_url("https://vk.com/wall-1_2") == "https://vk.com/wall-1_2"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vk.com", None):
        assert data.safe_url(bad) is None
    assert data.safe_url('https://x.kz/"onmouseover=alert(1)') is None
    escaped = md_escape("[x](javascript:alert(1)) <b>")
    assert "](" not in escaped.replace("\\]\\(", "") and "\\[" in escaped and "\\<" in escaped
