"""The YouTube collector: a channel's uploads and every comment thread on them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

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
from collectors.youtube.api import YouTubeApi
from collectors.youtube.events import comment_event, video_event

INLINE_REPLIES = 5  # commentThreads carries at most this many replies


class YouTubeChannel(Collector):
    platform = "youtube"
    # the budget is a daily quota (10,000 units, 1 a list call), not a rate
    requests_per_second = 5.0

    def __init__(self, api: YouTubeApi, channel: str) -> None:
        super().__init__(channel, f"channel {channel}")
        self.api = api
        self.channel = channel

    def close(self) -> None:
        self.api.close()

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        found = (
            ctx.call(
                self.api.get, "channels", part="contentDetails,statistics", id=self.channel
            ).get("items")
            or []
        )
        if not found:
            raise Unavailable(f"channel {self.channel} not found")
        uploads = found[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        stats = found[0].get("statistics") or {}
        horizon = ctx.horizon("videos")
        newest: tuple[datetime, str] | None = None
        for item in self._pages(
            ctx, "playlistItems", part="snippet,contentDetails", playlistId=uploads, maxResults=50
        ):
            ev = video_event(self.channel, item)
            created = datetime.fromisoformat(ev["created_at"])
            if horizon is not None and created < horizon:
                break  # uploads come newest first
            if newest is None or created > newest[0]:
                newest = (created, ev["comment_id"])
            yield Observed(ev)
            yield from self._threads(ctx, ev["comment_id"])
            if ctx.stopping():
                return
        yield AccountFacts(
            followers=None
            if stats.get("hiddenSubscriberCount")
            else _int(stats.get("subscriberCount")),
            posts=_int(stats.get("videoCount")),
        )
        if newest is not None:
            yield Advance("videos", newest[0], newest[1])

    def _pages(self, ctx: PassContext, resource: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            body = ctx.call(self.api.get, resource, pageToken=token, **params)
            yield from body.get("items") or []
            token = body.get("nextPageToken")
            if not token:
                return

    def _threads(self, ctx: PassContext, video: str) -> Iterator[Item]:
        present: set[str] = set()
        try:
            for thread in self._pages(
                ctx,
                "commentThreads",
                part="snippet,replies",
                videoId=video,
                maxResults=100,
                textFormat="plainText",
            ):
                top = thread["snippet"]["topLevelComment"]
                ev = comment_event(self.channel, video, top)
                present.add(ev["comment_id"])
                yield Observed(ev)
                inline = (thread.get("replies") or {}).get("comments") or []
                total = int(thread["snippet"].get("totalReplyCount") or 0)
                replies = (
                    inline
                    if total <= len(inline)
                    else self._pages(
                        ctx,
                        "comments",
                        part="snippet",
                        parentId=thread["id"],
                        maxResults=100,
                        textFormat="plainText",
                    )
                )
                for r in replies:
                    rev = comment_event(self.channel, video, r, parent=str(top["id"]))
                    present.add(rev["comment_id"])
                    yield Observed(rev)
        except Unavailable as exc:
            ctx.warn(f"video {video}: comments unavailable ({exc})")
            return
        yield Complete(video, present)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
