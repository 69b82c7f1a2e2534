"""The manager's report on playbook runs: who was told what and when, which
steps were late or skipped, how fast the agency acknowledged and answered.

Two answer times are shown: the first public step marked done in the
playbook, and the first answer seen on the platforms (the agency's own post
or official reply after the run started) — the second holds even when
nobody used the playbook's buttons.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from playbooks import store
from playbooks.engine import DONE, NOT_APPLICABLE, SKIPPED, RunState
from playbooks.messages import local_time
from playbooks.model import Library, pick
from qulaq.i18n import register, t
from qulaq.registry import Registry
from qulaq.storage.schema import comments, posts

register(
    {
        "rep.title": {
            "kk": "Іс-қимыл жоспарлары бойынша есеп: {agency}",
            "ru": "Отчёт о выполнении планов реагирования: {agency}",
            "en": "Playbook report: {agency}",
        },
        "rep.period": {
            "kk": "Кезең: {since} — {until}",
            "ru": "Период: {since} — {until}",
            "en": "Period: {since} — {until}",
        },
        "rep.none": {
            "kk": "Бұл кезеңде жоспарлар іске қосылмаған.",
            "ru": "За период планы не запускались.",
            "en": "No runs in this period.",
        },
        "rep.run": {"kk": "Жоспар", "ru": "План", "en": "Run"},
        "rep.drill": {"kk": "оқу-жаттығу", "ru": "учения", "en": "drill"},
        "rep.alert": {"kk": "Сигнал", "ru": "Сигнал", "en": "Alert"},
        "rep.started": {"kk": "Басталды", "ru": "Начат", "en": "Started"},
        "rep.status": {"kk": "Күйі", "ru": "Статус", "en": "Status"},
        "rep.severity": {"kk": "Ауырлығы", "ru": "Тяжесть", "en": "Severity"},
        "rep.first_ack": {
            "kk": "Алғашқы растауға дейін",
            "ru": "Время до первого подтверждения",
            "en": "Time to first acknowledgement",
        },
        "rep.first_public_step": {
            "kk": "Алғашқы ашық жауапқа дейін (жоспар бойынша)",
            "ru": "Время до первого публичного ответа (по плану)",
            "en": "Time to first public answer (in the playbook)",
        },
        "rep.first_public_seen": {
            "kk": "Алғашқы ашық жауапқа дейін (платформаларда)",
            "ru": "Время до первого публичного ответа (на площадках)",
            "en": "Time to first public answer (seen on the platforms)",
        },
        "rep.never": {"kk": "болған жоқ", "ru": "не было", "en": "none"},
        "rep.steps": {"kk": "Қадамдар", "ru": "Шаги", "en": "Steps"},
        "rep.late": {
            "kk": "Кешіккен немесе өткізілген қадамдар",
            "ru": "Просроченные и пропущенные шаги",
            "en": "Late or skipped steps",
        },
        "rep.no_late": {
            "kk": "Барлық қадам уақытында.",
            "ru": "Все шаги выполнены в срок.",
            "en": "Every step was on time.",
        },
        "rep.timeline": {"kk": "Хронология", "ru": "Хронология", "en": "Timeline"},
        "rep.suppressed": {
            "kk": "{n} хабарлама жіберілмеді (қайта ойнатылған оқиға).",
            "ru": "{n} уведомл. не отправлено (воспроизведённые события).",
            "en": "{n} notifications not sent (replayed events).",
        },
        "rep.cols.steps": {
            "kk": "| Қадам | Рөлі | Мерзімі | Күйі | Расталды | Орындалды |",
            "ru": "| Шаг | Роль | Срок | Статус | Подтверждён | Выполнен |",
            "en": "| Step | Role | Due | Status | Acknowledged | Done |",
        },
        "rep.cols.late": {
            "kk": "| Қадам | Рөлі | Мерзімі | Не болды | Кешігу | Ескерту |",
            "ru": "| Шаг | Роль | Срок | Что случилось | Опоздание | Примечание |",
            "en": "| Step | Role | Due | What happened | Late by | Note |",
        },
        "rep.cols.timeline": {
            "kk": "| Уақыты | Кім | Не | Қадам | Толығырақ |",
            "ru": "| Время | Кто | Что | Шаг | Подробности |",
            "en": "| Time | Who | What | Step | Details |",
        },
        "rep.what.done_late": {
            "kk": "кеш орындалды",
            "ru": "выполнен с опозданием",
            "en": "done late",
        },
        "rep.what.open_late": {
            "kk": "орындалмаған, мерзімі өткен",
            "ru": "не выполнен, срок истёк",
            "en": "not done, overdue",
        },
        "rep.what.skipped": {"kk": "өткізілді", "ru": "пропущен", "en": "skipped"},
        "rep.no_reason": {
            "kk": "себебі көрсетілмеген",
            "ru": "причина не указана",
            "en": "no reason given",
        },
    }
)

ACTION_NAMES = {
    "started": {"kk": "жоспар басталды", "ru": "план запущен", "en": "run started"},
    "started_by_hand": {"kk": "қолмен басталды", "ru": "запущен вручную", "en": "started by hand"},
    "opened": {"kk": "қадам ашылды", "ru": "шаг открыт", "en": "step opened"},
    "acknowledged": {"kk": "расталды", "ru": "подтверждён", "en": "acknowledged"},
    "done": {"kk": "орындалды", "ru": "выполнен", "en": "done"},
    "skipped": {"kk": "өткізілді", "ru": "пропущен", "en": "skipped"},
    "escalated": {"kk": "эскалация", "ru": "эскалация", "en": "escalated"},
    "overdue": {"kk": "мерзімі өтті", "ru": "срок истёк", "en": "overdue"},
    "alert": {"kk": "сигнал жаңартылды", "ru": "сигнал обновлён", "en": "alert update"},
    "notified": {"kk": "хабарлама жіберілді", "ru": "уведомление отправлено", "en": "notified"},
    "delivery_failed": {"kk": "жеткізілмеді", "ru": "не доставлено", "en": "delivery failed"},
    "not_applicable": {"kk": "қолданылмайды", "ru": "не применим", "en": "not applicable"},
    "applicable": {"kk": "қолданылады", "ru": "стал применим", "en": "became applicable"},
    "replanned": {
        "kk": "жоспар ауыстырылды",
        "ru": "план заменён",
        "en": "moved to another playbook",
    },
    "completed": {"kk": "жоспар аяқталды", "ru": "план завершён", "en": "run completed"},
    "cancelled": {"kk": "жоспар тоқтатылды", "ru": "план отменён", "en": "run cancelled"},
}


@dataclass
class StepLine:
    id: str
    title: str
    role: str
    status: str
    due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    done_at: datetime | None
    done_by: str | None
    late_by: timedelta | None  # None: on time or not yet due
    note: str | None
    escalation_level: int


@dataclass
class RunReport:
    run: RunState
    title: str
    agency_name: str
    steps: list[StepLine]
    first_ack: timedelta | None
    first_public_step: timedelta | None
    first_public_seen: timedelta | None
    timeline: list[dict[str, Any]]
    suppressed: int = 0
    late: list[StepLine] = field(default_factory=list)


def build(
    conn: Connection,
    runs: list[RunState],
    library: Library,
    registry: Registry,
    *,
    lang: str,
    now: datetime,
) -> list[RunReport]:
    audit = store.audit_log(conn, [r.id for r in runs])
    out = []
    for run in runs:
        playbook = library.playbooks.get(run.playbook)
        agency = registry.get(run.agency)
        lines = []
        for s in run.steps:
            spec = playbook.step(s.id) if playbook else None
            end: datetime | None
            if s.status == DONE:
                end = s.done_at
            elif s.terminal:
                end = None
            else:  # still open: late by now, in the run's own clock
                end = run.clock if run.clock_mode == "event" else now
            late = end - s.due_at if end is not None and end > s.due_at else None
            lines.append(
                StepLine(
                    id=s.id,
                    title=pick(spec.title, lang) if spec else s.id,
                    role=playbook.role_name(s.role, lang) if playbook else s.role,
                    status=s.status,
                    due_at=s.due_at,
                    acknowledged_at=s.acknowledged_at,
                    acknowledged_by=s.acknowledged_by,
                    done_at=s.done_at,
                    done_by=s.done_by,
                    late_by=late,
                    note=s.note,
                    escalation_level=s.escalation_level,
                )
            )
        acks = [s.acknowledged_at for s in run.steps if s.acknowledged_at]
        public_steps = [
            s.done_at
            for s in run.steps
            if s.status == DONE and s.done_at and playbook and playbook.step(s.id).public
        ]
        seen = first_public_answer(conn, run.agency, run.started_at)
        entries = [e for e in audit if e["run_id"] == run.id]
        report = RunReport(
            run=run,
            title=pick(playbook.title, lang) if playbook else run.playbook,
            agency_name=agency.name(lang) if agency else run.agency,
            steps=lines,
            first_ack=min(acks) - run.started_at if acks else None,
            first_public_step=min(public_steps) - run.started_at if public_steps else None,
            first_public_seen=seen - run.started_at if seen else None,
            timeline=[e for e in entries if e["action"] != "suppressed"],
            suppressed=sum(1 for e in entries if e["action"] == "suppressed"),
        )
        report.late = [
            s
            for s in lines
            if s.status == SKIPPED or (s.late_by is not None and s.status != NOT_APPLICABLE)
        ]
        out.append(report)
    return out


def first_public_answer(conn: Connection, agency: str, since: datetime) -> datetime | None:
    c, p = comments.c, posts.c
    reply = conn.execute(
        select(func.min(c.created_at)).where(
            c.agency == agency, c.is_official_reply.is_(True), c.created_at >= since
        )
    ).scalar()
    post = conn.execute(
        select(func.min(p.created_at)).where(p.agency == agency, p.created_at >= since)
    ).scalar()
    found = [x for x in (reply, post) if x is not None]
    return min(found) if found else None


def duration(d: timedelta | None, lang: str) -> str:
    if d is None:
        return t("rep.never", lang)
    minutes = int(d.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    unit = {"kk": ("тәу", "сағ", "мин"), "ru": ("д", "ч", "мин"), "en": ("d", "h", "min")}[lang]
    parts = []
    if days:
        parts.append(f"{days} {unit[0]}")
    if hours:
        parts.append(f"{hours} {unit[1]}")
    if mins or not parts:
        parts.append(f"{mins} {unit[2]}")
    return " ".join(parts)


def to_markdown(
    reports: list[RunReport], *, agency: str, since: datetime, until: datetime, lang: str
) -> str:
    out = [f"# {t('rep.title', lang, agency=agency)}", ""]
    out.append(t("rep.period", lang, since=local_time(since), until=local_time(until)))
    out.append("")
    if not reports:
        out.append(t("rep.none", lang))
        return "\n".join(out) + "\n"
    for r in reports:
        drill = f" ({t('rep.drill', lang)})" if r.run.drill else ""
        out.append(f"## {r.title}{drill} — {r.run.id}")
        out.append("")
        out.append(f"- {t('rep.alert', lang)}: {r.run.alert_id} — {r.run.summary}")
        out.append(f"- {t('rep.severity', lang)}: {r.run.severity}/4")
        out.append(f"- {t('rep.started', lang)}: {local_time(r.run.started_at)}")
        out.append(f"- {t('rep.status', lang)}: {r.run.status}")
        out.append(f"- {t('rep.first_ack', lang)}: {duration(r.first_ack, lang)}")
        out.append(f"- {t('rep.first_public_step', lang)}: {duration(r.first_public_step, lang)}")
        out.append(f"- {t('rep.first_public_seen', lang)}: {duration(r.first_public_seen, lang)}")
        out.append("")
        out.append(f"### {t('rep.steps', lang)}")
        out.append("")
        out.append(t("rep.cols.steps", lang))
        out.append("|---|---|---|---|---|---|")
        for s in r.steps:
            ack = (
                f"{local_time(s.acknowledged_at)} {s.acknowledged_by or ''}".strip()
                if s.acknowledged_at
                else "—"
            )
            done = f"{local_time(s.done_at)} {s.done_by or ''}".strip() if s.done_at else "—"
            out.append(
                f"| {s.title} | {s.role} | {local_time(s.due_at)} | {s.status} | {ack} | {done} |"
            )
        out.append("")
        out.append(f"### {t('rep.late', lang)}")
        out.append("")
        if not r.late:
            out.append(t("rep.no_late", lang))
        else:
            out.append(t("rep.cols.late", lang))
            out.append("|---|---|---|---|---|---|")
            for s in r.late:
                if s.status == SKIPPED:
                    what, late = t("rep.what.skipped", lang), "—"
                elif s.status == DONE:
                    what, late = t("rep.what.done_late", lang), duration(s.late_by, lang)
                else:
                    what, late = t("rep.what.open_late", lang), duration(s.late_by, lang)
                note = s.note or (t("rep.no_reason", lang) if s.status == SKIPPED else "")
                out.append(
                    f"| {s.title} | {s.role} | {local_time(s.due_at)} | {what} | {late} | {note} |"
                )
        out.append("")
        out.append(f"### {t('rep.timeline', lang)}")
        out.append("")
        out.append(t("rep.cols.timeline", lang))
        out.append("|---|---|---|---|---|")
        titles = {s.id: s.title for s in r.steps}
        for e in r.timeline:
            action = pick(ACTION_NAMES.get(e["action"]), lang) or e["action"]
            step = titles.get(e["step"] or "", e["step"] or "")
            out.append(
                f"| {local_time(e['at'])} | {e['actor']} | {action} | {step} | {_detail(e)} |"
            )
        if r.suppressed:
            out.append("")
            out.append(t("rep.suppressed", lang, n=r.suppressed))
        out.append("")
    return "\n".join(out) + "\n"


def _detail(e: dict[str, Any]) -> str:
    d = e.get("detail") or {}
    bits = []
    if e.get("channel"):
        bits.append(f"{e['channel']} → {e.get('recipient')}")
    for key in (
        "to",
        "level",
        "note",
        "severity",
        "change",
        "alert_id",
        "condition",
        "error",
        "via",
    ):
        if d.get(key) not in (None, ""):
            bits.append(f"{key}: {d[key]}")
    if e["action"] == "notified" and d.get("kind"):
        bits.append(str(d["kind"]))
    return "; ".join(str(b).replace("|", "/") for b in bits)


CSV_COLUMNS = (
    "run_id",
    "playbook",
    "agency",
    "drill",
    "run_status",
    "started_at",
    "step",
    "role",
    "status",
    "due_at",
    "acknowledged_at",
    "acknowledged_by",
    "done_at",
    "done_by",
    "late_minutes",
    "escalation_level",
    "note",
    "first_ack_minutes",
    "first_public_answer_minutes",
    "first_public_answer_seen_minutes",
)


def to_csv(reports: list[RunReport]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def iso(d: datetime | None) -> str:
        return d.astimezone(_tz()).isoformat() if d else ""

    def mins(d: timedelta | None) -> str:
        return str(int(d.total_seconds() // 60)) if d is not None else ""

    for r in reports:
        for s in r.steps:
            w.writerow(
                [
                    r.run.id,
                    r.run.playbook,
                    r.run.agency,
                    int(r.run.drill),
                    r.run.status,
                    iso(r.run.started_at),
                    s.id,
                    s.role,
                    s.status,
                    iso(s.due_at),
                    iso(s.acknowledged_at),
                    s.acknowledged_by or "",
                    iso(s.done_at),
                    s.done_by or "",
                    mins(s.late_by),
                    s.escalation_level,
                    s.note or "",
                    mins(r.first_ack),
                    mins(r.first_public_step),
                    mins(r.first_public_seen),
                ]
            )
    return buf.getvalue()


def _tz() -> Any:
    from qulaq.timefmt import zone

    return zone()
