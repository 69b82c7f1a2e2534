"""Reputation risk per agency (0–100, with its components) and the regional risk map.

`score_risk(figures)` is the pure formula: six components, each between 0 and 1,
weighted into a score and a level. `agency_risk(conn, at)` and
`region_matrix(conn, at)` gather the figures from the 15-minute aggregates the
signals stage keeps (`signal_buckets`, `signal_topic_buckets`), the counted
comments and the alerts, so they stay fast on millions of comments and can be
evaluated at any past event time: only what happened before `at` is used.

Components:
* negativity — the share of negative comments in the last 3 and 24 hours
  against the agency's usual share (the week before), shrunk towards the usual
  share when there are few comments;
* volume — comments in the last 3 hours against the same hours of the previous
  days;
* aggression — aggressive comments against their usual share, and threats;
* unanswered — comments that needed an answer in the last 7 days: the share
  still unanswered, the share past the triage deadline, and the answer time;
* incidents — the alerts active at that moment, by severity (praise excluded),
  or, when more, the incidents still open once their alerts have closed: an
  incident past its 24-hour clock that nobody has acknowledged weighs its full
  severity, any other open one half (a crisis whose comments have calmed down
  is not over while its incident is left unanswered);
* trend — negative comments in the last 24 hours against the 24 before.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from qulaq.registry import Registry
from qulaq.storage.schema import (
    signal_buckets,
    signal_daily,
    signal_state,
    signal_topic_buckets,
)
from signals.store import FIGURE_BUCKET, alerts_active_at, unresolved_at

WEIGHTS = {
    "negativity": 0.20,
    "volume": 0.20,
    "aggression": 0.10,
    "unanswered": 0.10,
    "incidents": 0.25,
    "trend": 0.15,
}
LEVELS = ((75.0, "critical"), (50.0, "high"), (25.0, "elevated"), (0.0, "low"))
_SEVERITY_WEIGHT = {1: 0.05, 2: 0.2, 3: 0.6, 4: 1.0}
_PRIOR_NEG = 0.3
_PRIOR_AGGR = 0.04


@dataclass
class RiskFigures:
    """What is known about one agency at one moment."""

    agency: str
    recent: int = 0  # comments, last 3 hours
    recent_neg: int = 0
    recent_aggr: int = 0
    recent_strong: int = 0
    day: int = 0  # last 24 hours
    day_neg: int = 0
    prev_day_neg: int = 0  # the 24 hours before
    usual: int = 0  # the week before the last 24 hours
    usual_neg: int = 0
    usual_aggr: int = 0
    same_hours: float = 0.0  # comments in the same 3 hours, summed over earlier days
    same_days: int = 0  # how many earlier days that sum covers
    needs_answer: int = 0  # last 7 days, as of the last midnight
    unanswered: int = 0
    overdue: int = 0
    median_answer_hours: float | None = None
    alert_severities: list[int] = field(default_factory=list)  # active alerts, no praise
    # Open incidents (no praise): the highest severity of their alerts so far, and whether
    # each is past its 24-hour clock with nobody having acknowledged it.
    incident_severities: list[tuple[int, bool]] = field(default_factory=list)


@dataclass
class Risk:
    agency: str
    score: int
    level: str
    components: dict[str, dict[str, Any]]
    at: datetime | None = None


def level_of(score: float) -> str:
    for floor, name in LEVELS:
        if score >= floor:
            return name
    return "low"


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def score_risk(f: RiskFigures) -> Risk:
    usual_share = (f.usual_neg + _PRIOR_NEG * 20) / (f.usual + 20)
    recent_share = (f.recent_neg + usual_share * 10) / (f.recent + 10)
    day_share = (f.day_neg + usual_share * 20) / (f.day + 20)
    lift = max(recent_share, day_share) - usual_share
    negativity = _clip(lift / 0.25)

    if f.same_days > 0:
        expected = f.same_hours / f.same_days
    elif f.day > f.recent:  # less than a day of history: the hours before these three
        expected = (f.day - f.recent) * 3.0 / 21.0
    else:
        expected = float(f.recent)
    ratio = (f.recent + 3.0) / (expected + 3.0)
    volume = _clip(math.log(ratio) / math.log(8.0)) if ratio > 1 else 0.0

    usual_aggr = (f.usual_aggr + _PRIOR_AGGR * 50) / (f.usual + 50)
    recent_aggr = (f.recent_aggr + usual_aggr * 20) / (f.recent + 20)
    aggression = max(_clip((recent_aggr - usual_aggr) / 0.1), _clip(f.recent_strong / 5.0))

    if f.needs_answer:
        unanswered_share = f.unanswered / f.needs_answer
        overdue_share = f.overdue / f.needs_answer
        median_h = f.median_answer_hours
        slow = _clip(median_h / 72.0) if median_h is not None else 1.0
        unanswered = 0.4 * unanswered_share + 0.4 * overdue_share + 0.2 * slow
    else:
        unanswered_share = overdue_share = 0.0
        median_h = None
        unanswered = 0.0

    alerting = sum(_SEVERITY_WEIGHT.get(s, 0.0) for s in f.alert_severities)
    left_open = sum(
        _SEVERITY_WEIGHT.get(s, 0.0) * (1.0 if neglected else 0.5)
        for s, neglected in f.incident_severities
    )
    incidents = _clip(max(alerting, left_open))

    growth = (f.day_neg + 5.0) / (f.prev_day_neg + 5.0)
    trend = _clip(math.log2(growth) / 2.0) if growth > 1 else 0.0

    values = {
        "negativity": negativity,
        "volume": volume,
        "aggression": aggression,
        "unanswered": unanswered,
        "incidents": incidents,
        "trend": trend,
    }
    points = {k: 100.0 * WEIGHTS[k] * v for k, v in values.items()}
    score = round(sum(points.values()))
    components: dict[str, dict[str, Any]] = {
        "negativity": {
            "negative_share": round(f.recent_neg / f.recent, 3) if f.recent else None,
            "negative_share_24h": round(f.day_neg / f.day, 3) if f.day else None,
            "usual_share": round(usual_share, 3),
            "comments_3h": f.recent,
        },
        "volume": {
            "comments_3h": f.recent,
            "expected_3h": round(expected, 1),
            "ratio": round(f.recent / expected, 2) if expected > 0 else None,
        },
        "aggression": {
            "aggressive_3h": f.recent_aggr,
            "threats_3h": f.recent_strong,
            "usual_share": round(usual_aggr, 3),
        },
        "unanswered": {
            "needs_answer_7d": f.needs_answer,
            "unanswered_share": round(unanswered_share, 3),
            "overdue_share": round(overdue_share, 3),
            "median_answer_hours": round(median_h, 1) if median_h is not None else None,
        },
        "incidents": {
            "active_alerts": len(f.alert_severities),
            "max_severity": max(f.alert_severities, default=0),
            "open_incidents": len(f.incident_severities),
            "overdue_unacknowledged": sum(1 for _, neglected in f.incident_severities if neglected),
        },
        "trend": {
            "negative_24h": f.day_neg,
            "negative_prev_24h": f.prev_day_neg,
        },
    }
    for k in values:
        components[k]["value"] = round(values[k], 3)
        components[k]["points"] = round(points[k], 1)
    return Risk(f.agency, int(score), level_of(score), components)


# -- gathering the figures -------------------------------------------------------------


def _floor(at: datetime) -> datetime:
    ts = at.timestamp()
    return datetime.fromtimestamp(ts - ts % FIGURE_BUCKET, UTC)


def gather(conn: Connection, at: datetime) -> dict[str, RiskFigures]:
    """Figures for every agency with comments before `at`: a handful of range queries
    over the 15-minute figures (index on their start), the daily answer figures and
    the alerts — never the comments themselves."""
    at = at.astimezone(UTC)
    end = _floor(at)  # whole 15-minute buckets before `at`
    s = signal_state.c
    figures = {
        agency: RiskFigures(agency=agency, same_days=_days_before(end, first))
        for agency, first in conn.execute(select(s.agency, s.first_at).where(s.first_at < at)).all()
    }
    if not figures:
        return figures
    h = timedelta(hours=1)
    b = signal_buckets.c
    cols = (b.comments, b.negative, b.aggressive, b.strong)
    for agency, n, neg, aggr, strong in _sums(conn, cols, end - 3 * h, end):
        f = figures.get(agency)
        if f is not None:
            f.recent, f.recent_neg, f.recent_aggr, f.recent_strong = n, neg, aggr, strong
    for agency, n, neg in _sums(conn, cols[:2], end - 24 * h, end):
        if agency in figures:
            figures[agency].day, figures[agency].day_neg = n, neg
    for agency, neg in _sums(conn, cols[1:2], end - 48 * h, end - 24 * h):
        if agency in figures:
            figures[agency].prev_day_neg = neg
    for agency, n, neg, aggr in _sums(conn, cols[:3], end - 192 * h, end - 24 * h):
        f = figures.get(agency)
        if f is not None:
            f.usual, f.usual_neg, f.usual_aggr = n, neg, aggr
    for d in range(1, 8):
        day = timedelta(days=d)
        for agency, n in _sums(conn, cols[:1], end - day - 3 * h, end - day):
            if agency in figures:
                figures[agency].same_hours += n
    _answers(conn, at, figures)
    for alert in alerts_active_at(conn, at):
        f = figures.get(alert.agency)
        if f is not None and alert.kind != "positive_burst":
            f.alert_severities.append(alert.severity)
    _incidents(conn, at, figures)
    return figures


def _days_before(end: datetime, first: datetime) -> int:
    """Whole earlier days of history (for the same hours on previous days)."""
    return max(0, min(7, math.floor((end - first).total_seconds() / 86400.0)))


def _sums(
    conn: Connection, cols: tuple[Any, ...], lo: datetime, hi: datetime
) -> list[tuple[Any, ...]]:
    b = signal_buckets.c
    rows = conn.execute(
        select(b.agency, *(func.sum(c) for c in cols))
        .where(b.start >= lo, b.start < hi)
        .group_by(b.agency)
    ).all()
    return [(r[0], *(int(v or 0) for v in r[1:])) for r in rows]


def _answers(conn: Connection, at: datetime, figures: dict[str, RiskFigures]) -> None:
    """The answer figures of each agency's last midnight before `at` (a daily figure)."""
    d = signal_daily.c
    latest: dict[str, Any] = {}
    for row in conn.execute(
        select(signal_daily).where(d.day <= at, d.day > at - timedelta(days=2))
    ).mappings():
        prev = latest.get(row["agency"])
        if prev is None or row["day"] > prev["day"]:
            latest[row["agency"]] = row
    for agency, row in latest.items():
        f = figures.get(agency)
        if f is not None:
            f.needs_answer, f.unanswered, f.overdue = (
                row["needs_answer"],
                row["unanswered"],
                row["overdue"],
            )
            f.median_answer_hours = row["median_answer_hours"]


def _incidents(conn: Connection, at: datetime, figures: dict[str, RiskFigures]) -> None:
    from qulaq.storage.schema import alerts, incidents

    i, a = incidents.c, alerts.c
    rows = conn.execute(
        select(i.agency, i.due_at, i.acknowledged_at, func.max(a.severity))
        .select_from(incidents.join(alerts, a.incident_id == i.id))
        .where(
            i.opened_at <= at,
            i.family != "positive",
            unresolved_at(at),
            a.raised_at <= at,
        )
        .group_by(i.id, i.agency, i.due_at, i.acknowledged_at)
    ).all()
    for agency, due_at, acknowledged_at, severity in rows:
        f = figures.get(agency)
        if f is None:
            continue
        acknowledged = acknowledged_at is not None and acknowledged_at <= at
        f.incident_severities.append((int(severity), due_at <= at and not acknowledged))


def agency_risk(conn: Connection, at: datetime | None = None) -> list[Risk]:
    """Risk of every agency with comments before `at` (default: now), highest first."""
    at = at or datetime.now(UTC)
    out = []
    for f in gather(conn, at).values():
        r = score_risk(f)
        r.at = at
        out.append(r)
    out.sort(key=lambda r: (-r.score, r.agency))
    return out


# -- the regional map ----------------------------------------------------------------------

NATIONAL = "national"
UNKNOWN = "unknown"


def region_of(registry: Registry, agency: str) -> str:
    a = registry.agency(agency)
    if not a.known:
        return UNKNOWN
    return a.region or NATIONAL


def region_matrix(
    conn: Connection, at: datetime | None = None, registry: Registry | None = None
) -> list[dict[str, Any]]:
    """Which sphere (topic), which territory: negative comments of the last 24 hours
    per region and topic against the same cell's usual day, as a 0–100 score.
    Central bodies count under `national`, agencies not in the registry under `unknown`."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    registry = registry or Registry.default()
    end = _floor(at)
    d1, d8 = end - timedelta(days=1), end - timedelta(days=8)
    tb = signal_topic_buckets.c
    recent = and_(tb.start >= d1, tb.start < end)
    rows = conn.execute(
        select(
            tb.agency,
            tb.topic,
            func.sum(case((recent, tb.comments), else_=0)),
            func.sum(case((recent, tb.negative), else_=0)),
            func.sum(case((tb.start < d1, tb.negative), else_=0)),
            func.min(tb.start),
        )
        .where(tb.start >= d8, tb.start < end)
        .group_by(tb.agency, tb.topic)
    ).all()
    cells: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"comments": 0, "negative": 0, "usual_negative": 0.0, "agencies": set()}
    )
    for agency, topic, n, neg, before, first in rows:
        cell = cells[(region_of(registry, agency), topic)]
        cell["comments"] += int(n or 0)
        cell["negative"] += int(neg or 0)
        days = max(1.0, min(7.0, (d1 - first).total_seconds() / 86400.0))
        cell["usual_negative"] += float(before or 0) / days
        if n:
            cell["agencies"].add(agency)
    out = []
    for (region, topic), cell in cells.items():
        if not cell["comments"]:
            continue
        neg, usual = cell["negative"], cell["usual_negative"]
        score, lift = cell_score(neg, usual)
        reg = registry.region(region)
        out.append(
            {
                "region": region,
                "region_name": reg.name("ru") if reg else region,
                "topic": topic,
                "comments": cell["comments"],
                "negative": neg,
                "negative_share": round(neg / cell["comments"], 3),
                "usual_negative": round(usual, 1),
                "lift": round(lift, 2),
                "score": score,
                "level": level_of(score),
                "agencies": sorted(cell["agencies"]),
            }
        )
    out.sort(key=lambda c: (-c["score"], -c["negative"], c["region"], c["topic"]))
    return out


def cell_score(negative: float, usual: float) -> tuple[int, float]:
    """A cell's score: how far its negative comments rose above its usual day, and
    how many there are (a tripling of two comments is not a regional crisis)."""
    lift = (negative + 3.0) / (usual + 3.0)
    rise = _clip(math.log2(lift) / 2.0) if lift > 1 else 0.0
    mass = negative / (negative + 30.0)
    return round(100.0 * (0.6 * rise + 0.4 * mass) * (0.5 + 0.5 * rise)), lift


def risk_as_dict(r: Risk) -> dict[str, Any]:
    return {"agency": r.agency, "score": r.score, "level": r.level, "components": r.components}


def ranking(risks: Iterable[Risk]) -> list[str]:
    return [r.agency for r in sorted(risks, key=lambda r: (-r.score, r.agency))]
