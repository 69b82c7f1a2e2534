"""A press officer who edits a playbook or the plan template reads what is wrong
with the file in their language to the end of the line: `qulaq playbooks validate`
(and every command that loads the deployment's playbook files) says each problem
in Kazakh or Russian with QULAQ_LANG=kk or ru, and exactly as before in English.
Field names, YAML keys, role ids and example values stay as they are written in
the file; what a YAML parser says stays in its words, framed in the language."""

from __future__ import annotations

import ast
import logging
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbooks import messages as _messages  # noqa: F401  (registers the catalogue)
from playbooks.model import standard_roles
from qulaq import cli, i18n
from qulaq.alerts import KINDS as ALERT_KINDS
from tests.conftest import REPO
from tests.playbooks.test_model import GOOD as _GOOD

PREFIX = {"kk": "қате", "ru": "ошибка", "en": "error"}
DROP = object()  # a `variant` value: take the key out

# the valid playbook the model's own tests start from; each case here breaks one thing
GOOD: dict[str, Any] = _GOOD

_PHASE_IDS = ("introduction", "risk-analysis", "prevention", "response", "recovery")
PLAN: dict[str, Any] = {
    "kind": "plan",
    "id": "my-plan",
    "title": {"kk": "Жоспар", "ru": "План"},
    "phases": [
        {"id": p, "title": {"kk": "Кезең", "ru": "Этап"}, "items": [{"kk": "Іс", "ru": "Дело"}]}
        for p in _PHASE_IDS
    ],
    "roles": {"duty_officer": {"kk": "Кезекші", "ru": "Дежурный"}},
    "risks": [
        {
            "id": "r1",
            "title": {"kk": "Тәуекел", "ru": "Риск"},
            "probability": 3,
            "impact": 4,
            "playbook": "utility-outage",
            "prevention": {"kk": "Алдын алу", "ru": "Профилактика"},
        }
    ],
}


def variant(base: dict[str, Any], **changes: object) -> str:
    """`base` with `a__0__b=value` changes (DROP takes a key out), as YAML text."""
    data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))
    for dotted, value in changes.items():
        node = data
        parts = dotted.split("__")
        for p in parts[:-1]:
            node = node[int(p)] if p.isdigit() else node[p]
        last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
        if value is DROP:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(data, allow_unicode=True)


def pb(**changes: object) -> str:
    return variant(GOOD, **changes)


def plan(**changes: object) -> str:
    return variant(PLAN, **changes)


@dataclass(frozen=True)
class Case:
    content: str | bytes | None  # None: the path names nothing; b"": it is a directory
    english: str  # the line after "qulaq: error: ", {path} for the file
    kk: str  # words the Kazakh line says
    ru: str  # words the Russian line says
    keep: tuple[str, ...] = ()  # Latin names the line keeps in every language


_KINDS = ", ".join(sorted(ALERT_KINDS))
_ROLES = ", ".join(sorted(standard_roles()))
_STEP = "steps[0] (acknowledge)"
_DURATIONS = "2 working hours, 3 working days"  # examples of a duration, as written
_REPLY = "messages.reply_to_citizens"

# The English lines are written from the code as it was before the messages were
# translated: they must not change by one byte.
CASES: dict[str, Case] = {
    # -- reading the file -------------------------------------------------------
    "missing-file": Case(
        None,
        "{path}: cannot read: No such file or directory",
        "оқу мүмкін емес: мұндай файл немесе каталог жоқ",
        "не удаётся прочитать: нет такого файла или каталога",
    ),
    "directory": Case(
        b"",
        "{path}: cannot read: Is a directory",
        "оқу мүмкін емес: бұл каталог",
        "не удаётся прочитать: это каталог",
    ),
    "bad-yaml-line": Case(
        "id: x\ntitle: {kk: a, ru: b\nsteps: []\n",
        "{path}: line 3: not valid YAML: expected ',' or '}', but got ':'",
        "3-жол: жарамсыз YAML (YAML талдағышының хабары: ",
        "строка 3: недопустимый YAML (сообщение парсера YAML: ",
        keep=("expected ',' or '}', but got ':'",),
    ),
    "bad-yaml-file": Case(
        b"id: \xff\n",
        "{path}: file: not valid YAML: unacceptable character #x00ff: invalid start byte",
        "файл: жарамсыз YAML (YAML талдағышының хабары: ",
        "файл: недопустимый YAML (сообщение парсера YAML: ",
        keep=("unacceptable character #x00ff: invalid start byte",),
    ),
    "not-a-mapping": Case(
        "- a\n- b\n",
        "{path}: file: must be a mapping with id, title, trigger, steps and messages",
        "файл: id, title, trigger, steps және messages кілттері бар сөздік болуы керек",
        "файл: должен быть словарём с ключами id, title, trigger, steps и messages",
        keep=("id, title, trigger, steps",),
    ),
    # -- the playbook's own fields ------------------------------------------------
    "bad-kind": Case(
        pb(kind="memo"),
        "{path}: kind: 'memo' must be 'playbook' or 'plan'",
        "тек 'playbook' немесе 'plan' болуы мүмкін",
        "допустимо только 'playbook' или 'plan'",
    ),
    "unknown-field": Case(
        pb(colour="red"), "{path}: colour: unknown field", "белгісіз өріс", "неизвестное поле"
    ),
    "bad-id": Case(
        pb(id="Sample!"),
        "{path}: id: 'Sample!' must be lower-case letters, digits, '-' or '_' (≤ 64)",
        "тек кіші латын әріптері, цифрлар, '-' және '_' болуы керек",
        "допустимы только строчные латинские буквы, цифры, '-' и '_'",
    ),
    "bad-version": Case(
        pb(version=0),
        "{path}: version: must be a positive whole number",
        "оң бүтін сан болуы керек",
        "должно быть целым положительным числом",
    ),
    "text-not-per-language": Case(
        pb(title="Образец"),
        "{path}: title: give the text in each language: kk: …, ru: …",
        "мәтінді әр тілде жазыңыз",
        "укажите текст на каждом языке",
    ),
    "text-not-a-mapping": Case(
        pb(title=["Образец"]),
        "{path}: title: must be a mapping of languages (kk, ru, en) to text",
        "тіл (kk, ru, en) → мәтін сөздігі болуы керек",
        "должно быть словарём: язык (kk, ru, en) → текст",
        keep=("kk, ru, en",),
    ),
    "text-unknown-language": Case(
        pb(title={"kk": "Үлгі", "ru": "Образец", "de": "Muster"}),
        "{path}: title: unknown language 'de'; use kk, ru, en",
        "белгісіз тіл 'de'",
        "неизвестный язык 'de'",
        keep=("kk, ru, en",),
    ),
    "text-missing-a-language": Case(
        pb(title={"ru": "Образец"}),
        "{path}: title.kk: is missing or empty",
        "мәтін жоқ немесе бос",
        "текст отсутствует или пуст",
    ),
    "text-not-text": Case(
        pb(title={"kk": "Үлгі", "ru": "Образец", "en": 5}),
        "{path}: title.en: must be text",
        "мәтін болуы керек",
        "должно быть текстом",
    ),
    "bad-scct": Case(
        pb(scct="unlucky"),
        "{path}: scct: 'unlucky' must be one of victim, accidental, preventable, none",
        "мыналардың бірі болуы керек: victim",
        "должно быть одним из: victim",
        keep=("victim, accidental, preventable, none",),
    ),
    "scenario-not-a-mapping": Case(
        pb(scenario="fire"),
        "{path}: scenario: must have cause, consequences and response",
        "ішінде cause, consequences және response болуы керек",
        "должны быть cause, consequences и response",
    ),
    "roles-not-a-mapping": Case(
        pb(roles=["janitor"]),
        "{path}: roles: must map a role id to its names in kk, ru",
        "рөл id-іне оның kk, ru тіліндегі атауларын сәйкестендіруі керек",
        "должно сопоставлять id роли её названия на kk, ru",
    ),
    "defaults-not-a-mapping": Case(
        pb(defaults=[1]),
        "{path}: defaults: must be a mapping",
        "сөздік болуы керек",
        "должно быть словарём",
    ),
    "sources-not-names": Case(
        pb(sources={"a": 1}),
        "{path}: sources: must be a list of names",
        "атаулар тізімі болуы керек",
        "должно быть списком имён",
    ),
    # -- trigger -----------------------------------------------------------------
    "trigger-not-a-mapping": Case(
        pb(trigger=[1]),
        "{path}: trigger: must be a mapping (kinds, min_severity, topics…)",
        "сөздік болуы керек (kinds, min_severity, topics…)",
        "должно быть словарём (kinds, min_severity, topics…)",
    ),
    "trigger-unknown-field": Case(
        pb(trigger__when="always"),
        "{path}: trigger.when: unknown field",
        "белгісіз өріс",
        "неизвестное поле",
    ),
    "trigger-unknown-kind": Case(
        pb(trigger__kinds=["earthquake"]),
        f"{{path}}: trigger.kinds: 'earthquake' is not one of {_KINDS}",
        "'earthquake' мыналардың бірі емес: ",
        "'earthquake' не входит в список: ",
        keep=(_KINDS,),
    ),
    "bad-severity": Case(
        pb(trigger__min_severity=5),
        "{path}: trigger.min_severity: 5 must be a severity from 1 to 4",
        "ауырлық 1-ден 4-ке дейін болуы керек",
        "тяжесть должна быть от 1 до 4",
    ),
    "max-below-min": Case(
        pb(trigger__max_severity=2),
        "{path}: trigger.max_severity: is below min_severity",
        "min_severity мәнінен кіші",
        "меньше, чем min_severity",
    ),
    "bad-priority": Case(
        pb(trigger__priority="high"),
        "{path}: trigger.priority: must be a whole number",
        "бүтін сан болуы керек",
        "должно быть целым числом",
    ),
    # -- messages ----------------------------------------------------------------
    "messages-not-a-mapping": Case(
        pb(messages=["reply"]),
        "{path}: messages: must map message kinds to texts in kk and ru",
        "хабар түрлеріне олардың kk және ru тіліндегі мәтіндерін сәйкестендіруі керек",
        "должно сопоставлять видам сообщений их тексты на kk и ru",
    ),
    "unknown-message-kind": Case(
        pb(messages__press_release={"kk": "Мәтін", "ru": "Текст"}),
        "{path}: messages.press_release: must be one of holding_statement, "
        "official_statement, reply_to_citizens, internal_brief",
        "хабар түрі мыналардың бірі болуы керек",
        "вид сообщения должен быть одним из",
    ),
    "unknown-placeholder": Case(
        pb(messages__reply_to_citizens__ru="Уважаемый {citizen}, ответ."),
        f"{{path}}: {_REPLY}.ru: unknown placeholder {{citizen}}; use agency, date, deadline, "
        "playbook, run, severity, summary, time, topic or write a blank as [like this]",
        "белгісіз алмастыру өрісі {citizen}",
        "неизвестное поле подстановки {citizen}",
        keep=("agency, date, deadline, playbook, run, severity, summary, time, topic",),
    ),
    "exclamation": Case(
        pb(messages__reply_to_citizens__ru="Уважаемый житель, ответим!"),
        f"{{path}}: {_REPLY}.ru: has an exclamation mark; keep the tone calm",
        "леп белгісі бар",
        "есть восклицательный знак",
    ),
    "shouting": Case(
        pb(messages__reply_to_citizens__ru="Уважаемый житель, СРОЧНО обратитесь."),
        f"{{path}}: {_REPLY}.ru: has words in capitals (СРОЧНО); do not shout",
        "бас әріппен жазылған сөздер бар (СРОЧНО)",
        "есть слова, написанные заглавными буквами (СРОЧНО)",
    ),
    "formal-non-answer": Case(
        pb(messages__reply_to_citizens__ru="Уважаемый житель, принято к сведению."),
        f"{{path}}: {_REPLY}.ru: says 'принято к сведению', a formal non-answer; "
        "say what will be done",
        "формальды жауап",
        "формальная отписка",
    ),
    "reply-opening": Case(
        pb(messages__reply_to_citizens__kk="Сәлем, жауап береміз."),
        f"{{path}}: {_REPLY}.kk: a reply to citizens must start with Құрметті",
        "азаматтарға жауап Құрметті сөзінен басталуы керек",
        "ответ гражданам должен начинаться с Құрметті",
    ),
    # -- steps -------------------------------------------------------------------
    "no-steps": Case(
        pb(steps=[]),
        "{path}: steps: a playbook needs a list of steps",
        "сценарийде қадамдар тізімі болуы керек",
        "в сценарии должен быть список шагов",
    ),
    "step-not-a-mapping": Case(
        pb(steps=["call"]),
        "{path}: steps[0]: must be a mapping with id, title, role, action and due",
        "қадам id, title, role, action және due кілттері бар сөздік болуы керек",
        "шаг должен быть словарём с ключами id, title, role, action и due",
        keep=("id, title, role, action",),
    ),
    "step-bad-id": Case(
        pb(steps__0__id="Acknowledge"),
        "{path}: steps[0].id: 'Acknowledge' must be lower-case letters, digits, '-' or '_' (≤ 32)",
        "(ең көбі 32)",
        "(не более 32)",
    ),
    "step-unknown-field": Case(
        pb(steps__0__colour="red"),
        f"{{path}}: {_STEP}.colour: unknown field",
        "белгісіз өріс",
        "неизвестное поле",
    ),
    "duplicate-step-id": Case(
        pb(steps=[GOOD["steps"][0], GOOD["steps"][0]]),
        "{path}: steps[1].id: 'acknowledge' is used twice",
        "екі рет қолданылған",
        "используется дважды",
    ),
    "unknown-role": Case(
        pb(steps__0__role="janitor"),
        f"{{path}}: {_STEP}.role: 'janitor' is not a known role; use one of {_ROLES} "
        "or declare it under roles:",
        "белгісіз рөл; мыналардың бірін қолданыңыз",
        "неизвестная роль; используйте одну из",
        keep=(_ROLES,),
    ),
    "no-due": Case(
        pb(steps__0__due=DROP),
        f"{{path}}: {_STEP}.due: every step needs a due time, e.g. due: 1h",
        "әр қадамның мерзімі болуы керек, мысалы due: 1h",
        "у каждого шага должен быть срок, например due: 1h",
    ),
    "bad-due": Case(
        pb(steps__0__due="soonish"),
        f"{{path}}: {_STEP}.due: 'soonish' is not a duration: write 15m, 1h30m, 24h, "
        "2 working hours, 3 working days or 15 calendar days",
        "'soonish' ұзақтық емес",
        "'soonish' — не длительность",
        keep=(_DURATIONS,),
    ),
    "due-not-text": Case(
        pb(steps__0__due=[1]),
        f"{{path}}: {_STEP}.due: [1] is not a duration like 15m, 2h, 3 working days",
        "[1] ұзақтық емес",
        "[1] — не длительность",
    ),
    "bad-opens": Case(
        pb(steps__0__opens=-5),
        f"{{path}}: {_STEP}.opens: -5 is not a duration like 15m, 2h, 3 working days",
        "-5 ұзақтық емес",
        "-5 — не длительность",
    ),
    "bad-triage-class": Case(
        pb(steps__0__due={"urgent": "1h"}),
        f"{{path}}: {_STEP}.due: 'urgent' is not a triage class (light, medium, heavy)",
        "триаж санаты емес",
        "не категория триажа",
        keep=("light, medium, heavy",),
    ),
    "escalate-not-a-list": Case(
        pb(steps__0__escalate="head"),
        f"{{path}}: {_STEP}.escalate: must be a list of {{after: 15m, to: role}}",
        "{after: 15m, to: role} түріндегі тізім болуы керек",
        "должно быть списком вида {after: 15m, to: role}",
    ),
    "escalate-bad-item": Case(
        pb(steps__0__escalate=[{"after": "15m"}]),
        f"{{path}}: {_STEP}.escalate[0]: must be {{after: 15m, to: role}}",
        "{after: 15m, to: role} түрінде болуы керек",
        "должно иметь вид {after: 15m, to: role}",
    ),
    "escalate-unknown-role": Case(
        pb(steps__0__escalate=[{"after": "15m", "to": "janitor"}]),
        f"{{path}}: {_STEP}.escalate[0].to: 'janitor' is not a known role",
        "'janitor' — белгісіз рөл",
        "'janitor' — неизвестная роль",
    ),
    "escalate-bad-after": Case(
        pb(steps__0__escalate=[{"after": "later", "to": "head"}]),
        f"{{path}}: {_STEP}.escalate[0].after: 'later' is not a duration: write 15m, 1h30m, "
        "24h, 2 working hours, 3 working days or 15 calendar days",
        "'later' ұзақтық емес",
        "'later' — не длительность",
        keep=(_DURATIONS,),
    ),
    "checklist-not-a-list": Case(
        pb(steps__0__checklist="call"),
        f"{{path}}: {_STEP}.checklist: must be a list of items in kk and ru",
        "kk және ru тіліндегі тармақтар тізімі болуы керек",
        "должно быть списком пунктов на kk и ru",
    ),
    "step-unknown-message": Case(
        pb(steps__0__message="press_release"),
        f"{{path}}: {_STEP}.message: 'press_release' is not among this playbook's messages",
        "бұл сценарийдің хабарларында жоқ",
        "нет среди сообщений этого сценария",
    ),
    "public-not-bool": Case(
        pb(steps__0__public=1),
        f"{{path}}: {_STEP}.public: must be true or false",
        "true немесе false болуы керек",
        "должно быть true или false",
    ),
    "bad-phase": Case(
        pb(steps__0__phase="aftermath"),
        f"{{path}}: {_STEP}.phase: 'aftermath' must be one of initial, maintenance, "
        "resolution, evaluation",
        "мыналардың бірі болуы керек: initial",
        "должно быть одним из: initial",
        keep=("initial, maintenance, resolution, evaluation",),
    ),
    "when-not-a-list": Case(
        pb(steps__0__when={"observed": 100}),
        f"{{path}}: {_STEP}.when: must be a condition like 'observed > 100' or a list of them",
        "'observed > 100' түріндегі шарт немесе осындай шарттар тізімі болуы керек",
        "должно быть условием вида 'observed > 100' или списком таких условий",
    ),
    "bad-condition": Case(
        pb(steps__0__when="mood is bad"),
        f"{{path}}: {_STEP}.when: 'mood is bad' is not a condition like 'negative_share >= 0.5'",
        "'negative_share >= 0.5' түріндегі шарт емес",
        "не условие вида 'negative_share >= 0.5'",
    ),
    "condition-unknown-field": Case(
        pb(steps__0__when="mood > 3"),
        f"{{path}}: {_STEP}.when: 'mood' is not one of comments, expected, negative_share, "
        "observed, persistence, ratio, severity",
        "'mood' мыналардың бірі емес: ",
        "'mood' не входит в список: ",
        keep=("comments, expected, negative_share, observed, persistence, ratio, severity",),
    ),
    # -- the plan template -------------------------------------------------------
    "plan-phase-not-a-mapping": Case(
        plan(phases=["introduction"]),
        "{path}: phases[0]: must be a mapping with id, title and items",
        "кезең id, title және items кілттері бар сөздік болуы керек",
        "этап должен быть словарём с ключами id, title и items",
    ),
    "plan-four-phases": Case(
        plan(phases__4=DROP),
        "{path}: phases: the anti-crisis plan has five phases (004 Table 8)",
        "дағдарысқа қарсы жоспарда бес кезең болады (004, 8-кесте)",
        "в антикризисном плане пять этапов (004, таблица 8)",
    ),
    "plan-phase-text-missing": Case(
        plan(phases__0__items__0={"kk": "Іс"}),
        "{path}: phases[0].items[0].ru: is missing or empty",
        "мәтін жоқ немесе бос",
        "текст отсутствует или пуст",
    ),
    "plan-roles-not-a-mapping": Case(
        plan(roles=["head"]),
        "{path}: roles: must map a role to its duties",
        "рөлге оның міндеттерін сәйкестендіруі керек",
        "должно сопоставлять роли её обязанности",
    ),
    "plan-risk-not-a-mapping": Case(
        plan(risks=["flood"]),
        "{path}: risks[0]: must be a mapping",
        "сөздік болуы керек",
        "должно быть словарём",
    ),
    "plan-bad-score": Case(
        plan(risks__0__probability=6),
        "{path}: risks[0].probability: 6 must be a score from 1 to 5",
        "баға 1-ден 5-ке дейін болуы керек",
        "оценка должна быть от 1 до 5",
    ),
    "plan-unknown-playbook": Case(
        plan(risks__0__playbook="flood"),
        "{path}: risks (r1).playbook: no playbook 'flood'",
        "'flood' сценарийі жоқ",
        "нет сценария 'flood'",
    ),
}

Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Run]:
    """`qulaq ARGV` here in language `lang`: its exit code and its one stderr line."""
    monkeypatch.setenv("QULAQ_BUS", "embedded")
    root = logging.getLogger()
    before = list(root.handlers)

    def main(lang: str, *argv: str) -> tuple[int, str]:
        monkeypatch.setenv("QULAQ_LANG", lang)
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        err = capsys.readouterr().err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert "internal error" not in err and "ішкі қате" not in err, err
        return code, lines[0]

    yield main
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()


def _file(tmp_path: Path, name: str, case: Case) -> Path:
    path = tmp_path / "mine" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    if isinstance(case.content, bytes) and not case.content:
        path.mkdir()
    elif isinstance(case.content, bytes):
        path.write_bytes(case.content)
    elif case.content is not None:
        path.write_text(case.content, encoding="utf-8")
    return path


# Three Latin-letter words in a row, once quoted values, {…} examples, [blanks],
# options, paths and dotted or numbered names are taken out: an English sentence.
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,;:()?]+[A-Za-z]{2,}){2,}")
_NOT_WORDS = re.compile(r"'[^']*'|\{[^{}]*\}|\[[^\]]*\]|\S*[/=._@+\d-]\S*")


def english_run(text: str, *keep: str) -> str | None:
    for k in keep:
        text = text.replace(k, " ")
    found = _LATIN_RUN.search(_NOT_WORDS.sub(" ", text))
    return found.group(0) if found else None


@pytest.mark.parametrize("name", sorted(CASES))
def test_english_is_as_before(run: Run, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = _file(tmp_path, name, case)
    code, line = run("en", "playbooks", "validate", str(path))
    assert (code, line) == (2, "qulaq: error: " + case.english.replace("{path}", str(path)))


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_problem_is_said_in_the_language(
    run: Run, tmp_path: Path, name: str, lang: str
) -> None:
    case = CASES[name]
    path = _file(tmp_path, name, case)
    code, line = run(lang, "playbooks", "validate", str(path))
    assert code == 2, line
    head = f"qulaq: {PREFIX[lang]}: {path}: "
    assert line.startswith(head), line
    rest = line.removeprefix(head)
    says = case.kk if lang == "kk" else case.ru
    assert says in rest, line
    # the English sentence is gone, and no other English is left in its place
    english = case.english.replace("{path}", str(path)).split(": ", 2)[-1]
    assert english not in rest, line
    assert english_run(rest, *case.keep) is None, (english_run(rest, *case.keep), line)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_bad_file_in_the_deployments_playbook_directory_is_said_in_the_language(
    run: Run, home: Path, tmp_path: Path, lang: str
) -> None:
    """The files of `playbooks.dirs` are read by every playbook command, not only by
    validate: `playbooks list` says what is wrong in the language too."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "sample.yaml").write_text(pb(steps__0__due="soonish"), encoding="utf-8")
    home.mkdir(parents=True, exist_ok=True)
    (home / "qulaq.toml").write_text(f'[playbooks]\ndirs = ["{mine}"]\n', encoding="utf-8")
    code, line = run(lang, "playbooks", "list")
    assert code == 2, line
    assert f"{mine / 'sample.yaml'}: {_STEP}.due: 'soonish'" in line, line
    assert ("ұзақтық емес" if lang == "kk" else "не длительность") in line, line
    assert "is not a duration" not in line, line
    code, line = run("en", "playbooks", "list")
    assert line == (
        f"qulaq: error: {mine / 'sample.yaml'}: {_STEP}.due: 'soonish' is not a duration: "
        "write 15m, 1h30m, 24h, 2 working hours, 3 working days or 15 calendar days"
    )


# -- the catalogue ---------------------------------------------------------------


def _file_keys() -> dict[str, dict[str, str]]:
    return {k: v for k, v in i18n._CATALOG.items() if k.startswith(("pb.file.", "pb.tone."))}


def _fields(template: str) -> set[tuple[str, str, str]]:
    return {
        (name, conversion or "", spec or "")
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    }


def test_each_file_message_reads_in_kazakh_and_russian() -> None:
    entries = _file_keys()
    assert len(entries) >= 45
    frames = ("pb.file.at", "pb.file.where_file")  # parameters only; one word
    for key, entry in entries.items():
        params = {name: f"P{i}" for i, (name, _, _) in enumerate(sorted(_fields(entry["en"])))}
        for lang in ("kk", "ru"):
            assert _fields(entry[lang]) == _fields(entry["en"]), (key, lang)
            if key in frames:
                continue
            text = entry[lang].format(**params)
            assert text != entry["en"].format(**params), (key, lang)
            assert re.search("[а-яёәғқңөұүһі]", text, re.IGNORECASE), (key, lang, text)
        assert key in frames or entry["kk"] != entry["ru"], key


def _keys_used() -> Iterator[tuple[str, str, set[str] | None]]:
    """Each catalogue key model.py and tone.py name (in `fail`, `_error`, `_problem`,
    `Problem` calls): where, the key, the keyword parameters given (None: **params)."""
    for rel in ("playbooks/model.py", "playbooks/tone.py"):
        tree = ast.parse((REPO / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in ("fail", "_error", "_problem", "Problem"):
                continue
            for i, arg in enumerate(node.args):
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("pb."):
                    given = {k.arg for k in node.keywords if k.arg is not None}
                    star = any(k.arg is None for k in node.keywords)
                    for rest in node.args[i + 1 :]:  # Problem(key, {"name": value})
                        if isinstance(rest, ast.Dict):
                            names = [k.value for k in rest.keys if isinstance(k, ast.Constant)]
                            given |= {str(n) for n in names}
                    yield f"{rel}:{node.lineno}", str(arg.value), None if star else given


def test_every_key_model_uses_is_in_the_catalogue_with_its_parameters() -> None:
    entries = _file_keys()
    used = list(_keys_used())
    assert len({key for _, key, _ in used}) >= 45
    for where, key, given in used:
        assert key in entries, f"{where}: no message {key!r}"
        if given is not None:
            wanted = {name for name, _, _ in _fields(entries[key]["en"])}
            assert given == wanted, f"{where}: {key!r} takes {sorted(wanted)}, given {given}"
