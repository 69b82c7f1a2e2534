"""bench.load at a small size: the counts add up, the live burst raises its alert, a
missing broker is a reason in the results, never a failure. No timing is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import load


@pytest.mark.slow
def test_small_load_counts_add_up(home: Path) -> None:
    results = load.run(events=2000, runtimes=("embedded",), bursts=1)

    stream = results["stream"]
    assert stream["lines"] == 2000
    assert stream["broken_lines"] == 2
    r = results["embedded"]
    assert r["published"] == 1998
    assert r["quarantined_at_edge"] == 2
    assert r["stored"] == 1998
    assert r["quarantined"] == 2
    assert r["lost"] == 0 and r["nothing_lost"]
    for step in ("replay", "run"):
        procs = r[step]["processes"]
        assert procs[0]["role"] == "main"
        assert all(p["peak_rss_mb"] > 0 for p in procs)
        assert r[step]["tree_max_rss_mb"] >= max(p["peak_rss_mb"] for p in procs) * 0.9
        assert r[step]["cpu_s"] > 0

    lat = results["latency"]
    assert lat["alerted"] == 1
    burst = lat["bursts"][0]
    assert burst["latency_s"] is not None
    assert "volume_spike" in {a["kind"] for a in burst["alerts"]}

    queues = results["backpressure"]["embedded"]
    assert any(q["bounded"] for q in queues) and any(not q["bounded"] for q in queues)
    text = load.report(results)
    assert "nothing lost" in text and "comment→alert" in text


def test_unreachable_broker_is_skipped_with_a_reason(home: Path) -> None:
    results = load.run(events=20, runtimes=("kafka",), kafka="127.0.0.1:1", latency=False)

    assert "127.0.0.1:1" in results["kafka"]["skipped"]
    assert "skipped" in load.report(results)


def test_runtimes_are_checked() -> None:
    assert load.parse_runtimes("embedded, kafka") == ("embedded", "kafka")
    with pytest.raises(ValueError):
        load.run(events=10, runtimes=("nats",))


@pytest.mark.slow
@pytest.mark.kafka
def test_small_kafka_load_is_compared_with_both_raw_clients(kafka: str, home: Path) -> None:
    # the broker is the one QULAQ_BUS names, as `make bench` finds it
    results = load.run(events=1000, runtimes=("kafka",), latency=False)

    r = results["kafka"]
    assert r["stored"] == 999 and r["quarantined"] == 1 and r["nothing_lost"]
    stages = {p["role"] for p in r["run"]["processes"]}
    assert {"score", "store", "signals", "playbooks"} <= stages
    for client, ratio in (("raw_client", "vs_raw_client"), ("raw_librdkafka", "vs_raw_librdkafka")):
        raw = r[client]
        assert raw["events"] == 999  # the valid lines: the raw clients do not validate
        assert raw["produce_consume_per_s"] > 0
        assert r[ratio] == pytest.approx(r["per_s"] / raw["produce_consume_per_s"], abs=1e-4)
    text = load.report(results)
    assert "kafka-python raw produce+consume" in text
    assert "librdkafka raw produce+consume" in text
