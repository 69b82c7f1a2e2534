"""Telegram: a channel with its discussion group, and listening, over a fake of the
Telethon surface the collectors use (message objects shaped like Telethon's)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telethon import errors

from collectors.runtime import AuthFailed, CollectorFailed, RateLimited, Unavailable
from collectors.telegram.client import TelethonSource
from collectors.telegram.collector import KeywordMatcher, TelegramChannel, TelegramListener
from tests.collectors.harness import by_kind, fast_runner, published

CHANNEL_PEER = -1001234567890
T0 = datetime.now(UTC) - timedelta(hours=5)


@dataclass
class Head:
    reply_to_msg_id: int
    reply_to_top_id: int | None = None


@dataclass
class Replies:
    replies: int
    comments: bool = True


@dataclass
class Msg:
    id: int
    date: datetime
    message: str
    sender_id: int | None = None
    edit_date: datetime | None = None
    reply_to: Head | None = None
    replies: Replies | None = None
    action: Any = None


@dataclass
class FakeTelegram:
    posts: list[Msg] = field(default_factory=list)
    comments: dict[int, list[Msg]] = field(default_factory=dict)
    chats: dict[str, list[Msg]] = field(default_factory=dict)
    flood_at: set[int] = field(default_factory=set)
    calls: int = 0
    private: set[str] = field(default_factory=set)

    def entity(self, name: str) -> Any:
        if name in self.private:
            raise Unavailable("Telegram: ChannelPrivateError")
        return name

    def peer_id(self, entity: Any) -> int:
        return CHANNEL_PEER

    def messages(
        self, entity: Any, *, limit: int, offset_id: int = 0, reply_to: int | None = None
    ) -> list[Msg]:
        self.calls += 1
        if self.calls in self.flood_at:
            raise RateLimited("Telegram flood wait of 0 s", 0.01)
        if reply_to is not None:
            source = self.comments.get(reply_to, [])
        elif entity in self.chats:
            source = self.chats[entity]
        else:
            source = self.posts
        ordered = sorted(source, key=lambda m: -m.id)
        if offset_id:
            ordered = [m for m in ordered if m.id < offset_id]
        return ordered[:limit]

    def followers(self, entity: Any) -> int | None:
        return 12000

    live_updates: list[tuple[str, Any]] = field(default_factory=list)

    def follow(self, entity: Any) -> bool:
        return True

    def pump(self, seconds: float) -> list[tuple[str, Any]]:
        time.sleep(0.01)
        out, self.live_updates = self.live_updates, []
        return out

    def channel_post_of(self, top_id: int) -> int | None:
        return top_id - 1000  # the group's copy of post N has id 1000 + N

    def close(self) -> None:
        pass

    def add_post(self, minutes: int, text: str) -> Msg:
        m = Msg(len(self.posts) + 1, T0 + timedelta(minutes=minutes), text, replies=Replies(0))
        self.posts.append(m)
        self.comments[m.id] = []
        return m

    def comment(
        self, post: Msg, minutes: int, text: str, *, sender: int = 7, to: Msg | None = None
    ) -> Msg:
        group_copy = 1000 + post.id  # the discussion group's copy of the post
        head = Head(to.id, group_copy) if to else Head(group_copy)
        n = 5000 + sum(len(v) for v in self.comments.values())
        m = Msg(n, T0 + timedelta(minutes=minutes), text, sender, reply_to=head)
        self.comments[post.id].append(m)
        assert post.replies is not None
        post.replies.replies = len(self.comments[post.id])
        return m


def channel() -> FakeTelegram:
    tg = FakeTelegram()
    post = tg.add_post(0, "Плановое отключение света")
    first = tg.comment(post, 5, "На сколько часов?")
    for i in range(130):  # more than a page of 100
        tg.comment(post, 10 + i, f"и у нас нет света {i}")
    tg.comment(post, 200, "Уважаемые жители, до 18:00.", sender=CHANNEL_PEER, to=first)
    tg.add_post(60, "Без комментариев")
    off = tg.add_post(90, "Комментарии закрыты")
    off.replies = None
    tg.posts.append(Msg(99, T0 + timedelta(minutes=95), "", action="pin"))
    return tg


def test_channel_posts_and_discussion_comments(home: Path) -> None:
    tg = channel()
    tg.flood_at = {3}
    runner = fast_runner(TelegramChannel(tg, "@akimat"))
    result = runner.run_once()
    events = published(runner)
    assert by_kind(events) == {"post": 3, "comment": 131, "reply": 1}
    assert result.counts["rate_limit_waits"] == 1
    official = [e for e in events if e.get("is_official_reply")]
    assert len(official) == 1 and official[0]["parent_id"] == str(tg.comments[1][0].id)
    assert all(e["account"] == "akimat" for e in events)
    assert runner.run_once().counts["published"] == 0


def test_edits_and_deletions_on_a_later_pass(home: Path) -> None:
    tg = channel()
    runner = fast_runner(TelegramChannel(tg, "akimat"))
    runner.run_once()
    edited = tg.comments[1][3]
    edited.message = "исправлено"
    edited.edit_date = T0 + timedelta(hours=1)
    del tg.comments[1][4]
    again = runner.run_once()
    assert (again.counts["edit"], again.counts["delete"]) == (1, 1)
    edit = next(e for e in published(runner) if e["kind"] == "edit")
    assert edit["edited_at"] == edited.edit_date.isoformat()


def test_private_channel_is_one_line(home: Path) -> None:
    tg = channel()
    tg.private = {"closed"}
    runner = fast_runner(TelegramChannel(tg, "closed"))
    with pytest.raises(CollectorFailed, match="ChannelPrivateError"):
        runner.run_once()


def test_telethon_errors_become_the_runtimes() -> None:
    source = TelethonSource.__new__(TelethonSource)

    def raising(exc: Exception) -> Any:
        def fn() -> None:
            raise exc

        return fn

    with pytest.raises(RateLimited) as flood:
        source._run(raising(errors.FloodWaitError(request=None, capture=42)))
    assert flood.value.retry_after == 42
    with pytest.raises(AuthFailed):
        source._run(raising(errors.AuthKeyUnregisteredError(request=None)))
    with pytest.raises(Unavailable):
        source._run(raising(errors.ChannelPrivateError(request=None)))


def test_listening_matches_agency_keywords(home: Path) -> None:
    matcher = KeywordMatcher([("mz", "Минздрав"), ("mz", "МЗ РК"), ("edu", "Минпрос")])
    assert matcher.agency("Опять Минздрав молчит") == "mz"
    assert matcher.agency("минздрав рк") == "mz"
    assert matcher.agency("Минздравом") is None  # whole words only
    tg = FakeTelegram()
    tg.chats["news_kz"] = [
        Msg(1, T0, "Минпрос объявил каникулы", 3),
        Msg(2, T0 + timedelta(minutes=1), "погода хорошая", 4),
        Msg(3, T0 + timedelta(minutes=2), "В МЗ РК не отвечают", 5),
    ]
    runner = fast_runner(TelegramListener(tg, "news_kz", matcher))
    runner.run_once()
    events = published(runner)
    assert sorted((e["comment_id"], e["agency"]) for e in events) == [("1", "edu"), ("3", "mz")]
    assert runner.run_once().counts["published"] == 0


def test_registry_keywords_load() -> None:
    from qulaq.registry import Registry

    matcher = KeywordMatcher.from_registry(Registry.default())
    assert matcher.agency("Министерство здравоохранения опять") is not None


def test_missing_credentials_are_one_line(home: Path) -> None:
    from tests.conftest import qulaq

    proc = qulaq(
        "collect",
        "telegram",
        "--channel",
        "akimat",
        "--once",
        check=False,
        env={"QULAQ_TELEGRAM_API_ID": "", "QULAQ_TELEGRAM_API_HASH": ""},
    )
    assert proc.returncode == 2 and "QULAQ_TELEGRAM_API_ID" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_live_comments_edits_and_deletions(home: Path) -> None:
    tg = channel()
    runner = fast_runner(TelegramChannel(tg, "akimat"))
    runner.run_once()
    known = tg.comments[1][2]
    fresh = Msg(9001, T0 + timedelta(hours=2), "свет дали?", 8, reply_to=Head(1001))
    edited = Msg(
        known.id,
        known.date,
        "исправлено вживую",
        known.sender_id,
        edit_date=T0 + timedelta(hours=3),
        reply_to=known.reply_to,
    )
    tg.live_updates = [
        ("new", fresh),
        ("new", Msg(9002, T0, "копия поста", None)),  # not a comment
        ("edit", edited),
        ("delete", [tg.comments[1][3].id, 424242]),
    ]
    assert runner._live_until(time.monotonic() + 3) == "done"
    kinds = by_kind(published(runner))
    assert kinds["edit"] == 1 and kinds["delete"] == 1
    new = next(e for e in published(runner) if e["comment_id"] == "9001")
    assert new["post_id"] == "1" and new["kind"] == "comment"
