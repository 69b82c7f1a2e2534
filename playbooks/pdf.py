"""The weekly report as a PDF, in Kazakh or Russian.

Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) need a Unicode font: DejaVu Sans
where the system has it, else a TTF named by the `playbooks.pdf_font`
option; without either, the command says what to install.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playbooks.digest import Weekly, weekly_rows
from playbooks.messages import local_time
from qulaq.errors import UserError
from qulaq.i18n import t

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


def find_font(configured: str | None = None) -> Path:
    for candidate in (configured, *FONTS):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise UserError.t("playbook.no_pdf_font")


def weekly_pdf(w: Weekly, lang: str, font: Path) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", "", str(font))
    pdf.add_page()
    pdf.set_font("body", size=15)
    last_day = w.until - timedelta(days=1)
    title = t("wk.title", lang, since=local_time(w.since)[:10], until=local_time(last_day)[:10])
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", size=10)
    pdf.multi_cell(
        0,
        5,
        t("wk.runs", lang, n=w.runs, late=w.late_steps, skipped=w.skipped_steps),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    risk_rows, resp_rows = weekly_rows(w, lang)
    for heading, columns, rows, widths in (
        (t("wk.by_risk", lang), t("wk.cols.risk", lang), risk_rows, (80, 20, 25, 30, 25)),
        (t("wk.by_response", lang), t("wk.cols.response", lang), resp_rows, (70, 25, 35, 20, 30)),
    ):
        pdf.ln(4)
        pdf.set_font("body", size=12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        if heading == t("wk.by_risk", lang) and not w.have_risk:
            pdf.set_font("body", size=9)
            pdf.multi_cell(0, 5, t("wk.no_risk", lang), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", size=8)
        with pdf.table(
            col_widths=widths,
            headings_style=FontFace(emphasis=None, fill_color=(225, 230, 240)),
            line_height=5,
        ) as table:
            table.row(columns.split("|"))
            for i, row in enumerate(rows, 1):
                table.row([f"{i}. {row[0]}", *row[1:]])
    return bytes(pdf.output())
