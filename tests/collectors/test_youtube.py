"""The YouTube collector against the Data API v3 stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from collectors.runtime import CollectorFailed, Runner
from collectors.youtube.api import YouTubeApi, quota_reset
from collectors.youtube.collector import YouTubeChannel
from tests.collectors.harness import by_kind, fast_runner, published
from tests.collectors.youtube_standin import CHANNEL, KEY, YouTubeStandin, serving
from tests.conftest import qulaq

NOW = time.time()


def channel() -> YouTubeStandin:
    yt = YouTubeStandin()
    v = yt.add_video(NOW - 86400, "Отчёт акима за год")
    first = yt.add_comment(v, NOW - 80000, "Где дороги?")
    for i in range(8):  # more replies than the 5 inline
        yt.add_comment(v, NOW - 70000 + i, f"согласен {i}", parent=first)
    yt.add_comment(
        v, NOW - 60000, "Уважаемый зритель, план ремонта в описании.", author=CHANNEL, parent=first
    )
    for i in range(110):  # more threads than a page of 100
        yt.add_comment(v, NOW - 50000 + i, f"комментарий {i}")
    off = yt.add_video(NOW - 3600, "Комментарии отключены")
    yt.disabled.add(off)
    return yt


def _runner(base: str) -> Runner:
    return fast_runner(YouTubeChannel(YouTubeApi(KEY, base=base), CHANNEL))


def test_threads_replies_paging_and_a_rate_limit(home: Path) -> None:
    yt = channel()
    yt.rate_limited_at = {4}
    with serving(yt) as base:
        runner = _runner(base)
        result = runner.run_once()
        events = published(runner)
    assert by_kind(events) == {"post": 2, "comment": 111, "reply": 9}
    assert result.counts["rate_limit_waits"] == 1 and result.counts["warnings"] == 1
    official = next(e for e in events if e.get("is_official_reply"))
    assert official["parent_id"] == yt.comments[0].id


def test_edits_deletions_and_a_quiet_second_pass(home: Path) -> None:
    yt = channel()
    with serving(yt) as base:
        runner = _runner(base)
        runner.run_once()
        assert runner.run_once().counts["published"] == 0
        yt.comments[20].text = "исправил"
        yt.comments[20].updated = NOW - 10
        yt.comments[30].deleted = True
        again = runner.run_once()
    assert (again.counts["edit"], again.counts["delete"]) == (1, 1)


def test_quota_and_key_errors_are_one_line(home: Path) -> None:
    yt = channel()
    yt.quota_at = 3
    with serving(yt) as base:
        runner = _runner(base)
        with pytest.raises(CollectorFailed, match="quota") as err:
            runner.run_once()
        assert "\n" not in str(err.value)
        proc = qulaq(
            "collect",
            "youtube",
            "--channel",
            CHANNEL,
            "--once",
            "--api-base",
            base,
            env={"QULAQ_YOUTUBE_KEY": "wrong"},
            check=False,
        )
    assert proc.returncode == 3 and "keyInvalid" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    status = json.loads(qulaq("collectors", "status", "--json").stdout)
    assert {s["status"] for s in status} == {"auth"}
    assert 0 < quota_reset() <= 86400
