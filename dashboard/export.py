"""Playbook runs for managers: a CSV of every step and a PDF report.

The PDF needs a font with Cyrillic and Kazakh letters; it uses DejaVu Sans
where the system has it (Debian's fonts-dejavu-core), else the first TTF found
among the usual font folders, and says so when none is there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from qulaq.timefmt import iso

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
STEP_COLUMNS = (
    "run_id",
    "playbook",
    "agency",
    "run_status",
    "step",
    "role",
    "due_at",
    "done_at",
    "status",
    "late_minutes",
)


def _time(value: Any) -> str:
    return iso(value) or "" if isinstance(value, datetime) else str(value or "")


def late_minutes(step: dict[str, Any], at: datetime) -> float | None:
    """How late a step was done (or is, if still open past its due time)."""
    due = step.get("due_at")
    if not isinstance(due, datetime):
        return None
    done = step.get("done_at")
    end = done if isinstance(done, datetime) else at
    if step.get("status") in ("skipped", "cancelled") and not isinstance(done, datetime):
        return None
    minutes = (end - due).total_seconds() / 60
    return round(minutes, 1) if minutes > 0 else None


def step_rows(runs: Sequence[dict[str, Any]], at: datetime) -> list[dict[str, Any]]:
    out = []
    for run in runs:
        for step in run.get("steps") or []:
            out.append(
                {
                    "run_id": run.get("id"),
                    "playbook": run.get("playbook"),
                    "agency": run.get("agency"),
                    "run_status": run.get("status"),
                    "step": step.get("name") or step.get("id"),
                    "role": step.get("role"),
                    "due_at": step.get("due_at"),
                    "done_at": step.get("done_at"),
                    "status": step.get("status"),
                    "late_minutes": late_minutes(step, at),
                }
            )
    return out


def runs_csv(runs: Sequence[dict[str, Any]], at: datetime) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=STEP_COLUMNS)
    writer.writeheader()
    for row in step_rows(runs, at):
        writer.writerow({k: _time(v) if k in ("due_at", "done_at") else v for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")


def find_font() -> Path | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    for folder in ("/usr/share/fonts", "/usr/local/share/fonts"):
        found = sorted(Path(folder).rglob("*.ttf")) if Path(folder).is_dir() else []
        if found:
            return found[0]
    return None


def runs_pdf(
    runs: Sequence[dict[str, Any]],
    audit: Sequence[dict[str, Any]],
    at: datetime,
    *,
    title: str,
    names: dict[str, str],
) -> bytes:
    """A plain report: per run, its steps with due and done times, then the audit log."""
    from fpdf import FPDF

    font = find_font()
    if font is None:
        raise RuntimeError(
            "no TrueType font with Cyrillic letters found (install fonts-dejavu-core)"
        )
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("body", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("body", size=14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=8)
    pdf.multi_cell(0, 5, iso(at) or "", new_x="LMARGIN", new_y="NEXT")
    widths = (70, 28, 42, 42, 24, 24)
    for run in runs:
        pdf.ln(3)
        pdf.set_font("body", size=11)
        head = (
            f"{run.get('playbook')} · {names.get(str(run.get('agency')), run.get('agency'))} · "
            f"{run.get('status')} · {_time(run.get('started_at'))}"
        )
        pdf.multi_cell(0, 6, head, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=8)
        for cell, w in zip(
            ("step", "role", "due", "done", "status", "late, min"), widths, strict=True
        ):
            pdf.cell(w, 5, cell, border=1)
        pdf.ln()
        for row in step_rows([run], at):
            late = row["late_minutes"]
            values = (
                str(row["step"] or "")[:48],
                str(row["role"] or ""),
                _time(row["due_at"])[:19],
                _time(row["done_at"])[:19],
                str(row["status"] or ""),
                "" if late is None else f"{late:.0f}",
            )
            for value, w in zip(values, widths, strict=True):
                pdf.cell(w, 5, value, border=1)
            pdf.ln()
    if audit:
        pdf.add_page()
        pdf.set_font("body", size=11)
        pdf.multi_cell(0, 6, "audit", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=7)
        for entry in audit:
            line = " · ".join(
                _time(v) if isinstance(v, datetime) else str(v)
                for v in entry.values()
                if v not in (None, "")
            )
            pdf.multi_cell(0, 4, line[:600], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
