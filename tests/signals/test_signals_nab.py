"""The NAB-style scorer on tiny cases whose score follows from the definition."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from signals import nab

N = 1000  # probation: floor(0.15 * 1000) = 150 rows
WINDOW = (400, 499)  # 100 rows
LENGTH = WINDOW[1] - WINDOW[0] + 1


def sigma(y: float) -> float:
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def in_window_position(i: int) -> float:
    return -(WINDOW[1] - i + 1) / LENGTH


def test_probation_is_15_percent_capped_at_750() -> None:
    assert nab.probation_length(1000) == 150
    assert nab.probation_length(4032) == 604
    assert nab.probation_length(10000) == 750


def test_sigmoid_rewards_early_detection() -> None:
    assert nab.scaled_sigmoid(-1.0) == pytest.approx(2.0 / (1.0 + math.exp(-5.0)) - 1.0)
    assert nab.scaled_sigmoid(0.0) == 0.0
    assert nab.scaled_sigmoid(4.0) == -1.0
    assert nab.scaled_sigmoid(-1.0) > nab.scaled_sigmoid(-0.5) > nab.scaled_sigmoid(-0.1)


def test_null_and_perfect_detectors() -> None:
    null = nab.score_file(N, [WINDOW], [])
    assert null.raw == -1.0 and null.fn == 1 and null.normalized == 0.0
    perfect = nab.score_file(N, [WINDOW], [WINDOW[0]])
    assert perfect.raw == pytest.approx(sigma(-1.0))
    assert perfect.normalized == pytest.approx(100.0)


@pytest.mark.parametrize("at", [400, 450, 499])
def test_detection_inside_the_window(at: int) -> None:
    got = nab.score_file(N, [WINDOW], [at])
    expected_raw = sigma(in_window_position(at))
    assert got.raw == pytest.approx(expected_raw)
    assert got.normalized == pytest.approx(100.0 * (expected_raw + 1.0) / (sigma(-1.0) + 1.0))
    assert (got.tp, got.fp, got.fn) == (1, 0, 0)


def test_only_the_earliest_detection_in_a_window_counts() -> None:
    got = nab.score_file(N, [WINDOW], [480, 430, 470])
    assert got.raw == pytest.approx(sigma(in_window_position(430)))
    assert (got.tp, got.fp) == (1, 0)


def test_false_positives_before_and_after_a_window() -> None:
    before, after = 300, 549
    got = nab.score_file(N, [WINDOW], [before, after])
    y_after = (after - WINDOW[1]) / LENGTH
    expected = -0.11 + 0.11 * sigma(y_after) - 1.0  # the window itself is missed
    assert got.raw == pytest.approx(expected)
    assert (got.tp, got.fp, got.fn) == (0, 2, 1)
    far = nab.score_file(N, [WINDOW], [999])
    assert far.raw == pytest.approx(0.11 * sigma((999 - WINDOW[1]) / LENGTH) - 1.0)


def test_detections_in_probation_are_ignored() -> None:
    assert nab.score_file(N, [WINDOW], [10, 149]).raw == -1.0
    assert nab.score_file(N, [], [149]).fp == 0
    assert nab.score_file(N, [], [150]).raw == pytest.approx(-0.11)


def test_corpus_normalises_the_sums() -> None:
    a = nab.score_file(N, [WINDOW], [450])
    b = nab.score_file(N, [], [200, 300])
    combined = nab.combine([a, b])
    raw = sigma(in_window_position(450)) - 0.22
    assert combined.raw == pytest.approx(raw)
    assert combined.score == pytest.approx(100.0 * (raw + 1.0) / (sigma(-1.0) + 1.0))
    assert math.isnan(nab.combine([b]).score)


def test_profiles_change_the_weights() -> None:
    got = nab.score_file(N, [WINDOW], [300], nab.REWARD_LOW_FN)
    assert got.raw == pytest.approx(-0.11 - 2.0)


def test_load_corpus_maps_windows_to_rows(tmp_path: Path) -> None:
    start = datetime(2024, 1, 1)
    stamps = [(start + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(20)]
    folder = tmp_path / "realThing"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "timestamp,value\n" + "".join(f"{s},{i}\n" for i, s in enumerate(stamps)), encoding="utf-8"
    )
    labels = {
        "realThing/a.csv": [["2024-01-01 00:12:00.000000", "2024-01-01 00:30:00.000000"]],
        "realThing/absent.csv": [],
    }
    (tmp_path / "combined_windows.json").write_text(json.dumps(labels), encoding="utf-8")
    corpus = nab.load_corpus(tmp_path)
    assert [s.name for s in corpus] == ["realThing/a.csv"]
    assert corpus[0].category == "realThing"
    assert corpus[0].windows == [(3, 6)]
    assert corpus[0].values[:3] == [0.0, 1.0, 2.0]
