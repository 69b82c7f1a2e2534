"""Mistakes in a deployment's set-up (configuration, registry files, secrets) are the
user's to fix: one line naming what is wrong, exit 2, never an internal error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import qulaq

EVENT = {
    "platform": "vk",
    "account": "-1",
    "comment_id": "1",
    "text": "Когда починят дорогу?",
    "created_at": "2026-03-20T10:00:00+05:00",
}


def _one_line_usage_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert err.startswith("qulaq: error:") and "\n" not in err, err
    assert "internal error" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("config", "files", "named"),
    [
        ('registry = ["missing.yaml"]\n', {}, "missing.yaml"),
        ('registry = ["bad.yaml"]\n', {"bad.yaml": "agencies: [\n"}, "bad.yaml"),
        ("registry = 5\n", {}, "registry"),
    ],
    ids=["missing-file", "bad-yaml", "not-a-list"],
)
def test_a_broken_registry_setting_is_a_usage_error(
    home: Path, tmp_path: Path, config: str, files: dict[str, str], named: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "qulaq.toml").write_text(config, encoding="utf-8")
    events = tmp_path / "one.jsonl"
    events.write_text(json.dumps(EVENT, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = qulaq(
        "replay",
        str(events),
        check=False,
        env={"QULAQ_CONFIG": str(tmp_path / "qulaq.toml"), "QULAQ_BUS": "embedded"},
    )
    assert named in _one_line_usage_error(proc)


def test_a_short_pseudonymisation_key_is_a_usage_error(home: Path, tmp_path: Path) -> None:
    events = tmp_path / "one.jsonl"
    events.write_text(json.dumps(EVENT, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {"QULAQ_BUS": "embedded", "QULAQ_PSEUDONYM_KEY": "short"}
    qulaq("replay", str(events), env=env)
    proc = qulaq("run", "--until-idle", check=False, env=env)
    assert "QULAQ_PSEUDONYM_KEY" in _one_line_usage_error(proc)
    # nothing was lost: with a proper key the same events go through
    qulaq(
        "run", "--until-idle", env={**env, "QULAQ_PSEUDONYM_KEY": "a-proper-key-of-32-characters!!"}
    )
    stats = json.loads(qulaq("stats", "--json", env=env).stdout)
    assert stats["comments"] == 1


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ('[channels]\ntelegram = "x"\n', "channels.telegram"),
        ('[channels.email]\nport = "abc"\n', "channels.email"),
        ("channels = 5\n", "channels"),
    ],
    ids=["channel-not-a-table", "port-not-a-number", "channels-not-a-table"],
)
def test_a_broken_channel_setting_is_a_usage_error(
    home: Path, tmp_path: Path, config: str, named: str
) -> None:
    (tmp_path / "qulaq.toml").write_text(config, encoding="utf-8")
    env = {"QULAQ_CONFIG": str(tmp_path / "qulaq.toml"), "QULAQ_BUS": "embedded"}
    proc = qulaq("playbooks", "serve", "--once", check=False, env=env)
    assert named in _one_line_usage_error(proc)
