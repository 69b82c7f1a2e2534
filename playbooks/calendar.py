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
from zoneinfo import ZoneInfo

import yaml

UNITS = ("clock", "working_hours", "working_days", "calendar_days")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_CLOCK_RE = re.compile(
    r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?$"
)
_WORDS_RE = re.compile(
    r"^(\d+)\s+(working\s+days?|working\s+hours?|calendar\s+days?|days?|hours?|minutes?)$"
)


class CalendarError(ValueError):
    """A calendar file or an offset that cannot be read; one line."""


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


def _parse_hhmm(value: Any, where: str) -> time:
    if isinstance(value, int):  # YAML reads 09:00 unquoted as sexagesimal minutes
        return time(value // 60, value % 60)
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a time HH:MM") from None


def _parse_day(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


def _read_calendar(path: Path) -> WorkCalendar:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalendarError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CalendarError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise CalendarError(f"{path}: must be a mapping")
    return build_calendar(data, str(path))


def build_calendar(data: dict[str, Any], where: str = "calendar") -> WorkCalendar:
    tz = ZoneInfo(str(data.get("timezone") or "Asia/Almaty"))
    weekend = set()
    for name in data.get("weekend") or ["sat", "sun"]:
        if str(name).lower()[:3] not in _WEEKDAYS:
            raise CalendarError(f"{where}: weekend: {name!r} is not a weekday")
        weekend.add(_WEEKDAYS[str(name).lower()[:3]])
    wh = data.get("working_hours") or {}
    start = _parse_hhmm(wh.get("start", "09:00"), f"{where}: working_hours.start")
    end = _parse_hhmm(wh.get("end", "18:30"), f"{where}: working_hours.end")
    if end <= start:
        raise CalendarError(f"{where}: working_hours.end is not after start")
    cuts = sorted(
        (
            _parse_hhmm(a, f"{where}: working_hours.breaks"),
            _parse_hhmm(b, f"{where}: working_hours.breaks"),
        )
        for a, b in (wh.get("breaks") or [])
    )
    hours: list[tuple[time, time]] = []
    cursor = start
    for a, b in cuts:
        if not (start <= a < b <= end):
            raise CalendarError(f"{where}: a break must lie inside the working hours")
        if a > cursor:
            hours.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        hours.append((cursor, end))
    hol = data.get("holidays") or {}
    years = range(2000, 2100)
    holidays: dict[date, Holiday] = {}
    moving: list[date] = []
    for item in hol.get("annual") or []:
        mmdd = str(item.get("date", ""))
        try:
            month, day = (int(x) for x in mmdd.split("-"))
        except ValueError:
            raise CalendarError(f"{where}: holidays.annual: {mmdd!r} is not MM-DD") from None
        for y in years:
            d = date(y, month, day)
            holidays[d] = Holiday(d, dict(item.get("name") or {}))
            if item.get("moves", True):
                moving.append(d)
    for item in hol.get("dated") or []:
        d = _parse_day(item.get("date"), f"{where}: holidays.dated")
        holidays[d] = Holiday(d, dict(item.get("name") or {}))
        if item.get("moves", False):
            moving.append(d)
    days_off = {_parse_day(d, f"{where}: days_off") for d in data.get("days_off") or []}
    working = {_parse_day(d, f"{where}: working_days") for d in data.get("working_days") or []}
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
