"""How the alerts page orders and dates what it shows (no Streamlit needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dashboard import feeds
from dashboard.views.alerts import incidents_as_shown

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
