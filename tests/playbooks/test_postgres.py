"""The same runs, outbox and audit log on PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from playbooks.delivery import Deliverer
from qulaq.config import load_settings
from qulaq.storage.database import Database
from tests.conftest import qulaq
from tests.playbooks.standins import Standins

pytestmark = pytest.mark.postgres


def test_playbooks_on_postgres(postgres: str, outside: Standins) -> None:
    run = json.loads(
        qulaq(
            "playbooks",
            "drill",
            "utility-outage",
            "--agency",
            "akimat-almaty",
            "--by",
            "t",
            "--json",
        ).stdout
    )
    qulaq("playbooks", "ack", run["id"], "acknowledge", "--by", "dana", "--note", "ночная смена")
    qulaq("playbooks", "done", run["id"], "holding-statement", "--by", "dana")
    settings = load_settings()
    db = Database.open(settings)
    first = Deliverer(settings, db).deliver_due()
    again = Deliverer(settings, db).deliver_due()
    db.dispose()
    assert first.sent > 0 and again.sent == 0
    keys = Counter(r["key"] for r in outside.webhook.received)
    assert max(keys.values()) == 1
    (state,) = json.loads(qulaq("playbooks", "runs", "--json").stdout)
    steps = {s["name"]: s for s in state["steps"]}
    assert steps["holding-statement"]["status"] == "done"
    assert steps["acknowledge"]["acknowledged_by"] == "dana"
    shown = json.loads(qulaq("playbooks", "show", run["id"], "--json").stdout)
    assert any(e["action"] == "notified" and e["message"] for e in shown["audit"])
    md = qulaq(
        "playbooks",
        "report",
        "--agency",
        "akimat-almaty",
        "--since",
        "2020-01-01",
        "--include-drills",
        "--lang",
        "en",
    ).stdout
    assert "(drill)" in md and "Time to first acknowledgement" in md
