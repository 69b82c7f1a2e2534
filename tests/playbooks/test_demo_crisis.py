"""End to end on the bundled demo: replay → run → playbooks. Needs the
signals stage (it raises the alerts playbooks react to)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import REPO, qulaq

pytest.importorskip("signals.stage", reason="the signals stage raises the alerts")
pytestmark = pytest.mark.slow

DEMO = REPO / "qulaq" / "data" / "demo" / "demo.jsonl.gz"
ONSET = datetime.fromisoformat("2026-03-20T07:10:00+05:00")


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("demo") / "home"
    env = {"QULAQ_HOME": str(home), "QULAQ_LANG": "ru"}
    qulaq("replay", str(DEMO), env=env)
    qulaq("run", "--until-idle", env=env, timeout=900)
    return env


def test_the_heating_crisis_starts_the_outage_playbook(replayed: dict[str, str]) -> None:
    runs = json.loads(qulaq("playbooks", "runs", "--json", env=replayed).stdout)
    alerts = json.loads(qulaq("alerts", "list", "--json", env=replayed).stdout)
    almaty = [r for r in runs if r["agency"] == "akimat-almaty"]
    assert len(almaty) == 1, [(r["playbook"], r["agency"]) for r in runs]
    run = almaty[0]
    assert run["playbook"] == "utility-outage"
    assert run["alert_id"] in {a["id"] for a in alerts if a["agency"] == "akimat-almaty"}
    started = datetime.fromisoformat(run["started_at"])
    assert started.utcoffset() == timedelta(hours=5)
    assert ONSET <= started <= ONSET + timedelta(hours=1)
    steps = run["steps"]
    assert len(steps) >= 3
    for s in steps:
        assert s["role"] and s["name"]
        assert datetime.fromisoformat(s["due_at"]).utcoffset() == timedelta(hours=5)
    first_due = min(datetime.fromisoformat(s["due_at"]) for s in steps)
    assert first_due - started <= timedelta(minutes=60)
    assert not run["drill"]


def test_the_positive_burst_starts_no_crisis_playbook(replayed: dict[str, str]) -> None:
    runs = json.loads(qulaq("playbooks", "runs", "--json", env=replayed).stdout)
    assert not [r for r in runs if r["agency"] == "akimat-astana"]


def test_the_managers_report_of_the_replayed_crisis(
    replayed: dict[str, str], tmp_path: Path
) -> None:
    args = ("playbooks", "report", "--agency", "akimat-almaty", "--since", "2026-03-19")
    md = qulaq(*args, "--until", "2026-03-23", "--lang", "ru", env=replayed).stdout
    assert md.startswith("# Отчёт о выполнении планов реагирования: Акимат города Алматы")
    assert "## Коммунальная авария (тепло, вода, свет)" in md
    # nobody pressed a button in a replay: no acknowledgement, every early step late
    assert "Время до первого подтверждения: не было" in md
    assert "| Первое сообщение (золотой час) | Пресс-секретарь |" in md
    assert "не выполнен, срок истёк" in md
    # the agency did answer on the platforms (the demo's official replies)
    line = next(x for x in md.splitlines() if "(на площадках)" in x)
    assert "не было" not in line
    assert "эскалация" in md and "Хронология" in md
    out = tmp_path / "report.csv"
    qulaq(*args, "--format", "csv", "--output", str(out), env=replayed)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["playbook"] for r in rows} == {"utility-outage"}
    late = [r for r in rows if r["late_minutes"]]
    assert late and all(int(r["late_minutes"]) > 0 for r in late)
    assert rows[0]["first_public_answer_seen_minutes"]
