"""People's actions on runs (from the command line or Telegram) and runs
started by hand (a complaint taken up, a drill), each in one transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from playbooks import engine, store
from playbooks.engine import AlertFacts, RunState
from playbooks.stage import PlaybookStage, run_id_for
from qulaq.config import Settings
from qulaq.errors import UserError
from qulaq.registry import UNKNOWN_TYPE
from qulaq.storage.database import Database
from stream.pipeline import load_registry, with_retries


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
        known = self.stage.registry.get(agency)
        if known is None and ":" not in agency:
            raise UserError.t("agency.unknown", agency=agency)
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
