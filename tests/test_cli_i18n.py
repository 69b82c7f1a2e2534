"""The command line speaks the user's language to the end of the line: with
QULAQ_LANG=kk or ru an error is Kazakh or Russian after the prefix too, both
argparse's own (missing or unknown arguments, bad values) and Qulaq's (files,
times, ids, QULAQ_HOME, the database); with QULAQ_LANG=en it is as it always was.
Every catalogue entry has the three languages with the same placeholders."""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import logging
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from qulaq import cli, error_messages, i18n
from qulaq.cli import argparse_i18n
from qulaq.errors import Phrase, UserError
from tests.conftest import REPO

PACKAGES = ("qulaq", "stream", "signals", "playbooks", "collectors", "dashboard", "sentiment")
PREFIX = {"kk": "қате", "ru": "ошибка", "en": "error"}

# three Latin words in a row, once quoted values, options, paths, file names,
# times and upper-case names (COMMAND, QULAQ_HOME, CSV) are taken out
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,;:()?]+[A-Za-z]{2,}){2,}")
_NOT_WORDS = re.compile(r"'[^']*'|`[^`]*`|\S*[/=._@+\d-]\S*|\b[A-Z_]{2,}\b")


def english_run(text: str, *params: object) -> str | None:
    """A run of three or more Latin-letter words in `text`, other than `params`."""
    for p in params:
        text = text.replace(str(p), " ")
    found = _LATIN_RUN.search(_NOT_WORDS.sub(" ", text))
    return found.group(0) if found else None


def assert_in_language(line: str, lang: str, word: str, *params: object) -> None:
    prog, _, rest = line.partition(f": {PREFIX[lang]}: ")
    assert rest, f"no {PREFIX[lang]!r} prefix: {line}"
    assert re.fullmatch(r"qulaq( [a-z-]+)*", prog), line
    assert english_run(rest, *params) is None, (english_run(rest, *params), line)
    assert word in rest, line


@pytest.fixture
def run_main(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
    """`cli.main(argv)` here, in language `lang`: its exit code and its one stderr line;
    the handlers main adds to the root logger are taken off after."""
    monkeypatch.setenv("QULAQ_BUS", "embedded")
    root = logging.getLogger()
    before = list(root.handlers)

    def run(lang: str, *argv: str) -> tuple[int, str]:
        monkeypatch.setenv("QULAQ_LANG", lang)
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        err = capsys.readouterr().err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        return code, lines[0]

    yield run
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()


# -- argparse's own messages ------------------------------------------------------

ARGPARSE_CASES = {
    "required-command": (
        (),
        "qulaq: error: the following arguments are required: COMMAND",
        {"kk": "міндетті", "ru": "обязательные"},
    ),
    "required-options": (
        ("sentiment", "predict", "--input", "in.csv"),
        "qulaq sentiment predict: error: the following arguments are required: "
        "--text-column, --output",
        {"kk": "міндетті", "ru": "обязательные"},
    ),
    "unknown-command": (
        ("frob",),
        "qulaq: error: argument COMMAND: invalid choice: 'frob' (choose from 'replay', 'run', "
        "'stats', 'quarantine', 'sentiment', 'detect', 'agencies', 'summary', 'collect', "
        "'collectors', 'webhooks', 'alerts', 'incidents', 'risk', 'playbooks', 'dashboard', "
        "'users', 'retention')",
        {"kk": "жарамсыз нұсқа", "ru": "недопустимый вариант"},
    ),
    "invalid-choice": (
        ("run", "--stage", "x"),
        "qulaq run: error: argument --stage: invalid choice: 'x' (choose from 'all', 'score', "
        "'store', 'signals', 'playbooks')",
        {"kk": "таңдаңыз", "ru": "выберите"},
    ),
    "unrecognized": (
        ("stats", "--bogus"),
        "qulaq: error: unrecognized arguments: --bogus",
        {"kk": "танылмаған", "ru": "нераспознанные"},
    ),
    "invalid-int": (
        ("alerts", "list", "--min-severity", "high"),
        "qulaq alerts list: error: argument --min-severity: invalid int value: 'high'",
        {"kk": "жарамсыз", "ru": "недопустимое значение"},
    ),
    "expected-one": (
        ("summary", "--since"),
        "qulaq summary: error: argument --since: expected one argument",
        {"kk": "бір мән", "ru": "одно значение"},
    ),
    "ambiguous": (
        ("--ver",),
        "qulaq: error: ambiguous option: --ver could match --version, --verbose",
        {"kk": "екіұшты", "ru": "неоднозначный"},
    ),
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("case", list(ARGPARSE_CASES))
def test_argparse_errors_speak_kazakh_and_russian(run_main, lang: str, case: str) -> None:
    argv, _english, words = ARGPARSE_CASES[case]
    code, line = run_main(lang, *argv)
    assert code == 2
    assert_in_language(line, lang, words[lang], "int")


@pytest.mark.parametrize("case", list(ARGPARSE_CASES))
def test_argparse_errors_in_english_are_as_before(run_main, case: str) -> None:
    argv, english, _words = ARGPARSE_CASES[case]
    assert run_main("en", *argv) == (2, english)


@pytest.mark.parametrize(
    ("lang", "usage", "positionals", "options", "help_line"),
    [
        ("kk", "қолданылуы: qulaq replay", "позициялық аргументтер:", "параметрлер:", "анықтама"),
        ("ru", "использование: qulaq replay", "позиционные аргументы:", "параметры:", "справку"),
        ("en", "usage: qulaq replay", "positional arguments:", "options:", "show this help"),
    ],
)
def test_help_headings_speak_the_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    usage: str,
    positionals: str,
    options: str,
    help_line: str,
) -> None:
    monkeypatch.setenv("QULAQ_LANG", lang)
    with pytest.raises(SystemExit) as stop:
        cli.main(["replay", "-h"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(usage)
    lines = out.splitlines()
    assert positionals in lines and options in lines
    assert help_line in out


def test_argparse_is_english_again_outside_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QULAQ_LANG", "kk")
    cli.build_parser().parse_args(["stats"])
    plain = argparse.ArgumentParser(prog="other")
    assert "usage: other" in plain.format_usage()
    assert "options:" in plain.format_help()


def test_the_argparse_table_uses_python_msgids_and_keeps_their_placeholders() -> None:
    source = inspect.getsource(argparse)
    fields = re.compile(r"%(?:\(\w+\))?[rsd]")
    for msgid, by_lang in argparse_i18n.MESSAGES.items():
        assert repr(msgid) in source or f'"{msgid}"' in source, msgid
        assert set(by_lang) == {"kk", "ru"}, msgid
        for lang, text in by_lang.items():
            assert sorted(fields.findall(text)) == sorted(fields.findall(msgid)), (lang, text)
    for (singular, plural), forms_by_lang in argparse_i18n.PLURALS.items():
        assert repr(singular) in source and repr(plural) in source
        for forms in forms_by_lang.values():
            assert all(fields.findall(f) == ["%s"] for f in forms)
    error_line = argparse_i18n.MESSAGES["%(prog)s: error: %(message)s\n"]
    for lang in ("kk", "ru"):  # the same prefix as Qulaq's own errors
        assert error_line[lang] == f"%(prog)s: {i18n.t('error.prefix', lang)}: %(message)s\n"


def test_russian_plural_forms() -> None:
    _, ngettext = argparse_i18n._translators("ru")
    said = {n: ngettext("expected %s argument", "expected %s arguments", n) % n for n in (1, 3, 5)}
    assert said == {
        1: "ожидается 1 значение",
        3: "ожидается 3 значения",
        5: "ожидается 5 значений",
    }


# -- Qulaq's own user errors ------------------------------------------------------


def _user_error_cases(tmp: Path) -> dict[str, tuple[tuple[str, ...], str, dict[str, str]]]:
    (tmp / "a-dir.jsonl").mkdir()
    (tmp / "empty.csv").write_bytes(b"")
    (tmp / "latin1.csv").write_bytes(b"timestamp,value\n2026-01-05T10:00:00+05:00,\xe9\n")
    (tmp / "series.csv").write_text("time,count\n", encoding="utf-8")
    return {
        "replay-missing": (
            ("replay", "missing.jsonl"),
            "qulaq: error: missing.jsonl: no such file",
            {"kk": "файл жоқ", "ru": "нет такого файла"},
        ),
        "replay-directory": (
            ("replay", "a-dir.jsonl"),
            "qulaq: error: a-dir.jsonl is a directory, not a JSONL file",
            {"kk": "каталог", "ru": "каталог"},
        ),
        "predict-missing": (
            ("sentiment", "predict", "--input", "in.csv", "--text-column", "t", "--output", "o"),
            "qulaq: error: in.csv: no such file",
            {"kk": "файл жоқ", "ru": "нет такого файла"},
        ),
        "detect-empty": (
            ("detect", "--input", "empty.csv", "--output", "out.csv"),
            "qulaq: error: empty.csv: the file is empty; expected a header 'timestamp,value'",
            {"kk": "файл бос", "ru": "файл пуст"},
        ),
        "detect-not-utf8": (
            ("detect", "--input", "latin1.csv", "--output", "out.csv"),
            "qulaq: error: latin1.csv is not UTF-8 text (line 2): save it as UTF-8 CSV",
            {"kk": "мәтіні емес", "ru": "кодировке"},
        ),
        "detect-columns": (
            ("detect", "--input", "series.csv", "--output", "out.csv"),
            "qulaq: error: series.csv: missing column 'timestamp' and 'value' "
            "(the header has: time, count)",
            {"kk": "бағандары жоқ", "ru": "нет столбцов"},
        ),
        "summary-not-a-time": (
            ("summary", "--since", "yesterday"),
            "qulaq: error: --since 'yesterday' is not an ISO 8601 time",
            {"kk": "уақыт емес", "ru": "не время"},
        ),
        "summary-out-of-range": (
            ("summary", "--until", "9999-12-31T23:59:59-12:00"),
            "qulaq: error: --until '9999-12-31T23:59:59-12:00' is out of range",
            {"kk": "ауқымнан тыс", "ru": "диапазона"},
        ),
        "summary-reversed": (
            ("summary", "--since", "2026-03-22", "--until", "2026-03-18"),
            "qulaq: error: --until '2026-03-18' is not after --since '2026-03-22'",
            {"kk": "кейін болуы керек", "ru": "позже"},
        ),
        "unknown-user": (
            ("users", "remove", "nobody"),
            "qulaq: error: no user 'nobody'",
            {"kk": "пайдаланушысы жоқ", "ru": "нет пользователя"},
        ),
        "stage-on-embedded": (
            ("run", "--until-idle", "--stage", "score"),
            "qulaq: error: --stage needs the Kafka bus (QULAQ_BUS=kafka://…); the embedded "
            "runtime runs every stage together",
            {"kk": "шинасы керек", "ru": "нужна шина"},
        ),
        "unknown-incident": (
            ("incidents", "ack", "nope", "--by", "aigerim"),
            "qulaq: error: no incident 'nope'; see 'qulaq incidents list'",
            {"kk": "инциденті жоқ", "ru": "нет инцидента"},
        ),
    }


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_user_errors_speak_the_language(run_main, tmp_path: Path, lang: str) -> None:
    for name, (argv, english, words) in _user_error_cases(tmp_path).items():
        code, line = run_main(lang, *argv)
        assert code == 2, (name, line)
        if lang == "en":
            assert line == english, name
        else:
            assert_in_language(line, lang, words[lang])


# -- what a press officer meets next: risk, alerts, playbooks, the dashboard, and the
# deployment's own files (config, registry) ------------------------------------

PLAYBOOKS_KNOWN = (
    "complaint-loop, data-breach, draft-law-consultation, mass-complaint, "
    "reputational-crisis, rumour-disinformation, utility-outage"
)
SCENARIOS = 'must be a JSON list of scenarios with an "id" each'
STEPS = "received, acknowledged, verifying, assigned, resolved, reported-back"
# what a library said, in English in every language (a parameter, as given)
LIBRARY_SAID = (
    "Expecting property name enclosed in double quotes",
    "Invalid value (at line 1, column 7)",
)

# name: (argv, files to write, environment, the English line, a word each of kk and ru)
MORE_CASES: dict[
    str, tuple[tuple[str, ...], dict[str, str], dict[str, str], str, dict[str, str]]
] = {
    "risk-not-a-time": (
        ("risk", "--at", "2026-13-01"),
        {},
        {},
        "qulaq: error: --at '2026-13-01' is not an ISO 8601 time",
        {"kk": "уақыт емес", "ru": "не время"},
    ),
    "risk-out-of-range": (
        ("risk", "--at", "9999-12-31T23:59:59-12:00"),
        {},
        {},
        "qulaq: error: --at '9999-12-31T23:59:59-12:00' is out of range",
        {"kk": "ауқымнан тыс", "ru": "диапазона"},
    ),
    "unknown-alert": (
        ("alerts", "show", "nope"),
        {},
        {},
        "qulaq: error: no alert 'nope'; see 'qulaq alerts list'",
        {"kk": "дабылы жоқ", "ru": "нет сигнала"},
    ),
    "empty-name": (
        ("incidents", "ack", "x", "--by", " "),
        {},
        {},
        "qulaq incidents ack: error: argument --by: a name is needed, not an empty one",
        {"kk": "атын көрсету", "ru": "нужно имя"},
    ),
    "limit-not-a-number": (
        ("playbooks", "outbox", "--limit", "ten"),
        {},
        {},
        "qulaq playbooks outbox: error: argument --limit: 'ten' is not a whole number",
        {"kk": "бүтін сан емес", "ru": "не целое число"},
    ),
    "limit-zero": (
        ("playbooks", "outbox", "--limit", "0"),
        {},
        {},
        "qulaq playbooks outbox: error: argument --limit: 0 must be a positive whole number",
        {"kk": "оң бүтін сан", "ru": "положительным числом"},
    ),
    "playbook-time": (
        ("playbooks", "done", "RUN", "received", "--by", "bob", "--at", "soon"),
        {},
        {},
        "qulaq playbooks done: error: argument --at: 'soon' is not a date or time (ISO 8601)",
        {"kk": "уақыт та емес", "ru": "не время"},
    ),
    "playbook-time-out-of-range": (
        ("playbooks", "report", "--agency", "a", "--since", "0001-01-01"),
        {},
        {},
        "qulaq playbooks report: error: argument --since: '0001-01-01' is out of range",
        {"kk": "ауқымнан тыс", "ru": "диапазона"},
    ),
    "unknown-run": (
        ("playbooks", "show", "nope"),
        {},
        {},
        "qulaq: error: no playbook run 'nope'",
        {"kk": "орындалуы жоқ", "ru": "нет запуска"},
    ),
    "unknown-playbook": (
        ("playbooks", "start", "nope", "--agency", "akimat-almaty", "--by", "aigerim"),
        {},
        {},
        f"qulaq: error: no playbook 'nope'; known: {PLAYBOOKS_KNOWN}",
        {"kk": "сценарийі жоқ", "ru": "нет сценария"},
    ),
    "start-unknown-agency": (
        ("playbooks", "start", "complaint-loop", "--agency", "nope", "--by", "aigerim"),
        {},
        {},
        "qulaq: error: agency 'nope' is not in the registry; see 'qulaq agencies list'",
        {"kk": "тізілімде жоқ", "ru": "нет в реестре"},
    ),
    "report-reversed": (
        (
            "playbooks",
            "report",
            "--agency",
            "akimat-almaty",
            "--since",
            "2026-03-22",
            "--until",
            "2026-03-18",
        ),
        {},
        {},
        "qulaq: error: --until must come after --since",
        {"kk": "кейін болуы керек", "ru": "позже"},
    ),
    "report-since-future": (
        ("playbooks", "report", "--agency", "akimat-almaty", "--since", "9999-12-31"),
        {},
        {},
        "qulaq: error: --since 9999-12-31T00:00:00+05:00 is in the future (it is ",
        {"kk": "болашақтағы уақыт", "ru": "в будущем"},
    ),
    "plan-unknown-agency": (
        ("playbooks", "plan", "--agency", "nope"),
        {},
        {},
        "qulaq: error: agency 'nope' is not in the registry; see 'qulaq agencies list'",
        {"kk": "тізілімде жоқ", "ru": "нет в реестре"},
    ),
    "report-output-dir": (
        (
            "playbooks",
            "report",
            "--agency",
            "akimat-almaty",
            "--since",
            "2026-03-01",
            "--output",
            ".",
        ),
        {},
        {},
        "qulaq: error: . is a directory, not a file",
        {"kk": "каталог", "ru": "каталог"},
    ),
    "drill-scenario-bad-field": (
        ("playbooks", "drill", "--scenario", "x", "--scenarios", "s.json", "--by", "a"),
        {"s.json": '[{"id": "x", "agency": "akimat-almaty", "topic": 5}]'},
        {},
        "qulaq: error: scenario file s.json: entry 1 ('x'): \"topic\" must be a string, "
        "not a JSON number",
        {"kk": "мәтін болуы керек", "ru": "должно быть строкой"},
    ),
    "limit-too-large": (
        ("quarantine", "list", "--limit", "99999999999999999999"),
        {},
        {},
        "qulaq quarantine list: error: argument --limit: 99999999999999999999 is too large: "
        "at most 1000000000",
        {"kk": "тым үлкен", "ru": "слишком велико"},
    ),
    "agency-unknown-type": (
        ("agencies", "list", "--type", "nope"),
        {},
        {},
        "qulaq: error: no agency type 'nope'; known: city_akimat, district_akimat, ministry, "
        "oblast_akimat, rural_akimat",
        {"kk": "мекеме түрі жоқ", "ru": "нет типа ведомств"},
    ),
    "drill-unknown-scenario": (
        ("playbooks", "drill", "--scenario", "nope", "--scenarios", "s.json", "--by", "a"),
        {"s.json": '[{"id": "one", "agency": "akimat-almaty"}]'},
        {},
        "qulaq: error: no scenario 'nope'; known: one",
        {"kk": "жаттығу картасы жоқ", "ru": "нет вводной"},
    ),
    "drill-scenario-without-agency": (
        ("playbooks", "drill", "--scenario", "one", "--scenarios", "s.json", "--by", "a"),
        {"s.json": '[{"id": "one"}]'},
        {},
        "qulaq: error: scenario 'one' names no agency: give --agency",
        {"kk": "мекеме көрсетілмеген", "ru": "не указано ведомство"},
    ),
    "drill-scenarios-not-a-list": (
        ("playbooks", "drill", "--scenario", "one", "--scenarios", "s.json", "--by", "a"),
        {"s.json": "{}"},
        {},
        f"qulaq: error: scenario file s.json {SCENARIOS}, not a JSON object",
        {"kk": "JSON объектісі емес", "ru": "а не объект JSON"},
    ),
    "drill-scenarios-not-json": (
        ("playbooks", "drill", "--scenario", "one", "--scenarios", "s.json", "--by", "a"),
        {"s.json": "[\n{"},
        {},
        f"qulaq: error: scenario file s.json {SCENARIOS}; it is not JSON: Expecting property "
        "name enclosed in double quotes (line 2, column 2)",
        {"kk": "JSON емес", "ru": "не JSON"},
    ),
    "dashboard-port": (
        ("dashboard", "--port", "70000"),
        {},
        {},
        "qulaq: error: --port 70000 is not a TCP port",
        {"kk": "TCP порты емес", "ru": "не порт"},
    ),
    "config-unknown-key": (
        ("stats",),
        {"qulaq.toml": '[kafka]\nbootstrap_server = "x:9092"\n'},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: config file qulaq.toml: unknown key 'bootstrap_server' in [kafka] "
        "(known: partitions)",
        {"kk": "белгісіз", "ru": "неизвестный ключ"},
    ),
    "config-misspelt-section": (
        ("stats",),
        {"qulaq.toml": "[retension]\nraw_days = 30\n"},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: config file qulaq.toml: unknown section [retension] "
        "(did you mean [retention]?)",
        {"kk": "болуы мүмкін бе", "ru": "имелся в виду"},
    ),
    "config-not-valid": (
        ("stats",),
        {"qulaq.toml": "bus = \n"},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: config file qulaq.toml is not valid: Invalid value (at line 1, column 7)",
        {"kk": "жарамсыз", "ru": "недопустим"},
    ),
    "config-not-a-file": (
        ("stats",),
        {},
        {"QULAQ_CONFIG": "nowhere.toml"},
        "qulaq: error: QULAQ_CONFIG points at nowhere.toml, which is not a file",
        {"kk": "файл емес", "ru": "не файл"},
    ),
    "bad-bus": (
        ("stats",),
        {},
        {"QULAQ_BUS": "rabbitmq://x"},
        "qulaq: error: QULAQ_BUS must be 'embedded' or 'kafka://HOST:PORT[,…]', not 'rabbitmq://x'",
        {"kk": "болуы керек", "ru": "должен быть"},
    ),
    "retention-days": (
        ("retention", "run"),
        {"qulaq.toml": '[retention]\nraw_days = "soon"\n'},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: retention.raw_days must be a number of days, not 'soon'",
        {"kk": "күндер саны", "ru": "числом дней"},
    ),
    "registry-bad-id": (
        ("agencies", "list"),
        {
            "qulaq.toml": 'registry = ["reg.yaml"]\n',
            "reg.yaml": "agencies:\n  - id: Bad_Id\n",
        },
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: reg.yaml: agencies[0]: field 'id': 'Bad_Id' must be lower-case kebab-case",
        {"kk": "кіші әріптермен", "ru": "строчными буквами"},
    ),
    "registry-field": (
        ("agencies", "list"),
        {
            "qulaq.toml": 'registry = ["reg.yaml"]\n',
            "reg.yaml": "agencies:\n  - id: akimat-almaty\n    type: bakery\n",
        },
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: reg.yaml: agency 'akimat-almaty': field 'type': 'bakery' is not one of ",
        {"kk": "мекемесі", "ru": "ведомство"},
    ),
    "collect-api-base": (
        ("collect", "vk", "--api-base", "ftp://x"),
        {},
        {},
        "qulaq collect vk: error: argument --api-base: 'ftp://x' must be an http:// or "
        "https:// URL",
        {"kk": "мекенжайы болуы керек", "ru": "должен быть адресом"},
    ),
    "collect-timeout": (
        ("collect", "vk", "--timeout", "soon"),
        {},
        {},
        "qulaq collect vk: error: argument --timeout: 'soon' is not a number",
        {"kk": "сан емес", "ru": "не число"},
    ),
    "collect-api-base-setting": (
        ("collect", "vk", "--owner", "-1", "--once"),
        {"qulaq.toml": '[collectors.vk]\napi_base = "ftp://x"\n'},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: collectors.vk.api_base: 'ftp://x' must be an http:// or https:// URL",
        {"kk": "баптауы", "ru": "параметр"},
    ),
    "retention-days-argument": (
        ("retention", "run", "--days", "0"),
        {},
        {},
        "qulaq retention run: error: argument --days: '0' is not a positive number of days",
        {"kk": "оң саны емес", "ru": "не положительное"},
    ),
    "retention-too-many-days": (
        ("retention", "run", "--days", "100000000"),
        {},
        {},
        "qulaq retention run: error: argument --days: '100000000' is too many days: at most 365000",
        {"kk": "күндер тым көп", "ru": "слишком много дней"},
    ),
    "retention-setting-too-many-days": (
        ("retention", "run"),
        {"qulaq.toml": "[retention]\nraw_days = 100000000\n"},
        {"QULAQ_CONFIG": "qulaq.toml"},
        "qulaq: error: retention.raw_days must be at most 365000 days, not 100000000",
        {"kk": "ең көбі", "ru": "не больше"},
    ),
    "bad-kafka-server": (
        ("stats",),
        {},
        {"QULAQ_BUS": "kafka://host:notaport"},
        "qulaq: error: QULAQ_BUS 'kafka://host:notaport': 'host:notaport' is not HOST:PORT "
        "with a port number 1–65535",
        {"kk": "порт нөмірі", "ru": "номером порта"},
    ),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("case", list(MORE_CASES))
def test_more_user_errors_speak_the_language(
    run_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, case: str
) -> None:
    argv, files, env, english, words = MORE_CASES[case]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, line = run_main(lang, *argv)
    assert code == 2, line
    if lang == "en":
        # the registry's list of agency types is long: its start is enough
        assert line == english or (english.endswith(" ") and line.startswith(english)), line
    else:
        assert_in_language(line, lang, words[lang], *LIBRARY_SAID)


def _started_run(run_main) -> str:
    from playbooks.stage import run_id_for

    argv = ("playbooks", "start", "complaint-loop", "--agency", "akimat-almaty", "--by", "a")
    assert cli.main([*argv, "--ref", "r1"]) == 0
    return run_id_for("manual:r1")


@pytest.mark.parametrize(
    ("lang", "no_step", "cancelled"),
    [
        ("kk", "қадамы жоқ", "«тоқтатылды» күйінде"),
        ("ru", "нет шага", "отменён"),
    ],
)
def test_a_step_the_run_refuses_is_said_in_the_language(
    run_main, capsys: pytest.CaptureFixture[str], lang: str, no_step: str, cancelled: str
) -> None:
    run = _started_run(run_main)
    capsys.readouterr()
    code, line = run_main(lang, "playbooks", "done", run, "frob", "--by", "bob")
    assert code == 2
    assert_in_language(line, lang, no_step, STEPS)
    assert cli.main(["playbooks", "cancel", run, "--by", "bob"]) == 0
    capsys.readouterr()
    code, line = run_main(lang, "playbooks", "done", run, "received", "--by", "bob")
    assert code == 2
    assert_in_language(line, lang, cancelled)
    code, line = run_main(lang, "playbooks", "cancel", run, "--by", "bob")
    assert code == 2
    assert_in_language(line, lang, cancelled)


def test_a_step_the_run_refuses_is_as_before_in_english(
    run_main, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _started_run(run_main)
    capsys.readouterr()
    assert run_main("en", "playbooks", "done", run, "received", "--by", "bob", "--at", "x")[1] == (
        "qulaq playbooks done: error: argument --at: 'x' is not a date or time (ISO 8601)"
    )
    assert run_main("en", "playbooks", "done", run, "frob", "--by", "bob") == (
        2,
        f"qulaq: error: run {run} has no step 'frob'; its steps: {STEPS}",
    )
    assert cli.main(["playbooks", "cancel", run, "--by", "bob"]) == 0
    capsys.readouterr()
    assert run_main("en", "playbooks", "done", run, "received", "--by", "bob") == (
        2,
        f"qulaq: error: run {run} is cancelled; its steps can no longer change",
    )
    assert run_main("en", "playbooks", "cancel", run, "--by", "bob") == (
        2,
        f"qulaq: error: run {run} is already cancelled",
    )


@pytest.mark.parametrize(
    ("lang", "before_start", "future", "before_ack"),
    [
        ("kk", "басталғаннан", "болашақтағы уақыт", "расталғаннан"),
        ("ru", "раньше начала запуска", "в будущем", "был подтверждён"),
        ("en", "is before run", "is in the future", "was acknowledged"),
    ],
)
def test_an_action_time_that_cannot_be_true_is_said_in_the_language(
    run_main,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    before_start: str,
    future: str,
    before_ack: str,
) -> None:
    run = _started_run(run_main)
    capsys.readouterr()
    act = ("playbooks", "done", run, "received", "--by", "bob", "--at")
    for at, word in (("2020-01-01", before_start), ("2999-01-01", future)):
        code, line = run_main(lang, *act, at)
        assert code == 2, line
        if lang == "en":
            assert line.startswith(f"qulaq: error: --at {at}T00:00:00+0") and word in line, line
        else:
            assert_in_language(line, lang, word, run)
    assert cli.main(["playbooks", "ack", run, "received", "--by", "bob"]) == 0
    capsys.readouterr()
    code, line = run_main(lang, *act, _run_start(run))  # before the acknowledgement, just now
    assert code == 2, line
    if lang != "en":
        assert_in_language(line, lang, before_ack)
    assert before_ack in line


def _run_start(run: str) -> str:
    from playbooks import store
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    db = Database.open(load_settings())
    with db.read() as conn:
        state = store.load_run(conn, run)
    db.dispose()
    assert state is not None
    return state.started_at.isoformat()


@pytest.mark.parametrize(
    ("lang", "word"),
    [("kk", "дабыл түрі жоқ"), ("ru", "нет вида сигналов"), ("en", "no alert kind")],
)
def test_an_unknown_alert_kind_is_said_in_the_language(run_main, lang: str, word: str) -> None:
    code, line = run_main(lang, "alerts", "list", "--kind", "volume-spike")
    assert code == 2
    known = line.rpartition(": ")[2]
    assert "volume_spike" in known.split(", ") and "backlog" in known.split(", ")
    if lang != "en":
        assert_in_language(line, lang, word, known)
    assert word in line


def test_a_run_is_not_started_for_an_agency_not_in_the_registry(
    run_main, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _line = run_main(
        "en", "playbooks", "start", "complaint-loop", "--agency", "nope", "--by", "a"
    )
    assert code == 2
    assert cli.main(["playbooks", "runs", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    # an account no agency claims is an agency of its own, as for dashboard users
    argv = ("playbooks", "start", "complaint-loop", "--agency", "telegram:chat", "--by", "a")
    assert cli.main(list(argv)) == 0


@pytest.mark.parametrize(
    ("lang", "status", "label"),
    [
        ("kk", "мыналардың бірі емес", "көңіл-күй белгісі емес"),
        ("ru", "не входит в список", "не метка тональности"),
        ("en", "status 'frob' is not one of open, ", "'meh' is not a sentiment label"),
    ],
)
def test_the_dashboard_work_errors_speak_the_language(
    tmp_path: Path, lang: str, status: str, label: str
) -> None:
    from dashboard import work

    comment: dict[str, object] = {}
    with pytest.raises(UserError) as bad_status:
        work.update_work(None, comment, by="a", status="frob")  # type: ignore[arg-type]
    with pytest.raises(UserError) as no_body:
        work.update_work(None, comment, by="a", status="redirected")  # type: ignore[arg-type]
    with pytest.raises(UserError) as bad_label:
        work.correct_label(None, tmp_path, comment, head="sentiment", label="meh", by="a")  # type: ignore[arg-type]
    assert status in bad_status.value.localized(lang)
    assert label in bad_label.value.localized(lang)
    if lang != "en":
        for exc in (bad_status.value, no_body.value, bad_label.value):
            said = exc.localized(lang)
            assert english_run(said, "open, answered, redirected, no_answer_needed") is None, said


def test_a_sentence_inside_a_sentence_is_said_in_one_language() -> None:
    inner = UserError.t("config.unknown_key_top", name="bsu")
    outer = UserError.t("config.problem", path="q.toml", problem=inner)
    assert str(outer) == "config file q.toml: unknown key 'bsu' at the top level"
    assert outer.localized("ru") == (
        "файл конфигурации q.toml: неизвестный ключ 'bsu' на верхнем уровне"
    )
    assert (
        outer.localized("kk")
        == "q.toml конфигурация файлы: жоғарғы деңгейдегі белгісіз 'bsu' кілті"
    )


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("kk", "QULAQ_HOME {home} каталог емес"),
        ("ru", "QULAQ_HOME {home} — не каталог"),
        ("en", "QULAQ_HOME {home} is not a directory"),
    ],
)
def test_an_unusable_home_speaks_the_language(
    run_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, says: str
) -> None:
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("QULAQ_HOME", str(a_file))
    assert run_main(lang, "stats") == (2, f"qulaq: {PREFIX[lang]}: {says.format(home=a_file)}")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_database_url_with_a_bad_port_speaks_the_language(
    run_main, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("QULAQ_DATABASE_URL", "postgresql+psycopg://u@localhost:port/db")
    code, line = run_main(lang, "stats")
    assert code == 2
    assert_in_language(line, lang, {"kk": "порты сан емес", "ru": "порт — не число"}[lang])


def test_str_of_a_user_error_stays_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QULAQ_LANG", "kk")
    exc = UserError.t("file.cannot_read", path="in.jsonl", reason=Phrase("os.eacces", "Denied"))
    assert str(exc) == "cannot read in.jsonl: Denied"
    assert exc.localized() == "in.jsonl файлын оқу мүмкін емес: рұқсат жоқ"
    assert exc.localized("ru") == "не удаётся прочитать in.jsonl: доступ запрещён"
    plain = UserError("said in English only")
    assert plain.localized() == "said in English only"


# -- what an operator meets: the on-call roster, alert channels, collectors, webhooks
# and the stream's settings -----------------------------------------------------

CHANNELS = "telegram, email, webhook, console"
PYTHON_SAID = "invalid literal for int() with base 10: 'x'"  # a setting's own error
_ROTATION = '[[oncall.rotations]]\nrole = "duty"\n'
_STARTS = 'start = "2026-03-02T09:00:00+05:00"\n'
_NO_TOKENS = (
    "QULAQ_VK_TOKEN",
    "QULAQ_FB_TOKEN",
    "QULAQ_IG_TOKEN",
    "QULAQ_X_BEARER_TOKEN",
    "QULAQ_YOUTUBE_KEY",
    "QULAQ_TELEGRAM_API_ID",
    "QULAQ_TELEGRAM_API_HASH",
    "QULAQ_FB_APP_SECRET",
    "QULAQ_IG_APP_SECRET",
    "QULAQ_VK_CALLBACK_SECRET",
    "QULAQ_VK_CALLBACK_CONFIRMATION",
)


def _config(text: str) -> tuple[dict[str, str], dict[str, str]]:
    return {"qulaq.toml": text}, {"QULAQ_CONFIG": "qulaq.toml"}


# name: (argv, (files, environment), the English line, a word each of kk and ru)
OPERATOR_CASES: dict[
    str, tuple[tuple[str, ...], tuple[dict[str, str], dict[str, str]], str, dict[str, str]]
] = {
    "oncall-not-a-table": (
        ("playbooks", "runs"),
        _config("oncall = 5\n"),
        "qulaq: error: config: oncall must be a table with people, roles and rotations",
        {"kk": "кесте болуы керек", "ru": "таблицей"},
    ),
    "oncall-person-not-a-table": (
        ("playbooks", "runs"),
        _config("[oncall.people]\ndana = 5\n"),
        "qulaq: error: config: oncall.people.dana must be a table",
        {"kk": "кесте болуы керек", "ru": "таблицей"},
    ),
    "oncall-lang": (
        ("playbooks", "runs"),
        _config('[oncall.people.dana]\nlang = "de"\n'),
        "qulaq: error: config: oncall.people.dana.lang must be kk, ru or en",
        {"kk": "немесе en болуы керек", "ru": "или en"},
    ),
    "oncall-channel": (
        ("playbooks", "runs"),
        _config('[oncall.people.dana]\nchannels = ["sms"]\n'),
        f"qulaq: error: config: oncall.people.dana.channels: 'sms' is not one of {CHANNELS}",
        {"kk": "мыналардың бірі емес", "ru": "не входит в список"},
    ),
    # shapes that used to end in a traceback
    "oncall-people-not-a-table": (
        ("playbooks", "runs"),
        _config('[oncall]\npeople = ["dana"]\n'),
        "qulaq: error: config: oncall.people must be a table",
        {"kk": "кесте болуы керек", "ru": "таблицей"},
    ),
    "oncall-role-people-not-a-list": (
        ("playbooks", "runs"),
        _config('[oncall.people.dana]\n[oncall.roles.duty]\n"*" = 5\n'),
        "qulaq: error: config: oncall.roles.duty.* must be a list",
        {"kk": "тізім болуы керек", "ru": "списком"},
    ),
    "oncall-rotations-not-a-list": (
        ("playbooks", "runs"),
        _config("[oncall.rotations]\nrole = 5\n"),
        "qulaq: error: config: oncall.rotations must be a list",
        {"kk": "тізім болуы керек", "ru": "списком"},
    ),
    "oncall-rotation-not-a-table": (
        ("playbooks", "runs"),
        _config("[oncall]\nrotations = [5]\n"),
        "qulaq: error: config: oncall.rotations[0] must be a table with role, people and start",
        {"kk": "кесте болуы керек", "ru": "таблицей"},
    ),
    "oncall-rotation-no-role": (
        ("playbooks", "runs"),
        _config("[[oncall.rotations]]\n" + _STARTS),
        "qulaq: error: config: oncall.rotations[0]: no role",
        {"kk": "рөлі көрсетілмеген", "ru": "не указана роль"},
    ),
    "oncall-role-not-a-mapping": (
        ("playbooks", "runs"),
        _config("[oncall.roles]\nduty = 5\n"),
        "qulaq: error: config: oncall.roles.duty must map agencies to people",
        {"kk": "сәйкестендіруі керек", "ru": "сопоставлять"},
    ),
    "oncall-role-person": (
        ("playbooks", "runs"),
        _config('[oncall.roles.duty]\n"*" = ["nobody"]\n'),
        "qulaq: error: config: oncall.roles.duty.*: no person 'nobody'",
        {"kk": "қызметкері жоқ", "ru": "нет сотрудника"},
    ),
    "oncall-rotation-person": (
        ("playbooks", "runs"),
        _config(_ROTATION + 'people = ["nobody"]\n' + _STARTS),
        "qulaq: error: config: oncall.rotations[0]: no person 'nobody'",
        {"kk": "қызметкері жоқ", "ru": "нет сотрудника"},
    ),
    "oncall-rotation-no-start": (
        ("playbooks", "runs"),
        _config(_ROTATION),
        "qulaq: error: config: oncall.rotations[0]: 'start'",
        {"kk": "басталу уақыты көрсетілмеген", "ru": "не указано время начала"},
    ),
    "oncall-rotation-bad-start": (
        ("playbooks", "runs"),
        _config(_ROTATION + 'start = "monday"\n'),
        "qulaq: error: config: oncall.rotations[0]: not an ISO 8601 timestamp",
        {"kk": "ISO 8601 уақыты болуы керек", "ru": "временем ISO 8601"},
    ),
    "oncall-rotation-bad-every": (
        ("playbooks", "runs"),
        _config(_ROTATION + _STARTS + 'every = "weekly"\n'),
        "qulaq: error: config: oncall.rotations[0]: 'weekly' is not a duration: write 15m, "
        "1h30m, 24h, 2 working hours, 3 working days or 15 calendar days",
        {"kk": "ұзақтық емес", "ru": "не длительность"},
    ),
    "oncall-rotation-working-days": (
        ("playbooks", "runs"),
        _config(_ROTATION + _STARTS + 'every = "2 working days"\n'),
        "qulaq: error: config: oncall.rotations[0].every must be like 7d or 12h",
        {"kk": "түрінде болуы керек", "ru": "должен быть вида"},
    ),
    "oncall-fallback": (
        ("playbooks", "runs"),
        _config('[oncall]\nfallback = ["nobody"]\n'),
        "qulaq: error: config: oncall.fallback: no person 'nobody'",
        {"kk": "қызметкері жоқ", "ru": "нет сотрудника"},
    ),
    "channels-not-a-table": (
        ("playbooks", "serve", "--once"),
        _config("channels = 5\n"),
        "qulaq: error: channels must be a table of channel settings, not 5",
        {"kk": "арналар баптауларының", "ru": "настроек каналов"},
    ),
    "channel-not-a-table": (
        ("playbooks", "serve", "--once"),
        _config("[channels]\ntelegram = 5\n"),
        "qulaq: error: channels.telegram must be a table of settings, not 5",
        {"kk": "баптаулар кестесі", "ru": "таблицей настроек"},
    ),
    "channel-setting": (
        ("playbooks", "serve", "--once"),
        _config('[channels.email]\nport = "x"\n'),
        f"qulaq: error: channels.email: a setting is not usable: {PYTHON_SAID}",
        {"kk": "баптау жарамсыз", "ru": "настройка непригодна"},
    ),
    "vk-owner": (
        ("collect", "vk", "--owner", "wall", "--once"),
        ({}, {}),
        "qulaq: error: --owner must be a numeric VK owner id (e.g. -123 for a community), "
        "not 'wall'",
        {"kk": "сандық", "ru": "числовым"},
    ),
    "vk-owner-zero": (
        ("collect", "vk", "--owner", "0", "--once"),
        ({}, {}),
        "qulaq: error: --owner must not be 0",
        {"kk": "болмауы керек", "ru": "не может быть"},
    ),
    "vk-token": (
        ("collect", "vk", "--owner", "-1", "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_VK_TOKEN to a VK access token (see collectors/vk/README.md)",
        {"kk": "токенін көрсетіңіз", "ru": "токен доступа"},
    ),
    "facebook-page": (
        ("collect", "facebook", "--page", "a/b", "--once"),
        ({}, {}),
        "qulaq: error: --page must be a Page id or username, not 'a/b'",
        {"kk": "парақшасының", "ru": "страницы"},
    ),
    "facebook-token": (
        ("collect", "facebook", "--page", "akimat", "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_FB_TOKEN to a Page access token "
        "(see collectors/facebook/README.md)",
        {"kk": "токенін көрсетіңіз", "ru": "токен доступа"},
    ),
    "instagram-user": (
        ("collect", "instagram", "--user", "akimat", "--once"),
        ({}, {}),
        "qulaq: error: --user must be the numeric Instagram account id, not 'akimat'",
        {"kk": "сандық", "ru": "числовым"},
    ),
    "instagram-token": (
        ("collect", "instagram", "--user", "17841400000000000", "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_IG_TOKEN to a token with instagram_basic and "
        "instagram_manage_comments (see collectors/instagram/README.md)",
        {"kk": "токенді көрсетіңіз", "ru": "токен с правами"},
    ),
    "instagram-api-base": (
        ("collect", "instagram", "--profile", "akimat", "--api-base", "http://x", "--once"),
        ({}, {}),
        "qulaq: error: --api-base applies to the Graph API (--user), not to instaloader",
        {"kk": "үшін қолданылады", "ru": "относится к"},
    ),
    "telegram-credentials": (
        ("collect", "telegram", "--channel", "akimat", "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_TELEGRAM_API_ID and QULAQ_TELEGRAM_API_HASH (from "
        "my.telegram.org, see collectors/telegram/README.md)",
        {"kk": "көрсетіңіз", "ru": "укажите"},
    ),
    "telegram-api-id": (
        ("collect", "telegram", "--channel", "akimat", "--once"),
        ({}, {"QULAQ_TELEGRAM_API_ID": "abc", "QULAQ_TELEGRAM_API_HASH": "h"}),
        "qulaq: error: QULAQ_TELEGRAM_API_ID must be a number",
        {"kk": "сан болуы керек", "ru": "числом"},
    ),
    "telegram-api-base": (
        ("collect", "telegram", "--channel", "akimat", "--api-base", "http://x", "--once"),
        ({}, {}),
        "qulaq: error: --api-base does not apply to Telegram (MTProto, not HTTP)",
        {"kk": "қолданылмайды", "ru": "не относится"},
    ),
    "telegram-nothing": (
        ("collect", "telegram", "--once"),
        ({}, {"QULAQ_TELEGRAM_API_ID": "1", "QULAQ_TELEGRAM_API_HASH": "h"}),
        "qulaq: error: give --channel NAME, or --listen CHAT for listening",
        {"kk": "тыңдау үшін", "ru": "для прослушивания"},
    ),
    "x-user": (
        ("collect", "x", "--user", "a b", "--once"),
        ({}, {}),
        "qulaq: error: --user must be an X handle, not 'a b'",
        {"kk": "аккаунтының аты", "ru": "именем аккаунта"},
    ),
    "x-token": (
        ("collect", "x", "--user", "akimat", "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_X_BEARER_TOKEN to an X API bearer token "
        "(see collectors/x/README.md)",
        {"kk": "токенін", "ru": "токен"},
    ),
    "youtube-channel": (
        ("collect", "youtube", "--channel", "akimat", "--once"),
        ({}, {}),
        "qulaq: error: --channel must be a channel id (UC and 22 characters), not 'akimat'",
        {"kk": "таңба", "ru": "символа"},
    ),
    "youtube-key": (
        ("collect", "youtube", "--channel", "UC" + "a" * 22, "--once"),
        ({}, {}),
        "qulaq: error: set QULAQ_YOUTUBE_KEY to a YouTube Data API key "
        "(see collectors/youtube/README.md)",
        {"kk": "кілтін көрсетіңіз", "ru": "ключ"},
    ),
    "webhooks-no-secret": (
        ("webhooks", "serve", "--port", "0"),
        ({}, {}),
        "qulaq: error: no webhook secret is set: QULAQ_FB_APP_SECRET (Facebook, Instagram), "
        "QULAQ_IG_APP_SECRET, or QULAQ_VK_CALLBACK_SECRET / QULAQ_VK_CALLBACK_CONFIRMATION",
        {"kk": "құпиясы берілмеген", "ru": "не задан секрет"},
    ),
    "webhooks-not-a-number": (
        ("webhooks", "serve", "--port", "0"),
        (
            {"qulaq.toml": '[collectors]\nwebhook_max_bytes = "lots"\n'},
            {"QULAQ_CONFIG": "qulaq.toml", "QULAQ_FB_APP_SECRET": "s"},
        ),
        "qulaq: error: collectors.webhook_max_bytes must be a number, not 'lots'",
        {"kk": "сан болуы керек", "ru": "числом"},
    ),
    "webhooks-negative-rate": (
        ("webhooks", "serve", "--port", "0"),
        (
            {"qulaq.toml": "[collectors]\nwebhook_rate_per_minute = -1\n"},
            {"QULAQ_CONFIG": "qulaq.toml", "QULAQ_FB_APP_SECRET": "s"},
        ),
        "qulaq: error: collectors.webhook_rate_per_minute must be zero or positive, not -1",
        {"kk": "нөл немесе оң", "ru": "нулём"},
    ),
    "webhooks-zero-timeout": (
        ("webhooks", "serve", "--port", "0"),
        (
            {"qulaq.toml": "[collectors]\nwebhook_read_timeout = 0\n"},
            {"QULAQ_CONFIG": "qulaq.toml", "QULAQ_FB_APP_SECRET": "s"},
        ),
        "qulaq: error: collectors.webhook_read_timeout must be positive, not 0",
        {"kk": "оң болуы керек", "ru": "положительным"},
    ),
    "registry-setting": (
        ("agencies", "list"),
        _config("registry = 5\n"),
        "qulaq: error: configuration: registry must be a file name or a list of file names, not 5",
        {"kk": "файл атауларының тізімі", "ru": "списком имён файлов"},
    ),
    "embedded-keep-days": (
        ("run", "--until-idle"),
        _config("[embedded]\nkeep_days = true\n"),
        "qulaq: error: embedded.keep_days must be a number of days or false, not True",
        {"kk": "күндер саны", "ru": "числом дней"},
    ),
    "runs-unknown-agency": (
        ("playbooks", "runs", "--agency", "nope"),
        ({}, {}),
        "qulaq: error: agency 'nope' is not in the registry; see 'qulaq agencies list'",
        {"kk": "тізілімде жоқ", "ru": "нет в реестре"},
    ),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("case", list(OPERATOR_CASES))
def test_operator_errors_speak_the_language(
    run_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, case: str
) -> None:
    argv, (files, env), english, words = OPERATOR_CASES[case]
    for name in _NO_TOKENS:
        monkeypatch.delenv(name, raising=False)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, line = run_main(lang, *argv)
    assert code == 2, line
    if lang == "en":
        assert line == english, line
    else:
        assert_in_language(line, lang, words[lang], CHANNELS, PYTHON_SAID)


@pytest.mark.parametrize(
    ("lang", "word"),
    [("kk", "қолданылып жатыр"), ("ru", "уже используется"), ("en", "already in use")],
)
def test_a_webhook_port_in_use_is_said_in_the_language(
    run_main, monkeypatch: pytest.MonkeyPatch, lang: str, word: str
) -> None:
    import socket

    monkeypatch.setenv("QULAQ_FB_APP_SECRET", "s")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, line = run_main(lang, "webhooks", "serve", "--host", "127.0.0.1", "--port", port)
    assert code == 2, line
    if lang == "en":
        assert line == f"qulaq: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    else:
        assert_in_language(line, lang, word)


@pytest.mark.parametrize(
    ("lang", "word"), [("kk", "қарпі жоқ"), ("ru", "нет шрифта"), ("en", "no Unicode font")]
)
def test_a_weekly_pdf_without_a_font_is_said_in_the_language(
    run_main, monkeypatch: pytest.MonkeyPatch, lang: str, word: str
) -> None:
    from playbooks import pdf

    monkeypatch.setattr(pdf, "FONTS", ())
    code, line = run_main(lang, "playbooks", "weekly", "--output", "w.pdf")
    assert code == 2, line
    if lang == "en":
        assert line == (
            "qulaq: error: no Unicode font for the PDF: install fonts-dejavu-core, or name a "
            "TTF file with Kazakh letters in the playbooks.pdf_font option"
        )
    else:
        assert_in_language(line, lang, word)


_DROPPED = """\
agencies:
  - id: akimat-dropped
    name: {kk: Сынақ әкімдігі, ru: Тестовый акимат, en: Test akimat}
    type: city_akimat
    region: karaganda
    parent: akimat-karaganda
    competence: [roads_transport]
"""


def test_runs_of_an_unregistered_account_or_a_dropped_agency_are_still_listed(
    run_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    # an account no agency claims is an agency of its own: no runs is an empty list
    assert cli.main(["playbooks", "runs", "--agency", "telegram:chat", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    # a run of an agency the registry listed then, and no longer does
    (tmp_path / "reg.yaml").write_text(_DROPPED, encoding="utf-8")
    (tmp_path / "then.toml").write_text('registry = ["reg.yaml"]\n', encoding="utf-8")
    monkeypatch.setenv("QULAQ_CONFIG", "then.toml")
    argv = ("playbooks", "start", "complaint-loop", "--agency", "akimat-dropped", "--by", "a")
    assert cli.main(list(argv)) == 0
    monkeypatch.delenv("QULAQ_CONFIG")
    capsys.readouterr()
    assert cli.main(["playbooks", "runs", "--agency", "akimat-dropped", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["agency"] for r in runs] == ["akimat-dropped"]
    # none of its runs is cancelled: an empty list, not a refusal
    cancelled = ["playbooks", "runs", "--agency", "akimat-dropped", "--status", "cancelled"]
    assert cli.main(cancelled) == 0
    assert capsys.readouterr().out.strip() == "no playbook runs"


@pytest.mark.parametrize(
    ("lang", "stall", "stage", "partitions"),
    [
        ("kk", "секундтар саны", "белгісіз 'frob' кезеңі", "бөлімдері (partitions) белгісіз"),
        ("ru", "числом секунд", "неизвестный этап 'frob'", "не известны разделы"),
    ],
)
def test_the_stream_runtime_errors_speak_the_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, stall: str, stage: str, partitions: str
) -> None:
    """Errors the command line meets only with a Kafka broker: said in the language."""
    from stream import kafka_runtime

    monkeypatch.setenv("QULAQ_STALL_SECONDS", "soon")
    with pytest.raises(UserError) as bad_stall:
        kafka_runtime.stall_seconds()
    with pytest.raises(UserError) as bad_stage:
        kafka_runtime.stage_inputs("frob")
    assert str(bad_stall.value) == (
        "QULAQ_STALL_SECONDS must be a number of seconds above 0, not 'soon'"
    )
    assert str(bad_stage.value) == "unknown stage 'frob'"
    no_partitions = UserError.t("kafka.no_partitions", topics="q.raw, q.scored")
    assert str(no_partitions) == "no partitions known for topics q.raw, q.scored"
    for exc, word in ((bad_stall, stall), (bad_stage, stage)):
        said = exc.value.localized(lang)
        assert word in said and english_run(said) is None, said
    said = no_partitions.localized(lang)
    assert partitions in said and english_run(said, "q.raw, q.scored") is None, said


# -- the catalogues -----------------------------------------------------------


def _sources() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((REPO / package).rglob("*.py"))


def _module(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


@pytest.fixture(scope="module")
def catalogue() -> dict[str, dict[str, str]]:
    """Every entry registered with qulaq.i18n, by importing each module that registers."""
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if "from qulaq.i18n import" in text and "register" in text:
            importlib.import_module(_module(path))
    return i18n._CATALOG


def _fields(template: str) -> set[tuple[str, str, str]]:
    return {
        (name, conversion or "", spec or "")
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    }


def test_every_entry_has_three_languages_with_the_same_placeholders(
    catalogue: dict[str, dict[str, str]],
) -> None:
    assert len(catalogue) > 100
    for key, by_lang in catalogue.items():
        assert set(by_lang) >= set(i18n.LANGS), key
        english = _fields(by_lang["en"])
        for lang in ("kk", "ru"):
            assert _fields(by_lang[lang]) == english, (key, lang, by_lang[lang])


def _message_calls() -> Iterator[tuple[str, ast.Call, str]]:
    """Each `t("key", ...)`, `say("key", ...)` and `SomeError.t("key", ...)` in the code:
    where, the call, the key."""
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            named_t = (isinstance(func, ast.Name) and func.id in ("t", "say")) or (
                isinstance(func, ast.Attribute)
                and func.attr == "t"
                and isinstance(func.value, ast.Name)
                and func.value.id.endswith("Error")
            )
            first = node.args[0]
            if named_t and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield f"{path.relative_to(REPO)}:{node.lineno}", node, first.value


def test_every_key_the_code_uses_is_in_the_catalogue_with_its_parameters(
    catalogue: dict[str, dict[str, str]],
) -> None:
    calls = list(_message_calls())
    assert len([c for c in calls if isinstance(c[1].func, ast.Attribute)]) >= 40
    for where, call, key in calls:
        assert key in catalogue, f"{where}: no message {key!r}"
        if any(k.arg is None for k in call.keywords):
            continue  # **params: not known here
        given = {k.arg for k in call.keywords if k.arg is not None} - {"lang"}
        wanted = {name for name, _, _ in _fields(catalogue[key]["en"])}
        assert given == wanted, f"{where}: {key!r} takes {sorted(wanted)}, given {sorted(given)}"


@pytest.mark.parametrize("key", sorted(error_messages.MESSAGES))
def test_each_user_error_reads_in_kazakh_and_russian(key: str) -> None:
    entry = error_messages.MESSAGES[key]
    params = {name: f"P{i}" for i, (name, _, _) in enumerate(sorted(_fields(entry["en"])))}
    for lang in ("kk", "ru"):
        text = entry[lang].format(**params)
        assert text != entry["en"].format(**params), (key, lang)
        assert re.search("[а-яё]", text, re.IGNORECASE), (key, lang, text)
        assert english_run(text, *params.values()) is None, (key, lang, text)
    assert entry["kk"] != entry["ru"], key
