"""Playbook runs as a state machine over plain data: no clock, no I/O.

A run starts from an alert (`start`), follows time (`advance`: steps open,
unacknowledged steps escalate, late steps are flagged), takes people's
actions (`act`: acknowledge, done, skip, escalate) and later alerts of its
incident (`observe`). Each transition returns the new state and the effects
the edges carry out: `Notify` (the stage turns it into outbox rows for the
on-call people of a role) and `Audit` (an entry in the append-only log).

Step statuses: pending → open → (escalated →) acknowledged → done, or
skipped at any point; not_applicable when the step's condition does not hold
(it may become pending when a later alert makes it hold).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from playbooks.calendar import WorkCalendar
from playbooks.model import Playbook, Step
from playbooks.names import CONDITION_NOT_MET
from qulaq.errors import Phrase, UserError

PENDING, OPEN, ESCALATED, ACKNOWLEDGED, DONE, SKIPPED, NOT_APPLICABLE = (
    "pending",
    "open",
    "escalated",
    "acknowledged",
    "done",
    "skipped",
    "not_applicable",
)
TERMINAL = frozenset({DONE, SKIPPED, NOT_APPLICABLE})
WAITING_FOR_ACK = frozenset({PENDING, OPEN, ESCALATED})
ACTIVE, COMPLETED, CANCELLED = "active", "completed", "cancelled"
ACTIONS = ("ack", "done", "skip", "escalate")


class TransitionError(UserError, ValueError):
    """An action that the step's state does not allow; one line for the user, in their
    language (the command line, the Telegram bot)."""


def _status(status: str) -> Phrase:
    """A run's or a step's status, as said in a message."""
    return Phrase(f"playbook.status.{status}", status.replace("_", " "))


@dataclass(frozen=True)
class AlertFacts:
    """What a playbook sees of an alert."""

    alert_id: str
    incident_id: str
    agency: str
    agency_type: str
    kind: str
    severity: int
    change: str
    raised_at: datetime
    at: datetime  # event time of this state of the alert
    topics: tuple[str, ...] = ()
    text: str = ""  # summary, terms and top comments, lower-case, for trigger words
    summary: str = ""
    observed: float = 0.0
    expected: float = 0.0
    negative_share: float | None = None
    persistence: int = 1
    drill: bool = False

    def facts(self) -> dict[str, float | None]:
        ratio = self.observed / self.expected if self.expected > 0 else None
        return {
            "severity": float(self.severity),
            "negative_share": self.negative_share,
            "observed": self.observed,
            "expected": self.expected,
            "ratio": ratio,
            "persistence": float(self.persistence),
            "comments": self.observed,
        }


def match(playbooks: Iterable[Playbook], alert: AlertFacts) -> Playbook | None:
    """The playbook an alert starts: every criterion the trigger names must
    hold (topics or words: either, when both are given); the highest
    priority wins. A positive burst starts none."""
    if alert.kind == "positive_burst":
        return None
    best: Playbook | None = None
    for p in playbooks:
        t = p.trigger
        if alert.kind not in t.kinds or not t.min_severity <= alert.severity <= t.max_severity:
            continue
        if t.agency_types and alert.agency_type not in t.agency_types:
            continue
        # the dominant topic: an alert lists every topic it saw, most frequent first
        topical = bool(alert.topics) and alert.topics[0] in t.topics
        worded = any(term in alert.text for term in t.terms)
        if t.topics and t.terms:
            fits = topical or worded
        elif t.topics:
            fits = topical
        elif t.terms:
            fits = worded
        else:
            fits = True
        if fits and (best is None or (t.priority, p.id) > (best.trigger.priority, best.id)):
            best = p
    return best


@dataclass
class StepState:
    id: str
    role: str
    status: str
    opens_at: datetime
    due_at: datetime
    position: int = 0
    opened_at: datetime | None = None
    escalation_level: int = 0
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    done_at: datetime | None = None
    done_by: str | None = None
    overdue: bool = False
    note: str | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


@dataclass
class RunState:
    id: str
    playbook: str
    playbook_version: str
    agency: str
    incident_id: str
    alert_id: str
    severity: int
    triage: str
    started_at: datetime
    clock: datetime  # the latest time the run has been advanced to
    clock_mode: str = "event"  # event: follows the stream (replays); wall: follows the wall clock
    status: str = ACTIVE
    drill: bool = False
    closed_at: datetime | None = None
    summary: str = ""  # of the latest alert, for notifications
    topic: str | None = None
    alerts: list[str] = field(default_factory=list)
    steps: list[StepState] = field(default_factory=list)

    def step(self, step_id: str) -> StepState:
        for s in self.steps:
            if s.id == step_id:
                return s
        known = ", ".join(s.id for s in self.steps)
        raise TransitionError.t("playbook.no_step", run=self.id, step=step_id, known=known)


@dataclass(frozen=True)
class Notify:
    kind: str  # step_open | escalation | overdue | severity_raised
    step: str | None
    roles: tuple[str, ...]
    level: int
    at: datetime
    urgent: bool


@dataclass(frozen=True)
class Audit:
    action: str
    at: datetime
    actor: str
    step: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


Effect = Notify | Audit
SYSTEM = "system"


def start(
    playbook: Playbook,
    alert: AlertFacts,
    calendar: WorkCalendar,
    run_id: str,
    *,
    now: datetime,
    clock_mode: str = "event",
    triage: str = "medium",
    drill: bool = False,
) -> tuple[RunState, list[Effect]]:
    """A new run for `alert`, advanced to `now`."""
    begin = alert.raised_at
    facts = alert.facts()
    steps = []
    for i, s in enumerate(playbook.steps):
        applies = s.applies(facts)
        steps.append(
            StepState(
                id=s.id,
                role=s.role,
                status=PENDING if applies else NOT_APPLICABLE,
                opens_at=calendar.add(begin, s.opens),
                due_at=calendar.add(begin, s.due_for(triage)),
                position=i,
                note=None if applies else _unmet(s),
            )
        )
    run = RunState(
        id=run_id,
        playbook=playbook.id,
        playbook_version=playbook.digest,
        agency=alert.agency,
        incident_id=alert.incident_id,
        alert_id=alert.alert_id,
        severity=alert.severity,
        triage=triage,
        started_at=begin,
        clock=begin,
        clock_mode=clock_mode,
        drill=drill or alert.drill,
        summary=alert.summary,
        topic=alert.topics[0] if alert.topics else None,
        alerts=[alert.alert_id],
        steps=steps,
    )
    effects: list[Effect] = [
        Audit(
            "started",
            begin,
            SYSTEM,
            detail={
                "playbook": playbook.id,
                "version": playbook.digest,
                "alert_id": alert.alert_id,
                "incident_id": alert.incident_id,
                "kind": alert.kind,
                "severity": alert.severity,
                "triage": triage,
                "drill": run.drill,
                "summary": alert.summary,
            },
        )
    ]
    effects += [
        Audit("not_applicable", begin, SYSTEM, s.id, {"condition": s.note})
        for s in steps
        if s.status == NOT_APPLICABLE
    ]
    run, more = advance(run, playbook, calendar, max(now, begin))
    return run, effects + more


def advance(
    run: RunState, playbook: Playbook, calendar: WorkCalendar, now: datetime
) -> tuple[RunState, list[Effect]]:
    """Let time pass up to `now`: open steps, escalate, flag late ones."""
    if run.status != ACTIVE or now < run.clock:
        return run, []
    run = copy.deepcopy(run)
    fired: list[tuple[datetime, int, Effect]] = []
    for st in run.steps:
        spec = _spec(playbook, st.id)
        if st.status == PENDING and st.opens_at <= now:
            st.status = OPEN
            st.opened_at = st.opens_at
            fired.append((st.opens_at, 0, Audit("opened", st.opens_at, SYSTEM, st.id)))
            fired.append(
                (
                    st.opens_at,
                    1,
                    Notify("step_open", st.id, (st.role,), 0, st.opens_at, _urgent(run)),
                )
            )
        if st.status in (OPEN, ESCALATED) and st.opened_at is not None and spec is not None:
            for level, esc in enumerate(spec.escalate, start=1):
                if level <= st.escalation_level:
                    continue
                when = calendar.add(st.opened_at, esc.after)
                if when > now:
                    break
                st.escalation_level = level
                st.status = ESCALATED
                fired.append(
                    (
                        when,
                        2,
                        Audit("escalated", when, SYSTEM, st.id, {"to": esc.to, "level": level}),
                    )
                )
                fired.append(
                    (when, 3, Notify("escalation", st.id, (esc.to, st.role), level, when, True))
                )
        if not st.terminal and not st.overdue and st.due_at <= now and st.status != PENDING:
            st.overdue = True
            fired.append((st.due_at, 4, Audit("overdue", st.due_at, SYSTEM, st.id)))
            roles = (st.role, *(e.to for e in (spec.escalate[:1] if spec else ())))
            fired.append(
                (
                    st.due_at,
                    5,
                    Notify("overdue", st.id, roles, st.escalation_level, st.due_at, True),
                )
            )
    run.clock = now
    fired.sort(key=lambda x: (x[0], x[1]))
    return run, [e for _at, _order, e in fired]


def act(
    run: RunState,
    playbook: Playbook,
    calendar: WorkCalendar,
    step_id: str,
    action: str,
    *,
    actor: str,
    at: datetime,
    note: str | None = None,
) -> tuple[RunState, list[Effect]]:
    """A person acknowledges, completes, skips or escalates a step."""
    if action not in ACTIONS:
        raise TransitionError.t("playbook.bad_action", action=action, actions=", ".join(ACTIONS))
    if run.status != ACTIVE:
        raise TransitionError.t("playbook.run_closed", run=run.id, status=_status(run.status))
    run = copy.deepcopy(run)
    st = run.step(step_id)
    if st.terminal:
        raise TransitionError.t(
            "playbook.step_closed", step=step_id, run=run.id, status=_status(st.status)
        )
    effects: list[Effect] = []
    detail: dict[str, Any] = {"note": note} if note else {}
    if action == "ack":
        if st.status == ACKNOWLEDGED:
            raise TransitionError.t(
                "playbook.step_acknowledged", step=step_id, by=st.acknowledged_by
            )
        st.status, st.acknowledged_at, st.acknowledged_by = ACKNOWLEDGED, at, actor
        effects.append(Audit("acknowledged", at, actor, step_id, detail))
    elif action == "done":
        if st.acknowledged_at is None:
            st.acknowledged_at, st.acknowledged_by = at, actor
        st.status, st.done_at, st.done_by = DONE, at, actor
        st.note = note or st.note
        late = at > st.due_at
        effects.append(Audit("done", at, actor, step_id, {**detail, "late": late}))
    elif action == "skip":
        st.status, st.done_at, st.done_by, st.note = SKIPPED, at, actor, note
        effects.append(Audit("skipped", at, actor, step_id, detail))
    else:
        spec = _spec(playbook, step_id)
        chain = [e.to for e in spec.escalate] if spec else []
        level = st.escalation_level + 1
        to = chain[min(level, len(chain)) - 1] if chain else "head_of_press"
        st.escalation_level = level
        if st.status in (PENDING, OPEN):
            st.status = ESCALATED
        effects.append(Audit("escalated", at, actor, step_id, {**detail, "to": to, "level": level}))
        effects.append(Notify("escalation", step_id, (to, st.role), level, at, True))
    if all(s.terminal for s in run.steps):
        run.status, run.closed_at = COMPLETED, at
        effects.append(Audit("completed", at, SYSTEM))
    return run, effects


def observe(
    run: RunState, playbook: Playbook, calendar: WorkCalendar, alert: AlertFacts
) -> tuple[RunState, list[Effect]]:
    """A later state of the run's alert, or another alert of its incident."""
    run = copy.deepcopy(run)
    effects: list[Effect] = []
    new_alert = alert.alert_id not in run.alerts
    if new_alert:
        run.alerts.append(alert.alert_id)
    run.summary = alert.summary or run.summary
    run.topic = run.topic or (alert.topics[0] if alert.topics else None)
    if new_alert or alert.change != "updated" or alert.severity > run.severity:
        effects.append(
            Audit(
                "alert",
                alert.at,
                SYSTEM,
                detail={
                    "alert_id": alert.alert_id,
                    "change": alert.change,
                    "kind": alert.kind,
                    "severity": alert.severity,
                    "summary": alert.summary,
                },
            )
        )
    if run.status != ACTIVE:
        return run, effects
    if alert.severity > run.severity:
        run.severity = alert.severity
        first = playbook.steps[0]
        roles = (first.escalate[0].to, first.role) if first.escalate else (first.role,)
        effects.append(Notify("severity_raised", None, roles, 0, alert.at, True))
    facts = alert.facts()
    for st in run.steps:
        spec = _spec(playbook, st.id)
        if st.status == NOT_APPLICABLE and spec is not None and spec.applies(facts):
            st.status = PENDING
            st.opens_at = max(calendar.add(run.started_at, spec.opens), alert.at)
            st.due_at = calendar.add(alert.at, spec.due_for(run.triage))
            st.note = None
            effects.append(
                Audit("applicable", alert.at, SYSTEM, st.id, {"alert_id": alert.alert_id})
            )
    return run, effects


def replan(
    run: RunState,
    current: Playbook,
    better: Playbook,
    calendar: WorkCalendar,
    alert: AlertFacts,
) -> tuple[RunState, list[Effect]]:
    """Move a run to a more specific playbook that a later alert of its
    incident matches (a spike first raised as mild, then escalated). The
    start stays, so the golden hour counts from the first detection; steps
    of the same name keep what people already did."""
    run = copy.deepcopy(run)
    old = {s.id: s for s in run.steps}
    facts = alert.facts()
    steps = []
    for i, spec in enumerate(better.steps):
        kept = old.get(spec.id)
        if kept is not None and (kept.acknowledged_at or kept.terminal):
            kept.position, kept.role = i, spec.role
            steps.append(kept)
            continue
        applies = spec.applies(facts)
        steps.append(
            StepState(
                id=spec.id,
                role=spec.role,
                status=PENDING if applies else NOT_APPLICABLE,
                opens_at=calendar.add(run.started_at, spec.opens),
                due_at=calendar.add(run.started_at, spec.due_for(run.triage)),
                position=i,
                note=None if applies else _unmet(spec),
            )
        )
    kept_ids = {x.id for x in steps}
    dropped = [s.id for s in run.steps if s.id not in kept_ids and not s.terminal]
    run.playbook, run.playbook_version, run.steps = better.id, better.digest, steps
    run.clock = run.started_at
    detail = {
        "from": current.id,
        "to": better.id,
        "alert_id": alert.alert_id,
        "severity": alert.severity,
        "dropped": dropped,
    }
    return run, [Audit("replanned", alert.at, SYSTEM, detail=detail)]


def cancel(
    run: RunState, *, actor: str, at: datetime, note: str | None
) -> tuple[RunState, list[Effect]]:
    if run.status != ACTIVE:
        raise TransitionError.t("playbook.run_already", run=run.id, status=_status(run.status))
    run = copy.deepcopy(run)
    run.status, run.closed_at = CANCELLED, at
    return run, [Audit("cancelled", at, actor, None, {"note": note} if note else {})]


def _spec(playbook: Playbook, step_id: str) -> Step | None:
    try:
        return playbook.step(step_id)
    except KeyError:
        return None


def _unmet(step: Step) -> str:
    return CONDITION_NOT_MET + " and ".join(str(c) for c in step.when)


def _urgent(run: RunState) -> bool:
    return run.severity >= 3
