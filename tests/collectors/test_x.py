"""The X collector (tweepy v2 client) against the stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path

from collectors.x.api import make_client
from collectors.x.collector import XAccount
from tests.collectors.harness import by_kind, fast_runner, published
from tests.collectors.x_standin import BEARER, XStandin, serving
from tests.conftest import qulaq

NOW = time.time()


def timeline() -> XStandin:
    x = XStandin()
    post = x.tweet(NOW - 7200, "Перекрытие улицы Абая до 20:00")
    first = x.tweet(
        NOW - 7000,
        "@akimat_kz а объезд где?",
        author="11",
        reply_to=post["id"],
        conversation=post["id"],
    )
    for i in range(120):  # more than a page of 100
        x.tweet(NOW - 6000 + i, f"@akimat_kz пробка {i}", author=str(100 + i))
    x.tweet(
        NOW - 100, "@user11 Объезд по Сейфуллина.", reply_to=first["id"], conversation=post["id"]
    )
    return x


def test_replies_mentions_paging_and_a_429(home: Path) -> None:
    x = timeline()
    x.limited_at = {3}
    with serving(x) as base:
        runner = fast_runner(XAccount(make_client(BEARER, base), "akimat_kz"))
        result = runner.run_once()
        events = published(runner)
    assert by_kind(events) == {"post": 1, "comment": 121, "reply": 1}
    assert result.counts["rate_limit_waits"] == 1
    official = next(e for e in events if e.get("is_official_reply"))
    assert official["parent_id"] == x.mentions[0]["id"] and official["kind"] == "reply"
    on_post = next(e for e in events if e["comment_id"] == x.mentions[0]["id"])
    assert on_post["kind"] == "comment" and on_post["post_id"] == x.tweets[0]["id"]
    assert on_post["author_name"] == "user11"


def test_an_edited_tweet_is_an_edit_of_the_same_comment(home: Path) -> None:
    x = timeline()
    with serving(x) as base:
        runner = fast_runner(XAccount(make_client(BEARER, base), "akimat_kz"))
        runner.run_once()
        assert runner.run_once().counts["published"] == 0
        original = x.mentions[5]["id"]
        x.edit(x.mentions[5], "@akimat_kz пробка рассосалась", NOW - 50)
        again = runner.run_once()
        events = published(runner)
    assert again.counts["edit"] == 1 and again.counts["new"] == 0
    edit = next(e for e in events if e["kind"] == "edit")
    assert edit["comment_id"] == original
    assert any("start_time" in p for p in x.params[-3:])  # the re-scan reads from the watermark


def test_bad_bearer_token_is_one_line(home: Path) -> None:
    x = timeline()
    with serving(x) as base:
        proc = qulaq(
            "collect",
            "x",
            "--user",
            "akimat_kz",
            "--once",
            "--api-base",
            base,
            env={"QULAQ_X_BEARER_TOKEN": "nope"},
            check=False,
        )
        ok = qulaq(
            "collect",
            "x",
            "--user",
            "akimat_kz",
            "--once",
            "--api-base",
            base,
            "--json",
            env={"QULAQ_X_BEARER_TOKEN": BEARER},
        )
    assert proc.returncode == 3 and len(proc.stderr.strip().splitlines()) == 1
    assert "401" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(ok.stdout)["published"] == 1 + 121 + 1
