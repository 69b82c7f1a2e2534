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

from qulaq.errors import DiskFull, UserError, is_disk_full, os_reason
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
