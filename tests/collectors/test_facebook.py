"""The Facebook Page collector against the Graph API stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from collectors.facebook.collector import FacebookPage
from collectors.facebook.graph import GraphApi
from collectors.runtime import CollectorFailed, Runner, Throttle
from tests.collectors.graph_standin import TOKEN, GraphStandin, serving
from tests.collectors.harness import by_kind, fast_runner, published
from tests.conftest import qulaq

NOW = time.time()


def page_with_comments(n: int = 120) -> GraphStandin:
    g = GraphStandin()
    post = g.add_post(NOW - 7200, "Отключение воды")
    first = g.add_comment(post, NOW - 7000, "Когда включат воду?")
    for i in range(n - 1):
        g.add_comment(post, NOW - 6900 + i, f"комментарий {i}")
    g.add_comment(
        post, NOW - 100, "Уважаемый житель, до 18:00.", author=(g.page, "Akimat"), parent=first
    )
    g.add_post(NOW - 3600, "без комментариев")
    return g


def _runner(base: str, page: str = "111") -> Runner:
    return fast_runner(FacebookPage(GraphApi(TOKEN, base=base), page))


def test_posts_and_comments_with_paging_and_a_rate_limit(home: Path) -> None:
    g = page_with_comments()
    g.rate_limited_at = {3}
    holds: list[tuple[float, str]] = []
    with serving(g) as base:
        runner = _runner(base)
        runner.throttle.hold = lambda s, r="": holds.append((s, r))  # type: ignore[method-assign,assignment]
        result = runner.run_once()
        events = published(runner)
    comments = [e for e in events if e["kind"] != "post"]
    assert {e["comment_id"] for e in comments} == {c.id for c in g.visible_fb()}
    assert result.counts["rate_limit_waits"] == 1
    assert (60, "Graph API usage at 100%") in holds  # the usage header said 100%
    assert sum(1 for p in g.paths if p.endswith("/comments")) >= 3  # 121 comments, 100 a page
    official = [e for e in comments if e.get("is_official_reply")]
    assert len(official) == 1 and official[0]["kind"] == "reply"
    assert official[0]["parent_id"] == g.comments[g.posts[0].id][0].id
    assert all(e["created_at"].endswith("+00:00") for e in events)


def test_second_pass_edits_deletions_and_the_since_watermark(home: Path) -> None:
    g = page_with_comments(5)
    with serving(g) as base:
        runner = _runner(base)
        runner.run_once()
        assert runner.run_once().counts["published"] == 0
        post = g.posts[0]
        g.comments[post.id][1].text = "исправленный текст"
        g.comments[post.id][2].deleted = True
        g.add_comment(post, NOW - 10, "новый")
        again = runner.run_once()
    assert (again.counts["new"], again.counts["edit"], again.counts["delete"]) == (1, 1, 1)
    kinds = by_kind(published(runner))
    assert kinds["edit"] == 1 and kinds["delete"] == 1


def test_page_token_error_is_one_line(home: Path) -> None:
    g = page_with_comments(3)
    with serving(g) as base:
        proc = qulaq(
            "collect",
            "facebook",
            "--page",
            "111",
            "--once",
            "--api-base",
            base,
            env={"QULAQ_FB_TOKEN": "expired"},
            check=False,
        )
        ok = qulaq(
            "collect",
            "facebook",
            "--page",
            "111",
            "--once",
            "--api-base",
            base,
            "--json",
            env={"QULAQ_FB_TOKEN": TOKEN},
        )
    assert proc.returncode == 3
    assert len(proc.stderr.strip().splitlines()) == 1 and "Graph API error 190" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads(ok.stdout)["published"] == 4 + 2
    status = json.loads(qulaq("collectors", "status", "--json").stdout)
    assert status[0]["status"] == "ok" and status[0]["metrics"]["followers"] == 2500
    assert status[0]["metrics"]["reply_rate"] == pytest.approx(1 / 3, abs=1e-3)


def test_usage_headers_hold_the_throttle() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        usage = {
            "111": [
                {
                    "type": "pages",
                    "call_count": 97,
                    "total_cputime": 5,
                    "total_time": 5,
                    "estimated_time_to_regain_access": 0,
                }
            ]
        }
        return httpx.Response(
            200, json={"id": "111"}, headers={"x-business-use-case-usage": json.dumps(usage)}
        )

    held: list[tuple[float, str]] = []

    class Recorder(Throttle):
        def hold(self, seconds: float, reason: str = "") -> None:
            held.append((seconds, reason))

    api = GraphApi(
        "t",
        base="http://graph.invalid/v21.0",
        throttle=Recorder(1),
        http=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    api.get("111")
    assert api.last_usage == 97
    assert held and held[0][0] == 60 and "97%" in held[0][1]


def test_throttled_answer_names_the_wait() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        usage = {
            "111": [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 5,
                    "total_time": 5,
                    "estimated_time_to_regain_access": 7,
                }
            ]
        }
        return httpx.Response(
            400,
            json={"error": {"message": "limit", "type": "OAuthException", "code": 80001}},
            headers={"x-business-use-case-usage": json.dumps(usage)},
        )

    from collectors.runtime import RateLimited

    api = GraphApi(
        "t",
        base="http://graph.invalid/v21.0",
        http=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(RateLimited) as err:
        api.get("111/posts")
    assert err.value.retry_after == 7 * 60


def test_a_wait_beyond_max_wait_stops_the_pass(home: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "7200"})

    api = GraphApi(
        "t",
        base="http://graph.invalid/v21.0",
        http=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    runner = fast_runner(FacebookPage(api, "111"))
    with pytest.raises(CollectorFailed, match="7200 s"):
        runner.run_once()


def test_old_posts_are_reread_only_when_their_comment_count_changes(home: Path) -> None:
    g = page_with_comments(3)
    old = g.add_post(NOW - 40 * 86400, "старый пост")
    g.add_comment(old, NOW - 39 * 86400, "старый комментарий")
    with serving(g) as base:
        runner = _runner(base)
        runner.run_once()
        before = len(g.paths)
        assert runner.run_once().counts["published"] == 0
        assert not any(p.startswith(f"/v21.0/{old.id}/") for p in g.paths[before:])
        g.add_comment(old, NOW - 5, "поздний комментарий")
        before = len(g.paths)
        third = runner.run_once()
    assert any(p == f"/v21.0/{old.id}/comments" for p in g.paths[before:])
    assert third.counts["new"] == 1
