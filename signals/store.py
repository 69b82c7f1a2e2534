"""The signals' tables: what was counted, the monitors' checkpoints, alerts and incidents.

Every function works inside the caller's transaction, on SQLite and PostgreSQL.
The stage calls the writers; the command line, the dashboard and the playbooks
call the readers and the incident lifecycle (`acknowledge_incident`,
`resolve_incident`, `assign_incident`, `acknowledge_alert`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from qulaq.alerts import Alert
from qulaq.errors import UserError
from qulaq.storage.schema import (
    alert_changes,
    alerts,
    incidents,
    signal_buckets,
    signal_comments,
    signal_daily,
    signal_state,
    signal_topic_buckets,
)
from qulaq.storage.types import sqlite_text
from qulaq.storage.upsert import insert_ignoring_duplicates
from signals.features import Observation
from signals.monitor import AgencyMonitor

FIGURE_BUCKET = 900  # seconds: the stored 15-minute figures
_CHUNK = 500
INCIDENT_STATUSES = ("open", "acknowledged", "resolved")


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


# -- counting each comment once ---------------------------------------------------


def claim(conn: Connection, obs: Sequence[Observation]) -> list[Observation]:
    """Record `obs` and return those not counted before, in their order: one
    INSERT … ON CONFLICT DO NOTHING RETURNING per chunk says which are new."""
    first: dict[str, Observation] = {}
    for o in obs:
        first.setdefault(o.key, o)
    rows = [_comment_row(o) for o in first.values()]
    new: set[str] = set()
    for start in range(0, len(rows), _CHUNK):
        new.update(_insert_new(conn, rows[start : start + _CHUNK]))
    if len(new) == len(obs):
        return list(obs)
    out = []
    for o in obs:
        if o.key in new:
            out.append(o)
            new.discard(o.key)
    return out


_COMMENT_COLUMNS = [c.name for c in signal_comments.columns]


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        stmt = (
            postgresql.insert(signal_comments)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(signal_comments.c.comment_key)
        )
        return list(conn.execute(stmt).scalars())
    # straight through the driver: per-row type processing costs more than SQLite itself
    one = f"({', '.join('?' for _ in _COMMENT_COLUMNS)})"
    sql = (
        f"INSERT INTO signal_comments ({', '.join(_COMMENT_COLUMNS)}) VALUES "
        f"{', '.join(one for _ in rows)} ON CONFLICT DO NOTHING RETURNING comment_key"
    )
    params: list[Any] = []
    for r in rows:
        params += (
            r["comment_key"],
            r["agency"],
            r["platform"],
            sqlite_text(r["created_at"]),
            r["official"],
            r["parent_key"],
            r["needs_answer"],
            r["urgent"],
            sqlite_text(r["due_at"]),
            None,
        )
    return [k for (k,) in conn.exec_driver_sql(sql, tuple(params))]


def _comment_row(o: Observation) -> dict[str, Any]:
    created = _dt(o.ts)
    due = None
    if o.needs:
        days = o.answer_days if o.answer_days else (1 if o.urgent else 3)
        due = created + timedelta(days=days)
    return {
        "comment_key": o.key,
        "agency": o.agency,
        "platform": o.platform,
        "created_at": created,
        "official": o.official,
        "parent_key": o.parent_key if o.official else None,
        "needs_answer": o.needs,
        "urgent": o.urgent and not o.official,
        "due_at": due,
        "answered_at": None,
    }


def mark_answers(conn: Connection, fresh: Sequence[Observation]) -> None:
    """The first official reply answers its parent, whichever arrives first."""
    answers: dict[str, float] = {}
    for o in fresh:
        if o.official and o.parent_key:
            t = answers.get(o.parent_key)
            if t is None or o.ts < t:
                answers[o.parent_key] = o.ts
    c = signal_comments.c
    askers = [o.key for o in fresh if not o.official]
    for start in range(0, len(askers), _CHUNK):
        chunk = askers[start : start + _CHUNK]
        rows = conn.execute(
            select(c.parent_key, func.min(c.created_at))
            .where(c.official.is_(True), c.parent_key.in_(chunk))
            .group_by(c.parent_key)
        )
        for parent, at in rows:
            ts = at.timestamp()
            if parent not in answers or ts < answers[parent]:
                answers[parent] = ts
    if not answers:
        return
    stmt = (
        update(signal_comments)
        .where(
            c.comment_key == bindparam("_k"),
            c.official.is_(False),
            or_(c.answered_at.is_(None), c.answered_at > bindparam("_t")),
        )
        .values(answered_at=bindparam("_t"))
    )
    conn.execute(stmt, [{"_k": k, "_t": _dt(t)} for k, t in answers.items()])


# -- the 15-minute figures -----------------------------------------------------------

_FIGURES = (
    "comments",
    "negative",
    "positive",
    "aggressive",
    "strong",
    "urgent",
    "needs_answer",
    "rumours",
    "official",
)


def add_figures(conn: Connection, fresh: Iterable[Observation]) -> None:
    rows: dict[tuple[str, int], list[int]] = {}
    topics: dict[tuple[str, int, str], list[int]] = {}
    for o in fresh:
        slot = int(o.ts // FIGURE_BUCKET)
        r = rows.get((o.agency, slot))
        if r is None:
            r = rows[(o.agency, slot)] = [0] * len(_FIGURES)
        if o.official:
            r[8] += 1
            continue
        r[0] += 1
        r[1] += o.neg
        r[2] += o.pos
        r[3] += o.aggr > 0
        r[4] += o.aggr == 2
        r[5] += o.urgent
        r[6] += o.needs
        r[7] += o.rumour
        for t in o.topics:
            tr = topics.get((o.agency, slot, t))
            if tr is None:
                tr = topics[(o.agency, slot, t)] = [0, 0]
            tr[0] += 1
            tr[1] += o.neg
    _add(
        conn,
        signal_buckets,
        ("agency", "start"),
        [
            {"agency": a, "start": _dt(s * FIGURE_BUCKET), **dict(zip(_FIGURES, r, strict=True))}
            for (a, s), r in rows.items()
        ],
        _FIGURES,
    )
    _add(
        conn,
        signal_topic_buckets,
        ("agency", "start", "topic"),
        [
            {
                "agency": a,
                "start": _dt(s * FIGURE_BUCKET),
                "topic": t,
                "comments": r[0],
                "negative": r[1],
            }
            for (a, s, t), r in topics.items()
        ],
        ("comments", "negative"),
    )


def _add(
    conn: Connection,
    table: Any,
    keys: tuple[str, ...],
    rows: list[dict[str, Any]],
    counters: tuple[str, ...],
) -> None:
    """INSERT … ON CONFLICT DO UPDATE SET counter = counter + excluded.counter."""
    if not rows:
        return
    dialect = conn.dialect.name
    stmt = _ADDS.get((dialect, table.name))
    if stmt is None:
        ins: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        stmt = ins.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={k: table.c[k] + ins.excluded[k] for k in counters},
        )
        _ADDS[(dialect, table.name)] = stmt
    conn.execute(stmt, rows)


_ADDS: dict[tuple[str, str], Any] = {}


# -- monitor checkpoints ----------------------------------------------------------------


def load_monitors(conn: Connection, agencies: Iterable[str]) -> dict[str, AgencyMonitor]:
    wanted = list(dict.fromkeys(agencies))
    out: dict[str, AgencyMonitor] = {}
    s = signal_state.c
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for agency, blob in conn.execute(select(s.agency, s.state).where(s.agency.in_(chunk))):
            out[agency] = AgencyMonitor.from_dict(orjson.loads(zlib.decompress(blob)))
    for agency in wanted:
        if agency not in out:
            out[agency] = AgencyMonitor(agency)
    return out


def save_monitors(conn: Connection, monitors: Iterable[AgencyMonitor]) -> None:
    now = datetime.now(UTC)
    rows = []
    for m in monitors:
        due = m.next_due
        rows.append(
            {
                "agency": m.agency,
                "state": zlib.compress(orjson.dumps(m.to_dict()), 1),
                "watermark": _dt(m.wm) if m.wm > 0 else None,
                "next_due": _dt(due) if due is not None else None,
                "first_at": _dt(m.first) if m.first > 0 else None,
                "updated_at": now,
            }
        )
    if not rows:
        return
    columns = ("state", "watermark", "next_due", "first_at", "updated_at")
    conn.execute(_upsert(conn, signal_state, ("agency",), columns), rows)


def live_agencies(conn: Connection, now: datetime, horizon: timedelta) -> list[str]:
    """Agencies whose clock is within `horizon` of `now` and have a bucket due."""
    s = signal_state.c
    return list(
        conn.execute(
            select(s.agency).where(s.watermark >= now - horizon, s.next_due <= now)
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class DailyFigures:
    """An agency's answers at a local midnight (event time)."""

    needs_answer: int  # comments of the last 7 days that needed an answer
    unanswered: int  # of those, still without one
    overdue: int  # of those, past their triage deadline
    answered: int
    median_answer_hours: float | None
    overdue_30d: int  # every comment of the last 30 days past its deadline
    newly_overdue: int  # deadlines that passed during the day before
    urgent_unanswered: int  # urgent comments that went a day without an answer that day


def daily_figures(conn: Connection, agency: str, boundary: datetime) -> DailyFigures:
    """The figures at `boundary`, by the agency's (agency, created_at) index."""
    c = signal_comments.c
    day = timedelta(days=1)
    unanswered = or_(c.answered_at.is_(None), c.answered_at > boundary)
    late = and_(unanswered, c.due_at < boundary)
    week = and_(c.created_at >= boundary - 7 * day, c.created_at < boundary)
    month = c.created_at >= boundary - 30 * day

    def count(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    row = conn.execute(
        select(
            count(week),
            count(and_(week, unanswered)),
            count(and_(week, late)),
            count(late),
            count(and_(late, c.due_at >= boundary - day)),
            count(
                and_(
                    unanswered,
                    c.urgent.is_(True),
                    c.created_at >= boundary - 2 * day,
                    c.created_at < boundary - day,
                )
            ),
        ).where(
            c.agency == agency,
            c.needs_answer.is_(True),
            month,
            c.created_at < boundary,
        )
    ).one()
    hours = sorted(
        (done - created).total_seconds() / 3600.0
        for created, done in conn.execute(
            select(c.created_at, c.answered_at).where(
                c.agency == agency,
                c.needs_answer.is_(True),
                week,
                c.answered_at <= boundary,
            )
        )
    )
    median = None
    if hours:
        mid = len(hours) // 2
        median = hours[mid] if len(hours) % 2 else 0.5 * (hours[mid - 1] + hours[mid])
    values = [int(v or 0) for v in row]
    return DailyFigures(
        needs_answer=values[0],
        unanswered=values[1],
        overdue=values[2],
        answered=len(hours),
        median_answer_hours=median,
        overdue_30d=values[3],
        newly_overdue=values[4],
        urgent_unanswered=values[5],
    )


_DAILY_FIELDS = tuple(f.name for f in fields(DailyFigures))


def save_daily(conn: Connection, agency: str, day: datetime, f: DailyFigures) -> None:
    row = {"agency": agency, "day": day, **{k: getattr(f, k) for k in _DAILY_FIELDS}}
    conn.execute(_upsert(conn, signal_daily, ("agency", "day"), _DAILY_FIELDS), [row])


# -- alerts and incidents ----------------------------------------------------------------

FAMILY = {
    "backlog": "service",
    "sla_breach": "service",
    "positive_burst": "positive",
}
# a new alert joins its agency's unresolved incident of the same family when that
# incident saw an alert this recently (event time)
JOIN_WITHIN = {"crisis": timedelta(hours=12), "service": timedelta(hours=36)}


def family_of(kind: str) -> str:
    return FAMILY.get(kind, "crisis")


def incident_id(agency: str, family: str, opened_at: datetime) -> str:
    import hashlib

    raw = f"{agency}|{family}|{int(opened_at.timestamp())}".encode()
    return "inc-" + hashlib.blake2b(raw, digest_size=8).hexdigest()


def open_incident(
    conn: Connection, agency: str, family: str, at: datetime
) -> dict[str, Any] | None:
    c = incidents.c
    within = JOIN_WITHIN.get(family, timedelta(hours=12))
    row = (
        conn.execute(
            select(incidents)
            .where(
                c.agency == agency,
                c.family == family,
                c.status != "resolved",
                c.last_alert_at >= at - within,
            )
            .order_by(c.opened_at.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


_GET_INCIDENT = select(incidents).where(incidents.c.id == bindparam("_id"))


def get_incident(conn: Connection, incident: str) -> dict[str, Any] | None:
    row = conn.execute(_GET_INCIDENT, {"_id": incident}).mappings().first()
    return dict(row) if row else None


def create_incident(
    conn: Connection,
    *,
    agency: str,
    family: str,
    alert: Alert,
    routed_to: str,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    row = {
        "id": incident_id(agency, family, alert.raised_at),
        "agency": agency,
        "family": family,
        "status": "open",
        "severity": alert.severity,
        "kinds": orjson.dumps([alert.kind]).decode(),
        "summary": None,
        "routed_to": routed_to,
        "owner": None,
        "opened_at": alert.raised_at,
        "due_at": alert.raised_at + timedelta(hours=24),
        "last_alert_at": alert.updated_at,
        "open_alerts": 0,
        "alert_count": 0,
        "acknowledged_at": None,
        "acknowledged_by": None,
        "resolved_at": None,
        "resolved_by": None,
        "resolution": None,
        "created_at": now,
        "updated_at": now,
    }
    insert_ignoring_duplicates(conn, incidents, [row])
    found = get_incident(conn, str(row["id"]))
    assert found is not None
    return found


def incident_kinds(inc: dict[str, Any]) -> list[str]:
    kinds = inc["kinds"]
    return list(orjson.loads(kinds) if isinstance(kinds, str) else kinds)


def incident_of_alert(conn: Connection, alert: str) -> str | None:
    return conn.execute(select(alerts.c.incident_id).where(alerts.c.id == alert)).scalar()


def touch_incident(
    conn: Connection, inc: dict[str, Any], alert: Alert, change: str, summary: str | None
) -> None:
    kinds = incident_kinds(inc)
    if alert.kind not in kinds:
        kinds.append(alert.kind)
    delta = 1 if change == "raised" else -1 if change == "closed" else 0
    values: dict[str, Any] = {
        "severity": max(inc["severity"], alert.severity),
        "kinds": orjson.dumps(kinds).decode(),
        "last_alert_at": max(inc["last_alert_at"], alert.updated_at),
        "open_alerts": max(0, inc["open_alerts"] + delta),
        "alert_count": inc["alert_count"] + (change == "raised"),
        "summary": inc["summary"] if summary is None else summary,
        "updated_at": datetime.now(UTC),
    }
    conn.execute(_TOUCH_INCIDENT, {"_id": inc["id"], **values})
    inc.update(values)


_TOUCH_INCIDENT = (
    update(incidents)
    .where(incidents.c.id == bindparam("_id"))
    .values(
        {
            k: bindparam(k)
            for k in (
                "severity",
                "kinds",
                "last_alert_at",
                "open_alerts",
                "alert_count",
                "summary",
                "updated_at",
            )
        }
    )
)


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(conn: Connection, table: Any, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET columns = excluded, built once per dialect."""
    dialect = conn.dialect.name
    found = _UPSERTS.get((dialect, table.name))
    if found is None:
        ins: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        found = ins.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={k: ins.excluded[k] for k in columns},
        )
        _UPSERTS[(dialect, table.name)] = found
    return found


_ALERT_UPDATES = tuple(c.name for c in alerts.columns if c.name not in ("id", "raised_at"))


def save_alert(conn: Connection, alert: Alert, body: bytes | None = None) -> None:
    """Store the alert's current state and record the change (with its wire form)."""
    text = (body or alert.to_json()).decode()
    row = {
        "id": alert.id,
        "agency": alert.agency,
        "kind": alert.kind,
        "severity": alert.severity,
        "status": alert.status,
        "raised_at": alert.raised_at,
        "updated_at": alert.updated_at,
        "window_start": alert.window_start,
        "window_end": alert.window_end,
        "closed_at": alert.updated_at if alert.status == "closed" else None,
        "observed": alert.observed,
        "expected": alert.expected,
        "negative_share": alert.negative_share,
        "summary": alert.summary,
        "incident_id": alert.incident_id or "",
        "platform": alert.platform,
        "topic": alert.topic,
        "persistence": alert.persistence,
        "body": text,
        "stored_at": datetime.now(UTC),
    }
    conn.execute(_upsert(conn, alerts, ("id",), _ALERT_UPDATES), [row])
    conn.execute(
        alert_changes.insert(),
        [
            {
                "alert_id": alert.id,
                "change": alert.change,
                "at": alert.updated_at,
                "severity": alert.severity,
                "body": text,
            }
        ],
    )


# an incident whose alerts have all closed resolves itself after this long without an alert
QUIET_RESOLVE = timedelta(hours=24)
QUIET_RESOLUTION = "auto: no alert for 24 hours"


def unresolved_at(at: datetime) -> Any:
    """The condition on `incidents` for those still unresolved at `at` (event time).

    The stage resolves a quiet incident when its agency's clock passes the quiet day,
    or in live mode by the wall clock (`auto_resolve_live`); a replayed agency's clock
    stands still once its comments stop (a small district's page, or the end of a
    replay). An incident the stage would resolve by `at` counts as resolved here too,
    so that a body's risk does not stay raised because nobody wrote to it since."""
    c = incidents.c
    return and_(
        or_(c.resolved_at.is_(None), c.resolved_at > at),
        or_(c.open_alerts > 0, c.last_alert_at >= at - QUIET_RESOLVE),
    )


def auto_resolve(conn: Connection, clocks: dict[str, float], quiet: timedelta) -> None:
    """Resolve incidents whose alerts have all closed and stayed quiet for `quiet`."""
    c = incidents.c
    for agency, clock in clocks.items():
        if clock <= 0:
            continue
        until = _dt(clock) - quiet
        _resolve_quiet(conn, quiet, c.agency == agency, c.last_alert_at < until)


def auto_resolve_live(
    conn: Connection, clock: datetime, horizon: timedelta, quiet: timedelta
) -> None:
    """Live mode: resolve the quiet incidents of agencies whose comments are current (their
    newest within `horizon` of `clock`) by the wall clock, so that a district nobody writes
    to after its crisis gets its incident resolved, as a replay's newer comments would.
    Agencies whose data is older (a replay of past days) keep their own clock."""
    c, s = incidents.c, signal_state.c
    current = select(s.agency).where(s.watermark >= clock - horizon)
    _resolve_quiet(conn, quiet, c.agency.in_(current), c.last_alert_at < clock - quiet)


def _resolve_quiet(conn: Connection, quiet: timedelta, *where: Any) -> None:
    c = incidents.c
    now = datetime.now(UTC)
    quiet_ones = conn.execute(
        select(c.id, c.last_alert_at).where(c.status != "resolved", c.open_alerts == 0, *where)
    ).all()
    for inc, last in quiet_ones:
        conn.execute(
            update(incidents)
            .where(c.id == inc)
            .values(
                status="resolved",
                resolved_at=last + quiet,
                resolved_by="qulaq",
                resolution=QUIET_RESOLUTION,
                updated_at=now,
            )
        )


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertRow:
    id: str
    agency: str
    kind: str
    severity: int
    raised_at: datetime
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    negative_share: float | None
    status: str
    summary: str
    incident_id: str
    updated_at: datetime
    closed_at: datetime | None
    platform: str | None
    topic: str | None
    persistence: int


def list_alerts(
    conn: Connection,
    *,
    agency: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
) -> list[AlertRow]:
    c = alerts.c
    q = select(*(c[name] for name in AlertRow.__dataclass_fields__))
    if agency:
        q = q.where(c.agency == agency)
    if status:
        q = q.where(c.status == status)
    if since:
        q = q.where(c.raised_at >= since)
    q = q.order_by(c.raised_at, c.id)
    return [AlertRow(**dict(r)) for r in conn.execute(q).mappings()]


def alert_body(conn: Connection, alert: str) -> dict[str, Any] | None:
    body = conn.execute(select(alerts.c.body).where(alerts.c.id == alert)).scalar()
    return orjson.loads(body) if body else None


def alert_bodies(conn: Connection, ids: Sequence[str], chunk: int = 500) -> dict[str, Any]:
    """The wire form of each of these alerts (what its summary is written from), by id."""
    out: dict[str, Any] = {}
    for i in range(0, len(ids), chunk):
        q = select(alerts.c.id, alerts.c.body).where(alerts.c.id.in_(ids[i : i + chunk]))
        out.update({key: orjson.loads(body) for key, body in conn.execute(q).all() if body})
    return out


def alerts_active_at(conn: Connection, at: datetime) -> list[AlertRow]:
    """Alerts raised by `at` (event time) and not closed by then."""
    c = alerts.c
    q = (
        select(*(c[name] for name in AlertRow.__dataclass_fields__))
        .where(c.raised_at <= at, or_(c.closed_at.is_(None), c.closed_at > at))
        .order_by(c.raised_at)
    )
    return [AlertRow(**dict(r)) for r in conn.execute(q).mappings()]


def list_incidents(
    conn: Connection,
    *,
    agency: str | None = None,
    status: str | None = None,
    at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Incidents, oldest first. With `at`, one the stage would have resolved for quiet
    by then (see `unresolved_at`) is shown resolved, as the stage will record it."""
    c = incidents.c
    q = select(incidents)
    if agency:
        q = q.where(c.agency == agency)
    q = q.order_by(c.opened_at, c.id)
    out = []
    for r in conn.execute(q).mappings():
        d = dict(r)
        d["kinds"] = orjson.loads(d["kinds"])
        quiet_end = d["last_alert_at"] + QUIET_RESOLVE
        if at is not None and d["status"] != "resolved" and not d["open_alerts"] and quiet_end < at:
            d |= {
                "status": "resolved",
                "resolved_at": quiet_end,
                "resolved_by": "qulaq",
                "resolution": QUIET_RESOLUTION,
            }
        if status is None or d["status"] == status:
            out.append(d)
    return out


# -- the incident lifecycle (people, through the command line or the dashboard) -------------


def _require(conn: Connection, incident: str) -> dict[str, Any]:
    found = get_incident(conn, incident)
    if found is None:
        raise UserError.t("incident.unknown", id=incident)
    return found


def acknowledge_incident(
    conn: Connection, incident: str, *, by: str, at: datetime | None = None
) -> dict[str, Any]:
    inc = _require(conn, incident)
    if inc["status"] == "resolved":
        raise UserError.t("incident.resolved", id=incident)
    at = at or datetime.now(UTC)
    values = {"status": "acknowledged", "acknowledged_by": by, "updated_at": at}
    if inc["acknowledged_at"] is None:
        values["acknowledged_at"] = at
    if not inc["owner"]:
        values["owner"] = by
    conn.execute(update(incidents).where(incidents.c.id == incident).values(**values))
    conn.execute(
        update(alerts)
        .where(alerts.c.incident_id == incident, alerts.c.status == "open")
        .values(status="acknowledged")
    )
    return {**inc, **values}


def resolve_incident(
    conn: Connection,
    incident: str,
    *,
    by: str,
    note: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    inc = _require(conn, incident)
    if inc["status"] == "resolved":
        raise UserError.t("incident.resolved", id=incident)
    at = at or datetime.now(UTC)
    values = {
        "status": "resolved",
        "resolved_at": at,
        "resolved_by": by,
        "resolution": note,
        "updated_at": at,
    }
    conn.execute(update(incidents).where(incidents.c.id == incident).values(**values))
    return {**inc, **values}


def assign_incident(
    conn: Connection,
    incident: str,
    *,
    owner: str,
    by: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    inc = _require(conn, incident)
    at = at or datetime.now(UTC)
    values = {"owner": owner, "updated_at": at}
    conn.execute(update(incidents).where(incidents.c.id == incident).values(**values))
    return {**inc, **values}


def acknowledge_alert(
    conn: Connection, alert: str, *, by: str, at: datetime | None = None
) -> dict[str, Any]:
    """Acknowledging an alert acknowledges its incident."""
    inc = conn.execute(select(alerts.c.incident_id).where(alerts.c.id == alert)).scalar()
    if inc is None:
        raise UserError.t("alert.unknown", id=alert)
    return acknowledge_incident(conn, inc, by=by, at=at)
