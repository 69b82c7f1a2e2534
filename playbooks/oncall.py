"""Who holds a role, and how to reach them: roles → people → channels.

The roster lives in the config file (`qulaq.toml` or YAML), never secrets:

```toml
[oncall.people.dana]
name = "Дана Ахметова"
lang = "ru"                      # kk, ru or en: the language of her notifications
telegram = "100200300"           # chat id of her conversation with the bot
email = "d.akhmetova@example.kz"
channels = ["telegram", "email"] # order of preference; default: every one given

[oncall.roles.duty_officer]
"*" = ["dana"]                   # every agency
akimat-almaty = ["aigerim"]      # this agency's own people come first

[[oncall.rotations]]             # weekly duty: one person at a time
role = "duty_officer"
agency = "akimat-almaty"
people = ["aigerim", "dana"]
start = "2026-03-02T09:00:00+05:00"
every = "7d"
```

A role nobody holds falls back to `oncall.fallback` (people), then to the
console, so a notification is never silently lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from playbooks.calendar import Offset
from qulaq.errors import Phrase, UserError
from qulaq.events import parse_timestamp

CHANNELS = ("telegram", "email", "webhook", "console")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    lang: str = "ru"
    telegram: str | None = None
    email: str | None = None
    webhook: str | None = None
    channels: tuple[str, ...] = ()

    def contacts(self) -> list[tuple[str, str]]:
        """(channel, address) in the person's order of preference."""
        have = {
            "telegram": self.telegram,
            "email": self.email,
            "webhook": self.webhook,
            "console": self.id if self.id == CONSOLE.id else None,
        }
        order = self.channels or CHANNELS
        return [(ch, have[ch]) for ch in order if have.get(ch)]  # type: ignore[misc]


CONSOLE = Person(id="console", name="console", lang="ru")


@dataclass(frozen=True)
class Rotation:
    role: str
    agency: str
    people: tuple[str, ...]
    start: datetime
    every: timedelta

    def holder(self, at: datetime) -> str | None:
        if at < self.start or not self.people:
            return None
        turns = int((at - self.start) / self.every)
        return self.people[turns % len(self.people)]


def _start(rotation: Mapping[str, Any], i: int) -> datetime:
    """A rotation's `start`. In English a problem with it is said as before (as
    `parse_timestamp` or the missing key said it); in Kazakh and Russian in general
    words."""
    if "start" not in rotation:
        problem = Phrase("oncall.no_start", repr("start"))  # as the KeyError said it
        raise UserError.t("oncall.rotation_problem", index=i, problem=problem)
    try:
        return parse_timestamp(str(rotation["start"]))
    except ValueError as exc:
        problem = Phrase("oncall.bad_start", str(exc))
        raise UserError.t("oncall.rotation_problem", index=i, problem=problem) from None


def _every(rotation: Mapping[str, Any], i: int) -> Offset:
    try:
        return Offset.parse(rotation.get("every", "7d"))
    except ValueError as exc:
        problem = Phrase("oncall.bad_every", str(exc))
        raise UserError.t("oncall.rotation_problem", index=i, problem=problem) from None


def _table(raw: Mapping[str, Any], section: str) -> Mapping[str, Any]:
    value = raw.get(section) or {}
    if not isinstance(value, Mapping):
        raise UserError.t("oncall.section_not_table", section=section)
    return value


def _ids(value: Any, section: str) -> tuple[str, ...]:
    """People's ids: one id or a list of them."""
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise UserError.t("oncall.not_list", section=section)
    return tuple(value)


@dataclass(frozen=True)
class Roster:
    people: Mapping[str, Person] = field(default_factory=dict)
    roles: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    rotations: tuple[Rotation, ...] = ()
    fallback: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, raw: Any) -> Roster:
        if not raw:
            return cls()
        if not isinstance(raw, Mapping):
            raise UserError.t("oncall.not_table")
        people: dict[str, Person] = {}
        for pid, p in _table(raw, "people").items():
            if not isinstance(p, Mapping):
                raise UserError.t("oncall.person_not_table", person=pid)
            lang = str(p.get("lang", "ru"))
            if lang not in ("kk", "ru", "en"):
                raise UserError.t("oncall.bad_lang", person=pid)
            channels = tuple(p.get("channels") or ())
            for ch in channels:
                if ch not in CHANNELS:
                    raise UserError.t(
                        "oncall.bad_channel", person=pid, channel=ch, channels=", ".join(CHANNELS)
                    )
            people[pid] = Person(
                id=pid,
                name=str(p.get("name") or pid),
                lang=lang,
                telegram=str(p["telegram"]) if p.get("telegram") is not None else None,
                email=p.get("email"),
                webhook=p.get("webhook"),
                channels=channels,
            )
        roles: dict[str, dict[str, tuple[str, ...]]] = {}
        for role, by_agency in _table(raw, "roles").items():
            if isinstance(by_agency, list):
                by_agency = {"*": by_agency}
            if not isinstance(by_agency, Mapping):
                raise UserError.t("oncall.role_not_mapping", role=role)
            roles[role] = {}
            for agency, listed in by_agency.items():
                ids = _ids(listed, f"roles.{role}.{agency}")
                for pid in ids:
                    if pid not in people:
                        raise UserError.t(
                            "oncall.role_no_person", role=role, agency=agency, person=pid
                        )
                roles[role][agency] = tuple(ids)
        rotations = []
        listed = raw.get("rotations") or []
        if not isinstance(listed, list):
            raise UserError.t("oncall.not_list", section="rotations")
        for i, r in enumerate(listed):
            if not isinstance(r, Mapping):
                raise UserError.t("oncall.rotation_not_table", index=i)
            if not r.get("role"):
                raise UserError.t("oncall.rotation_no_role", index=i)
            ids = _ids(r.get("people") or [], f"rotations[{i}].people")
            for pid in ids:
                if pid not in people:
                    raise UserError.t("oncall.rotation_no_person", index=i, person=pid)
            start, every = _start(r, i), _every(r, i)
            if every.unit != "clock" or every.amount <= 0:
                raise UserError.t("oncall.every_not_clock", index=i)
            rotations.append(
                Rotation(
                    role=str(r["role"]),
                    agency=str(r.get("agency", "*")),
                    people=ids,
                    start=start,
                    every=timedelta(seconds=every.amount),
                )
            )
        fallback = _ids(raw.get("fallback") or [], "fallback")
        for pid in fallback:
            if pid not in people:
                raise UserError.t("oncall.fallback_no_person", person=pid)
        return cls(people, roles, tuple(rotations), fallback)

    def holders(self, role: str, agency: str, at: datetime) -> list[Person]:
        """Who holds `role` for `agency` at `at`: the rotation's person on duty
        first, then the agency's own list, then everyone's, then the fallback."""
        ids: list[str] = []
        for scope in (agency, "*"):
            for rot in self.rotations:
                if rot.role == role and rot.agency == scope:
                    who = rot.holder(at)
                    if who:
                        ids.append(who)
            ids.extend(self.roles.get(role, {}).get(scope, ()))
            if ids:
                break
        if not ids:
            ids = list(self.fallback)
        seen = list(dict.fromkeys(ids))
        return [self.people[i] for i in seen] or [CONSOLE]

    def by_telegram(self, chat_or_user: str) -> Person | None:
        for p in self.people.values():
            if p.telegram and p.telegram == chat_or_user:
                return p
        return None
