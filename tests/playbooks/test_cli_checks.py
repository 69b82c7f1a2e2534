"""Values the playbook commands must refuse in one line rather than act on or print
as a valid-looking document: times that cannot be true, agencies not in the
registry, output files that cannot be written, scenario cards of the wrong shape."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qulaq import cli
from qulaq.timefmt import zone

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Run]:
    """`qulaq ARGV` in this process, in English: exit code, stdout, stderr."""
    monkeypatch.setenv("QULAQ_BUS", "embedded")
    monkeypatch.setenv("QULAQ_LANG", "en")
    root = logging.getLogger()
    before = list(root.handlers)

    def main(*argv: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    yield main
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()


def refused(result: tuple[int, str, str]) -> str:
    """The one line of a refusal (exit 2, nothing on stdout, no traceback)."""
    code, out, err = result
    assert code == 2, result
    assert out == "", out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def _start(run: Run) -> dict[str, object]:
    code, out, err = run(
        "playbooks", "start", "complaint-loop", "--agency", "akimat-almaty", "--by", "a", "--json"
    )
    assert code == 0, err
    started: dict[str, object] = json.loads(out)
    return started


def _steps(run: Run) -> dict[str, dict[str, str]]:
    (state,) = json.loads(run("playbooks", "runs", "--json")[1])
    return {s["name"]: s for s in state["steps"]}


def test_an_action_time_before_the_run_or_in_the_future_is_refused(run: Run) -> None:
    started = _start(run)
    rid = str(started["id"])
    line = refused(run("playbooks", "ack", rid, "received", "--by", "b", "--at", "2020-01-01"))
    assert line.startswith("qulaq: error: --at 2020-01-01T00:00:00+06:00 is before run ")
    assert f"{rid} started ({started['started_at']})" in line
    far = refused(run("playbooks", "done", rid, "received", "--by", "b", "--at", "2999-01-01"))
    assert far.startswith("qulaq: error: --at 2999-01-01T00:00:00+05:00 is in the future (")
    assert not any(s["done_at"] or s["acknowledged_at"] for s in _steps(run).values())
    # a clock a little fast is not a mistake
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert run("playbooks", "ack", rid, "received", "--by", "b", "--at", soon)[0] == 0
    # and any time from the start to now is taken
    at_start = str(started["started_at"])
    code, _, err = run("playbooks", "ack", rid, "acknowledged", "--by", "b", "--at", at_start)
    assert code == 0, err
    assert _steps(run)["acknowledged"]["acknowledged_at"] == at_start


def test_a_step_is_not_done_before_it_was_acknowledged(run: Run) -> None:
    rid = str(_start(run)["id"])
    ack = datetime.now(UTC) + timedelta(minutes=1)
    assert run("playbooks", "ack", rid, "received", "--by", "b", "--at", ack.isoformat())[0] == 0
    earlier = (ack - timedelta(seconds=30)).isoformat()
    line = refused(run("playbooks", "done", rid, "received", "--by", "b", "--at", earlier))
    assert (
        line.startswith("qulaq: error: --at ") and "before step received was acknowledged" in line
    )
    assert run("playbooks", "done", rid, "received", "--by", "b", "--at", ack.isoformat())[0] == 0
    step = _steps(run)["received"]
    assert step["status"] == "done"
    assert step["acknowledged_at"] <= step["done_at"]


@pytest.mark.parametrize(
    "argv",
    [
        ("playbooks", "plan", "--agency", "akimat-almatyy"),
        ("playbooks", "digest", "--agency", "akimat-almatyy", "--date", "2026-03-20"),
        ("playbooks", "report", "--agency", "akimat-almatyy", "--since", "2026-03-01"),
    ],
)
def test_a_document_for_an_agency_not_in_the_registry_is_refused(
    run: Run, argv: tuple[str, ...]
) -> None:
    assert refused(run(*argv)) == (
        "qulaq: error: agency 'akimat-almatyy' is not in the registry; see 'qulaq agencies list'"
    )
    # an account no agency claims is an agency of its own, as for `playbooks start`
    account = tuple("telegram:almaty_chat" if a == "akimat-almatyy" else a for a in argv)
    code, out, err = run(*account)
    assert code == 0 and out, err


@pytest.mark.parametrize(
    "argv",
    [
        ("playbooks", "report", "--agency", "akimat-almaty", "--since", "2026-03-01"),
        ("playbooks", "plan", "--agency", "akimat-almaty"),
        ("playbooks", "weekly", "--week", "2026-03-20"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(
    run: Run, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    missing = tmp_path / "nodir" / "out.md"
    assert refused(run(*argv, "--output", str(missing))) == (
        f"qulaq: error: {missing}: cannot write: No such file or directory"
    )
    assert refused(run(*argv, "--output", str(tmp_path))) == (
        f"qulaq: error: {tmp_path} is a directory, not a file"
    )
    target = tmp_path / "out.doc"
    code, out, err = run(*argv, "--output", str(target))
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    assert target.stat().st_size > 0


def _today_local() -> set[str]:
    now = datetime.now(zone())
    return {f"{d:%d.%m.%Y}" for d in (now, now + timedelta(minutes=1))}


def test_the_report_period_ends_now_and_a_future_since_is_said_as_such(run: Run) -> None:
    code, out, _ = run(
        "playbooks", "report", "--agency", "akimat-almaty", "--since", "2026-03-01", "--lang", "en"
    )
    assert code == 0
    period = next(line for line in out.splitlines() if "01.03.2026 00:00 — " in line)
    assert period.split(" — ")[1][:10] in _today_local(), period
    line = refused(run("playbooks", "report", "--agency", "akimat-almaty", "--since", "9999-12-31"))
    assert line.startswith("qulaq: error: --since 9999-12-31T00:00:00+05:00 is in the future")
    assert "--until" not in line


def test_a_run_started_ahead_of_the_clock_is_in_the_report(run: Run) -> None:
    """Runs start in event time: a comment dated a little ahead of this machine's
    clock starts one "in the future", and a report without --until still shows it."""
    from playbooks.actions import PlaybookService
    from qulaq.config import load_settings

    ahead = datetime.now(UTC) + timedelta(hours=3)
    svc = PlaybookService(load_settings())
    started = svc.start("complaint-loop", "akimat-almaty", actor="a", at=ahead, reference="x")
    svc.db.dispose()
    code, out, _ = run("playbooks", "report", "--agency", "akimat-almaty", "--since", "2026-03-01")
    assert code == 0 and started.id in out


@pytest.mark.parametrize(
    ("entry", "field", "kind"),
    [
        ({"topic": 5}, "topic", "number"),
        ({"description": ["a"]}, "description", "list"),
        ({"agency": {"id": "akimat-almaty"}}, "agency", "object"),
        ({"kind": True}, "kind", "boolean"),
    ],
)
def test_a_scenario_field_of_the_wrong_type_is_named(
    run: Run, tmp_path: Path, entry: dict[str, object], field: str, kind: str
) -> None:
    card = {"id": "x", "agency": "akimat-almaty", "description": "d", **entry}
    scenarios = tmp_path / "s.json"
    scenarios.write_text(json.dumps([{"id": "other"}, card]), encoding="utf-8")
    line = refused(
        run("playbooks", "drill", "--scenarios", str(scenarios), "--scenario", "x", "--by", "x")
    )
    assert line == (
        f"qulaq: error: scenario file {scenarios}: entry 2 ('x'): \"{field}\" must be a string, "
        f"not a JSON {kind}"
    )


def test_a_limit_too_large_for_the_database_is_refused(run: Run) -> None:
    line = refused(run("playbooks", "outbox", "--limit", "99999999999999999999"))
    assert line == (
        "qulaq playbooks outbox: error: argument --limit: 99999999999999999999 is too large: "
        "at most 1000000000"
    )
    assert run("playbooks", "outbox", "--limit", "1000000000", "--json")[0] == 0
