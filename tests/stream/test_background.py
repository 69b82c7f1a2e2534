"""A live run's background work ends with the run: the playbook delivery thread
that a live `qulaq run` starts must not outlive it (it would go on polling a
database the caller may already have closed or removed)."""

from __future__ import annotations

import threading
from pathlib import Path

from qulaq.config import load_settings
from stream.embedded_runtime import EmbeddedRuntime
from stream.pipeline import build_pipeline

DELIVERY = "qulaq-playbook-delivery"


def _delivery_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == DELIVERY and t.is_alive()]


def test_live_run_stops_its_delivery_thread(home: Path) -> None:
    settings = load_settings()
    pipeline = build_pipeline(settings)
    runtime = EmbeddedRuntime(pipeline)
    stop = threading.Event()
    seen: list[int] = []

    def watch() -> None:
        # stop the run once its first tick has started delivery in the background
        for _ in range(200):
            if _delivery_threads():
                seen.append(len(_delivery_threads()))
                break
            stop.wait(0.05)
        stop.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        runtime.run(until_idle=False, stop=stop, idle_sleep=0.05)
    finally:
        stop.set()
        watcher.join()
        pipeline.db.dispose()
    assert seen == [1], "the live run never started delivery in the background"
    assert _delivery_threads() == []
