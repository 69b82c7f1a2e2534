"""A restart mid-run loses no step and sends nothing twice: the real command
line, killed with SIGKILL and started again, against loopback servers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import qulaq
from tests.playbooks import standins
from tests.playbooks.standins import Standins

FAST = """
id: fast-drill
title: {kk: Жылдам жаттығу, ru: Быстрые учения}
scct: accidental
steps:
  - id: first
    title: {kk: Бірінші, ru: Первый}
    role: duty_officer
    action: {kk: Растаңыз., ru: Подтвердите.}
    due: 2m
    escalate:
      - {after: 9s, to: head_of_press}
      - {after: 13s, to: deputy_head}
  - id: second
    title: {kk: Екінші, ru: Второй}
    role: press_secretary
    action: {kk: Жариялаңыз., ru: Опубликуйте.}
    due: 2m
    escalate:
      - {after: 16s, to: head_of_press}
  - id: third
    title: {kk: Үшінші, ru: Третий}
    role: smm_manager
    action: {kk: Жауап беріңіз., ru: Ответьте.}
    opens: 3s
    due: 2m
"""

pytestmark = pytest.mark.slow


def serve() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "qulaq", "playbooks", "serve"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def wait_for(what: str, check: Callable[[], object], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def hooks(s: Standins, kind: str, step: str, level: int = 0) -> list[dict]:
    return [
        r
        for r in s.webhook.received
        if r["body"]["kind"] == kind and r["body"]["step"] == step and r["body"]["level"] == level
    ]


def test_restart_mid_run(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with standins.running() as s:
        home.mkdir(parents=True, exist_ok=True)
        (home / "playbooks").mkdir()
        (home / "playbooks" / "fast.yaml").write_text(FAST, encoding="utf-8")
        extra = '[playbooks]\ndirs = ["playbooks"]\ndelivery_interval_seconds = 0.3\n'
        (home / "qulaq.toml").write_text(standins.config_toml(s, extra=extra), encoding="utf-8")
        monkeypatch.setenv("QULAQ_TELEGRAM_BOT_TOKEN", standins.TOKEN)
        monkeypatch.setenv("QULAQ_WEBHOOK_SECRET", standins.SECRET)
        db = create_engine(f"sqlite:///{home / 'qulaq.db'}")

        def unsent() -> int:
            with db.connect() as c:
                return int(
                    c.execute(
                        text("select count(*) from playbook_outbox where status != 'sent'")
                    ).scalar_one()
                )

        started = time.monotonic()
        out = qulaq(
            "playbooks", "drill", "fast-drill", "--agency", "akimat-almaty", "--by", "t", "--json"
        )
        run = json.loads(out.stdout)["id"]
        qulaq("playbooks", "ack", run, "second", "--by", "dana", "--note", "на связи")

        # killed once the third step (3 s) is out and nothing waits; the first escalation
        # comes at 9 s, so even a slow start leaves no send unrecorded at the kill
        first = serve()
        try:
            wait_for("the third step", lambda: hooks(s, "step_open", "third") and unsent() == 0)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        assert hooks(s, "step_open", "first") and hooks(s, "step_open", "second")

        second = serve()
        try:
            wait_for(
                "the second escalation",
                lambda: hooks(s, "escalation", "first", 2) and unsent() == 0,
            )
            wait_for(
                "past the acknowledged step's escalation time",
                lambda: time.monotonic() - started > 18,
            )
            time.sleep(1.0)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
        assert second.returncode == 0, second.stderr.read() if second.stderr else ""
        qulaq("playbooks", "serve", "--once")  # a third start finds nothing left to send

        keys = Counter(r["key"] for r in s.webhook.received)
        assert keys and max(keys.values()) == 1, "no delivery twice"
        assert s.webhook.rejected == 0
        texts = Counter((m["chat_id"], m["text"]) for m in s.telegram.sent)
        assert max(texts.values()) == 1
        ids = Counter(m["Message-ID"] for m in s.mail)
        assert max(ids.values()) == 1
        assert hooks(s, "escalation", "first", 1) and hooks(s, "escalation", "first", 2)
        assert not [
            r
            for r in s.webhook.received
            if r["body"]["kind"] == "escalation" and r["body"]["step"] == "second"
        ]

        runs = json.loads(qulaq("playbooks", "runs", "--json").stdout)
        (state,) = [r for r in runs if r["id"] == run]
        steps = {x["name"]: x for x in state["steps"]}
        assert list(steps) == ["first", "second", "third"]
        assert steps["first"]["status"] == "escalated" and steps["first"]["escalation_level"] == 2
        assert (
            steps["second"]["status"] == "acknowledged" and steps["second"]["escalation_level"] == 0
        )
        assert steps["third"]["status"] == "open"
        assert state["drill"] is True
        with db.connect() as c:
            sent = c.execute(
                text("select count(*) from playbook_outbox where status='sent'")
            ).scalar_one()
            notified = c.execute(
                text("select count(*) from playbook_audit where action='notified'")
            ).scalar_one()
        assert sent == notified == len(s.webhook.received) + len(s.telegram.sent) + len(s.mail)
        db.dispose()
