"""The playbooks stage on Apache Kafka: its own consumer group over the
alerts topic, its database effects fenced by offsets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qulaq.alerts import Alert
from qulaq.config import load_settings
from stream.bus import ALERTS
from tests.conftest import qulaq

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def alert(i: int, agency: str, kind: str, severity: int) -> Alert:
    at = datetime(2026, 3, 20, 2, 20, tzinfo=UTC) + timedelta(minutes=5 * i)
    return Alert(
        id=f"al-{agency}-{i}",
        agency=agency,
        kind=kind,
        severity=severity,
        status="open",
        raised_at=at,
        updated_at=at,
        window_start=at - timedelta(hours=1),
        window_end=at,
        observed=500,
        expected=80,
        negative_share=0.5 if kind != "positive_burst" else 0.02,
        summary="test",
        incident_id=f"inc-{agency}",
        topics=["housing_utilities"] if kind != "positive_burst" else [],
    )


def test_playbooks_stage_on_kafka(kafka: str, home: Path) -> None:
    from stream.kafka_bus import KafkaBus

    bus = KafkaBus(load_settings())
    bus.ensure_topics()
    alerts = [
        alert(0, "akimat-almaty", "negativity_spike", 3),
        alert(1, "akimat-almaty", "volume_spike", 4),
        alert(2, "akimat-astana", "positive_burst", 3),
    ]
    with bus.producer() as producer:
        for a in alerts:
            producer.send(bus.topic(ALERTS), a.to_json(), key=a.agency.encode())
    qulaq("run", "--stage", "playbooks", "--until-idle", timeout=300)
    qulaq("run", "--stage", "playbooks", "--until-idle", timeout=300)  # nothing new
    runs = json.loads(qulaq("playbooks", "runs", "--json").stdout)
    assert [(r["agency"], r["playbook"]) for r in runs] == [("akimat-almaty", "utility-outage")]
    assert runs[0]["alert_id"] == "al-akimat-almaty-0"
    assert set(runs[0]["alerts"]) == {"al-akimat-almaty-0", "al-akimat-almaty-1"}
    assert runs[0]["severity"] == 4
