"""`qulaq detect`'s file format: rows and timestamps as given, clear one-line errors."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from signals.detect_cli import OUTPUT_COLUMNS, detect_csv
from tests.fifo import fed


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == OUTPUT_COLUMNS
        return list(reader)


def test_round_trip_keeps_timestamps_and_values_as_written(tmp_path: Path) -> None:
    stamps = [f"2026-01-05 {h:02d}:{m:02d}:00" for h in range(10) for m in range(0, 60, 5)]
    stamps[3] = "2026-01-05T00:15:00+05:00"
    stamps[4] = "2026-01-05T00:20:00Z"
    stamps[5] = "2026-01-05T00:25:00.250000+05:00"
    values = ["10", "11.50", "9", "010", "12", " 8 "] + ["10"] * (len(stamps) - 6)
    values[100] = "500"
    body = "".join(f"{s},{v}\n" for s, v in zip(stamps, values, strict=True))
    src = _write(tmp_path / "in.csv", "timestamp,value\n" + body)
    out = tmp_path / "sub" / "out.csv"
    alerts = detect_csv(src, out)
    rows = _read(out)
    assert [r["timestamp"] for r in rows] == stamps
    assert [r["value"] for r in rows] == values
    assert all(0.0 <= float(r["anomaly_score"]) <= 1.0 for r in rows)
    assert {r["is_anomaly"] for r in rows} <= {"0", "1"}
    assert rows[100]["is_anomaly"] == "1"
    assert alerts == sum(r["is_anomaly"] == "1" for r in rows)


def test_columns_in_any_order_extra_columns_and_blank_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.csv",
        "Value,agency,Timestamp\n1,x,2026-01-05 00:00:00\n\n"
        "2,x,2026-01-05 00:05:00\n,x,2026-01-05 00:10:00\n",
    )
    out = tmp_path / "out.csv"
    detect_csv(src, out)
    rows = _read(out)
    assert [(r["timestamp"], r["value"]) for r in rows] == [
        ("2026-01-05 00:00:00", "1"),
        ("2026-01-05 00:05:00", "2"),
        ("2026-01-05 00:10:00", ""),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time,value\n2026-01-05 00:00:00,1\n", "missing column 'timestamp'"),
        ("timestamp,count\n2026-01-05 00:00:00,1\n", "missing column 'value'"),
        ("", "empty"),
        (
            "timestamp,value\n2026-01-05 00:00:00,1\n05/01/2026 10:00,2\n",
            "line 3: cannot parse timestamp",
        ),
        ("timestamp,value\n2026-01-05 00:00:00,many\n", "line 2: value 'many' is not a number"),
        ("timestamp,value\n2026-01-05 00:00:00\n", "line 2: expected at least 2 fields"),
    ],
)
def test_user_errors_are_one_line_value_errors(tmp_path: Path, text: str, message: str) -> None:
    src = _write(tmp_path / "in.csv", text)
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError, match=message) as info:
        detect_csv(src, out)
    assert "\n" not in str(info.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        detect_csv(tmp_path / "absent.csv", tmp_path / "out.csv")


@pytest.mark.parametrize("bad_line", [1, 2, 3, 302, 5000])
def test_a_file_that_is_not_utf8_names_the_line_of_the_bad_bytes(
    tmp_path: Path, bad_line: int
) -> None:
    """The CSV reader decodes ahead of the line it hands out: the message names the
    line with the bad bytes, as `qulaq sentiment predict` does, not the reader's."""
    lines = ["timestamp,value"] + [
        f"2026-01-05T{i // 60 % 24:02d}:{i % 60:02d}:00+05:00,{i % 7}" for i in range(6000)
    ]
    data = [line.encode() for line in lines]
    data[bad_line - 1] += b",caf\xe9"  # Latin-1, not UTF-8
    src = tmp_path / "series.csv"
    src.write_bytes(b"\xef\xbb\xbf" + b"\n".join(data) + b"\n")  # with a UTF-8 BOM
    with pytest.raises(ValueError) as info:
        detect_csv(src, tmp_path / "out.csv")
    assert str(info.value) == f"{src} is not UTF-8 text (line {bad_line}): save it as UTF-8 CSV"
    assert not (tmp_path / "out.csv").exists()


def test_a_utf16_file_is_not_utf8_at_its_first_line(tmp_path: Path) -> None:
    src = tmp_path / "series.csv"
    src.write_text("timestamp,value\n2026-01-05 00:00:00,1\n", encoding="utf-16")
    with pytest.raises(ValueError, match=r"is not UTF-8 text \(line 1\)"):
        detect_csv(src, tmp_path / "out.csv")


def _spike_csv(path: Path, early: str | None = None) -> Path:
    """Two hundred one-minute rows of 8 to 12, a spike of 80 at rows 150 to 159;
    `early` replaces the value of row 30 (file line 32)."""
    values = [str(8 + (i * 7) % 5) for i in range(200)]
    values[150:160] = ["80"] * 10
    if early is not None:
        values[30] = early
    rows = [
        f"2026-01-05T{10 + i // 60:02d}:{i % 60:02d}:00+05:00,{v}" for i, v in enumerate(values)
    ]
    return _write(path, "timestamp,value\n" + "\n".join(rows) + "\n")


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "Infinity", " -NaN "])
def test_a_value_that_is_not_finite_is_an_error_naming_its_line(tmp_path: Path, bad: str) -> None:
    src = _spike_csv(tmp_path / "in.csv", bad)
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError) as info:
        detect_csv(src, out)
    assert str(info.value) == f"{src}: line 32: value {bad!r} is not a finite number"
    assert not out.exists()


def test_a_huge_value_writes_no_nan_and_hides_no_later_spike(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    detect_csv(_spike_csv(tmp_path / "in.csv", "1e200"), out)
    rows = _read(out)
    assert all(r["anomaly_score"] != "nan" for r in rows)
    assert all(0.0 <= float(r["anomaly_score"]) <= 1.0 for r in rows)
    assert [i for i, r in enumerate(rows) if r["is_anomaly"] == "1"] == [30, 150]


@pytest.mark.timeout(60)  # reading a pipe twice would wait forever
def test_a_pipe_is_read_and_its_bad_bytes_named_by_line(tmp_path: Path) -> None:
    src = _spike_csv(tmp_path / "in.csv")
    fifo = tmp_path / "series.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out.csv"
    for data, error in ((src.read_bytes(), None), (src.read_bytes()[:100] + b"\xe9\n", 4)):
        with fed(fifo, data):
            if error is None:
                assert detect_csv(fifo, out) == 1
            else:
                with pytest.raises(ValueError, match=rf"not UTF-8 text \(line {error}\)"):
                    detect_csv(fifo, out)
    assert [r["is_anomaly"] for r in _read(out)].count("1") == 1


def test_dev_null_is_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="/dev/null: the file is empty"):
        detect_csv("/dev/null", tmp_path / "out.csv")
