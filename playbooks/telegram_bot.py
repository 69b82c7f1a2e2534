"""Commands that come back from Telegram: button presses and /ack, /done,
/skip, /escalate, /runs. Only people in the roster may act; the actor
recorded in the audit log is their roster id."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from playbooks import store
from playbooks.channels import DeliveryError
from playbooks.channels.telegram import TelegramChannel
from playbooks.oncall import Person
from qulaq.config import Settings
from qulaq.errors import UserError
from qulaq.i18n import register, t
from qulaq.storage.database import Database

if TYPE_CHECKING:
    from playbooks.actions import PlaybookService
    from playbooks.stage import PlaybookStage

log = logging.getLogger(__name__)
OFFSET_KEY = "telegram_offset"
COMMANDS = {"/ack": "ack", "/done": "done", "/skip": "skip", "/escalate": "escalate"}

register(
    {
        "tg.unknown_person": {
            "kk": "Сіз кезекшілер тізімінде жоқсыз. Баспасөз қызметінің басшысына хабарласыңыз.",
            "ru": "Вас нет в списке дежурных. Обратитесь к руководителю пресс-службы.",
            "en": "You are not on the on-call roster. Ask the head of the press office.",
        },
        "tg.ok": {
            "kk": "{run}: «{step}» — {status}",
            "ru": "{run}: «{step}» — {status}",
            "en": "{run}: “{step}” — {status}",
        },
        "tg.usage": {
            "kk": "Командалар: /ack RUN STEP, /done RUN STEP [ескерту], "
            "/skip RUN STEP себебі, /escalate RUN STEP, /runs",
            "ru": "Команды: /ack RUN STEP, /done RUN STEP [примечание], "
            "/skip RUN STEP причина, /escalate RUN STEP, /runs",
            "en": "Commands: /ack RUN STEP, /done RUN STEP [note], "
            "/skip RUN STEP reason, /escalate RUN STEP, /runs",
        },
        "tg.no_runs": {
            "kk": "Белсенді жоспарлар жоқ.",
            "ru": "Активных планов нет.",
            "en": "No active runs.",
        },
    }
)


class TelegramCommands:
    def __init__(self, channel: TelegramChannel, service: PlaybookService, db: Database) -> None:
        self.channel = channel
        self.service = service
        self.db = db

    @classmethod
    def from_settings(
        cls, settings: Settings, db: Database, stage: PlaybookStage
    ) -> TelegramCommands | None:
        channel = TelegramChannel.from_settings(settings)
        if not channel.configured or not settings.option("channels.telegram.poll", True):
            return None
        from playbooks.actions import PlaybookService

        return cls(channel, PlaybookService(settings, db, stage), db)

    @property
    def roster(self) -> Any:
        return self.service.stage.roster

    def poll_once(self, wait: int = 0) -> int:
        with self.db.read() as conn:
            stored = store.get_state(conn, OFFSET_KEY)
        try:
            updates = self.channel.updates(int(stored) if stored else None, wait=wait)
        except DeliveryError as exc:
            log.warning("telegram getUpdates failed: %s", exc)
            return 0
        for update in updates:
            try:
                self.handle(update)
            except DeliveryError as exc:
                log.warning("telegram reply failed: %s", exc)
            with self.db.write() as conn:
                store.set_state(conn, OFFSET_KEY, str(int(update["update_id"]) + 1))
        return len(updates)

    def handle(self, update: dict[str, Any]) -> None:
        callback = update.get("callback_query")
        if callback:
            person = self._person(callback.get("from"), (callback.get("message") or {}).get("chat"))
            if person is None:
                self.channel.answer_callback(callback["id"], t("tg.unknown_person", "ru"))
                return
            action, _, rest = str(callback.get("data", "")).partition("|")
            run_id, _, step = rest.partition("|")
            self.channel.answer_callback(
                callback["id"], self._act(person, run_id, step, action, None)
            )
            return
        message = update.get("message") or {}
        text = str(message.get("text") or "").strip()
        chat = str((message.get("chat") or {}).get("id", ""))
        if not text.startswith("/") or not chat:
            return
        person = self._person(message.get("from"), message.get("chat"))
        if person is None:
            self.channel.reply(chat, t("tg.unknown_person", "ru"))
            return
        parts = text.split(maxsplit=3)
        command = parts[0].split("@", 1)[0].lower()
        if command == "/runs":
            self.channel.reply(chat, self._runs(person))
        elif command in COMMANDS and len(parts) >= 3:
            note = parts[3] if len(parts) > 3 else None
            self.channel.reply(chat, self._act(person, parts[1], parts[2], COMMANDS[command], note))
        else:
            self.channel.reply(chat, t("tg.usage", person.lang))

    def _person(self, sender: Any, chat: Any) -> Person | None:
        for who in (sender, chat):
            if isinstance(who, dict) and who.get("id") is not None:
                found: Person | None = self.roster.by_telegram(str(who["id"]))
                if found:
                    return found
        return None

    def _act(self, person: Person, run_id: str, step: str, action: str, note: str | None) -> str:
        try:
            state = self.service.act(
                run_id, step, action, actor=person.id, note=note, channel="telegram"
            )
        except UserError as exc:
            return exc.localized(person.lang)
        status = state.step(step).status.replace("_", " ")
        return t("tg.ok", person.lang, run=run_id, step=step, status=status)

    def _runs(self, person: Person) -> str:
        with self.db.read() as conn:
            runs = store.active_runs(conn)
        if not runs:
            return t("tg.no_runs", person.lang)
        lines = []
        for run in runs[:20]:
            open_steps = [s.id for s in run.steps if not s.terminal]
            lines.append(f"{run.id} {run.agency} {run.playbook}: {', '.join(open_steps)}")
        return "\n".join(lines)
