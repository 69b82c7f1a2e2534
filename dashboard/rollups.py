"""Hourly rollups of the comments, kept up to date incrementally.

The pages read `rollup_hourly` (per agency, account and UTC hour) and
`rollup_topics` instead of scanning `comments`. A refresh finds the comments
written since the last one (`comments.updated_at`), and recomputes only the
(agency, hour) buckets they fall in. Rows are stamped when their batch is
written, which can be a little before the batch commits, so once something new
has arrived a refresh looks back `OVERLAP` before its watermark as well;
recomputing a bucket twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Float,
    FromClause,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    select,
    true,
    tuple_,
    update,
)

from qulaq.storage.schema import comments, rollup_hourly, rollup_state, rollup_topics
from qulaq.storage.types import UTCDateTime
from qulaq.storage.upsert import insert_ignoring_duplicates

STATE = "hourly"
# More touched agency-hours than this: rebuilding everything is quicker.
_REBUILD_ABOVE = 50_000
# The (agency, hour) buckets one refresh recomputes; a temporary table of the session.
_touched = Table(
    "rollup_touched",
    MetaData(),
    Column("agency", String(512), nullable=False),
    Column("hour", Integer, nullable=False),
    Column("t0", UTCDateTime, nullable=False),
    Column("t1", UTCDateTime, nullable=False),
    prefixes=["TEMPORARY"],
)
OVERLAP = timedelta(minutes=2)
LANG_COLUMNS = {"kk": "lang_kk", "ru": "lang_ru", "en": "lang_en", "mixed": "lang_mixed"}


@dataclass(frozen=True, slots=True)
class RefreshResult:
    full: bool
    buckets: int  # rollup rows (agency, hour, account) recomputed
    seconds: float


def hour_of(dt: datetime) -> int:
    """Hours since the epoch (UTC) of an aware datetime."""
    return int(dt.timestamp() // 3600)


def hour_start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC)


def _hour_expr(conn: Connection, col: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "sqlite":
        return cast(func.strftime("%s", col), Integer) // 3600
    return cast(func.floor(func.extract("epoch", col) / 3600), BigInteger)


def _seconds_between(conn: Connection, start: Any, end: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return cast(func.extract("epoch", end - start), Float)


def _hourly_select(conn: Connection, source: FromClause) -> Any:
    c = comments.c
    citizen = c.is_official_reply.is_(False)
    live = c.deleted.is_(False)

    def n(cond: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    answered = citizen & c.answered_at.is_not(None)
    hour = _hour_expr(conn, c.created_at).label("hour")
    cols: list[Any] = [
        c.agency,
        hour,
        c.platform,
        c.account,
        n(citizen).label("comments"),
        n(c.is_official_reply.is_(True)).label("official"),
        n(citizen & (c.sentiment == "negative")).label("negative"),
        n(citizen & (c.sentiment == "neutral")).label("neutral"),
        n(citizen & (c.sentiment == "positive")).label("positive"),
        n(citizen & c.aggression.in_(("aggression", "strong"))).label("aggression"),
        n(citizen & (c.aggression == "strong")).label("strong"),
        n(citizen & live & c.needs_answer.is_(True)).label("needs_answer"),
        n(citizen & live & c.urgent.is_(True)).label("urgent"),
        n(answered).label("answered"),
        func.coalesce(
            func.sum(
                case((answered, _seconds_between(conn, c.created_at, c.answered_at)), else_=0.0)
            ),
            0.0,
        ).label("answer_seconds"),
    ]
    for lang, name in LANG_COLUMNS.items():
        cols.append(n(citizen & (c.lang == lang)).label(name))
    cols.append(
        func.coalesce(func.sum(case((citizen, func.coalesce(c.likes, 0)), else_=0)), 0).label(
            "likes"
        )
    )
    return select(*cols).select_from(source).group_by(c.agency, hour, c.platform, c.account)


def _topics_select(conn: Connection, source: FromClause) -> Any:
    """Comments and negative comments per agency, hour and topic (one row per topic of a
    comment, from the JSON array in `comments.topics`)."""
    c = comments.c
    hour = _hour_expr(conn, c.created_at).label("hour")
    if conn.dialect.name == "sqlite":
        each = func.json_each(c.topics).table_valued("value")
    else:
        each = func.json_array_elements_text(cast(c.topics, JSON)).table_valued("value")
    topic = func.substr(each.c.value, 1, 64).label("topic")
    return (
        select(
            c.agency,
            hour,
            topic,
            func.count().label("comments"),
            func.coalesce(func.sum(case((c.sentiment == "negative", 1), else_=0)), 0).label(
                "negative"
            ),
        )
        .select_from(source)
        .join(each, true())
        .where(c.is_official_reply.is_(False), c.topics.is_not(None), c.topics != "[]")
        .group_by(c.agency, hour, topic)
    )


def _write(conn: Connection, source: FromClause = comments) -> int:
    """Insert the rollup rows of the comments in `source`, computed in the database."""
    hourly = _hourly_select(conn, source)
    topical = _topics_select(conn, source)
    names = [col.name for col in hourly.selected_columns]
    done = conn.execute(insert(rollup_hourly).from_select(names, hourly)).rowcount
    conn.execute(
        insert(rollup_topics).from_select(
            ["agency", "hour", "topic", "comments", "negative"], topical
        )
    )
    if done is None or done < 0:  # the driver does not count INSERT … SELECT
        done = conn.execute(select(func.count()).select_from(rollup_hourly)).scalar_one()
    return int(done)


def _lock_state(conn: Connection, now: datetime) -> dict[str, Any] | None:
    insert_ignoring_duplicates(
        conn, rollup_state, [{"name": STATE, "watermark": None, "refreshed_at": now}]
    )
    q = select(rollup_state).where(rollup_state.c.name == STATE)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    row = conn.execute(q).mappings().one()
    return dict(row)


def refresh(conn: Connection, *, full: bool = False, now: datetime | None = None) -> RefreshResult:
    """Bring the rollups up to date inside the caller's (writing) transaction."""
    import time

    started = time.perf_counter()
    now = now or datetime.now(UTC)
    state = _lock_state(conn, now)
    watermark = None if full or state is None else state["watermark"]
    c = comments.c
    newest = conn.execute(select(func.max(c.updated_at))).scalar_one()
    if watermark is None:
        conn.execute(delete(rollup_hourly))
        conn.execute(delete(rollup_topics))
        buckets = _write(conn)
        _save_state(conn, newest, now)
        return RefreshResult(True, buckets, time.perf_counter() - started)
    if newest is None or newest <= watermark:
        _save_state(conn, watermark, now)
        return RefreshResult(False, 0, time.perf_counter() - started)
    # plain rows through ix_comments_updated_at; a DISTINCT in SQL lets the planner walk
    # a whole other index instead
    hours = {
        (agency, hour_of(created))
        for agency, created in conn.execute(
            select(c.agency, c.created_at).where(c.updated_at > watermark - OVERLAP)
        )
    }
    touched = [
        {"agency": agency, "hour": h, "t0": hour_start(h), "t1": hour_start(h + 1)}
        for agency, h in hours
    ]
    if len(touched) > _REBUILD_ABOVE:
        return refresh(conn, full=True, now=now)
    t = _touched.c
    _touched.create(conn, checkfirst=True)
    conn.execute(delete(_touched))
    conn.execute(insert(_touched), touched)
    # statistics, so the planner walks the few touched buckets rather than all comments
    conn.exec_driver_sql(
        "ANALYZE temp.rollup_touched" if conn.dialect.name == "sqlite" else "ANALYZE rollup_touched"
    )
    for table in (rollup_hourly, rollup_topics):
        conn.execute(
            delete(table).where(tuple_(table.c.agency, table.c.hour).in_(select(t.agency, t.hour)))
        )
    # the touched buckets drive the join, each found through ix_comments_agency_created_at
    on = and_(t.agency == c.agency, c.created_at >= t.t0, c.created_at < t.t1)
    buckets = _write(conn, _touched.join(comments, on))
    conn.execute(delete(_touched))
    _save_state(conn, min(max(newest, watermark), now), now)
    return RefreshResult(False, buckets, time.perf_counter() - started)


def _save_state(conn: Connection, watermark: datetime | None, now: datetime) -> None:
    conn.execute(
        update(rollup_state)
        .where(rollup_state.c.name == STATE)
        .values(watermark=watermark, refreshed_at=now)
    )


def watermark(conn: Connection) -> datetime | None:
    """Comments updated up to here are in the rollups: what a cached page depends on."""
    return conn.execute(
        select(rollup_state.c.watermark).where(rollup_state.c.name == STATE)
    ).scalar_one_or_none()
