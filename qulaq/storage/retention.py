"""Retention of raw personal data (`retention.raw_days`; off by default, CONTRACT §1).

What goes after N days, and what stays:

- citizens' comments (`comments`): the text, the author's pseudonym and name and
  the link are blanked; the row stays with its identity, times, tombstone, text
  hash (so a re-delivered version is still recognised and never reverts a
  later edit) and analysis, so counts, rollups, risk and reply times are
  unchanged. A comment goes when its creation, its first storage and its
  current text are all older than N days: a replay of an old month stays until
  it has been kept N days too. The agency's own replies are not personal data
  and stay whole;
- their version history (`comment_versions`): the text of each version older
  than N days, kept and stored N days ago, is blanked; the row stays;
- alerts (`alerts`, `alert_changes`): the quoted comments' text and link are
  blanked in alerts raised N days ago and last stored N days ago (a replayed
  month's alerts keep their quotes as long as its comments keep their text); the
  alert, its figures and quotes' identities stay;
- quarantine (`quarantine`): the raw bytes of lines received N days ago are
  blanked; origin, reason and hash stay, so the counts do not change and the same
  line is not kept again.

Counts, rollups, signal buckets, incidents, playbook runs, agency posts, the
collectors' seen-set (ids and hashes) and staff records are kept. Every change
is a parameterised statement (SQLAlchemy Core) in batches of short
transactions, on SQLite and PostgreSQL alike. The raw events on the bus (the
embedded log, the Kafka topics) are limited too: see `stream/retention.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, exists, or_, select, update

from qulaq.config import Settings
from qulaq.errors import UserError
from qulaq.storage.database import Database
from qulaq.storage.schema import alert_changes, alerts, comment_versions, comments, quarantine

BATCH = 2000
# the longest a number of days may be: a thousand years back is still a date, while
# a hundred million days would reach before the year 1 (no cutoff could be computed)
MAX_DAYS = 365_000


def raw_days(settings: Settings, override: float | None = None) -> float | None:
    """The configured retention in days, or None when it is off."""
    table = settings.option("retention")
    # A misspelt key inside it is refused when the config file is loaded (qulaq.config).
    if table is not None and not isinstance(table, dict):
        raise UserError.t("retention.not_table", value=table)
    value = override if override is not None else settings.option("retention.raw_days")
    return days_option(value, "retention.raw_days")


def days_option(value: Any, name: str) -> float | None:
    """A setting that is a number of days: None when it is off (absent, false or empty),
    a one-line error naming the setting when it is not a positive number of at most
    MAX_DAYS."""
    if value is None or value is False or value == "":
        return None
    try:
        days = float(value)
    except (TypeError, ValueError):
        raise UserError.t("setting.not_days", name=name, value=value) from None
    if not days > 0 or days == float("inf"):
        raise UserError.t("setting.not_positive_days", name=name, value=value)
    if days > MAX_DAYS:
        raise UserError.t("setting.too_many_days", name=name, value=value, most=MAX_DAYS)
    return days


@dataclass
class Outcome:
    table: str
    what: str
    rows: int


@dataclass(frozen=True)
class _Target:
    table: Table
    what: str
    key: Any  # the primary key column, for batches in key order
    due: Callable[[datetime], ColumnElement[bool]]  # rows old enough that still hold data
    blank: Callable[[dict[str, Any]], dict[str, Any] | None]  # new values, None: unchanged
    columns: tuple[str, ...] = ()


def _comment_due(cutoff: datetime) -> ColumnElement[bool]:
    c = comments.c
    return and_(
        c.created_at < cutoff,
        c.stored_at < cutoff,
        or_(c.text_at.is_(None), c.text_at < cutoff),
        c.is_official_reply.is_(False),
        or_(
            c.text != "",
            c.author_hash.is_not(None),
            c.author_name.is_not(None),
            c.url.is_not(None),
        ),
    )


def _version_due(cutoff: datetime) -> ColumnElement[bool]:
    v, c = comment_versions.c, comments.c
    official = exists().where(
        c.platform == v.platform,
        c.account == v.account,
        c.comment_id == v.comment_id,
        c.is_official_reply.is_(True),
    )
    return and_(v.version_at < cutoff, v.stored_at < cutoff, v.text != "", ~official)


def _alert_due(cutoff: datetime) -> ColumnElement[bool]:
    """Raised, and last stored, N days ago: as with comments, an old month replayed today
    keeps its alerts' quotes N days, as long as the quoted comments themselves."""
    return and_(alerts.c.raised_at < cutoff, alerts.c.stored_at < cutoff)


def _quarantine_due(cutoff: datetime) -> ColumnElement[bool]:
    q = quarantine.c
    return and_(q.received_at < cutoff, q.raw != b"")


def _blank_quotes(row: dict[str, Any]) -> dict[str, Any] | None:
    try:
        body = json.loads(row["body"])
    except (TypeError, ValueError):
        return None
    quotes = body.get("top_comments") if isinstance(body, dict) else None
    if not isinstance(quotes, list):
        return None
    changed = False
    for q in quotes:
        if isinstance(q, dict) and (q.get("text") or q.get("url")):
            q["text"], q["url"] = "", None
            changed = True
    return {"body": json.dumps(body, ensure_ascii=False)} if changed else None


TARGETS = (
    _Target(
        comments,
        "comment texts, authors and links",
        comments.c.id,
        _comment_due,
        lambda _: {"text": "", "author_hash": None, "author_name": None, "url": None},
    ),
    _Target(
        comment_versions,
        "texts in the version history",
        comment_versions.c.id,
        _version_due,
        lambda _: {"text": ""},
    ),
    _Target(
        alerts,
        "alerts' quoted comments",
        alerts.c.id,
        _alert_due,
        _blank_quotes,
        ("body",),
    ),
    _Target(
        alert_changes,
        "alert changes' quoted comments",
        alert_changes.c.id,
        lambda cutoff: and_(
            alert_changes.c.at < cutoff,
            exists().where(alerts.c.id == alert_changes.c.alert_id, _alert_due(cutoff)),
        ),
        _blank_quotes,
        ("body",),
    ),
    _Target(
        quarantine,
        "raw quarantined lines",
        quarantine.c.id,
        _quarantine_due,
        lambda _: {"raw": b""},
    ),
)


def _batches(db: Database, target: _Target, cutoff: datetime) -> Iterator[list[dict[str, Any]]]:
    """Rows due, in key order, a batch at a time (keyset: each batch a short read)."""
    cols = [target.key, *(target.table.c[name] for name in target.columns)]
    last: Any = None
    while True:
        query = select(*cols).where(target.due(cutoff))
        if last is not None:
            query = query.where(target.key > last)
        with db.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query.order_by(target.key).limit(BATCH))]
        if not rows:
            return
        yield rows
        last = rows[-1][target.key.name]


def apply(
    db: Database, days: float, *, dry_run: bool = False, now: datetime | None = None
) -> tuple[datetime, list[Outcome]]:
    """Blank what is older than `days`; with `dry_run`, only count it."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    outcomes: list[Outcome] = []
    for target in TARGETS:
        done = 0
        for rows in _batches(db, target, cutoff):
            changes: list[tuple[Any, dict[str, Any]]] = []
            for row in rows:
                values = target.blank(row)
                if values is not None:
                    changes.append((row[target.key.name], values))
            done += len(changes)
            if dry_run or not changes:
                continue
            with db.write() as conn:
                _write(conn, target, changes, cutoff)
        outcomes.append(Outcome(target.table.name, target.what, done))
    return cutoff, outcomes


def _write(
    conn: Connection,
    target: _Target,
    changes: list[tuple[Any, dict[str, Any]]],
    cutoff: datetime,
) -> None:
    # the condition again: a row changed since it was read (a newer edit) is left alone
    if not target.columns:  # the same blank values for every row: one statement
        keys = [key for key, _ in changes]
        stmt = update(target.table).where(target.key.in_(keys), target.due(cutoff))
        conn.execute(stmt.values(**changes[0][1]))
        return
    for key, values in changes:
        conn.execute(
            update(target.table).where(target.key == key, target.due(cutoff)).values(**values)
        )
