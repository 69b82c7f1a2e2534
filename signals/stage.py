"""The signals stage: scored comments in, alert changes out (on the alerts topic).

For each batch, inside the runtime's transaction: count each comment once
(`signal_comments`), add it to the 15-minute figures that risk is computed
from, feed it to its agency's monitor (checkpointed in `signal_state`), and
turn the monitors' alert changes into stored alerts grouped into incidents.
Every change is published on ALERTS keyed by agency. Decisions depend only
on each agency's own stream in event time, so the embedded runtime and Kafka
raise the same alerts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from qulaq.alerts import Alert
from qulaq.config import Settings
from qulaq.i18n import current_lang, t
from qulaq.models import Scored
from qulaq.registry import Registry
from qulaq.storage.database import Database
from signals import store
from signals.features import observe_all
from signals.messages import alert_summary
from signals.monitor import AgencyMonitor, AlertChange
from stream.bus import ALERTS, SCORED
from stream.pipeline import Output, StageSpec

# live mode: a silent agency's buckets are judged this long after wall-clock time,
# and only while its newest comment is recent (a replay of old data never ticks)
LIVE_DELAY = timedelta(minutes=15)
LIVE_HORIZON = timedelta(days=1)


class SignalsStage:
    name = "signals"
    inputs: tuple[str, ...] = (SCORED,)

    def __init__(self, registry: Registry, lang: str | None = None) -> None:
        self.registry = registry
        self.lang = lang or current_lang()
        # incidents read in the current transaction (kept current by our own writes)
        self._incidents: dict[str, dict[str, Any]] = {}

    def process(self, conn: Connection, topic: str, items: list[Any]) -> list[Output]:
        if topic != SCORED:
            return []
        self._incidents = {}
        obs = [o for o in observe_all(it for it in items if isinstance(it, Scored)) if o]
        if not obs:
            return []
        fresh = store.claim(conn, obs)
        if not fresh:
            return []
        store.mark_answers(conn, fresh)
        store.add_figures(conn, fresh)
        monitors = store.load_monitors(conn, (o.agency for o in fresh))
        outputs: list[Output] = []
        for o in fresh:
            m = monitors[o.agency]
            for change in m.observe(o):
                outputs.append(self._apply(conn, m, change))
        for m in monitors.values():
            outputs.extend(self._daily(conn, m))
        store.save_monitors(conn, monitors.values())
        store.auto_resolve(conn, {a: m.wm for a, m in monitors.items()}, store.QUIET_RESOLVE)
        return outputs

    def tick(self, conn: Connection, now: datetime) -> list[Output]:
        """Live mode: judge the buckets of agencies that have gone quiet, and resolve their
        incidents once quiet for a day by the wall clock."""
        self._incidents = {}
        clock = now - LIVE_DELAY
        outputs: list[Output] = []
        agencies = store.live_agencies(conn, clock, LIVE_HORIZON)
        if agencies:
            monitors = store.load_monitors(conn, agencies)
            for m in monitors.values():
                for change in m.advance(clock.timestamp()):
                    outputs.append(self._apply(conn, m, change))
                outputs.extend(self._daily(conn, m))
            store.save_monitors(conn, monitors.values())
        store.auto_resolve_live(
            conn, clock, LIVE_HORIZON + store.QUIET_RESOLVE, store.QUIET_RESOLVE
        )
        return outputs

    # -- alerts into incidents ---------------------------------------------------------

    def _daily(self, conn: Connection, m: AgencyMonitor) -> list[Output]:
        out: list[Output] = []
        days, m.pending_days = m.pending_days, []
        for boundary in days:
            at = datetime.fromtimestamp(boundary, UTC)
            f = store.daily_figures(conn, m.agency, at)
            store.save_daily(conn, m.agency, at, f)
            for change in m.daily(boundary, f.overdue_30d, f.newly_overdue, f.urgent_unanswered):
                out.append(self._apply(conn, m, change))
        return out

    def _apply(self, conn: Connection, m: AgencyMonitor, change: AlertChange) -> Output:
        alert = change.alert
        alert.change = change.change
        name = self.registry.agency(alert.agency).name(self.lang)
        alert.summary = alert_summary(alert, name, self.lang)
        inc = self._incident(conn, m, change)
        if inc is not None:
            alert.incident_id = inc["id"]
            if change.change != "closed" and inc["status"] != "open":
                alert.status = "acknowledged"
            kinds = store.incident_kinds(inc)
            if alert.kind not in kinds:
                kinds.append(alert.kind)
            summary = t(
                "signals.incident",
                self.lang,
                agency=name,
                count=inc["alert_count"] + (change.change == "raised"),
                kinds=", ".join(kinds),
                severity=max(inc["severity"], alert.severity),
            )
            store.touch_incident(conn, inc, alert, change.change, summary)
        body = alert.to_json()
        store.save_alert(conn, alert, body)
        return (ALERTS, alert.agency.encode("utf-8"), body)

    def _incident(
        self, conn: Connection, m: AgencyMonitor, change: AlertChange
    ) -> dict[str, Any] | None:
        """The incident an alert belongs to: for a new alert, its agency's open incident
        of the same family if one saw an alert recently, else a new one."""
        alert = change.alert
        if change.change != "raised":
            incident = alert.incident_id or store.incident_of_alert(conn, alert.id)
            if not incident:
                return None
            cached = self._incidents.get(incident)
            if cached is None:
                cached = store.get_incident(conn, incident)
                if cached is not None:
                    self._incidents[incident] = cached
            return cached
        family = store.family_of(alert.kind)
        inc = store.open_incident(conn, alert.agency, family, alert.raised_at)
        if inc is None:
            inc = store.create_incident(
                conn, agency=alert.agency, family=family, alert=alert, routed_to=self._routed(alert)
            )
        book = m.alerts.get(alert.kind)
        if book is not None and book["id"] == alert.id:
            book["incident"] = inc["id"]
        self._incidents[inc["id"]] = inc
        return inc

    def _routed(self, alert: Alert) -> str:
        day = alert.raised_at.date()
        return self.registry.resolve(alert.agency, day)[0]


def _load(settings: Settings, db: Database, registry: Registry) -> SignalsStage:
    lang = settings.option("language", None)
    return SignalsStage(registry, lang if isinstance(lang, str) else None)


STAGE = StageSpec(name="signals", inputs=(SCORED,), load=_load)
