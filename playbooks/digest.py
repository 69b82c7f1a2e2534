"""The daily digest for a press office and the weekly ranking for managers.

Responsiveness is what the seed studies ask to measure per account and the
regional centres publish: the reply rate (citizens' comments that got an
official reply), the median response time, and the share of comments that
needed an answer and got it within their triage deadline (1, 3 or up to 15
working days). Risk comes from the signals stage when it is installed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from playbooks import store
from playbooks.calendar import Offset, WorkCalendar
from playbooks.model import Library, pick
from qulaq.i18n import register, t
from qulaq.registry import Registry
from qulaq.storage.schema import comments

register(
    {
        "dg.title": {
            "kk": "{agency}: {day} күнгі шолу",
            "ru": "{agency}: сводка за {day}",
            "en": "{agency}: digest for {day}",
        },
        "dg.comments": {
            "kk": "Пікірлер: {n}, жағымсыз үлесі {neg}.",
            "ru": "Комментариев: {n}, доля негатива {neg}.",
            "en": "Comments: {n}, negative share {neg}.",
        },
        "dg.answers": {
            "kk": "Жауап күтетіндер: {needs}, жауап берілгені: {answered}, "
            "мерзімі өткені: {overdue}.",
            "ru": "Ждут ответа: {needs}, отвечено: {answered}, просрочено: {overdue}.",
            "en": "Needing an answer: {needs}, answered: {answered}, overdue: {overdue}.",
        },
        "dg.runs": {
            "kk": "Белсенді жоспарлар: {n}; мерзімі өткен қадамдар: {late}.",
            "ru": "Активных планов: {n}; просроченных шагов: {late}.",
            "en": "Active playbook runs: {n}; overdue steps: {late}.",
        },
        "dg.run": {
            "kk": "- {title}: {steps}",
            "ru": "- {title}: {steps}",
            "en": "- {title}: {steps}",
        },
        "dg.quiet": {
            "kk": "Белсенді жоспарлар жоқ.",
            "ru": "Активных планов нет.",
            "en": "No active playbook runs.",
        },
        "wk.title": {
            "kk": "Апталық есеп: {since} — {until}",
            "ru": "Еженедельный отчёт: {since} — {until}",
            "en": "Weekly report: {since} — {until}",
        },
        "wk.by_risk": {
            "kk": "Беделге қатысты тәуекел бойынша рейтинг",
            "ru": "Рейтинг по репутационному риску",
            "en": "Ranked by reputational risk",
        },
        "wk.by_response": {
            "kk": "Жауап беру бойынша рейтинг",
            "ru": "Рейтинг по работе с обращениями",
            "en": "Ranked by responsiveness",
        },
        "wk.cols.risk": {
            "kk": "Орган|Тәуекел|Деңгей|Пікірлер|Жағымсыз",
            "ru": "Госорган|Риск|Уровень|Комментарии|Негатив",
            "en": "Agency|Risk|Level|Comments|Negative",
        },
        "wk.cols.response": {
            "kk": "Орган|Жауап үлесі|Жауап уақыты (медиана)|Мерзімінде|Жауап күткендер",
            "ru": "Госорган|Доля ответов|Время ответа (медиана)|В срок|Ждали ответа",
            "en": "Agency|Reply rate|Response time (median)|On time|Needing an answer",
        },
        "wk.runs": {
            "kk": "Іс-қимыл жоспарлары: {n}, кешіккен қадамдар: {late}, өткізілгендер: {skipped}.",
            "ru": "Планы реагирования: {n}, шагов с опозданием: {late}, пропущено: {skipped}.",
            "en": "Playbook runs: {n}, late steps: {late}, skipped: {skipped}.",
        },
        "wk.no_risk": {
            "kk": "Тәуекел бағасы жоқ (сигналдар кезеңі орнатылмаған).",
            "ru": "Оценки риска нет (этап сигналов не установлен).",
            "en": "No risk scores (the signals stage is not installed).",
        },
        "wk.hours": {"kk": "{h} сағ", "ru": "{h} ч", "en": "{h} h"},
    }
)


@dataclass
class Responsiveness:
    agency: str
    comments: int = 0
    negative: int = 0
    needs_answer: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    replied: int = 0  # any comment with an official reply
    response_hours: list[float] = field(default_factory=list)

    @property
    def reply_rate(self) -> float | None:
        return self.replied / self.comments if self.comments else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.needs_answer if self.needs_answer else None

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.response_hours) if self.response_hours else None

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.comments if self.comments else None


def responsiveness(
    conn: Connection,
    calendar: WorkCalendar,
    since: datetime,
    until: datetime,
    *,
    now: datetime,
    agency: str | None = None,
) -> dict[str, Responsiveness]:
    """Per agency, over citizens' comments written in [since, until)."""
    c = comments.c
    q = select(
        c.agency, c.created_at, c.answered_at, c.needs_answer, c.answer_days, c.sentiment
    ).where(c.is_official_reply.is_(False), c.created_at >= since, c.created_at < until)
    if agency:
        q = q.where(c.agency == agency)
    out: dict[str, Responsiveness] = {}
    for row in conn.execute(q):
        r = out.setdefault(row.agency, Responsiveness(row.agency))
        r.comments += 1
        r.negative += row.sentiment == "negative"
        if row.answered_at is not None:
            r.replied += 1
        if not row.needs_answer:
            continue
        r.needs_answer += 1
        due = calendar.add(
            row.created_at, Offset(max(int(row.answer_days or 1), 0), "working_days")
        )
        if row.answered_at is not None:
            r.answered += 1
            r.response_hours.append((row.answered_at - row.created_at).total_seconds() / 3600)
            if row.answered_at <= due:
                r.on_time += 1
        elif due < now:
            r.overdue += 1
    return out


def risk_scores(conn: Connection, at: datetime) -> dict[str, Any] | None:
    try:
        from signals.risk import agency_risk
    except ImportError:
        return None
    return {r.agency: r for r in agency_risk(conn, at)}


def pct(x: float | None) -> str:
    return "—" if x is None else f"{round(100 * x)}%"


def daily_digest(
    conn: Connection,
    agency: str,
    day_start: datetime,
    *,
    calendar: WorkCalendar,
    library: Library,
    registry: Registry,
    lang: str,
    now: datetime,
) -> tuple[str, str]:
    """(subject, text) of one agency's digest for the local day starting at `day_start`."""
    found = registry.get(agency)
    name = found.name(lang) if found else agency
    day_end = day_start + timedelta(days=1)
    r = responsiveness(conn, calendar, day_start, day_end, now=now, agency=agency).get(
        agency, Responsiveness(agency)
    )
    runs = [x for x in store.list_runs(conn, agency=agency, status="active") if not x.drill]
    day = day_start.astimezone(calendar.tz).strftime("%d.%m.%Y")
    lines = [t("dg.comments", lang, n=r.comments, neg=pct(r.negative_share))]
    lines.append(
        t("dg.answers", lang, needs=r.needs_answer, answered=r.answered, overdue=r.overdue)
    )
    late = sum(1 for run in runs for s in run.steps if s.overdue and not s.terminal)
    if runs:
        lines.append(t("dg.runs", lang, n=len(runs), late=late))
        for run in runs:
            playbook = library.playbooks.get(run.playbook)
            title = pick(playbook.title, lang) if playbook else run.playbook
            open_steps = [
                pick(playbook.step(s.id).title, lang) if playbook else s.id
                for s in run.steps
                if not s.terminal and s.status != "pending"
            ]
            lines.append(
                t("dg.run", lang, title=f"{title} ({run.id})", steps="; ".join(open_steps))
            )
    else:
        lines.append(t("dg.quiet", lang))
    return t("dg.title", lang, agency=name, day=day), "\n".join(lines)


@dataclass
class Weekly:
    since: datetime
    until: datetime
    by_risk: list[tuple[str, str, Any, Responsiveness]]  # (agency, name, risk or None, resp)
    by_response: list[tuple[str, str, Responsiveness]]
    runs: int
    late_steps: int
    skipped_steps: int
    have_risk: bool


def weekly(
    conn: Connection,
    since: datetime,
    *,
    calendar: WorkCalendar,
    registry: Registry,
    lang: str,
    now: datetime,
) -> Weekly:
    until = since + timedelta(days=7)
    resp = responsiveness(conn, calendar, since, until, now=min(now, until + timedelta(days=15)))
    risks = risk_scores(conn, until) or {}

    def name(a: str) -> str:
        found = registry.get(a)
        return found.name(lang) if found else a

    agencies = sorted(set(resp) | set(risks))
    by_risk = sorted(
        ((a, name(a), risks.get(a), resp.get(a, Responsiveness(a))) for a in agencies),
        key=lambda x: (-(x[2].score if x[2] is not None else -1), x[0]),
    )

    def answer_key(r: Responsiveness) -> tuple[float, float, float]:
        return (
            -(r.on_time_share if r.on_time_share is not None else -1),
            -(r.reply_rate if r.reply_rate is not None else -1),
            r.median_hours if r.median_hours is not None else 1e9,
        )

    by_response = sorted(
        ((a, name(a), r) for a, r in resp.items() if r.comments),
        key=lambda x: (answer_key(x[2]), x[0]),
    )
    runs = [r for r in store.list_runs(conn, since=since, until=until) if not r.drill]
    late = sum(1 for r in runs for s in r.steps if s.overdue)
    skipped = sum(1 for r in runs for s in r.steps if s.status == "skipped")
    return Weekly(since, until, by_risk, by_response, len(runs), late, skipped, bool(risks))


def weekly_rows(w: Weekly, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    risk_rows = [
        [
            nm,
            str(risk.score) if risk is not None else "—",
            risk.level if risk is not None else "—",
            str(r.comments),
            pct(r.negative_share),
        ]
        for _a, nm, risk, r in w.by_risk
    ]
    resp_rows = [
        [
            nm,
            pct(r.reply_rate),
            t("wk.hours", lang, h=f"{r.median_hours:.1f}") if r.median_hours is not None else "—",
            pct(r.on_time_share),
            str(r.needs_answer),
        ]
        for _a, nm, r in w.by_response
    ]
    return risk_rows, resp_rows
