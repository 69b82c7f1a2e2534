from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sentiment import Analyzer
from sentiment.predict import OUTPUT_COLUMNS, predict_csv


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def test_keeps_rows_and_columns(tmp_path: Path, analyzer: Analyzer) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = [
        ["id", "comment", "label"],
        ["1", "Спасибо, отличная работа!", "x"],
        ["2", "Жол қашан жөнделеді?", "y"],
        ["3", "", "z"],
        ["4", 'многострочный\nкомментарий, «кавычки», "ещё"', "w"],
    ]
    _write(src, rows)
    assert predict_csv(src, "comment", out, analyzer=analyzer) == 4
    with out.open(encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    # an input column named like an output one is kept, renamed: `label` is the prediction
    assert got[0] == ["id", "comment", "label_input", *OUTPUT_COLUMNS]
    assert [r[:3] for r in got[1:]] == rows[1:]
    assert got[1][3] == "positive"
    assert got[2][7] == "kk"
    for r in got[1:]:
        assert abs(sum(float(r[i]) for i in (4, 5, 6)) - 1.0) < 1e-3


def test_bom_is_accepted(tmp_path: Path, analyzer: Analyzer) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, [["text"], ["Рахмет!"]], encoding="utf-8-sig")
    assert predict_csv(src, "text", out, analyzer=analyzer) == 1


def test_user_errors(tmp_path: Path, analyzer: Analyzer) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with pytest.raises(ValueError, match="not found"):
        predict_csv(tmp_path / "missing.csv", "text", out, analyzer=analyzer)
    _write(src, [["a", "b"], ["1", "2"]])
    with pytest.raises(ValueError, match="column 'text'"):
        predict_csv(src, "text", out, analyzer=analyzer)
    src.write_bytes("text\nплохо\n".encode("cp1251"))
    with pytest.raises(ValueError, match="UTF-8"):
        predict_csv(src, "text", out, analyzer=analyzer)
    src.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        predict_csv(src, "text", out, analyzer=analyzer)
