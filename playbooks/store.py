"""Runs, steps, the audit log and the outbox in the database.

Everything here runs inside the caller's transaction: a run's new state, its
audit entries and the notifications it causes are written together, so a
crash leaves all of them or none. The audit log is only ever inserted into.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select

from playbooks.engine import RunState, StepState
from qulaq.storage.schema import (
    playbook_audit,
    playbook_outbox,
    playbook_runs,
    playbook_state,
    playbook_steps,
)
from qulaq.storage.upsert import insert_ignoring_duplicates


def load_run(conn: Connection, run_id: str) -> RunState | None:
    row = conn.execute(select(playbook_runs).where(playbook_runs.c.id == run_id)).mappings().first()
    return _with_steps(conn, [row])[0] if row else None


def run_for_incident(conn: Connection, incident_id: str) -> RunState | None:
    row = (
        conn.execute(select(playbook_runs).where(playbook_runs.c.incident_id == incident_id))
        .mappings()
        .first()
    )
    return _with_steps(conn, [row])[0] if row else None


def active_runs(conn: Connection, clock_mode: str | None = None) -> list[RunState]:
    q = select(playbook_runs).where(playbook_runs.c.status == "active")
    if clock_mode:
        q = q.where(playbook_runs.c.clock_mode == clock_mode)
    return _with_steps(conn, list(conn.execute(q.order_by(playbook_runs.c.started_at)).mappings()))


def list_runs(
    conn: Connection,
    *,
    agency: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    status: str | None = None,
    drills: bool | None = None,
) -> list[RunState]:
    c = playbook_runs.c
    q = select(playbook_runs)
    if agency:
        q = q.where(c.agency == agency)
    if since:
        q = q.where(c.started_at >= since)
    if until:
        q = q.where(c.started_at < until)
    if status:
        q = q.where(c.status == status)
    if drills is not None:
        q = q.where(c.drill.is_(drills))
    return _with_steps(conn, list(conn.execute(q.order_by(c.started_at, c.id)).mappings()))


def _with_steps(conn: Connection, rows: list[Any]) -> list[RunState]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    by_run: dict[str, list[StepState]] = {i: [] for i in ids}
    s = playbook_steps.c
    for r in conn.execute(
        select(playbook_steps).where(s.run_id.in_(ids)).order_by(s.run_id, s.position)
    ).mappings():
        by_run[r["run_id"]].append(
            StepState(
                id=r["step"],
                role=r["role"],
                status=r["status"],
                opens_at=r["opens_at"],
                due_at=r["due_at"],
                position=r["position"],
                opened_at=r["opened_at"],
                escalation_level=r["escalation_level"],
                acknowledged_at=r["acknowledged_at"],
                acknowledged_by=r["acknowledged_by"],
                done_at=r["done_at"],
                done_by=r["done_by"],
                overdue=bool(r["overdue"]),
                note=r["note"],
            )
        )
    return [
        RunState(
            id=r["id"],
            playbook=r["playbook"],
            playbook_version=r["playbook_version"],
            agency=r["agency"],
            incident_id=r["incident_id"],
            alert_id=r["alert_id"],
            severity=r["severity"],
            triage=r["triage"],
            started_at=r["started_at"],
            clock=r["clock"],
            clock_mode=r["clock_mode"],
            status=r["status"],
            drill=bool(r["drill"]),
            closed_at=r["closed_at"],
            summary=r["summary"] or "",
            topic=r["topic"],
            alerts=list(orjson.loads(r["alerts"])),
            steps=by_run[r["id"]],
        )
        for r in rows
    ]


def save_run(conn: Connection, run: RunState, *, now: datetime, new: bool = False) -> None:
    values = {
        "incident_id": run.incident_id,
        "playbook": run.playbook,
        "playbook_version": run.playbook_version,
        "agency": run.agency,
        "alert_id": run.alert_id,
        "alerts": orjson.dumps(run.alerts).decode(),
        "severity": run.severity,
        "triage": run.triage,
        "status": run.status,
        "drill": run.drill,
        "clock_mode": run.clock_mode,
        "started_at": run.started_at,
        "clock": run.clock,
        "closed_at": run.closed_at,
        "summary": run.summary,
        "topic": run.topic,
        "updated_at": now,
    }
    if new:
        conn.execute(playbook_runs.insert().values(id=run.id, created_at=now, **values))
    else:
        conn.execute(playbook_runs.update().where(playbook_runs.c.id == run.id).values(**values))
    stored: set[str] = set()
    if not new:
        stored = set(
            conn.execute(
                select(playbook_steps.c.step).where(playbook_steps.c.run_id == run.id)
            ).scalars()
        )
    # a run moved to another playbook (engine.replan) has new steps and drops
    # some old ones: the rows follow the run's steps exactly
    current = {st.id for st in run.steps}
    gone = stored - current
    if gone:
        conn.execute(
            playbook_steps.delete().where(
                playbook_steps.c.run_id == run.id, playbook_steps.c.step.in_(gone)
            )
        )
    added = [st for st in run.steps if st.id not in stored]
    kept = [st for st in run.steps if st.id in stored]
    if added:
        conn.execute(
            playbook_steps.insert(),
            [
                {c: getattr(st, c) for c in _STEP_COLUMNS} | {"run_id": run.id, "step": st.id}
                for st in added
            ],
        )
    if kept:
        conn.execute(
            _STEP_UPDATE,
            [
                {c: getattr(st, c) for c in _STEP_COLUMNS} | {"_run": run.id, "_step": st.id}
                for st in kept
            ],
        )


_STEP_COLUMNS = (
    "position",
    "role",
    "status",
    "opens_at",
    "due_at",
    "opened_at",
    "escalation_level",
    "acknowledged_at",
    "acknowledged_by",
    "done_at",
    "done_by",
    "overdue",
    "note",
)
# one statement for all of a run's steps, executed as a batch
_STEP_UPDATE = (
    playbook_steps.update()
    .where(
        playbook_steps.c.run_id == bindparam("_run"),
        playbook_steps.c.step == bindparam("_step"),
    )
    .values({c: bindparam(c) for c in _STEP_COLUMNS})
)


def append_audit(
    conn: Connection,
    run_id: str | None,
    entries: Iterable[dict[str, Any]],
    *,
    now: datetime,
) -> list[dict[str, Any]]:
    """Insert audit entries: dicts with action, at, actor and optionally step,
    channel, recipient, message, detail. Returns them as written."""
    rows = []
    for e in entries:
        rows.append(
            {
                "run_id": run_id,
                "step": e.get("step"),
                "at": e["at"],
                "recorded_at": now,
                "actor": e["actor"],
                "action": e["action"],
                "channel": e.get("channel"),
                "recipient": e.get("recipient"),
                "message": e.get("message"),
                "detail": orjson.dumps(e.get("detail") or {}).decode(),
            }
        )
    if rows:
        conn.execute(playbook_audit.insert(), rows)
    return rows


def audit_log(conn: Connection, run_ids: list[str]) -> list[dict[str, Any]]:
    if not run_ids:
        return []
    a = playbook_audit.c
    out = []
    for r in conn.execute(
        select(playbook_audit).where(a.run_id.in_(run_ids)).order_by(a.at, a.id)
    ).mappings():
        d = dict(r)
        d["detail"] = orjson.loads(d["detail"] or "{}")
        out.append(d)
    return out


def enqueue(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Outbox rows; a key already present is left alone (deduplication)."""
    insert_ignoring_duplicates(conn, playbook_outbox, rows)


def get_state(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(playbook_state.c.value).where(playbook_state.c.key == key)
    ).scalar_one_or_none()


def set_state(conn: Connection, key: str, value: str) -> None:
    now = datetime.now(UTC)
    insert_ignoring_duplicates(
        conn, playbook_state, [{"key": key, "value": value, "updated_at": now}]
    )
    conn.execute(
        playbook_state.update()
        .where(playbook_state.c.key == key)
        .values(value=value, updated_at=now)
    )
