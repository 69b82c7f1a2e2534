"""Playbook runs: each run's timeline and audit log, late and skipped steps, and the
manager's export (CSV, PDF)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import export, feeds
from dashboard.session import View, current_view
from dashboard.widgets import html_table, local_time
from qulaq.timefmt import zone


def render(view: View) -> None:
    st.title(view.t("playbooks.title"))
    view.audit_view("playbooks")
    with view.db.read() as conn:
        feed = feeds.playbook_runs(conn, view.scope)
    if not feed.available:
        st.info(view.t("playbooks.no_source"))
        return
    runs = sorted(feed.rows, key=lambda r: r.get("started_at") or view.at, reverse=True)
    if not runs:
        st.info(view.t("playbooks.none"))
        return
    _runs_table(view, runs)
    ids = [str(r["id"]) for r in runs]
    chosen = st.selectbox(
        view.t("playbooks.run"),
        ids,
        format_func=lambda i: _run_label(view, next(r for r in runs if str(r["id"]) == i)),
        key="playbook_run",
    )
    run = next(r for r in runs if str(r["id"]) == chosen)
    with view.db.read() as conn:
        audit = feeds.playbook_audit(conn, [str(run["id"])])
    _timeline(view, run)
    _steps(view, run)
    _audit(view, audit)
    _exports(view, runs, run, audit)


def _run_label(view: View, run: dict[str, Any]) -> str:
    return (
        f"{local_time(run.get('started_at'))} · {view.name(str(run.get('agency')))} · "
        f"{run.get('playbook')} · {run.get('status')}"
    )


def _counts(view: View, run: dict[str, Any]) -> tuple[int, int, int]:
    steps = run.get("steps") or []
    late = sum(export.late_minutes(s, view.at) is not None for s in steps)
    skipped = sum(s.get("status") == "skipped" for s in steps)
    done = sum(s.get("status") == "done" for s in steps)
    return done, late, skipped


def _runs_table(view: View, runs: list[dict[str, Any]]) -> None:
    rows = []
    for run in runs:
        done, late, skipped = _counts(view, run)
        rows.append(
            [
                local_time(run.get("started_at")),
                html.escape(view.name(str(run.get("agency")))),
                html.escape(str(run.get("playbook"))),
                html.escape(str(run.get("status"))),
                f"{done}/{len(run.get('steps') or [])}",
                str(late),
                str(skipped),
                "✓" if run.get("drill") else "",
            ]
        )
    st.html(
        html_table(
            [
                view.t("playbooks.started"),
                view.t("col.agency"),
                view.t("playbooks.playbook"),
                view.t("col.status"),
                view.t("playbooks.done"),
                view.t("playbooks.late"),
                view.t("playbooks.skipped"),
                view.t("playbooks.drill"),
            ],
            rows,
            table_id="qulaq-runs",
        )
    )


def _timeline(view: View, run: dict[str, Any]) -> None:
    st.subheader(view.t("playbooks.timeline"))
    started = run.get("started_at")
    rows = []
    for step in run.get("steps") or []:
        due = step.get("due_at")
        if not isinstance(due, datetime) or not isinstance(started, datetime):
            continue
        done = step.get("done_at")
        rows.append(
            {
                "step": str(step.get("name") or step.get("id")),
                "start": started.astimezone(zone()).replace(tzinfo=None),
                "due": due.astimezone(zone()).replace(tzinfo=None),
                "done": (
                    done.astimezone(zone()).replace(tzinfo=None)
                    if isinstance(done, datetime)
                    else None
                ),
                "late": export.late_minutes(step, view.at) is not None,
            }
        )
    if not rows:
        return
    frame = pd.DataFrame(rows)
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#90caf9")
        .encode(
            y=alt.Y("step:N", sort=None, title=None),
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%d.%m %H:%M")),
            x2="due:T",
        )
    )
    done = (
        alt.Chart(frame.dropna(subset=["done"]))
        .mark_point(filled=True, size=80)
        .encode(
            y=alt.Y("step:N", sort=None),
            x="done:T",
            color=alt.Color(
                "late:N",
                scale=alt.Scale(domain=[False, True], range=["#2e7d32", "#c62828"]),
                legend=None,
            ),
        )
    )
    st.altair_chart((bars + done).properties(height=30 * len(rows) + 40), width="stretch")


def _steps(view: View, run: dict[str, Any]) -> None:
    rows = []
    for step in run.get("steps") or []:
        late = export.late_minutes(step, view.at)
        rows.append(
            [
                html.escape(str(step.get("name") or step.get("id"))),
                html.escape(str(step.get("role") or "")),
                local_time(step.get("due_at")),
                local_time(step.get("done_at")),
                html.escape(str(step.get("status") or "")),
                "" if late is None else view.t("playbooks.late_by", m=f"{late:.0f}"),
            ]
        )
    st.html(
        html_table(
            [
                view.t("playbooks.step"),
                view.t("playbooks.role"),
                view.t("playbooks.due"),
                view.t("playbooks.done_at"),
                view.t("col.status"),
                view.t("playbooks.late"),
            ],
            rows,
            table_id="qulaq-steps",
        )
    )


def _audit(view: View, audit: list[dict[str, Any]]) -> None:
    st.subheader(view.t("playbooks.audit"))
    if not audit:
        st.caption(view.t("playbooks.no_audit"))
        return
    frame = pd.DataFrame(audit)
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, datetime)).any():
            frame[col] = frame[col].map(lambda v: local_time(v, "%Y-%m-%d %H:%M:%S"))
    st.dataframe(frame.astype(str), hide_index=True)


def _exports(
    view: View, runs: list[dict[str, Any]], run: dict[str, Any], audit: list[dict[str, Any]]
) -> None:
    if not view.can("export"):
        st.caption(view.t("playbooks.export_forbidden"))
        return
    st.subheader(view.t("playbooks.export"))
    names = {str(r.get("agency")): view.name(str(r.get("agency"))) for r in runs}
    cols = st.columns(2)
    cols[0].download_button(
        view.t("playbooks.csv"),
        export.runs_csv(runs, view.at),
        file_name="playbook-runs.csv",
        mime="text/csv",
        on_click=lambda: view.audit("export", "playbooks.csv", runs=len(runs)),
    )
    try:
        pdf = export.runs_pdf(
            [run], audit, view.at, title=view.t("playbooks.report_title"), names=names
        )
    except RuntimeError as exc:
        cols[1].caption(str(exc))
        return
    cols[1].download_button(
        view.t("playbooks.pdf"),
        pdf,
        file_name=f"playbook-run-{run['id']}.pdf",
        mime="application/pdf",
        on_click=lambda: view.audit("export", f"playbooks.pdf:{run['id']}"),
    )


if __name__ == "__main__":
    render(current_view())
