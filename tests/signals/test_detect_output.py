"""`qulaq detect --output`: what the output path is stays what it was, and a failure
costs nothing the user had."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from qulaq.cli import main
from signals.detect_cli import detect_csv

SERIES = "timestamp,value\n2026-01-05 00:00:00,1\n2026-01-05 00:05:00,2\n"
EXPECTED = (
    "timestamp,value,anomaly_score,is_anomaly\n"
    "2026-01-05 00:00:00,1,0.000000,0\n"
    "2026-01-05 00:05:00,2,0.000000,0\n"
)


@pytest.fixture
def series(tmp_path: Path) -> Path:
    src = tmp_path / "in.csv"
    src.write_text(SERIES, encoding="utf-8")
    return src


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_bad_line_keeps_the_existing_output(tmp_path: Path, series: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    out.chmod(0o640)
    series.write_text(SERIES + "2026-01-05 00:10:00,many\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 4"):
        detect_csv(series, out)
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert _mode(out) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_an_existing_outputs_mode_is_kept(tmp_path: Path, series: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o664)
    detect_csv(series, out)
    assert out.read_text(encoding="utf-8") == EXPECTED
    assert _mode(out) == 0o664


def test_a_new_output_gets_the_mode_open_would_give(tmp_path: Path, series: Path) -> None:
    out = tmp_path / "out.csv"
    old_umask = os.umask(0o022)
    try:
        detect_csv(series, out)
    finally:
        os.umask(old_umask)
    assert _mode(out) == 0o644


def test_a_symlinked_output_writes_the_target_and_keeps_the_link(
    tmp_path: Path, series: Path
) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target.name)
    detect_csv(series, link)
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8") == EXPECTED


def test_a_fifo_is_written_not_replaced(tmp_path: Path, series: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, nothing waits
    try:
        detect_csv(series, fifo)
        got = b""
        while True:
            try:
                chunk = os.read(rfd, 4096)
            except BlockingIOError:
                break
            if not chunk:
                break
            got += chunk
    finally:
        os.close(rfd)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got.decode("utf-8") == EXPECTED


def test_an_unwritable_directory_is_a_one_line_user_error_naming_the_output(
    tmp_path: Path,
    series: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "shared"
    out_dir.mkdir()
    out = out_dir / "x.csv"
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and os.path.dirname(os.fspath(path)) == str(out_dir):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return int(real_open(path, flags, *args, **kwargs))

    monkeypatch.setattr(os, "open", refuse)
    assert main(["detect", "--input", str(series), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"qulaq: error: {out}: cannot write: Permission denied\n"


def test_a_full_disk_exits_75_and_keeps_the_old_output(
    tmp_path: Path,
    series: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["detect", "--input", str(series), "--output", str(out)]) == 75
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no space left" in err and str(out) in err
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_output_equal_to_input_is_refused_through_a_link_or_dotdot(
    tmp_path: Path, series: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(series.name)
    for out in (tmp_path / "sub" / ".." / "in.csv", link):
        assert main(["detect", "--input", str(series), "--output", str(out)]) == 2
        assert "must not be the --input file" in capsys.readouterr().err
    assert series.read_text(encoding="utf-8") == SERIES
