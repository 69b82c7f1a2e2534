"""Agencies ranked by reputation risk, with what the overview shows beside each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import streamlit as st
from sqlalchemy import Connection, func, select

from dashboard import data, feeds, rollups
from dashboard.risk_estimate import estimate, level_of
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.storage.schema import comment_work


@dataclass
class Ranked:
    agency: str
    type: str
    region: str | None
    known: bool
    score: float
    level: str
    components: dict[str, float]
    source: str  # signals | estimate
    figures: dict[str, Any]
    open_alerts: int = 0
    max_severity: int = 0
    open_incidents: int = 0
    unanswered: int = 0
    alert_summaries: list[str] = field(default_factory=list)


@dataclass
class Overview:
    at: datetime
    window: data.Window
    ranked: list[Ranked]
    alerts_available: bool
    risk_source: str


def _closed_by_hand(conn: Connection, agencies: Collection[str] | None) -> Counter[str]:
    w = comment_work.c
    q = select(w.agency, func.count()).where(w.status.in_(data.CLOSED_STATUSES)).group_by(w.agency)
    if agencies is not None:
        q = q.where(w.agency.in_(list(agencies)))
    return Counter({str(a): int(n) for a, n in conn.execute(q)})


def overview(
    conn: Connection,
    registry: Registry,
    at: datetime,
    *,
    scope: Collection[str] | None = None,
    types: Collection[str] | None = None,
    pinned: bool = False,
) -> Overview:
    """Agencies by risk at `at`; `pinned`: a moment under review, whose figures are as
    they stood then (a comment answered or closed later was unanswered then)."""
    window = data.Window(at)
    frame = data.hourly(conn, window.start, at, scope)
    figures = data.agency_figures(frame, window)
    alert_feed = (
        feeds.alerts_at(conn, at, scope)[0] if pinned else feeds.alerts_active_at(conn, at, scope)
    )
    incident_feed = feeds.incidents_open_at(conn, at, scope)
    signals_risk = feeds.risk(conn, at)
    by_agency_alerts: dict[str, list[dict[str, Any]]] = {}
    for alert in alert_feed.rows:
        if alert.get("status") != "closed" and alert.get("kind") != "positive_burst":
            by_agency_alerts.setdefault(str(alert["agency"]), []).append(alert)
    open_incidents = Counter(
        str(i.get("agency")) for i in incident_feed.rows if i.get("family") != "positive"
    )
    closed = _closed_by_hand(conn, scope) if not pinned else Counter[str]()
    backlog = data.open_backlog(conn, scope, window.start, at, as_of=at) if pinned else None
    ranked = []
    for agency_id, fig in figures.items():
        agency = registry.agency(agency_id)
        if types is not None and agency.type not in types:
            continue
        open_alerts = by_agency_alerts.get(agency_id, [])
        max_sev = max((int(a.get("severity") or 0) for a in open_alerts), default=0)
        entry = (signals_risk or {}).get(agency_id)
        if entry is not None:
            score = float(entry.get("score") or 0.0)
            level = str(entry.get("level") or level_of(score))
            components = {
                str(k): float(v)
                for k, v in (entry.get("components") or {}).items()
                if isinstance(v, int | float)
            }
            source = "signals"
        else:
            r = estimate(fig, max_sev)
            score, level, components, source = r.score, r.level, r.components, r.source
        ranked.append(
            Ranked(
                agency=agency_id,
                type=agency.type,
                region=agency.region,
                known=agency.known,
                score=score,
                level=level,
                components=components,
                source=source,
                figures=fig,
                open_alerts=len(open_alerts),
                max_severity=max_sev,
                open_incidents=open_incidents.get(agency_id, 0),
                unanswered=(
                    backlog.get(agency_id, 0)
                    if backlog is not None
                    else max(int(fig["unanswered"]) - closed.get(agency_id, 0), 0)
                ),
                alert_summaries=[str(a.get("summary") or a.get("kind")) for a in open_alerts],
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.figures["recent"]["comments"], r.agency))
    return Overview(
        at=at,
        window=window,
        ranked=ranked,
        alerts_available=alert_feed.available,
        risk_source="signals" if signals_risk is not None else "estimate",
    )


def stamp(db: Database) -> str:
    """What a cached ranking depends on beyond the clock: the rollups and the queue's work."""
    with db.read() as conn:
        worked = conn.execute(select(func.max(comment_work.c.updated_at))).scalar_one()
        return f"{rollups.watermark(conn)}|{worked}"


CacheKey = tuple[str, datetime, tuple[str, ...] | None, tuple[str, ...] | None, bool, str]


def cache_key(
    db: Database,
    at: datetime,
    scope: Collection[str] | None = None,
    types: Collection[str] | None = None,
    pinned: bool = False,
) -> CacheKey:
    """What a cached ranking is keyed on: the database, the minute, the agencies and types
    in order, whether the moment is one under review, and the `stamp`."""
    return (
        db.url,
        at.replace(second=0, microsecond=0),
        tuple(sorted(scope)) if scope is not None else None,
        tuple(sorted(types)) if types is not None else None,
        pinned,
        stamp(db),
    )


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def cached_overview(
    url: str,
    at: datetime,
    scope: tuple[str, ...] | None,
    types: tuple[str, ...] | None,
    pinned: bool,
    stamp: str,
    _db: Database,
    _registry: Registry,
) -> Overview:
    """`overview` for a `cache_key`, shared by every session and page (the overview's
    table, the agency page's first choice) until new comments reach the rollups, someone
    works the queue, or a minute passes."""
    with _db.read() as conn:
        return overview(conn, _registry, at, scope=scope, types=types, pinned=pinned)


def shared(
    db: Database,
    registry: Registry,
    at: datetime,
    *,
    scope: Collection[str] | None = None,
    types: Collection[str] | None = None,
    pinned: bool = False,
) -> Overview:
    """`overview` at `at` to the minute, from the shared cache."""
    return cached_overview(*cache_key(db, at, scope, types, pinned), db, registry)
