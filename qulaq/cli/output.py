"""Output helpers shared by the commands: clean JSON on stdout, progress on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import orjson

from qulaq.errors import UserError
from qulaq.timefmt import iso


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date | time):  # a calendar day (an agency's valid_from): no zone
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value: Any) -> bytes:
    # datetimes go through `iso` (with an offset in Kazakhstan time), so orjson
    # must not serialise them natively; the option passes dates and times through too
    return orjson.dumps(
        value,
        default=_default,
        option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
    )


def emit_json(value: Any) -> None:
    sys.stdout.buffer.write(to_json(value) + b"\n")
    sys.stdout.flush()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass


@contextmanager
def progress_bar(*, total: int, unit: str, desc: str, enabled: bool = True) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    if not enabled or not sys.stderr.isatty() or total <= 0:
        yield _NoBar()
        return
    from tqdm import tqdm

    with tqdm(
        total=total, unit=unit, unit_scale=True, desc=desc, file=sys.stderr, leave=False
    ) as bar:
        yield bar


class ArgumentValueError(argparse.ArgumentTypeError):
    """What an argparse `type=` function raises for a bad value. argparse prints
    `str(exc)` after "argument --x:" as it is, so the message is said in the user's
    language when it is raised; `error` keeps the English and the catalogue key, for
    a caller that checks a setting from the config file with the same function."""

    def __init__(self, error: UserError) -> None:
        super().__init__(error.localized())
        self.error = error


def person(value: str) -> str:
    """An argparse type for a name that goes on record (who acted, who owns it)."""
    name = value.strip()
    if not name:
        raise ArgumentValueError(UserError.t("arg.empty_name"))
    return name


# the largest count or limit a command takes: far above any real one, and far below
# what a database's 64-bit INTEGER holds (SQLite refuses a larger LIMIT outright)
MAX_COUNT = 1_000_000_000


def positive_int(value: str) -> int:
    """An argparse type for a count or a limit: a whole number from 1 to MAX_COUNT."""
    try:
        n = int(value)
    except ValueError:
        # Python refuses to read a number of thousands of digits: too large, not "not a number"
        digits = value.strip().lstrip("+")
        if digits.isascii() and digits.isdigit():
            raise ArgumentValueError(
                UserError.t("arg.too_large", value=value.strip()[:20] + "…", most=MAX_COUNT)
            ) from None
        raise ArgumentValueError(UserError.t("arg.not_whole_number", value=value)) from None
    if n <= 0:
        raise ArgumentValueError(UserError.t("arg.not_positive_whole", value=value))
    if n > MAX_COUNT:
        raise ArgumentValueError(UserError.t("arg.too_large", value=value.strip(), most=MAX_COUNT))
    return n


def agency_shown(registry: Any, agency: str, lang: str) -> tuple[str, str]:
    """An agency's name in `lang`, and how a listing shows it: with its id, which is what
    --agency takes ("Акимат города Алматы [akimat-almaty]"; an unknown one by its id)."""
    name = str(registry.agency(agency).name(lang))
    return name, name if name == agency else f"{name} [{agency}]"


@dataclass(frozen=True)
class Column:
    """A column of a listing: aligned left (`<`) or right (`>`), at least `width` wide,
    `gap` spaces after the column before it."""

    align: str = "<"
    width: int = 0
    gap: int = 1


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[str]:
    """`rows` (the header first) as lines, each column as wide as its longest entry (at
    least its width), so no name loses its end and no row slips out of line; the last
    column is not padded."""
    widths = [max([col.width, *(len(row[i]) for row in rows)]) for i, col in enumerate(columns)]
    last = len(columns) - 1
    lines = []
    for row in rows:
        cells = []
        for i, (col, cell) in enumerate(zip(columns, row, strict=True)):
            text = cell if i == last and col.align == "<" else f"{cell:{col.align}{widths[i]}}"
            cells.append((" " * col.gap if i else "") + text)
        lines.append("".join(cells).rstrip())
    return lines
