"""Pieces of the pages that are drawn the same way everywhere.

Comment text, author names and anything else a citizen wrote is untrusted: it
is shown with `st.text` or inside data frames, never as Markdown or HTML.
The few HTML tables here (ranking, matrix) carry only registry names, ids and
numbers, each passed through `html.escape`, and Streamlit sanitises them again.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from qulaq.i18n import LANGS
from qulaq.timefmt import local_text

LEVEL_COLOURS = {
    "low": "#2e7d32",
    "elevated": "#b58900",
    "high": "#e65100",
    "critical": "#c62828",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:&])")


def language_key(key: str, lang: str) -> str:
    """The key of a selectbox or radio whose option labels are in the reader's language."""
    return f"{key}_{lang}"


def in_language(key: str, lang: str, options: Sequence[Any], index: int = 0) -> tuple[str, int]:
    """The key and first choice of a selectbox or radio whose option labels are in the
    reader's language.

    The browser keeps showing the label a choice had when it was made: when only the
    labels change (`format_func`), Streamlit sends the new options but not the chosen one's
    new label, so after a language switch the box would go on reading in the old language.
    A key per language draws a new widget instead, and it starts at the choice made in the
    language before (still in the session state in the run that switches), else at `index`.
    """
    for other in LANGS:
        if other == lang:
            continue
        before = st.session_state.get(language_key(key, other))
        if before is not None and before in options:
            return language_key(key, lang), list(options).index(before)
    return language_key(key, lang), index


def md_escape(text: str) -> str:
    """Text safe to put inside Markdown (labels, captions): no links, markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "—" if dt is None else local_text(dt, fmt)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def sparkline_svg(values: Sequence[float], label: str, width: int = 120, height: int = 28) -> str:
    """A small line of hourly counts as an image; its alt text carries the figures for
    screen readers (Streamlit's sanitiser keeps images, not inline SVG)."""
    if not values:
        return ""
    top = max(max(values), 1.0)
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="#1565c0" '
        f'stroke-width="1.5" points="{points}"/></svg>'
    )
    data = base64.b64encode(svg.encode("ascii")).decode("ascii")
    text = html.escape(label)
    return (
        f'<img class="qulaq-spark" alt="{text}" title="{text}" width="{width}" '
        f'height="{height}" src="data:image/svg+xml;base64,{data}">'
    )


def level_badge(level: str, label: str) -> str:
    colour = LEVEL_COLOURS.get(level, "#555")
    return (
        f'<span class="qulaq-level qulaq-level-{html.escape(level)}" '
        f'style="background:{colour};color:#fff;padding:2px 8px;border-radius:10px;'
        f'font-weight:600">{html.escape(label)}</span>'
    )


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    table_id: str,
    row_keys: Sequence[str] | None = None,
    caption: str | None = None,
) -> str:
    """An HTML table; cells are HTML the caller built from escaped parts."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        key = f' data-key="{html.escape(row_keys[i])}"' if row_keys else ""
        cells = "".join(f"<td>{cell}</td>" for cell in row)
        body.append(f'<tr class="qulaq-row"{key}>{cells}</tr>')
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    # Wider than the page's column (a dozen columns, long Kazakh and Russian headings): it
    # scrolls sideways in a box of its own instead of running past the window's edge.
    return (
        '<div class="qulaq-scroll" style="overflow-x:auto;max-width:100%">'
        f'<table id="{html.escape(table_id)}" class="qulaq-table" '
        'style="width:100%;border-collapse:collapse">'
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        "<style>.qulaq-table td,.qulaq-table th{padding:4px 8px;border-bottom:1px solid #ddd;"
        "text-align:left;vertical-align:middle}.qulaq-table caption{text-align:left;"
        "font-weight:600;padding:4px 0}</style>"
    )


def heat_cell(value: float, top: float, heat: float | None = None) -> str:
    """A count on a red ground: as dark as `heat` (0..1) says, else as its share of `top`."""
    alpha = heat if heat is not None else (0.0 if top <= 0 else min(value / top, 1.0))
    alpha = max(0.0, min(alpha, 1.0))
    return (
        f'<span style="display:block;background:rgba(198,40,40,{alpha * 0.85:.2f});'
        f'color:{"#fff" if alpha > 0.5 else "#000"};padding:2px 6px">{value:.0f}</span>'
    )


def matrix_html(
    matrix: pd.DataFrame,
    row_names: dict[str, str],
    col_names: dict[str, str],
    corner: str,
    table_id: str,
    heat: pd.DataFrame | None = None,
) -> str:
    """Counts per row and column; `heat` (same shape, 0..100) sets each cell's colour."""
    if matrix.empty:
        return ""
    top = float(matrix.to_numpy().max())
    headers = [corner, *(col_names.get(str(c), str(c)) for c in matrix.columns)]
    rows = []
    for region, values in matrix.iterrows():
        cells = [html.escape(row_names.get(str(region), str(region)))]
        for col, v in values.items():
            score = None if heat is None else float(heat.at[region, col]) / 100.0
            cells.append(heat_cell(float(v), top, score))
        rows.append(cells)
    return html_table(headers, rows, table_id=table_id, row_keys=[str(i) for i in matrix.index])


def comment_card(row: dict[str, Any], meta: str, *, original: str) -> None:
    """One comment: trusted metadata as a caption, the text itself as plain text."""
    with st.container(border=True):
        st.caption(meta)
        if row.get("author_name"):
            st.text(str(row["author_name"]))
        st.text(str(row.get("text") or ""))
        if row.get("url"):
            st.link_button(original, row["url"])
