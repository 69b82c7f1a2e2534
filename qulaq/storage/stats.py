"""Counts over what is stored, for `qulaq stats` and the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from qulaq.storage.schema import comment_versions, comments, posts, quarantine


def storage_stats(conn: Connection) -> dict[str, Any]:
    c = comments.c
    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((c.deleted.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((c.is_official_reply.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((c.kind == "reply", 1), else_=0)), 0),
            func.count(func.distinct(c.agency)),
            func.min(c.created_at),
            func.max(c.created_at),
        ).select_from(comments)
    ).one()
    v = comment_versions.c
    edited_ids = (
        select(v.platform, v.account, v.comment_id).where(v.rank == 1).distinct().subquery()
    )
    edited = conn.execute(select(func.count()).select_from(edited_ids)).scalar_one()
    versions = conn.execute(select(func.count()).select_from(comment_versions)).scalar_one()
    out: dict[str, Any] = {
        "comments": int(row[0]),
        "quarantined": int(conn.execute(select(func.count()).select_from(quarantine)).scalar_one()),
        "deleted": int(row[1]),
        "edited": int(edited),
        "versions": int(versions),
        "official_replies": int(row[2]),
        "replies": int(row[3]),
        "agencies": int(row[4]),
        "posts": int(conn.execute(select(func.count()).select_from(posts)).scalar_one()),
        "first_comment_at": row[5],
        "last_comment_at": row[6],
    }
    out["by_platform"] = _grouped(conn, c.platform)
    out["by_sentiment"] = _grouped(conn, c.sentiment)
    out["by_lang"] = _grouped(conn, c.lang)
    out["by_agency"] = _grouped(conn, c.agency)
    out["quarantine_reasons"] = {
        reason: int(n)
        for reason, n in conn.execute(
            select(quarantine.c.reason, func.count())
            .group_by(quarantine.c.reason)
            .order_by(func.count().desc())
            .limit(20)
        )
    }
    return out


def _grouped(conn: Connection, col: Any) -> dict[str, int]:
    rows = conn.execute(select(col, func.count()).group_by(col).order_by(func.count().desc()))
    return {("unknown" if k is None else str(k)): int(n) for k, n in rows}
