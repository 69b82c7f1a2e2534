"""How the alerts page orders and dates what it shows (no Streamlit needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from dashboard import feeds
from dashboard.messages import tr
from dashboard.views.alerts import expected_text, incidents_as_shown, summary
from qulaq.alerts import Alert
from qulaq.i18n import LANGS
from signals.monitor import AgencyMonitor

T0 = datetime(2026, 3, 20, 4, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_alerts_as_they_stood_at_a_moment() -> None:
    rows = [
        {"id": "a", "severity": 1, "status": "open", "raised_at": T0, "closed_at": None},
        {
            "id": "b",
            "severity": 4,
            "status": "closed",
            "raised_at": T0 + H,
            "closed_at": T0 + 9 * H,
        },
        {"id": "c", "severity": 3, "status": "closed", "raised_at": T0, "closed_at": T0 + 2 * H},
        {"id": "d", "severity": 4, "status": "open", "raised_at": T0 + 5 * H, "closed_at": None},
    ]
    shown = feeds.as_of(rows, T0 + 3 * H)
    assert [r["id"] for r in shown] == ["b", "a", "c"]  # d not raised yet; open ones first
    assert [r["status"] for r in shown] == ["open", "open", "closed"]
    assert rows[1]["status"] == "closed"  # the stored rows are left as they are


def test_incidents_most_severe_and_newest_first_resolved_on_request() -> None:
    def inc(key: str, severity: int, opened: datetime, **more: object) -> dict[str, object]:
        return {"id": key, "severity": severity, "opened_at": opened, "status": "open", **more}

    rows = [
        inc("old-s4", 4, T0),
        inc("s1", 1, T0 + 2 * H),
        inc("new-s4", 4, T0 + 3 * H),
        inc("done", 4, T0 + H, status="resolved", resolved_at=T0 + 4 * H),
    ]
    now = incidents_as_shown(rows, T0 + 10 * H, pinned=False, show_closed=False)
    assert [r["id"] for r in now] == ["new-s4", "old-s4", "s1"]
    everything = incidents_as_shown(rows, T0 + 10 * H, pinned=False, show_closed=True)
    assert [r["id"] for r in everything][-1] == "done"
    # At a chosen moment the incident resolved later was still open, and later ones not yet.
    then = incidents_as_shown(rows, T0 + 2.5 * H, pinned=True, show_closed=False)
    assert [r["id"] for r in then] == ["done", "old-s4", "s1"]
    assert then[0]["status"] == "open"


def test_no_expected_figure_before_an_agency_has_a_usual_day() -> None:
    def shown(history: list[list[float]]) -> str:
        m = AgencyMonitor("akimat-x")
        m.daily_hist = history
        alert = next(
            c.alert for c in m.daily(T0.timestamp(), 200, 40, 3) if c.alert.kind == "backlog"
        )
        body = orjson.loads(alert.to_json())
        return expected_text({"expected": alert.expected}, body)

    assert shown([]) == "—"  # its first week: the stage had nothing to expect from
    assert shown([[10.0, 1.0]] * 7) == "170.0"  # 200 overdue, 40 of them new against 10
    assert expected_text({"expected": 4.0}, None) == "4.0"  # an alert without its body


def _reader(lang: str) -> Any:
    """What `summary` needs of a page's view: the reader's language and agency names."""
    return SimpleNamespace(
        lang=lang,
        t=lambda key, **params: tr(key, lang, **params),
        name=lambda agency: f"[{agency}]",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_an_alerts_topics_and_platform_read_in_the_readers_language(lang: str) -> None:
    alert = Alert(
        id="al-1",
        agency="akimat-x",
        kind="volume_spike",
        severity=4,
        status="open",
        raised_at=T0,
        updated_at=T0,
        window_start=T0 - H,
        window_end=T0,
        observed=500.0,
        expected=80.0,
        negative_share=0.6,
        summary="",
        platform="vk",
        topics=["housing_utilities", "roads_transport"],
    )
    body = orjson.loads(alert.to_json())
    said = summary(_reader(lang), {"agency": "akimat-x"}, body)
    assert "housing_utilities" not in said and "roads_transport" not in said, said
    assert tr("topic.housing_utilities", lang) in said, said
    assert tr("platform.vk", lang) in said, said
    # the same for an alert about one topic
    one = summary(
        _reader(lang),
        {"agency": "akimat-x"},
        {**body, "kind": "topic_burst", "topic": "social_payments"},
    )
    assert "social_payments" not in one and tr("topic.social_payments", lang) in one, one
