"""A platform API that accepts the connection and never answers: each call times
out, the runtime retries it, and the pass ends with one line that says so; the
checkpoint stays where what was published ends, and the next pass against an
answering API leaves the same state as one uninterrupted pass."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from collectors.runtime import Backoff, CollectorFailed, Runner, RunnerOptions
from qulaq.config import load_settings
from qulaq.storage.schema import collector_checkpoints
from stream.bus import RAW
from stream.embedded_bus import EmbeddedBus
from tests.collectors import vk_standin
from tests.conftest import qulaq
from tests.faults.compare import COLLECTED, differences, rows, same_secret, snapshot
from tests.faults.hanging import hanging_after
from tests.faults.worlds import NOW, WORLDS, World

pytestmark = pytest.mark.slow


def published_events(env: dict[str, str]) -> list[tuple[Any, ...]]:
    """The distinct events on the raw topic: what the store would see."""
    bus = EmbeddedBus(load_settings(env))
    topic = bus.topic(RAW)
    out = set()
    for m in bus.log(topic).read(topic, 0, 10_000_000):
        ev = orjson.loads(m.value)
        out.add((ev["comment_id"], ev.get("kind"), ev["text"], ev.get("edited_at")))
    return sorted(out, key=repr)


def one_pass(world: World, base: str, env: dict[str, str], timeout: float = 10.0) -> Runner:
    """A runner for one pass. Only the pass against the hanging API gets a short
    timeout: an answering stand-in on a busy machine may well take longer than it."""
    collector = world.make(base, timeout)
    collector.throttle.set_rate(0)
    options = RunnerOptions(backoff=Backoff(base=0.01, cap=0.05), max_attempts=2)
    return Runner(load_settings(env), collector, options=options)


@pytest.mark.parametrize("platform", sorted(WORLDS))
@pytest.mark.parametrize("answered", [0, 4])
def test_a_hanging_api_ends_the_pass(platform: str, answered: int, tmp_path: Path) -> None:
    world = WORLDS[platform]()
    env = {"QULAQ_HOME": str(tmp_path / "home")}
    ref = {"QULAQ_HOME": str(tmp_path / "reference-home")}
    same_secret(env["QULAQ_HOME"], ref["QULAQ_HOME"])
    with world.serving(world.standin) as base:
        runner = one_pass(world, base, ref)
        runner.run_once()
        runner.close()

        with hanging_after(base, answered) as hung:
            runner = one_pass(world, hung, env, timeout=0.3)
            started = time.monotonic()
            with pytest.raises(CollectorFailed) as failed:
                runner.run_once()
            runner.close()
        assert time.monotonic() - started < 60
        message = str(failed.value)
        assert "\n" not in message and "did not answer in time" in message, message
        assert rows(collector_checkpoints, env) == []  # nothing was complete

        runner = one_pass(world, base, env)
        assert runner.run_once().status == "done"
        runner.close()

    assert published_events(env) == published_events(ref)
    got, expected = snapshot(env, COLLECTED), snapshot(ref, COLLECTED)
    assert not differences(got, expected), differences(got, expected)


def test_qulaq_collect_against_a_hanging_api(home: Path) -> None:
    """The command line: exit code 3 and one line, the checkpoint of the last good
    pass untouched, the account shown as failing, and fine again afterwards."""
    wall = vk_standin.VkStandin(owner=-1)
    post = wall.add_post(int(NOW) - 7200, "Ремонт дороги")
    for i in range(5):
        wall.add_comment(post, int(NOW) - 7000 + i, f"Когда закончат? {i}")
    env = {"QULAQ_VK_TOKEN": vk_standin.TOKEN}
    args = ["collect", "vk", "--owner", "-1", "--once", "--rps", "1000"]
    with vk_standin.serving(wall) as base:
        qulaq(*args, "--api-base", base, env=env)
        marks = rows(collector_checkpoints)
        later = wall.add_post(int(NOW) - 600, "Новый пост")
        wall.add_comment(later, int(NOW) - 500, "Новый комментарий")

        with hanging_after(base, 0) as hung:
            started = time.monotonic()
            out = qulaq(*args, "--api-base", hung, "--timeout", "0.5", env=env, check=False)
        assert out.returncode == 3, out.stderr
        assert time.monotonic() - started < 120
        # warnings may precede it (the follower count could not be read either)
        last = out.stderr.splitlines()[-1]
        assert last.startswith("qulaq: error: vk -1: ") and "did not answer in time" in last
        assert "Traceback" not in out.stderr, out.stderr
        assert rows(collector_checkpoints) == marks
        health = json.loads(qulaq("collectors", "status", "--json").stdout)
        assert health[0]["status"] == "failing" and health[0]["consecutive_failures"] == 1
        assert "did not answer in time" in health[0]["last_error"]

        qulaq(*args, "--api-base", base, env=env)
    health = json.loads(qulaq("collectors", "status", "--json").stdout)
    assert health[0]["status"] == "ok"
    qulaq("run", "--until-idle")
    stats = json.loads(qulaq("stats", "--json").stdout)
    assert stats["comments"] == len(wall.visible())
