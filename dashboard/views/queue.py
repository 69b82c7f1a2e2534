"""Comments to answer: the triage (001 map 3.9) and complaint loop (002 Fig. 18) as a
work queue ordered by deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from dashboard import auth, data, work
from dashboard.messages import tr
from dashboard.session import View, current_view, live
from dashboard.widgets import in_language, language_key, local_time, md_escape
from qulaq.errors import UserError
from sentiment import reply_quality

SINCE_DAYS = (7, 30, 90)
DRAFT_LANGS = ("ru", "kk")
PAGE = 30


def render(view: View) -> None:
    st.title(view.t("queue.title"))
    st.caption(view.t("queue.intro"))
    with view.db.read() as conn:
        known = data.hourly(conn, view.at - timedelta(days=90), view.at, view.scope)
    ids = sorted({str(a) for a in known["agency"]}) if not known.empty else []
    cols = st.columns([3, 2, 1, 2])  # room for "Назначенные мне" / "Маған тағайындалған"
    with cols[0]:
        wanted = st.query_params.get("agency")
        options = ["*", *ids]
        key, index = in_language(
            "queue_agency", view.lang, options, options.index(wanted) if wanted in options else 0
        )
        agency = st.selectbox(
            view.t("col.agency"),
            options,
            index=index,
            format_func=lambda a: view.t("queue.all_agencies") if a == "*" else view.name(a),
            key=key,
        )
    with cols[1]:
        key, index = in_language("queue_status", view.lang, data.WORK_STATUSES)
        status = st.selectbox(
            view.t("col.status"),
            data.WORK_STATUSES,
            index=index,
            format_func=lambda s: view.t(f"status.{s}"),
            key=key,
        )
    with cols[2]:
        key, index = in_language("queue_days", view.lang, SINCE_DAYS, 1)
        days = st.selectbox(
            view.t("queue.since"),
            SINCE_DAYS,
            index=index,
            format_func=lambda d: view.t("queue.days", n=d),
            key=key,
        )
    with cols[3]:
        mine = st.toggle(view.t("queue.mine"), key="queue_mine", disabled=view.principal.read_only)
    search_col, urgent_col = st.columns([3, 1])
    search = search_col.text_input(
        view.t("queue.search"), key="queue_search", placeholder=view.t("queue.search_hint")
    )
    urgent_only = urgent_col.toggle(view.t("queue.urgent_only"), key="queue_urgent")
    agencies = view.scope if agency == "*" else [str(agency)]
    view.audit_view("queue")
    wanted_filters = (str(search or ""), bool(urgent_only))
    live(
        view,
        lambda v: _body(v, agencies, str(status), int(days or 30), bool(mine), *wanted_filters),
    )


def _body(
    view: View,
    agencies: Any,
    status: str,
    days: int,
    mine: bool,
    search: str = "",
    urgent_only: bool = False,
) -> None:
    shown = int(st.session_state.get("queue_shown", PAGE))
    filtered = bool(search.strip()) or urgent_only
    with view.db.read() as conn:
        rows = data.work_queue(
            conn,
            agencies,
            since=view.at - timedelta(days=days),
            until=view.at,
            statuses=(status,),
            limit=max(300, shown),
            search=search,
            urgent_only=urgent_only,
            as_of=view.as_of,
        )
        sla = data.sla_counts(
            conn, agencies, since=view.at - timedelta(days=days), at=view.at, as_of=view.as_of
        )
    if mine:
        rows = [r for r in rows if r.get("assignee") == view.principal.username]
    if status == "open" and not mine and not filtered:
        total = sum(v["open"] for v in sla.values())
        overdue = sum(v["overdue"] for v in sla.values())
    else:
        total, overdue = len(rows), sum(r["deadline"] <= view.at for r in rows)
    st.caption(view.t("queue.counts", n=total, overdue=overdue))
    if not rows:
        st.success(view.t("queue.empty"))
        return
    selected = st.session_state.get("queue_selected")
    chosen = next((r for r in rows if _ident(r) == selected), None)
    if chosen is not None:
        _actions(view, chosen)
    for i, row in enumerate(rows[:shown]):
        _item(view, row, i)
    if max(total, len(rows)) > shown:
        st.caption(view.t("queue.more", n=max(total, len(rows)) - shown))
        if len(rows) > shown:
            st.button(
                view.t("queue.show_more", n=min(PAGE, len(rows) - shown)),
                key="queue_show_more",
                on_click=lambda: st.session_state.update(queue_shown=shown + PAGE),
            )


def _ident(row: dict[str, Any]) -> str:
    return f"{row['platform']}|{row['account']}|{row['comment_id']}"


def _due(view: View, deadline: datetime) -> str:
    hours = (deadline - view.at).total_seconds() / 3600
    if hours < 0:
        return view.t("queue.overdue_by", h=f"{-hours:.0f}")
    return view.t("queue.due_in", h=f"{hours:.0f}")


def _item(view: View, row: dict[str, Any], i: int) -> None:
    with st.container(border=True, key=f"queue_item_{i}"):
        flags = []
        if row.get("urgent"):
            # Its deadline is the urgent one, not its severity's days.
            hours = f"{data.URGENT_DEADLINE.total_seconds() / 3600:.0f}"
            flags.append("⚠ " + view.t("queue.urgent_flag", h=hours))
        elif row.get("severity"):
            flags.append(view.t(f"severity.{row['severity']}"))
        meta = " · ".join(
            [
                _due(view, row["deadline"]),
                *flags,
                md_escape(view.name(row["agency"])),
                view.platform(row["platform"]),
                local_time(row["created_at"]),
                view.t(f"status.{row['status']}"),
            ]
        )
        st.caption(meta)
        if row.get("assignee"):
            st.text(view.t("queue.assigned_to", who=row["assignee"]))
        st.text(str(row.get("text") or ""))
        cols = st.columns([1, 1, 4])
        if cols[0].button(view.t("queue.open"), key=f"queue_open_{i}"):
            st.session_state["queue_selected"] = _ident(row)
            st.rerun()
        if row.get("url"):
            cols[1].link_button(view.t("agency.original"), row["url"])


def _users(view: View, agency: str) -> list[str]:
    """Who a comment of `agency` can be assigned to: those who see it and work the queue."""
    with view.db.read() as conn:
        return list(auth.assignees(auth.list_users(conn), view.registry, agency, "work_comments"))


def _actions(view: View, row: dict[str, Any]) -> None:
    can_work = view.can("work_comments")
    with st.container(border=True, key="queue_actions"):
        st.subheader(view.t("queue.selected"))
        st.caption(
            f"{md_escape(view.name(row['agency']))} · {view.platform(row['platform'])} · "
            f"{local_time(row['created_at'])} · {_due(view, row['deadline'])}"
        )
        st.text(str(row.get("text") or ""))
        if not can_work:
            st.info(view.t("auth.read_only_actions"))
        with st.form("queue_work"):
            current = row.get("assignee") or ""
            users = ["", *_users(view, row["agency"])]
            if current and current not in users:
                users.append(current)  # kept as it is until someone reassigns it
            assignee = st.selectbox(
                view.t("queue.assign"),
                users,
                index=users.index(current) if current in users else 0,
                format_func=lambda u: u or "—",  # a blank reads "Choose an option", in English
                disabled=not can_work,
                key="work_assignee",
            )
            key, index = in_language(
                "work_status",
                view.lang,
                data.WORK_STATUSES,
                data.WORK_STATUSES.index(row.get("status") or "open"),
            )
            status = st.radio(
                view.t("col.status"),
                data.WORK_STATUSES,
                index=index,
                format_func=lambda s: view.t(f"status.{s}"),
                horizontal=True,
                disabled=not can_work,
                key=key,
            )
            bodies = ["", *(a.id for a in view.registry.agencies() if a.id != row["agency"])]
            key, index = in_language("work_redirect", view.lang, bodies)
            redirected = st.selectbox(
                view.t("queue.redirect_to"),
                bodies,
                index=index,
                format_func=lambda a: view.name(a) if a else "—",
                disabled=not can_work,
                key=key,
            )
            note = st.text_input(
                view.t("queue.note"), value=row.get("note") or "", disabled=not can_work
            )
            if st.form_submit_button(view.t("queue.save"), disabled=not can_work):
                _save(view, row, str(status), assignee, redirected, note)
        _draft(view, row)
        _correction(view, row)


def _save(
    view: View, row: dict[str, Any], status: str, assignee: str, redirected: str, note: str
) -> None:
    if not view.can("work_comments") or not view.principal.sees(row["agency"], view.registry):
        st.error(view.t("auth.forbidden"))
        return
    if status == "redirected" and not redirected:
        st.error(view.t("queue.redirect_needed"))
        return
    try:
        with view.db.write() as conn:
            work.update_work(
                conn,
                row,
                by=str(view.principal.username),
                status=status,
                assignee=assignee,
                redirected_to=redirected or None,
                note=note,
            )
    except UserError as exc:
        st.error(exc.localized(view.lang))
        return
    view.audit("comment_" + status, _ident(row), assignee=assignee, redirected_to=redirected)
    st.session_state.pop("queue_selected", None)
    st.toast(view.t("queue.saved"))
    st.rerun()


def _draft(view: View, row: dict[str, Any]) -> None:
    templates = work.reply_templates()
    st.markdown(f"**{view.t('queue.draft')}**")
    cols = st.columns(2)
    kinds = list(templates)
    key, index = in_language("queue_draft_kind", view.lang, kinds)
    kind = cols[0].selectbox(
        view.t("queue.draft_kind"),
        kinds,
        index=index,
        format_func=lambda k: view.t(f"draft.{k}"),
        key=key,
    )
    key, index = in_language(
        "queue_draft_lang", view.lang, DRAFT_LANGS, 1 if row.get("lang") == "kk" else 0
    )
    lang = cols[1].selectbox(
        view.t("col.language"),
        DRAFT_LANGS,
        index=index,
        format_func=lambda code: view.t(f"lang.{code}"),
        key=key,
    )
    template = templates.get(str(kind), {}).get(str(lang), "")
    redirected = st.session_state.get(language_key("work_redirect", view.lang)) or ""
    body = tr("draft.body_blank", str(lang))
    if redirected:
        body = view.registry.agency(str(redirected)).name(str(lang))
    days = int(row.get("answer_days") or 3)
    promise = row["deadline"]
    if promise is None or promise <= view.at:
        # Past its deadline already: a reply promises a date still ahead, not one gone by.
        promise = view.at + timedelta(days=days)
    text = work.fill(
        template,
        {
            "days": days,
            "deadline": local_time(promise, "%d.%m.%Y"),
            "body": body,
            "agency": view.registry.agency(row["agency"]).name(str(lang)),
        },
    )
    draft = st.text_area(view.t("queue.draft_text"), value=text, height=120, key="queue_draft")
    quality = reply_quality(draft, row.get("text"))
    flags = ", ".join(view.t(f"quality.{f}") for f in quality.flags) or view.t("quality.ok")
    st.caption(view.t("queue.quality", score=f"{quality.score:.2f}", flags=flags))


def _correction(view: View, row: dict[str, Any]) -> None:
    allowed = view.can("correct_labels")
    st.markdown(f"**{view.t('queue.correct')}**")
    st.caption(
        view.t(
            "queue.current_labels",
            sentiment=view.t(f"tone.{row.get('sentiment') or 'neutral'}"),
            aggression=view.t(f"aggression.{row.get('aggression') or 'none'}"),
            urgency=view.t("label.urgent" if row.get("urgent") else "label.not_urgent"),
        )
    )
    # The head outside the form: its labels follow the choice at once.
    heads = list(work.HEAD_LABELS)
    key, index = in_language("label_head", view.lang, heads)
    head = st.radio(
        view.t("queue.head"),
        heads,
        index=index,
        format_func=lambda h: view.t(f"head.{h}"),
        horizontal=True,
        disabled=not allowed,
        key=key,
    )
    with st.form("queue_correct"):
        labels = list(work.HEAD_LABELS[str(head)])
        key, index = in_language(f"label_value_{head}", view.lang, labels)
        label = st.selectbox(
            view.t("queue.label"),
            labels,
            index=index,
            format_func=lambda x: view.t(f"label.{x}"),
            disabled=not allowed,
            key=key,
        )
        if st.form_submit_button(view.t("queue.save_label"), disabled=not allowed):
            if not allowed or not view.principal.sees(row["agency"], view.registry):
                st.error(view.t("auth.forbidden"))
                return
            try:
                with view.db.write() as conn:
                    work.correct_label(
                        conn,
                        view.settings.home,
                        row,
                        head=str(head),
                        label=str(label),
                        by=str(view.principal.username),
                    )
            except UserError as exc:
                st.error(exc.localized(view.lang))
                return
            view.audit("label_corrected", _ident(row), head=head, label=label)
            st.toast(view.t("queue.label_saved"))


if __name__ == "__main__":
    render(current_view())
