"""One agency: volume and tone over time with spikes marked, topics, aggression,
the comments that matter, the unanswered backlog against its deadlines, replies per
account and platform, and the language mix."""

from __future__ import annotations

import html
from datetime import timedelta

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data, feeds, ranking
from dashboard.roles import ALL_AGENCIES
from dashboard.rollups import hour_start
from dashboard.session import View, current_view, live
from dashboard.widgets import comment_card, html_table, in_language, level_badge, local_time, pct
from qulaq.timefmt import zone

PERIODS = {
    "24h": timedelta(hours=24),
    "72h": timedelta(hours=72),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


def _agencies(view: View) -> list[str]:
    with view.db.read() as conn:
        frame = data.hourly(conn, view.at - timedelta(days=30), view.at, view.scope)
    ids = {str(a) for a in frame["agency"]} if not frame.empty else set()
    return sorted(ids, key=lambda a: view.name(a).casefold())  # as the reader sees them


def _hours(view: View, hours: float) -> str:
    """Hours with the reader's decimal mark and unit ("5,1 ч", "5,1 сағ", "5.1 h")."""
    number = f"{hours:.1f}"
    if view.lang != "en":
        number = number.replace(".", ",")
    return view.t("unit.hours", n=number)


def _first_choice(view: View) -> tuple[str | None, ranking.Overview | None]:
    """The agency the page opens on without `?agency=` (or with one the reader may not see):
    the reader's own when their role is
    tied to one agency, else the one most at risk now among those they may see (the
    overview's first row, and its ranking, shared with the overview)."""
    own = view.principal.agencies
    if len(own) == 1 and own[0] != ALL_AGENCIES:
        return own[0], None
    model = ranking.shared(view.db, view.registry, view.at, scope=view.scope, pinned=view.pinned)
    return (model.ranked[0].agency if model.ranked else None), model


def render(view: View) -> None:
    st.title(view.t("agency.title"))
    ids = _agencies(view)
    wanted = st.query_params.get("agency")
    model = None
    if not wanted or not view.principal.sees(str(wanted), view.registry):
        wanted, model = _first_choice(view)
    if wanted and wanted not in ids and view.principal.sees(str(wanted), view.registry):
        ids.append(str(wanted))
    if not ids:
        st.info(view.t("overview.empty"))
        return
    key, index = in_language(
        "agency_pick", view.lang, ids, ids.index(str(wanted)) if wanted in ids else 0
    )
    cols = st.columns([3, 2])  # room for all four periods: "30 дней" was cut off at a quarter
    with cols[0]:
        agency = st.selectbox(
            view.t("col.agency"), ids, index=index, format_func=view.name, key=key
        )
    with cols[1]:
        period = st.segmented_control(
            view.t("agency.period"),
            list(PERIODS),
            default="72h",
            format_func=lambda p: view.t(f"period.{p}"),
            key="agency_period",
        )
    if agency is None:
        return
    st.query_params["agency"] = agency
    view.audit_view(f"agency:{agency}")
    span = PERIODS.get(str(period or "72h"), PERIODS["72h"])
    live(view, lambda v: _body(v, str(agency), span, model))


def _body(
    view: View, agency_id: str, span: timedelta, ranked: ranking.Overview | None = None
) -> None:
    """`ranked`: the ranking the page opened on, reused for the agency's risk while it is
    of the same minute (the agency's risk is the overview's, as of the minute)."""
    agency = view.registry.agency(agency_id)
    start, end = view.at - span, view.at
    if ranked is None or ranked.at != view.at.replace(second=0, microsecond=0):
        ranked = ranking.shared(
            view.db, view.registry, view.at, scope=[agency_id], pinned=view.pinned
        )
    entry = next((r for r in ranked.ranked if r.agency == agency_id), None)
    with view.db.read() as conn:
        frame = data.hourly(conn, start, end, [agency_id])
        accounts = data.hourly(conn, start, end, [agency_id], by_account=True)
        topic_frame = data.topics(conn, start, end, [agency_id])
        negative = data.top_comments(conn, agency_id, start, end, order="negative", limit=5)
        liked = data.top_comments(conn, agency_id, start, end, order="likes", limit=5)
        sla = data.sla_counts(
            conn, [agency_id], since=end - timedelta(days=30), at=end, as_of=view.as_of
        )
        alert_feed = feeds.alerts(conn, [agency_id])
    region = view.registry.agency(agency_id).region
    region_name = next(
        (r.name(view.lang) for r in view.registry.regions() if r.id == region),
        view.t("overview.national"),
    )
    st.header(agency.name(view.lang))
    st.caption(
        f"{view.t(f'type.{agency.type}')} · {region_name} · {agency_id} · "
        + view.t("overview.as_of_short", at=local_time(view.at))
    )
    if entry is not None:
        st.html(level_badge(entry.level, f"{view.t(f'level.{entry.level}')} · {entry.score:.0f}"))
        comps = ", ".join(
            f"{view.t(f'component.{k}')}: {v:.2f}" for k, v in entry.components.items()
        )
        st.caption(view.t("agency.components", components=comps))
    _metrics(view, frame)
    _timeline(view, frame, start, end, alert_feed.rows)
    left, right = st.columns(2)
    with left:
        _topics(view, topic_frame)
    with right:
        _languages(view, frame)
    _backlog(view, sla, agency_id)
    _accounts(view, accounts)
    _comments(view, negative, liked)


def _metrics(view: View, frame: pd.DataFrame) -> None:
    total = float(frame["comments"].sum()) if not frame.empty else 0.0
    get = (lambda name: float(frame[name].sum())) if not frame.empty else (lambda name: 0.0)
    answered = get("answered")
    cols = st.columns(6)
    cols[0].metric(view.t("col.comments"), f"{total:.0f}")
    cols[1].metric(view.t("col.negative"), pct(data.share(get("negative"), total)))
    cols[2].metric(view.t("col.aggression"), pct(data.share(get("aggression"), total)))
    cols[3].metric(view.t("col.threats"), f"{get('strong'):.0f}")
    cols[4].metric(view.t("col.reply_rate"), pct(data.share(answered, total)))
    hours = get("answer_seconds") / answered / 3600 if answered else None
    cols[5].metric(view.t("col.response_time"), "—" if hours is None else _hours(view, hours))


def _spikes(series: pd.Series) -> pd.Series:
    """Hours far above the rest of the period (median + 4 robust deviations)."""
    if series.empty:
        return series
    values = series.to_numpy(dtype="float64")
    med = float(np.median(values))
    mad = float(np.median(np.abs(values - med))) * 1.4826 or 1.0
    return series[(values > med + 4 * mad) & (values >= 10)]


def _timeline(
    view: View, frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, alerts: list
) -> None:
    st.subheader(view.t("agency.timeline"))
    if frame.empty:
        st.info(view.t("agency.no_comments"))
        return
    g = frame.groupby("hour")[["comments", "negative", "neutral", "positive"]].sum()
    g.index = [hour_start(int(h)).astimezone(zone()).replace(tzinfo=None) for h in g.index]
    long = (
        g[["negative", "neutral", "positive"]]
        .reset_index(names="time")
        .melt("time", var_name="tone", value_name="count")
    )
    long["tone_label"] = [view.t(f"tone.{x}") for x in long["tone"]]
    area = (
        alt.Chart(long)
        .mark_area()
        .encode(
            # Numeric dates: Vega's own month and day names are English only.
            x=alt.X("time:T", title=None, axis=alt.Axis(format="%d.%m %H:%M")),
            y=alt.Y("count:Q", stack=True, title=view.t("agency.per_hour")),
            color=alt.Color(
                "tone_label:N",
                scale=alt.Scale(
                    domain=[
                        view.t("tone.negative"),
                        view.t("tone.neutral"),
                        view.t("tone.positive"),
                    ],
                    range=["#c62828", "#9e9e9e", "#2e7d32"],
                ),
                title=None,
            ),
            tooltip=["time:T", "tone_label:N", "count:Q"],
        )
    )
    spikes = _spikes(g["comments"])
    marks = pd.DataFrame({"time": list(spikes.index), "label": ["▲"] * len(spikes)})
    alert_times = [
        a["raised_at"].astimezone(zone()).replace(tzinfo=None)
        for a in alerts
        if a.get("raised_at") is not None and start <= a["raised_at"] < end
    ]
    layers = [area]
    if not marks.empty:
        layers.append(
            alt.Chart(marks).mark_rule(color="#6a1b9a", strokeDash=[4, 3]).encode(x="time:T")
        )
    if alert_times:
        layers.append(
            alt.Chart(pd.DataFrame({"time": alert_times}))
            .mark_rule(color="#000", strokeWidth=2)
            .encode(x="time:T")
        )
    st.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
    if len(spikes) or alert_times:
        items = [
            view.t("agency.spike_item", at=f"{t:%Y-%m-%d %H:%M}", n=f"{v:.0f}")
            for t, v in spikes.items()
        ]
        items += [view.t("agency.alert_item", at=f"{t:%Y-%m-%d %H:%M}") for t in alert_times]
        st.caption(view.t("agency.spikes", items="; ".join(items[:12])))


def _topics(view: View, topic_frame: pd.DataFrame) -> None:
    st.subheader(view.t("agency.topics"))
    if topic_frame.empty:
        st.info(view.t("agency.no_topics"))
        return
    t = topic_frame.groupby("topic", as_index=False)[["comments", "negative"]].sum()
    t = t.sort_values("comments", ascending=False).head(12)
    rows = [
        [
            html.escape(view.t(f"topic.{r.topic}")),
            f"{r.comments:.0f}",
            pct(data.share(float(r.negative), float(r.comments))),
        ]
        for r in t.itertuples()
    ]
    st.html(
        html_table(
            [view.t("col.topic"), view.t("col.comments"), view.t("col.negative")],
            rows,
            table_id="qulaq-topics",
        )
    )


def _languages(view: View, frame: pd.DataFrame) -> None:
    st.subheader(view.t("agency.languages"))
    if frame.empty:
        return
    total = float(frame["comments"].sum())
    counts = {lang: float(frame[f"lang_{lang}"].sum()) for lang in ("kk", "ru", "mixed", "en")}
    counts["other"] = max(total - sum(counts.values()), 0.0)
    rows = [
        [html.escape(view.t(f"lang.{k}")), f"{v:.0f}", pct(data.share(v, total))]
        for k, v in counts.items()
    ]
    st.html(
        html_table(
            [view.t("col.language"), view.t("col.comments"), view.t("col.share")],
            rows,
            table_id="qulaq-languages",
        )
    )


def _backlog(view: View, sla: dict[str, dict[str, int]], agency_id: str) -> None:
    st.subheader(view.t("agency.backlog"))
    if not sla:
        st.success(view.t("agency.backlog_empty"))
        return
    cols = st.columns(4)
    cols[0].metric(view.t("agency.open"), sum(v["open"] for v in sla.values()))
    cols[1].metric(view.t("agency.overdue"), sum(v["overdue"] for v in sla.values()))
    cols[2].metric(view.t("agency.due_24h"), sum(v["due_24h"] for v in sla.values()))
    cols[3].metric(view.t("agency.urgent"), sla.get("urgent", {}).get("open", 0))
    rows = [
        [
            html.escape(view.t(f"severity.{name}")),
            str(v["open"]),
            str(v["overdue"]),
            str(v["due_24h"]),
        ]
        for name, v in sla.items()
    ]
    st.html(
        html_table(
            [
                view.t("col.severity"),
                view.t("agency.open"),
                view.t("agency.overdue"),
                view.t("agency.due_24h"),
            ],
            rows,
            table_id="qulaq-backlog",
            caption=view.t("agency.sla_caption"),
        )
    )
    st.page_link(
        "views/queue.py", label=view.t("agency.to_queue"), query_params={"agency": agency_id}
    )


def _accounts(view: View, accounts: pd.DataFrame) -> None:
    st.subheader(view.t("agency.accounts"))
    table = data.account_table(accounts)
    if table.empty:
        return
    rows = [
        [
            html.escape(view.platform(r.platform)),
            html.escape(str(r.account)),
            f"{r.comments:.0f}",
            f"{r.official:.0f}",
            pct(None if pd.isna(r.reply_rate) else float(r.reply_rate)),
            "—" if pd.isna(r.response_hours) else _hours(view, float(r.response_hours)),
        ]
        for r in table.itertuples()
    ]
    st.html(
        html_table(
            [
                view.t("col.platform"),
                view.t("col.account"),
                view.t("col.comments"),
                view.t("col.official_replies"),
                view.t("col.reply_rate"),
                view.t("col.response_time"),
            ],
            rows,
            table_id="qulaq-accounts",
        )
    )


def _comments(view: View, negative: list[dict], liked: list[dict]) -> None:
    left, right = st.columns(2)
    for column, title, rows in (
        (left, view.t("agency.top_negative"), negative),
        (right, view.t("agency.most_liked"), liked),
    ):
        with column:
            st.subheader(title)
            if not rows:
                st.caption(view.t("agency.no_comments"))
            for row in rows:
                tone = view.t(f"tone.{row.get('sentiment') or 'neutral'}")
                meta = (
                    f"{view.platform(row['platform'])} · {local_time(row['created_at'])} · "
                    f"♥ {row.get('likes') or 0} · {tone}"
                )
                comment_card(row, meta, original=view.t("agency.original"))


if __name__ == "__main__":
    render(current_view())
