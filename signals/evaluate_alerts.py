"""How the streaming alerts do on labelled multi-agency streams (part of `make eval-signals`).

Two sources of labelled streams:

* `signals.scenarios`: synthetic streams of analysed comments (several agencies
  of different sizes, ordinary life with reactions to posts, and labelled
  crises, tone shifts, positive bursts and spam waves);
* the bundled demo stream (`qulaq.demo`), analysed by the real sentiment model,
  with its heating crisis and Nauryz burst.

Measured: for each kind of event, how often it is found and how soon (onset
latency to the first alert, and to the first alert of severity 3 or more);
whether a positive burst is ever taken for a crisis; and false alerts per
agency-day outside any event, after the first day (the warm-up).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from qulaq.alerts import Alert
from qulaq.models import Scored
from signals.features import Observation
from signals.monitor import CRISIS_KINDS, AgencyMonitor
from signals.scenarios import Event, stream

WARM_UP = timedelta(days=1)
CRISIS_ALERTS = set(CRISIS_KINDS) - {"coordinated"}


def replay(observations: Iterable[Observation]) -> list[Alert]:
    """Every alert the monitors raise over a stream, in its final state."""
    monitors: dict[str, AgencyMonitor] = {}
    final: dict[str, Alert] = {}
    for o in observations:
        m = monitors.get(o.agency)
        if m is None:
            m = monitors[o.agency] = AgencyMonitor(o.agency)
        for change in m.observe(o):
            final[change.alert.id] = change.alert
        m.pending_days.clear()  # the daily figures need the database; not measured here
    return sorted(final.values(), key=lambda a: (a.raised_at, a.agency, a.kind))


@dataclass
class Outcome:
    events: int = 0
    found: int = 0
    found_severe: int = 0
    latency: list[float] = field(default_factory=list)  # minutes to the first alert
    latency_severe: list[float] = field(default_factory=list)  # to the first of severity >= 3
    negative_share: list[float] = field(default_factory=list)  # of that severe alert
    misread: int = 0  # positive bursts with a crisis alert


@dataclass
class FalseAlerts:
    agency_days: float = 0.0
    any: int = 0
    severe: int = 0  # severity >= 3
    calm_agency_max_severe: int = 0  # the most severe alerts any calm agency got


def judge(
    alerts: list[Alert],
    events: list[Event],
    agencies: Iterable[str],
    start: datetime,
    end: datetime,
    outcomes: dict[str, Outcome],
    false: FalseAlerts,
) -> None:
    """Score one stream's alerts against its labelled events."""
    by_agency: dict[str, list[Alert]] = defaultdict(list)
    for a in alerts:
        by_agency[a.agency].append(a)
    for ev in events:
        o = outcomes.setdefault(ev.kind, Outcome())
        o.events += 1
        during = [a for a in by_agency[ev.agency] if ev.onset <= a.raised_at <= ev.end]
        if ev.kind == "positive_burst":
            hits = [a for a in during if a.kind == "positive_burst"]
            o.misread += any(a.kind in CRISIS_ALERTS and a.severity >= 2 for a in during)
        elif ev.kind == "spam":
            hits = [a for a in during if a.kind == "coordinated"]
        else:
            hits = [a for a in during if a.kind in CRISIS_ALERTS]
        if hits:
            o.found += 1
            o.latency.append((min(a.raised_at for a in hits) - ev.onset).total_seconds() / 60)
        severe = [a for a in hits if a.severity >= 3]
        if severe:
            first = min(severe, key=lambda a: a.raised_at)
            o.found_severe += 1
            o.latency_severe.append((first.raised_at - ev.onset).total_seconds() / 60)
            o.negative_share.append(first.negative_share or 0.0)
    scored_from = start + WARM_UP
    windows: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for ev in events:
        windows[ev.agency].append((ev.onset - timedelta(minutes=30), ev.end + timedelta(hours=3)))
    busy = {ev.agency for ev in events}
    for agency in agencies:
        false.agency_days += (end - scored_from).total_seconds() / 86400.0
        count = 0
        for a in by_agency[agency]:
            if a.raised_at < scored_from:
                continue
            if any(lo <= a.raised_at <= hi for lo, hi in windows[agency]):
                continue
            false.any += 1
            if a.severity >= 3:
                false.severe += 1
                count += 1
        if agency not in busy:
            false.calm_agency_max_severe = max(false.calm_agency_max_severe, count)


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):6.0f}" if values else "     -"


def _max(values: list[float]) -> str:
    return f"{max(values):6.0f}" if values else "     -"


def report_outcomes(
    title: str, outcomes: dict[str, Outcome], false: FalseAlerts, out: Callable[[str], None]
) -> None:
    out(title)
    out(
        f"{'event':16s} {'n':>4s} {'found':>6s} {'median':>7s} {'max':>6s}   "
        f"{'sev>=3':>6s} {'median':>7s} {'max':>6s} {'neg.share':>9s} {'misread':>7s}"
    )
    out(f"{'':27s}{'(minutes after the onset)':>21s}   {'':6s}{'(minutes)':>15s}")
    for kind in ("crisis", "negativity", "positive_burst", "spam"):
        o = outcomes.get(kind)
        if o is None or not o.events:
            continue
        share = f"{statistics.median(o.negative_share):9.2f}" if o.negative_share else "        -"
        out(
            f"{kind:16s} {o.events:4d} {o.found / o.events:6.2f} {_median(o.latency)}  "
            f"{_max(o.latency)}   {o.found_severe / o.events:6.2f} {_median(o.latency_severe)}  "
            f"{_max(o.latency_severe)} {share} {o.misread:7d}"
        )
    days = max(false.agency_days, 1e-9)
    out(
        f"outside events, after the first day: {false.any / days:.2f} alerts and "
        f"{false.severe / days:.3f} alerts of severity >= 3 per agency-day "
        f"({false.agency_days:.0f} agency-days); the calmest-looking agency with the most: "
        f"{false.calm_agency_max_severe} severe"
    )


def evaluate_scenarios(seeds: int) -> tuple[dict[str, Outcome], FalseAlerts]:
    outcomes: dict[str, Outcome] = {}
    false = FalseAlerts()
    for seed in range(seeds):
        s = stream(seed)
        alerts = replay(s.observations)
        end = s.start + timedelta(days=s.days)
        judge(alerts, s.events, [a.id for a in s.agencies], s.start, end, outcomes, false)
    return outcomes, false


def report_scenarios(seeds: int, out: Callable[[str], None]) -> None:
    outcomes, false = evaluate_scenarios(seeds)
    report_outcomes(
        f"\n== Streaming alerts on {seeds} synthetic multi-agency streams "
        "(6 agencies, 5 days, 3 labelled events each) ==",
        outcomes,
        false,
        out,
    )
    out(
        "found: an alert of the event's kind between onset and end (crisis kinds for crises and "
        "tone shifts, positive_burst for bursts, coordinated for spam); latencies in minutes from "
        "the onset to the alert's event time; misread: a burst given a crisis alert of severity "
        "2 or more."
    )


def demo_scored() -> list[Scored] | None:
    """The bundled demo stream, scored by the real pipeline step (None without a model)."""
    import orjson

    from qulaq import demo
    from qulaq.registry import Registry
    from stream.bus import Message
    from stream.stages import ScoreStage

    try:
        from sentiment import Analyzer
    except ImportError:  # pragma: no cover - the sentiment package ships with Qulaq
        return None

    class _KeepAuthors:
        def author(self, platform: str, author: str | None) -> str | None:
            return author

    score = ScoreStage(Registry.default(), _KeepAuthors(), Analyzer.default())  # type: ignore[arg-type]
    lines = [orjson.dumps(ev) for ev in demo.bundled_events()]
    out: list[Scored] = []
    for i in range(0, len(lines), 2000):
        msgs = [Message("raw", 0, i + j, None, v) for j, v in enumerate(lines[i : i + 2000])]
        out.extend(score.process(msgs)[0])
    return out


def report_demo(scored: list[Scored], out: Callable[[str], None]) -> None:
    """The demo stream's alerts against its scenario file."""
    from qulaq import demo
    from qulaq.registry import Registry
    from signals.features import observe

    registry = Registry.default()
    seen: set[str] = set()
    unique = []
    for o in map(observe, scored):
        if o is not None and o.key not in seen:
            seen.add(o.key)
            unique.append(o)
    alerts = replay(unique)
    scenarios = demo.scenarios()
    events: list[Event] = []
    for s in scenarios:
        kind = "crisis" if s["kind"] == "crisis" else "positive_burst"
        onset, end = datetime.fromisoformat(s["onset"]), datetime.fromisoformat(s["end"])
        agencies = {s["agency"]}
        for acc in s["accounts"]:
            owner = registry.agency_for_account(acc["platform"], acc["account"])
            agencies.add(owner or Registry.fallback_id(acc["platform"], acc["account"]))
        events.extend(Event(kind, agency, onset, end) for agency in sorted(agencies))
    start = datetime.fromtimestamp(unique[0].ts, UTC)
    end = start + timedelta(days=demo.DEFAULT_DAYS)
    outcomes: dict[str, Outcome] = {}
    false = FalseAlerts()
    judge(alerts, events, sorted({o.agency for o in unique}), start, end, outcomes, false)
    report_outcomes(
        "\n== Streaming alerts on the bundled demo stream (real sentiment model) ==",
        outcomes,
        false,
        out,
    )
    crisis = next(s for s in scenarios if s["kind"] == "crisis")
    onset = datetime.fromisoformat(crisis["onset"])
    after = [a for a in alerts if a.agency == crisis["agency"] and a.raised_at >= onset]
    if after:
        first = min(after, key=lambda a: a.raised_at)
        shares = [a.negative_share for a in after if a.kind == "volume_spike"]
        out(
            f"crisis at {crisis['agency']}: first alert {first.kind} (severity {first.severity}) "
            f"{(first.raised_at - onset).total_seconds() / 60:.0f} min after the onset; most "
            f"severe {max(a.severity for a in after)}; negative share of its volume alert "
            + ", ".join(f"{x:.2f}" for x in shares if x is not None)
        )


def report_stage_throughput(scored: list[Scored], out: Callable[[str], None]) -> None:
    """The signals stage alone (counting, monitors, alerts, SQLite), in CPU time."""
    import os
    import tempfile
    import time

    from qulaq.config import load_settings
    from qulaq.registry import Registry
    from qulaq.storage.database import Database
    from signals.stage import SignalsStage
    from stream.bus import SCORED

    with tempfile.TemporaryDirectory(prefix="qulaq-eval-") as tmp:
        saved = os.environ.get("QULAQ_HOME"), os.environ.get("QULAQ_DATABASE_URL")
        os.environ["QULAQ_HOME"] = tmp
        os.environ.pop("QULAQ_DATABASE_URL", None)
        try:
            db = Database.open(load_settings())
            stage = SignalsStage(Registry.default(), "en")
            started = time.process_time()
            for i in range(0, len(scored), 2000):
                with db.write() as conn:
                    stage.process(conn, SCORED, scored[i : i + 2000])
            spent = time.process_time() - started
            db.dispose()
        finally:
            for key, value in zip(("QULAQ_HOME", "QULAQ_DATABASE_URL"), saved, strict=True):
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    out(
        f"\nsignals stage: {len(scored) / spent:,.0f} comments per CPU second on SQLite "
        f"(the demo stream, {len(scored):,} events, batches of 2,000)"
    )
