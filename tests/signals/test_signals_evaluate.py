from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signals import evaluate

TIMELINE = "-tweetids_entire_period.csv"


def _timeline(
    path: Path, start: datetime, burst_at: datetime, seed: int, *, burst: bool = True
) -> None:
    """Quiet days (a tweet every 10 minutes or so), then a burst of a few hundred an hour."""
    rng = random.Random(seed)
    times: list[datetime] = []
    t = start
    while t < burst_at:
        t += timedelta(minutes=rng.expovariate(1 / 10))
        times.append(t)
    t = burst_at
    while burst and t < burst_at + timedelta(hours=6):
        t += timedelta(seconds=rng.expovariate(1 / 12))
        times.append(t)
    rows = [f'"{x:%a %b %d %H:%M:%S +0000 %Y}","{i}",Y' for i, x in enumerate(times)]
    path.write_text("Timestamp, Tweet-ID, Included(Y/N)\n" + "\n".join(rows) + "\n")


def _described(root: Path, event: str, development: str) -> None:
    doc = {"name": event, "time": {"development": development}}
    (root / f"{event}-event_description.json").write_text(json.dumps(doc))


def test_onsets_and_latencies_of_a_directory_of_timelines(tmp_path: Path) -> None:
    # A documented sudden event, a progressive one found by its description, and a sudden
    # one without a documented moment, which cannot be timed and is said to be skipped.
    documented = "2013_NY_train_crash"
    onset = evaluate.ONSETS[documented].at
    assert onset is not None
    _timeline(tmp_path / f"{documented}{TIMELINE}", onset - timedelta(days=2), onset, seed=1)
    start = datetime(2020, 3, 1, tzinfo=UTC)
    _timeline(tmp_path / f"flood{TIMELINE}", start, start + timedelta(days=2), seed=2)
    _described(tmp_path, "flood", "Progressive")
    _timeline(tmp_path / f"quake{TIMELINE}", start, start + timedelta(days=2), seed=3)
    _described(tmp_path, "quake", "Instantaneous")

    lines: list[str] = []
    evaluate.report_crisislex(tmp_path, lines.append)
    text = "\n".join(lines)
    assert "quake" in text and "skipped: a sudden event without a documented moment" in text
    assert "sudden events per 5 min: 1 found, 0 missed" in text
    assert "progressive events per 5 min: 1 found, 0 missed" in text
    row = next(line for line in lines if line.startswith(documented) and " 5m " in line)
    latency = int(row.split()[8])  # minutes from the documented moment to the first alert
    assert 0 <= latency <= 30


def test_quiet_timeline_is_missed(tmp_path: Path) -> None:
    # No burst at all: the documented moment passes without an alert, and the report says so.
    documented = "2013_LA_airport_shootings"
    onset = evaluate.ONSETS[documented].at
    assert onset is not None
    end = onset + timedelta(hours=6)
    _timeline(tmp_path / f"{documented}{TIMELINE}", end - timedelta(days=3), end, 4, burst=False)
    lines: list[str] = []
    evaluate.report_crisislex(tmp_path, lines.append)
    assert any("sudden events per 5 min: 0 found, 1 missed" in line for line in lines), lines
