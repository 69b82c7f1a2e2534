"""The command line: the JSON contract, actions on steps, one-line errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from playbooks import messages as _messages  # noqa: F401  (registers the words)
from qulaq.i18n import t
from signals.messages import kind_name
from tests.conftest import qulaq


def test_runs_json_is_an_array_even_when_empty(home: Path) -> None:
    out = qulaq("playbooks", "runs", "--json")
    assert json.loads(out.stdout) == []
    assert out.stderr == ""


def test_start_act_and_read_back(home: Path) -> None:
    started = qulaq(
        "playbooks",
        "start",
        "complaint-loop",
        "--agency",
        "akimat-almaty",
        "--by",
        "dana",
        "--class",
        "heavy",
        "--ref",
        "fb:100/7",
        "--json",
    )
    run = json.loads(started.stdout)
    assert run["playbook"] == "complaint-loop" and run["agency"] == "akimat-almaty"
    run_id = run["id"]
    qulaq("playbooks", "ack", run_id, "received", "--by", "dana")
    qulaq("playbooks", "done", run_id, "received", "--by", "dana", "--note", "зарегистрирована")
    qulaq("playbooks", "skip", run_id, "assigned", "--by", "dana", "--note", "вне компетенции")
    (state,) = json.loads(qulaq("playbooks", "runs", "--json").stdout)
    for key in ("id", "playbook", "agency", "alert_id", "status", "started_at", "steps"):
        assert key in state
    steps = {s["name"]: s for s in state["steps"]}
    for s in steps.values():
        assert set(s) >= {"name", "role", "due_at", "status", "done_at"}
        assert datetime.fromisoformat(s["due_at"]).utcoffset() is not None
    assert steps["received"]["status"] == "done" and steps["received"]["done_at"]
    assert steps["assigned"]["status"] == "skipped"
    log = json.loads(qulaq("playbooks", "show", run_id, "--json").stdout)["audit"]
    actions = [(e["actor"], e["action"], e["step"]) for e in log]
    assert ("dana", "acknowledged", "received") in actions
    assert ("dana", "skipped", "assigned") in actions
    assert any(e["detail"].get("note") == "вне компетенции" for e in log)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("playbooks", "ack", "run-nope", "x", "--by", "d"), "no playbook run 'run-nope'"),
        (("playbooks", "start", "nope", "--agency", "a", "--by", "d"), "no playbook 'nope'"),
        (("playbooks", "report", "--agency", "a", "--since", "yesterday"), "is not a date"),
        (("playbooks", "ack", "r", "s"), "--by"),
    ],
)
def test_user_errors_are_one_line(home: Path, args: tuple[str, ...], says: str) -> None:
    out = qulaq(*args, check=False)
    assert out.returncode == 2
    assert says in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2  # argparse adds a usage line


def test_acting_twice_is_refused_in_one_line(home: Path) -> None:
    run = json.loads(
        qulaq(
            "playbooks", "drill", "data-breach", "--agency", "akimat-almaty", "--by", "t", "--json"
        ).stdout
    )
    assert run["drill"] is True
    qulaq("playbooks", "done", run["id"], "acknowledge", "--by", "dana")
    again = qulaq("playbooks", "ack", run["id"], "acknowledge", "--by", "dana", check=False)
    assert again.returncode == 2
    assert (
        again.stderr.strip() == f"qulaq: error: step acknowledge of run {run['id']} is already done"
    )


def test_list_reads_in_the_users_language(home: Path) -> None:
    """Titles and the words around the ids ("by hand", "plan template") in kk, ru, en."""
    listed = {p["id"]: p for p in json.loads(qulaq("playbooks", "list", "--json").stdout)}
    words = {"kk": ("қолмен", "жоспар үлгісі"), "ru": ("вручную", "шаблон плана")}
    words["en"] = ("by hand", "plan template")
    for lang, (by_hand, plan) in words.items():
        out = qulaq("playbooks", "list", env={"QULAQ_LANG": lang}).stdout.splitlines()
        line = next(x for x in out if x.startswith("complaint-loop "))
        assert listed["complaint-loop"]["title"][lang] in line and f"; {by_hand};" in line
        assert next(x for x in out if x.startswith("anti-crisis-plan ")).endswith(f"[{plan}]")
        # alert kinds and the SCCT cluster by their names, not their ids
        outage = next(x for x in out if x.startswith("utility-outage "))
        assert kind_name("negativity_spike", lang) in outage and "_spike" not in outage
        assert t(f"pb.list.scct.{listed['utility-outage']['scct']}", lang) in outage


def test_validate_and_list(home: Path, tmp_path: Path) -> None:
    assert "utility-outage" in qulaq("playbooks", "list").stdout
    listed = json.loads(qulaq("playbooks", "list", "--json").stdout)
    assert {p["id"] for p in listed} >= {"reputational-crisis", "complaint-loop"}
    assert "ok (anti-crisis-plan)" in qulaq("playbooks", "validate").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: {kk: а, ru: б}\nscct: accidental\nsteps:\n"
        "  - {id: one, title: {kk: а, ru: б}, role: boss, action: {kk: а, ru: б}, due: 1h}\n",
        encoding="utf-8",
    )
    out = qulaq("playbooks", "validate", str(bad), check=False)
    assert out.returncode == 2
    assert "steps[0] (one).role: 'boss' is not a known role" in out.stderr


def test_report_with_no_runs(home: Path) -> None:
    md = qulaq(
        "playbooks", "report", "--agency", "akimat-almaty", "--since", "2026-03-01", "--lang", "kk"
    ).stdout
    assert "Алматы" in md and "жоспарлар іске қосылмаған" in md


def test_drill_from_a_scenario_card(home: Path) -> None:
    run = json.loads(
        qulaq(
            "playbooks", "drill", "--scenario", "crisis-heating-almaty", "--by", "t", "--json"
        ).stdout
    )
    assert (run["playbook"], run["agency"], run["drill"]) == (
        "utility-outage",
        "akimat-almaty",
        True,
    )
    praise = qulaq(
        "playbooks", "drill", "--scenario", "nauryz-greetings-astana", "--by", "t", check=False
    )
    assert praise.returncode == 2 and "not a crisis" in praise.stderr
