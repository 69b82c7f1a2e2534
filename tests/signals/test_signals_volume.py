"""Behaviour of the online spike detector, as tables of small scenarios."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta, timezone

import pytest

from signals.volume import Decision, DetectorConfig, VolumeDetector

ALMATY = timezone(timedelta(hours=5))
START = datetime(2026, 1, 5, tzinfo=ALMATY)  # a Monday


def _times(n: int, step: timedelta = timedelta(minutes=5)) -> list[datetime]:
    return [START + i * step for i in range(n)]


def _noisy_counts(n: int, mean: float, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    # a Poisson-like count via its normal approximation, rounded and kept non-negative
    return [float(max(0, round(rng.gauss(mean, math.sqrt(mean))))) for _ in range(n)]


def _daily_cycle(times: list[datetime], seed: int = 2) -> list[float]:
    rng = random.Random(seed)
    out = []
    for t in times:
        hour = t.hour + t.minute / 60.0
        mean = 60.0 + 50.0 * math.sin(2.0 * math.pi * (hour - 8.0) / 24.0)
        out.append(float(max(0, round(rng.gauss(mean, math.sqrt(mean))))))
    return out


def _run(values: list[float], times: list[datetime], **cfg: object) -> list[Decision]:
    det = VolumeDetector(DetectorConfig(**cfg))  # type: ignore[arg-type]
    return [det.update(t, v) for t, v in zip(times, values, strict=True)]


def _alerts(decisions: list[Decision]) -> list[int]:
    return [i for i, d in enumerate(decisions) if d.is_anomaly]


@pytest.mark.parametrize("level", [0.0, 1.0, 37.5, 1e6])
def test_flat_series_raises_nothing(level: float) -> None:
    times = _times(3 * 288)
    decisions = _run([level] * len(times), times)
    assert _alerts(decisions) == []
    assert all(0.0 <= d.score <= 1.0 for d in decisions)


def test_noise_alone_raises_nothing_after_warm_up() -> None:
    times = _times(4 * 288)
    decisions = _run(_noisy_counts(len(times), 40.0), times)
    assert [i for i in _alerts(decisions) if i >= 288] == []


@pytest.mark.parametrize("upward_only", [False, True])
@pytest.mark.parametrize("length", [1, 6, 36])
def test_tenfold_spike_is_flagged_at_its_first_point_only(upward_only: bool, length: int) -> None:
    times = _times(4 * 288)
    values = _noisy_counts(len(times), 30.0)
    start = 3 * 288 + 100
    for i in range(start, start + length):
        values[i] *= 10.0
    decisions = _run(values, times, upward_only=upward_only)
    flagged = _alerts(decisions)
    assert start in flagged
    assert [i for i in flagged if start < i < start + length + 12] == []
    assert decisions[start].score > 0.5


def test_score_crosses_one_half_exactly_where_an_alert_is_raised() -> None:
    times = _times(5 * 288)
    values = _noisy_counts(len(times), 30.0, seed=11)
    start = 4 * 288
    for i in range(start, start + 30):
        values[i] *= 8.0
    decisions = _run(values, times)
    assert [i for i, d in enumerate(decisions) if d.score >= 0.5] == _alerts(decisions)
    assert decisions[start].is_anomaly and not decisions[start].ongoing
    assert all(d.ongoing for d in decisions[start + 1 : start + 30])
    assert not decisions[-1].ongoing


def test_fall_is_flagged_in_generic_mode_and_ignored_upward_only() -> None:
    times = _times(4 * 288)
    values = _noisy_counts(len(times), 200.0)
    start = 3 * 288 + 50
    for i in range(start, start + 24):
        values[i] = 0.0
    assert start in _alerts(_run(values, times))
    assert [i for i in _alerts(_run(values, times, upward_only=True)) if i >= start] == []


def test_learned_daily_peaks_are_not_flagged() -> None:
    times = _times(10 * 288)
    decisions = _run(_daily_cycle(times), times)
    assert [i for i in _alerts(decisions) if i >= 2 * 288] == []


def test_spike_on_top_of_a_daily_cycle_is_flagged() -> None:
    times = _times(10 * 288)
    values = _daily_cycle(times)
    at = 8 * 288 + 30  # early morning, where the cycle is low
    values[at] += 250.0
    assert at in _alerts(_run(values, times))


@pytest.mark.parametrize("step", [timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1)])
def test_any_sampling_interval(step: timedelta) -> None:
    n = 1500
    times = _times(n, step)
    values = _noisy_counts(n, 25.0, seed=3)
    values[1200] = 250.0
    assert _alerts(_run(values, times)) == [1200]


def test_gaps_and_irregular_timestamps() -> None:
    rng = random.Random(4)
    times: list[datetime] = []
    t = START
    for i in range(3000):
        t += timedelta(seconds=rng.uniform(60, 540))
        if i == 1500:
            t += timedelta(hours=7)  # a collector outage: no rows at all
        times.append(t)
    values = _noisy_counts(len(times), 50.0, seed=5)
    values[2500] = 400.0
    flagged = _alerts(_run(values, times))
    assert flagged == [2500]


def test_missing_values_are_skipped() -> None:
    times = _times(600)
    values = _noisy_counts(600, 20.0)
    values[300] = math.nan
    decisions = _run(values, times)
    assert (decisions[300].score, decisions[300].is_anomaly) == (0.0, False)
    assert _alerts(decisions) == []


def test_decisions_are_online() -> None:
    times = _times(3 * 288)
    values = _noisy_counts(len(times), 30.0, seed=6)
    cut = 500
    changed = list(values)
    rng = random.Random(7)
    for i in range(cut, len(changed)):
        changed[i] = rng.choice([0.0, 1000.0, changed[i] * 3])
    a = _run(values, times)
    b = _run(changed, times)
    assert a[:cut] == b[:cut]
    assert a[cut:] != b[cut:]


@pytest.mark.parametrize("rearm_boost", [1.0, 0.0])
def test_a_flare_just_after_an_episode_needs_more_than_a_fresh_one(rearm_boost: float) -> None:
    times = _times(4 * 288)
    values = _noisy_counts(len(times), 30.0, seed=12)
    start = 3 * 288 + 20
    for i in range(start, start + 6):
        values[i] = 150.0
    calm = _run(values, times, rearm_boost=rearm_boost)
    assert start in _alerts(calm)
    closed = next(i for i in range(start + 1, len(times)) if not calm[i].ongoing)
    soon, later = closed + 12, closed + 60  # an hour after the episode closed; five hours
    for at in (soon, later):
        flared = list(values)
        flared[at] = 75.0
        flagged = [i for i in _alerts(_run(flared, times, rearm_boost=rearm_boost)) if i > start]
        if at == soon and rearm_boost > 0.0:
            assert flagged == []  # the tail of the same burst
        else:
            assert flagged == [at]


def test_a_version_1_state_is_still_read() -> None:
    times = _times(600)
    values = _noisy_counts(600, 20.0, seed=13)
    whole = VolumeDetector()
    expected = [whole.update(t, v) for t, v in zip(times, values, strict=True)]
    det = VolumeDetector()
    first = [det.update(t, v) for t, v in zip(times[:300], values[:300], strict=True)]
    old = det.to_dict()
    old["version"] = 1
    del old["state"]["closed_t"]
    restored = VolumeDetector.from_dict(old)
    rest = [restored.update(t, v) for t, v in zip(times[300:], values[300:], strict=True)]
    assert first + rest == expected


def test_state_round_trips_through_a_plain_dict() -> None:
    times = _times(10 * 288)
    values = _daily_cycle(times, seed=8)
    values[9 * 288] += 400.0
    uninterrupted = VolumeDetector()
    whole = [uninterrupted.update(t, v) for t, v in zip(times, values, strict=True)]
    det = VolumeDetector()
    first = [det.update(t, v) for t, v in zip(times[:3000], values[:3000], strict=True)]
    saved = json.loads(json.dumps(det.to_dict(), allow_nan=False))
    restored = VolumeDetector.from_dict(saved)
    rest = [restored.update(t, v) for t, v in zip(times[3000:], values[3000:], strict=True)]
    assert first + rest == whole
    assert restored.to_dict() == uninterrupted.to_dict()
    fresh = VolumeDetector().to_dict()
    assert VolumeDetector.from_dict(fresh).to_dict() == fresh


def test_unknown_state_version_is_refused() -> None:
    data = VolumeDetector().to_dict()
    data["version"] = 999
    with pytest.raises(ValueError, match="version"):
        VolumeDetector.from_dict(data)


def test_naive_and_offset_timestamps_use_their_own_clock() -> None:
    naive = [t.replace(tzinfo=None) for t in _times(2000)]
    aware = _times(2000)
    values = _daily_cycle(aware, seed=9)
    assert _run(values, naive) == _run(values, aware)


def _spike_series(seed: int = 1) -> tuple[list[float], list[datetime]]:
    """Two hundred one-minute counts of 8 to 12, a spike of 80 at 150 to 159."""
    rng = random.Random(seed)
    values = [float(rng.randint(8, 12)) for _ in range(200)]
    values[150:160] = [80.0] * 10
    return values, _times(200, timedelta(minutes=1))


@pytest.mark.parametrize("where", [0, 1, 5, 11, 30, 100])
@pytest.mark.parametrize("huge", [1e200, -1e200, 1.7e308, -1.7e308, 1e15])
def test_an_absurd_value_neither_poisons_the_scores_nor_hides_a_later_spike(
    where: int, huge: float
) -> None:
    values, times = _spike_series()
    values[where] = huge
    decisions = _run(values, times)
    assert all(math.isfinite(d.score) and 0.0 <= d.score <= 1.0 for d in decisions)
    alerts = _alerts(decisions)
    assert 150 in alerts
    assert set(alerts) <= {where, 150}


def test_absurd_values_that_persist_are_a_new_level_learned_afresh() -> None:
    values, times = _spike_series()
    values[60:] = [v * 1e14 for v in values[60:]]  # a change of units, say
    decisions = _run(values, times)
    assert _alerts(decisions) == [60, 150]
    assert all(math.isfinite(d.score) for d in decisions)


def test_an_absurd_value_is_in_the_saved_state_as_plain_json() -> None:
    values, times = _spike_series()
    values[30] = 1e200
    det = VolumeDetector()
    for t, v in zip(times[:31], values[:31], strict=True):
        det.update(t, v)
    saved = json.loads(json.dumps(det.to_dict(), allow_nan=False))
    restored = VolumeDetector.from_dict(saved)
    rest = list(zip(times[31:], values[31:], strict=True))
    assert [restored.update(t, v) for t, v in rest] == [det.update(t, v) for t, v in rest]
