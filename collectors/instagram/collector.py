"""Instagram collectors: the Graph API for the agencies' professional accounts
(dependable), instaloader for public accounts (best effort)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from collectors.facebook.graph import GraphApi
from collectors.instagram.events import comment_event, loader_comment, media_event
from collectors.runtime import (
    AccountFacts,
    Advance,
    AuthFailed,
    Collector,
    CollectorError,
    Complete,
    Item,
    Observed,
    PassContext,
    RateLimited,
    TransientError,
    Unavailable,
)

MEDIA_FIELDS = "id,caption,timestamp,permalink,comments_count,like_count,media_type"
COMMENT_FIELDS = "id,text,timestamp,username,from{id,username},like_count,parent_id"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},like_count,parent_id"


class InstagramGraph(Collector):
    platform = "instagram"
    requests_per_second = 5.0

    def __init__(self, api: GraphApi, user_id: str) -> None:
        super().__init__(user_id, f"instagram user {user_id}")
        self.api = api
        self.api.throttle = self.throttle
        self.user_id = user_id

    def close(self) -> None:
        self.api.close()

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        node = ctx.call(self.api.get, self.user_id, fields="username,followers_count,media_count")
        own = frozenset({self.user_id, str(node.get("username") or "").lower()} - {""})
        horizon = ctx.horizon("media")
        newest: tuple[datetime, str] | None = None
        for media in self.api.pages(ctx, f"{self.user_id}/media", fields=MEDIA_FIELDS, limit=50):
            ev = media_event(self.user_id, media)
            created = datetime.fromisoformat(ev["created_at"])
            if horizon is not None and created < horizon:
                break  # media come newest first
            if newest is None or created > newest[0]:
                newest = (created, ev["comment_id"])
            yield Observed(ev)
            yield from self._comments(ctx, ev["comment_id"], media.get("comments_count"), own)
            if ctx.stopping():
                return
        yield AccountFacts(
            followers=_int(node.get("followers_count")), posts=_int(node.get("media_count"))
        )
        if newest is not None:
            yield Advance("media", newest[0], newest[1])

    def _comments(
        self, ctx: PassContext, media_id: str, count: Any, own: frozenset[str]
    ) -> Iterator[Item]:
        present: set[str] = set()
        if count == 0:
            yield Complete(media_id, present)
            return
        try:
            for c in self.api.pages(ctx, f"{media_id}/comments", fields=COMMENT_FIELDS, limit=50):
                ev = comment_event(self.user_id, media_id, c, own=own)
                present.add(ev["comment_id"])
                yield Observed(ev)
                for r in self.api.pages(ctx, f"{c['id']}/replies", fields=REPLY_FIELDS, limit=50):
                    rev = comment_event(self.user_id, media_id, r, parent=str(c["id"]), own=own)
                    present.add(rev["comment_id"])
                    yield Observed(rev)
        except Unavailable as exc:
            ctx.warn(f"media {media_id}: comments unavailable ({exc})")
            return
        yield Complete(media_id, present)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


class InstaloaderProfile(Collector):
    """A public profile through instaloader, logged in with a saved session.

    instaloader's own rate controller paces the queries; its waits go through
    `ctx`'s stop signal, and a wait longer than `max_wait` ends the pass as a
    rate limit instead of blocking for hours.
    """

    platform = "instagram"
    requests_per_second = 0.0  # instaloader paces itself

    def __init__(
        self,
        username: str,
        *,
        loader_factory: Callable[[Callable[[float], None]], Any],
        max_wait: float = 900.0,
    ) -> None:
        super().__init__(username, f"instagram profile {username} (instaloader)")
        self.username = username
        self._factory = loader_factory
        self._max_wait = max_wait
        self._stop = threading.Event()
        self._loader: Any = None

    def _sleep(self, seconds: float) -> None:
        if seconds > self._max_wait:
            raise RateLimited(
                f"instaloader's rate controller asks to wait {seconds:.0f} s", seconds
            )
        self._stop.wait(seconds)

    def collect(self, ctx: PassContext) -> Iterator[Item]:
        try:
            yield from self._collect(ctx)
        except CollectorError:
            raise
        except Exception as exc:
            raise translate_instaloader_error(exc, self.username) from None

    def _collect(self, ctx: PassContext) -> Iterator[Item]:
        import instaloader

        if self._loader is None:
            self._loader = self._factory(self._sleep)
        loader = self._loader
        profile = instaloader.Profile.from_username(loader.context, self.username)
        horizon = ctx.horizon("posts")
        newest: tuple[datetime, str] | None = None
        for post in profile.get_posts():
            created = post.date_utc.replace(tzinfo=UTC)
            if horizon is not None and created < horizon:
                if getattr(post, "is_pinned", False):
                    continue
                break
            shortcode = str(post.shortcode)
            if newest is None or created > newest[0]:
                newest = (created, shortcode)
            yield Observed(
                {
                    "platform": self.platform,
                    "account": self.username,
                    "comment_id": shortcode,
                    "text": str(post.caption or ""),
                    "created_at": created.isoformat(),
                    "kind": "post",
                    "url": f"https://www.instagram.com/p/{shortcode}/",
                }
            )
            present: set[str] = set()
            for c in post.get_comments():
                ev = loader_comment(self.username, shortcode, c, parent=None, own=self.username)
                present.add(ev["comment_id"])
                yield Observed(ev)
                for a in c.answers:
                    aev = loader_comment(
                        self.username, shortcode, a, parent=ev["comment_id"], own=self.username
                    )
                    present.add(aev["comment_id"])
                    yield Observed(aev)
            yield Complete(shortcode, present)
            if ctx.stopping():
                return
        yield AccountFacts(followers=_int(profile.followers), posts=_int(profile.mediacount))
        if newest is not None:
            yield Advance("posts", newest[0], newest[1])


def translate_instaloader_error(exc: Exception, username: str) -> CollectorError:
    """instaloader's exceptions as the runtime's, each with a line a person can act on."""
    name = type(exc).__name__
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    if name in (
        "LoginRequiredException",
        "BadCredentialsException",
        "LoginException",
        "TwoFactorAuthRequiredException",
    ):
        return AuthFailed(
            f"instaloader needs a valid saved session for this ({name}): log in with "
            "`instaloader --login USER` and pass --session-file"
        )
    if name == "TooManyRequestsException":
        return RateLimited(f"Instagram answered 429 Too Many Requests ({first})", 3600.0)
    if name in ("ProfileNotExistsException", "PrivateProfileNotFollowedException"):
        return Unavailable(f"profile {username} cannot be read: {first}")
    if name in ("QueryReturnedForbiddenException", "QueryReturnedBadRequestException"):
        return AuthFailed(
            f"Instagram refused the query ({name}: {first}); the session may be blocked"
        )
    if name in ("ConnectionException", "QueryReturnedNotFoundException"):
        return TransientError(f"instaloader: {first}")
    return CollectorError(f"instaloader: {name}: {first}")


def default_loader(
    session_file: str | None, login: str | None
) -> Callable[[Callable[[float], None]], Any]:
    def make(sleep: Callable[[float], None]) -> Any:
        import instaloader

        class Paced(instaloader.RateController):
            def sleep(self, secs: float) -> None:
                sleep(secs)

        loader = instaloader.Instaloader(
            quiet=True,
            download_pictures=False,
            download_videos=False,
            download_video_thumbnails=False,
            download_geotags=False,
            download_comments=False,
            save_metadata=False,
            compress_json=False,
            max_connection_attempts=1,
            rate_controller=lambda ctx: Paced(ctx),
        )
        if login:
            try:
                loader.load_session_from_file(login, session_file)
            except FileNotFoundError:
                raise AuthFailed(
                    f"no saved instaloader session for {login}"
                    + (f" at {session_file}" if session_file else "")
                    + ": run `instaloader --login "
                    + login
                    + "` once"
                ) from None
        return loader

    return make
