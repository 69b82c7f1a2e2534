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


# -- qulaq's own files are never an output --------------------------------------


def _state_home(home: Path) -> dict[str, bytes]:
    """A QULAQ_HOME as a run leaves it (database, bus, logs, secrets, locks)."""
    files = {
        "qulaq.db": b"SQLite format 3\x00",
        "qulaq.db-wal": b"wal",
        "qulaq.db-shm": b"shm",
        "secrets.toml": b'pseudonym_key = "k"\n',
        "secrets.lock": b"",
        "migrate.lock": b"",
        "run.lock": b"123",
        "corrections.jsonl": b"{}\n",
        "qulaq.toml": b'bus = "embedded"\n',
        "bus/qulaq.raw/log": b"records",
        "bus/qulaq.raw/committed": b"\x00" * 8,
        "logs/qulaq.log": b"line\n",
        "logs/qulaq.log.1": b"older\n",
        "logs/notifications.log": b"sent\n",
        "telegram/qulaq.session": b"session",
    }
    for name, data in files.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_bytes(data)
    return files


def _refused(path: Path | str, what: str) -> None:
    with pytest.raises(UserError) as info, replace_on_success(path) as fh:
        fh.write("timestamp,value\n")
    assert str(info.value) == (
        f"{path} is one of qulaq's own files ({what}); writing there would destroy it: "
        "choose another output file"
    )


OWN = {
    "qulaq.db": "the database",
    "qulaq.db-wal": "the database",
    "qulaq.db-shm": "the database",
    "qulaq.db-journal": "the database",  # not there now, read by SQLite if it appears
    "secrets.toml": "the secrets file, with the pseudonymisation key",
    "secrets.tmp": "the secrets file, with the pseudonymisation key",
    "secrets.lock": "a lock file",
    "run.lock": "a lock file",
    "migrate.lock": "a lock file",
    "corrections.jsonl": "the label corrections",
    "qulaq.toml": "the configuration file",
    "bus/qulaq.raw/log": "the embedded bus",
    "bus/qulaq.raw/new": "the embedded bus",
    "logs/qulaq.log": "a log",
    "logs/qulaq.log.1": "a log",
    "logs/notifications.log": "a log",
    "telegram/qulaq.session": "a collector's session",
}


@pytest.mark.parametrize("name", list(OWN))
def test_qulaqs_own_files_are_refused_and_kept(home: Path, name: str) -> None:
    files = _state_home(home)
    _refused(home / name, OWN[name])
    for kept, data in files.items():
        assert (home / kept).read_bytes() == data
    assert not (home / "qulaq.db-journal").exists()


def test_they_are_refused_through_a_link_a_hard_link_or_dotdot(home: Path, tmp_path: Path) -> None:
    _state_home(home)
    link = tmp_path / "report.csv"
    link.symlink_to(home / "secrets.toml")
    _refused(link, OWN["secrets.toml"])
    hard = tmp_path / "copy.db"
    os.link(home / "qulaq.db", hard)
    _refused(hard, "the database")
    dotdot = f"{home}/logs/../qulaq.db"
    _refused(dotdot, "the database")
    _refused(os.path.relpath(home / "run.lock"), "a lock file")
    assert (home / "secrets.toml").read_bytes() == b'pseudonym_key = "k"\n'


def test_the_database_of_qulaq_database_url_is_refused(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "elsewhere" / "live.db"
    db.parent.mkdir()
    db.write_bytes(b"SQLite format 3\x00")
    monkeypatch.setenv("QULAQ_DATABASE_URL", f"sqlite:///{db}")
    _refused(db, "the database")
    _refused(f"{db}-wal", "the database")
    monkeypatch.delenv("QULAQ_DATABASE_URL")
    config = tmp_path / "settings.toml"
    config.write_text(f'database_url = "sqlite:///{db}"\n', encoding="utf-8")
    monkeypatch.setenv("QULAQ_CONFIG", str(config))
    _refused(db, "the database")
    _refused(config, "the configuration file")


def test_other_files_in_qulaq_home_are_the_users(home: Path) -> None:
    _state_home(home)
    for name in ("report.csv", "qulaq.db.csv", "logs/my-report.csv", "secrets.toml.bak"):
        with replace_on_success(home / name) as fh:
            fh.write("x\n")
        assert (home / name).read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("sentiment", "predict", "--input", "in.csv", "--text-column", "text", "--output"),
        ("detect", "--input", "in.csv", "--output"),
    ],
)
@pytest.mark.parametrize("name", ["qulaq.db", "secrets.toml"])
def test_the_commands_refuse_to_overwrite_the_database_or_the_secrets(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    name: str,
) -> None:
    from qulaq.cli import main

    monkeypatch.setenv("QULAQ_BUS", "embedded")
    (tmp_path / "in.csv").write_text(
        "timestamp,value,text\n2026-01-05T10:00:00+05:00,1,Спасибо\n", encoding="utf-8"
    )
    assert main(["stats", "--json"]) == 0  # a real home: database, secrets
    capsys.readouterr()
    target = home / name
    if not target.exists():
        target.write_text('pseudonym_key = "k"\n', encoding="utf-8")
    before = target.read_bytes()
    assert main([*argv, str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"qulaq: error: {target} is one of qulaq's own files (")
    assert err.count("\n") == 1
    assert target.read_bytes() == before
    assert main(["stats", "--json"]) == 0
