"""The command line's failures: a user error is one line and exit 2, an internal
error one line and exit 1, and neither shows a traceback on the terminal."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from qulaq import cli
from qulaq.cli import pipeline
from qulaq.timefmt import TimeOutOfRange, parse_user_time
from tests.conftest import qulaq

EMBEDDED = {"QULAQ_BUS": "embedded"}


def one_line(proc_stderr: str) -> str:
    lines = proc_stderr.strip().splitlines()
    assert len(lines) == 1, proc_stderr
    assert "Traceback" not in proc_stderr
    return lines[0]


@pytest.mark.parametrize("where", ["file", "under-a-file", "proc"])
def test_an_unusable_home_is_a_user_error(home: Path, tmp_path: Path, where: str) -> None:
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x", encoding="utf-8")
    bad, reason = {
        "file": (a_file, "is not a directory"),
        "under-a-file": (a_file / "home", "cannot be created: not a directory"),
        # no such file or directory as root, permission denied otherwise
        "proc": (Path("/proc/qulaq-home"), "cannot be created: "),
    }[where]
    out = qulaq("stats", check=False, env={**EMBEDDED, "QULAQ_HOME": str(bad)})
    assert out.returncode == 2
    assert one_line(out.stderr).startswith(f"qulaq: error: QULAQ_HOME {bad} {reason}")


@pytest.fixture
def in_process(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`cli.main` run here: a stand-in `stats` that crashes; the handlers main adds
    to the root logger (the captured stderr, the log file) are taken off after."""
    monkeypatch.setenv("QULAQ_BUS", "embedded")
    monkeypatch.setattr(pipeline, "cmd_stats", _crash)
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()
    logging.getLogger("qulaq.crash").handlers = []


def _crash(args: argparse.Namespace) -> int:
    raise RuntimeError("the stand-in command broke")


def test_a_crash_that_cannot_be_logged_says_so_in_one_line(
    home: Path, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True)
    (home / "logs").write_text("a file where the log directory should be", encoding="utf-8")
    assert cli.main(["stats"]) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith("qulaq: internal error: the stand-in command broke (no details kept: ")
    assert str(home / "logs" / "qulaq.log") in line


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-12:00",  # year 10000 in UTC
        "0001-01-01T00:00:00+14:00",  # year 0 in UTC
        "9999-12-31T23:59:59Z",  # year 10000 in Kazakhstan time
        "0001-01-01",  # midnight in Kazakhstan is year 0 in UTC
    ],
)
def test_a_time_beyond_the_calendar_is_out_of_range(value: str) -> None:
    with pytest.raises(TimeOutOfRange, match="out of range"):
        parse_user_time(value)


def test_times_at_the_ends_of_the_calendar_still_parse() -> None:
    assert parse_user_time("9999-12-31T18:00:00Z").year == 9999
    assert parse_user_time("0001-01-01T05:00:00Z").year == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            (
                "playbooks",
                "done",
                "RUN",
                "acknowledge",
                "--by",
                "bob",
                "--at",
                "9999-12-31T23:59:59-12:00",
            ),
            "qulaq playbooks done: error: argument --at: '9999-12-31T23:59:59-12:00' is out "
            "of range",
        ),
        (
            ("playbooks", "report", "--agency", "a", "--since", "0001-01-01T00:00:00+14:00"),
            "qulaq playbooks report: error: argument --since: '0001-01-01T00:00:00+14:00' is out "
            "of range",
        ),
        (
            ("playbooks", "digest", "--agency", "akimat-almaty", "--date", "0001-01-01"),
            "qulaq: error: --date '0001-01-01' is out of range",
        ),
        (
            ("playbooks", "weekly", "--week", "9999-12-31", "--output", "w.pdf"),
            "qulaq: error: --week '9999-12-31' is out of range",
        ),
        (
            ("playbooks", "weekly", "--week", "0001-01-01", "--output", "w.pdf"),
            "qulaq: error: --week '0001-01-01' is out of range",
        ),
        (
            ("risk", "--at", "9999-12-31T23:59:59-12:00"),
            "qulaq: error: --at '9999-12-31T23:59:59-12:00' is out of range",
        ),
        (
            ("summary", "--since", "9999-12-31T23:59:59-12:00"),
            "qulaq: error: --since '9999-12-31T23:59:59-12:00' is out of range",
        ),
    ],
)
def test_out_of_range_times_are_usage_errors(home: Path, args: tuple[str, ...], says: str) -> None:
    out = qulaq(*args, check=False, env=EMBEDDED)
    assert out.returncode == 2
    assert says in one_line(out.stderr)


def test_agencies_list_json(home: Path) -> None:
    out = qulaq("agencies", "list", "--json", env=EMBEDDED)
    agencies = {a["id"]: a for a in json.loads(out.stdout)}
    assert agencies["akimat-abai"]["valid_from"] == "2022-06-08"
    assert agencies["min-information"]["valid_to"] == "2023-08-31"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("playbooks", "cancel", "RUN", "--by", ""), "a name is needed"),
        (("playbooks", "ack", "RUN", "acknowledge", "--by", "  "), "a name is needed"),
        (("playbooks", "start", "utility-outage", "--agency", "akimat-almaty", "--by", ""), "name"),
        (
            (
                *("playbooks", "report", "--agency", "akimat-almaty"),
                *("--since", "2026-03-22", "--until", "2026-03-18"),
            ),
            "--until must come after --since",
        ),
    ],
    ids=["cancel-by-nobody", "ack-by-blank", "start-by-nobody", "report-reversed"],
)
def test_playbook_records_name_a_person_and_a_real_period(
    home: Path, args: tuple[str, ...], says: str
) -> None:
    out = qulaq(*args, check=False, env=EMBEDDED)
    assert out.returncode == 2
    assert says in one_line(out.stderr)
