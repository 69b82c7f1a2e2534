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
from dashboard.widgets import html_table, in_language, local_time
from playbooks.names import actor_name, detail_text
from qulaq.timefmt import zone


def render(view: View) -> None:
    st.title(view.t("playbooks.title"))
    view.audit_view("playbooks")
    with view.db.read() as conn:
        feed = feeds.playbook_runs(conn, view.scope, view.as_of)
    if not feed.available:
        st.info(view.t("playbooks.no_source"))
        return
    runs = sorted(feed.rows, key=lambda r: r.get("started_at") or view.at, reverse=True)
    if not runs:
        st.info(view.t("playbooks.none"))
        return
    _runs_table(view, runs)
    ids = [str(r["id"]) for r in runs]
    key, index = in_language("playbook_run", view.lang, ids)
    chosen = st.selectbox(
        view.t("playbooks.run"),
        ids,
        index=index,
        format_func=lambda i: _run_label(view, next(r for r in runs if str(r["id"]) == i)),
        key=key,
    )
    run = next(r for r in runs if str(r["id"]) == chosen)
    with view.db.read() as conn:
        audit = feeds.playbook_audit(conn, [str(run["id"])], view.as_of)
    log = audit_rows(view, run, audit)  # shown on the page and written into the PDF
    _timeline(view, run)
    _steps(view, run)
    _audit(view, log)
    _exports(view, runs, run, log)


@st.cache_resource(show_spinner=False)
def _library() -> Any:
    """The playbooks their runs followed, for their names in the reader's language."""
    try:
        from playbooks.model import Library, PlaybookError
    except ImportError:
        return None
    try:
        return Library.load()
    except (PlaybookError, OSError):
        return None


def _playbook(run: dict[str, Any]) -> Any:
    lib = _library()
    return lib.playbooks.get(str(run.get("playbook"))) if lib is not None else None


def playbook_title(view: View, run: dict[str, Any]) -> str:
    from playbooks.model import pick

    found = _playbook(run)
    return (pick(found.title, view.lang) if found else "") or str(run.get("playbook"))


def step_title(view: View, run: dict[str, Any], step: dict[str, Any]) -> str:
    from playbooks.model import pick

    step_id = str(step.get("id") or step.get("step") or "")
    found = _playbook(run)
    try:
        title = pick(found.step(step_id).title, view.lang) if found else ""
    except KeyError:
        title = ""
    return title or str(step.get("name") or step_id)


def role_name(view: View, run: dict[str, Any], role: str) -> str:
    found = _playbook(run)
    return found.role_name(role, view.lang) if found else role


def late_text(view: View, minutes: float) -> str:
    if minutes >= 120:
        return view.t("playbooks.late_by_h", h=f"{minutes / 60:.0f}")
    return view.t("playbooks.late_by", m=f"{minutes:.0f}")


def _run_label(view: View, run: dict[str, Any]) -> str:
    status = view.t(f"runstatus.{run.get('status')}")
    return (
        f"{local_time(run.get('started_at'))} · {view.name(str(run.get('agency')))} · "
        f"{playbook_title(view, run)} · {status}"
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
                html.escape(playbook_title(view, run)),
                html.escape(view.t(f"runstatus.{run.get('status')}")),
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
                "step": step_title(view, run, step),
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
    # Whole step names: Vega cuts a label at 180 px ("Acknowledge the …"), and Kazakh and
    # Russian names are longer still.
    steps = alt.Y("step:N", sort=None, title=None, axis=alt.Axis(labelLimit=0))
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#90caf9")
        .encode(
            y=steps,
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%d.%m %H:%M")),
            x2="due:T",
        )
    )
    done = (
        alt.Chart(frame.dropna(subset=["done"]))
        .mark_point(filled=True, size=80)
        .encode(
            y=steps,
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
                html.escape(step_title(view, run, step)),
                html.escape(role_name(view, run, str(step.get("role") or ""))),
                local_time(step.get("due_at")),
                local_time(step.get("done_at")),
                html.escape(view.t(f"stepstatus.{step.get('status')}")),
                "" if late is None else html.escape(late_text(view, late)),
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


def _title_of(view: View, playbook_id: str) -> str:
    """A playbook's title in the reader's language, by its id (a replan names two)."""
    from playbooks.model import pick

    lib = _library()
    found = lib.playbooks.get(playbook_id) if lib is not None else None
    return (pick(found.title, view.lang) if found else "") or playbook_id


def audit_rows(view: View, run: dict[str, Any], audit: list[dict[str, Any]]) -> pd.DataFrame:
    """The log as a reader wants it: when, who, what, about which step, to whom, what was said."""
    steps = {str(s.get("id") or s.get("step")): s for s in run.get("steps") or []}
    rows = []
    for entry in audit:
        step = str(entry.get("step") or "")
        rows.append(
            {
                view.t("playbooks.when"): local_time(entry.get("at"), "%Y-%m-%d %H:%M:%S"),
                view.t("playbooks.actor"): actor_name(str(entry.get("actor") or ""), view.lang),
                view.t("playbooks.action"): view.t(f"auditaction.{entry.get('action')}"),
                view.t("playbooks.step"): (
                    step_title(view, run, steps.get(step, {"id": step})) if step else ""
                ),
                view.t("playbooks.recipient"): " · ".join(
                    str(entry[k]) for k in ("channel", "recipient") if entry.get(k)
                ),
                view.t("playbooks.message"): str(entry.get("message") or ""),
                view.t("playbooks.detail"): detail_text(
                    str(entry.get("action") or ""),
                    entry.get("detail") if isinstance(entry.get("detail"), dict) else None,
                    view.lang,
                    role=lambda r: role_name(view, run, r),
                    playbook=lambda p: _title_of(view, p),
                    alert_kind=lambda k: view.t(f"kind.{k}"),
                ),
            }
        )
    return pd.DataFrame(rows)


def _audit(view: View, log: pd.DataFrame) -> None:
    st.subheader(view.t("playbooks.audit"))
    if log.empty:
        st.caption(view.t("playbooks.no_audit"))
        return
    st.dataframe(log, hide_index=True)


def _exports(
    view: View, runs: list[dict[str, Any]], run: dict[str, Any], log: pd.DataFrame
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
    text = export.PdfText(
        words={
            "step": view.t("playbooks.step"),
            "role": view.t("playbooks.role"),
            "due": view.t("playbooks.due"),
            "done": view.t("playbooks.done_at"),
            "status": view.t("col.status"),
            "late": view.t("playbooks.late_min"),
            "audit": view.t("playbooks.audit"),
            "as_of": view.t("playbooks.report_time"),
        },
        playbook=lambda r, _: playbook_title(view, r),
        step=lambda r, step_id: step_title(view, r, {"id": step_id}),
        role=lambda r, role: role_name(view, r, role),
        run_status=lambda _, status: view.t(f"runstatus.{status}"),
        step_status=lambda _, status: view.t(f"stepstatus.{status}"),
    )
    lines = [" · ".join(str(v) for v in row if v) for row in log.itertuples(index=False)]
    try:
        pdf = export.runs_pdf(
            [run], lines, view.at, title=view.t("playbooks.report_title"), names=names, text=text
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
