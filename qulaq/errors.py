"""Errors a user can act on. The CLI prints their message as one line, no traceback.

A `UserError` made with `UserError.t("key", **params)` carries a catalogue key
(see `qulaq.error_messages`): `str(exc)` is the English sentence, for logs and
for callers that match it, and `exc.localized()` the same sentence in the
user's language, which the command line prints. Parameters (file names, ids,
line numbers) go into the sentence as given; a `Phrase` parameter is translated
too, and so is a `UserError` parameter: a sentence of its own (what an inner check
found, a setting's problem) put into a larger one in the same language.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

from qulaq import error_messages as _catalogue  # noqa: F401  (registers the keys used here)
from qulaq.i18n import current_lang, t


@dataclass(frozen=True, slots=True)
class Phrase:
    """A parameter that is words, not data: `english` as it was said (an OS error's
    `strerror`), catalogue entry `key` in the other languages."""

    key: str
    english: str


class UserError(Exception):
    """A problem with the user's input or set-up; `str(exc)` is a complete sentence."""

    exit_code = 2
    key: str | None = None
    params: Mapping[str, object] = {}

    @classmethod
    def t(cls, key: str, /, **params: object) -> Self:
        """The error whose message is catalogue entry `key` filled with `params`."""
        exc = cls(_fill(key, "en", params))
        exc.key, exc.params = key, params
        return exc

    def localized(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the user's language); `str(self)` when the
        error was made from a plain English sentence."""
        if self.key is None:
            return str(self)
        return _fill(self.key, lang or current_lang(), self.params)


def _fill(key: str, lang: str, params: Mapping[str, object]) -> str:
    return t(key, lang, **{name: _said(value, lang) for name, value in params.items()})


def _said(value: object, lang: str) -> object:
    if isinstance(value, Phrase):
        return value.english if lang == "en" else t(value.key, lang)
    if isinstance(value, UserError):
        return value.localized(lang)
    return value


def say(key: str, /, lang: str | None = None, **params: object) -> str:
    """Catalogue entry `key` in `lang` (default: the user's language), with `Phrase`
    and `UserError` parameters said in that language too: for a message that is
    printed rather than raised."""
    return _fill(key, lang or current_lang(), params)


_ERRNO_PHRASES = {
    errno.ENOENT: "os.enoent",
    errno.EACCES: "os.eacces",
    errno.EPERM: "os.eperm",
    errno.ENOTDIR: "os.enotdir",
    errno.EISDIR: "os.eisdir",
    errno.EROFS: "os.erofs",
    errno.ENAMETOOLONG: "os.enametoolong",
    errno.EADDRINUSE: "os.eaddrinuse",
    errno.EADDRNOTAVAIL: "os.eaddrnotavail",
}


def os_reason(exc: OSError, *, lower: bool = False) -> Phrase | str:
    """Why a file operation failed, for a message: the common reasons translated,
    others as the system says them."""
    text = exc.strerror or str(exc) or type(exc).__name__
    if lower:
        text = text.lower()
    key = _ERRNO_PHRASES.get(exc.errno or 0)
    return Phrase(key, text) if key else text


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
