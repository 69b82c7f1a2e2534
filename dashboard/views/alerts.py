"""Alerts and incidents: an inbox to acknowledge and assign, with what raised each alert."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import streamlit as st

from dashboard import auth, feeds
from dashboard.session import View, current_view, live
from dashboard.widgets import html_table, level_badge, local_time, md_escape, pct

SEVERITY_LEVEL = {1: "low", 2: "elevated", 3: "high", 4: "critical"}


def render(view: View) -> None:
    st.title(view.t("alerts.title"))
    show_closed = st.toggle(view.t("alerts.show_closed"), key="alerts_closed")
    view.audit_view("alerts")
    live(view, lambda v: _body(v, bool(show_closed)))


def _body(view: View, show_closed: bool) -> None:
    with view.db.read() as conn:
        # A chosen moment shows each alert as it stood then, like every other page.
        bodies: dict[str, Any] = {}
        if view.pinned:
            alert_feed, bodies = feeds.alerts_at(conn, view.at, view.scope)
        else:
            alert_feed = feeds.alerts(conn, view.scope)
        incident_feed = feeds.incidents(conn, view.scope, view.at)
        users = auth.list_users(conn)
        people = {str(u["username"]): str(u["display_name"] or u["username"]) for u in users}
        rows = [a for a in alert_feed.rows if show_closed or a.get("status") != "closed"]
        # Each shown alert's wire form, read at once: at a chosen moment as it was then,
        # else (and for an alert whose history is no longer kept) as it is stored.
        stored = [str(a["id"]) for a in rows if str(a["id"]) not in bodies]
        bodies |= feeds.alert_bodies(conn, stored)
        handlers = {
            agency: auth.assignees(users, view.registry, agency, "handle_alerts")
            for agency in {str(a["agency"]) for a in rows}
        }
    tab_alerts, tab_incidents = st.tabs(
        [view.t("alerts.tab_alerts"), view.t("alerts.tab_incidents")]
    )
    with tab_alerts:
        if not alert_feed.available:
            st.info(view.t("alerts.no_source"))
        if alert_feed.available and not rows:
            st.success(view.t("alerts.none_open"))
        for i, alert in enumerate(rows):
            _alert(
                view, alert, i, people, bodies.get(str(alert["id"])), handlers[str(alert["agency"])]
            )
    with tab_incidents:
        _incidents(view, incident_feed, show_closed)


def expected_text(alert: dict[str, Any], body: dict[str, Any] | None) -> str:
    """The expected figure, or a dash when the alert had no history to expect from
    (a daily figure in the agency's first week)."""
    detail = (body or {}).get("detail")
    if isinstance(detail, dict) and detail.get("baseline") is False:
        return "—"
    return f"{float(alert.get('expected') or 0):.1f}"


def summary(view: View, alert: dict[str, Any], body: dict[str, Any] | None) -> str:
    """What the alert says, in the reader's language (it was written in the stage's), its
    topics and platform by their names rather than their ids."""
    from signals.messages import alert_summary_in

    stored = str(alert.get("summary") or "")
    return alert_summary_in(body, view.name(str(alert["agency"])), view.lang, stored)


def incident_summary(view: View, inc: dict[str, Any]) -> str:
    from signals.messages import incident_summary as said

    return said(inc, view.name(str(inc.get("agency"))), view.lang)


def _alert(
    view: View,
    alert: dict[str, Any],
    i: int,
    people: dict[str, str],
    body: dict[str, Any] | None,
    handlers: dict[str, str],
) -> None:
    """One alert's card; `people` names the users (login to display name), `handlers` are
    those it may be assigned to (who see its agency and handle alerts)."""
    severity = int(alert.get("severity") or 1)
    with st.container(border=True, key=f"alert_{i}"):
        kind = html.escape(view.t(f"kind.{alert.get('kind')}"))
        status = html.escape(view.t(f"alertstatus.{alert.get('status')}"))
        name = html.escape(view.name(str(alert["agency"])))
        st.html(
            level_badge(SEVERITY_LEVEL.get(severity, "low"), f"S{severity}")
            + f' <strong class="qulaq-alert-kind">{kind}</strong> · {name} · {status}'
        )
        st.caption(
            view.t(
                "alerts.facts",
                raised=local_time(alert.get("raised_at")),
                start=local_time(alert.get("window_start")),
                end=local_time(alert.get("window_end")),
                observed=f"{float(alert.get('observed') or 0):.0f}",
                expected=expected_text(alert, body),
                negative=pct(alert.get("negative_share")),
            )
        )
        said = summary(view, alert, body)
        if said:
            st.text(said)
        who = []
        if alert.get("acknowledged_by"):
            by = people.get(str(alert["acknowledged_by"]), str(alert["acknowledged_by"]))
            who.append(view.t("alerts.acknowledged_by", who=by))
        elif alert.get("status") == "acknowledged":
            # Acknowledged with another alert of its incident (or it joined one in hand):
            # say so, or it looks like a glitch.
            who.append(view.t("alerts.acknowledged_with_incident"))
        if alert.get("assignee"):
            who.append(
                view.t("alerts.assigned_to", who=people.get(alert["assignee"], alert["assignee"]))
            )
        if who:
            st.caption(md_escape(" · ".join(who)))
        with st.expander(view.t("alerts.why")):
            # from the bodies read for the whole page: a card's evidence costs no query
            _evidence(view, {**(body or {}), **alert})
        if alert.get("status") == "closed":
            return
        allowed = view.can("handle_alerts") and view.principal.sees(
            str(alert["agency"]), view.registry
        )
        cols = st.columns([1, 2, 1])
        if cols[0].button(
            view.t("alerts.acknowledge"),
            key=f"ack_{i}",
            disabled=not allowed or alert.get("status") == "acknowledged",
        ):
            with view.db.write() as conn:
                feeds.acknowledge_alert(conn, alert, str(view.principal.username))
            view.audit("alert_acknowledged", str(alert["id"]))
            st.rerun()
        assignee = cols[1].selectbox(
            view.t("queue.assign"),
            ["", *handlers],
            format_func=lambda u: people.get(u, u) if u else "—",
            key=f"assignee_{i}",
            label_visibility="collapsed",
            disabled=not allowed,
        )
        assign = cols[2].button(view.t("alerts.assign"), key=f"assign_{i}", disabled=not allowed)
        if assign and not assignee:
            st.warning(view.t("alerts.choose_assignee"))
        if assign and assignee:
            with view.db.write() as conn:
                feeds.assign_alert(conn, alert, str(assignee), str(view.principal.username))
            view.audit("alert_assigned", str(alert["id"]), assignee=assignee)
            st.rerun()
        if not allowed and view.principal.read_only:
            st.caption(view.t("auth.read_only_actions"))


def _evidence(view: View, alert: dict[str, Any]) -> None:
    """What raised the alert (its wire form's top comments, terms, topics, platform)."""
    facts = {
        view.t("alerts.persistence"): alert.get("persistence"),
        view.t("col.platform"): view.platform(alert.get("platform")),
        view.t("col.topic"): ", ".join(view.t(f"topic.{t}") for t in alert.get("topics") or []),
        view.t("alerts.terms"): ", ".join(str(t) for t in alert.get("terms") or []),
    }
    # Only what is known, as "label: value" lines; an empty table says nothing.
    known = [f"**{md_escape(k)}:** {md_escape(str(v))}" for k, v in facts.items() if v]
    if known:
        st.markdown("  \n".join(known))
    top = alert.get("top_comments") or []
    if top:
        st.caption(view.t("alerts.top_comments"))
        for c in top[:10]:
            if isinstance(c, dict):
                st.caption(
                    " · ".join(
                        x
                        for x in (view.platform(c.get("platform")), _when(c.get("created_at")))
                        if x
                    )
                    + (f" · ♥ {c['likes']}" if c.get("likes") else "")
                )
                st.text(str(c.get("text") or ""))
            else:
                st.text(str(c))
    elif alert.get("kind") in ("backlog", "sla_breach"):
        st.caption(view.t("alerts.no_evidence"))


def _when(value: Any) -> str:
    """A comment's time as the wire form gives it (ISO 8601), in Almaty time."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ""
    return local_time(value) if isinstance(value, datetime) else ""


def incidents_as_shown(
    rows: list[dict[str, Any]], at: datetime, pinned: bool, show_closed: bool
) -> list[dict[str, Any]]:
    """Incidents as they stood at `at` when a moment is chosen; unresolved ones only unless
    closed ones are asked for; the most severe first, then the newest."""
    out = []
    for inc in rows:
        opened, resolved = inc.get("opened_at"), inc.get("resolved_at")
        if pinned and isinstance(opened, datetime) and opened > at:
            continue
        if pinned and isinstance(resolved, datetime) and resolved > at:
            inc = {**inc, "status": "acknowledged" if inc.get("acknowledged_at") else "open"}
        if inc.get("status") == "resolved" and not show_closed:
            continue
        out.append(inc)
    newest_first = sorted(out, key=lambda r: str(r.get("opened_at") or ""), reverse=True)
    return sorted(
        newest_first,
        key=lambda r: (r.get("status") == "resolved", -int(r.get("severity") or 0)),
    )


def _incidents(view: View, feed: feeds.Feed, show_closed: bool) -> None:
    if not feed.available:
        st.info(view.t("alerts.no_incidents_source"))
        return
    shown = incidents_as_shown(feed.rows, view.at, view.pinned, show_closed)
    if not shown:
        st.success(view.t("alerts.no_incidents"))
        return
    rows = []
    for inc in shown:
        severity = int(inc.get("severity") or 1)
        due = inc.get("due_at")
        overdue = inc.get("status") != "resolved" and isinstance(due, datetime) and due <= view.at
        rows.append(
            [
                level_badge(SEVERITY_LEVEL.get(severity, "low"), f"S{severity}"),
                html.escape(view.name(str(inc.get("agency")))),
                html.escape(view.t(f"incidentstatus.{inc.get('status')}")),
                html.escape(str(inc.get("owner") or "—")),
                local_time(inc.get("opened_at") or inc.get("created_at")),
                local_time(due)
                + (f" · {html.escape(view.t('alerts.overdue'))}" if overdue else ""),
                html.escape(incident_summary(view, inc)),
            ]
        )
    st.html(
        html_table(
            [
                view.t("col.severity"),
                view.t("col.agency"),
                view.t("col.status"),
                view.t("alerts.owner"),
                view.t("alerts.opened"),
                view.t("alerts.due"),
                view.t("alerts.summary"),
            ],
            rows,
            table_id="qulaq-incidents",
        )
    )


if __name__ == "__main__":
    render(current_view())
