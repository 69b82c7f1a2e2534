"""Deadlines in Kazakhstan time: clock offsets, working hours and working days.

A playbook writes a due time as an offset from the start of its run:
``15m``, ``1h``, ``24h``, ``2 working hours``, ``3 working days``,
``15 calendar days``. Clock offsets are exact; working hours count only the
office hours of working days; N working days end when the N-th working day
after the start's own day closes (a comment received on Monday at 10:00 and
due in 1 working day is due on Tuesday at the close of business).

The calendar (weekends, public holidays, the days off that move when a
holiday falls on a weekend, decreed transfers) is data: ``data/calendar.yaml``,
or the file the ``playbooks.calendar`` option names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qulaq.errors import Phrase, UserError

UNITS = ("clock", "working_hours", "working_days", "calendar_days")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK_RE = re.compile(
    r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?$"
)
_WORDS_RE = re.compile(
    r"^(\d+)\s+(working\s+days?|working\s+hours?|calendar\s+days?|days?|hours?|minutes?)$"
)


class CalendarError(ValueError, UserError):
    """A calendar file or an offset that cannot be read; one line, in the reader's
    language for a calendar file (`str(exc)` is the English one)."""


def _fail(source: str, where: str | Phrase, key: str, /, **params: object) -> CalendarError:
    """The calendar file `source` refused at field `where`: entry `key` with `params`."""
    from playbooks import messages  # noqa: F401  (registers the keys; it imports this module)

    return CalendarError.t(
        "pb.file.at", source=source, where=where, problem=UserError.t(key, **params)
    )


@dataclass(frozen=True, slots=True)
class Offset:
    """How far after a start a step opens or falls due."""

    amount: int  # seconds for clock offsets, minutes for working hours, days otherwise
    unit: str = "clock"

    @classmethod
    def parse(cls, value: Any) -> Offset:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return cls(value * 60, "clock")  # bare numbers are minutes
        if not isinstance(value, str):
            raise CalendarError(f"{value!r} is not a duration like 15m, 2h, 3 working days")
        text = " ".join(value.strip().lower().split())
        if text in ("0", "now", "immediately"):
            return cls(0, "clock")
        m = _CLOCK_RE.match(text)
        if m and any(m.groups()):
            d, h, mins, secs = (int(g) if g else 0 for g in m.groups())
            return cls(((d * 24 + h) * 60 + mins) * 60 + secs, "clock")
        m = _WORDS_RE.match(text)
        if m:
            n, word = int(m.group(1)), m.group(2)
            if word.startswith("working day"):
                return cls(n, "working_days")
            if word.startswith("working hour"):
                return cls(n * 60, "working_hours")
            if word.startswith(("calendar day", "day")):
                return cls(n, "calendar_days")
            if word.startswith("hour"):
                return cls(n * 3600, "clock")
            return cls(n * 60, "clock")
        raise CalendarError(
            f"{value!r} is not a duration: write 15m, 1h30m, 24h, 2 working hours, "
            "3 working days or 15 calendar days"
        )

    def __str__(self) -> str:
        if self.unit == "working_days":
            return f"{self.amount} working day{'s' if self.amount != 1 else ''}"
        if self.unit == "calendar_days":
            return f"{self.amount} calendar day{'s' if self.amount != 1 else ''}"
        if self.unit == "working_hours":
            return f"{self.amount // 60} working hours"
        m, sec = divmod(self.amount, 60)
        h, m = divmod(m, 60)
        text = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{sec}s" if sec else "")
        return text or "0m"


@dataclass(frozen=True)
class Holiday:
    day: date
    name: dict[str, str]


@dataclass(frozen=True)
class WorkCalendar:
    tz: ZoneInfo
    weekend: frozenset[int]
    hours: tuple[tuple[time, time], ...]  # working intervals of a working day
    holidays: dict[date, Holiday]
    days_off: frozenset[date]  # moved and decreed days off
    working_days: frozenset[date]  # decreed working weekend days

    # -- loading ------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> WorkCalendar:
        if path is None:
            return _default_calendar()
        return _read_calendar(path)

    # -- days ---------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day in self.holidays:
            return False
        return day.weekday() not in self.weekend

    def holiday_name(self, day: date, lang: str = "ru") -> str | None:
        h = self.holidays.get(day)
        if h is None:
            return None
        return h.name.get(lang) or h.name.get("ru") or next(iter(h.name.values()))

    def next_working_day(self, day: date) -> date:
        d = day + timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(d):
                return d
            d += timedelta(days=1)
        raise CalendarError(f"no working day within a year after {day}")

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.tz)

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
            for a, b in self.hours
        ]

    def close_of_business(self, day: date) -> datetime:
        _start, end = self._intervals(day)[-1]
        return end.astimezone(UTC)

    # -- times --------------------------------------------------------------

    def in_working_hours(self, at: datetime) -> bool:
        loc = self.local(at)
        return any(a <= loc < b for a, b in self._intervals(loc.date()))

    def next_working_time(self, at: datetime) -> datetime:
        """`at` itself inside office hours, else the next opening."""
        loc = self.local(at)
        day = loc.date()
        for _ in range(400):
            for a, b in self._intervals(day):
                if loc < b:
                    return max(loc, a).astimezone(UTC)
            day += timedelta(days=1)
        raise CalendarError(f"no working time within a year after {at.isoformat()}")

    def add(self, start: datetime, offset: Offset) -> datetime:
        """The moment `offset` after `start`, in UTC."""
        start = start.astimezone(UTC)
        if offset.unit == "clock":
            return start + timedelta(seconds=offset.amount)
        if offset.unit == "calendar_days":
            loc = self.local(start)
            return (loc + timedelta(days=offset.amount)).astimezone(UTC)
        if offset.unit == "working_days":
            day = self.local(start).date()
            if offset.amount == 0:
                return self.close_of_business(
                    day if self.is_working_day(day) else self.next_working_day(day)
                )
            for _ in range(offset.amount):
                day = self.next_working_day(day)
            return self.close_of_business(day)
        return self._add_working_minutes(start, offset.amount)

    def _add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        left = timedelta(minutes=minutes)
        loc = self.local(start)
        day = loc.date()
        for _ in range(4000):
            for a, b in self._intervals(day):
                if loc >= b:
                    continue
                begin = max(loc, a)
                if begin + left <= b:
                    return (begin + left).astimezone(UTC)
                left -= b - begin
                loc = b
            day += timedelta(days=1)
        raise CalendarError("a working-hours offset runs past ten years")

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Office minutes in [start, end): how late a step was in working time."""
        if end <= start:
            return 0
        total = timedelta()
        day = self.local(start).date()
        last = self.local(end).date()
        while day <= last:
            for a, b in self._intervals(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


def _parse_hhmm(value: Any, source: str, where: str) -> time:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML reads 09:00 unquoted as sexagesimal minutes
        return time(*divmod(value, 60)) if 0 <= value < 24 * 60 else _no_time(value, source, where)
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return _no_time(value, source, where)


def _no_time(value: Any, source: str, where: str) -> time:
    raise _fail(source, where, "pb.cal.not_time", value=value)


def _parse_day(value: Any, source: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(source, where, "pb.cal.not_date", value=value) from None


def _read_calendar(path: Path) -> WorkCalendar:
    from playbooks.model import load_yaml

    data, _ = load_yaml(path)
    if not isinstance(data, dict):
        raise _fail(str(path), _WHOLE_FILE, "pb.file.not_mapping")
    return build_calendar(data, str(path))


_WHOLE_FILE = Phrase("pb.file.where_file", "file")


def _listed(data: dict[str, Any], key: str, source: str, default: list[Any]) -> list[Any]:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, list):
        raise _fail(source, key, "pb.cal.not_list")
    return value


def _section(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(source, key, "pb.file.not_mapping")
    return value


def _holiday_name(item: dict[str, Any], source: str, where: str) -> dict[str, str]:
    name = item.get("name")
    if name is None:
        return {}
    if isinstance(name, str):
        return {"kk": name, "ru": name, "en": name}
    if not isinstance(name, dict) or not all(isinstance(v, str) for v in name.values()):
        raise _fail(source, f"{where}.name", "pb.file.texts_not_mapping")
    return {str(k): v for k, v in name.items()}


def build_calendar(data: dict[str, Any], where: str = "calendar") -> WorkCalendar:
    """The calendar `data` describes (the content of a calendar file named `where`)."""
    src = where
    zone = str(data.get("timezone") or "Asia/Almaty")
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(src, "timezone", "pb.cal.bad_timezone", value=zone) from None
    weekend = set()
    for name in _listed(data, "weekend", src, ["sat", "sun"]):
        word = str(name).strip().lower()
        day = _WEEKDAYS[word[:3]] if word in (*_WEEKDAYS, *_WEEKDAY_NAMES) else None
        if day is None:
            raise _fail(src, "weekend", "pb.cal.not_weekday", value=name)
        weekend.add(day)
    if len(weekend) == 7:
        raise _fail(src, "weekend", "pb.cal.no_working_day")
    wh = _section(data, "working_hours", src)
    start = _parse_hhmm(wh.get("start", "09:00"), src, "working_hours.start")
    end = _parse_hhmm(wh.get("end", "18:30"), src, "working_hours.end")
    if end <= start:
        raise _fail(src, "working_hours.end", "pb.cal.end_not_after_start")
    cuts = []
    for pair in _listed(wh, "breaks", src, []):
        if not isinstance(pair, list) or len(pair) != 2:
            raise _fail(src, "working_hours.breaks", "pb.cal.not_break", value=pair)
        a = _parse_hhmm(pair[0], src, "working_hours.breaks")
        b = _parse_hhmm(pair[1], src, "working_hours.breaks")
        if not (start <= a < b <= end):
            raise _fail(src, "working_hours.breaks", "pb.cal.break_outside", value=pair)
        cuts.append((a, b))
    hours: list[tuple[time, time]] = []
    cursor = start
    for a, b in sorted(cuts):
        if a > cursor:
            hours.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        hours.append((cursor, end))
    hol = _section(data, "holidays", src)
    years = range(2000, 2100)
    holidays: dict[date, Holiday] = {}
    moving: list[date] = []
    for i, item in enumerate(_listed(hol, "annual", src, [])):
        at = f"holidays.annual[{i}]"
        if not isinstance(item, dict):
            raise _fail(src, at, "pb.cal.holiday_not_mapping")
        mmdd = str(item.get("date", ""))
        try:
            month, day = (int(x) for x in mmdd.split("-"))
            date(2000, month, day)  # a leap year: 02-29 is a date
        except ValueError:
            raise _fail(src, f"{at}.date", "pb.cal.not_month_day", value=mmdd) from None
        name = _holiday_name(item, src, at)
        for y in years:
            try:
                d = date(y, month, day)
            except ValueError:  # 29 February of a common year
                continue
            holidays[d] = Holiday(d, name)
            if item.get("moves", True):
                moving.append(d)
    for i, item in enumerate(_listed(hol, "dated", src, [])):
        at = f"holidays.dated[{i}]"
        if not isinstance(item, dict):
            raise _fail(src, at, "pb.cal.holiday_not_mapping")
        d = _parse_day(item.get("date"), src, f"{at}.date")
        holidays[d] = Holiday(d, _holiday_name(item, src, at))
        if item.get("moves", False):
            moving.append(d)
    days_off = {_parse_day(d, src, "days_off") for d in _listed(data, "days_off", src, [])}
    working = {_parse_day(d, src, "working_days") for d in _listed(data, "working_days", src, [])}
    # a holiday on a weekend moves the day off to the next working day after it
    moved: set[date] = set()
    for d in sorted(moving):
        if d.weekday() in weekend and d not in working:
            nxt = d + timedelta(days=1)
            while nxt.weekday() in weekend or nxt in holidays or nxt in moved or nxt in days_off:
                nxt += timedelta(days=1)
            moved.add(nxt)
    return WorkCalendar(
        tz=tz,
        weekend=frozenset(weekend),
        hours=tuple(hours),
        holidays=holidays,
        days_off=frozenset(days_off | moved),
        working_days=frozenset(working),
    )


@lru_cache(maxsize=1)
def _default_calendar() -> WorkCalendar:
    path = Path(str(resources.files("playbooks").joinpath("data", "calendar.yaml")))
    return _read_calendar(path)
