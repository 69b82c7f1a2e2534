"""The hourly rollups: an incremental refresh gives the same figures as a rebuild, after
new comments, edits, deletions and official replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from dashboard import data, rollups
from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import rollup_hourly, rollup_topics


def _insert(db: Database, rows: list[dict]) -> None:  # type: ignore[type-arg]
    from qulaq.storage.schema import comments

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


def _snapshot(db: Database) -> tuple[list, list]:  # type: ignore[type-arg]
    with db.read() as conn:
        hourly = conn.execute(select(rollup_hourly).order_by(*rollup_hourly.primary_key)).all()
        topics = conn.execute(select(rollup_topics).order_by(*rollup_topics.primary_key)).all()
    return [tuple(r) for r in hourly], [tuple(r) for r in topics]


def _comment(i: int, at: datetime, **extra: object) -> dict:  # type: ignore[type-arg]
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


def test_incremental_refresh_equals_a_rebuild(home: Path) -> None:
    db = Database.open(load_settings())
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
        [_comment(i, t0 + timedelta(hours=200 + i), agency="vk:club1") for i in range(300, 320)],
    )
    with db.write() as conn:
        conn.execute(
            text(
                "UPDATE comments SET deleted = 1, updated_at = :u WHERE comment_id IN ('c3', 'c4')"
            ),
            {"u": later.replace(tzinfo=None)},
        )
        conn.execute(
            text(
                "UPDATE comments SET answered_at = created_at, updated_at = :u "
                "WHERE comment_id = 'c8'"
            ),
            {"u": later.replace(tzinfo=None)},
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


def test_safe_links_and_markdown_escape() -> None:
    from dashboard.widgets import md_escape

    assert data.safe_url("https://vk.com/wall-1_2") == "https://vk.com/wall-1_2"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vk.com", None):
        assert data.safe_url(bad) is None
    assert data.safe_url('https://x.kz/"onmouseover=alert(1)') is None
    escaped = md_escape("[x](javascript:alert(1)) <b>")
    assert "](" not in escaped.replace("\\]\\(", "") and "\\[" in escaped and "\\<" in escaped
