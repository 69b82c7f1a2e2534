"""NAB-style scoring of an online anomaly detector's alerts.

Implemented from the published description of the Numenta Anomaly Benchmark
(Lavin & Ahmad, "Evaluating Real-time Anomaly Detection Algorithms", ICMLA 2015,
and the benchmark's documentation):

* Each labelled anomaly sits in a window of rows. Only the earliest detection
  inside a window counts, and it earns ``tp_weight * sigma(y)``, where ``y`` is
  its relative position in the window (-1 at the first row, close to 0 at the
  last) and ``sigma(y) = 2 / (1 + exp(5 y)) - 1`` is the scaled sigmoid: an
  early detection earns almost the full reward, a late one almost nothing.
  Further detections in the same window neither earn nor cost anything.
* A detection outside every window is a false positive. It costs the full
  ``fp_weight`` unless it follows a window, in which case it costs
  ``-fp_weight * sigma(y)`` with ``y`` its distance past that window's end in
  window lengths: a detection just after a window costs little, one far after
  it the full weight.
* A window without any detection costs ``fn_weight``.
* The first 15% of each file, at most 750 rows, is a probationary period in
  which detections are ignored.
* A set of files is scored by summing raw scores and normalising the sum
  between the null detector (no detections: 0) and the perfect detector (one
  detection at the first row of every window: 100).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class CostProfile:
    """Weights of an application profile (NAB's "standard" by default)."""

    name: str = "standard"
    tp_weight: float = 1.0
    fp_weight: float = 0.11
    fn_weight: float = 1.0


STANDARD = CostProfile()
REWARD_LOW_FP = CostProfile("reward_low_FP_rate", 1.0, 0.22, 1.0)
REWARD_LOW_FN = CostProfile("reward_low_FN_rate", 1.0, 0.11, 2.0)

PROBATION_FRACTION = 0.15
PROBATION_CAP = 750


def scaled_sigmoid(y: float) -> float:
    """NAB's reward curve: about 1 at y = -1, 0 at y = 0, tending to -1 for large y."""
    if y > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def probation_length(n_rows: int) -> int:
    return min(math.floor(PROBATION_FRACTION * n_rows), PROBATION_CAP)


@dataclass(frozen=True)
class FileScore:
    raw: float
    null: float
    perfect: float
    tp: int
    fp: int
    fn: int

    @property
    def normalized(self) -> float:
        return normalize(self.raw, self.null, self.perfect)


def normalize(raw: float, null: float, perfect: float) -> float:
    """0 for the null detector, 100 for the perfect one; NaN where there is nothing to find."""
    span = perfect - null
    if span <= 0.0:
        return math.nan
    return 100.0 * (raw - null) / span


def _raw_score(
    n_rows: int,
    windows: Sequence[tuple[int, int]],
    detections: Iterable[int],
    profile: CostProfile,
) -> tuple[float, int, int, int]:
    probation = probation_length(n_rows)
    window_of = [-1] * n_rows
    for k, (start, end) in enumerate(windows):
        for i in range(max(start, 0), min(end, n_rows - 1) + 1):
            window_of[i] = k
    detected = [False] * len(windows)
    score = 0.0
    tp = fp = 0
    previous_window = -1  # the last window whose end lies before the current row
    next_window = 0
    for i in sorted(set(detections)):
        if i < 0 or i >= n_rows:
            raise ValueError(f"detection index {i} outside 0..{n_rows - 1}")
        while next_window < len(windows) and windows[next_window][1] < i:
            previous_window = next_window
            next_window += 1
        if i < probation:
            continue
        k = window_of[i]
        if k >= 0:
            if not detected[k]:
                detected[k] = True
                start, end = windows[k]
                length = end - start + 1
                y = -(end - i + 1) / length
                score += profile.tp_weight * scaled_sigmoid(y)
                tp += 1
            continue
        fp += 1
        if previous_window < 0:
            score -= profile.fp_weight
        else:
            start, end = windows[previous_window]
            y = (i - end) / (end - start + 1)
            score += profile.fp_weight * scaled_sigmoid(y)
    fn = detected.count(False)
    score -= profile.fn_weight * fn
    return score, tp, fp, fn


def score_file(
    n_rows: int,
    windows: Sequence[tuple[int, int]],
    detections: Iterable[int],
    profile: CostProfile = STANDARD,
) -> FileScore:
    """Score detections (row indices) against windows (inclusive row ranges, sorted)."""
    ordered = sorted(windows)
    raw, tp, fp, fn = _raw_score(n_rows, ordered, detections, profile)
    null, _, _, _ = _raw_score(n_rows, ordered, (), profile)
    perfect, _, _, _ = _raw_score(n_rows, ordered, (s for s, _ in ordered), profile)
    return FileScore(raw=raw, null=null, perfect=perfect, tp=tp, fp=fp, fn=fn)


@dataclass(frozen=True)
class CorpusScore:
    score: float
    raw: float
    null: float
    perfect: float
    tp: int
    fp: int
    fn: int
    files: int


def combine(scores: Iterable[FileScore]) -> CorpusScore:
    items = list(scores)
    raw = sum(s.raw for s in items)
    null = sum(s.null for s in items)
    perfect = sum(s.perfect for s in items)
    return CorpusScore(
        score=normalize(raw, null, perfect),
        raw=raw,
        null=null,
        perfect=perfect,
        tp=sum(s.tp for s in items),
        fp=sum(s.fp for s in items),
        fn=sum(s.fn for s in items),
        files=len(items),
    )


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


@dataclass
class LabelledSeries:
    """One NAB file: its rows and its windows as inclusive row ranges."""

    name: str
    timestamps: list[str]
    values: list[float]
    windows: list[tuple[int, int]] = field(default_factory=list)

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0] if "/" in self.name else ""


def windows_to_rows(
    times: Sequence[datetime], windows: Iterable[Sequence[str]]
) -> list[tuple[int, int]]:
    """Map [start, end] timestamps (inclusive) to the rows they cover; empty windows are dropped."""
    rows: list[tuple[int, int]] = []
    for start_text, end_text in windows:
        start, end = parse_time(start_text), parse_time(end_text)
        inside = [i for i, t in enumerate(times) if start <= t <= end]
        if inside:
            rows.append((inside[0], inside[-1]))
    return sorted(rows)


def load_series_csv(path: Path) -> tuple[list[str], list[float]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        stamps: list[str] = []
        values: list[float] = []
        for row in reader:
            stamps.append(row["timestamp"])
            values.append(float(row["value"]))
    return stamps, values


def load_corpus(root: Path, labels_file: str = "combined_windows.json") -> list[LabelledSeries]:
    """Every labelled file under root whose series is present, in label-file order."""
    with (root / labels_file).open(encoding="utf-8") as fh:
        labels: dict[str, list[list[str]]] = json.load(fh)
    corpus: list[LabelledSeries] = []
    for name, windows in labels.items():
        path = root / name
        if not path.is_file():
            continue
        stamps, values = load_series_csv(path)
        times = [parse_time(s) for s in stamps]
        corpus.append(LabelledSeries(name, stamps, values, windows_to_rows(times, windows)))
    return corpus
