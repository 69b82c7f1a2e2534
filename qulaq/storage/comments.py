"""Writing scored events: one row per comment identity, every version kept.

Idempotent: writing the same batch twice changes nothing. Safe against a
concurrent writer of the same comment (another consumer of the Kafka store
stage): updates carry the row version they read and the batch is retried
when a row moved underneath.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from qulaq.models import Scored
from qulaq.storage.merge import RANK_EDIT, RANK_ORIGINAL, merge, new_state, text_hash
from qulaq.storage.schema import comment_versions, comments, posts
from qulaq.storage.types import SqliteTimes, UTCDateTime
from qulaq.storage.upsert import insert_ignoring_duplicates

_LOOKUP_CHUNK = 500


class ConcurrentUpdate(Exception):
    """A row changed between read and write; retry the batch."""


@dataclass
class WriteResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    posts: int = 0


def write_scored(conn: Connection, items: list[Scored], now: datetime | None = None) -> WriteResult:
    """Fold `items` into storage inside the caller's transaction."""
    now = now or datetime.now(UTC)
    result = WriteResult()
    post_items = [it for it in items if it.event.kind == "post"]
    items = [it for it in items if it.event.kind != "post"]
    if post_items:
        result.posts = _write_posts(conn, post_items, now)
    if not items:
        return result

    existing = _load(conn, {it.event.identity for it in items})
    fresh: dict[tuple[str, str, str], dict[str, Any]] = {}
    changed: dict[tuple[str, str, str], dict[str, Any]] = {}
    versions: list[dict[str, Any]] = []
    for it in items:
        ident = it.event.identity
        state = existing.get(ident)
        if state is None:
            state = fresh.get(ident)
            if state is None:
                fresh[ident] = state = new_state(it, now)
                if it.event.kind == "edit":
                    versions.append(_version_row(it, now))
                continue
            _versions_before_merge(state, it, versions, now)
            merge(state, it)
        else:
            _versions_before_merge(state, it, versions, now)
            if merge(state, it):
                state["updated_at"] = now
                changed[ident] = state
            else:
                result.unchanged += 1
        _versions_after_merge(state, it, versions, now)

    if fresh:
        try:
            with conn.begin_nested():
                _insert_rows(conn, list(fresh.values()))
        except IntegrityError as exc:
            raise ConcurrentUpdate("a comment was inserted concurrently") from exc
    if changed:
        _update(conn, list(changed.values()))
    insert_ignoring_duplicates(conn, comment_versions, versions)
    _mark_answered(conn, items, fresh, now)
    result.inserted = len(fresh)
    result.updated = len(changed)
    return result


# Versions are kept for comments that were edited: every edit, and the
# original text once an edit exists. A comment never edited has one text, in
# its row, and costs no second write.


def _versions_before_merge(
    state: dict[str, Any], it: Scored, versions: list[dict[str, Any]], now: datetime
) -> None:
    if it.event.kind != "edit":
        return
    versions.append(_version_row(it, now))
    if state["text_rank"] == RANK_ORIGINAL and state["text_at"] is not None:
        versions.append(_state_version_row(state, it.run, now))


def _versions_after_merge(
    state: dict[str, Any], it: Scored, versions: list[dict[str, Any]], now: datetime
) -> None:
    ev = it.event
    if ev.kind in ("comment", "reply") and state["text_rank"] == RANK_EDIT:
        versions.append(_version_row(it, now))  # an original superseded by a known edit


def _state_version_row(state: dict[str, Any], run: str | None, now: datetime) -> dict[str, Any]:
    return {
        "platform": state["platform"],
        "account": state["account"],
        "comment_id": state["comment_id"],
        "version_at": state["text_at"],
        "rank": state["text_rank"],
        "text_hash": state["text_hash"],
        "text": state["text"],
        "run": run,
        "stored_at": now,
    }


_INSERT_COLUMNS = [c.name for c in comments.columns if c.name != "id"]
_ROW_VALUES = operator.itemgetter(*_INSERT_COLUMNS)
_TIME_POSITIONS = [
    i for i, name in enumerate(_INSERT_COLUMNS) if isinstance(comments.c[name].type, UTCDateTime)
]
_INSERT_SQL = (
    f"INSERT INTO comments ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
)


def _insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert new comments. On SQLite, straight through the driver with the
    values in the form SQLAlchemy stores them (UTC text timestamps): the
    per-row type processing would otherwise cost more than SQLite itself."""
    if conn.dialect.name != "sqlite":
        conn.execute(comments.insert(), rows)
        return
    params = []
    as_text = SqliteTimes()
    for row in rows:
        values = list(_ROW_VALUES(row))
        for i in _TIME_POSITIONS:
            values[i] = as_text(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(_INSERT_SQL, params)


def _load(
    conn: Connection, identities: set[tuple[str, str, str]]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    ids = list(identities)
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start : start + _LOOKUP_CHUNK]
        known = _existing_ids(conn, chunk)
        if not known:
            continue  # the common case: every comment in the chunk is new
        for row in conn.execute(select(comments).where(comments.c.id.in_(known))).mappings():
            found[(row["platform"], row["account"], row["comment_id"])] = dict(row)
    return found


def _existing_ids(conn: Connection, chunk: list[tuple[str, str, str]]) -> list[int]:
    """Row ids of the identities already stored, by one index lookup each."""
    if conn.dialect.name == "sqlite":
        # a join from the values, not "(…) IN (VALUES …)": for that SQLite scans the
        # whole index once per chunk, a cost that grows with every comment stored
        values = ", ".join("(?, ?, ?)" for _ in chunk)
        sql = (
            f"SELECT c.id FROM (VALUES {values}) AS v CROSS JOIN comments AS c "
            "ON c.platform = v.column1 AND c.account = v.column2 AND c.comment_id = v.column3"
        )
        flat = [v for ident in chunk for v in ident]
        return [r[0] for r in conn.exec_driver_sql(sql, tuple(flat))]
    key = tuple_(comments.c.platform, comments.c.account, comments.c.comment_id)
    return list(conn.execute(select(comments.c.id).where(key.in_(chunk))).scalars())


def _update(conn: Connection, states: list[dict[str, Any]]) -> None:
    cols = [c.name for c in comments.columns if c.name not in ("id", "row_version")]
    stmt = (
        update(comments)
        .where(
            and_(
                comments.c.id == bindparam("_id"),
                comments.c.row_version == bindparam("_row_version"),
            )
        )
        .values({c: bindparam(c) for c in cols} | {"row_version": bindparam("_next_version")})
    )
    params = []
    for s in states:
        p = {c: s[c] for c in cols}
        p["_id"] = s["id"]
        p["_row_version"] = s["row_version"]
        p["_next_version"] = s["row_version"] + 1
        params.append(p)
    res = conn.execute(stmt, params)
    if res.rowcount is not None and res.rowcount >= 0 and res.rowcount != len(params):
        raise ConcurrentUpdate(f"{len(params) - res.rowcount} comments changed concurrently")


def _version_row(it: Scored, now: datetime) -> dict[str, Any]:
    ev = it.event
    return {
        "platform": ev.platform,
        "account": ev.account,
        "comment_id": ev.comment_id,
        "version_at": ev.version_at,
        "rank": RANK_EDIT if ev.kind == "edit" else RANK_ORIGINAL,
        "text_hash": text_hash(ev.text),
        "text": ev.text,
        "run": it.run,
        "stored_at": now,
    }


def _mark_answered(
    conn: Connection,
    items: list[Scored],
    fresh: dict[tuple[str, str, str], dict[str, Any]],
    now: datetime,
) -> None:
    """Record the first official reply on each comment, whichever arrives first."""
    answers: dict[tuple[str, str, str], tuple[datetime, str]] = {}
    for it in items:
        ev = it.event
        if ev.is_official_reply and ev.parent_id and ev.kind in ("comment", "reply"):
            target = (ev.platform, ev.account, ev.parent_id)
            best = answers.get(target)
            if best is None or ev.created_at < best[0]:
                answers[target] = (ev.created_at, ev.comment_id)

    # comments that arrived after their official reply
    by_account: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (platform, account, comment_id), state in fresh.items():
        if not state["is_official_reply"]:
            by_account[(platform, account)].append(comment_id)
    for (platform, account), ids in by_account.items():
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            rows = conn.execute(
                select(comments.c.parent_id, comments.c.created_at, comments.c.comment_id).where(
                    comments.c.platform == platform,
                    comments.c.account == account,
                    comments.c.is_official_reply.is_(True),
                    comments.c.parent_id.in_(chunk),
                )
            )
            for parent_id, created_at, reply_id in rows:
                target = (platform, account, parent_id)
                best = answers.get(target)
                if best is None or created_at < best[0]:
                    answers[target] = (created_at, reply_id)
    if not answers:
        return
    stmt = (
        update(comments)
        .where(
            comments.c.platform == bindparam("_p"),
            comments.c.account == bindparam("_a"),
            comments.c.comment_id == bindparam("_c"),
            (comments.c.answered_at.is_(None)) | (comments.c.answered_at > bindparam("_t")),
        )
        .values(
            answered_at=bindparam("_t"),
            answer_comment_id=bindparam("_r"),
            updated_at=now,
            row_version=comments.c.row_version + 1,
        )
    )
    conn.execute(
        stmt,
        [{"_p": p, "_a": a, "_c": c, "_t": t, "_r": r} for (p, a, c), (t, r) in answers.items()],
    )


def _write_posts(conn: Connection, items: list[Scored], now: datetime) -> int:
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for it in items:
        ev = it.event
        rows[ev.identity] = {
            "platform": ev.platform,
            "account": ev.account,
            "post_id": ev.comment_id,
            "agency": it.agency,
            "text": ev.text,
            "created_at": ev.created_at,
            "url": ev.url,
            "likes": ev.likes,
            "deleted": False,
            "first_run": it.run,
            "stored_at": now,
        }
    insert_ignoring_duplicates(conn, posts, list(rows.values()))
    return len(rows)
