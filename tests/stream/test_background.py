"""A live run's background work ends with the run: the playbook delivery thread
that a live `qulaq run` starts must not outlive it (it would go on polling a
database the caller may already have closed or removed)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from qulaq.config import load_settings
from stream.embedded_runtime import EmbeddedRuntime
from stream.pipeline import build_pipeline
from stream.replay import replay_file

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
        for _ in range(1200):
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


def test_scoring_process_uses_the_callers_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings built from a mapping (not os.environ) reach the scoring process:
    it reads the log of that QULAQ_HOME, not of the one the environment names."""
    monkeypatch.setenv("QULAQ_EMBEDDED_SCORE_PROCESS", "1")
    monkeypatch.setenv("QULAQ_HOME", str(tmp_path / "elsewhere"))
    settings = load_settings({"QULAQ_HOME": str(tmp_path / "mine")})
    lines = tmp_path / "events.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps(
                {
                    "platform": "vk",
                    "account": "astana_akimat",
                    "comment_id": str(i),
                    "text": "Когда починят дорогу?",
                    "created_at": "2026-03-20T07:10:00+05:00",
                }
            )
            for i in range(5)
        )
        + "\n"
    )
    pipeline = build_pipeline(settings)
    try:
        replay_file(settings, lines, db=pipeline.db, registry=pipeline.registry)
        stats = EmbeddedRuntime(pipeline).run(until_idle=True)
    finally:
        pipeline.db.dispose()
    assert (stats.messages, stats.stored) == (5, 5)
