"""A manager reading `qulaq playbooks runs`, `show`, `ack`/`done` and `cancel` in
Kazakh or Russian reads the playbook's title, the agency's name, the roles, the steps,
their states and the log in that language, beside the ids the commands take (they were
all English ids: "complaint-loop akimat-almaty active started …", "received
duty_officer due … open"). English reads the same names in English; --json is
unchanged by the language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from playbooks.model import Library, pick
from playbooks.names import (
    audit_action_name,
    notice_name,
    outbox_status_name,
    run_status_name,
    step_status_name,
)
from qulaq.i18n import t
from qulaq.registry import Registry
from tests.playbooks.test_cli_checks import Run, run  # noqa: F401  (the fixture)
from tests.test_cli_i18n import english_run

PLAYBOOK, AGENCY = "complaint-loop", "akimat-almaty"


def start(run: Run) -> str:  # noqa: F811
    code, out, err = run("playbooks", "start", PLAYBOOK, "--agency", AGENCY, "--by", "a", "--json")
    assert code == 0, err
    return str(json.loads(out)["id"])


def in_lang(run: Run, monkeypatch: pytest.MonkeyPatch, lang: str, *argv: str) -> str:  # noqa: F811
    monkeypatch.setenv("QULAQ_LANG", lang)
    code, out, err = run(*argv)
    assert code == 0, err
    return out


def without_ids(text: str, *ids: str) -> str:
    """`text` with the ids a reader types (run, step, playbook, agency) taken out."""
    for i in sorted(ids, key=len, reverse=True):
        text = text.replace(i, " ")
    return text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_runs_and_show_are_in_the_readers_language(
    run: Run,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    rid = start(run)
    playbook = Library.load().playbooks[PLAYBOOK]
    steps = [s.id for s in playbook.steps]
    ids = (rid, PLAYBOOK, AGENCY, *steps)
    for argv in (("playbooks", "runs"), ("playbooks", "show", rid)):
        out = in_lang(run, monkeypatch, lang, *argv)
        head, *lines = out.splitlines()
        assert head.startswith(f"{rid}  {pick(playbook.title, lang)} [{PLAYBOOK}]"), head
        assert f"{Registry.load().agency(AGENCY).name(lang)} [{AGENCY}]" in head
        assert run_status_name("active", lang) in head
        first = lines[0]
        assert first.split()[0] == steps[0]
        assert playbook.role_name(playbook.steps[0].role, lang) in first
        assert pick(playbook.steps[0].title, lang) in first
        for line in (head, *lines):
            assert english_run(without_ids(line, *ids)) is None, line
    log = in_lang(run, monkeypatch, lang, "playbooks", "show", rid).splitlines()
    assert any(audit_action_name("started_by_hand", lang) in line for line in log), log
    # and each entry's details: the run began with this playbook, at this severity
    began = next(line for line in log if audit_action_name("started", lang) in line)
    assert f" — {pick(playbook.title, lang)}; " in began, began


def test_the_step_columns_line_up(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    start(run)
    for lang in ("kk", "ru", "en"):
        out = in_lang(run, monkeypatch, lang, "playbooks", "runs")
        steps = [line for line in out.splitlines() if line.startswith("    ")]
        # the due time starts in the same column on every step line
        starts = {re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", line).start() for line in steps}  # type: ignore[union-attr]
        assert len(starts) == 1, out


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_act_and_cancel_name_the_new_state(
    run: Run,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    rid = start(run)
    step = Library.load().playbooks[PLAYBOOK].steps[0].id
    out = in_lang(run, monkeypatch, lang, "playbooks", "ack", rid, step, "--by", "b")
    assert out == f"{rid} {step}: {step_status_name('acknowledged', lang)}\n"
    out = in_lang(run, monkeypatch, lang, "playbooks", "cancel", rid, "--by", "b")
    assert out == f"{rid}: {run_status_name('cancelled', lang)}\n"


def test_json_is_the_same_in_every_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    rid = start(run)
    said = {
        lang: in_lang(run, monkeypatch, lang, "playbooks", "show", rid, "--json")
        for lang in ("kk", "ru", "en")
    }
    assert said["kk"] == said["ru"] == said["en"]


def test_no_runs_is_said_in_the_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    for lang in ("kk", "ru", "en"):
        out = in_lang(run, monkeypatch, lang, "playbooks", "runs")
        assert out == t("pb.cli.no_runs", lang) + "\n"
        assert lang == "en" or english_run(out) is None


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_validate_and_written_files_are_said_in_the_language(
    run: Run,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    lang: str,
) -> None:
    lines = in_lang(run, monkeypatch, lang, "playbooks", "validate").splitlines()
    library = Library.load()
    assert len(lines) == len(library.playbooks) + len(library.plans)
    said = {t("pb.cli.valid", lang, path=p.source, id=p.id) for p in library.playbooks.values()}
    assert said <= set(lines), lines
    monkeypatch.setenv("QULAQ_LANG", lang)
    target = tmp_path / "plan.md"
    code, _, err = run("playbooks", "plan", "--agency", AGENCY, "--output", str(target))
    assert code == 0, err
    assert err == t("pb.cli.wrote", lang, path=target) + "\n"
    assert lang == "en" or english_run(err.replace(str(target), " ")) is None


def test_outbox_names_states_and_notices(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    rid = start(run)  # its first steps open: their notices are queued
    as_json = json.loads(in_lang(run, monkeypatch, "ru", "playbooks", "outbox", "--json"))
    lines = in_lang(run, monkeypatch, "ru", "playbooks", "outbox").splitlines()
    assert as_json and len(lines) == len(as_json)
    for row, line in zip(as_json, lines, strict=True):
        assert outbox_status_name(row["status"], "ru") in line
        assert notice_name(row["kind"], "ru") in line
        rest = without_ids(line, rid, row["person"], row["channel"], row["step"] or "")
        assert english_run(rest) is None, line
