"""The collector tests' harness: a runner on a fresh QULAQ_HOME, fast, and a
look at what it published on the embedded bus."""

from __future__ import annotations

from typing import Any

import orjson

from collectors.runtime import Backoff, Collector, Runner, RunnerOptions
from qulaq.config import load_settings
from stream.bus import H_RUN, RAW
from stream.embedded_bus import EmbeddedBus


def fast_runner(collector: Collector, **options: Any) -> Runner:
    settings = load_settings()
    opts = RunnerOptions(backoff=Backoff(base=0.01, cap=0.05), **options)
    collector.throttle.set_rate(0)
    return Runner(settings, collector, options=opts)


def published(runner: Runner) -> list[dict[str, Any]]:
    """Every event on the raw topic, in order, with its run header as `_run`."""
    bus = runner.bus
    assert isinstance(bus, EmbeddedBus)
    out = []
    for msg in bus.log(bus.topic(RAW)).read(bus.topic(RAW), 0, 1_000_000):
        ev = orjson.loads(msg.value)
        ev["_run"] = msg.headers.get(H_RUN)
        out.append(ev)
    return out


def by_kind(events: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ev in events:
        counts[ev.get("kind", "comment")] = counts.get(ev.get("kind", "comment"), 0) + 1
    return counts
