"""A run as it stood at a past moment, told again from its audit log.

The store keeps each run's current state only; every transition the engine makes is
also an audit entry (`engine.Audit`). Read in order up to a moment, the entries give
the run's status then and each step's: opened, escalated (and how far), taken, done or
skipped (by whom, when), overdue. A manager reviewing "where were we at 09:10"
sees that, not today's state.

Not told again: due times moved by a later alert that made a step needed, and steps a
later replan added or dropped (the run shows today's steps, each as it stood then).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from playbooks.engine import (
    ACKNOWLEDGED,
    ACTIVE,
    CANCELLED,
    COMPLETED,
    DONE,
    ESCALATED,
    NOT_APPLICABLE,
    OPEN,
    PENDING,
    SKIPPED,
    RunState,
    StepState,
)


def run_at(run: RunState, audit: Iterable[Mapping[str, Any]], at: datetime) -> RunState:
    """`run` as it stood at `at`; `audit`, its log in order (`store.audit_log`)."""
    entries = [e for e in audit if e.get("run_id", run.id) == run.id]
    past = copy.copy(run)
    past.status, past.closed_at = ACTIVE, None
    by_step: dict[str, list[Mapping[str, Any]]] = {}
    for e in entries:
        if e.get("step"):
            by_step.setdefault(str(e["step"]), []).append(e)
        elif e["action"] in (COMPLETED, CANCELLED) and e["at"] <= at:
            past.status, past.closed_at = str(e["action"]), e["at"]
    past.steps = [_step_at(s, by_step.get(s.id, []), at) for s in run.steps]
    return past


def _step_at(now: StepState, entries: list[Mapping[str, Any]], at: datetime) -> StepState:
    first = entries[0]["action"] if entries else None
    # a step not needed from the start has an entry saying so; one a replan found not
    # needed has none, and keeps that status until an alert makes it needed
    never_needed = now.status == NOT_APPLICABLE and not any(
        e["action"] == "applicable" for e in entries
    )
    step = copy.copy(now)
    step.status = NOT_APPLICABLE if first == "not_applicable" or never_needed else PENDING
    step.opened_at = step.acknowledged_at = step.acknowledged_by = None
    step.done_at = step.done_by = None
    step.escalation_level, step.overdue = 0, False
    for e in entries:
        if e["at"] > at:
            break
        action, when, actor = e["action"], e["at"], e.get("actor")
        detail = e.get("detail") or {}
        if action == "not_applicable":
            step.status = NOT_APPLICABLE
        elif action == "applicable":
            step.status = PENDING
        elif action == "opened":
            step.status, step.opened_at = OPEN, when
        elif action == "escalated":
            step.escalation_level = int(detail.get("level") or step.escalation_level + 1)
            if step.status in (PENDING, OPEN):
                step.status = ESCALATED
        elif action == "acknowledged":
            step.status, step.acknowledged_at, step.acknowledged_by = ACKNOWLEDGED, when, actor
        elif action == "done":
            if step.acknowledged_at is None:
                step.acknowledged_at, step.acknowledged_by = when, actor
            step.status, step.done_at, step.done_by = DONE, when, actor
        elif action == "skipped":
            step.status, step.done_at, step.done_by = SKIPPED, when, actor
        elif action == "overdue":
            step.overdue = True
    return step
