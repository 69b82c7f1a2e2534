"""Playbook runs for managers: a CSV of every step and a PDF report.

The PDF needs a font with Cyrillic and Kazakh letters; it uses DejaVu Sans
where the system has it (Debian's fonts-dejavu-core), else the first TTF found
among the usual font folders, and says so when none is there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from qulaq.timefmt import iso, local_text

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


def _same(_run: dict[str, Any], value: str) -> str:
    return value


@dataclass(frozen=True)
class PdfText:
    """What the report says, in the reader's language: column words and how to name a
    playbook, a step, a role and a status (default: as stored)."""

    words: dict[str, str] = field(
        default_factory=lambda: {
            "step": "step",
            "role": "role",
            "due": "due",
            "done": "done",
            "status": "status",
            "late": "late, min",
            "audit": "audit",
            "as_of": "as of",
        }
    )
    playbook: Callable[[dict[str, Any], str], str] = _same
    step: Callable[[dict[str, Any], str], str] = _same
    role: Callable[[dict[str, Any], str], str] = _same
    run_status: Callable[[dict[str, Any], str], str] = _same
    step_status: Callable[[dict[str, Any], str], str] = _same


def _local(value: Any) -> str:
    return local_text(value) if isinstance(value, datetime) else ""


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
    audit: Sequence[dict[str, Any]] | Sequence[str],
    at: datetime,
    *,
    title: str,
    names: dict[str, str],
    text: PdfText | None = None,
) -> bytes:
    """A plain report: per run, its steps with due and done times (Almaty time), then the
    audit log (entries, or lines already written for the reader)."""
    text = text or PdfText()
    w = text.words
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
    pdf.multi_cell(0, 5, f"{w['as_of']} {_local(at)}", new_x="LMARGIN", new_y="NEXT")
    widths = (84, 56, 30, 30, 30, 24)
    for run in runs:
        pdf.ln(3)
        pdf.set_font("body", size=11)
        head = (
            f"{text.playbook(run, str(run.get('playbook')))} · "
            f"{names.get(str(run.get('agency')), run.get('agency'))} · "
            f"{text.run_status(run, str(run.get('status')))} · {_local(run.get('started_at'))}"
        )
        pdf.multi_cell(0, 6, head, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=8)
        headers = (w["step"], w["role"], w["due"], w["done"], w["status"], w["late"])
        for cell, width in zip(headers, widths, strict=True):
            pdf.cell(width, 5, cell, border=1)
        pdf.ln()
        for step, row in zip(run.get("steps") or [], step_rows([run], at), strict=True):
            late = row["late_minutes"]
            values = (
                text.step(run, str(step.get("id") or row["step"] or ""))[:56],
                text.role(run, str(row["role"] or ""))[:36],
                _local(row["due_at"]),
                _local(row["done_at"]),
                text.step_status(run, str(row["status"] or "")),
                "" if late is None else f"{late:.0f}",
            )
            for value, width in zip(values, widths, strict=True):
                pdf.cell(width, 5, value, border=1)
            pdf.ln()
    if audit:
        pdf.add_page()
        pdf.set_font("body", size=11)
        pdf.multi_cell(0, 6, w["audit"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=7)
        for entry in audit:
            line = (
                entry
                if isinstance(entry, str)
                else " · ".join(
                    _local(v) if isinstance(v, datetime) else str(v)
                    for v in entry.values()
                    if v not in (None, "")
                )
            )
            pdf.multi_cell(0, 4, line[:600], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
