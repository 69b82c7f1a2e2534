"""The Facebook Page collector: the page's posts and every comment on them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from collectors.facebook.events import comment_event, post_event
from collectors.facebook.graph import GraphApi
from collectors.runtime import (
    AccountFacts,
    Advance,
    Collector,
    Complete,
    Item,
    Observed,
    PassContext,
    Unavailable,
)

POST_FIELDS = (
    "id,message,story,created_time,updated_time,permalink_url,"
    "comments.filter(stream).limit(0).summary(true)"
)
COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},like_count,permalink_url"


class FacebookPage(Collector):
    platform = "facebook"
    # the Graph API budgets calls per hour, not per second; the usage headers steer
    requests_per_second = 5.0

    def __init__(
        self, api: GraphApi, page: str, *, count_window: timedelta = timedelta(days=90)
    ) -> None:
        super().__init__(page, f"page {page}")
        # posts older than the re-scan window but younger than this are re-read
        # when their comment count changed
        self.count_window = count_window
        self.api = api
        self.api.throttle = self.throttle
        self.page = page

    def close(self) -> None:
        self.api.close()

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        followers = self._followers(ctx)
        horizon = ctx.horizon("posts")
        newest: tuple[datetime, str] | None = None
        counted = min(horizon, ctx.now - self.count_window) if horizon else None
        since = int(counted.timestamp()) if counted else None
        for post in self.api.pages(
            ctx, f"{self.page}/posts", fields=POST_FIELDS, limit=100, since=since
        ):
            ev = post_event(self.page, post)
            created = datetime.fromisoformat(ev["created_at"])
            if counted is not None and created < counted:
                continue
            if newest is None or created > newest[0]:
                newest = (created, ev["comment_id"])
            if horizon is not None and created < horizon and not self._count_changed(ctx, post):
                continue
            yield Observed(ev)
            yield from self._comments(ctx, ev["comment_id"])
            if ctx.stopping():
                return
        yield AccountFacts(followers=followers)
        if newest is not None:
            yield Advance("posts", newest[0], newest[1])

    def _count_changed(self, ctx: PassContext, post: dict[str, Any]) -> bool:
        """An old post is re-read only when the Graph API counts other comments."""
        summary = (post.get("comments") or {}).get("summary") or {}
        count = summary.get("total_count")
        return not isinstance(count, int) or count != ctx.known_comments(str(post["id"]))

    def _followers(self, ctx: PassContext) -> int | None:
        try:
            node = ctx.call(self.api.get, self.page, fields="followers_count,fan_count,name")
        except Unavailable as exc:
            ctx.warn(f"follower count unavailable: {exc}")
            return None
        value = node.get("followers_count", node.get("fan_count"))
        return int(value) if isinstance(value, int) else None

    def _comments(self, ctx: PassContext, post_id: str) -> Iterator[Item]:
        present: set[str] = set()
        try:
            # filter=stream: replies too, flat, each with its parent
            for c in self.api.pages(
                ctx,
                f"{post_id}/comments",
                filter="stream",
                order="chronological",
                fields=COMMENT_FIELDS,
                limit=100,
            ):
                ev = comment_event(self.page, post_id, c)
                present.add(ev["comment_id"])
                yield Observed(ev)
        except Unavailable as exc:
            ctx.warn(f"post {post_id}: comments unavailable ({exc})")
            return
        yield Complete(post_id, present)
