"""The X collector: the account's own tweets, replies to them and mentions of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from collectors.runtime import (
    AccountFacts,
    Advance,
    Collector,
    Item,
    Observed,
    PassContext,
    iso_time,
)
from collectors.x.api import guarded
from collectors.x.events import _replied_to, identity, post_event, tweet_event

TWEET_FIELDS = [
    "created_at",
    "author_id",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "edit_history_tweet_ids",
    "public_metrics",
]


class XAccount(Collector):
    platform = "x"
    # mentions: 450 requests per 15 minutes on Pro, far fewer on Basic; the 429s steer
    requests_per_second = 1.0

    def __init__(self, client: Any, handle: str) -> None:
        name = handle.lstrip("@")
        super().__init__(name, f"x @{name}")
        self.client = client
        self.handle = name
        self._user_id: str | None = None

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        user = ctx.call(
            guarded, self.client.get_user, username=self.handle, user_fields=["public_metrics"]
        )["data"]
        user_id = str(user["id"])
        metrics = user.get("public_metrics") or {}
        own_posts: set[str] = set()
        newest: tuple[datetime, str] | None = None
        horizon = ctx.horizon("tweets")
        for tweet, users in self._timeline(ctx, self.client.get_users_tweets, user_id, horizon):
            if _replied_to(tweet) is None:
                own_posts.add(identity(tweet))
                yield Observed(post_event(self.account, self.handle, tweet))
            else:
                yield Observed(
                    tweet_event(self.account, user_id, tweet, own_posts=own_posts, users=users)
                )
            newest = _newer(newest, tweet)
        horizon = ctx.horizon("mentions")
        for tweet, users in self._timeline(ctx, self.client.get_users_mentions, user_id, horizon):
            if str(tweet.get("author_id")) == user_id:
                continue  # the account's own tweets came above
            yield Observed(
                tweet_event(self.account, user_id, tweet, own_posts=own_posts, users=users)
            )
            newest = _newer(newest, tweet)
        yield AccountFacts(
            followers=metrics.get("followers_count"), posts=metrics.get("tweet_count")
        )
        if newest is not None:
            for stream in ("tweets", "mentions"):
                yield Advance(stream, newest[0], newest[1])

    def _timeline(
        self, ctx: PassContext, method: Any, user_id: str, horizon: datetime | None
    ) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
        token: str | None = None
        while True:
            page = ctx.call(
                guarded,
                method,
                user_id,
                max_results=100,
                pagination_token=token,
                start_time=iso_time(horizon).replace("+00:00", "Z") if horizon else None,
                tweet_fields=TWEET_FIELDS,
                expansions=["author_id"],
                user_fields=["username"],
            )
            users = {
                str(u["id"]): str(u.get("username") or "")
                for u in (page.get("includes") or {}).get("users") or ()
            }
            for tweet in page.get("data") or ():
                yield tweet, users
            token = (page.get("meta") or {}).get("next_token")
            if not token or ctx.stopping():
                return


def _newer(
    newest: tuple[datetime, str] | None, tweet: dict[str, Any]
) -> tuple[datetime, str] | None:
    created = datetime.fromisoformat(tweet["created_at"])
    if newest is None or created > newest[0]:
        return created, str(tweet["id"])
    return newest
