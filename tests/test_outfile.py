"""`qulaq.outfile.replace_on_success`: the old output survives any failure, and what
the user's path is (a link, a FIFO, a file with shared permissions) stays what it was."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from qulaq.errors import DiskFull, UserError
from qulaq.outfile import replace_on_success


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_error_in_the_block_keeps_the_old_file_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    with pytest.raises(RuntimeError, match="bad line"), replace_on_success(out) as fh:
        fh.write("new, half written\n" * 10_000)
        raise RuntimeError("bad line")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert _mode(out) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_success_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o664)
    with replace_on_success(out) as fh:
        fh.write("new\n")
    assert out.read_text(encoding="utf-8") == "new\n"
    assert _mode(out) == 0o664
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path) -> None:
    out = tmp_path / "new.csv"
    old_umask = os.umask(0o027)
    try:
        with replace_on_success(out) as fh:
            fh.write("x\n")
    finally:
        os.umask(old_umask)
    assert _mode(out) == 0o666 & ~0o027


def test_a_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target.name)
    with replace_on_success(link) as fh:
        fh.write("new\n")
    assert link.is_symlink()
    assert os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    # a reader already there, so opening for writing does not wait; the text is
    # small enough for the pipe's buffer, so nothing has to read it meanwhile
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with replace_on_success(fifo) as fh:
            fh.write("a,b\n1,2\n")
        os.set_blocking(rfd, True)
        got = b""
        while chunk := os.read(rfd, 4096):
            got += chunk
    finally:
        os.close(rfd)
    assert got == b"a,b\n1,2\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo"]


def test_an_unwritable_directory_is_a_user_error_naming_the_users_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.csv"
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and os.path.dirname(os.fspath(path)) == str(tmp_path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return int(real_open(path, flags, *args, **kwargs))

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ValueError) as info, replace_on_success(out) as fh:
        fh.write("x\n")
    assert isinstance(info.value, UserError)
    assert str(info.value) == f"{out}: cannot write: Permission denied"
    assert not out.exists()


def test_a_directory_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is a directory"), replace_on_success(tmp_path):
        pass


def test_a_full_disk_is_reported_as_such_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as info, replace_on_success(out) as fh:
        fh.write("new\n")
    assert info.value.exit_code == 75
    assert str(out) in str(info.value) and "\n" not in str(info.value)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_dev_stdout_is_written_through_the_open_descriptor(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # not reopened: a reopen would truncate what the shell's `>>` or earlier output put there
    os.write(1, b"before\n")
    with replace_on_success("/dev/stdout") as fh:
        fh.write("a,b\n")
    assert capfd.readouterr().out == "before\na,b\n"
