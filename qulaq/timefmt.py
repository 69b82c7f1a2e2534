"""Times shown to people and written in JSON: ISO 8601 with an offset.

Kazakhstan runs on one time zone, UTC+5, since 1 March 2024; `Asia/Almaty`
from the tz database knows the earlier history, so past events print with
the offset they had then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Almaty"


@lru_cache(maxsize=8)
def zone(name: str = DEFAULT_TZ) -> ZoneInfo:
    return ZoneInfo(name)


def iso(dt: datetime | None, tz: str = DEFAULT_TZ) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(zone(tz)).isoformat()


def local_text(dt: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time for a page or a report: Kazakhstan time, to the minute by default."""
    return dt.astimezone(zone()).strftime(fmt)


class TimeOutOfRange(ValueError):
    """A well-formed time that has no UTC or Kazakhstan-time form (near year 1 or 9999)."""


def parse_user_time(value: str) -> datetime:
    """A time given on the command line: ISO 8601; without an offset it is
    read in Kazakhstan time. Raises ValueError for text that is not a time, and
    its subclass TimeOutOfRange for one whose UTC or local form falls outside the
    years 1 to 9999 (9999-12-31T23:00-12:00 is year 10000 in UTC)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone())
    try:
        utc = dt.astimezone(UTC)
        utc.astimezone(zone())  # shown and grouped by day in Kazakhstan time
    except OverflowError:
        raise TimeOutOfRange(f"{value.strip()!r} is out of range") from None
    return utc
