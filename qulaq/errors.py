"""Errors a user can act on. The CLI prints their message as one line, no traceback."""

from __future__ import annotations

import errno


class UserError(Exception):
    """A problem with the user's input or set-up; `str(exc)` is a complete sentence."""

    exit_code = 2


class DiskFull(UserError):
    """The disk under QULAQ_HOME or the database's is full. What was acknowledged
    before (published to the bus, stored by a committed transaction) is intact."""

    exit_code = 75  # EX_TEMPFAIL: the same command works once there is space


_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
# SQLite's SQLITE_FULL; PostgreSQL's class 53100 disk_full
_FULL_MESSAGES = ("database or disk is full", "no space left on device", "could not extend file")


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc`, or an error it wraps, says a disk is full."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _NO_SPACE:
            return True
        if getattr(current, "sqlstate", None) == "53100":
            return True
        text = str(current).lower()
        if any(m in text for m in _FULL_MESSAGES):
            return True
        todo.extend([current.__cause__, current.__context__, getattr(current, "orig", None)])
    return False


def disk_full_detail(exc: BaseException) -> str:
    """The failing write in a few words, for the one-line message."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, OSError) and current.errno in _NO_SPACE:
            where = f" ({current.filename})" if current.filename else ""
            return f"{current.strerror or 'no space left on device'}{where}"
        inner = getattr(current, "orig", None) or current.__cause__ or current.__context__
        if inner is None:
            break
        current = inner
    text = str(current or exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
