"""People's actions on runs (from the command line or Telegram) and runs
started by hand (a complaint taken up, a drill), each in one transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from playbooks import engine, store
from playbooks.engine import AlertFacts, RunState
from playbooks.stage import PlaybookStage, run_id_for
from qulaq.config import Settings
from qulaq.errors import UserError
from qulaq.registry import UNKNOWN_TYPE, Agency, Registry
from qulaq.storage.database import Database
from qulaq.timefmt import iso
from stream.pipeline import load_registry, with_retries

# how far ahead of this machine's clock a time given for an action may be: the
# clock of the phone or laptop it was read from may run a little fast
CLOCK_TOLERANCE = timedelta(minutes=5)


def require_agency(registry: Registry, agency: str) -> Agency | None:
    """The registered agency `agency`, or None for an account no agency claims
    (`platform:account`, under which such an account's comments are stored). Any
    other id is refused: a misspelt one would start a run no on-call role hears of,
    or print an empty plan, digest or report that looks like a quiet day."""
    known = registry.get(agency)
    if known is None and ":" not in agency:
        raise UserError.t("agency.unknown", agency=agency)
    return known


def require_agency_or_stored(conn: Any, registry: Registry, agency: str, column: Any) -> None:
    """As `require_agency`, but an agency with rows stored under `column` (a table's
    agency column) is always accepted, even if the registry no longer lists it: a
    filter by a misspelt id is refused, listing what an agency once had is not."""
    from sqlalchemy import select

    if conn.execute(select(column).where(column == agency).limit(1)).first() is None:
        require_agency(registry, agency)


def check_action_time(run: RunState, step: str, action: str, at: datetime, now: datetime) -> None:
    """Refuse a time given for an action (`--at`) that cannot be true: later than now
    (beyond a small clock tolerance), before the run started, or, for completing or
    skipping a step, before the step was acknowledged."""
    if at > now + CLOCK_TOLERANCE:
        raise UserError.t(
            "time.in_future", flag="--at", value=iso(at), now=iso(now.replace(microsecond=0))
        )
    if at < run.started_at:
        raise UserError.t(
            "playbook.at_before_start", at=iso(at), run=run.id, started=iso(run.started_at)
        )
    acknowledged = run.step(step).acknowledged_at
    if action in ("done", "skip") and acknowledged is not None and at < acknowledged:
        raise UserError.t(
            "playbook.at_before_ack", at=iso(at), step=step, acknowledged=iso(acknowledged)
        )


class PlaybookService:
    def __init__(
        self, settings: Settings, db: Database | None = None, stage: PlaybookStage | None = None
    ) -> None:
        self.settings = settings
        self.db = db or Database.open(settings)
        self.stage = stage or PlaybookStage(settings, load_registry(settings), db=self.db)

    def act(
        self,
        run_id: str,
        step: str,
        action: str,
        *,
        actor: str,
        note: str | None = None,
        at: datetime | None = None,
        channel: str = "cli",
    ) -> RunState:
        """A person's action on a step; `at` (when it happened, if not now) may be
        neither later than now nor before the run started (see `check_action_time`)."""
        when = at or datetime.now(UTC)
        result: list[RunState] = []

        def transaction() -> None:
            result.clear()
            with self.db.write() as conn:
                run = store.load_run(conn, run_id)
                if run is None:
                    raise UserError.t("playbook_run.unknown_see", id=run_id)
                playbook = self.stage.library.get(run.playbook)
                # a TransitionError is a UserError: the step's state refuses the action
                state, effects = engine.act(
                    run,
                    playbook,
                    self.stage.calendar,
                    step,
                    action,
                    actor=actor,
                    at=when,
                    note=note,
                )
                if at is not None:  # after the step's state has allowed the action
                    check_action_time(run, step, action, at, datetime.now(UTC))
                effects = [
                    engine.Audit(e.action, e.at, e.actor, e.step, {**e.detail, "via": channel})
                    if isinstance(e, engine.Audit)
                    else e
                    for e in effects
                ]
                self.stage.apply(conn, run, state, effects)
                result.append(state)

        with_retries(transaction, what="recording a playbook action")
        return result[0]

    def cancel(self, run_id: str, *, actor: str, note: str | None) -> RunState:
        result: list[RunState] = []

        def transaction() -> None:
            result.clear()
            with self.db.write() as conn:
                run = store.load_run(conn, run_id)
                if run is None:
                    raise UserError.t("playbook_run.unknown", id=run_id)
                state, effects = engine.cancel(run, actor=actor, at=datetime.now(UTC), note=note)
                self.stage.apply(conn, run, state, effects)
                result.append(state)

        with_retries(transaction, what="cancelling a playbook run")
        return result[0]

    def start(
        self,
        playbook_id: str,
        agency: str,
        *,
        actor: str,
        severity: int = 3,
        triage: str = "medium",
        summary: str = "",
        drill: bool = False,
        at: datetime | None = None,
        reference: str | None = None,
    ) -> RunState:
        """A run started by hand: a complaint taken up, or a drill. The agency must be
        in the registry (or be an account no agency claims, `platform:account`): a
        misspelt id would start a run that no on-call role of the agency hears of."""
        playbook = self.stage.library.get(playbook_id)
        when = at or datetime.now(UTC)
        known = require_agency(self.stage.registry, agency)
        incident = f"{'drill' if drill else 'manual'}:{reference or uuid.uuid4().hex[:12]}"
        facts = AlertFacts(
            alert_id=incident,
            incident_id=incident,
            agency=agency,
            agency_type=known.type if known else UNKNOWN_TYPE,
            kind="manual",
            severity=severity,
            change="raised",
            raised_at=when,
            at=when,
            summary=summary,
            drill=drill,
        )
        result: list[RunState] = []

        def transaction() -> None:
            result.clear()
            with self.db.write() as conn:
                if store.run_for_incident(conn, incident) is not None:
                    raise UserError.t("playbook_run.exists", reference=reference)
                state, effects = engine.start(
                    playbook,
                    facts,
                    self.stage.calendar,
                    run_id_for(incident),
                    now=max(when, datetime.now(UTC)),
                    clock_mode="wall",
                    triage=triage,
                    drill=drill,
                )
                effects.insert(
                    0, engine.Audit("started_by_hand", when, actor, None, {"reference": reference})
                )
                self.stage.apply(conn, None, state, effects)
                result.append(state)

        with_retries(transaction, what="starting a playbook run")
        return result[0]
