"""The VK wall collector: posts, comments and their threads, live events by Long Poll."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from collectors.runtime import (
    AccountFacts,
    Advance,
    AuthFailed,
    Collector,
    CollectorError,
    Complete,
    HistoryLost,
    Item,
    Observed,
    PassContext,
    RateLimited,
    Unavailable,
    iso_time,
    unix_time,
)
from collectors.vk.api import VkApi
from collectors.vk.events import change_of, comment_event, names_of, post_event

PAGE = 100  # the most wall.get and wall.getComments return at once
THREAD_INLINE = 10  # the most replies wall.getComments inlines per comment
LONG_POLL_WAIT = 25


class VkWall(Collector):
    platform = "vk"
    # 3 a second for a user token, 20 for a community token; the lower is safe
    requests_per_second = 3.0

    def __init__(
        self,
        api: VkApi,
        owner: int,
        *,
        long_poll: bool = False,
        count_window: timedelta = timedelta(days=90),
    ) -> None:
        super().__init__(str(owner), f"wall {owner}")
        # posts older than the re-scan window but younger than this are re-read
        # when their comment count changed
        self.count_window = count_window
        self.api = api
        self.owner = owner
        self.long_poll = long_poll and owner < 0
        self._poll: dict[str, Any] | None = None

    def close(self) -> None:
        self.api.close()

    # -- a pass ----------------------------------------------------------------

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        facts = self._facts(ctx)
        horizon = ctx.horizon("posts")
        newest: tuple[datetime, str] | None = None
        total: int | None = None
        counted = ctx.now - self.count_window if horizon is not None else None
        if counted is not None and horizon is not None:
            counted = min(counted, horizon)
        for post, count in self._posts(ctx, counted):
            total = count
            created = unix_time(post["date"])
            if newest is None or created > newest[0]:
                newest = (created, str(post["id"]))
            if horizon is not None and created < horizon and not self._count_changed(ctx, post):
                continue
            yield Observed(post_event(self.owner, post))
            yield from self._comments(ctx, post)
            if ctx.stopping():
                return
        yield AccountFacts(followers=facts, posts=total)
        if newest is not None:
            yield Advance("posts", newest[0], newest[1])

    def _count_changed(self, ctx: PassContext, post: dict[str, Any]) -> bool:
        """An old post is re-read only when VK counts other comments than we hold."""
        count = (post.get("comments") or {}).get("count")
        return count is None or int(count) != ctx.known_comments(str(post["id"]))

    def _facts(self, ctx: PassContext) -> int | None:
        try:
            if self.owner < 0:
                resp = ctx.call(
                    self.api.call, "groups.getById", group_id=-self.owner, fields="members_count"
                )
                groups = resp.get("groups") if isinstance(resp, dict) else resp
                return int(groups[0].get("members_count")) if groups else None
            resp = ctx.call(
                self.api.call, "users.get", user_ids=self.owner, fields="followers_count"
            )
            return int(resp[0].get("followers_count")) if resp else None
        except (AuthFailed, RateLimited):
            raise
        except (CollectorError, TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            ctx.warn(f"follower count unavailable: {exc}")
            return None

    def _posts(
        self, ctx: PassContext, horizon: datetime | None
    ) -> Iterator[tuple[dict[str, Any], int]]:
        """Posts newest first, down to `horizon` (pinned posts wherever they are)."""
        offset = 0
        seen: set[int] = set()
        while True:
            resp = ctx.call(
                self.api.call, "wall.get", owner_id=self.owner, offset=offset, count=PAGE
            )
            items = resp.get("items") or []
            count = int(resp.get("count") or 0)
            older = False
            for post in items:
                if post["id"] in seen:  # a new post pushed the page down
                    continue
                seen.add(post["id"])
                if horizon is not None and unix_time(post["date"]) < horizon:
                    if not post.get("is_pinned"):
                        older = True
                    continue
                yield post, count
            offset += len(items)
            if older or not items or offset >= count:
                return

    def _comments(self, ctx: PassContext, post: dict[str, Any]) -> Iterator[Item]:
        post_id = post["id"]
        present: set[str] = set()
        expected = (post.get("comments") or {}).get("count")
        if expected == 0:
            yield Complete(str(post_id), present)
            return
        try:
            offset = 0
            while True:
                resp = ctx.call(
                    self.api.call,
                    "wall.getComments",
                    owner_id=self.owner,
                    post_id=post_id,
                    offset=offset,
                    count=PAGE,
                    sort="asc",
                    need_likes=1,
                    extended=1,
                    thread_items_count=THREAD_INLINE,
                )
                items = resp.get("items") or []
                names = names_of(resp)
                for c in items:
                    yield from self._one(post_id, c, names, present)
                    thread = c.get("thread") or {}
                    inline = thread.get("items") or []
                    for r in inline:
                        yield from self._one(post_id, r, names, present)
                    if int(thread.get("count") or 0) > len(inline):
                        yield from self._thread(ctx, post_id, c["id"], present)
                offset += len(items)
                level = int(resp.get("current_level_count", resp.get("count")) or 0)
                if not items or offset >= level:
                    break
        except Unavailable as exc:
            ctx.warn(f"post {post_id}: comments unavailable ({exc})")
            return
        yield Complete(str(post_id), present)

    def _thread(
        self, ctx: PassContext, post_id: int, root: int, present: set[str]
    ) -> Iterator[Item]:
        """The replies to `root` past the inline page, fetched by comment_id."""
        offset = 0
        while True:
            resp = ctx.call(
                self.api.call,
                "wall.getComments",
                owner_id=self.owner,
                post_id=post_id,
                comment_id=root,
                offset=offset,
                count=PAGE,
                sort="asc",
                need_likes=1,
                extended=1,
            )
            items = resp.get("items") or []
            names = names_of(resp)
            for r in items:
                yield from self._one(post_id, r, names, present)
            offset += len(items)
            if not items or offset >= int(resp.get("count") or 0):
                return

    def _one(
        self, post_id: int, c: dict[str, Any], names: dict[int, str], present: set[str]
    ) -> Iterator[Item]:
        ev = comment_event(self.owner, post_id, c, names)
        deleted = bool(c.get("deleted"))
        if not deleted:
            present.add(ev["comment_id"])
        yield Observed(ev, deleted=deleted)

    # -- live events -----------------------------------------------------------

    def live(self, ctx: PassContext) -> Iterator[Item]:
        """Bots Long Poll: wall_reply_new/_edit/_delete/_restore as they happen.
        Needs a community token and Long Poll enabled with these event types."""
        if not self.long_poll:
            return
        while not ctx.stopping():
            if self._poll is None:
                self._poll = dict(
                    ctx.call(self.api.call, "groups.getLongPollServer", group_id=-self.owner)
                )
            poll = self._poll
            answer = ctx.call(
                self.api.get_json,
                str(poll["server"]),
                {"act": "a_check", "key": poll["key"], "ts": poll["ts"], "wait": LONG_POLL_WAIT},
                LONG_POLL_WAIT + 10,
            )
            failed = answer.get("failed")
            if failed == 1:
                poll["ts"] = answer.get("ts", poll["ts"])
                raise HistoryLost("long poll history is partly lost (failed 1)")
            if failed in (2, 3):
                self._poll = None
                raise HistoryLost(f"long poll key or history expired (failed {failed})")
            poll["ts"] = answer.get("ts", poll["ts"])
            now = iso_time(datetime.now(UTC))
            for update in answer.get("updates") or ():
                change = change_of(update, self.owner, now)
                if change is not None:
                    yield change
