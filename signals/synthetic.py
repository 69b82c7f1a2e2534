"""Labelled synthetic comment-volume series for evaluating the spike detector.

The generator models comments on an official account as an overdispersed
Poisson count whose intensity is

    base level x daily rhythm x weekly cycle x slow drift x (1 + reactions to posts)

plus labelled events (a crisis spike, a slow build-up, a holiday greeting
burst, a level shift, an outage). Reactions to the account's own posts are
ordinary bursts that must *not* raise alerts; they are what makes comment
volume harder than machine metrics. Clocks are local wall time in Almaty
(UTC+05:00). Everything is seeded and reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

ALMATY = timezone(timedelta(hours=5))

# Relative comment activity by local hour: quiet nights, a lunch peak and an
# evening peak (mean 1).
_DAILY = np.array(
    [
        0.35,
        0.2,
        0.12,
        0.08,
        0.07,
        0.1,
        0.25,
        0.55,
        0.9,
        1.15,
        1.3,
        1.4,
        1.5,
        1.45,
        1.35,
        1.3,
        1.3,
        1.35,
        1.45,
        1.6,
        1.7,
        1.6,
        1.2,
        0.7,
    ]
)
_DAILY = _DAILY / _DAILY.mean()


@dataclass(frozen=True)
class Event:
    """A labelled anomaly: when it starts, when it is over, and what it is."""

    kind: str
    start: datetime
    end: datetime


@dataclass
class Series:
    name: str
    timestamps: list[datetime]
    values: list[float]
    events: list[Event] = field(default_factory=list)
    upward_only: bool = True


@dataclass(frozen=True)
class Shape:
    """How an account's ordinary traffic looks."""

    per_hour: float = 40.0  # mean comments per hour
    daily_amplitude: float = 1.0  # 0 = flat, 1 = the full daily rhythm
    weekend_factor: float = 0.8
    dispersion: float = 8.0  # gamma shape of the per-bin multiplier; lower = burstier
    posts_per_day: float = 3.0
    post_reaction: float = 1.0  # mean extra comments of a post, in hours of base volume
    drift_per_day: float = 0.05  # sd of the daily log-level random walk
    news_per_day: float = 0.0  # unlabelled outside news bursts, heavy-tailed in size


def _intensity_profile(
    rng: np.random.Generator, times: list[datetime], step_h: float, shape: Shape
) -> np.ndarray:
    n = len(times)
    hours = np.array([t.hour + t.minute / 60.0 for t in times])
    weekday = np.array([t.weekday() for t in times])
    daily = 1.0 + shape.daily_amplitude * (
        np.interp(hours, np.arange(25), np.append(_DAILY, _DAILY[0])) - 1.0
    )
    weekly = np.where(weekday >= 5, shape.weekend_factor, 1.0)
    elapsed_days = np.array([(t - times[0]).total_seconds() / 86400.0 for t in times])
    n_days = int(elapsed_days[-1]) + 2
    walk = np.cumsum(rng.normal(0.0, shape.drift_per_day, n_days))
    drift = np.exp(np.interp(elapsed_days, np.arange(n_days), walk))
    lam = shape.per_hour * step_h * daily * weekly * drift
    reactions = np.zeros(n)
    n_posts = rng.poisson(shape.posts_per_day * elapsed_days[-1])
    for _ in range(n_posts):
        day = rng.uniform(0.0, elapsed_days[-1])
        post_at = math.floor(day) + rng.uniform(9.0, 20.0) / 24.0
        size = shape.post_reaction * rng.lognormal(0.0, 0.6)
        tau_h = rng.uniform(0.5, 3.0)
        dt_h = (elapsed_days - post_at) * 24.0
        after = dt_h >= 0
        # the post's extra comments, spread over its reaction curve
        reactions[after] += size * (step_h / tau_h) * np.exp(-dt_h[after] / tau_h)
    for _ in range(rng.poisson(shape.news_per_day * elapsed_days[-1])):
        at = rng.uniform(0.0, elapsed_days[-1])
        size = min(8.0, 0.5 * (1.0 + rng.pareto(1.8)))
        tau_h = rng.uniform(0.3, 3.0)
        dt_h = (elapsed_days - at) * 24.0
        after = dt_h >= 0
        reactions[after] += size * (step_h / tau_h) * np.exp(-dt_h[after] / tau_h)
    return lam * (1.0 + reactions)


def _draw(rng: np.random.Generator, lam: np.ndarray, dispersion: float) -> list[float]:
    mult = rng.gamma(dispersion, 1.0 / dispersion, len(lam))
    return [float(v) for v in rng.poisson(lam * mult)]


def _grid(start: datetime, days: float, step: timedelta) -> list[datetime]:
    n = int(days * 86400 / step.total_seconds())
    return [start + i * step for i in range(n)]


def _hours(step: timedelta) -> float:
    return step.total_seconds() / 3600.0


def _apply_spike(
    lam: np.ndarray,
    times: list[datetime],
    at: datetime,
    factor: float,
    rise_h: float,
    decay_h: float,
) -> datetime:
    """Multiply the intensity by up to `factor`: a fast rise, then an exponential decay."""
    base = float(np.median(lam))
    for i, t in enumerate(times):
        h = (t - at).total_seconds() / 3600.0
        if h < 0:
            continue
        shape = min(1.0, (h + _hours(times[1] - times[0])) / rise_h) * math.exp(
            -max(0.0, h - rise_h) / decay_h
        )
        lam[i] += (factor - 1.0) * shape * max(lam[i], base)
    return at + timedelta(hours=rise_h + 2.0 * decay_h)


def _apply_buildup(
    lam: np.ndarray,
    times: list[datetime],
    at: datetime,
    factor: float,
    ramp_h: float,
    hold_h: float,
) -> datetime:
    """Raise the intensity linearly to `factor` over ramp_h, hold it, then relax."""
    for i, t in enumerate(times):
        h = (t - at).total_seconds() / 3600.0
        if h < 0:
            continue
        if h < ramp_h:
            g = 1.0 + (factor - 1.0) * h / ramp_h
        elif h < ramp_h + hold_h:
            g = factor
        else:
            g = 1.0 + (factor - 1.0) * math.exp(-(h - ramp_h - hold_h) / 3.0)
        lam[i] *= g
    return at + timedelta(hours=ramp_h + hold_h)


def _start(rng: np.random.Generator) -> datetime:
    day = int(rng.integers(0, 365))
    return datetime(2025, 1, 1, tzinfo=ALMATY) + timedelta(days=day)


def _event_time(
    rng: np.random.Generator, start: datetime, day_lo: float, day_hi: float
) -> datetime:
    """A time in the given day range, in waking hours, on the 5-minute grid."""
    day = int(rng.integers(int(day_lo), int(day_hi)))
    minute = int(rng.integers(8 * 12, 21 * 12)) * 5
    return start + timedelta(days=day, minutes=minute)


def scenario(kind: str, seed: int) -> Series:
    """One labelled scenario. Kinds: see SCENARIOS."""
    rng = np.random.default_rng([seed, sum(map(ord, kind))])
    start = _start(rng)
    five = timedelta(minutes=5)
    shape = Shape(
        per_hour=float(rng.choice([6.0, 20.0, 60.0, 200.0])),
        daily_amplitude=float(rng.uniform(0.6, 1.0)),
        weekend_factor=float(rng.uniform(0.6, 1.0)),
        dispersion=float(rng.uniform(4.0, 15.0)),
        posts_per_day=float(rng.uniform(1.0, 5.0)),
        post_reaction=float(rng.uniform(0.5, 2.0)),
    )
    events: list[Event] = []
    if kind == "daily_rhythm":
        times = _grid(start, 14, five)
        lam = _intensity_profile(rng, times, _hours(five), shape)
    elif kind == "weekly_cycle":
        step = timedelta(hours=1)
        times = _grid(start, 35, step)
        shape = Shape(**{**shape.__dict__, "weekend_factor": 0.4})
        lam = _intensity_profile(rng, times, _hours(step), shape)
    elif kind == "noise":
        step = timedelta(minutes=15)
        times = _grid(start, 14, step)
        flat = Shape(
            per_hour=shape.per_hour,
            daily_amplitude=0.0,
            weekend_factor=1.0,
            dispersion=3.0,
            posts_per_day=0.0,
        )
        lam = _intensity_profile(rng, times, _hours(step), flat)
    elif kind == "crisis_spike":
        times = _grid(start, 12, five)
        lam = _intensity_profile(rng, times, _hours(five), shape)
        at = _event_time(rng, start, 4, 11)
        end = _apply_spike(
            lam, times, at, float(rng.uniform(4.0, 12.0)), 0.5, float(rng.uniform(2.0, 10.0))
        )
        events.append(Event("crisis", at, end))
    elif kind == "slow_buildup":
        step = timedelta(minutes=15)
        times = _grid(start, 12, step)
        lam = _intensity_profile(rng, times, _hours(step), shape)
        at = _event_time(rng, start, 4, 10)
        end = _apply_buildup(
            lam, times, at, float(rng.uniform(3.0, 5.0)), float(rng.uniform(6.0, 12.0)), 24.0
        )
        events.append(Event("build-up", at, end))
    elif kind == "holiday_greeting":
        times = _grid(start, 12, five)
        lam = _intensity_profile(rng, times, _hours(five), shape)
        at = _event_time(rng, start, 4, 11)
        end = _apply_spike(lam, times, at, float(rng.uniform(5.0, 8.0)), 0.25, 1.0)
        events.append(Event("greeting burst", at, end))
    elif kind == "gaps":
        times = _grid(start, 14, five)
        lam = _intensity_profile(rng, times, _hours(five), shape)
        at = _event_time(rng, start, 9, 13)
        end = _apply_spike(lam, times, at, float(rng.uniform(4.0, 12.0)), 0.5, 4.0)
        events.append(Event("crisis", at, end))
        keep = np.ones(len(times), dtype=bool)
        # a collector outage of six hours, one of a whole day, and scattered lost bins
        g1 = int(rng.integers(4 * 288, 5 * 288))
        keep[g1 : g1 + 72] = False
        g2 = int(rng.integers(6 * 288, 8 * 288))
        keep[g2 : g2 + 288] = False
        keep &= rng.random(len(times)) > 0.03
        values = _draw(rng, lam, shape.dispersion)
        idx = np.flatnonzero(keep)
        return Series(f"{kind}-{seed}", [times[i] for i in idx], [values[i] for i in idx], events)
    elif kind == "low_volume":
        step = timedelta(hours=1)
        times = _grid(start, 21, step)
        quiet = Shape(
            per_hour=float(rng.uniform(0.5, 2.0)),
            daily_amplitude=1.0,
            weekend_factor=0.7,
            dispersion=5.0,
            posts_per_day=0.7,
            post_reaction=1.0,
        )
        lam = _intensity_profile(rng, times, 1.0, quiet)
        at = _event_time(rng, start, 7, 20)
        at = at.replace(minute=0)
        end = _apply_spike(lam, times, at, float(rng.uniform(8.0, 15.0)), 1.0, 3.0)
        events.append(Event("crisis", at, end))
    elif kind == "per_minute":
        step = timedelta(minutes=1)
        times = _grid(start, 5, step)
        lam = _intensity_profile(rng, times, _hours(step), shape)
        at = _event_time(rng, start, 3, 5)
        end = _apply_spike(lam, times, at, float(rng.uniform(4.0, 10.0)), 0.25, 2.0)
        events.append(Event("crisis", at, end))
    else:
        raise ValueError(f"unknown scenario {kind!r}")
    return Series(f"{kind}-{seed}", times, _draw(rng, lam, shape.dispersion), events)


SCENARIOS = (
    "daily_rhythm",
    "weekly_cycle",
    "noise",
    "crisis_spike",
    "slow_buildup",
    "holiday_greeting",
    "gaps",
    "low_volume",
    "per_minute",
)


def mention_volume(seed: int, days: float = 55.0) -> Series:
    """A bursty five-minute mention count with a few labelled surges, for NAB-style scoring.

    Natural news bursts (unlabelled) have a heavy-tailed size; labelled surges are
    distinctly larger, or are a lasting level shift, as a human labeller would mark them.
    """
    rng = np.random.default_rng([seed, 7])
    start = _start(rng)
    five = timedelta(minutes=5)
    times = _grid(start, days, five)
    shape = Shape(
        per_hour=float(np.exp(rng.uniform(math.log(30.0), math.log(2000.0)))),
        daily_amplitude=float(rng.uniform(0.3, 1.0)),
        weekend_factor=float(rng.uniform(0.5, 1.0)),
        dispersion=float(rng.uniform(3.0, 12.0)),
        posts_per_day=float(rng.uniform(2.0, 8.0)),
        post_reaction=float(rng.uniform(0.3, 1.5)),
        drift_per_day=0.08,
        news_per_day=float(rng.uniform(0.3, 1.5)),
    )
    lam = _intensity_profile(rng, times, _hours(five), shape)
    n_events = int(rng.integers(1, 5))
    first = 4.0
    slots = sorted(rng.choice(np.arange(int(first), int(days) - 1), n_events, replace=False))
    events: list[Event] = []
    for day in slots:
        at = start + timedelta(days=int(day), minutes=int(rng.integers(0, 288)) * 5)
        roll = rng.random()
        if roll < 0.7:
            end = _apply_spike(
                lam,
                times,
                at,
                float(rng.uniform(4.0, 20.0)),
                float(rng.uniform(0.1, 1.0)),
                float(rng.uniform(0.5, 6.0)),
            )
            events.append(Event("surge", at, end))
        elif roll < 0.9:
            end = _apply_buildup(
                lam,
                times,
                at,
                float(rng.uniform(2.5, 4.0)),
                float(rng.uniform(0.5, 4.0)),
                float(rng.uniform(12.0, 48.0)),
            )
            events.append(Event("level shift", at, end))
        else:
            end = at + timedelta(hours=float(rng.uniform(3.0, 12.0)))
            for i, t in enumerate(times):
                if at <= t < end:
                    lam[i] *= 0.02
            events.append(Event("outage", at, end))
    return Series(
        f"mentions-{seed}", times, _draw(rng, lam, shape.dispersion), events, upward_only=False
    )


def nab_windows(series: Series) -> list[tuple[int, int]]:
    """NAB's convention: windows of 10% of the file in all, centred on each event's start."""
    n = len(series.timestamps)
    if not series.events:
        return []
    width = max(1, int(0.1 * n / len(series.events)))
    rows: list[tuple[int, int]] = []
    for ev in series.events:
        centre = next((i for i, t in enumerate(series.timestamps) if t >= ev.start), n - 1)
        lo = max(0, centre - width // 2)
        hi = min(n - 1, lo + width - 1)
        rows.append((lo, hi))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(rows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
