"""Accounts: where agencies are present per platform against where citizens talk
(the seeds: VK carries the most Kazakh traffic yet two bodies of 21 use it), and the
health of the collectors."""

from __future__ import annotations

import html
from collections import Counter
from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, feeds
from dashboard.session import View, current_view
from dashboard.widgets import html_table, local_time, pct
from qulaq.registry import Agency

PLATFORMS = ("instagram", "facebook", "vk", "telegram", "x", "youtube", "tiktok", "web")
HEALTH_LEVEL = {"ok": "low", "rate_limited": "elevated", "failing": "high", "auth": "critical"}


def render(view: View) -> None:
    st.title(view.t("accounts.title"))
    view.audit_view("accounts")
    scope = view.scope
    agencies = [a for a in view.registry.agencies() if scope is None or a.id in scope]
    with view.db.read() as conn:
        frame = data.hourly(conn, view.at - timedelta(days=30), view.at, scope, by_account=True)
        health = feeds.collector_status(conn)
    comments_by_platform: Counter[str] = Counter()
    if not frame.empty:
        for platform, n in frame.groupby("platform")["comments"].sum().items():
            comments_by_platform[str(platform)] += int(n)
    total_comments = sum(comments_by_platform.values())
    present: Counter[str] = Counter()
    followers: Counter[str] = Counter()
    for agency in agencies:
        for platform in {a.platform for a in agency.accounts}:
            present[platform] += 1
        for account in agency.accounts:
            followers[account.platform] += account.followers or 0
    st.subheader(view.t("accounts.presence"))
    rows = []
    for platform in PLATFORMS:
        rows.append(
            [
                html.escape(view.t(f"platform.{platform}")),
                f"{present[platform]} / {len(agencies)}",
                f"{followers[platform]:,}".replace(",", " ") if followers[platform] else "—",
                f"{comments_by_platform[platform]}",
                pct(data.share(comments_by_platform[platform], total_comments)),
            ]
        )
    st.html(
        html_table(
            [
                view.t("col.platform"),
                view.t("accounts.agencies_present"),
                view.t("accounts.followers"),
                view.t("accounts.comments_30d"),
                view.t("col.share"),
            ],
            rows,
            table_id="qulaq-presence",
        )
    )
    st.info(view.t("accounts.vk_note", vk=present["vk"], n=len(agencies)))
    _matrix(view, agencies, frame)
    _health(view, health)


def _matrix(view: View, agencies: list[Agency], frame: pd.DataFrame) -> None:
    st.subheader(view.t("accounts.by_agency"))
    active: Counter[tuple[str, str]] = Counter()
    if not frame.empty:
        for (agency, platform), n in (
            frame.groupby(["agency", "platform"])["comments"].sum().items()
        ):
            active[(str(agency), str(platform))] += int(n)
    ids = [a.id for a in agencies if a.accounts]
    ids += sorted({a for a, _ in active} - set(ids))
    rows = []
    for agency_id in ids:
        agency = view.registry.agency(agency_id)
        platforms = {a.platform for a in agency.accounts}
        cells = [html.escape(view.name(agency_id))]
        for platform in PLATFORMS:
            n = active.get((agency_id, platform), 0)
            mark = "✓" if platform in platforms else ""
            cells.append(f"{mark} {n}" if n else mark)
        rows.append(cells)
    st.html(
        html_table(
            [view.t("col.agency"), *(view.t(f"platform.{p}") for p in PLATFORMS)],
            rows,
            table_id="qulaq-agency-platforms",
            caption=view.t("accounts.matrix_caption"),
        )
    )


def _health(view: View, health: list[dict[str, Any]]) -> None:
    st.subheader(view.t("accounts.health"))
    if not health:
        st.info(view.t("accounts.no_health"))
        return
    rows = []
    for h in health:
        rows.append(
            [
                html.escape(view.t(f"platform.{h['platform']}")),
                html.escape(str(h["account"])),
                html.escape(view.t(f"health.{h['status']}")),
                local_time(h.get("last_success_at")),
                local_time(h.get("newest_item_at")),
                str(h.get("consecutive_failures") or 0),
                html.escape(str(h.get("last_error") or ""))[:200],
            ]
        )
    st.html(
        html_table(
            [
                view.t("col.platform"),
                view.t("col.account"),
                view.t("col.status"),
                view.t("accounts.last_success"),
                view.t("accounts.newest_item"),
                view.t("accounts.failures"),
                view.t("accounts.last_error"),
            ],
            rows,
            table_id="qulaq-collectors",
        )
    )


if __name__ == "__main__":
    render(current_view())
