"""Playbooks as YAML a press secretary can read, checked on load.

A playbook file says when it applies (`trigger`: alert kinds, severity,
agency types, topics, words), how the crisis is framed (`scct`: victim,
accidental or preventable, after Coombs), the scenario card (cause,
consequences, response — 004 Table 10), the `steps` (who, what, by when,
whom to escalate to if nobody acknowledges, a checklist, which message to
use) and the `messages` in Kazakh and Russian. A `kind: plan` file is the
five-phase anti-crisis plan template (004 Table 8) instead.

Every problem is reported as one line naming the file, the place and the
field, so that the person who edits the file can fix it; the line is in the
user's language (the sentences are in playbooks.messages), the field names and
values as they are written in the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from playbooks import tone
from playbooks.calendar import CalendarError, Offset
from qulaq.alerts import KINDS as ALERT_KINDS
from qulaq.errors import Phrase, UserError, os_reason
from qulaq.registry import AGENCY_TYPES, TOPICS

LANGS = ("kk", "ru", "en")
MESSAGE_KINDS = ("holding_statement", "official_statement", "reply_to_citizens", "internal_brief")
SCCT_CLUSTERS = ("victim", "accidental", "preventable", "none")  # none: not a crisis
TRIAGE_CLASSES = ("light", "medium", "heavy")
PHASES = ("initial", "maintenance", "resolution", "evaluation")  # CDC CERC, after pre-crisis
PLACEHOLDERS = frozenset(
    {"agency", "date", "time", "topic", "summary", "severity", "run", "deadline", "playbook"}
)
CONDITION_FIELDS = frozenset(
    {"severity", "negative_share", "observed", "expected", "ratio", "persistence", "comments"}
)
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_PLAYBOOK_KEYS = frozenset(
    {
        "id",
        "version",
        "kind",
        "title",
        "summary",
        "scct",
        "trigger",
        "scenario",
        "roles",
        "defaults",
        "steps",
        "messages",
        "sources",
    }
)
_STEP_KEYS = frozenset(
    {
        "id",
        "title",
        "role",
        "action",
        "due",
        "opens",
        "ack_within",
        "escalate",
        "checklist",
        "message",
        "when",
        "public",
        "phase",
    }
)
_TRIGGER_KEYS = frozenset(
    {"kinds", "min_severity", "max_severity", "agency_types", "topics", "terms", "priority"}
)

Texts = Mapping[str, str]
OPEN_AT_START = Offset(0)


class PlaybookError(ValueError, UserError):
    """An invalid playbook file, the user's to fix; the message is one line, in the
    user's language (`str(exc)` is the English one)."""


class UnknownPlaybook(PlaybookError):
    """A playbook id that no loaded file defines."""


def pick(texts: Texts | None, lang: str) -> str:
    """The text in `lang`, else Russian, Kazakh, English."""
    if not texts:
        return ""
    for candidate in (lang, "ru", "kk", "en"):
        if texts.get(candidate):
            return texts[candidate]
    return ""


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fill {placeholders}; [bracketed blanks] stay for a person to fill."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: float

    def holds(self, facts: Mapping[str, float | None]) -> bool:
        actual = facts.get(self.field)
        if actual is None:
            return False
        a, v = float(actual), self.value
        return {
            ">=": a >= v,
            "<=": a <= v,
            ">": a > v,
            "<": a < v,
            "==": a == v,
            "!=": a != v,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.field} {self.op} {self.value:g}"


@dataclass(frozen=True, slots=True)
class Escalation:
    after: Offset  # after the step opens, while nobody has acknowledged it
    to: str  # role


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: Texts
    role: str
    action: Texts
    due: Mapping[str, Offset]  # by triage class; "*" for every class
    opens: Offset = OPEN_AT_START
    ack_within: Offset | None = None
    escalate: tuple[Escalation, ...] = ()
    checklist: tuple[Texts, ...] = ()
    message: str | None = None
    when: tuple[Condition, ...] = ()
    public: bool = False  # done means the agency answered in public
    phase: str = "initial"

    def due_for(self, triage: str) -> Offset:
        return self.due.get(triage) or self.due.get("*") or next(iter(self.due.values()))

    def applies(self, facts: Mapping[str, float | None]) -> bool:
        return all(c.holds(facts) for c in self.when)


@dataclass(frozen=True, slots=True)
class Trigger:
    kinds: tuple[str, ...] = ()  # empty: never started by an alert, only by hand
    min_severity: int = 1
    max_severity: int = 4
    agency_types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    priority: int = 0


@dataclass(frozen=True)
class Playbook:
    id: str
    version: int
    title: Texts
    summary: Texts
    scct: str
    trigger: Trigger
    scenario: Mapping[str, Texts]
    steps: tuple[Step, ...]
    messages: Mapping[str, Texts]
    roles: Mapping[str, Texts]
    source: str
    digest: str  # of the file's bytes: which text of the playbook a run followed
    sources: tuple[str, ...] = ()

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def role_name(self, role: str, lang: str) -> str:
        return pick(self.roles.get(role) or standard_roles().get(role), lang) or role


@dataclass(frozen=True)
class Risk:
    id: str
    title: Texts
    probability: int  # 1–5
    impact: int  # 1–5
    playbook: str | None
    prevention: Texts

    @property
    def score(self) -> int:
        return self.probability * self.impact


@dataclass(frozen=True)
class Phase:
    id: str
    title: Texts
    items: tuple[Texts, ...]


@dataclass(frozen=True)
class Plan:
    """The five-phase anti-crisis plan template (004 Table 8)."""

    id: str
    title: Texts
    phases: tuple[Phase, ...]
    roles: Mapping[str, Texts]  # role → duties
    risks: tuple[Risk, ...]
    source: str


# -- reading --------------------------------------------------------------------


def _problem(key: str, /, **params: object) -> UserError:
    """Entry `key` of the playbooks' catalogue: what is wrong, as a sentence of its own."""
    from playbooks import messages  # noqa: F401  (registers the keys; it imports this module)

    return UserError.t(key, **params)


def _error(key: str, /, **params: object) -> PlaybookError:
    from playbooks import messages  # noqa: F401  (registers the keys; it imports this module)

    return PlaybookError.t(key, **params)


_FILE = Phrase("pb.file.where_file", "file")  # the whole file, where a field is named
_ESCALATION = "{after: 15m, to: role}"  # an escalation as it is written


@lru_cache(maxsize=1)
def standard_roles() -> dict[str, dict[str, str]]:
    path = Path(str(resources.files("playbooks").joinpath("data", "roles.yaml")))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str | Phrase, key: str, /, **params: object) -> PlaybookError:
        """The file refused at `where`: its name, `where`, then entry `key` with `params`."""
        return _error(
            "pb.file.at", source=self.source, where=where, problem=_problem(key, **params)
        )

    def ident(self, value: Any, where: str, max_len: int = 64) -> str:
        if not isinstance(value, str) or not _ID.match(value) or len(value) > max_len:
            raise self.fail(where, "pb.file.bad_id", value=value, max_len=max_len)
        return value

    def texts(
        self, value: Any, where: str, *, need: tuple[str, ...] = ("kk", "ru")
    ) -> dict[str, str]:
        if isinstance(value, str):
            raise self.fail(where, "pb.file.text_not_per_language")
        if not isinstance(value, dict):
            raise self.fail(where, "pb.file.texts_not_mapping")
        unknown = set(value) - set(LANGS)
        if unknown:
            raise self.fail(where, "pb.file.unknown_language", language=sorted(unknown)[0])
        for lang in need:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(f"{where}.{lang}", "pb.file.text_missing")
        out = {}
        for lang, text in value.items():
            if not isinstance(text, str):
                raise self.fail(f"{where}.{lang}", "pb.file.not_text")
            out[lang] = text.strip()
        return out

    def offset(self, value: Any, where: str) -> Offset:
        try:
            return Offset.parse(value)
        except CalendarError:
            # Offset.parse says a text and any other value differently
            key = "pb.file.not_duration_text" if isinstance(value, str) else "pb.file.not_duration"
            raise self.fail(where, key, value=value) from None

    def str_list(
        self, value: Any, where: str, allowed: frozenset[str] | None = None
    ) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "pb.file.not_names")
        if allowed is not None:
            for v in value:
                if v not in allowed:
                    raise self.fail(
                        where, "pb.file.not_one_of", value=v, allowed=", ".join(sorted(allowed))
                    )
        return tuple(value)

    def severity(self, value: Any, where: str, default: int) -> int:
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise self.fail(where, "pb.file.bad_severity", value=value)
        return value

    def conditions(self, value: Any, where: str) -> tuple[Condition, ...]:
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise self.fail(where, "pb.file.conditions_not_list")
        out = []
        for item in items:
            m = _CONDITION.match(str(item))
            if not m:
                raise self.fail(where, "pb.file.not_condition", item=item)
            if m.group(1) not in CONDITION_FIELDS:
                raise self.fail(
                    where,
                    "pb.file.not_one_of",
                    value=m.group(1),
                    allowed=", ".join(sorted(CONDITION_FIELDS)),
                )
            out.append(Condition(m.group(1), m.group(2), float(m.group(3))))
        return tuple(out)

    def placeholders(self, text: str, where: str) -> None:
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                raise self.fail(
                    where,
                    "pb.file.unknown_placeholder",
                    name=name,
                    names=", ".join(sorted(PLACEHOLDERS)),
                )


def load_yaml(path: Path) -> tuple[Any, bytes]:
    """A YAML file's content and bytes; a file that cannot be read or parsed is a
    `PlaybookError` naming the file (and the line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _error("pb.file.cannot_read", path=path, reason=os_reason(exc)) from None
    try:
        return yaml.safe_load(raw), raw
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]  # the parser's words
        if mark is None:
            raise _error("pb.file.bad_yaml", path=path, problem=problem) from None
        raise _error(
            "pb.file.bad_yaml_line", path=path, line=mark.line + 1, problem=problem
        ) from None


def load_file(path: Path) -> Playbook | Plan:
    data, raw = load_yaml(path)
    return parse(data, str(path), raw)


def parse(data: Any, source: str, raw: bytes = b"") -> Playbook | Plan:
    r = _Reader(source)
    if not isinstance(data, dict):
        raise r.fail(_FILE, "pb.file.not_a_playbook")
    if data.get("kind", "playbook") == "plan":
        return _parse_plan(r, data)
    if data.get("kind", "playbook") != "playbook":
        raise r.fail("kind", "pb.file.bad_kind", kind=data.get("kind"))
    unknown = set(data) - _PLAYBOOK_KEYS
    if unknown:
        raise r.fail(sorted(unknown)[0], "pb.file.unknown_field")
    pid = r.ident(data.get("id"), "id")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise r.fail("version", "pb.file.bad_version")
    title = r.texts(data.get("title"), "title")
    summary = r.texts(data.get("summary") or title, "summary")
    scct = data.get("scct")
    if scct not in SCCT_CLUSTERS:
        raise r.fail("scct", "pb.file.must_be_one_of", value=scct, allowed=", ".join(SCCT_CLUSTERS))
    trigger = _parse_trigger(r, data.get("trigger") or {})
    scenario: dict[str, Texts] = {}
    raw_scenario = data.get("scenario") or {}
    if not isinstance(raw_scenario, dict):
        raise r.fail("scenario", "pb.file.no_scenario_parts")
    for key in ("cause", "consequences", "response"):
        if key in raw_scenario:
            scenario[key] = r.texts(raw_scenario[key], f"scenario.{key}")
    extra_roles = data.get("roles") or {}
    if not isinstance(extra_roles, dict):
        raise r.fail("roles", "pb.file.roles_not_mapping")
    roles = {r.ident(k, f"roles.{k}"): r.texts(v, f"roles.{k}") for k, v in extra_roles.items()}
    known_roles = set(standard_roles()) | set(roles)
    messages = _parse_messages(r, data.get("messages") or {})
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise r.fail("defaults", "pb.file.not_mapping")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise r.fail("steps", "pb.file.no_steps")
    steps = []
    seen: set[str] = set()
    for i, item in enumerate(raw_steps):
        step = _parse_step(r, item, i, defaults, known_roles, messages)
        if step.id in seen:
            raise r.fail(f"steps[{i}].id", "pb.file.step_twice", id=step.id)
        seen.add(step.id)
        steps.append(step)
    sources = r.str_list(data.get("sources"), "sources")
    return Playbook(
        id=pid,
        version=version,
        title=title,
        summary=summary,
        scct=scct,
        trigger=trigger,
        scenario=scenario,
        steps=tuple(steps),
        messages=messages,
        roles=roles,
        source=source,
        digest=hashlib.sha256(raw).hexdigest()[:16] if raw else "",
        sources=sources,
    )


def _parse_trigger(r: _Reader, t: Any) -> Trigger:
    if not isinstance(t, dict):
        raise r.fail("trigger", "pb.file.trigger_not_mapping")
    unknown = set(t) - _TRIGGER_KEYS
    if unknown:
        raise r.fail(f"trigger.{sorted(unknown)[0]}", "pb.file.unknown_field")
    kinds = r.str_list(t.get("kinds"), "trigger.kinds", frozenset(ALERT_KINDS))
    lo = r.severity(t.get("min_severity"), "trigger.min_severity", 1)
    hi = r.severity(t.get("max_severity"), "trigger.max_severity", 4)
    if hi < lo:
        raise r.fail("trigger.max_severity", "pb.file.max_below_min")
    priority = t.get("priority", 0)
    if not isinstance(priority, int):
        raise r.fail("trigger.priority", "pb.file.not_whole_number")
    terms = tuple(x.lower() for x in r.str_list(t.get("terms"), "trigger.terms"))
    return Trigger(
        kinds=kinds,
        min_severity=lo,
        max_severity=hi,
        agency_types=r.str_list(t.get("agency_types"), "trigger.agency_types", AGENCY_TYPES),
        topics=r.str_list(t.get("topics"), "trigger.topics", frozenset(TOPICS)),
        terms=terms,
        priority=priority,
    )


def _parse_messages(r: _Reader, raw: Any) -> dict[str, Texts]:
    if not isinstance(raw, dict):
        raise r.fail("messages", "pb.file.messages_not_mapping")
    out: dict[str, Texts] = {}
    for kind, texts in raw.items():
        if kind not in MESSAGE_KINDS:
            raise r.fail(f"messages.{kind}", "pb.file.message_kind", kinds=", ".join(MESSAGE_KINDS))
        parsed = r.texts(texts, f"messages.{kind}")
        for lang, text in parsed.items():
            where = f"messages.{kind}.{lang}"
            r.placeholders(text, where)
            issues = tone.problems(text, lang, reply=kind == "reply_to_citizens")
            if issues:
                raise r.fail(where, issues[0].key, **issues[0].params)
        out[kind] = parsed
    return out


def _parse_step(
    r: _Reader,
    item: Any,
    i: int,
    defaults: Mapping[str, Any],
    known_roles: set[str],
    messages: Mapping[str, Texts],
) -> Step:
    if not isinstance(item, dict):
        raise r.fail(f"steps[{i}]", "pb.file.step_not_mapping")
    label = f"steps[{i}]"
    sid = r.ident(item.get("id"), f"{label}.id", max_len=32)
    label = f"steps[{i}] ({sid})"
    unknown = set(item) - _STEP_KEYS
    if unknown:
        raise r.fail(f"{label}.{sorted(unknown)[0]}", "pb.file.unknown_field")
    role = item.get("role")
    if role not in known_roles:
        raise r.fail(
            f"{label}.role",
            "pb.file.role_not_known_use",
            role=role,
            roles=", ".join(sorted(known_roles)),
        )
    if "due" not in item:
        raise r.fail(f"{label}.due", "pb.file.no_due")
    raw_due = item["due"]
    due: dict[str, Offset]
    if isinstance(raw_due, dict):
        bad = set(raw_due) - set(TRIAGE_CLASSES)
        if bad:
            raise r.fail(f"{label}.due", "pb.file.not_triage_class", value=sorted(bad)[0])
        due = {k: r.offset(v, f"{label}.due.{k}") for k, v in raw_due.items()}
    else:
        due = {"*": r.offset(raw_due, f"{label}.due")}
    opens = r.offset(item.get("opens", 0), f"{label}.opens")
    ack_raw = item.get("ack_within", defaults.get("ack_within"))
    ack_within = r.offset(ack_raw, f"{label}.ack_within") if ack_raw is not None else None
    escalate_raw = item.get("escalate", defaults.get("escalate")) or []
    if not isinstance(escalate_raw, list):
        raise r.fail(f"{label}.escalate", "pb.file.escalate_not_list", example=_ESCALATION)
    escalate = []
    for j, e in enumerate(escalate_raw):
        where = f"{label}.escalate[{j}]"
        if not isinstance(e, dict) or set(e) != {"after", "to"}:
            raise r.fail(where, "pb.file.escalate_item", example=_ESCALATION)
        if e["to"] not in known_roles:
            raise r.fail(f"{where}.to", "pb.file.role_not_known", role=e["to"])
        escalate.append(Escalation(r.offset(e["after"], f"{where}.after"), e["to"]))
    checklist_raw = item.get("checklist") or []
    if not isinstance(checklist_raw, list):
        raise r.fail(f"{label}.checklist", "pb.file.checklist_not_list")
    checklist = tuple(r.texts(c, f"{label}.checklist[{k}]") for k, c in enumerate(checklist_raw))
    message = item.get("message")
    if message is not None and message not in messages:
        raise r.fail(f"{label}.message", "pb.file.message_not_among", message=message)
    public = item.get("public", False)
    if not isinstance(public, bool):
        raise r.fail(f"{label}.public", "pb.file.not_bool")
    phase = item.get("phase", "initial")
    if phase not in PHASES:
        raise r.fail(
            f"{label}.phase", "pb.file.must_be_one_of", value=phase, allowed=", ".join(PHASES)
        )
    return Step(
        id=sid,
        title=r.texts(item.get("title"), f"{label}.title"),
        role=role,
        action=r.texts(item.get("action"), f"{label}.action"),
        due=due,
        opens=opens,
        ack_within=ack_within,
        escalate=tuple(escalate),
        checklist=checklist,
        message=message,
        when=r.conditions(item.get("when"), f"{label}.when"),
        public=public,
        phase=phase,
    )


def _parse_plan(r: _Reader, data: dict[str, Any]) -> Plan:
    pid = r.ident(data.get("id"), "id")
    title = r.texts(data.get("title"), "title")
    phases = []
    for i, p in enumerate(data.get("phases") or []):
        if not isinstance(p, dict):
            raise r.fail(f"phases[{i}]", "pb.file.phase_not_mapping")
        items = tuple(
            r.texts(x, f"phases[{i}].items[{k}]") for k, x in enumerate(p.get("items") or [])
        )
        phases.append(
            Phase(
                r.ident(p.get("id"), f"phases[{i}].id"),
                r.texts(p.get("title"), f"phases[{i}].title"),
                items,
            )
        )
    if len(phases) != 5:
        raise r.fail("phases", "pb.file.five_phases")
    roles_raw = data.get("roles") or {}
    if not isinstance(roles_raw, dict):
        raise r.fail("roles", "pb.file.plan_roles_not_mapping")
    roles = {k: r.texts(v, f"roles.{k}") for k, v in roles_raw.items()}
    risks = []
    for i, x in enumerate(data.get("risks") or []):
        where = f"risks[{i}]"
        if not isinstance(x, dict):
            raise r.fail(where, "pb.file.not_mapping")
        for key in ("probability", "impact"):
            v = x.get(key)
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5:
                raise r.fail(f"{where}.{key}", "pb.file.bad_score", value=v)
        playbook = x.get("playbook")
        risks.append(
            Risk(
                id=r.ident(x.get("id"), f"{where}.id"),
                title=r.texts(x.get("title"), f"{where}.title"),
                probability=x["probability"],
                impact=x["impact"],
                playbook=playbook,
                prevention=r.texts(x.get("prevention"), f"{where}.prevention"),
            )
        )
    return Plan(pid, title, tuple(phases), roles, tuple(risks), r.source)


@dataclass
class Library:
    """The playbooks a deployment runs: the built-in ones, then its own files
    (a file with a built-in id replaces that playbook)."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)

    @classmethod
    def builtin_dir(cls) -> Path:
        return Path(str(resources.files("playbooks").joinpath("data", "playbooks")))

    @classmethod
    def load(cls, extra: list[Path] | None = None) -> Library:
        lib = cls()
        files = sorted(cls.builtin_dir().glob("*.yaml"))
        for entry in extra or []:
            files.extend(sorted(entry.glob("*.y*ml")) if entry.is_dir() else [entry])
        for path in files:
            item = load_file(path)
            if isinstance(item, Plan):
                lib.plans[item.id] = item
            else:
                lib.playbooks[item.id] = item
        for plan in lib.plans.values():
            for risk in plan.risks:
                if risk.playbook and risk.playbook not in lib.playbooks:
                    raise _error(
                        "pb.file.at",
                        source=plan.source,
                        where=f"risks ({risk.id}).playbook",
                        problem=_problem("pb.file.no_playbook", playbook=risk.playbook),
                    )
        return lib

    def get(self, playbook_id: str) -> Playbook:
        try:
            return self.playbooks[playbook_id]
        except KeyError:
            known = ", ".join(sorted(self.playbooks))
            raise UnknownPlaybook.t("playbook.unknown", id=playbook_id, known=known) from None
