"""Per-agency figures over stored comments: what the seed studies collect per
account (comments, official replies, reply rate) plus tone and aggression."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from qulaq.storage.schema import comments


def agency_summary(
    conn: Connection, since: datetime | None = None, until: datetime | None = None
) -> list[dict[str, Any]]:
    c = comments.c
    citizen = c.is_official_reply.is_(False)
    q = select(
        c.agency,
        func.count().label("total"),
        func.sum(case((citizen, 1), else_=0)).label("citizen"),
        func.sum(case((c.is_official_reply.is_(True), 1), else_=0)).label("official"),
        func.sum(case((citizen & (c.sentiment == "negative"), 1), else_=0)).label("negative"),
        func.sum(case((citizen & (c.sentiment == "positive"), 1), else_=0)).label("positive"),
        func.sum(case((citizen & (c.aggression != "none"), 1), else_=0)).label("aggressive"),
        func.sum(case((citizen & c.needs_answer.is_(True), 1), else_=0)).label("needs_answer"),
        func.sum(
            case((citizen & c.needs_answer.is_(True) & c.answered_at.is_not(None), 1), else_=0)
        ).label("answered"),
        func.sum(case((citizen & c.answered_at.is_not(None), 1), else_=0)).label("any_answered"),
        func.sum(case((c.deleted.is_(True), 1), else_=0)).label("deleted"),
        func.min(c.created_at).label("first"),
        func.max(c.created_at).label("last"),
    ).group_by(c.agency)
    if since is not None:
        q = q.where(c.created_at >= since)
    if until is not None:
        q = q.where(c.created_at < until)
    out: dict[str, dict[str, Any]] = {}
    for r in conn.execute(q).mappings():
        citizen_n = int(r["citizen"] or 0)
        needs = int(r["needs_answer"] or 0)
        out[r["agency"]] = {
            "agency": r["agency"],
            "comments": int(r["total"]),
            "citizen_comments": citizen_n,
            "official_replies": int(r["official"] or 0),
            "negative_share": _share(r["negative"], citizen_n),
            "positive_share": _share(r["positive"], citizen_n),
            "aggression_share": _share(r["aggressive"], citizen_n),
            "needs_answer": needs,
            "answered_share": _share(r["answered"], needs),
            "reply_rate": _share(r["any_answered"], citizen_n),
            "deleted": int(r["deleted"] or 0),
            "first_comment_at": r["first"],
            "last_comment_at": r["last"],
            "topics": {},
            "languages": {},
            "platforms": {},
        }
    _add_breakdowns(conn, out, since, until)
    return sorted(out.values(), key=lambda d: (-d["comments"], d["agency"]))


def _add_breakdowns(
    conn: Connection,
    out: dict[str, dict[str, Any]],
    since: datetime | None,
    until: datetime | None,
) -> None:
    c = comments.c
    q = (
        select(c.agency, c.lang, c.platform, c.topics, func.count())
        .where(c.is_official_reply.is_(False))
        .group_by(c.agency, c.lang, c.platform, c.topics)
    )
    if since is not None:
        q = q.where(c.created_at >= since)
    if until is not None:
        q = q.where(c.created_at < until)
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    platforms: dict[str, Counter[str]] = defaultdict(Counter)
    for agency, lang, platform, topic_json, n in conn.execute(q):
        langs[agency][lang or "unknown"] += n
        platforms[agency][platform] += n
        for topic in json.loads(topic_json) if topic_json else ():
            topics[agency][topic] += n
    for agency, row in out.items():
        row["topics"] = dict(topics[agency].most_common(5))
        row["languages"] = dict(langs[agency].most_common())
        row["platforms"] = dict(platforms[agency].most_common())


def _share(part: Any, whole: int) -> float | None:
    return round(int(part or 0) / whole, 4) if whole else None
