"""CPU cost of each stage of the embedded pipeline, per comment, on a generated
multi-agency stream (the demo generator: 7 days, every demo agency).

    python -m bench.signals [--events N] [--batch B]

The stream is replayed into a fresh QULAQ_HOME and run until idle by the
embedded runtime, with each stage's calls timed in CPU time
(`time.process_time`): validate + analyse, store, signals, playbooks, and the
rest (the bus, commits). CPU time, unlike wall time, hardly moves when other
processes share the machine; the load average is reported beside it.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
STAGES = ("score", "store", "signals", "playbooks")


def _timed(spent: dict[str, float], name: str, fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start

    return wrapper  # type: ignore[return-value]


def run(events: int = 30_000, batch: int = 2000) -> dict[str, Any]:
    from bench.pipeline import _env, _restore, make_events

    data = make_events(events)
    with tempfile.TemporaryDirectory(prefix="qulaq-bench-signals-") as tmp:
        path = Path(tmp) / "events.jsonl"
        path.write_bytes(b"\n".join(data) + b"\n")
        saved = _env(QULAQ_HOME=str(Path(tmp) / "home"), QULAQ_BUS="embedded")
        try:
            return _measure(path, len(data), batch)
        finally:
            _restore(saved)


def _measure(path: Path, n: int, batch: int) -> dict[str, Any]:
    from qulaq.config import load_settings
    from signals import store as signal_store
    from stream.embedded_runtime import EmbeddedRuntime
    from stream.pipeline import build_pipeline
    from stream.replay import replay_file

    settings = load_settings()
    pipeline = build_pipeline(settings)
    pipeline.score.analyzer.analyze(["прогрев модели", "warm up the English lexicon"])
    replay_file(settings, path, db=pipeline.db, registry=pipeline.registry)

    spent = dict.fromkeys(STAGES, 0.0)
    score, store = pipeline.score, pipeline.store
    score.process = _timed(spent, "score", score.process)  # type: ignore[method-assign]
    store.write = _timed(spent, "store", store.write)  # type: ignore[method-assign]
    for stage in pipeline.downstream:
        if stage.name in spent:
            stage.process = _timed(spent, stage.name, stage.process)  # type: ignore[method-assign]

    runtime = EmbeddedRuntime(pipeline, batch_size=batch)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    stats = runtime.run(until_idle=True)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    with pipeline.db.read() as conn:
        alerts = len(signal_store.list_alerts(conn))
        incidents = len(signal_store.list_incidents(conn))
    pipeline.db.dispose()

    per = {k: v / n * 1e6 for k, v in spent.items()}
    per["other"] = max(0.0, (cpu - sum(spent.values())) / n * 1e6)
    return {
        "events": n,
        "batch": batch,
        "batches": stats.batches,
        "alerts": alerts,
        "incidents": incidents,
        "published": dict(stats.published),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "events_per_cpu_second": round(n / cpu, 1) if cpu else 0.0,
        "cpu_us_per_comment": {k: round(v, 1) for k, v in per.items()},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cores_available": os.cpu_count() or 1,
    }


def report(results: dict[str, Any]) -> str:
    per = results["cpu_us_per_comment"]
    load = ", ".join(f"{x:.2f}" for x in results["load_average"])
    lines = [
        f"stage CPU per comment ({results['events']:,} events, batches of {results['batch']}, "
        f"{results['alerts']} alerts, {results['incidents']} incidents; load average {load})",
    ]
    for name in (*STAGES, "other"):
        lines.append(f"  {name:<10} {per[name]:>8.1f} µs")
    lines.append(
        f"  total      {sum(per.values()):>8.1f} µs = "
        f"{results['events_per_cpu_second']:,.0f} events per CPU second "
        f"({results['wall_seconds']:.1f} s wall)"
    )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.signals", description=__doc__)
    ap.add_argument("--events", type=int, default=30_000)
    ap.add_argument("--batch", type=int, default=2000)
    args = ap.parse_args()
    print(report(run(args.events, args.batch)))


if __name__ == "__main__":
    main()
