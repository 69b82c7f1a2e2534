"""The config file: a key no code reads is refused in one line naming it and its
section, with the closest known key; every key the code and the docs use loads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from qulaq.cli.collect import PLATFORMS
from qulaq.config import check_known_keys, is_known_key, load_settings
from qulaq.errors import UserError
from tests.conftest import REPO, qulaq
from tests.playbooks import standins


def _load(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    load_settings({"QULAQ_HOME": str(tmp_path / "home"), "QULAQ_CONFIG": str(path)})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '[kafka]\nbootstrap_server = "x:9092"\n',
            "unknown key 'bootstrap_server' in [kafka] (known: partitions)",
        ),
        (
            '[database]\nulr = "sqlite://"\n',
            "unknown section [database] (did you mean 'database_url'?)",
        ),
        ("[retension]\nraw_days = 30\n", "unknown section [retension] (did you mean [retention]?)"),
        ('bsu = "embedded"\n', "unknown key 'bsu' at the top level (did you mean 'bus'?)"),
        (
            "[collectors.vk]\nintervall = 60\n",
            "unknown key 'intervall' in [collectors.vk] (did you mean 'interval'?)",
        ),
        # a key that exists for another platform only
        (
            '[collectors.youtube]\nlisten = ["a"]\n',
            "unknown key 'listen' in [collectors.youtube]",
        ),
        (
            '[oncall.people.dana]\nnmae = "Дана"\n',
            "unknown key 'nmae' in [oncall.people.dana] (did you mean 'name'?)",
        ),
        (
            '[[oncall.rotations]]\nrole = "duty_officer"\npeple = ["dana"]\n',
            "unknown key 'peple' in [oncall.rotations[0]] (did you mean 'people'?)",
        ),
        (
            "[channels.emial]\nport = 25\n",
            "unknown section [channels.emial] (did you mean [channels.email]?)",
        ),
    ],
    ids=[
        "kafka-key",
        "database-section",
        "misspelt-section",
        "top-level",
        "collector-key",
        "other-platform-key",
        "roster-person",
        "rotation",
        "channel",
    ],
)
def test_an_unknown_key_is_refused_with_its_section_and_a_suggestion(
    tmp_path: Path, text: str, says: str
) -> None:
    with pytest.raises(UserError) as info:
        _load(tmp_path, "qulaq.toml", text)
    message = str(info.value)
    assert says in message, message
    assert str(tmp_path / "qulaq.toml") in message and "\n" not in message


def test_a_yaml_config_is_checked_too(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"unknown key 'per_hur' in \[channels.limits\]"):
        _load(tmp_path, "qulaq.yaml", "channels:\n  limits:\n    per_hur: 5\n")


def test_the_command_line_says_it_in_one_line(home: Path, tmp_path: Path) -> None:
    (tmp_path / "qulaq.toml").write_text('[kafka]\nbootstrap_server = "x"\n', encoding="utf-8")
    proc = qulaq("stats", check=False, env={"QULAQ_BUS": "embedded"})
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qulaq: error: config file "), proc.stderr
    assert "'bootstrap_server' in [kafka]" in lines[0] and "Traceback" not in proc.stderr


def test_a_value_of_the_wrong_form_is_left_to_its_reader(tmp_path: Path) -> None:
    """`channels = 5` or `[channels] telegram = "x"` is not a misspelling: the
    channels' own check says what they should be (tests/test_setup_errors.py)."""
    _load(tmp_path, "qulaq.toml", 'retention = 30\n[channels]\ntelegram = "x"\n')


def _code_keys() -> set[str]:
    """Every setting read by name in the code: `option("a.b")`, `_number(settings, "a.b")`,
    and `collectors.<platform>.<name>` for the per-platform options."""
    keys: set[str] = set()
    literal = re.compile(r"""(?:\.option|_number)\(\s*(?:settings,\s*)?"([a-z_.]+)"\s*[,)]""")
    per_platform = re.compile(r"""\.option\(\s*f"collectors\.\{(?:args\.)?platform\}\.(\w+)""")
    named = re.compile(r"""\bopt\(\s*"(\w+)",""")
    for folder in (
        "qulaq",
        "stream",
        "playbooks",
        "collectors",
        "dashboard",
        "signals",
        "sentiment",
    ):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            keys.update(literal.findall(text))
            for name in per_platform.findall(text) + (
                named.findall(text) if path.name == "collect.py" else []
            ):
                if name != "api_base":  # read by the HTTP collectors' modules, found above
                    keys.update(f"collectors.{p}.{name}" for p in PLATFORMS)
    return keys


def test_every_key_the_code_reads_is_known() -> None:
    keys = _code_keys()
    # the scan finds what it should: a setting of each part of the code
    assert {
        "retention.raw_days",
        "kafka.partitions",
        "playbooks.digest_at",
        "collectors.webhook_max_bytes",
        "collectors.telegram.rescan_days",
        "collectors.vk.requests_per_second",
        "language",
    } <= keys
    assert [k for k in sorted(keys) if not is_known_key(k)] == []


def _toml_blocks(path: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


DOCS = ["README.md", "docs/RUNBOOK.md", "collectors/README.md", "playbooks/README.md"]


@pytest.mark.parametrize("doc", DOCS)
def test_the_documented_examples_load(doc: str) -> None:
    blocks = _toml_blocks(REPO / doc)
    for block in blocks:
        check_known_keys(tomllib.loads(block), doc)


def test_the_documented_examples_are_found() -> None:
    assert sum(len(_toml_blocks(REPO / doc)) for doc in DOCS) >= 3


def test_the_tests_deployment_config_loads(tmp_path: Path) -> None:
    where = SimpleNamespace(
        telegram_url="http://127.0.0.1:1", smtp_port=25, webhook_url="http://127.0.0.1:2"
    )
    s = cast(standins.Standins, where)
    extra = '[playbooks]\ndirs = ["playbooks"]\ndelivery_interval_seconds = 0.3\n'
    _load(tmp_path, "qulaq.toml", standins.config_toml(s, extra=extra))
