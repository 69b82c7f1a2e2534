"""The working calendar an administrator points `playbooks.calendar` at: a mistake in
it is one line naming the file and the field, in the reader's language, and `qulaq run`
stops with exit code 2 before it processes anything (it used to be an "internal
error" with a traceback in the log, or a silently different calendar)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbooks.calendar import CalendarError, WorkCalendar, build_calendar
from qulaq.errors import UserError
from tests.conftest import qulaq

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


BAD: dict[str, tuple[dict[str, Any], str]] = {
    "zone": ({"timezone": "Asia/Almata"}, "timezone"),
    "weekend not a list": ({"weekend": "sat"}, "weekend"),
    "weekend day": ({"weekend": ["sat", "sundae"]}, "weekend"),
    "no working day": (
        {"weekend": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
        "weekend",
    ),
    "hours not a mapping": ({"working_hours": "09:00-18:00"}, "working_hours"),
    "start": ({"working_hours": {"start": "9 утра"}}, "working_hours.start"),
    "end before start": (
        {"working_hours": {"start": "18:00", "end": "09:00"}},
        "working_hours.end",
    ),
    "minutes past a day": ({"working_hours": {"end": 1500}}, "working_hours.end"),
    "break shape": ({"working_hours": {"breaks": ["13:00-14:00"]}}, "working_hours.breaks"),
    "break outside": ({"working_hours": {"breaks": [["08:00", "10:00"]]}}, "working_hours.breaks"),
    "holidays not a mapping": ({"holidays": ["01-01"]}, "holidays"),
    "annual not a list": ({"holidays": {"annual": "01-01"}}, "annual"),
    "annual entry": ({"holidays": {"annual": ["01-01"]}}, "holidays.annual[0]"),
    "month-day": ({"holidays": {"annual": [{"date": "02-30"}]}}, "holidays.annual[0].date"),
    "month-day words": ({"holidays": {"annual": [{"date": "1 May"}]}}, "holidays.annual[0].date"),
    "holiday name": (
        {"holidays": {"dated": [{"date": "2026-06-01", "name": ["Той"]}]}},
        "holidays.dated[0].name",
    ),
    "dated": ({"holidays": {"dated": [{"date": "2026-13-01"}]}}, "holidays.dated[0].date"),
    "day off": ({"days_off": ["2026-02-30"]}, "days_off"),
    "working day": ({"working_days": "2026-03-28"}, "working_days"),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_each_mistake_is_named_in_the_readers_language(case: str, lang: str) -> None:
    data, field = BAD[case]
    with pytest.raises(CalendarError) as caught:
        build_calendar(data, "cal.yaml")
    assert isinstance(caught.value, UserError)
    said = caught.value.localized(lang)
    assert said.startswith(f"cal.yaml: {field}: "), said
    assert "\n" not in said
    problem = said.split(": ", 2)[2]
    if lang == "en":
        assert not CYRILLIC.search(problem.replace("9 утра", "")), said
        assert str(caught.value) == said
    else:
        assert CYRILLIC.search(problem), said
        # the English prose stays out; YAML keys and the values as written stay in
        prose = {"must", "is", "not", "the", "working", "break", "list", "time", "zone"}
        prose |= {"mapping", "such", "write", "inside", "every", "week", "after", "day"}
        assert not set(re.findall(r"[a-z]+", problem)) & prose


def test_a_file_that_is_not_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text("weekend: [sat, sun\nworking_hours: {}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        WorkCalendar.load(path)
    assert re.search(r"cal\.yaml: (line|строка) \d+", caught.value.localized("ru")) or re.search(
        r"cal\.yaml: \d+-жол", caught.value.localized("kk")
    ), caught.value.localized("ru")


def test_an_empty_weekend_list_means_a_seven_day_week() -> None:
    """`weekend: []` used to fall back to Saturday and Sunday."""
    cal = build_calendar({"weekend": [], "holidays": {}})
    assert cal.is_working_day(date(2026, 3, 28))  # a Saturday


def test_a_holiday_on_29_february_and_a_name_in_one_language() -> None:
    cal = build_calendar(
        {"holidays": {"annual": [{"date": "02-29", "name": "Той", "moves": False}]}}
    )
    assert cal.holiday_name(date(2028, 2, 29), "kk") == "Той"
    assert cal.is_working_day(date(2027, 3, 1))  # 2027 has no 29 February


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_run_stops_in_one_line_before_processing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    cal = tmp_path / "cal.yaml"
    cal.write_text(yaml.safe_dump({"working_hours": {"start": "18:00", "end": "09:00"}}))
    config = tmp_path / "qulaq.yaml"
    config.write_text(yaml.safe_dump({"playbooks": {"calendar": str(cal)}}))
    monkeypatch.setenv("QULAQ_CONFIG", str(config))
    monkeypatch.setenv("QULAQ_LANG", lang)
    result = qulaq("run", "--until-idle", check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{cal}: working_hours.end: " in lines[0]
    assert "internal" not in lines[0] and "Traceback" not in result.stderr
