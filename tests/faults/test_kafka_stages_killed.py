"""kill -9 of the signals and playbooks stages on Kafka in the middle of the demo
stream, then the stage again: the same alerts, incidents, playbook runs and
notifications as the embedded runtime's uninterrupted run — none lost, none
doubled (the stages fence their database state by offset, the outbox has one
row per delivery key). The score and store stages are covered by
tests/stream/test_crash.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import bus_offsets, playbook_outbox, playbook_runs, playbook_steps
from stream.kafka_bus import KafkaBus
from stream.kafka_runtime import stage_inputs
from tests.conftest import REPO, qulaq
from tests.faults.compare import RAISED, STORED, differences, rows, same_secret, snapshot

pytestmark = [pytest.mark.slow, pytest.mark.kafka]
DEMO = REPO / "qulaq" / "data" / "demo" / "demo.jsonl.gz"
PLAYBOOK_SKIP = {"created_at", "updated_at", "recorded_at", "claimed_at", "sent_at", "id"}


# A run replayed from the past follows the stream's event time, advanced by every
# alert the stage reads. Kafka keeps the order of one agency's alerts (one partition),
# not the interleaving of different agencies', so when a step of a replayed run falls
# overdue (the run's clock, its overdue and escalation notices) and who is on call then
# (the person and channels a notice goes to) depend on how the partitions were read.
# Those are left out: every run and step must be equal, and every notice of the
# uninterrupted run (run, kind, step) must be queued; the outbox key is unique, so
# none is queued twice.
ORDER_DEPENDENT = {"clock", "overdue"}
# notices sent because a step fell overdue: whether it did before the step was done
ORDER_DEPENDENT_NOTICES = {"escalation", "overdue"}


def playbooks_state(env: dict[str, str] | None = None) -> dict[str, Any]:
    outbox = rows(playbook_outbox, env, skip=PLAYBOOK_SKIP | {"next_attempt_at", "not_before"})
    return {
        "playbook_runs": rows(playbook_runs, env, skip=PLAYBOOK_SKIP | ORDER_DEPENDENT),
        "playbook_steps": rows(playbook_steps, env, skip=PLAYBOOK_SKIP | ORDER_DEPENDENT),
        "playbook_outbox": sorted(
            {
                tuple((k, v) for k, v in r if k in ("run_id", "kind", "step"))
                for r in outbox
                if dict(r).get("kind") not in ORDER_DEPENDENT_NOTICES
            }
        ),
    }


def progress(stage: str) -> tuple[int, int]:
    """Messages the stage has applied (its fenced offsets) and the messages in its inputs."""
    settings = load_settings()
    db = Database.open(settings, migrate=False)
    try:
        with db.read() as conn:
            done = conn.execute(
                select(func.coalesce(func.sum(bus_offsets.c.offset), 0)).where(
                    bus_offsets.c.consumer == f"{settings.kafka_prefix}.{stage}",
                    bus_offsets.c.offset > 0,
                )
            ).scalar_one()
    except Exception:
        done = 0
    finally:
        db.dispose()
    bus = KafkaBus(settings)
    admin = bus.admin()
    try:
        from kafka import OffsetSpec, TopicPartition

        parts = [
            TopicPartition(t["name"], p["partition_index"])
            for t in admin.describe_topics([bus.topic(n) for n in stage_inputs(stage)])
            for p in t["partitions"]
        ]
        ends = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in parts})
        total = sum(int(getattr(v, "offset", v)) for v in ends.values())
    finally:
        admin.close()
    return int(done), total


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qulaq", *args],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_mid_way(proc: subprocess.Popen[bytes], stage: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, total = progress(stage)
        if done > 0:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            assert done < total, f"{stage} finished before it could be killed"
            return
        if proc.poll() is not None:
            pytest.fail(f"{stage} exited early: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"{stage} applied nothing in time")


def reference(tmp_path: Path) -> dict[str, str]:
    ref = {"QULAQ_HOME": str(tmp_path / "reference-home"), "QULAQ_BUS": "embedded"}
    qulaq("replay", str(DEMO), env=ref)
    qulaq("run", "--until-idle", env=ref, timeout=900)
    return ref


@pytest.mark.parametrize("victim", ["signals", "playbooks"])
def test_kafka_stage_killed_mid_stream(kafka: str, home: Path, tmp_path: Path, victim: str) -> None:
    same_secret(home, tmp_path / "reference-home")
    ref = reference(tmp_path)
    qulaq("replay", str(DEMO))
    # the stages before the victim bring all of its input first
    upstream = ["score", "store", "signals", "playbooks"]
    for stage in upstream[: upstream.index(victim)]:
        qulaq("run", "--stage", stage, "--until-idle", "--batch", "500", timeout=900)

    # the playbooks stage reads one message per alert change, a few hundred in all:
    # small batches, so that it cannot finish between two looks at its progress
    batch = "10" if victim == "playbooks" else "100"
    proc = start("run", "--stage", victim, "--batch", batch)
    kill_mid_way(proc, victim)
    qulaq("run", "--stage", victim, "--until-idle", timeout=900)
    qulaq("run", "--until-idle", timeout=900)  # every stage, to the end

    tables = STORED + RAISED
    got, expected = snapshot(None, tables), snapshot(ref, tables)
    assert not differences(got, expected), differences(got, expected)
    got, expected = playbooks_state(), playbooks_state(ref)
    assert expected["playbook_runs"], "the demo starts playbooks"
    assert not differences(got, expected), differences(got, expected)
