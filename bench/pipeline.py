"""End-to-end pipeline throughput on both runtimes, next to the raw
kafka-python produce+consume rate of the same messages in the same run.

    python -m bench.pipeline [--events N] [--kafka HOST:PORT]

End to end = replay (validate at the edge, publish) + run until idle
(validate, pseudonymise, analyse, store), comments per second of wall time.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson


def make_events(n: int, seed: int = 11) -> list[bytes]:
    """`n` realistic comment events from the demo generator, renumbered so
    every one is a distinct comment (and a reply still names its parent)."""
    from qulaq.demo import generate

    out: list[bytes] = []
    lap = 0
    while len(out) < n:
        for ev in generate(days=7, seed=seed + lap):
            if ev.get("kind") not in (None, "comment", "reply"):
                continue
            ev = dict(ev)
            ev["comment_id"] = f"{ev['comment_id']}-{lap}"
            if ev.get("parent_id"):
                ev["parent_id"] = f"{ev['parent_id']}-{lap}"
            out.append(orjson.dumps(ev))
            if len(out) >= n:
                break
        lap += 1
    return out


def _reachable(hostport: str) -> bool:
    host, _, port = hostport.partition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def _env(**values: str) -> dict[str, str | None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    return saved


def _restore(saved: dict[str, str | None]) -> None:
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run_pipeline(events: list[bytes], *, bus: str, workdir: Path) -> dict[str, Any]:
    from qulaq.config import load_settings
    from stream.pipeline import build_pipeline
    from stream.replay import replay_file

    path = workdir / "events.jsonl"
    path.write_bytes(b"\n".join(events) + b"\n")
    saved = _env(
        QULAQ_HOME=str(workdir / f"home-{bus.split(':')[0]}"),
        QULAQ_BUS=bus,
        QULAQ_KAFKA_PREFIX=f"bench{uuid.uuid4().hex[:8]}",
    )
    try:
        settings = load_settings()
        pipeline = build_pipeline(settings)
        pipeline.score.analyzer.analyze(
            ["прогрев модели", "warm up the English lexicon"]
        )  # load before timing
        t0 = time.perf_counter()
        counts = replay_file(settings, path, db=pipeline.db, registry=pipeline.registry)
        t1 = time.perf_counter()
        if settings.uses_kafka:
            from stream.kafka_runtime import KafkaRuntime

            KafkaRuntime(pipeline, ["score", "store"]).run(until_idle=True, idle_checks=2)
        else:
            from stream.embedded_runtime import EmbeddedRuntime

            EmbeddedRuntime(pipeline).run(until_idle=True)
        t2 = time.perf_counter()
        from qulaq.storage.stats import storage_stats

        with pipeline.db.read() as conn:
            stored = storage_stats(conn)["comments"]
        pipeline.db.dispose()
    finally:
        _restore(saved)
    n = len(events)
    return {
        "events": n,
        "stored": stored,
        "published": counts.published,
        "replay_s": t1 - t0,
        "run_s": t2 - t1,
        "replay_per_s": n / (t1 - t0),
        "run_per_s": n / (t2 - t1),
        "end_to_end_per_s": n / (t2 - t0),
    }


def _raw_rates(n: int, t0: float, t1: float, t2: float) -> dict[str, Any]:
    """A raw client's figures: produced from t0 to t1, consumed from t1 to t2."""
    return {
        "events": n,
        "produce_s": t1 - t0,
        "consume_s": t2 - t1,
        "produce_consume_per_s": n / (t2 - t0),
    }


def raw_kafka_rate(events: list[bytes], servers: str) -> dict[str, Any]:
    """kafka-python alone: produce every message, then consume them all."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
    from kafka.admin import NewTopic

    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=servers)
    admin.create_topics([NewTopic(topic, 4, 1)])
    admin.wait_for_topics([topic], timeout_ms=30_000)
    producer = KafkaProducer(
        bootstrap_servers=servers, acks="all", linger_ms=20, batch_size=256 * 1024
    )
    t0 = time.perf_counter()
    for i, ev in enumerate(events):
        producer.send(topic, value=ev, key=str(i % 64).encode())
    producer.flush()
    t1 = time.perf_counter()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=servers,
        group_id=f"{topic}-g",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=2000,
        fetch_max_wait_ms=200,
    )
    seen = 0
    while seen < len(events):
        for records in consumer.poll(timeout_ms=1000).values():
            seen += len(records)
    consumer.commit()
    t2 = time.perf_counter()
    consumer.close()
    producer.close()
    admin.delete_topics([topic])
    admin.close()
    return _raw_rates(len(events), t0, t1, t2)


def raw_librdkafka_rate(events: list[bytes], servers: str) -> dict[str, Any]:
    """confluent-kafka (librdkafka) alone, configured as the stages' data path is:
    produce every message idempotently with acks=all, then consume them all."""
    import confluent_kafka as ck
    from confluent_kafka.admin import AdminClient
    from confluent_kafka.admin import NewTopic as CkNewTopic

    topic = f"bench-rawrd-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": servers})
    for done in admin.create_topics([CkNewTopic(topic, 4, 1)]).values():
        done.result()
    producer = ck.Producer(
        {
            "bootstrap.servers": servers,
            "acks": "all",
            "enable.idempotence": True,
            "partitioner": "murmur2_random",
            "linger.ms": 20,
        }
    )
    t0 = time.perf_counter()
    for i, ev in enumerate(events):
        while True:
            try:
                producer.produce(topic, ev, str(i % 64).encode())
                break
            except BufferError:
                producer.poll(0.1)
    if producer.flush(120):
        raise RuntimeError("librdkafka raw produce: messages left undelivered")
    t1 = time.perf_counter()
    consumer = ck.Consumer(
        {
            "bootstrap.servers": servers,
            "group.id": f"{topic}-g",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "fetch.wait.max.ms": 200,
        }
    )
    consumer.subscribe([topic])
    seen = 0
    while seen < len(events):
        seen += sum(1 for m in consumer.consume(2000, 1.0) if m.error() is None)
    consumer.commit(asynchronous=False)
    t2 = time.perf_counter()
    consumer.close()
    for done in admin.delete_topics([topic]).values():
        done.result()
    return _raw_rates(len(events), t0, t1, t2)


def run(events: int = 50_000, kafka: str | None = None) -> dict[str, Any]:
    data = make_events(events)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="qulaq-bench-") as tmp:
        results["embedded"] = run_pipeline(data, bus="embedded", workdir=Path(tmp))
        servers = kafka or os.environ.get("QULAQ_TEST_KAFKA", "127.0.0.1:9092")
        if _reachable(servers):
            results["kafka_raw"] = raw_kafka_rate(data, servers)
            results["kafka"] = run_pipeline(data, bus=f"kafka://{servers}", workdir=Path(tmp))
            results["kafka_vs_raw"] = (
                results["kafka"]["end_to_end_per_s"] / results["kafka_raw"]["produce_consume_per_s"]
            )
    return results


def report(results: dict[str, Any]) -> str:
    lines = ["pipeline throughput (comments/s, wall time, this machine)"]
    for name in ("embedded", "kafka"):
        r = results.get(name)
        if r:
            lines.append(
                f"  {name:<9} end-to-end {r['end_to_end_per_s']:>9,.0f}/s   "
                f"replay {r['replay_per_s']:>9,.0f}/s   run {r['run_per_s']:>9,.0f}/s   "
                f"({r['events']:,} events, {r['stored']:,} stored)"
            )
    raw = results.get("kafka_raw")
    if raw:
        lines.append(f"  kafka-python raw produce+consume {raw['produce_consume_per_s']:>9,.0f}/s")
        lines.append(f"  kafka end-to-end / raw client: {results['kafka_vs_raw']:.0%}")
    else:
        lines.append("  kafka: no broker reachable (make kafka), skipped")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--kafka", default=None)
    args = ap.parse_args()
    print(report(run(args.events, args.kafka)))


if __name__ == "__main__":
    main()
