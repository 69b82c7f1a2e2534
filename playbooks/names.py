"""The names of a playbook run's states and of what its log records, in English,
Russian and Kazakh: one catalogue for the dashboard and the command line, so the two
cannot drift."""

from __future__ import annotations

from qulaq.i18n import register, t

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

register(
    {
        f"pb.{group}.{key}": {"en": en, "ru": ru, "kk": kk}
        for group, names in _NAMES.items()
        for key, (en, ru, kk) in names.items()
    }
)


def _named(group: str, key: str, lang: str | None) -> str:
    """`key` of `group` in `lang`; an unknown key (a newer state) as it is stored."""
    return t(f"pb.{group}.{key}", lang) if key in _NAMES[group] else key


def run_status_name(status: str, lang: str | None = None) -> str:
    return _named("runstatus", status, lang)


def step_status_name(status: str, lang: str | None = None) -> str:
    return _named("stepstatus", status, lang)


def audit_action_name(action: str, lang: str | None = None) -> str:
    return _named("auditaction", action, lang)


def actor_name(actor: str, lang: str | None = None) -> str:
    """Who acted: a person as recorded, the system by that name in `lang`."""
    return _named("actor", actor, lang)
