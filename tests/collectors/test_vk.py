"""The VK collector against the stand-in: threads, paging, rate limits, edits,
deletions, restores, auth errors, restarts from checkpoint, Long Poll."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from collectors.runtime import CollectorFailed, Runner
from collectors.vk.api import VkApi
from collectors.vk.collector import VkWall
from tests.collectors.harness import by_kind, fast_runner, published
from tests.collectors.vk_standin import TOKEN, VkStandin, acceptance_wall, serving

NOW = int(time.time())


def _runner(base: str, **options: object) -> Runner:
    return fast_runner(VkWall(VkApi(TOKEN, base=base), -1), **options)


def recent_wall() -> VkStandin:
    s = VkStandin(owner=-1)
    post = s.add_post(NOW - 3600, "Ремонт дороги")
    for i in range(5):
        s.add_comment(post, NOW - 3000 + i, f"Когда закончат? {i}")
    return s


def test_first_pass_publishes_every_visible_comment_once(home: Path) -> None:
    wall = acceptance_wall()
    with serving(wall) as base:
        runner = _runner(base)
        result = runner.run_once()
        events = published(runner)
    comments = [e for e in events if e["kind"] != "post"]
    assert {e["comment_id"] for e in comments} == {str(c.id) for c in wall.visible()}
    assert len(comments) == len(wall.visible())
    assert result.counts["deleted_unseen"] == 1  # the tombstone with a reply
    assert result.counts["rate_limit_waits"] == len(wall.too_many_at)
    threads = [p for m, p in wall.calls if m == "wall.getComments" and "comment_id" in p]
    assert len(threads) >= 3  # the 23-reply thread, and the 130-reply one over two pages
    official = [e for e in comments if e.get("is_official_reply")]
    assert len(official) == 1 and official[0]["parent_id"] == str(wall.comments[0].id)
    assert all(e["_run"] == result.run for e in events)
    replies = [e for e in comments if e["kind"] == "reply"]
    assert len(replies) == sum(1 for c in wall.visible() if c.root)


def test_edits_deletions_and_restores_on_a_later_pass(home: Path) -> None:
    wall = recent_wall()
    with serving(wall) as base:
        runner = _runner(base)
        runner.run_once()
        wall.comments[0].text = "Когда закончат?! (исправлено)"
        wall.comments[1].deleted = True
        late = wall.add_comment(wall.posts[0], NOW - 60, "поздний комментарий")
        second = runner.run_once()
        assert (second.counts["new"], second.counts["edit"], second.counts["delete"]) == (1, 1, 1)
        wall.comments[1].deleted = False
        third = runner.run_once()
        assert third.counts["restore"] == 1 and third.counts["published"] == 1
        fourth = runner.run_once()
        assert fourth.counts["published"] == 0
        events = published(runner)
    kinds = by_kind(events)
    assert kinds == {"post": 1, "comment": 6, "edit": 1, "delete": 1, "restore": 1}
    edit = next(e for e in events if e["kind"] == "edit")
    assert edit["comment_id"] == str(wall.comments[0].id)
    assert edit["edited_at"] > edit["created_at"]
    assert any(e["comment_id"] == str(late.id) for e in events)


def test_old_posts_are_reread_only_when_their_comment_count_changes(home: Path) -> None:
    wall = recent_wall()
    old = wall.add_post(NOW - 40 * 86400, "old")
    wall.add_comment(old, NOW - 39 * 86400, "old comment")
    with serving(wall) as base:
        runner = _runner(base)
        runner.run_once()
        before = len(wall.calls)
        runner.run_once()
        comment_calls = [p for m, p in wall.calls[before:] if m == "wall.getComments"]
        assert {p["post_id"] for p in comment_calls} == {str(wall.posts[0].id)}
        late = wall.add_comment(old, NOW - 30, "поздний комментарий к старому посту")
        before = len(wall.calls)
        third = runner.run_once()
        comment_calls = [p for m, p in wall.calls[before:] if m == "wall.getComments"]
    assert {p["post_id"] for p in comment_calls} == {str(wall.posts[0].id), str(old.id)}
    assert third.counts["new"] == 1
    assert any(e["comment_id"] == str(late.id) for e in published(runner))


def test_restart_after_a_failed_pass_resumes_from_checkpoint(home: Path) -> None:
    wall = acceptance_wall()
    wall.too_many_at = set()
    wall.revoke_after = 6  # the token stops working in the middle of the first pass
    with serving(wall) as base:
        runner = _runner(base, batch=50)
        with pytest.raises(CollectorFailed, match="VK error 5"):
            runner.run_once()
        partial = published(runner)
        assert 0 < len(partial) < len(wall.visible())
        wall.revoke_after = None
        resumed = runner.run_once()
        events = published(runner)
    assert resumed.counts["published"] == len(events) - len(partial)
    ids = [e["comment_id"] for e in events if e["kind"] != "post"]
    assert len(ids) == len(set(ids)) == len(wall.visible())


def test_daily_quota_ends_the_pass_with_one_line(home: Path) -> None:
    wall = recent_wall()
    with serving(wall) as base:
        runner = _runner(base)
        original = wall.answer

        def quota(method: str, params: dict[str, str]) -> object:
            if method == "wall.getComments":
                return {"error": {"error_code": 29, "error_msg": "Rate limit reached"}}
            return original(method, params)

        wall.answer = quota  # type: ignore[method-assign]
        with pytest.raises(CollectorFailed) as err:
            runner.run_once()
    assert "VK error 29" in str(err.value) and "\n" not in str(err.value)


def test_http_429_with_retry_after_is_ridden_out(home: Path) -> None:
    import httpx

    from collectors.runtime import RateLimited

    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.05"})
        return httpx.Response(200, json={"response": {"count": 0, "items": []}})

    api = VkApi(
        TOKEN,
        base="http://vk.invalid/method",
        http=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(RateLimited) as err:
        api.call("wall.get", owner_id=-1)
    assert err.value.retry_after == pytest.approx(0.05)
    runner = fast_runner(VkWall(api, -1))
    assert runner.run_once().counts["published"] == 0
    assert calls[-1].content and b"access_token" in calls[-1].content
    assert b"access_token" not in str(calls[-1].url).encode()


def test_long_poll_events_and_lost_history(home: Path) -> None:
    wall = recent_wall()
    with serving(wall) as base:
        runner = _runner(base)
        runner.run_once()
        known = wall.comments[2]
        wall.updates = [
            {
                "type": "wall_reply_new",
                "object": {
                    "id": 9001,
                    "from_id": 77,
                    "date": NOW,
                    "text": "живой комментарий",
                    "post_owner_id": -1,
                    "post_id": wall.posts[0].id,
                    "owner_id": -1,
                },
                "group_id": 1,
                "event_id": "e1",
            },
            {
                "type": "wall_reply_edit",
                "object": {
                    "id": known.id,
                    "from_id": known.from_id,
                    "date": known.date,
                    "text": "исправлено вживую",
                    "post_owner_id": -1,
                    "post_id": known.post_id,
                    "owner_id": -1,
                },
                "group_id": 1,
            },
            {
                "type": "wall_reply_delete",
                "object": {"owner_id": -1, "id": wall.comments[3].id, "post_id": known.post_id},
                "group_id": 1,
            },
            {"type": "wall_reply_delete", "object": {"owner_id": -1, "id": 123456}},
            {"type": "wall_post_new", "object": {"id": 5}},
        ]
        runner.collector.long_poll = True  # type: ignore[attr-defined]
        deadline = time.monotonic() + 3
        assert runner._live_until(deadline) == "done"
        kinds = by_kind(published(runner))
        assert kinds["edit"] == 1 and kinds["delete"] == 1 and kinds["comment"] == 6
        wall.poll_failed = 1
        assert runner._live_until(time.monotonic() + 5) == "history_lost"


def test_a_get_only_server_and_a_missing_method_still_work(home: Path) -> None:
    wall = acceptance_wall()
    wall.unknown_methods = {"groups.getById"}
    with serving(wall, get_only=True) as base:
        runner = _runner(base)
        result = runner.run_once()
        events = published(runner)
    assert result.counts["warnings"] == 1  # no follower count, nothing else lost
    ids = {e["comment_id"] for e in events if e["kind"] != "post"}
    assert ids == {str(c.id) for c in wall.visible()}
