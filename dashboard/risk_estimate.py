"""The dashboard's own reputation-risk estimate, from the rollups alone.

Used for an agency the signals stage has not scored (or when it is not
installed): the same components the signals issue names — negativity against
the agency's own baseline, volume anomaly, aggression, unanswered share, open
alerts — each scaled to 0..1 and weighed into 0..100. A pure function of the
figures `dashboard.data.agency_figures` returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LEVELS = ("low", "elevated", "high", "critical")
WEIGHTS = {
    "negativity": 0.30,
    "volume": 0.20,
    "aggression": 0.10,
    "aftermath": 0.15,
    "urgent": 0.10,
    "alerts": 0.15,
}
VOLUME_HOURS = 3  # Meltwater compares the last hour(s) with the same hours before
TONE_HOURS = 6
AFTERMATH_HOURS = 48  # a crisis keeps weighing for a day or two, halving each day
Z_FULL = 8.0  # a z-score this high is full evidence


@dataclass(frozen=True, slots=True)
class Risk:
    score: float
    level: str
    components: dict[str, float] = field(default_factory=dict)
    source: str = "estimate"


def level_of(score: float) -> str:
    if score >= 70:
        return "critical"
    if score >= 45:
        return "high"
    if score >= 25:
        return "elevated"
    return "low"


def _clamp(x: float) -> float:
    return 0.0 if math.isnan(x) else max(0.0, min(1.0, x))


def _seasonal(series: np.ndarray, start: int, hours: int) -> float:
    """Expected sum of the last `hours`: the same hours of the previous days (up to 7)."""
    n = len(series)
    total = 0.0
    for i in range(n - hours, n):
        prior = [series[i - 24 * d] for d in range(1, 8) if i - 24 * d >= start]
        if prior:
            total += float(np.mean(prior))
        elif n - hours > start:
            total += float(series[start : n - hours].mean())
    return total


def _excess_z(observed: np.ndarray, total: np.ndarray, p: float) -> np.ndarray:
    expected = p * total
    return (observed - expected) / np.sqrt(expected * (1 - p) + 1.0)


def estimate(figures: dict[str, Any], max_alert_severity: int = 0) -> Risk:
    s = figures["series"]
    comments, negative = s["comments"], s["negative"]
    n = len(comments)
    start = max(n - 24 - figures["history_hours"], 0)
    base = figures["baseline"]
    p_neg = figures.get("baseline_negative_share") or 0.3
    p_neg = min(max(p_neg, 0.05), 0.9)
    p_aggr = min(
        max(base["aggression"] / base["comments"] if base["comments"] else 0.05, 0.02), 0.9
    )

    observed = float(comments[-VOLUME_HOURS:].sum())
    expected = _seasonal(comments, start, VOLUME_HOURS)
    ratio = (observed + 1.0) / (expected + 1.0)
    volume = _clamp(math.log2(max(ratio, 1.0)) / 3.0) * _clamp(observed / 20.0)

    tone_total = np.array([comments[-TONE_HOURS:].sum()])
    negativity = _clamp(
        float(_excess_z(np.array([negative[-TONE_HOURS:].sum()]), tone_total, p_neg)[0]) / Z_FULL
    )
    aggression = _clamp(
        float(_excess_z(np.array([s["aggression"][-TONE_HOURS:].sum()]), tone_total, p_aggr)[0])
        / Z_FULL
    )
    window = min(AFTERMATH_HOURS, n)
    kernel = np.ones(VOLUME_HOURS)
    neg_roll = np.convolve(negative[-window:], kernel, mode="same")
    all_roll = np.convolve(comments[-window:], kernel, mode="same")
    z = _excess_z(neg_roll, all_roll, p_neg)
    peak = int(np.argmax(z)) if z.size else 0
    since = window - 1 - peak
    aftermath = _clamp(float(z[peak]) / Z_FULL) * 0.5 ** (since / 24.0) if z.size else 0.0
    urgent = _clamp(float(s["urgent"][-24:].sum()) / 25.0)
    alerts = _clamp(max_alert_severity / 4.0)
    components = {
        "negativity": negativity,
        "volume": volume,
        "aggression": aggression,
        "aftermath": aftermath,
        "urgent": urgent,
        "alerts": alerts,
    }
    score = round(100.0 * sum(WEIGHTS[k] * v for k, v in components.items()), 1)
    return Risk(score, level_of(score), {k: round(v, 3) for k, v in components.items()})
