"""`qulaq sentiment predict`: a bad input never costs the existing output, errors
name the line, and ragged rows never put the analysis under the wrong column."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

import sentiment.predict
from qulaq.cli import main
from sentiment import Analyzer
from sentiment.predict import OUTPUT_COLUMNS, predict_csv
from tests.fifo import fed

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


def test_input_columns_named_like_the_analysis_are_renamed_and_said_so(
    tmp_path: Path, analyzer: Analyzer, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(
        "id,text,label,label_pred,label_input,lang\n1,Спасибо!,gold,p,i,ru\n", encoding="utf-8"
    )
    assert predict_csv(src, "text", out, analyzer=analyzer) == 1
    got = _read(out)
    header = ["id", "text", "label_input2", "label_pred", "label_input", "lang_input"]
    assert got[0] == [*header, *OUTPUT_COLUMNS]
    assert len(set(got[0])) == len(got[0])
    assert got[1][:6] == ["1", "Спасибо!", "gold", "p", "i", "ru"]
    assert got[1][6] == "positive"  # `label` is the prediction, as the CONTRACT says
    assert capsys.readouterr().err.splitlines() == [
        "qulaq: in.csv: input column 'label' is written as 'label_input2': the output's "
        "'label' is qulaq's analysis",
        "qulaq: in.csv: input column 'lang' is written as 'lang_input': the output's "
        "'lang' is qulaq's analysis",
    ]


@pytest.mark.parametrize(
    ("header", "column"), [("id,text,text", "text"), ("id,id,text", "id"), ("a,text,a", "a")]
)
def test_a_header_naming_a_column_twice_is_refused(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], header: str, column: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f"{header}\n1,a,b\n", encoding="utf-8")
    argv = ["sentiment", "predict", "--input", str(src), "--text-column", "text"]
    assert main([*argv, "--output", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"qulaq: error: in.csv: the header names column {column!r} twice; give each column "
        "its own name\n"
    )
    _kept(out)


def test_unnamed_columns_may_repeat(tmp_path: Path, analyzer: Analyzer) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("text,,\nСпасибо!,,\n", encoding="utf-8")
    assert predict_csv(src, "text", out, analyzer=analyzer) == 1
    assert _read(out)[0] == ["text", "", "", *OUTPUT_COLUMNS]


@pytest.mark.timeout(60)  # reading a pipe twice would wait forever
def test_a_pipe_is_read(tmp_path: Path, analyzer: Analyzer) -> None:
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out.csv"
    data = 'id,text\r\n1,Спасибо!\r\n2,"две\rстроки"\r\n'.encode("utf-8-sig")
    with fed(fifo, data):
        assert predict_csv(fifo, "text", out, analyzer=analyzer) == 2
    got = _read(out)
    assert [r[:2] for r in got] == [["id", "text"], ["1", "Спасибо!"], ["2", "две\rстроки"]]


def test_dev_null_is_an_empty_input_not_a_missing_one(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sentiment", "predict", "--input", "/dev/null", "--text-column", "text"]
    assert main([*argv, "--output", str(out)]) == 2
    assert capsys.readouterr().err == "qulaq: error: input file is empty: /dev/null\n"
    _kept(out)


def test_a_directory_is_said_to_be_one(tmp_path: Path, out: Path, analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="is a directory, not a CSV file"):
        predict_csv(tmp_path, "text", out, analyzer=analyzer)
    _kept(out)
