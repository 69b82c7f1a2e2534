"""`make eval-signals`: how well the spike detector of `qulaq detect` does.

Four measurements, printed as tables:

1. NAB-style score (standard profile) on the shared Numenta Anomaly Benchmark
   corpus, overall and per category, for the generic detector that `qulaq
   detect` runs and, for comparison, the upward-only mode.
2. Onset latency on the CrisisLexT26 tweet timelines, counted per 5 and per
   15 minutes (see `ONSETS` for how each onset is defined); `--crisislex DIR`
   times the other twenty events of the collection instead.
3. Labelled synthetic comment-volume scenarios (signals.synthetic): event
   precision and recall, median latency and false alerts per week.
4. A NAB-style score on synthetic bursty mention counts, and throughput.

Shared data are found through QULAQ_SHARED_DATA, else ../shared/data beside
the repository; a missing data set is reported and skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signals import evaluate_alerts, nab, synthetic
from signals.volume import DetectorConfig, VolumeDetector

REPO_ROOT = Path(__file__).resolve().parents[1]
WARM_UP = timedelta(days=2)  # synthetic scenarios: alerts before this are not scored
EARLY_WARNING = timedelta(hours=6)  # CrisisLex: an alert this far before the onset still counts


def shared_data_dir() -> Path:
    env = os.environ.get("QULAQ_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def alerts_of(
    config: DetectorConfig, times: Sequence[datetime], values: Sequence[float]
) -> list[int]:
    """Rows where the detector raises an alert."""
    update = VolumeDetector(config).update
    pairs = zip(times, values, strict=True)
    return [i for i, (t, v) in enumerate(pairs) if update(t, v).is_anomaly]


# -- 1. NAB ----------------------------------------------------------------------


@dataclass(frozen=True)
class NabResult:
    overall: nab.CorpusScore
    by_category: dict[str, nab.CorpusScore]


def score_nab(
    corpus: Sequence[tuple[nab.LabelledSeries, list[datetime]]], config: DetectorConfig
) -> NabResult:
    per: dict[str, list[nab.FileScore]] = {}
    every: list[nab.FileScore] = []
    for series, times in corpus:
        fs = nab.score_file(len(times), series.windows, alerts_of(config, times, series.values))
        per.setdefault(series.category, []).append(fs)
        every.append(fs)
    return NabResult(nab.combine(every), {k: nab.combine(v) for k, v in per.items()})


def _fmt_score(value: float) -> str:
    return "   n/a" if value != value else f"{value:6.1f}"


def report_nab(root: Path, out: Callable[[str], None]) -> None:
    out(f"\n== NAB-style score, standard profile (corpus: {root.name}) ==")
    if not (root / "combined_windows.json").is_file():
        out(f"skipped: no NAB corpus at {root}")
        return
    series = nab.load_corpus(root)
    corpus = [(s, [nab.parse_time(t) for t in s.timestamps]) for s in series]
    generic = score_nab(corpus, DetectorConfig())
    upward = score_nab(corpus, DetectorConfig(upward_only=True))
    out(
        f"{'category':24s} {'files':>5s} {'score':>6s} {'TP':>4s} {'FP':>4s} {'FN':>4s}"
        f"   {'up-only':>7s}"
    )
    for cat, res in sorted(generic.by_category.items()):
        up = upward.by_category[cat]
        out(
            f"{cat:24s} {res.files:5d} {_fmt_score(res.score)} {res.tp:4d} {res.fp:4d} {res.fn:4d}"
            f"   {_fmt_score(up.score)}"
        )
    g, u = generic.overall, upward.overall
    out(
        f"{'ALL':24s} {g.files:5d} {_fmt_score(g.score)} {g.tp:4d} {g.fp:4d} {g.fn:4d}"
        f"   {_fmt_score(u.score)}"
    )
    out("(n/a: no labelled windows, so only false positives count there; 'up-only' ignores falls)")


# -- 2. CrisisLexT26 -------------------------------------------------------------


@dataclass(frozen=True)
class Onset:
    at: datetime | None  # documented moment; None: defined from the volume curve
    source: str


# Instantaneous events: the documented moment of the event (UTC), from the public
# record of each event. Progressive events have no single moment: their onset is
# the first bin whose trailing hour holds 10% of the busiest hour's tweets.
ONSETS: dict[str, Onset] = {
    "2013_Russia_meteor": Onset(datetime(2013, 2, 15, 3, 20, tzinfo=UTC), "airburst 09:20 YEKT"),
    "2013_Spain_train_crash": Onset(
        datetime(2013, 7, 24, 18, 41, tzinfo=UTC), "derailment 20:41 CEST"
    ),
    "2013_West_Texas_explosion": Onset(
        datetime(2013, 4, 18, 0, 50, tzinfo=UTC), "explosion 19:50 CDT, Apr 17"
    ),
    "2013_Brazil_nightclub_fire": Onset(
        datetime(2013, 1, 27, 4, 30, tzinfo=UTC), "fire about 02:30 BRST"
    ),
    "2012_Colorado_wildfires": Onset(None, "progressive: 10% of the peak hour"),
    "2013_Alberta_floods": Onset(None, "progressive: 10% of the peak hour"),
    # The other CrisisLexT26 events: not in ../shared, never used to choose anything
    # (`--crisislex DIR`); their progressive events are found from the event description.
    "2012_Costa_Rica_earthquake": Onset(
        datetime(2012, 9, 5, 14, 42, tzinfo=UTC), "earthquake 08:42 CST"
    ),
    "2012_Guatemala_earthquake": Onset(
        datetime(2012, 11, 7, 16, 35, tzinfo=UTC), "earthquake 10:35 CST"
    ),
    "2012_Italy_earthquakes": Onset(
        datetime(2012, 5, 20, 2, 3, tzinfo=UTC), "first earthquake 04:03 CEST"
    ),
    "2012_Venezuela_refinery": Onset(
        datetime(2012, 8, 25, 5, 41, tzinfo=UTC), "explosion 01:11 VET (UTC-4:30)"
    ),
    "2013_Bohol_earthquake": Onset(
        datetime(2013, 10, 15, 0, 12, tzinfo=UTC), "earthquake 08:12 PHT"
    ),
    "2013_Glasgow_helicopter_crash": Onset(
        datetime(2013, 11, 29, 22, 22, tzinfo=UTC), "crash 22:22 GMT"
    ),
    "2013_LA_airport_shootings": Onset(
        datetime(2013, 11, 1, 16, 20, tzinfo=UTC), "shooting 09:20 PDT"
    ),
    "2013_Lac_Megantic_train_crash": Onset(
        datetime(2013, 7, 6, 5, 14, tzinfo=UTC), "derailment 01:14 EDT"
    ),
    "2013_NY_train_crash": Onset(datetime(2013, 12, 1, 12, 20, tzinfo=UTC), "derailment 07:20 EST"),
    "2013_Savar_building_collapse": Onset(
        datetime(2013, 4, 24, 2, 57, tzinfo=UTC), "collapse 08:57 BST (UTC+6)"
    ),
}
TIMELINE = "-tweetids_entire_period.csv"


def onset_of(root: Path, event: str) -> Onset | None:
    """The onset of an event: documented above, else the volume onset of a progressive event
    (as its ``-event_description.json`` says); None for a sudden event without a moment."""
    if event in ONSETS:
        return ONSETS[event]
    described = root / f"{event}-event_description.json"
    try:
        development = json.loads(described.read_text(encoding="utf-8"))["time"]["development"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if str(development).lower() == "progressive":
        return Onset(None, "progressive: 10% of the peak hour")
    return None


def load_tweet_times(path: Path) -> list[datetime]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        stamps = [row[0].strip() for row in reader if row]
    return sorted(datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y") for s in stamps)


def bin_counts(times: Sequence[datetime], width: timedelta) -> tuple[list[datetime], list[float]]:
    """Counts per bin from the first tweet's bin to the last one's, empty bins included."""
    first = times[0].replace(minute=0, second=0, microsecond=0)
    n = int((times[-1] - first) / width) + 1
    counts = [0.0] * n
    for t in times:
        counts[int((t - first) / width)] += 1.0
    return [first + i * width for i in range(n)], counts


def volume_onset(times: Sequence[datetime], width: timedelta) -> datetime:
    starts, counts = bin_counts(times, width)
    per_hour = max(1, round(timedelta(hours=1) / width))
    trailing = [sum(counts[max(0, i - per_hour + 1) : i + 1]) for i in range(len(counts))]
    peak = max(trailing)
    i = next(i for i, c in enumerate(trailing) if c >= 0.1 * peak)
    return starts[i] + width  # the bin is complete at its end


def report_crisislex(root: Path, out: Callable[[str], None]) -> None:
    out("\n== CrisisLexT26: how long after the onset `qulaq detect` fires ==")
    if not root.is_dir():
        out(f"skipped: no CrisisLexT26 timelines at {root}")
        return
    config = DetectorConfig()
    out(
        f"{'event':27s} {'bin':>4s} {'onset (UTC)':>16s} {'volume onset':>12s} "
        f"{'first alert':>11s} {'latency':>9s} {'vs volume':>9s} {'early':>5s}"
    )
    # Per bin width and kind of event (sudden: a documented moment; progressive: volume onset).
    latencies: dict[tuple[int, str], list[float]] = {}
    missed: dict[tuple[int, str], int] = {}
    for path in sorted(root.glob(f"*{TIMELINE}")):
        event = path.name[: -len(TIMELINE)]
        onset = onset_of(root, event)
        if onset is None:
            out(f"{event:27s} skipped: a sudden event without a documented moment")
            continue
        tweets = load_tweet_times(path)
        for minutes in (5, 15):
            width = timedelta(minutes=minutes)
            starts, counts = bin_counts(tweets, width)
            rise = volume_onset(tweets, width)
            at = onset.at or rise
            alert_at = [starts[i] + width for i in alerts_of(config, starts, counts)]
            early = sum(1 for a in alert_at if a < at - EARLY_WARNING)
            hits = [a for a in alert_at if a >= at - EARLY_WARNING]
            key = (minutes, "sudden" if onset.at else "progressive")
            latencies.setdefault(key, [])
            missed.setdefault(key, 0)
            if hits:
                first = f"{hits[0]:%m-%d %H:%M}"
                minutes_late = (hits[0] - at).total_seconds() / 60
                latencies[key].append(minutes_late)
                latency = f"{minutes_late:5.0f} min"
                vs_rise = f"{(hits[0] - rise).total_seconds() / 60:5.0f} min"
            else:
                first, latency, vs_rise = "missed", "-", "-"
                missed[key] += 1
            out(
                f"{event:27s} {minutes:3d}m {at:%Y-%m-%d %H:%M} {rise:%m-%d %H:%M} "
                f"{first:>11s} {latency:>9s} {vs_rise:>9s} {early:5d}"
            )
    out(
        "onset: the documented moment of a sudden event (meteor, crash, explosion, fire); for the "
        "progressive ones (wildfires, floods) the volume onset. Volume onset: the end of the first "
        "bin whose trailing hour holds 10% of the busiest hour's tweets. Latency: from onset to "
        "the end of the first alerted bin (negative: an early warning, accepted up to "
        f"{EARLY_WARNING.seconds // 3600} h ahead); 'early': alerts before that."
    )
    for (minutes, kind), found in sorted(latencies.items()):
        median = f"median latency {statistics.median(found):.0f} min" if found else "none found"
        out(
            f"{kind} events per {minutes} min: {len(found)} found, {missed[minutes, kind]} "
            f"missed; {median}, {sum(1 for m in found if m <= 60)} within 60 min"
        )


# -- 3. Synthetic scenarios --------------------------------------------------------


@dataclass
class ScenarioResult:
    events: int = 0
    found: int = 0
    alerts_in_events: int = 0
    false_alerts: int = 0
    days: float = 0.0
    latencies: list[float] | None = None

    @property
    def precision(self) -> float:
        total = self.alerts_in_events + self.false_alerts
        return self.alerts_in_events / total if total else float("nan")

    @property
    def recall(self) -> float:
        return self.found / self.events if self.events else float("nan")


def score_scenario(kind: str, seeds: range, config: DetectorConfig) -> ScenarioResult:
    res = ScenarioResult(latencies=[])
    assert res.latencies is not None
    for seed in seeds:
        series = synthetic.scenario(kind, seed)
        scored_from = series.timestamps[0] + WARM_UP
        alerts = [
            series.timestamps[i]
            for i in alerts_of(config, series.timestamps, series.values)
            if series.timestamps[i] >= scored_from
        ]
        res.days += (series.timestamps[-1] - scored_from).total_seconds() / 86400.0
        for a in alerts:
            if any(ev.start <= a <= ev.end for ev in series.events):
                res.alerts_in_events += 1
            else:
                res.false_alerts += 1
        for ev in series.events:
            res.events += 1
            hits = [a for a in alerts if ev.start <= a <= ev.end]
            if hits:
                res.found += 1
                res.latencies.append((hits[0] - ev.start).total_seconds() / 60.0)
    return res


def report_scenarios(seeds: int, out: Callable[[str], None]) -> None:
    config = DetectorConfig(upward_only=True)
    out(f"\n== Synthetic comment-volume scenarios, upward-only mode, {seeds} seeds each ==")
    out(
        f"{'scenario':18s} {'events':>6s} {'recall':>6s} {'precision':>9s} "
        f"{'median latency':>14s} {'false/week':>10s}"
    )
    total = ScenarioResult(latencies=[])
    for kind in synthetic.SCENARIOS:
        r = score_scenario(kind, range(seeds), config)
        lat = f"{statistics.median(r.latencies):10.0f} min" if r.latencies else "           -"
        rec = f"{r.recall:6.2f}" if r.events else "     -"
        prec = f"{r.precision:9.2f}" if r.precision == r.precision else "        -"
        per_week = 7.0 * r.false_alerts / r.days
        out(f"{kind:18s} {r.events:6d} {rec} {prec} {lat:>14s} {per_week:10.2f}")
        total.events += r.events
        total.found += r.found
        total.alerts_in_events += r.alerts_in_events
        total.false_alerts += r.false_alerts
        total.days += r.days
        assert total.latencies is not None and r.latencies is not None
        total.latencies.extend(r.latencies)
    assert total.latencies is not None
    per_week = 7.0 * total.false_alerts / total.days
    out(
        f"{'ALL':18s} {total.events:6d} {total.recall:6.2f} {total.precision:9.2f} "
        f"{statistics.median(total.latencies):10.0f} min {per_week:10.2f}"
    )
    out(
        "An event is found when an alert falls between its start and its end; latency runs from "
        "its start to the first such alert; precision is the share of alerts inside events. "
        f"The first {WARM_UP.days} days of each series are not scored."
    )


def report_mentions(seeds: int, out: Callable[[str], None]) -> None:
    out(f"\n== NAB-style score on {seeds} synthetic bursty mention-count series (5-minute bins) ==")
    modes = (("generic", DetectorConfig()), ("up-only", DetectorConfig(upward_only=True)))
    series = [synthetic.mention_volume(seed) for seed in range(seeds)]
    for mode, config in modes:
        files = [
            nab.score_file(
                len(s.values), synthetic.nab_windows(s), alerts_of(config, s.timestamps, s.values)
            )
            for s in series
        ]
        c = nab.combine(files)
        out(f"{mode:8s} score {c.score:5.1f}   TP {c.tp}  FP {c.fp}  FN {c.fn}")


def report_throughput(out: Callable[[str], None], repeats: int = 5) -> None:
    s = synthetic.mention_volume(0)
    best = 0.0
    for _ in range(repeats):
        update = VolumeDetector().update
        started = time.perf_counter()
        for t, v in zip(s.timestamps, s.values, strict=True):
            update(t, v)
        best = max(best, len(s.timestamps) / (time.perf_counter() - started))
    out(
        f"\nthroughput: {best:,.0f} points/s (one detector, offset-aware timestamps, pure Python, "
        f"best of {repeats} runs over {len(s.timestamps)} points)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m signals.evaluate", description="Measure the spike detector."
    )
    parser.add_argument("--data", type=Path, default=None, help="shared data directory")
    parser.add_argument("--seeds", type=int, default=20, help="seeds per synthetic scenario")
    parser.add_argument(
        "--nab",
        type=Path,
        default=None,
        help="score this NAB-format directory (category folders and combined_windows.json) "
        "instead of the shared corpus, e.g. a held-out set",
    )
    parser.add_argument(
        "--crisislex",
        type=Path,
        default=None,
        help="time the onsets of the CrisisLexT26 timelines in this directory "
        "(EVENT-tweetids_entire_period.csv and EVENT-event_description.json) instead of the "
        "shared six, e.g. the other twenty events",
    )
    args = parser.parse_args(argv)
    data = args.data or shared_data_dir()

    def out(line: str) -> None:
        print(line, flush=True)

    report_nab(args.nab or data / "anomaly" / "nab", out)
    report_crisislex(args.crisislex or data / "anomaly" / "crisislex", out)
    report_scenarios(args.seeds, out)
    report_mentions(max(args.seeds, 30), out)
    report_throughput(out)
    evaluate_alerts.report_scenarios(args.seeds, out)
    scored = evaluate_alerts.demo_scored()
    if scored:
        evaluate_alerts.report_demo(scored, out)
        evaluate_alerts.report_stage_throughput(scored, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
