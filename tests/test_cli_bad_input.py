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
