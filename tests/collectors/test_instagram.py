"""Instagram: the Graph API path against the stand-in, instaloader with fakes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import instaloader
import pytest

from collectors.facebook.graph import GraphApi
from collectors.instagram.collector import InstagramGraph, InstaloaderProfile
from collectors.runtime import CollectorFailed
from tests.collectors.graph_standin import TOKEN, GraphStandin, serving
from tests.collectors.harness import by_kind, fast_runner, published
from tests.conftest import qulaq

NOW = time.time()


def account(n: int = 60) -> GraphStandin:
    g = GraphStandin()
    m = g.add_media(NOW - 7200, "Субботник в парке")
    first = g.add_ig_comment(m, NOW - 7000, "Во сколько начало?")
    for i in range(n - 1):
        g.add_ig_comment(m, NOW - 6000 + i, f"приду {i}")
    g.add_ig_comment(
        m, NOW - 100, "В 10:00, ждём всех!", author=(g.ig_user, g.ig_username), parent=first
    )
    g.add_ig_comment(m, NOW - 50, "спасибо", parent=first)
    g.add_media(NOW - 3600, "без комментариев")
    return g


def test_graph_media_comments_replies_and_paging(home: Path) -> None:
    g = account()
    with serving(g) as base:
        runner = fast_runner(InstagramGraph(GraphApi(TOKEN, base=base), g.ig_user))
        first = runner.run_once()
        events = published(runner)
        comments = [e for e in events if e["kind"] != "post"]
        assert {e["comment_id"] for e in comments} == {c.id for c in g.visible_ig()}
        assert sum(1 for p in g.paths if p.endswith("/comments")) == 2  # 60 top-level, 50 a page
        official = [e for e in comments if e.get("is_official_reply")]
        assert len(official) == 1 and official[0]["parent_id"] == g.ig_comments[g.media[0].id][0].id
        assert first.counts["published"] == len(events)
        assert runner.run_once().counts["published"] == 0
        g.ig_comments[g.media[0].id][5].deleted = True
        again = runner.run_once()
    assert again.counts["delete"] == 1
    assert by_kind(published(runner))["delete"] == 1


def test_graph_token_error_is_one_line(home: Path) -> None:
    g = account(2)
    with serving(g) as base:
        proc = qulaq(
            "collect",
            "instagram",
            "--user",
            g.ig_user,
            "--once",
            "--api-base",
            base,
            env={"QULAQ_IG_TOKEN": "bad"},
            check=False,
        )
    assert proc.returncode == 3 and len(proc.stderr.strip().splitlines()) == 1
    assert "Graph API error 190" in proc.stderr and "Traceback" not in proc.stderr


# -- instaloader, faked at its documented surface ------------------------------------


@dataclass
class FakeOwner:
    username: str
    userid: int


@dataclass
class FakeComment:
    id: int
    created_at_utc: datetime
    text: str
    owner: FakeOwner
    likes_count: int = 0
    answers: list[FakeComment] = field(default_factory=list)


@dataclass
class FakePost:
    shortcode: str
    date_utc: datetime
    caption: str
    comments: list[FakeComment]
    is_pinned: bool = False

    def get_comments(self) -> Iterator[FakeComment]:
        return iter(self.comments)


@dataclass
class FakeProfile:
    posts: list[FakePost]
    followers: int = 900
    mediacount: int = 2
    fail: Exception | None = None

    def get_posts(self) -> Iterator[FakePost]:
        if self.fail:
            raise self.fail
        return iter(self.posts)


def fake_profile() -> FakeProfile:
    t = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=3)
    citizen, own = FakeOwner("citizen", 5), FakeOwner("akimat_public", 1)
    reply = FakeComment(3, t + timedelta(minutes=30), "Уважаемый житель, ответили в директ", own)
    c1 = FakeComment(2, t + timedelta(minutes=10), "Когда уберут снег?", citizen, 2, [reply])
    old_pinned = FakePost("PIN", t - timedelta(days=400), "закреплено", [], is_pinned=True)
    return FakeProfile([old_pinned, FakePost("ABC", t, "Снегопад", [c1])])


def loader_runner(profile: FakeProfile, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Any:
    monkeypatch.setattr(instaloader.Profile, "from_username", lambda ctx, name: profile)

    class FakeLoader:
        context = object()

    collector = InstaloaderProfile("akimat_public", loader_factory=lambda sleep: FakeLoader(), **kw)
    return fast_runner(collector, rescan=timedelta(days=30))


def test_instaloader_public_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = fake_profile()
    runner = loader_runner(profile, monkeypatch)
    runner.run_once()
    events = published(runner)
    assert by_kind(events) == {"post": 2, "comment": 1, "reply": 1}
    reply = next(e for e in events if e["comment_id"] == "3")
    assert reply["is_official_reply"] and reply["parent_id"] == "2"
    assert reply["created_at"].endswith("+00:00")
    assert runner.run_once().counts["published"] == 0


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (instaloader.exceptions.LoginRequiredException("Login required."), "saved session"),
        (instaloader.exceptions.TooManyRequestsException("429 Too Many Requests"), "429"),
        (instaloader.exceptions.ProfileNotExistsException("no such"), "cannot be read"),
        (instaloader.exceptions.QueryReturnedForbiddenException("403"), "blocked"),
    ],
)
def test_instaloader_failures_are_reported_clearly(
    home: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    profile = fake_profile()
    profile.fail = error
    runner = loader_runner(profile, monkeypatch)
    with pytest.raises(CollectorFailed) as err:
        runner.run_once()
    assert expected in str(err.value) and "\n" not in str(err.value)


def test_instaloader_rate_controller_waits_are_bounded(home: Path) -> None:
    collector = InstaloaderProfile("x", loader_factory=lambda sleep: None, max_wait=60)
    collector._sleep(0.01)  # a short wait passes
    from collectors.runtime import RateLimited

    with pytest.raises(RateLimited, match="900 s"):
        collector._sleep(900)


def test_missing_session_is_one_line(home: Path, tmp_path: Path) -> None:
    proc = qulaq(
        "collect",
        "instagram",
        "--profile",
        "akimat",
        "--login",
        "me",
        "--session-file",
        str(tmp_path / "none"),
        "--once",
        check=False,
    )
    assert proc.returncode == 3 and len(proc.stderr.strip().splitlines()) == 1
    assert "instaloader --login me" in proc.stderr and "Traceback" not in proc.stderr
