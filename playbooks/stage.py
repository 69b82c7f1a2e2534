"""The playbooks stage: alerts in, playbook runs, audit entries and queued
notifications out, in the transaction the runtime hands over.

One run per incident: the first alert of an incident that a playbook's
trigger matches starts the run; later alerts of the incident update it.
Timers follow one of two clocks, chosen when the run starts: a run whose
alert is recent (within `playbooks.live_window_hours`, default 6) follows
the wall clock (`tick`, every few seconds while idle); a run from a replay
follows the stream's event time, advanced by every alert that arrives.

Notifications are never sent here: they are written to the outbox in the
same transaction and delivered after commit (`playbooks.delivery`), so a
crash or a retried batch neither loses nor repeats one. Runs replayed from
the past record their notifications as suppressed unless they are drills or
`playbooks.notify_replays` is true: a replay of last January pages no one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection

from playbooks import engine, store
from playbooks.calendar import WorkCalendar
from playbooks.engine import AlertFacts, Audit, Effect, Notify, RunState
from playbooks.messages import compose
from playbooks.model import Library, Playbook
from playbooks.names import REPLAY_REASON
from playbooks.oncall import Roster
from qulaq.alerts import Alert
from qulaq.config import Settings
from qulaq.registry import UNKNOWN_TYPE, Registry
from qulaq.storage.database import Database
from stream.bus import ALERTS, PLAYBOOK_EVENTS
from stream.pipeline import Output, StageSpec

log = logging.getLogger(__name__)

STREAM_CLOCK = "stream_clock"


def load_library(settings: Settings) -> Library:
    extra = settings.option("playbooks.dirs", [])
    if isinstance(extra, str):
        extra = [extra]
    base = settings.config_file.parent if settings.config_file else settings.home
    return Library.load([Path(p) if Path(p).is_absolute() else base / p for p in extra])


def load_calendar(settings: Settings) -> WorkCalendar:
    path = settings.option("playbooks.calendar")
    if not path:
        return WorkCalendar.load()
    base = settings.config_file.parent if settings.config_file else settings.home
    p = Path(path)
    return WorkCalendar.load(p if p.is_absolute() else base / p)


def run_id_for(incident_id: str) -> str:
    return "run-" + hashlib.sha256(incident_id.encode()).hexdigest()[:10]


def alert_facts(alert: Alert, registry: Registry) -> AlertFacts:
    known = registry.get(alert.agency)
    words = [alert.summary, *alert.terms, *(alert.topics or []), alert.topic or ""]
    words += [str(c.get("text", "")) for c in alert.top_comments if isinstance(c, dict)]
    topics = tuple(dict.fromkeys([*(t for t in [alert.topic] if t), *alert.topics]))
    return AlertFacts(
        alert_id=alert.id,
        incident_id=alert.incident_id or alert.id,
        agency=alert.agency,
        agency_type=known.type if known else UNKNOWN_TYPE,
        kind=alert.kind,
        severity=alert.severity,
        change=alert.change,
        raised_at=alert.raised_at,
        at=alert.updated_at,
        topics=topics,
        text=" ".join(words).lower(),
        summary=alert.summary,
        observed=alert.observed,
        expected=alert.expected,
        negative_share=alert.negative_share,
        persistence=alert.persistence,
        drill=alert.drill,
    )


class PlaybookStage:
    name: str = "playbooks"
    inputs: tuple[str, ...] = (ALERTS,)

    def __init__(
        self,
        settings: Settings,
        registry: Registry,
        *,
        db: Database | None = None,
        library: Library | None = None,
        calendar: WorkCalendar | None = None,
        roster: Roster | None = None,
        wall: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.db = db
        self.library = library or load_library(settings)
        self.calendar = calendar or load_calendar(settings)
        self.roster = roster or Roster.from_options(settings.option("oncall"))
        self.live_window = timedelta(hours=float(settings.option("playbooks.live_window_hours", 6)))
        self.notify_replays = bool(settings.option("playbooks.notify_replays", False))
        # a training deployment: every run is a drill (a scenario replayed for practice)
        self.drill_mode = bool(settings.option("playbooks.drill_mode", False))
        self.wall = wall or (lambda: datetime.now(UTC))
        self._background: threading.Thread | None = None
        self._stop = threading.Event()

    # -- the stage protocol ---------------------------------------------------

    def process(self, conn: Connection, topic: str, items: list[Any]) -> list[Output]:
        if topic != ALERTS:
            return []
        alerts = sorted((Alert.from_dict(d) for d in items), key=lambda a: a.updated_at)
        outputs: list[Output] = []
        for alert in alerts:
            outputs += self.handle_alert(conn, alert)
        return outputs

    def tick(self, conn: Connection, now: datetime) -> list[Output]:
        """Wall-clock timers of live runs; starts delivery in the background."""
        self._start_background()
        if self.settings.option("playbooks.scheduled", True):
            self.scheduled(conn, now)
        return self.tick_timers(conn, now)

    def tick_timers(self, conn: Connection, now: datetime) -> list[Output]:
        outputs: list[Output] = []
        for run in store.active_runs(conn, "wall"):
            playbook = self._playbook(run)
            if playbook is None:
                continue
            state, effects = engine.advance(run, playbook, self.calendar, now)
            if effects or state.clock != run.clock:
                outputs += self._commit(conn, state, playbook, effects)
        return outputs

    # -- alerts ---------------------------------------------------------------

    def handle_alert(self, conn: Connection, alert: Alert) -> list[Output]:
        facts = alert_facts(alert, self.registry)
        wall = self.wall()
        outputs = self._advance_stream(conn, alert.updated_at)
        run = store.run_for_incident(conn, facts.incident_id)
        if run is None:
            playbook = engine.match(self.library.playbooks.values(), facts)
            if playbook is None:
                return outputs
            live = abs(wall - alert.updated_at) <= self.live_window
            state, effects = engine.start(
                playbook,
                facts,
                self.calendar,
                run_id_for(facts.incident_id),
                now=wall if live else alert.updated_at,
                clock_mode="wall" if live else "event",
                drill=alert.drill or self.drill_mode,
            )
            return outputs + self._commit(conn, state, playbook, effects, new=True)
        playbook = self._playbook(run)
        if playbook is None:
            return outputs
        state, effects = engine.observe(run, playbook, self.calendar, facts)
        better = engine.match(self.library.playbooks.values(), facts)
        if (
            state.status == engine.ACTIVE
            and better is not None
            and better.id != playbook.id
            and better.trigger.priority > playbook.trigger.priority
        ):
            state, moved = engine.replan(state, playbook, better, self.calendar, facts)
            effects += moved
            playbook = better
        until = wall if run.clock_mode == "wall" else max(run.clock, alert.updated_at)
        state, more = engine.advance(state, playbook, self.calendar, until)
        return outputs + self._commit(conn, state, playbook, effects + more)

    def _advance_stream(self, conn: Connection, at: datetime) -> list[Output]:
        """Event-time runs follow the newest alert time seen on the stream."""
        stored = store.get_state(conn, STREAM_CLOCK)
        clock = datetime.fromisoformat(stored) if stored else None
        if clock is not None and at <= clock:
            return []
        store.set_state(conn, STREAM_CLOCK, at.isoformat())
        outputs: list[Output] = []
        for run in store.active_runs(conn, "event"):
            playbook = self._playbook(run)
            if playbook is None or run.clock >= at:
                continue
            state, effects = engine.advance(run, playbook, self.calendar, at)
            outputs += self._commit(conn, state, playbook, effects)
        return outputs

    def _playbook(self, run: RunState) -> Playbook | None:
        found = self.library.playbooks.get(run.playbook)
        if found is None:
            log.warning(
                "run %s follows playbook %s, which is no longer loaded", run.id, run.playbook
            )
        return found

    # -- effects --------------------------------------------------------------

    def apply(
        self,
        conn: Connection,
        before: RunState | None,
        state: RunState,
        effects: list[Effect],
    ) -> list[Output]:
        """Write a transition made outside the stage (the CLI, Telegram)."""
        playbook = self.library.get(state.playbook)
        return self._commit(conn, state, playbook, effects, new=before is None)

    def _commit(
        self,
        conn: Connection,
        state: RunState,
        playbook: Playbook,
        effects: list[Effect],
        *,
        new: bool = False,
    ) -> list[Output]:
        wall = self.wall()
        store.save_run(conn, state, now=wall, new=new)
        audits: list[dict[str, Any]] = [
            {
                "action": e.action,
                "at": e.at,
                "actor": e.actor,
                "step": e.step,
                "detail": dict(e.detail),
            }
            for e in effects
            if isinstance(e, Audit)
        ]
        rows: list[dict[str, Any]] = []
        for e in effects:
            if isinstance(e, Notify):
                rows += self.outbox_rows(state, playbook, e, wall)
        suppressed = [r for r in rows if r["status"] == "suppressed"]
        audits += [
            {
                "action": "suppressed",
                "at": r["event_at"],
                "actor": "system",
                "step": r["step"],
                "channel": r["channel"],
                "recipient": r["person"],
                "detail": {"kind": r["kind"], "reason": REPLAY_REASON},
            }
            for r in suppressed
        ]
        store.append_audit(conn, state.id, audits, now=wall)
        store.enqueue(conn, rows)
        key = state.agency.encode()
        return [
            (
                PLAYBOOK_EVENTS,
                key,
                orjson.dumps(
                    {
                        "run": state.id,
                        "playbook": state.playbook,
                        "agency": state.agency,
                        "incident_id": state.incident_id,
                        "drill": state.drill,
                        "action": a["action"],
                        "step": a["step"],
                        "actor": a["actor"],
                        "at": a["at"].isoformat(),
                        "detail": a.get("detail") or {},
                    }
                ),
            )
            for a in audits
        ]

    def outbox_rows(
        self, run: RunState, playbook: Playbook, effect: Notify, wall: datetime
    ) -> list[dict[str, Any]]:
        """One row per person holding the effect's roles and per channel they use."""
        agency = self.registry.get(run.agency)
        replay = run.clock_mode == "event" and not run.drill and not self.notify_replays
        urgent = effect.urgent or run.severity >= 3
        not_before = wall if urgent else self.calendar.next_working_time(wall)
        seen: set[str] = set()
        rows = []
        for role in effect.roles:
            for person in self.roster.holders(role, run.agency, effect.at):
                if person.id in seen:
                    continue
                seen.add(person.id)
                name = agency.name(person.lang) if agency else run.agency
                text = compose(
                    effect,
                    run,
                    playbook,
                    lang=person.lang,
                    agency_name=name,
                    summary=run.summary,
                    topic=run.topic,
                )
                for channel, address in person.contacts():
                    key = "|".join(
                        [
                            run.id,
                            effect.kind,
                            effect.step or "-",
                            str(effect.level if effect.kind != "severity_raised" else run.severity),
                            person.id,
                            channel,
                        ]
                    )
                    rows.append(
                        {
                            "key": key,
                            "run_id": run.id,
                            "step": effect.step,
                            "kind": effect.kind,
                            "person": person.id,
                            "channel": channel,
                            "address": address,
                            "lang": person.lang,
                            "subject": text.subject,
                            "body": text.body,
                            "payload": orjson.dumps({**text.payload, "role": role}).decode(),
                            "severity": run.severity,
                            "urgent": urgent,
                            "drill": run.drill,
                            "event_at": effect.at,
                            "created_at": wall,
                            "not_before": not_before,
                            "next_attempt_at": not_before,
                            "status": "suppressed" if replay else "pending",
                            "attempts": 0,
                        }
                    )
        return rows

    # -- digests and health, through the same outbox ----------------------------

    def message_rows(
        self,
        *,
        role: str,
        agency: str,
        kind: str,
        key: str,
        compose_for: Callable[[str], tuple[str, str]],
        urgent: bool,
        wall: datetime,
    ) -> list[dict[str, Any]]:
        """Outbox rows of a message that belongs to no run (digest, health)."""
        not_before = wall if urgent else self.calendar.next_working_time(wall)
        rows = []
        for person in self.roster.holders(role, agency, wall):
            subject, body = compose_for(person.lang)
            for channel, address in person.contacts():
                rows.append(
                    {
                        "key": f"{key}|{person.id}|{channel}",
                        "run_id": None,
                        "step": None,
                        "kind": kind,
                        "person": person.id,
                        "channel": channel,
                        "address": address,
                        "lang": person.lang,
                        "subject": subject,
                        "body": body,
                        "payload": orjson.dumps({"kind": kind, "agency": agency}).decode(),
                        "severity": 0,
                        "urgent": urgent,
                        "drill": False,
                        "event_at": wall,
                        "created_at": wall,
                        "not_before": not_before,
                        "next_attempt_at": not_before,
                        "status": "pending",
                        "attempts": 0,
                    }
                )
        return rows

    def send_digest(self, conn: Connection, agency: str, day_start: datetime, now: datetime) -> int:
        from playbooks.digest import daily_digest

        def compose_for(lang: str) -> tuple[str, str]:
            return daily_digest(
                conn,
                agency,
                day_start,
                calendar=self.calendar,
                library=self.library,
                registry=self.registry,
                lang=lang,
                now=now,
            )

        rows = self.message_rows(
            role=str(self.settings.option("playbooks.digest_role", "press_secretary")),
            agency=agency,
            kind="digest",
            key=f"digest|{agency}|{day_start.date().isoformat()}",
            compose_for=compose_for,
            urgent=False,
            wall=now,
        )
        store.enqueue(conn, rows)
        return len(rows)

    def send_health(self, conn: Connection, findings: list[Any], now: datetime) -> int:
        from qulaq.i18n import t

        if not findings:
            return 0
        day = now.astimezone(self.calendar.tz).date().isoformat()

        def compose_for(lang: str) -> tuple[str, str]:
            subject = t("hl.subject", lang, n=len(findings))
            return subject, "\n".join(f"- {f.text(lang)}" for f in findings)

        rows = self.message_rows(
            role="sysadmin",
            agency="*",
            kind="health",
            key=f"health|{day}|{'+'.join(sorted(f.key for f in findings))}",
            compose_for=compose_for,
            urgent=any(f.urgent for f in findings),
            wall=now,
        )
        store.enqueue(conn, rows)
        return len(rows)

    def scheduled(self, conn: Connection, now: datetime) -> None:
        """Daily digests after `playbooks.digest_at` (local, default 09:00) and
        health checks every `health.every_minutes` (default 10)."""
        from playbooks import health
        from playbooks.digest import responsiveness

        local = now.astimezone(self.calendar.tz)
        digest_at = str(self.settings.option("playbooks.digest_at", "09:00"))
        today = local.date().isoformat()
        if local.strftime("%H:%M") >= digest_at and store.get_state(conn, "digest_day") != today:
            store.set_state(conn, "digest_day", today)
            start = datetime.combine(local.date(), datetime.min.time(), self.calendar.tz)
            day_start = (start - timedelta(days=1)).astimezone(UTC)
            agencies = responsiveness(
                conn, self.calendar, day_start, start.astimezone(UTC), now=now
            )
            for agency in sorted(agencies):
                self.send_digest(conn, agency, day_start, now)
        every = timedelta(minutes=float(self.settings.option("health.every_minutes", 10)))
        last = store.get_state(conn, "health_checked_at")
        if last is None or now - datetime.fromisoformat(last) >= every:
            store.set_state(conn, "health_checked_at", now.isoformat())
            self.send_health(conn, health.check(self.settings, conn, now), now)

    # -- delivery in the background of a live `qulaq run` ----------------------

    def _start_background(self) -> None:
        if self.db is None or not self.settings.option("playbooks.deliver_in_run", True):
            return
        if self._background is not None and self._background.is_alive():
            return
        from playbooks.delivery import DeliveryLoop

        loop = DeliveryLoop(self.settings, self.db, self)
        self._background = threading.Thread(
            target=loop.run, args=(self._stop,), name="qulaq-playbook-delivery", daemon=True
        )
        self._background.start()

    def stop(self) -> None:
        """Stop background delivery (the end of a run); the next tick starts it again."""
        self._stop.set()
        if self._background is not None:
            self._background.join(10)
        self._background = None
        self._stop = threading.Event()


def _load(settings: Settings, db: Database, registry: Registry) -> PlaybookStage:
    return PlaybookStage(settings, registry, db=db)


STAGE = StageSpec(name="playbooks", inputs=(ALERTS,), load=_load)
