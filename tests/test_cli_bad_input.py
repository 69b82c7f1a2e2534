"""Bad values on the command line: each is one line `qulaq…: error: …` on stderr,
exit 2, no traceback, and nothing is tried with the bad value first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.conftest import qulaq

EMBEDDED = {"QULAQ_BUS": "embedded"}


def usage_error(*args: str) -> str:
    proc = qulaq(*args, check=False, env=EMBEDDED, timeout=60)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("value", ["-1", "0", "many"])
@pytest.mark.parametrize(
    "command", [("playbooks", "outbox"), ("quarantine", "list")], ids=["outbox", "quarantine"]
)
def test_a_limit_is_a_positive_whole_number(
    home: Path, command: tuple[str, ...], value: str
) -> None:
    line = usage_error(*command, "--limit", value)
    assert line.startswith(f"qulaq {' '.join(command)}: error: argument --limit: "), line
    assert value in line


@pytest.mark.parametrize("value", ["99999999999999999999", "1000000001", "9" * 5000])
@pytest.mark.parametrize(
    "command", [("playbooks", "outbox"), ("quarantine", "list")], ids=["outbox", "quarantine"]
)
def test_a_limit_too_large_for_the_database_is_refused(
    home: Path, command: tuple[str, ...], value: str
) -> None:
    line = usage_error(*command, "--limit", value)
    assert line.startswith(f"qulaq {' '.join(command)}: error: argument --limit: "), line
    assert line.endswith(" is too large: at most 1000000000"), line


def test_retention_days_beyond_the_calendar_are_refused(home: Path, tmp_path: Path) -> None:
    line = usage_error("retention", "run", "--dry-run", "--days", "100000000")
    assert line == (
        "qulaq retention run: error: argument --days: '100000000' is too many days: at most 365000"
    )
    config = tmp_path / "q.toml"
    config.write_text("[retention]\nraw_days = 1e8\n", encoding="utf-8")
    proc = qulaq(
        "retention", "run", "--dry-run", check=False, env={**EMBEDDED, "QULAQ_CONFIG": str(config)}
    )
    assert proc.returncode == 2 and proc.stderr.strip() == (
        "qulaq: error: retention.raw_days must be at most 365000 days, not 100000000.0"
    )
    assert qulaq("retention", "run", "--dry-run", "--days", "365000", env=EMBEDDED).returncode == 0


@pytest.mark.parametrize(
    ("bus", "server"),
    [
        ("kafka://host:notaport", "host:notaport"),
        ("kafka://a:9092,host:", "host:"),
        ("kafka://host:70000", "host:70000"),
        ("kafka://:9092", ":9092"),
        ("kafka://[::1]x", "[::1]x"),
    ],
)
def test_a_kafka_url_with_a_bad_port_names_the_url(home: Path, bus: str, server: str) -> None:
    (home.parent / "x.jsonl").write_text("", encoding="utf-8")
    for argv in (("replay", "x.jsonl"), ("stats",)):
        proc = qulaq(*argv, check=False, env={"QULAQ_BUS": bus}, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == (
            f"qulaq: error: QULAQ_BUS {bus!r}: {server!r} is not HOST:PORT with a port number "
            "1–65535"
        )


def test_kafka_servers_in_every_accepted_form_pass_the_check(home: Path) -> None:
    from qulaq.config import load_settings

    for bus in ("kafka://h:9092", "kafka://h", "kafka://[::1]:9092, h2:1 ,", "kafka://[::1]"):
        assert load_settings({"QULAQ_BUS": bus, "QULAQ_HOME": str(home)}).uses_kafka


def test_an_unknown_agency_type_is_refused_naming_the_types(home: Path) -> None:
    line = usage_error("agencies", "list", "--type", "ministry", "--type", "nope")
    assert line == (
        "qulaq: error: no agency type 'nope'; known: city_akimat, district_akimat, ministry, "
        "oblast_akimat, rural_akimat"
    )
    listed = qulaq("agencies", "list", "--type", "ministry", "--json", env=EMBEDDED)
    assert {a["type"] for a in json.loads(listed.stdout)} == {"ministry"}


def test_a_positive_limit_is_taken(home: Path) -> None:
    proc = qulaq("playbooks", "outbox", "--limit", "1", "--json", env=EMBEDDED)
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://x", "must be an http:// or https:// URL"),
        ("localhost:8080", "must be an http:// or https:// URL"),
        ("http://", "names no host"),
        ("https://x:port/", "is not a URL"),
    ],
)
def test_an_api_base_that_is_no_http_url_is_refused_up_front(
    home: Path, url: str, says: str
) -> None:
    line = usage_error("collect", "vk", "--owner", "-1", "--once", "--api-base", url)
    assert line.startswith("qulaq collect vk: error: argument --api-base: "), line
    assert says in line and repr(url) in line


def test_a_configured_api_base_is_checked_too(home: Path, tmp_path: Path) -> None:
    (tmp_path / "qulaq.toml").write_text('[collectors.vk]\napi_base = "ftp://x"\n')
    line = usage_error("collect", "vk", "--owner", "-1", "--once")
    assert line == (
        "qulaq: error: collectors.vk.api_base: 'ftp://x' must be an http:// or https:// URL"
    )


SHAPE = 'must be a JSON list of scenarios with an "id" each'


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[{"id": "a",\n  "agency": }]\n', f"{SHAPE}; it is not JSON: Expecting value (line 2, "),
        ("", f"{SHAPE}; it is not JSON: Expecting value (line 1, column 1)"),
        ('{"id": "a"}', f"{SHAPE}, not a JSON object"),
        ('["a"]', f"{SHAPE}: entry 1 is a JSON string"),
        (
            '[{"id": "a", "agency": "akimat-almaty"}, {"agency": "x"}]',
            f'{SHAPE}: entry 2 has no "id"',
        ),
        ('[{"id": 7}]', f'{SHAPE}: entry 1 has an "id" that is not a name: 7'),
    ],
    ids=["bad-json", "empty", "object", "not-objects", "no-id", "numeric-id"],
)
def test_a_broken_scenario_file_says_what_it_must_be(
    home: Path, tmp_path: Path, text: str, says: str
) -> None:
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(text, encoding="utf-8")
    line = usage_error(
        *("playbooks", "drill", "--scenario", "a", "--scenarios", str(scenarios), "--by", "dana")
    )
    assert line.startswith(f"qulaq: error: scenario file {scenarios} "), line
    assert says in line, line


def test_a_scenario_without_an_agency_asks_for_one(home: Path, tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text('[{"id": "a", "kind": "crisis"}]', encoding="utf-8")
    line = usage_error(
        *("playbooks", "drill", "--scenario", "a", "--scenarios", str(scenarios), "--by", "dana")
    )
    assert line == "qulaq: error: scenario 'a' names no agency: give --agency"


BLANK = "qulaq: error: a password cannot be empty or only spaces\n"
ADD = ("users", "add", "dana", "--role", "admin", "--agency", "*")


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> CompletedProcess[str]:
    """The command line with `stdin` on its standard input."""
    return subprocess.run(
        [sys.executable, "-m", "qulaq", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **EMBEDDED, **(env or {})},
    )


@pytest.mark.parametrize("password", [" ", " " * 12, "\t \u00a0   \u3000    "])
def test_a_blank_password_is_refused(home: Path, password: str) -> None:
    proc = run(*ADD, "--password-stdin", stdin=password + "\n")
    assert (proc.returncode, proc.stderr) == (2, BLANK)
    proc = run(*ADD, env={"QULAQ_USER_PASSWORD": password})
    assert (proc.returncode, proc.stderr) == (2, BLANK)
    assert json.loads(qulaq("users", "list", "--json", env=EMBEDDED).stdout) == []


def test_a_blank_password_is_refused_for_an_existing_user(home: Path) -> None:
    run(*ADD, "--password-stdin", stdin="a long enough password\n").check_returncode()
    proc = run("users", "passwd", "dana", "--password-stdin", stdin=" " * 12 + "\n")
    assert (proc.returncode, proc.stderr) == (2, BLANK)
    # the minimum length stays
    proc = run("users", "passwd", "dana", "--password-stdin", stdin="short pw\n")
    assert proc.returncode == 2 and "at least 10 characters" in proc.stderr
