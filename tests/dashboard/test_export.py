"""Managers' exports of playbook runs: late and skipped steps in CSV and PDF."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dashboard import export

T0 = datetime(2026, 3, 20, 2, 20, tzinfo=UTC)
RUN: dict[str, Any] = {
    "id": "run-1",
    "playbook": "utility_outage",
    "agency": "akimat-almaty",
    "status": "active",
    "started_at": T0,
    "steps": [
        {
            "id": "acknowledge",
            "role": "on_call",
            "status": "done",
            "due_at": T0 + timedelta(minutes=15),
            "done_at": T0 + timedelta(minutes=40),
        },
        {
            "id": "holding_statement",
            "role": "press_secretary",
            "status": "done",
            "due_at": T0 + timedelta(minutes=60),
            "done_at": T0 + timedelta(minutes=50),
        },
        {
            "id": "brief_head",
            "role": "press_secretary",
            "status": "skipped",
            "due_at": T0 + timedelta(hours=2),
            "done_at": None,
        },
        {
            "id": "official_statement",
            "role": "head",
            "status": "open",
            "due_at": T0 + timedelta(hours=3),
            "done_at": None,
        },
    ],
}


def test_late_minutes() -> None:
    at = T0 + timedelta(hours=4)
    late = {s["id"]: export.late_minutes(s, at) for s in RUN["steps"]}
    assert late == {
        "acknowledge": 25.0,
        "holding_statement": None,
        "brief_head": None,
        "official_statement": 60.0,
    }


def test_csv() -> None:
    body = export.runs_csv([RUN], T0 + timedelta(hours=4)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["step"] for r in rows] == [s["id"] for s in RUN["steps"]]
    assert rows[0]["late_minutes"] == "25.0" and rows[2]["status"] == "skipped"
    assert rows[0]["due_at"].endswith("+05:00")


def test_pdf_in_kazakh_and_russian() -> None:
    if export.find_font() is None:
        pytest.skip("no TrueType font with Cyrillic letters on this machine")
    pdf = export.runs_pdf(
        [RUN],
        [{"at": T0, "actor": "aigerim", "action": "done", "message": "Құрметті тұрғындар"}],
        T0 + timedelta(hours=4),
        title="Отчёт о выполнении сценария — Сценарийдің орындалуы",
        names={"akimat-almaty": "Алматы қаласының әкімдігі"},
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
