"""The names of a playbook run's states and of what its log records, in English,
Russian and Kazakh: one catalogue for the dashboard and the command line, so the two
cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from qulaq.i18n import name, register, register_names, t

# key: (en, ru, kk)
RUN_STATUS_NAMES: dict[str, tuple[str, str, str]] = {
    "active": ("active", "идёт", "жүріп жатыр"),
    "completed": ("completed", "завершён", "аяқталды"),
    "cancelled": ("cancelled", "отменён", "тоқтатылды"),
}
STEP_STATUS_NAMES: dict[str, tuple[str, str, str]] = {
    "pending": ("waiting", "ожидает", "күтуде"),
    "open": ("open", "открыт", "ашық"),
    "escalated": ("escalated", "эскалирован", "жоғарыға жіберілді"),
    "acknowledged": ("taken", "принят", "қабылданды"),
    "done": ("done", "выполнен", "орындалды"),
    "skipped": ("skipped", "пропущен", "өткізілді"),
    "not_applicable": ("not needed", "не требуется", "қажет емес"),
}
AUDIT_ACTION_NAMES: dict[str, tuple[str, str, str]] = {
    "started": ("run started", "запуск начат", "орындалу басталды"),
    "started_by_hand": ("started by hand", "запущен вручную", "қолмен іске қосылды"),
    "opened": ("step opened", "шаг открыт", "қадам ашылды"),
    "acknowledged": ("step taken", "шаг принят", "қадам қабылданды"),
    "escalated": ("escalated", "эскалация", "жоғарыға жіберілді"),
    "overdue": ("overdue", "просрочен", "мерзімі өтті"),
    "done": ("done", "выполнено", "орындалды"),
    "skipped": ("skipped", "пропущено", "өткізілді"),
    "applicable": ("now needed", "теперь требуется", "енді қажет"),
    "not_applicable": ("not needed", "не требуется", "қажет емес"),
    "replanned": ("replanned", "перепланирован", "қайта жоспарланды"),
    "completed": ("run completed", "запуск завершён", "орындалу аяқталды"),
    "cancelled": ("run cancelled", "запуск отменён", "орындалу тоқтатылды"),
    "notified": ("notified", "оповещение отправлено", "хабарлама жіберілді"),
    "delivery_failed": ("not delivered", "не доставлено", "жеткізілмеді"),
    "suppressed": ("not sent", "не отправлено", "жіберілмеді"),
    "alert": ("alert updated", "оповещение обновлено", "дабыл жаңартылды"),
}
ACTOR_NAMES: dict[str, tuple[str, str, str]] = {
    "system": ("system", "система", "жүйе"),  # timers, deliveries, the engine itself
}

_NAMES = {
    "runstatus": RUN_STATUS_NAMES,
    "stepstatus": STEP_STATUS_NAMES,
    "auditaction": AUDIT_ACTION_NAMES,
    "actor": ACTOR_NAMES,
}

register_names("pb", _NAMES)


def run_status_name(status: str, lang: str | None = None) -> str:
    return name("pb", "runstatus", status, lang)


def step_status_name(status: str, lang: str | None = None) -> str:
    return name("pb", "stepstatus", status, lang)


def audit_action_name(action: str, lang: str | None = None) -> str:
    return name("pb", "auditaction", action, lang)


def actor_name(actor: str, lang: str | None = None) -> str:
    """Who acted: a person as recorded, the system by that name in `lang`."""
    return name("pb", "actor", actor, lang)


# What a log entry's details say, for the manager who reads the log: the notice kinds,
# triage classes and the phrases around them
NOTICE_NAMES: dict[str, tuple[str, str, str]] = {
    "step_open": ("step opened", "открыт шаг", "қадам ашылды"),
    "escalation": ("escalation", "эскалация", "жоғарыға жіберу"),
    "overdue": ("step overdue", "шаг просрочен", "қадамның мерзімі өтті"),
    "severity_raised": ("severity raised", "тяжесть повышена", "ауырлығы артты"),
    "digest": ("daily digest", "ежедневная сводка", "күнделікті шолу"),
    "health": ("system check", "проверка системы", "жүйені тексеру"),
}
TRIAGE_NAMES: dict[str, tuple[str, str, str]] = {
    "light": ("light", "лёгкий", "жеңіл"),
    "medium": ("medium", "средний", "орташа"),
    "heavy": ("heavy", "тяжёлый", "ауыр"),
}
OUTBOX_STATUS_NAMES: dict[str, tuple[str, str, str]] = {
    "pending": ("pending", "в очереди", "кезекте"),
    "sending": ("sending", "отправляется", "жіберілуде"),
    "sent": ("sent", "отправлено", "жіберілді"),
    "failed": ("failed", "не доставлено", "жеткізілмеді"),
    "suppressed": ("suppressed", "не отправлялось", "жіберілмеген"),
}
ALERT_CHANGE_NAMES: dict[str, tuple[str, str, str]] = {
    "raised": ("raised", "поднято", "көтерілді"),
    "updated": ("updated", "обновлено", "жаңартылды"),
    "escalated": ("escalated", "усилилось", "күшейді"),
    "closed": ("closed", "закрыто", "жабылды"),
}
register_names(
    "pb",
    {
        "notice": NOTICE_NAMES,
        "outbox": OUTBOX_STATUS_NAMES,
        "triage": TRIAGE_NAMES,
        "alertchange": ALERT_CHANGE_NAMES,
    },
)
register(
    {
        "pb.detail.severity": {"en": "severity {n}", "ru": "тяжесть {n}", "kk": "ауырлығы {n}"},
        "pb.detail.drill": {"en": "drill", "ru": "учения", "kk": "оқу-жаттығу"},
        "pb.detail.triage": {
            "en": "triage: {name}",
            "ru": "класс обращения: {name}",
            "kk": "өтініш сыныбы: {name}",
        },
        "pb.detail.reference": {
            "en": "about: {ref}",
            "ru": "основание: {ref}",
            "kk": "негізі: {ref}",
        },
        "pb.detail.to": {
            "en": "to {role}, level {level}",
            "ru": "кому: {role}, уровень {level}",
            "kk": "кімге: {role}, деңгейі {level}",
        },
        "pb.detail.late": {"en": "late", "ru": "с опозданием", "kk": "кешігіп"},
        "pb.detail.note": {
            "en": "note: {note}",
            "ru": "примечание: {note}",
            "kk": "ескертпе: {note}",
        },
        "pb.detail.condition": {
            "en": "condition not met: {condition}",
            "ru": "условие не выполнено: {condition}",
            "kk": "шарт орындалмады: {condition}",
        },
        "pb.detail.replanned": {
            "en": "{old} → {new}",
            "ru": "{old} → {new}",
            "kk": "{old} → {new}",
        },
        "pb.detail.dropped": {
            "en": "steps dropped: {steps}",
            "ru": "убраны шаги: {steps}",
            "kk": "алынып тасталған қадамдар: {steps}",
        },
        "pb.detail.replay": {
            "en": "a replayed stream: notifications are off for replays (notify_replays)",
            "ru": "повтор записанного потока: уведомления при повторе выключены (notify_replays)",
            "kk": "жазылған ағынды қайта ойнату: қайта ойнатуда хабарламалар өшірулі "
            "(notify_replays)",
        },
    }
)

REPLAY_REASON = "replayed run; notify_replays is off"  # why the stage sends no notice
CONDITION_NOT_MET = "condition not met: "  # how the engine notes a step not needed


def notice_name(kind: str, lang: str | None = None) -> str:
    """A notification's kind (step_open, escalation, digest…) named in `lang`."""
    return name("pb", "notice", kind, lang)


def outbox_status_name(status: str, lang: str | None = None) -> str:
    """A queued notification's state named in `lang`."""
    return name("pb", "outbox", status, lang)


def detail_text(
    action: str,
    detail: Mapping[str, Any] | None,
    lang: str | None = None,
    *,
    role: Callable[[str], str] = str,
    playbook: Callable[[str], str] = str,
    alert_kind: Callable[[str], str] = str,
) -> str:
    """What a log entry's details say, in `lang`: the playbook and severity a run began
    with, whom a step went to, a person's note, why a notice was not sent. `role`,
    `playbook` and `alert_kind` name ids in the reader's language."""
    d = dict(detail or {})
    parts: list[str] = []
    if action == "started":
        parts.append(playbook(str(d.get("playbook", ""))))
        if d.get("severity") is not None:
            parts.append(t("pb.detail.severity", lang, n=d["severity"]))
        if d.get("triage"):
            triage = name("pb", "triage", str(d["triage"]), lang)
            parts.append(t("pb.detail.triage", lang, name=triage))
        if d.get("drill"):
            parts.append(t("pb.detail.drill", lang))
    elif action == "started_by_hand" and d.get("reference"):
        parts.append(t("pb.detail.reference", lang, ref=d["reference"]))
    elif action == "escalated" and d.get("to"):
        parts.append(t("pb.detail.to", lang, role=role(str(d["to"])), level=d.get("level", 1)))
    elif action == "not_applicable" and d.get("condition"):
        condition = str(d["condition"]).removeprefix(CONDITION_NOT_MET)
        parts.append(t("pb.detail.condition", lang, condition=condition))
    elif action == "alert":
        parts.append(alert_kind(str(d.get("kind", ""))))
        if d.get("severity") is not None:
            parts.append(t("pb.detail.severity", lang, n=d["severity"]))
        if d.get("change"):
            parts.append(name("pb", "alertchange", str(d["change"]), lang))
    elif action == "replanned":
        old, new = playbook(str(d.get("from", ""))), playbook(str(d.get("to", "")))
        parts.append(t("pb.detail.replanned", lang, old=old, new=new))
        if d.get("dropped"):
            parts.append(t("pb.detail.dropped", lang, steps=", ".join(map(str, d["dropped"]))))
    elif action in ("notified", "suppressed", "delivery_failed") and d.get("kind"):
        parts.append(notice_name(str(d["kind"]), lang))
        if d.get("reason") == REPLAY_REASON:
            parts.append(t("pb.detail.replay", lang))
        elif d.get("reason"):
            parts.append(str(d["reason"]))
        if d.get("error"):
            parts.append(str(d["error"]))
    if action == "done" and d.get("late"):
        parts.append(t("pb.detail.late", lang))
    if d.get("note"):
        parts.append(t("pb.detail.note", lang, note=d["note"]))
    return "; ".join(p for p in parts if p)
