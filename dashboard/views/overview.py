"""Overview: agencies ranked by reputation risk, the regional map and the
sphere × territory matrix (004 L552)."""

from __future__ import annotations

import html
import time
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, feeds, ranking
from dashboard.risk_estimate import level_of
from dashboard.session import View, current_view, live
from dashboard.widgets import (
    html_table,
    in_language,
    level_badge,
    local_time,
    matrix_html,
    pct,
    sparkline_svg,
)
from qulaq.registry import AGENCY_TYPES, UNKNOWN_TYPE

TYPE_ORDER = ("ministry", "oblast_akimat", "city_akimat", "district_akimat", "rural_akimat")


def render(view: View) -> None:
    st.title(view.t("overview.title"))
    types = st.pills(
        view.t("overview.filter_types"),
        [*TYPE_ORDER, UNKNOWN_TYPE],
        selection_mode="multi",
        default=None,
        format_func=lambda k: view.t(f"type.{k}"),
        key="overview_types",
    )
    chosen = set(types) if types else None
    if chosen is not None and not chosen <= AGENCY_TYPES | {UNKNOWN_TYPE}:
        chosen = None
    view.audit_view("overview")
    live(view, lambda v: _body(v, chosen))


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def _model(
    url: str,
    at: datetime,
    scope: tuple[str, ...] | None,
    types: tuple[str, ...] | None,
    pinned: bool,
    stamp: str,
    _view: View,
) -> tuple[ranking.Overview, pd.DataFrame, list[dict[str, Any]] | None]:
    """The ranking, the topic figures and signals' regional cells, shared by every session
    and auto-refresh until new comments reach the rollups, someone works the queue, or a
    minute passes."""
    model = ranking.cached_overview(url, at, scope, types, pinned, stamp, _view.db, _view.registry)
    with _view.db.read() as conn:
        topic_frame = data.topics(conn, at - model.window.recent, at, scope)
        cells = feeds.region_risk(conn, at, _view.registry) if scope is None else None
    return model, topic_frame, cells


def _body(view: View, types: set[str] | None) -> None:
    started = time.perf_counter()
    scope = view.scope
    key = ranking.cache_key(view.db, view.at, scope, types, view.pinned)
    model, topic_frame, cells = _model(*key, view)
    st.caption(
        view.t(
            "overview.as_of",
            at=local_time(view.at),
            source=view.t(f"risk.source.{model.risk_source}"),
        )
    )
    if not model.ranked:
        st.info(view.t("overview.empty"))
        return
    _ranking_table(view, model)
    _open_agency(view, model)
    left, right = st.columns([3, 2])
    with left:
        _region_map(view, model)
    with right:
        _region_table(view, model)
    _matrix(view, topic_frame, cells)
    st.caption(view.t("overview.rendered", ms=f"{(time.perf_counter() - started) * 1000:.0f}"))


def _ranking_table(view: View, model: ranking.Overview) -> None:
    headers = [
        "#",
        view.t("col.agency"),
        view.t("col.type"),
        view.t("col.risk"),
        view.t("col.score"),
        view.t("col.trend_48h"),
        view.t("col.comments_24h"),
        view.t("col.negative"),
        view.t("col.open_alerts"),
        view.t("col.open_incidents"),
        view.t("col.unanswered"),
        view.t("col.reply_rate"),
    ]
    rows = []
    for i, r in enumerate(model.ranked, start=1):
        fig = r.figures
        name = html.escape(view.name(r.agency))
        ident = (
            "" if view.name(r.agency) == r.agency else f"<br><small>{html.escape(r.agency)}</small>"
        )
        spark = fig["spark"]
        spark_label = view.t(
            "overview.spark_label", total=f"{sum(spark):.0f}", peak=f"{max(spark or [0]):.0f}"
        )
        alerts = str(r.open_alerts) if model.alerts_available else "—"
        if r.max_severity:
            alerts += f" (S{r.max_severity})"
        rows.append(
            [
                str(i),
                f'<span class="qulaq-agency">{name}</span>{ident}',
                html.escape(view.t(f"type.{r.type}")),
                level_badge(r.level, view.t(f"level.{r.level}")),
                f"{r.score:.0f}",
                sparkline_svg(spark, spark_label),
                f"{fig['recent']['comments']:.0f}",
                pct(fig["negative_share"]),
                alerts,
                str(r.open_incidents) if model.alerts_available else "—",
                str(r.unanswered),
                pct(fig["reply_rate"]),
            ]
        )
    st.html(
        html_table(
            headers,
            rows,
            table_id="qulaq-ranking",
            row_keys=[r.agency for r in model.ranked],
            caption=view.t("overview.ranking_caption"),
        )
    )


def _open_agency(view: View, model: ranking.Overview) -> None:
    ids = [r.agency for r in model.ranked]
    key, index = in_language("overview_open_agency", view.lang, ids)
    cols = st.columns([3, 1])
    with cols[0]:
        chosen = st.selectbox(
            view.t("overview.open_agency"),
            ids,
            index=index,
            format_func=view.name,
            key=key,
        )
    with cols[1]:
        st.page_link(
            "views/agency.py",
            label=view.t("overview.go"),
            query_params={"agency": chosen} if chosen else None,
        )


def _region_rows(view: View, model: ranking.Overview) -> pd.DataFrame:
    regions = {r.id: r for r in view.registry.regions()}
    rows: dict[str, dict[str, float | str]] = {}
    for r in model.ranked:
        region = regions.get(r.region or "")
        if region is None:
            continue
        row = rows.setdefault(
            region.id,
            {
                "region": region.name(view.lang),
                "lat": region.lat,
                "lon": region.lon,
                "risk": 0.0,
                "comments": 0.0,
                "top": "",
            },
        )
        row["comments"] = float(row["comments"]) + r.figures["recent"]["comments"]
        if r.score >= float(row["risk"]):
            row["risk"] = r.score
            row["top"] = view.name(r.agency)
    return pd.DataFrame(rows.values())


def _region_map(view: View, model: ranking.Overview) -> None:
    st.subheader(view.t("overview.map"))
    frame = _region_rows(view, model)
    if frame.empty:
        st.info(view.t("overview.map_empty"))
        return
    frame["level"] = [view.t(f"level.{level_of(s)}") for s in frame["risk"]]
    points = frame.to_dict("records")
    outline = [
        {"lon": lon, "lat": lat, "order": i} for i, (lon, lat) in enumerate(KAZAKHSTAN_OUTLINE)
    ]
    # A Vega-Lite spec written out: Altair would validate it against the schema on every run.
    spec = {
        "height": 360,
        "title": view.t("overview.map_title"),
        "projection": {"type": "mercator"},
        "layer": [
            {
                "data": {"values": outline},
                "mark": {"type": "line", "color": "#90a4ae", "strokeWidth": 1},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "order": {"field": "order", "type": "quantitative"},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "circle", "opacity": 0.8, "stroke": "#333", "strokeWidth": 0.5},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {
                        "field": "comments",
                        "type": "quantitative",
                        "legend": None,
                        "scale": {"range": [60, 1600]},
                    },
                    "color": {
                        "field": "risk",
                        "type": "quantitative",
                        "scale": {"domain": [0, 25, 45, 70, 100], "range": list(_MAP_COLOURS)},
                        "legend": {"title": view.t("col.score")},
                    },
                    "tooltip": [
                        {"field": "region", "type": "nominal", "title": view.t("col.region")},
                        {
                            "field": "risk",
                            "type": "quantitative",
                            "title": view.t("col.score"),
                            "format": ".0f",
                        },
                        {"field": "level", "type": "nominal", "title": view.t("col.risk")},
                        {"field": "top", "type": "nominal", "title": view.t("col.agency")},
                    ],
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "text", "dy": -12, "fontSize": 11},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "text": {"field": "region", "type": "nominal"},
                },
            },
        ],
    }
    st.vega_lite_chart(spec=spec, width="stretch")


def _region_table(view: View, model: ranking.Overview) -> None:
    frame = _region_rows(view, model)
    if frame.empty:
        return
    frame = frame.sort_values("risk", ascending=False)
    rows = [
        [
            html.escape(str(r["region"])),
            level_badge(level_of(float(r["risk"])), f"{float(r['risk']):.0f}"),
            f"{float(r['comments']):.0f}",
            html.escape(str(r["top"])),
        ]
        for _, r in frame.iterrows()
    ]
    st.html(
        html_table(
            [
                view.t("col.region"),
                view.t("col.score"),
                view.t("col.comments_24h"),
                view.t("col.top_agency"),
            ],
            rows,
            table_id="qulaq-regions",
            caption=view.t("overview.regions_caption"),
        )
    )


def _matrix(view: View, topic_frame: pd.DataFrame, cells: list[dict[str, Any]] | None) -> None:
    """Negative comments per territory and sphere; with signals' cells, coloured by how far
    each rose above its usual day (0–100), else by their count."""
    st.subheader(view.t("overview.matrix"))
    heat = None
    if cells:
        frame = pd.DataFrame(cells)
        matrix = frame.pivot_table(
            index="region", columns="topic", values="negative", aggfunc="sum", fill_value=0
        )
        heat = frame.pivot_table(
            index="region", columns="topic", values="score", aggfunc="max", fill_value=0
        )
        rows = heat.max(axis=1).sort_values(ascending=False).index
        cols = matrix.sum(axis=0).sort_values(ascending=False).index
        matrix, heat = matrix.loc[rows, cols], heat.loc[rows, cols]
        st.caption(view.t("overview.matrix_signals"))
    else:
        matrix = data.region_matrix(topic_frame, view.registry)
    if matrix.empty:
        st.info(view.t("overview.matrix_empty"))
        return
    regions = {r.id: r.name(view.lang) for r in view.registry.regions()}
    regions["national"] = view.t("overview.national")
    regions["unknown"] = view.t("type.unknown")
    topics = {str(c): view.t(f"topic.{c}") for c in matrix.columns}
    st.html(
        matrix_html(
            matrix,
            regions,
            topics,
            corner=view.t("overview.matrix_corner"),
            table_id="qulaq-matrix",
            heat=heat,
        )
    )


_MAP_COLOURS = ("#2e7d32", "#b58900", "#e65100", "#c62828", "#7f0000")

# A coarse outline of Kazakhstan's border (lon, lat), enough to place the regions.
KAZAKHSTAN_OUTLINE = (
    (46.5, 48.4),
    (47.1, 49.2),
    (46.8, 50.0),
    (48.7, 50.6),
    (50.8, 51.6),
    (53.4, 51.5),
    (55.7, 50.6),
    (58.6, 51.1),
    (61.4, 50.8),
    (61.0, 52.0),
    (60.1, 52.6),
    (61.7, 53.9),
    (65.2, 54.6),
    (69.2, 55.4),
    (70.8, 55.2),
    (73.4, 53.6),
    (73.2, 53.0),
    (76.5, 54.0),
    (78.0, 52.3),
    (80.0, 50.8),
    (82.5, 50.8),
    (84.3, 50.2),
    (85.3, 49.5),
    (87.3, 49.2),
    (85.6, 48.0),
    (85.5, 47.1),
    (83.0, 47.2),
    (82.3, 45.5),
    (79.9, 44.9),
    (80.4, 42.9),
    (79.0, 42.8),
    (75.8, 42.9),
    (74.2, 43.3),
    (71.8, 42.8),
    (70.9, 42.3),
    (69.0, 41.4),
    (68.0, 40.7),
    (66.7, 41.2),
    (66.0, 43.0),
    (64.9, 43.7),
    (61.9, 43.5),
    (58.5, 45.6),
    (56.0, 45.0),
    (55.9, 41.3),
    (53.0, 42.1),
    (52.4, 42.9),
    (51.3, 43.2),
    (50.8, 44.6),
    (53.1, 45.3),
    (53.2, 46.2),
    (49.2, 46.4),
    (46.5, 48.4),
)


if __name__ == "__main__":
    render(current_view())
