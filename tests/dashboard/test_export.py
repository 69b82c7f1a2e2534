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


def test_pdf_speaks_the_readers_words(monkeypatch: pytest.MonkeyPatch) -> None:
    if export.find_font() is None:
        pytest.skip("no TrueType font with Cyrillic letters on this machine")
    from fpdf import FPDF

    written: list[str] = []
    cell, multi_cell = FPDF.cell, FPDF.multi_cell

    def spy_cell(self: Any, w: Any = None, h: Any = None, text: str = "", *a: Any, **k: Any) -> Any:
        written.append(str(text))
        return cell(self, w, h, text, *a, **k)

    def spy_multi(self: Any, w: Any, h: Any = None, text: str = "", *a: Any, **k: Any) -> Any:
        written.append(str(text))
        return multi_cell(self, w, h, text, *a, **k)

    monkeypatch.setattr(FPDF, "cell", spy_cell)
    monkeypatch.setattr(FPDF, "multi_cell", spy_multi)
    roles = {"on_call": "Дежурный", "press_secretary": "Пресс-секретарь", "head": "Аким"}
    text = export.PdfText(
        words={
            "step": "Шаг",
            "role": "Роль",
            "due": "Срок",
            "done": "Выполнено",
            "status": "Статус",
            "late": "опоздание, мин",
            "audit": "Журнал действий",
            "as_of": "Время отчёта:",
        },
        playbook=lambda run, pid: "Коммунальная авария",
        step=lambda run, sid: f"шаг «{sid}»",
        role=lambda run, role: roles[role],
        run_status=lambda run, s: {"active": "идёт"}[s],
        step_status=lambda run, s: {"done": "выполнен", "skipped": "пропущен", "open": "открыт"}[s],
    )
    pdf = export.runs_pdf(
        [RUN],
        ["2026-03-20 07:30 · aigerim · выполнено"],
        T0 + timedelta(hours=4),
        title="Отчёт о выполнении сценария",
        names={"akimat-almaty": "Акимат города Алматы"},
        text=text,
    )
    assert pdf.startswith(b"%PDF")
    page = "\n".join(written)
    for expected in ("Шаг", "Роль", "Журнал действий", "Коммунальная авария", "Пресс-секретарь"):
        assert expected in page
    for raw in ("utility_outage", "press_secretary", "active", "skipped", "late, min", "audit"):
        assert raw not in page, raw
    # Times in Almaty time to the minute, not ISO 8601 with seconds and offsets.
    assert "2026-03-20 07:35" in page and "+05:00" not in page and "T07" not in page
