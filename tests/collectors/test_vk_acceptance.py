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
    _every_comment_names_the_run_that_brought_it(visible)


def _every_comment_names_the_run_that_brought_it(visible: int) -> None:
    from sqlalchemy import func, select

    from qulaq.config import load_settings
    from qulaq.storage.database import Database
    from qulaq.storage.schema import comments, ingest_runs

    db = Database.open(load_settings())
    with db.read() as conn:
        runs = conn.execute(
            select(ingest_runs.c.id, ingest_runs.c.status, ingest_runs.c.counts)
            .where(ingest_runs.c.source == "collector:vk")
            .order_by(ingest_runs.c.started_at)
        ).all()
        first_runs = {
            run: n
            for run, n in conn.execute(
                select(comments.c.first_run, func.count()).group_by(comments.c.first_run)
            )
        }
    db.dispose()
    assert [r.status for r in runs] == ["done", "done"]
    assert first_runs == {runs[0].id: visible}
    assert json.loads(runs[1].counts)["published"] == 0


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
