from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from playbooks.calendar import CalendarError, Offset, WorkCalendar, build_calendar

ALMATY = ZoneInfo("Asia/Almaty")
CAL = WorkCalendar.load()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-03-20", True),  # Friday
        ("2026-03-21", False),  # Nauryz, Saturday
        ("2026-03-23", False),  # Nauryz, Monday
        ("2026-03-24", False),  # the Saturday holiday's day off moves here
        ("2026-03-25", False),  # the Sunday holiday's day off moves here
        ("2026-03-26", True),
        ("2026-03-09", True),  # 8 March 2026 is a Sunday: the day off moves to Monday...
        ("2026-05-27", False),  # Kurban Ait 2026
        ("2026-01-07", False),  # Orthodox Christmas
        ("2026-12-16", False),
    ],
)
def test_working_days(day: str, working: bool) -> None:
    d = date.fromisoformat(day)
    if day == "2026-03-09":
        assert not CAL.is_working_day(d)  # ...so it is not a working day
        return
    assert CAL.is_working_day(d) is working


@pytest.mark.parametrize(
    ("start", "offset", "due"),
    [
        ("2026-03-20T07:10", "15m", "2026-03-20T07:25"),
        ("2026-03-20T07:10", "1h", "2026-03-20T08:10"),
        ("2026-03-20T07:10", "30s", "2026-03-20T07:10:30"),
        ("2026-03-20T07:10", "24h", "2026-03-21T07:10"),
        # working days end at the close of business of the N-th next working day
        ("2026-03-20T07:10", "1 working day", "2026-03-26T18:30"),
        ("2026-03-16T10:00", "1 working day", "2026-03-17T18:30"),
        ("2026-03-16T10:00", "3 working days", "2026-03-19T18:30"),
        ("2026-03-16T10:00", "15 calendar days", "2026-03-31T10:00"),
        # working hours skip the night, the lunch break and the weekend
        ("2026-03-20T07:10", "2 working hours", "2026-03-20T11:00"),
        ("2026-03-16T12:00", "2 working hours", "2026-03-16T15:30"),
        ("2026-03-20T17:30", "2 working hours", "2026-03-26T10:00"),
    ],
)
def test_add(start: str, offset: str, due: str) -> None:
    assert CAL.add(at(start), Offset.parse(offset)) == at(due)


def test_next_working_time() -> None:
    assert CAL.next_working_time(at("2026-03-20T07:10")) == at("2026-03-20T09:00")
    assert CAL.next_working_time(at("2026-03-20T13:30")) == at("2026-03-20T14:30")
    assert CAL.next_working_time(at("2026-03-20T11:00")) == at("2026-03-20T11:00")
    assert CAL.next_working_time(at("2026-03-20T19:00")) == at("2026-03-26T09:00")


@pytest.mark.parametrize("bad", ["soon", "15 parsecs", "-5m", "", None, "1.5h"])
def test_bad_offsets_say_what_to_write(bad: object) -> None:
    with pytest.raises(CalendarError, match="15m"):
        Offset.parse(bad)


def test_decreed_transfers_win() -> None:
    cal = build_calendar(
        {
            "days_off": ["2026-03-27"],
            "working_days": ["2026-03-28"],
            "holidays": {"annual": [], "dated": []},
        }
    )
    assert not cal.is_working_day(date(2026, 3, 27))
    assert cal.is_working_day(date(2026, 3, 28))
    # this calendar names no lunch break: 09:00–18:30 is all working time
    assert cal.working_minutes_between(at("2026-03-28T09:00"), at("2026-03-28T18:30")) == 570
