"""The runtime's pure parts: dedup decisions, back-off and reset-time parsing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from collectors.runtime import Backoff, Changed, Observed, Throttle, retry_after
from collectors.runtime.dedup import SeenRow, decide
from collectors.runtime.plugin import AccountFacts
from qulaq.storage.merge import text_hash

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)


def ev(text: str = "hello", kind: str = "comment", **extra: object) -> dict[str, object]:
    return {
        "platform": "vk",
        "account": "-1",
        "comment_id": "7",
        "text": text,
        "created_at": T0.isoformat(),
        "kind": kind,
        "post_id": "1",
        **extra,
    }


def seen(text: str = "hello", deleted: bool = False) -> SeenRow:
    return SeenRow("comment", "7", "1", None, text_hash(text), deleted, False, T0)


@pytest.mark.parametrize(
    ("item", "before", "note", "kinds"),
    [
        (Observed(ev()), None, "new", ["comment"]),
        (Observed(ev()), seen(), "unchanged", []),
        (Observed(ev("hello!")), seen(), "edit", ["edit"]),
        (Observed(ev(""), deleted=True), None, "deleted_unseen", []),
        (Observed(ev(""), deleted=True), seen(), "delete", ["delete"]),
        (Observed(ev(""), deleted=True), seen(deleted=True), "unchanged", []),
        (Observed(ev()), seen(deleted=True), "restore", ["restore"]),
        (Observed(ev("changed")), seen(deleted=True), "restore", ["restore", "edit"]),
        (Changed(ev("x", kind="edit")), None, "new", ["edit"]),
        (Changed(ev("x", kind="edit")), seen("x"), "unchanged", []),
        (Changed(ev("", kind="delete")), None, "deleted_unseen", []),
        (Changed(ev("", kind="delete")), seen(), "delete", ["delete"]),
        (Changed(ev("hello", kind="restore")), None, "new", ["comment"]),
        (Changed(ev("hello", kind="restore")), seen(deleted=True), "restore", ["restore"]),
        (Observed(ev(kind="post")), None, "new", ["post"]),
        (Observed(ev("new text", kind="post")), seen(), "unchanged", []),
    ],
)
def test_decide(
    item: Observed | Changed, before: SeenRow | None, note: str, kinds: list[str]
) -> None:
    d = decide(item, before, NOW, T0)
    assert d.note == note
    assert [e["kind"] for e in d.events] == kinds
    for e in d.events:
        if e["kind"] in ("edit", "delete", "restore") and before is not None:
            assert e["created_at"] == T0.isoformat()
            assert e["edited_at"] >= e["created_at"]
    if kinds:
        assert d.row is not None
        assert d.row.deleted == (kinds[-1] == "delete")


def test_a_delete_keeps_the_platforms_own_time() -> None:
    at = (T0 + timedelta(hours=2)).isoformat()
    d = decide(Changed(ev("", kind="delete", edited_at=at)), seen(), NOW, None)
    assert d.events[0]["edited_at"] == at


def test_retry_after_reads_every_form() -> None:
    now = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)
    assert retry_after({"Retry-After": "30"}, now) == 30
    assert retry_after({"retry-after": "Mon, 05 Jan 2026 10:01:00 GMT"}, now) == 60
    assert retry_after({"x-rate-limit-reset": str(int(now.timestamp()) + 900)}, now) == 900
    assert retry_after({"RateLimit-Reset": "12"}, now) == 12
    assert retry_after({"Retry-After": "soon"}, now) is None
    assert retry_after({}, now) is None


def test_backoff_grows_and_is_capped() -> None:
    b = Backoff(base=1, cap=8, jitter=False)
    assert [b.delay(i) for i in range(6)] == [1, 2, 4, 8, 8, 8]
    j = Backoff(base=1, cap=8)
    assert all(0.5 <= j.delay(0) <= 1 for _ in range(50))


def test_throttle_paces_and_holds() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock[0] += s

    t = Throttle(4, clock=lambda: clock[0], sleep=sleep)
    for _ in range(3):
        t.wait()
    assert slept == [0.25, 0.25]
    t.hold(10, "usage at 95%")
    t.wait()
    assert slept[-1] == pytest.approx(10)
    assert t.held_reason == "usage at 95%"


def test_live_mode_passes_on_its_interval_until_stopped(home: object) -> None:
    import threading

    from collectors.runtime import Advance, Collector, Item, PassContext
    from tests.collectors.harness import fast_runner, published

    class Counter(Collector):
        platform = "vk"

        def __init__(self) -> None:
            super().__init__("-5", "wall -5")
            self.passes = 0

        def collect(self, ctx: PassContext) -> Iterator[Item]:
            self.passes += 1
            n = self.passes
            yield Observed(ev(f"text {n}", comment_id=str(n), account="-5"))
            yield Advance("posts", T0, str(n))

    collector = Counter()
    runner = fast_runner(collector, interval=0.05)
    thread = threading.Thread(target=runner.run_forever)
    thread.start()
    deadline = time.monotonic() + 20
    while collector.passes < 3 and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    runner.stop.set()
    thread.join(10)
    assert not thread.is_alive()
    assert collector.passes >= 3
    assert len(published(runner)) >= 3
    from collectors.runtime import state

    with runner.db.read() as conn:
        marks = state.load_checkpoints(conn, "vk", "-5")
        health = state.load_health(conn, "vk", "-5")
    assert marks["posts"].at == T0
    assert health is not None and health["status"] == "ok" and health["consecutive_failures"] == 0


def test_a_stop_in_the_middle_of_a_pass_keeps_what_was_gathered(home: object) -> None:
    from collectors.runtime import Collector, Item, PassContext
    from tests.collectors.harness import fast_runner, published

    class Slow(Collector):
        platform = "vk"

        def collect(self, ctx: PassContext) -> Iterator[Item]:
            for n in range(5):
                if n == 2:
                    runner.stop.set()
                ctx.call(lambda: None)
                yield Observed(ev(f"t{n}", comment_id=str(n), account="-7"))

    runner = fast_runner(Slow("-7", "wall -7"))
    result = runner.run_once()
    assert result.status == "stopped"
    assert [e["comment_id"] for e in published(runner)] == ["0", "1"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(12, 12), ("40", 40), (0, 0), ([], None), ({}, None), (-3, None), (True, None), ("x", None)],
)
def test_account_facts_of_the_wrong_shape_are_unknown(given: object, expected: int | None) -> None:
    facts = AccountFacts(followers=given, posts=given)  # type: ignore[arg-type]
    assert (facts.followers, facts.posts) == (expected, expected)
