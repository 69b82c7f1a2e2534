"""What the pages show, read from the rollups and, for single comments, from `comments`.

Plain functions over a connection: no Streamlit here, so the bench and the
tests call them directly. Times are aware UTC datetimes; `hour` is hours since
the epoch (see `dashboard.rollups`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, case, func, or_, select

from dashboard.rollups import LANG_COLUMNS, hour_of, hour_start
from qulaq.registry import Registry
from qulaq.storage.schema import comment_work, comments, rollup_hourly, rollup_topics

COUNTS = (
    "comments",
    "official",
    "negative",
    "neutral",
    "positive",
    "aggression",
    "strong",
    "needs_answer",
    "urgent",
    "answered",
    "answer_seconds",
    *LANG_COLUMNS.values(),
    "likes",
)
CLOSED_STATUSES = ("answered", "redirected", "no_answer_needed")
WORK_STATUSES = ("open", *CLOSED_STATUSES)
URGENT_DEADLINE = timedelta(hours=4)
SAFE_SCHEMES = ("https://", "http://")


def data_end(conn: Connection) -> datetime | None:
    """The end of the newest hour with comments."""
    newest = conn.execute(select(func.max(rollup_hourly.c.hour))).scalar_one()
    return None if newest is None else hour_start(int(newest) + 1)


def default_as_of(conn: Connection, now: datetime | None = None) -> datetime:
    """Now, or the end of the data when the newest comment is older (a replay, a review)."""
    now = now or datetime.now(UTC)
    end = data_end(conn)
    return min(now, end) if end is not None else now


def _frame(result: Any) -> pd.DataFrame:
    """A result as a data frame, column by column (pandas is slow on row objects)."""
    cols = list(result.keys())
    rows = result.fetchall()
    if not rows:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(dict(zip(cols, zip(*rows, strict=True), strict=True)))


def _scope_filter(col: Any, agencies: Collection[str] | None) -> Any:
    return True if agencies is None else col.in_(list(agencies))


def hourly(
    conn: Connection,
    start: datetime,
    end: datetime,
    agencies: Collection[str] | None = None,
    *,
    by_account: bool = False,
) -> pd.DataFrame:
    """Summed counts per agency and hour (and account) in [start, end)."""
    r = rollup_hourly.c
    keys: list[Any] = [r.agency, r.hour]
    if by_account:
        keys += [r.platform, r.account]
    q = (
        select(*keys, *(func.sum(getattr(r, name)).label(name) for name in COUNTS))
        .where(r.hour >= hour_of(start), r.hour < hour_of(end))
        .group_by(*keys)
    )
    if agencies is not None:
        q = q.where(_scope_filter(r.agency, agencies))
    frame = _frame(conn.execute(q))
    cols = list(frame.columns)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    frame[list(COUNTS)] = frame[list(COUNTS)].apply(pd.to_numeric).fillna(0)
    return frame


def topics(
    conn: Connection,
    start: datetime,
    end: datetime,
    agencies: Collection[str] | None = None,
) -> pd.DataFrame:
    """Comments and negative comments per agency and topic in [start, end)."""
    t = rollup_topics.c
    q = (
        select(
            t.agency,
            t.topic,
            func.sum(t.comments).label("comments"),
            func.sum(t.negative).label("negative"),
        )
        .where(t.hour >= hour_of(start), t.hour < hour_of(end))
        .group_by(t.agency, t.topic)
    )
    if agencies is not None:
        q = q.where(_scope_filter(t.agency, agencies))
    return _frame(conn.execute(q))


def topic_series(
    conn: Connection, agency: str, start: datetime, end: datetime, topic: str
) -> pd.DataFrame:
    t = rollup_topics.c
    q = select(t.hour, t.comments, t.negative).where(
        t.agency == agency, t.topic == topic, t.hour >= hour_of(start), t.hour < hour_of(end)
    )
    return pd.DataFrame(conn.execute(q).mappings().all())


@dataclass(frozen=True, slots=True)
class Window:
    """The periods the overview compares: recent hours against the days before."""

    at: datetime
    recent: timedelta = timedelta(hours=24)
    baseline: timedelta = timedelta(days=7)
    spark: timedelta = timedelta(hours=48)

    @property
    def start(self) -> datetime:
        return self.at - self.recent - self.baseline


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def agency_figures(frame: pd.DataFrame, window: Window) -> dict[str, dict[str, Any]]:
    """Per agency: hourly series over the window, recent and baseline sums, the sparkline."""
    out: dict[str, dict[str, Any]] = {}
    if frame.empty:
        return out
    first = hour_of(window.start)
    n_hours = max(hour_of(window.at) - first, 1)
    recent_n = int(window.recent.total_seconds() // 3600)
    spark_n = int(window.spark.total_seconds() // 3600)
    names, agency_idx = np.unique(frame["agency"].to_numpy(dtype=object), return_inverse=True)
    hour_idx = (frame["hour"].to_numpy(dtype="int64") - first).clip(0, n_hours - 1)
    cube = np.zeros((len(names), n_hours, len(COUNTS)))
    np.add.at(cube, (agency_idx, hour_idx), frame[list(COUNTS)].to_numpy(dtype="float64"))
    totals = cube[:, :, COUNTS.index("comments")] + cube[:, :, COUNTS.index("official")]
    for a, agency in enumerate(names):
        series = {name: cube[a, :, k] for k, name in enumerate(COUNTS)}
        active = np.flatnonzero(totals[a])
        start_idx = int(active[0]) if active.size else n_hours
        recent = cube[a, -recent_n:].sum(axis=0)
        base = cube[a, start_idx:-recent_n].sum(axis=0)
        r = {name: float(recent[k]) for k, name in enumerate(COUNTS)}
        b = {name: float(base[k]) for k, name in enumerate(COUNTS)}
        base_hours = max(n_hours - recent_n - start_idx, 0)
        out[str(agency)] = {
            "series": series,
            "history_hours": base_hours,
            "recent": r,
            "baseline": b,
            "expected_recent": b["comments"] / base_hours * recent_n if base_hours else 0.0,
            "spark": series["comments"][-spark_n:].tolist(),
            "negative_share": share(r["negative"], r["comments"]),
            "baseline_negative_share": share(b["negative"], b["comments"]),
            "aggression_share": share(r["aggression"], r["comments"]),
            "reply_rate": share(r["answered"], r["comments"]),
            "unanswered": max(
                r["needs_answer"] + b["needs_answer"] - r["answered"] - b["answered"], 0
            ),
        }
    return out


def account_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Reply rate and mean response time per platform and account."""
    if frame.empty:
        return pd.DataFrame(
            columns=["platform", "account", "comments", "official", "answered", "reply_rate"]
        )
    g = frame.groupby(["platform", "account"], as_index=False)[list(COUNTS)].sum()
    g["reply_rate"] = (g["answered"] / g["comments"].where(g["comments"] > 0)).round(3)
    g["response_hours"] = (
        g["answer_seconds"] / g["answered"].where(g["answered"] > 0) / 3600
    ).round(1)
    return g.sort_values("comments", ascending=False)[
        ["platform", "account", "comments", "official", "answered", "reply_rate", "response_hours"]
    ]


def region_matrix(
    topic_frame: pd.DataFrame, registry: Registry, national: str = "national"
) -> pd.DataFrame:
    """Negative comments per territory (rows) and sphere (topic, columns).

    Ministries and agencies without a region count under `national`.
    """
    if topic_frame.empty:
        return pd.DataFrame()
    rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for agency, topic, negative in zip(
        topic_frame["agency"], topic_frame["topic"], topic_frame["negative"], strict=True
    ):
        region = registry.agency(str(agency)).region or national
        rows[region][str(topic)] += float(negative)
    matrix = pd.DataFrame(rows).T.fillna(0.0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
    return matrix[matrix.sum(axis=0).sort_values(ascending=False).index]


# ---------------------------------------------------------------- single comments

_COMMENT_COLUMNS = (
    comments.c.platform,
    comments.c.account,
    comments.c.comment_id,
    comments.c.agency,
    comments.c.created_at,
    comments.c.text,
    comments.c.author_name,
    comments.c.likes,
    comments.c.url,
    comments.c.sentiment,
    comments.c.p_negative,
    comments.c.aggression,
    comments.c.lang,
    comments.c.topics,
    comments.c.needs_answer,
    comments.c.urgent,
    comments.c.severity,
    comments.c.answer_days,
    comments.c.answered_at,
    comments.c.deleted,
)


def safe_url(url: str | None) -> str | None:
    """A link to the original only when it is plainly http(s)."""
    if not url:
        return None
    stripped = url.strip()
    if stripped.lower().startswith(SAFE_SCHEMES) and not any(c in stripped for c in "\"'<> \n"):
        return stripped
    return None


def _comment_rows(rows: Any) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        d = dict(r)
        d["url"] = safe_url(d.get("url"))
        try:
            d["topics"] = json.loads(d["topics"]) if d.get("topics") else []
        except ValueError:
            d["topics"] = []
        out.append(d)
    return out


def top_comments(
    conn: Connection,
    agency: str,
    start: datetime,
    end: datetime,
    *,
    order: str,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """The most negative or most liked citizens' comments of an agency in [start, end)."""
    c = comments.c
    key = c.p_negative.desc() if order == "negative" else c.likes.desc()
    wanted = c.sentiment == "negative" if order == "negative" else c.likes.is_not(None)
    q = (
        select(*_COMMENT_COLUMNS)
        .where(
            c.agency == agency,
            c.created_at >= start,
            c.created_at < end,
            c.is_official_reply.is_(False),
            c.deleted.is_(False),
            wanted,
        )
        .order_by(key, c.created_at.desc())
        .limit(limit)
    )
    return _comment_rows(conn.execute(q).mappings())


def deadline(row: dict[str, Any]) -> datetime:
    created: datetime = row["created_at"]
    if row.get("urgent"):
        return created + URGENT_DEADLINE
    return created + timedelta(days=int(row.get("answer_days") or 3))


def _unanswered(as_of: datetime | None) -> Any:
    """No official reply in the thread: none at all, or, reviewing the moment `as_of`,
    none by then (a comment answered later was waiting then)."""
    c = comments.c
    if as_of is None:
        return c.answered_at.is_(None)
    return or_(c.answered_at.is_(None), c.answered_at > as_of)


def _work_status(as_of: datetime | None) -> Any:
    """The queue status set by hand; reviewing the moment `as_of`, one set after it was
    not set yet (open then)."""
    w = comment_work.c
    status = func.coalesce(w.status, "open")
    if as_of is None:
        return status
    return case((w.updated_at > as_of, "open"), else_=status)


def _as_it_stood(rows: list[dict[str, Any]], as_of: datetime | None) -> list[dict[str, Any]]:
    """Rows without what happened after `as_of` (an answer given later)."""
    if as_of is not None:
        for row in rows:
            if row.get("answered_at") is not None and row["answered_at"] > as_of:
                row["answered_at"] = None
    return rows


def work_queue(
    conn: Connection,
    agencies: Collection[str] | None,
    *,
    since: datetime,
    until: datetime,
    statuses: Collection[str] = ("open",),
    limit: int = 200,
    search: str | None = None,
    urgent_only: bool = False,
    as_of: datetime | None = None,
) -> list[dict[str, Any]]:
    """Citizens' comments that need an answer, ordered by deadline; `search` keeps those
    whose text holds it (any case), `urgent_only` the urgent appeals; `as_of`, a moment
    under review, gives the queue as it stood then (answers and hand-set statuses of later
    not counted).

    Open means: no official reply in the thread and nobody marked it answered,
    redirected or not needing an answer. Triage gives 1, 3 or 15 days by
    severity; urgent appeals are due within hours.
    """
    c, w = comments.c, comment_work.c
    status = _work_status(as_of)
    base = (
        select(
            *_COMMENT_COLUMNS,
            status.label("status"),
            w.assignee,
            w.redirected_to,
            w.note,
            w.updated_by,
            w.updated_at.label("work_updated_at"),
        )
        .select_from(
            comments.outerjoin(
                comment_work,
                and_(
                    w.platform == c.platform,
                    w.account == c.account,
                    w.comment_id == c.comment_id,
                ),
            )
        )
        .where(
            c.needs_answer.is_(True),
            c.is_official_reply.is_(False),
            c.deleted.is_(False),
            c.created_at >= since,
            c.created_at < until,
            status.in_(list(statuses)),
        )
    )
    if agencies is not None:
        base = base.where(c.agency.in_(list(agencies)))
    if "open" in statuses and len(statuses) == 1:
        base = base.where(_unanswered(as_of))
    if search and search.strip():
        # SQLite folds case with the `casefold` function the database registers.
        fold = func.casefold if conn.dialect.name == "sqlite" else func.lower
        base = base.where(fold(c.text).contains(search.strip().casefold(), autoescape=True))
    # Deadlines are created_at plus a few fixed spans, so the earliest deadlines are the
    # oldest comments of each span: one ordered, limited query per span, merged here.
    spans = [
        base.where(c.urgent.is_(True)),
        *(
            base.where(
                or_(c.urgent.is_(False), c.urgent.is_(None)),
                c.answer_days == days if days is not None else c.answer_days.is_(None),
            )
            for days in ((1, 3, 15, None) if not urgent_only else ())
        ),
    ]
    merged: list[dict[str, Any]] = []
    for q in spans:
        rows = _comment_rows(conn.execute(q.order_by(c.created_at).limit(limit)).mappings())
        merged.extend(_as_it_stood(rows, as_of))
    for row in merged:
        row["deadline"] = deadline(row)
    merged.sort(key=lambda r: (r["deadline"], r["created_at"]))
    return merged[:limit]


def open_backlog(
    conn: Connection,
    agencies: Collection[str] | None,
    since: datetime,
    until: datetime,
    *,
    as_of: datetime | None = None,
) -> dict[str, int]:
    """Open comments needing an answer per agency (no reply, not closed by hand); by
    `as_of`, a moment under review, when given."""
    c, w = comments.c, comment_work.c
    q = (
        select(c.agency, func.count())
        .select_from(
            comments.outerjoin(
                comment_work,
                and_(
                    w.platform == c.platform,
                    w.account == c.account,
                    w.comment_id == c.comment_id,
                ),
            )
        )
        .where(
            c.needs_answer.is_(True),
            c.is_official_reply.is_(False),
            c.deleted.is_(False),
            _unanswered(as_of),
            c.created_at >= since,
            c.created_at < until,
            _work_status(as_of) == "open",
        )
        .group_by(c.agency)
    )
    if agencies is not None:
        q = q.where(c.agency.in_(list(agencies)))
    return {str(a): int(n) for a, n in conn.execute(q)}


def get_comment(
    conn: Connection, platform: str, account: str, comment_id: str
) -> dict[str, Any] | None:
    c = comments.c
    rows = _comment_rows(
        conn.execute(
            select(*_COMMENT_COLUMNS).where(
                c.platform == platform, c.account == account, c.comment_id == comment_id
            )
        ).mappings()
    )
    return rows[0] if rows else None


def sla_counts(
    conn: Connection,
    agencies: Collection[str] | None,
    *,
    since: datetime,
    at: datetime,
    as_of: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """Open comments per deadline class (urgent, light, medium, heavy): how many, how many
    past their deadline at `at`, and how many fall due within the next 24 hours; open by
    `as_of`, a moment under review, when given."""
    c, w = comments.c, comment_work.c
    base = (
        select(func.count())
        .select_from(
            comments.outerjoin(
                comment_work,
                and_(
                    w.platform == c.platform,
                    w.account == c.account,
                    w.comment_id == c.comment_id,
                ),
            )
        )
        .where(
            c.needs_answer.is_(True),
            c.is_official_reply.is_(False),
            c.deleted.is_(False),
            _unanswered(as_of),
            c.created_at >= since,
            c.created_at < at,
            _work_status(as_of) == "open",
        )
    )
    if agencies is not None:
        base = base.where(c.agency.in_(list(agencies)))
    not_urgent = or_(c.urgent.is_(False), c.urgent.is_(None))
    classes: dict[str, tuple[Any, timedelta]] = {
        "urgent": (c.urgent.is_(True), URGENT_DEADLINE),
        "light": (and_(not_urgent, c.answer_days == 1), timedelta(days=1)),
        "medium": (and_(not_urgent, c.answer_days == 3), timedelta(days=3)),
        "heavy": (and_(not_urgent, c.answer_days == 15), timedelta(days=15)),
    }
    out: dict[str, dict[str, int]] = {}
    day = timedelta(hours=24)
    for name, (cond, span) in classes.items():
        q = base.where(cond)
        total = conn.execute(q).scalar_one()
        if not total:
            continue
        overdue = conn.execute(q.where(c.created_at <= at - span)).scalar_one()
        soon = conn.execute(
            q.where(c.created_at > at - span, c.created_at <= at - span + day)
        ).scalar_one()
        out[name] = {"open": int(total), "overdue": int(overdue), "due_24h": int(soon)}
    return out
