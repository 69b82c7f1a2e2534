"""What on-call people read: notifications composed in their language.

Templates of public messages come from the playbook; the frame around them
(which step, whose role, by when, how to acknowledge) comes from here. Times
are shown in Kazakhstan time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from playbooks.engine import Notify, RunState
from playbooks.model import Playbook, pick, render
from qulaq.i18n import register, t
from qulaq.timefmt import local_text, zone

TOPIC_NAMES: dict[str, dict[str, str]] = {
    "housing_utilities": {
        "kk": "тұрғын үй-коммуналдық шаруашылық",
        "ru": "ЖКХ",
        "en": "housing and utilities",
    },
    "roads_transport": {
        "kk": "жолдар мен көлік",
        "ru": "дороги и транспорт",
        "en": "roads and transport",
    },
    "land": {"kk": "жер", "ru": "земельные вопросы", "en": "land"},
    "social_payments": {
        "kk": "әлеуметтік төлемдер",
        "ru": "социальные выплаты",
        "en": "social payments",
    },
    "health": {"kk": "денсаулық сақтау", "ru": "здравоохранение", "en": "health care"},
    "education": {"kk": "білім беру", "ru": "образование", "en": "education"},
    "employment": {"kk": "жұмыспен қамту", "ru": "занятость", "en": "employment"},
    "taxes": {"kk": "салықтар", "ru": "налоги", "en": "taxes"},
    "ecology": {"kk": "экология", "ru": "экология", "en": "ecology"},
    "emergencies": {"kk": "төтенше жағдайлар", "ru": "чрезвычайные ситуации", "en": "emergencies"},
    "corruption": {"kk": "сыбайлас жемқорлық", "ru": "коррупция", "en": "corruption"},
    "public_services": {"kk": "мемлекеттік қызметтер", "ru": "госуслуги", "en": "public services"},
}

register(
    {
        "pb.drill": {"kk": "[Оқу-жаттығу]", "ru": "[Учения]", "en": "[Drill]"},
        "pb.header": {
            "kk": "{agency} — {playbook}, ауырлығы {severity}/4.",
            "ru": "{agency} — {playbook}, тяжесть {severity} из 4.",
            "en": "{agency} — {playbook}, severity {severity} of 4.",
        },
        "pb.alert": {
            "kk": "Сигнал: {summary}",
            "ru": "Сигнал: {summary}",
            "en": "Alert: {summary}",
        },
        "pb.step": {
            "kk": "Қадам: {step} (рөлі: {role})",
            "ru": "Шаг: {step} (роль: {role})",
            "en": "Step: {step} (role: {role})",
        },
        "pb.due": {"kk": "Мерзімі: {due}", "ru": "Срок: {due}", "en": "Due: {due}"},
        "pb.action": {
            "kk": "Не істеу керек: {action}",
            "ru": "Что сделать: {action}",
            "en": "What to do: {action}",
        },
        "pb.checklist": {"kk": "Тексеру тізімі:", "ru": "Чек-лист:", "en": "Checklist:"},
        "pb.template": {"kk": "Мәтін үлгісі:", "ru": "Шаблон текста:", "en": "Message template:"},
        "pb.commands": {
            "kk": "Растау: /ack {run} {step} · Орындалды: /done {run} {step}",
            "ru": "Подтвердить: /ack {run} {step} · Выполнено: /done {run} {step}",
            "en": "Acknowledge: /ack {run} {step} · Done: /done {run} {step}",
        },
        "pb.subject.step_open": {
            "kk": "{agency}: «{step}» — {due} дейін",
            "ru": "{agency}: «{step}» — до {due}",
            "en": "{agency}: “{step}” — due {due}",
        },
        "pb.subject.escalation": {
            "kk": "{agency}: «{step}» расталмады — эскалация, {level}-деңгей",
            "ru": "{agency}: «{step}» не подтверждён — эскалация, уровень {level}",
            "en": "{agency}: “{step}” not acknowledged — escalation level {level}",
        },
        "pb.subject.overdue": {
            "kk": "{agency}: «{step}» мерзімі өтті",
            "ru": "{agency}: срок шага «{step}» истёк",
            "en": "{agency}: “{step}” is overdue",
        },
        "pb.subject.severity_raised": {
            "kk": "{agency}: ауырлығы {severity}/4 дейін өсті",
            "ru": "{agency}: тяжесть выросла до {severity} из 4",
            "en": "{agency}: severity rose to {severity} of 4",
        },
        "pb.escalation": {
            "kk": "Қадам {since} бастап расталмаған. Сізге эскалация жасалды ({level}-деңгей).",
            "ru": "Шаг не подтверждён с {since}. Эскалация вам (уровень {level}).",
            "en": "The step has not been acknowledged since {since}. "
            "Escalated to you (level {level}).",
        },
        "pb.overdue": {
            "kk": "Қадамның мерзімі {due} өтті, ол әлі орындалмаған.",
            "ru": "Срок шага истёк в {due}, шаг не выполнен.",
            "en": "The step was due at {due} and is not done.",
        },
        "pb.severity_raised": {
            "kk": "Оқиғаның ауырлығы {severity}/4 дейін өсті. Жоспардың қадамдарын тексеріңіз.",
            "ru": "Тяжесть инцидента выросла до {severity} из 4. Проверьте шаги плана.",
            "en": "The incident's severity rose to {severity} of 4. Check the plan's steps.",
        },
        "pb.run_steps": {"kk": "Жоспар қадамдары:", "ru": "Шаги плана:", "en": "Plan steps:"},
    }
)


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    payload: dict[str, Any]


def local_time(at: datetime | None, lang: str = "ru") -> str:
    if at is None:
        return "—"
    return local_text(at, "%d.%m.%Y %H:%M")


def template_values(
    run: RunState, playbook: Playbook, agency_name: str, lang: str, summary: str, topic: str | None
) -> dict[str, str]:
    start = run.started_at.astimezone(zone())
    return {
        "agency": agency_name,
        "date": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H:%M"),
        "topic": pick(TOPIC_NAMES.get(topic or ""), lang) or "[тема]",
        "summary": summary or "",
        "severity": str(run.severity),
        "run": run.id,
        "deadline": "",
        "playbook": pick(playbook.title, lang),
    }


def compose(
    effect: Notify,
    run: RunState,
    playbook: Playbook,
    *,
    lang: str,
    agency_name: str,
    summary: str,
    topic: str | None = None,
) -> Composed:
    step = playbook.step(effect.step) if effect.step else None
    state = run.step(effect.step) if effect.step else None
    values = template_values(run, playbook, agency_name, lang, summary, topic)
    step_title = pick(step.title, lang) if step else ""
    due = local_time(state.due_at) if state else ""
    if state:
        values["deadline"] = due
    lines: list[str] = []
    if run.drill:
        lines.append(t("pb.drill", lang))
    lines.append(
        t(
            "pb.header",
            lang,
            agency=agency_name,
            playbook=pick(playbook.title, lang),
            severity=run.severity,
        )
    )
    if summary:
        lines.append(t("pb.alert", lang, summary=summary))
    if effect.kind == "escalation" and state is not None:
        lines.append(
            t("pb.escalation", lang, since=local_time(state.opened_at), level=effect.level)
        )
    elif effect.kind == "overdue" and state is not None:
        lines.append(t("pb.overdue", lang, due=due))
    elif effect.kind == "severity_raised":
        lines.append(t("pb.severity_raised", lang, severity=run.severity))
    if step is not None and state is not None:
        lines.append(t("pb.step", lang, step=step_title, role=playbook.role_name(step.role, lang)))
        lines.append(t("pb.due", lang, due=due))
        lines.append(t("pb.action", lang, action=pick(step.action, lang)))
        if step.checklist:
            lines.append(t("pb.checklist", lang))
            lines.extend(f"- {pick(item, lang)}" for item in step.checklist)
        if step.message:
            lines.append(t("pb.template", lang))
            lines.append(render(pick(playbook.messages[step.message], lang), values))
        lines.append(t("pb.commands", lang, run=run.id, step=step.id))
    else:
        lines.append(t("pb.run_steps", lang))
        for s in run.steps:
            spec = playbook.step(s.id)
            lines.append(f"- {pick(spec.title, lang)}: {local_time(s.due_at)} ({s.status})")
    subject_key = f"pb.subject.{effect.kind}"
    subject = t(
        subject_key,
        lang,
        agency=agency_name,
        step=step_title,
        due=due,
        level=effect.level,
        severity=run.severity,
    )
    if run.drill:
        subject = f"{t('pb.drill', lang)} {subject}"
    payload = {
        "run": run.id,
        "playbook": playbook.id,
        "agency": run.agency,
        "step": effect.step,
        "kind": effect.kind,
        "level": effect.level,
        "severity": run.severity,
        "due_at": state.due_at.isoformat() if state else None,
        "drill": run.drill,
    }
    return Composed(subject, "\n".join(lines), payload)
