"""What other parts of Qulaq know, as the pages need it: alerts and incidents and
reputation risk (signals), playbook runs (playbooks), collector health (collectors).

Each function returns plain dicts and says when its source is not installed or
holds nothing yet, so a page can show "no data yet" instead of failing.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, func, insert, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError

from qulaq.alerts import Alert
from qulaq.storage import schema
from qulaq.storage.schema import alert_changes, alert_work, collector_health

log = logging.getLogger(__name__)

ALERT_FIELDS = (
    "id",
    "agency",
    "kind",
    "severity",
    "status",
    "raised_at",
    "updated_at",
    "window_start",
    "window_end",
    "observed",
    "expected",
    "negative_share",
    "summary",
    "incident_id",
    "platform",
    "topic",
    "topics",
    "terms",
    "top_comments",
    "persistence",
)


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def _safely(conn: Connection, default: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Another part's reader, inside a savepoint: when its tables lag behind its code (a
    migration not run yet), the page says "no data" instead of failing."""
    try:
        with conn.begin_nested():
            return fn(*args, **kwargs)
    except SQLAlchemyError as exc:
        log.warning("%s failed: %s", getattr(fn, "__qualname__", fn), str(exc).splitlines()[0])
        return default


def _source(conn: Connection, module: str, function: str, *tables: str) -> ModuleType | None:
    """`module` if it defines `function` and the database has its tables (migrated)."""
    found = _module(module)
    if found is None or not hasattr(found, function):
        return None
    inspector = inspect(conn)
    if not all(inspector.has_table(t) for t in tables):
        return None
    return found


@dataclass
class Feed:
    """Rows from a source, and whether that source exists at all."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    available: bool = False


def _in_scope(agency: Any, agencies: Collection[str] | None) -> bool:
    return agencies is None or str(agency) in agencies


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return dict(obj)
    if hasattr(obj, "__dataclass_fields__"):
        return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
    return dict(obj._mapping) if hasattr(obj, "_mapping") else dict(vars(obj))


# ---------------------------------------------------------------- alerts and incidents


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Alerts as the page lists them: open before closed, the most severe first."""
    return sorted(rows, key=lambda r: (r.get("status") == "closed", -int(r.get("severity") or 0)))


def alerts(conn: Connection, agencies: Collection[str] | None) -> Feed:
    store = _source(conn, "signals.store", "list_alerts", "alerts")
    if store is None:
        return Feed()
    rows = [_as_dict(a) for a in _safely(conn, [], store.list_alerts, conn)]
    work = {r["alert_id"]: dict(r) for r in conn.execute(select(alert_work)).mappings()}
    out = []
    for row in rows:
        if not _in_scope(row.get("agency"), agencies):
            continue
        extra = work.get(str(row.get("id")))
        row["assignee"] = extra["assignee"] if extra else None
        row["acknowledged_by"] = extra["acknowledged_by"] if extra else None
        row["note"] = extra["note"] if extra else None
        out.append(row)
    return Feed(_sorted(out), True)


def as_of(rows: list[dict[str, Any]], at: datetime) -> list[dict[str, Any]]:
    """Alerts as they stood at `at` (event time): raised by then, open if they closed later."""
    out = []
    for row in rows:
        raised, closed = row.get("raised_at"), row.get("closed_at")
        if isinstance(raised, datetime) and raised > at:
            continue
        if row.get("status") == "closed" and isinstance(closed, datetime) and closed > at:
            row = {**row, "status": "open"}
        out.append(row)
    return _sorted(out)


def _changes_by(
    conn: Connection, at: datetime, agencies: Collection[str] | None
) -> dict[str, dict[str, Any]]:
    """The wire form of each alert (in scope) at its last change at or before `at`."""
    ch, a = alert_changes.c, schema.alerts.c
    newest_first = func.row_number().over(
        partition_by=ch.alert_id, order_by=(ch.at.desc(), ch.id.desc())
    )
    ranked = (
        select(ch.alert_id, ch.body, newest_first.label("n"))
        .select_from(alert_changes.join(schema.alerts, a.id == ch.alert_id))
        .where(ch.at <= at)
    )
    if agencies is not None:
        ranked = ranked.where(a.agency.in_(list(agencies)))
    sub = ranked.subquery()
    out: dict[str, dict[str, Any]] = {}
    for alert_id, body in conn.execute(select(sub.c.alert_id, sub.c.body).where(sub.c.n == 1)):
        try:
            found = json.loads(body)
        except ValueError:
            continue
        if isinstance(found, dict):
            out[str(alert_id)] = found
    return out


def alerts_at(
    conn: Connection, at: datetime, agencies: Collection[str] | None
) -> tuple[Feed, dict[str, Any]]:
    """Alerts as they stood at `at` (event time), with the wire form of each then: every
    alert at its last change at or before `at` (status, severity, window, figures, top
    comments), acknowledged if its incident was by then; those raised later left out.
    An alert whose changes are no longer kept (retention) shows its stored state."""
    store = _source(conn, "signals.store", "list_alerts", "alerts", "alert_changes")
    if store is None:
        return alerts(conn, agencies), {}
    then = _safely(conn, {}, _changes_by, conn, at, agencies)
    stored = {str(r["id"]): r for r in alerts(conn, agencies).rows}
    rows, bodies = [], {}
    for alert_id, row in stored.items():
        body = then.get(alert_id)
        if body is None:
            rows.extend(as_of([row], at))  # raised later, or its history pruned
            continue
        try:
            state = _as_dict(Alert.from_dict(body))
        except (KeyError, TypeError, ValueError):
            continue
        state["incident_id"] = state.get("incident_id") or row.get("incident_id") or ""
        state["closed_at"] = state["updated_at"] if state.get("status") == "closed" else None
        for key in ("assignee", "acknowledged_by", "note"):
            state[key] = row.get(key)
        rows.append(state)
        bodies[alert_id] = body
    acknowledged = _acknowledged_by(conn, at, {str(r.get("incident_id") or "") for r in rows})
    work = {
        str(r.alert_id): r
        for r in conn.execute(
            select(alert_work).where(alert_work.c.alert_id.in_([str(r["id"]) for r in rows]))
        )
    }
    for row in rows:
        if row.get("status") == "open" and row.get("incident_id") in acknowledged:
            row["status"] = "acknowledged"
        extra = work.get(str(row["id"]))
        if extra is not None:
            # What the press office did later was not done yet at `at`.
            if extra.acknowledged_at is None or extra.acknowledged_at > at:
                row["acknowledged_by"] = None
            if extra.updated_at > at:
                row["assignee"] = row["note"] = None
    return Feed(_sorted(rows), True), bodies


def _acknowledged_by(conn: Connection, at: datetime, ids: Collection[str]) -> set[str]:
    """Those of these incidents acknowledged at or before `at`."""
    c = schema.incidents.c
    wanted = [i for i in ids if i]
    if not wanted or not inspect(conn).has_table("incidents"):
        return set()
    q = select(c.id).where(c.id.in_(wanted), c.acknowledged_at <= at)
    return {str(i) for i in conn.execute(q).scalars()}


def alert_bodies(conn: Connection, ids: Collection[str]) -> dict[str, Any]:
    """Each alert's wire form by id (empty when signals keeps none)."""
    store = _source(conn, "signals.store", "alert_bodies", "alerts")
    if store is None or not ids:
        return {}
    found = _safely(conn, {}, store.alert_bodies, conn, list(ids))
    return dict(found) if isinstance(found, dict) else {}


def alerts_active_at(conn: Connection, at: datetime, agencies: Collection[str] | None) -> Feed:
    """Alerts raised by `at` and not closed by then (event time), for reviewing a moment."""
    store = _source(conn, "signals.store", "alerts_active_at", "alerts")
    if store is None:
        return alerts(conn, agencies)
    rows = []
    for alert in _safely(conn, [], store.alerts_active_at, conn, at):
        row = _as_dict(alert)
        if row.get("status") == "closed":  # closed later, open at `at`
            row["status"] = "open"
        if _in_scope(row.get("agency"), agencies):
            rows.append(row)
    return Feed(rows, True)


def incidents_open_at(conn: Connection, at: datetime, agencies: Collection[str] | None) -> Feed:
    feed = incidents(conn, agencies, at)
    rows = []
    for inc in feed.rows:
        opened, resolved = inc.get("opened_at"), inc.get("resolved_at")
        if isinstance(opened, datetime) and opened > at:
            continue
        if isinstance(resolved, datetime) and resolved <= at:
            continue
        rows.append(inc)
    return Feed(rows, feed.available)


def incidents(
    conn: Connection, agencies: Collection[str] | None, at: datetime | None = None
) -> Feed:
    """Incidents in scope; with `at`, those the stage would have resolved for quiet by
    then are shown resolved (risk counts them so)."""
    store = _source(conn, "signals.store", "list_incidents", "incidents")
    if store is None:
        return Feed()
    rows = [_as_dict(i) for i in _safely(conn, [], store.list_incidents, conn, at=at)]
    return Feed([r for r in rows if _in_scope(r.get("agency"), agencies)], True)


def acknowledge_alert(
    conn: Connection, alert: dict[str, Any], by: str, *, at: datetime | None = None
) -> None:
    """Acknowledge in signals when it can, and record who did it here in any case."""
    at = at or datetime.now(UTC)
    store = _source(conn, "signals.store", "acknowledge_alert", "alerts")
    if store is not None:
        store.acknowledge_alert(conn, alert["id"], by=by, at=at)
    _upsert_work(conn, alert, by, at, acknowledged_by=by, acknowledged_at=at)


def assign_alert(
    conn: Connection, alert: dict[str, Any], assignee: str, by: str, note: str | None = None
) -> None:
    at = datetime.now(UTC)
    store = _source(conn, "signals.store", "assign_incident", "incidents")
    if store is not None and alert.get("incident_id"):
        store.assign_incident(conn, alert["incident_id"], owner=assignee, by=by, at=at)
    _upsert_work(conn, alert, by, at, assignee=assignee, note=note)


def _upsert_work(
    conn: Connection, alert: dict[str, Any], by: str, at: datetime, **values: Any
) -> None:
    key = str(alert["id"])
    exists = conn.execute(select(alert_work.c.alert_id).where(alert_work.c.alert_id == key)).first()
    values = {k: v for k, v in values.items() if v is not None}
    if exists:
        conn.execute(
            update(alert_work)
            .where(alert_work.c.alert_id == key)
            .values(updated_by=by, updated_at=at, **values)
        )
    else:
        conn.execute(
            insert(alert_work).values(
                alert_id=key, agency=str(alert["agency"]), updated_by=by, updated_at=at, **values
            )
        )


# ---------------------------------------------------------------- reputation risk


def risk(conn: Connection, at: datetime) -> dict[str, dict[str, Any]] | None:
    """Risk per agency from signals (`score`, `level`, `components`), or None.

    Signals gives each component as a dict of figures with a `value` in 0..1.
    """
    module = _source(conn, "signals.risk", "agency_risk", "signal_buckets", "alerts")
    if module is None:
        return None
    out: dict[str, dict[str, Any]] = {}
    for entry in _safely(conn, [], module.agency_risk, conn, at):
        d = _as_dict(entry)
        components = {}
        for name, value in (d.get("components") or {}).items():
            if isinstance(value, dict):
                value = value.get("value")
            if isinstance(value, int | float):
                components[str(name)] = float(value)
        d["components"] = components
        out[str(d["agency"])] = d
    return out or None


def region_risk(conn: Connection, at: datetime, registry: Any) -> list[dict[str, Any]] | None:
    """Cells of the sphere × territory matrix scored by signals, or None."""
    module = _source(conn, "signals.risk", "region_matrix", "signal_topic_buckets")
    if module is None:
        return None
    return [
        _as_dict(r) for r in _safely(conn, [], module.region_matrix, conn, at, registry)
    ] or None


# ---------------------------------------------------------------- playbooks


def playbook_runs(
    conn: Connection, agencies: Collection[str] | None, as_of: datetime | None = None
) -> Feed:
    """Runs in scope; `as_of`, a moment under review: those begun by then, each as it
    stood then (its status and its steps', told again from its audit log)."""
    store = _source(conn, "playbooks.store", "list_runs", "playbook_runs")
    if store is None:
        return Feed()
    # begun at or before `as_of` (`until` keeps those begun before it; times are to the µs)
    until = as_of + timedelta(microseconds=1) if as_of is not None else None
    runs = [
        run
        for run in _safely(conn, [], store.list_runs, conn, until=until)
        if _in_scope(getattr(run, "agency", None), agencies)
    ]
    history = _module("playbooks.history")
    if as_of is not None and runs and history is not None:
        logs: dict[str, list[dict[str, Any]]] = {}
        for entry in _safely(conn, [], store.audit_log, conn, [r.id for r in runs]):
            logs.setdefault(str(entry["run_id"]), []).append(entry)
        runs = [history.run_at(run, logs.get(run.id, []), as_of) for run in runs]
    rows = []
    for run in runs:
        d = _as_dict(run)
        d["steps"] = [_as_dict(s) for s in d.get("steps") or []]
        rows.append(d)
    return Feed(rows, True)


def playbook_audit(
    conn: Connection, run_ids: list[str], as_of: datetime | None = None
) -> list[dict[str, Any]]:
    """The runs' audit log; `as_of`, a moment under review: the entries made by then."""
    store = _source(conn, "playbooks.store", "audit_log", "playbook_runs")
    if store is None or not run_ids:
        return []
    entries = [_as_dict(r) for r in _safely(conn, [], store.audit_log, conn, run_ids)]
    if as_of is None:
        return entries
    return [e for e in entries if not isinstance(e.get("at"), datetime) or e["at"] <= as_of]


# ---------------------------------------------------------------- collectors


def collector_status(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(collector_health).order_by(collector_health.c.platform)).mappings()
    return [dict(r) for r in rows]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
