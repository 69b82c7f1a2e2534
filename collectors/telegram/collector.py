"""Telegram collectors: an agency's channel with its discussion group, and
listening in public channels and chats for messages that name an agency."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from collectors.runtime import (
    AccountFacts,
    Advance,
    Changed,
    Collector,
    Complete,
    Item,
    Observed,
    PassContext,
    Unavailable,
)
from collectors.telegram.client import TelegramSource
from collectors.telegram.events import comment_event, mention_event, post_event

PAGE = 100


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _history(
    ctx: PassContext, source: TelegramSource, entity: Any, horizon: datetime | None, **kw: Any
) -> Iterator[Any]:
    """Messages newest first, page by page (`offset_id`), down to `horizon`."""
    offset = 0
    while True:
        batch = ctx.call(source.messages, entity, limit=PAGE, offset_id=offset, **kw)
        if not batch:
            return
        for msg in batch:
            if horizon is not None and _aware(msg.date) < horizon:
                return
            yield msg
        offset = min(m.id for m in batch)
        if len(batch) < PAGE:
            return


class TelegramChannel(Collector):
    platform = "telegram"
    # Telegram names no rate; it answers too much with FLOOD_WAIT and a wait
    requests_per_second = 1.0

    def __init__(self, source: TelegramSource, channel: str) -> None:
        name = channel.lstrip("@")
        super().__init__(name, f"channel @{name}")
        self.source = source
        self.channel = name

    def close(self) -> None:
        self.source.close()

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        entity = ctx.call(self.source.entity, self.channel)
        peer = self.source.peer_id(entity)
        try:
            followers = ctx.call(self.source.followers, entity)
        except Unavailable as exc:
            ctx.warn(f"subscriber count unavailable: {exc}")
            followers = None
        newest: tuple[datetime, str] | None = None
        for msg in _history(ctx, self.source, entity, ctx.horizon("posts")):
            if getattr(msg, "action", None) is not None:
                continue  # a service message: pinned, title changed…
            created = _aware(msg.date)
            if newest is None or created > newest[0]:
                newest = (created, str(msg.id))
            yield Observed(post_event(self.channel, msg))
            yield from self._comments(ctx, entity, msg, peer)
            if ctx.stopping():
                return
        yield AccountFacts(followers=followers)
        if newest is not None:
            yield Advance("posts", newest[0], newest[1])

    def _comments(self, ctx: PassContext, entity: Any, post: Any, peer: int) -> Iterator[Item]:
        replies = getattr(post, "replies", None)
        if replies is None or not getattr(replies, "comments", True):
            return  # comments are off for this post: no discussion group
        present: set[str] = set()
        if getattr(replies, "replies", None) == 0:
            yield Complete(str(post.id), present)
            return
        try:
            for msg in _history(ctx, self.source, entity, None, reply_to=post.id):
                ev = comment_event(self.channel, post.id, msg, official_peer=peer)
                present.add(ev["comment_id"])
                yield Observed(ev)
        except Unavailable as exc:
            ctx.warn(f"post {post.id}: comments unavailable ({exc})")
            return
        yield Complete(str(post.id), present)

    def live(self, ctx: PassContext) -> Iterator[Item]:
        """New, edited and deleted comments in the discussion group as they happen.
        Telegram does not say which comments a deletion took when it was
        missed, so re-scans stay the safety net."""
        entity = ctx.call(self.source.entity, self.channel)
        if not ctx.call(self.source.follow, entity):
            return
        peer = self.source.peer_id(entity)
        posts: dict[int, int | None] = {}
        while not ctx.stopping():
            for kind, payload in ctx.call(self.source.pump, 1.0):
                if kind == "delete":
                    now = datetime.now(UTC).isoformat()
                    for message_id in payload:
                        yield Changed(
                            {
                                "platform": self.platform,
                                "account": self.channel,
                                "comment_id": str(message_id),
                                "text": "",
                                "kind": "delete",
                                "edited_at": now,
                            }
                        )
                    continue
                change = self._live_comment(ctx, kind, payload, peer, posts)
                if change is not None:
                    yield change

    def _live_comment(
        self, ctx: PassContext, kind: str, msg: Any, peer: int, posts: dict[int, int | None]
    ) -> Changed | None:
        head = getattr(msg, "reply_to", None)
        top = getattr(head, "reply_to_top_id", None) or getattr(head, "reply_to_msg_id", None)
        if not top:
            return None  # not a comment: the group's copy of a post, or a chat message
        if top not in posts:
            posts[top] = ctx.call(self.source.channel_post_of, int(top))
        post = posts[top]
        if post is None:
            return None
        ev = comment_event(self.channel, post, msg, official_peer=peer)
        if kind == "edit":
            ev["kind"] = "edit"
            ev.setdefault("edited_at", datetime.now(UTC).isoformat())
        return Changed(ev)


class KeywordMatcher:
    """Which agency a text names: the registry's keywords, as whole words,
    case-insensitively; the longest keyword wins."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(
            {(k.strip(), a) for a, k in keywords if len(k.strip()) >= 3},
            key=lambda p: -len(p[0]),
        )
        self._agency = {k.casefold(): a for k, a in pairs}
        alternatives = "|".join(re.escape(k) for k, _ in pairs) or r"(?!x)x"
        self._re = re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)

    def agency(self, text: str) -> str | None:
        found = self._re.search(text)
        return self._agency.get(found.group(1).casefold()) if found else None

    @classmethod
    def from_registry(cls, registry: Any) -> KeywordMatcher:
        return cls((a.id, k) for a in registry.agencies() for k in a.keywords)


class TelegramListener(Collector):
    """One public channel or chat, read for messages that name an agency."""

    platform = "telegram"
    requests_per_second = 1.0

    def __init__(self, source: TelegramSource, chat: str, matcher: KeywordMatcher) -> None:
        name = chat.lstrip("@")
        super().__init__(name, f"listening in @{name}")
        self.source = source
        self.chat = name
        self.matcher = matcher

    def close(self) -> None:
        self.source.close()

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        entity = ctx.call(self.source.entity, self.chat)
        newest: tuple[datetime, str] | None = None
        for msg in _history(ctx, self.source, entity, ctx.horizon("messages")):
            created = _aware(msg.date)
            if newest is None or created > newest[0]:
                newest = (created, str(msg.id))
            agency = self.matcher.agency(str(getattr(msg, "message", None) or ""))
            if agency is not None:
                yield Observed(mention_event(self.chat, msg, agency))
            if ctx.stopping():
                return
        if newest is not None:
            yield Advance("messages", newest[0], newest[1])
