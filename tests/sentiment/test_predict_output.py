"""`qulaq sentiment predict`: a bad input never costs the existing output, errors
name the line, and ragged rows never put the analysis under the wrong column."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

import sentiment.predict
from qulaq.cli import main
from sentiment import Analyzer
from sentiment.predict import OUTPUT_COLUMNS, predict_csv

OLD = b"a,b\r\n1,2\r\n"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    path = tmp_path / "results.csv"
    path.write_bytes(OLD)
    path.chmod(0o640)
    return path


def _kept(out: Path) -> None:
    assert out.read_bytes() == OLD
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_a_missing_column_leaves_the_output_alone(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,hello\n", encoding="utf-8")
    argv = ["sentiment", "predict", "--input", str(src), "--text-column", "body"]
    assert main([*argv, "--output", str(out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    _kept(out)


def test_a_cp1251_file_leaves_the_output_alone(
    tmp_path: Path, out: Path, analyzer: Analyzer
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes("text\nплохо\n".encode("cp1251"))
    with pytest.raises(ValueError, match=r"not UTF-8.*\(line 2\)"):
        predict_csv(src, "text", out, analyzer=analyzer)
    _kept(out)


def test_a_bad_line_after_many_good_ones_is_named_and_the_output_kept(
    tmp_path: Path, out: Path, analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # far past the text reader's first chunk, and past several written batches
    monkeypatch.setattr(sentiment.predict, "BATCH", 50)
    good = "".join(f"{i},Спасибо за быструю и хорошую работу номер {i}\n" for i in range(300))
    src = tmp_path / "in.csv"
    src.write_bytes(
        ("id,text\n" + good).encode("utf-8")
        + "300,плохо\n".encode("cp1251")
        + "301,хорошо\n".encode()
    )
    assert src.stat().st_size > 3 * 8192
    with pytest.raises(ValueError) as info:
        predict_csv(src, "text", out, analyzer=analyzer)
    assert str(info.value) == "in.csv is not UTF-8 text (line 302): save it as UTF-8 CSV"
    _kept(out)


def test_a_row_with_more_fields_than_the_header_is_an_error_naming_its_line(
    tmp_path: Path, out: Path, analyzer: Analyzer
) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"two\nlines"\n\n2,ok\n3,a,b,c\n4,fine\n', encoding="utf-8")
    with pytest.raises(ValueError) as info:
        predict_csv(src, "text", out, analyzer=analyzer)
    assert str(info.value) == (
        "in.csv: line 6 has 4 fields, the header has 2: quote values that contain commas"
    )
    _kept(out)


def test_short_rows_are_padded_and_empty_extra_fields_dropped(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(
        "id,text,source\n1,Спасибо!,tg\n2,Спасибо!\n3\n4,Спасибо!,tg,,\n\n", encoding="utf-8"
    )
    assert predict_csv(src, "text", out, analyzer=analyzer) == 4
    got = _read(out)
    assert got[0] == ["id", "text", "source", *OUTPUT_COLUMNS]
    assert [r[:3] for r in got[1:]] == [
        ["1", "Спасибо!", "tg"],
        ["2", "Спасибо!", ""],
        ["3", "", ""],
        ["4", "Спасибо!", "tg"],
    ]
    assert all(len(r) == len(got[0]) for r in got[1:])
    labels = [r[3] for r in got[1:]]
    assert labels[0] == labels[1] == labels[3] == "positive"
    assert labels[2] in ("positive", "neutral", "negative")


def test_success_keeps_the_outputs_mode(tmp_path: Path, out: Path, analyzer: Analyzer) -> None:
    src = tmp_path / "in.csv"
    src.write_text("text\nСпасибо!\n", encoding="utf-8")
    assert predict_csv(src, "text", out, analyzer=analyzer) == 1
    assert _read(out)[0] == ["text", *OUTPUT_COLUMNS]
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
