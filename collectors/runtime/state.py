"""The runtime's state in the database: checkpoints, the seen-set, health, metrics.

Every function runs inside the caller's transaction (`db.write()` / `db.read()`)
and works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from collectors.runtime.dedup import SeenRow
from collectors.runtime.plugin import Watermark
from qulaq.storage.schema import (
    account_metrics,
    collector_checkpoints,
    collector_health,
    collector_seen,
)

_CHUNK = 400


def upsert(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    keys: list[str],
    keep: tuple[str, ...] = (),
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE every other column but `keep`."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - other databases are not supported
        raise RuntimeError(f"unsupported database dialect {conn.dialect.name}")
    columns = [c for c in rows[0] if c not in keys and c not in keep]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: getattr(stmt.excluded, c) for c in columns}
    )
    conn.execute(stmt, rows)


# -- seen-set ------------------------------------------------------------------------


def _to_row(r: Any) -> SeenRow:
    return SeenRow(
        kind=r.kind,
        item_id=r.item_id,
        post_id=r.post_id,
        parent_id=r.parent_id,
        text_hash=r.text_hash,
        deleted=bool(r.deleted),
        official=bool(r.official),
        created_at=r.created_at,
    )


def load_seen(
    conn: Connection, platform: str, account: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], SeenRow]:
    s = collector_seen.c
    # one kind at a time, so the lookup is by the primary key; a (kind, item_id) IN
    # list makes SQLite read every row the account has seen, once per chunk
    by_kind: dict[str, list[str]] = {}
    for kind, item_id in set(keys):
        by_kind.setdefault(kind, []).append(item_id)
    found: dict[tuple[str, str], SeenRow] = {}
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), _CHUNK):
            rows = conn.execute(
                select(collector_seen).where(
                    s.platform == platform,
                    s.account == account,
                    s.kind == kind,
                    s.item_id.in_(ids[start : start + _CHUNK]),
                )
            )
            for r in rows:
                found[(r.kind, r.item_id)] = _to_row(r)
    return found


def seen_comments_of_post(
    conn: Connection, platform: str, account: str, post_id: str
) -> list[SeenRow]:
    s = collector_seen.c
    rows = conn.execute(
        select(collector_seen).where(
            s.platform == platform,
            s.account == account,
            s.post_id == post_id,
            s.kind == "comment",
            s.deleted.is_(False),
        )
    )
    return [_to_row(r) for r in rows]


def save_seen(
    conn: Connection,
    platform: str,
    account: str,
    rows: Iterable[SeenRow],
    run: str | None,
    now: datetime,
) -> None:
    """Record what was published; safe when another process (the webhook server,
    a second collector) records the same items at the same time."""
    by_key = {(r.kind, r.item_id): r for r in rows}
    values = [
        {
            "platform": platform,
            "account": account,
            "kind": r.kind,
            "item_id": r.item_id,
            "post_id": r.post_id,
            "parent_id": r.parent_id,
            "text_hash": r.text_hash,
            "deleted": r.deleted,
            "official": r.official,
            "created_at": r.created_at,
            "first_run": run,
            "last_run": run,
            "seen_at": now,
        }
        for r in by_key.values()
    ]
    for start in range(0, len(values), _CHUNK):
        upsert(
            conn,
            collector_seen,
            values[start : start + _CHUNK],
            ["platform", "account", "kind", "item_id"],
            keep=("first_run",),
        )


# -- checkpoints -------------------------------------------------------------------


def load_checkpoints(conn: Connection, platform: str, account: str) -> dict[str, Watermark]:
    c = collector_checkpoints.c
    rows = conn.execute(
        select(c.stream, c.at, c.item_id).where(c.platform == platform, c.account == account)
    )
    return {r.stream: Watermark(r.at, r.item_id) for r in rows}


def save_checkpoint(
    conn: Connection,
    platform: str,
    account: str,
    stream: str,
    mark: Watermark,
    run: str | None,
    now: datetime,
) -> None:
    upsert(
        conn,
        collector_checkpoints,
        [
            {
                "platform": platform,
                "account": account,
                "stream": stream,
                "at": mark.at,
                "item_id": mark.item_id,
                "run": run,
                "updated_at": now,
            }
        ],
        ["platform", "account", "stream"],
    )


# -- health ------------------------------------------------------------------------


def load_health(conn: Connection, platform: str, account: str) -> dict[str, Any] | None:
    h = collector_health.c
    row = (
        conn.execute(select(collector_health).where(h.platform == platform, h.account == account))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def save_health(conn: Connection, values: dict[str, Any]) -> None:
    upsert(conn, collector_health, [values], ["platform", "account"])


def all_health(conn: Connection) -> list[dict[str, Any]]:
    h = collector_health.c
    rows = conn.execute(select(collector_health).order_by(h.platform, h.account)).mappings()
    return [dict(r) for r in rows]


# -- account metrics ------------------------------------------------------------------


def measure_account(conn: Connection, platform: str, account: str) -> dict[str, Any]:
    """Posts, citizens' comments, official replies and the reply rate, from the
    seen-set: a comment counts as answered when an official reply names it as
    its parent."""
    s = collector_seen.c
    rows = conn.execute(
        select(s.kind, s.item_id, s.parent_id, s.official, s.deleted).where(
            s.platform == platform, s.account == account
        )
    ).all()
    posts = sum(1 for r in rows if r.kind == "post")
    citizens = {r.item_id for r in rows if r.kind == "comment" and not r.official}
    official = [r for r in rows if r.kind == "comment" and r.official]
    answered = {r.parent_id for r in official if r.parent_id in citizens}
    return {
        "posts_seen": posts,
        "comments": len(citizens),
        "official_replies": len(official),
        "answered_comments": len(answered),
        "reply_rate": round(len(answered) / len(citizens), 4) if citizens else None,
    }


def save_metrics(conn: Connection, values: dict[str, Any]) -> None:
    upsert(conn, account_metrics, [values], ["platform", "account", "day"])


def latest_metrics(
    conn: Connection, platform: str | None = None, account: str | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest day's metrics per account (of one account when named)."""
    m = account_metrics.c
    query = select(account_metrics).order_by(m.day)
    if platform is not None and account is not None:
        query = query.where(m.platform == platform, m.account == account)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in conn.execute(query).mappings():
        out[(r["platform"], r["account"])] = dict(r)
    return out
