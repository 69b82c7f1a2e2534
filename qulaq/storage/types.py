"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# PostgreSQL text cannot hold NUL characters, which are valid in a comment.
# Such texts (and any text that happens to start with the marker) are stored
# escaped behind a private-use marker, so storage keeps every text whole.
_PG_MARK = "\ue000esc:"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a UTC offset")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LosslessText(TypeDecorator[str]):
    """Text stored whole on every backend, NUL characters included."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name != "postgresql":
            return value
        if "\x00" in value or value.startswith(_PG_MARK):
            return _PG_MARK + value.replace("\\", "\\\\").replace("\x00", "\\0")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or dialect.name != "postgresql" or not value.startswith(_PG_MARK):
            return value
        body = value[len(_PG_MARK) :]
        out: list[str] = []
        i = 0
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                out.append("\x00" if nxt == "0" else nxt)
                i += 2
            else:
                out.append(ch)
                i += 1
        return "".join(out)


def sqlite_text(value: datetime | None) -> str | None:
    """A time as `UTCDateTime` stores it on SQLite (UTC text, microseconds), for the
    insert paths that bypass SQLAlchemy's per-row type processing."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # as parsed events are: the text without its "+00:00"
        return value.isoformat(" ", "microseconds")[:26]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class SqliteTimes:
    """`sqlite_text` for the times of one batch: rows share their stored and
    updated times, and a comment's text time is its creation time, so each
    distinct time is formatted once."""

    __slots__ = ("_texts",)

    def __init__(self) -> None:
        self._texts: dict[datetime, str | None] = {}

    def __call__(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = sqlite_text(value)
        return text
