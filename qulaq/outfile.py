"""Write a command's output file so that a failure never costs the user the old one.

``with replace_on_success(path) as fh: ...`` gives a text file to write. For a
regular file (or a new one) the text goes to a temporary file beside it, which
replaces the file only when the block ends without an exception; on an exception
the temporary file is removed and the old file is exactly as it was. The new file
keeps the old one's permission bits (and owner and group, where allowed); a new file gets
``0666 & ~umask``, as ``open()`` would give.

A symbolic link is followed: its target is written, the link stays. Something
that is not a regular file (a device such as /dev/null, a FIFO, /dev/stdout) and
anything under /dev or /proc is written in place, as ``open(path, "w")`` would;
/dev/stdout, /dev/stderr and /dev/fd/N are written through the descriptor the
process already has, so a shell's ``>> log`` still appends.

An ``OSError`` while creating, writing or renaming becomes a one-line
``OutputError`` (a ``UserError`` and a ``ValueError``) naming the path the user
gave; a full disk becomes ``DiskFull`` (exit 75), as elsewhere in qulaq.

Qulaq's own files are refused with such an error before anything is written,
however they are reached (a symbolic link, a hard link, /dev/stdout redirected
to one): the SQLite database (``QULAQ_DATABASE_URL``'s or the default one in
QULAQ_HOME) with its ``-wal``, ``-shm`` and ``-journal`` files, and, in
QULAQ_HOME, ``secrets.toml`` (the pseudonymisation key) and its lock and
temporary file, the lock files, the config file, ``corrections.jsonl``, the
logs, everything under ``bus/`` (the embedded bus) and ``telegram/`` (a
collector's session), and the config file in use. Any other file in QULAQ_HOME
is the user's to write.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from qulaq.errors import DiskFull, Phrase, UserError, is_disk_full, os_reason
from qulaq.i18n import t

_IN_PLACE_ROOTS = ("/dev/", "/proc/")
# names of a descriptor this process already has: written through it, at its offset,
# so that `--output /dev/stdout >> log` appends as the shell arranged
_OWN_FD = re.compile(r"/dev/(?:std(?P<std>out|err)|fd/(?P<fd>\d+))|/proc/self/fd/(?P<pfd>\d+)")


class OutputError(UserError, ValueError):
    """The output file cannot be written; the message is one line naming it."""


def output_error(shown: str, exc: OSError) -> UserError:
    """The one-line error for ``exc`` while writing the user's path ``shown``."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if is_disk_full(exc):
        return DiskFull(t("error.disk_full", detail=f"{reason}: {shown}"))
    return OutputError.t("output.cannot_write", path=shown, reason=os_reason(exc))


class _Output(io.TextIOWrapper):
    """A text file whose write errors name the user's path, not a temporary one."""

    shown = ""

    def write(self, s: str) -> int:
        try:
            return super().write(s)
        except OSError as exc:
            raise output_error(self.shown, exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise output_error(self.shown, exc) from None


def _wrap(fd: int, shown: str, encoding: str, newline: str | None) -> _Output:
    raw = io.FileIO(fd, "w", closefd=True)
    fh = _Output(
        io.BufferedWriter(raw), encoding=encoding, newline=newline, line_buffering=raw.isatty()
    )
    fh.shown = shown
    return fh


def _discard(fh: _Output) -> None:
    """Close ``fh`` after a failure; an error while doing so must not hide the first one."""
    with contextlib.suppress(Exception):
        fh.close()


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


_DATABASE = Phrase("state.database", "the database")
_LOCK = Phrase("state.lock", "a lock file")
_LOG = Phrase("state.log", "a log")
_CONFIG = Phrase("state.config", "the configuration file")
# files directly in QULAQ_HOME, by name
_SECRETS = Phrase("state.secrets", "the secrets file, with the pseudonymisation key")
_HOME_FILES = {
    "secrets.toml": _SECRETS,
    "secrets.lock": _LOCK,
    "secrets.tmp": _SECRETS,  # the secrets file while it is being rewritten
    "migrate.lock": _LOCK,
    "run.lock": _LOCK,
    "corrections.jsonl": Phrase("state.corrections", "the label corrections"),
    "qulaq.toml": _CONFIG,
    "qulaq.yaml": _CONFIG,
    "qulaq.yml": _CONFIG,
}
# folders in QULAQ_HOME that are qulaq's through and through
_HOME_DIRS = {
    "bus": Phrase("state.bus", "the embedded bus"),
    "telegram": Phrase("state.session", "a collector's session"),
}
_LOG_NAME = re.compile(r"qulaq\.log(?:\.\d+)?|notifications\.log")
_DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _sqlite_file(url: str) -> str | None:
    """The database file of SQLAlchemy URL ``url``, None when it is not a SQLite file."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url  # only for a URL given: detect need not load it

    try:
        database = make_url(url).database
    except Exception:  # a URL the database layer will refuse on its own, in its own words
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _state_files(home: Path) -> dict[str, Phrase]:
    """Qulaq's own single files, by real path: the database, the config file."""
    from qulaq import config  # here: it loads YAML, which only writing a file needs

    found: dict[str, Phrase] = {}
    options: dict[str, object] = {}
    with contextlib.suppress(Exception):  # a broken config is the commands' to report
        config_file = config._find_config(home, os.environ)
        if config_file is not None:
            found[os.path.realpath(config_file)] = _CONFIG
            options = config._load_file(config_file)
    url = os.environ.get("QULAQ_DATABASE_URL") or str(options.get("database_url") or "")
    databases = [str(home / "qulaq.db")]
    database = _sqlite_file(url.strip())
    if database:
        databases.append(database)
    for db in databases:
        for suffix in _DB_SUFFIXES:
            found[os.path.realpath(db + suffix)] = _DATABASE
    return found


def _own_file(path: str) -> Phrase | None:
    """What ``path`` is when it is one of qulaq's own files (see the module), else None.
    Paths are compared once every link is resolved, and files that exist by identity."""
    try:
        home = Path(os.environ.get("QULAQ_HOME") or ".qulaq").expanduser().resolve()
        real = os.path.realpath(path)
    except (OSError, RuntimeError):
        return None  # no QULAQ_HOME to protect, or a path the write itself will refuse
    own = _state_files(home)
    for name, what in _HOME_FILES.items():
        own[os.path.realpath(home / name)] = what
    logs = home / "logs"
    with contextlib.suppress(OSError):
        for entry in os.scandir(logs):
            if _LOG_NAME.fullmatch(entry.name):
                own[os.path.realpath(entry.path)] = _LOG
    for name in ("qulaq.log", "notifications.log"):
        own[os.path.realpath(logs / name)] = _LOG
    if real in own:
        return own[real]
    for name, what in _HOME_DIRS.items():
        inside = os.path.realpath(home / name)
        if real.startswith(inside + os.sep):
            return what
    try:
        st = os.stat(path)
    except OSError:
        return None  # a new file: none of the above by name is none of them at all
    if not stat.S_ISREG(st.st_mode):
        return None
    for candidate, what in own.items():  # a hard link, or a mount of the same file
        with contextlib.suppress(OSError):
            other = os.stat(candidate)
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                return what
    return None


def _refuse_own(shown: str) -> None:
    what = _own_file(shown)
    if what is not None:
        raise OutputError.t("output.is_state", path=shown, what=what)


def _in_place(path: str) -> bool:
    """Whether ``path`` must be written where it is rather than replaced."""
    if os.path.abspath(path).startswith(_IN_PLACE_ROOTS):
        return True
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False  # a new file, or a link to one not made yet
    return not stat.S_ISREG(st.st_mode)


def _open_in_place(path: str) -> int:
    own = _OWN_FD.fullmatch(os.path.abspath(path))
    if own is None:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    std = own["std"]
    fd = (1 if std == "out" else 2) if std else int(own["fd"] or own["pfd"])
    return os.dup(fd)


def _create_beside(target: str) -> tuple[int, str]:
    """A new, empty file in ``target``'s directory, mode 0666 & ~umask."""
    directory, name = os.path.split(target)
    for _ in range(100):
        tmp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _keep_mode(tmp: str, target: str) -> None:
    """Give ``tmp`` the permission bits (and, where allowed, the owner) of ``target``."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return  # a new file keeps the mode it was created with
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)  # root may
        except OSError:
            with contextlib.suppress(OSError):
                os.chown(tmp, -1, old.st_gid)  # a member of the group may
    os.chmod(tmp, stat.S_IMODE(old.st_mode))  # after chown, which may clear set-id bits


@contextlib.contextmanager
def replace_on_success(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[TextIO]:
    """A text file for ``path`` that replaces it only if the block succeeds (see the module)."""
    shown = os.fspath(path)
    _refuse_own(shown)
    if _in_place(shown):
        if Path(shown).is_dir():
            raise OutputError.t("output.is_dir", path=shown)
        try:
            fd = _open_in_place(shown)
        except OSError as exc:
            raise output_error(shown, exc) from None
        fh = _wrap(fd, shown, encoding, newline)
        try:
            yield fh
        except BaseException:
            _discard(fh)
            raise
        try:
            fh.close()
        except OSError as exc:
            raise output_error(shown, exc) from None
        return

    target = os.path.realpath(shown)  # write through a symlink, keep the link
    if Path(target).is_dir():
        raise OutputError.t("output.is_dir", path=shown)
    try:
        fd, tmp = _create_beside(target)
    except OSError as exc:
        raise output_error(shown, exc) from None
    fh = _wrap(fd, shown, encoding, newline)
    try:
        yield fh
    except BaseException:  # the caller's error: keep the old file, pass the error on
        _discard(fh)
        _remove(tmp)
        raise
    try:
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        _keep_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException as exc:
        _discard(fh)
        _remove(tmp)
        if isinstance(exc, OSError):
            raise output_error(shown, exc) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where possible
        dir_fd = os.open(os.path.dirname(target) or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
