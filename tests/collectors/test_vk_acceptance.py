"""The acceptance check: `qulaq collect vk --once` against a stand-in VK API on
loopback stores every visible comment, and a second pass adds none."""

from __future__ import annotations

import json
from pathlib import Path

from tests.collectors.vk_standin import TOKEN, acceptance_wall, serving
from tests.conftest import qulaq

ENV = {"QULAQ_VK_TOKEN": TOKEN}


def _stats() -> dict[str, object]:
    return json.loads(qulaq("stats", "--json").stdout)


def test_collect_vk_once_stores_every_visible_comment_and_a_second_pass_adds_none(
    home: Path,
) -> None:
    wall = acceptance_wall()
    visible = len(wall.visible())
    assert any(c.deleted for c in wall.comments)
    with serving(wall) as base:
        first = qulaq("collect", "vk", "--owner", "-1", "--once", "--api-base", base, env=ENV)
        assert "-1" in first.stdout and first.stderr == ""
        assert wall.requests > 0
        errors_6 = sum(1 for n in wall.too_many_at if n <= wall.requests)
        assert errors_6 == len(wall.too_many_at)  # every error 6 was met and ridden out
        qulaq("run", "--until-idle")
        stats = _stats()
        assert stats["comments"] == visible
        assert stats["quarantined"] == 0
        assert stats["deleted"] == 0
        assert stats["posts"] == len(wall.posts)
        assert stats["official_replies"] == sum(1 for c in wall.visible() if c.from_id == -1)

        second = qulaq(
            "collect", "vk", "--owner", "-1", "--once", "--api-base", base, "--json", env=ENV
        )
        counts = json.loads(second.stdout)
        assert counts["published"] == 0
        qulaq("run", "--until-idle")
        again = _stats()
        assert again["comments"] == visible
        assert again["versions"] == stats["versions"]


def test_bad_token_is_one_line_without_traceback(home: Path) -> None:
    wall = acceptance_wall()
    with serving(wall) as base:
        proc = qulaq(
            "collect",
            "vk",
            "--owner",
            "-1",
            "--once",
            "--api-base",
            base,
            env={"QULAQ_VK_TOKEN": "wrong"},
            check=False,
        )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "VK error 5" in lines[0]
    assert "Traceback" not in proc.stderr
    status = json.loads(qulaq("collectors", "status", "--json").stdout)
    assert status[0]["status"] == "auth"
    assert status[0]["last_success_at"] is None


def test_missing_token_and_bad_owner_are_user_errors(home: Path) -> None:
    proc = qulaq(
        "collect", "vk", "--owner", "-1", "--once", check=False, env={"QULAQ_VK_TOKEN": ""}
    )
    assert proc.returncode == 2 and "QULAQ_VK_TOKEN" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = qulaq("collect", "vk", "--owner", "club1", "--once", check=False, env=ENV)
    assert proc.returncode == 2 and "--owner" in proc.stderr
