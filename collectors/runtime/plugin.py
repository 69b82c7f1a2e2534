"""What a collector plugin is, and what it hands to the runtime.

A plugin knows one platform: how to fetch from it, how to turn its objects
into comment events (CONTRACT §2), and how to read its rate-limit signals.
It yields items; the runtime (`collectors.runtime.runner`) produces them to
the bus, keeps checkpoints and the seen-set, retries and backs off, and keeps
each account's health and metrics.

A minimal plugin::

    class Wall(Collector):
        platform = "vk"

        def collect(self, ctx: PassContext) -> Iterator[Item]:
            horizon = ctx.horizon("posts")
            for post in ctx.call(self.api.posts, since=horizon):
                yield Observed(post_event(post))
                ids = set()
                for c in ctx.call(self.api.comments, post["id"]):
                    ids.add(str(c["id"]))
                    yield Observed(comment_event(c), deleted=c.get("deleted", False))
                yield Complete(str(post["id"]), ids)
            yield Advance("posts", newest_time, newest_id)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, TypeVar

T = TypeVar("T")


# -- what goes wrong, as the platform signals it -------------------------------


class CollectorError(Exception):
    """Base of the errors a plugin raises; `str()` is one line for a person."""


class RateLimited(CollectorError):
    """The platform asked us to wait (VK 6/9/29, HTTP 429, Graph API usage).

    `retry_after` is the wait the platform named, in seconds, or None when it
    named none and the runtime's back-off decides.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TransientError(CollectorError):
    """A failure worth retrying: network errors, 5xx, the platform's internal errors."""


class AuthFailed(CollectorError):
    """The token or session is missing, invalid, expired or lacks a permission."""


class Unavailable(CollectorError):
    """One object cannot be read (comments closed, post deleted, private):
    the plugin skips it and goes on."""


# -- what a plugin yields --------------------------------------------------------


@dataclass(slots=True)
class Observed:
    """A post or comment as the platform shows it now (kind comment, reply or
    post). The runtime publishes it when it is new, an edit when its text
    changed, a delete when it now shows as deleted, a restore when it is back."""

    event: dict[str, Any]
    deleted: bool = False


@dataclass(slots=True)
class Changed:
    """An explicit change from a live source (webhook, long poll): kind
    comment, reply, edit, delete or restore. Deletes and restores carry their
    own time in `edited_at` where the platform gives one."""

    event: dict[str, Any]


@dataclass(slots=True)
class Complete:
    """Every visible comment of `post_id` was listed in this pass (their ids
    in `present`): comments seen before and missing now were deleted."""

    post_id: str
    present: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Advance:
    """Move a checkpoint: stream `stream` is done up to time `at` and id `item_id`.
    Applied once everything yielded before it is durable on the bus."""

    stream: str
    at: datetime | None
    item_id: str | None = None


@dataclass(slots=True)
class AccountFacts:
    """What the platform says about the account itself (metrics). A count that is
    not a whole non-negative number (a platform answer of the wrong shape) is unknown."""

    followers: int | None = None
    posts: int | None = None

    def __post_init__(self) -> None:
        self.followers = _count(self.followers)
        self.posts = _count(self.posts)


def _count(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


Item = Observed | Changed | Complete | Advance | AccountFacts


@dataclass(frozen=True, slots=True)
class Watermark:
    at: datetime | None
    item_id: str | None


class PassContext(Protocol):
    """What the runtime offers a plugin during one pass."""

    run: str
    now: datetime

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call `fn` paced, retrying transient errors and riding out rate limits."""
        ...

    def checkpoint(self, stream: str) -> Watermark | None: ...

    def horizon(self, stream: str) -> datetime | None:
        """How far back to look: the older of the stream's watermark and the
        re-scan window; None on a first pass without `--since` (everything)."""
        ...

    def known_comments(self, post_id: str) -> int:
        """How many comments of `post_id` the seen-set holds as visible: a plugin
        compares it with the platform's count to find late comments on old posts."""
        ...

    def warn(self, message: str) -> None: ...

    def stopping(self) -> bool:
        """The pass should end: a stop was asked, or a live pass reached its time."""
        ...


class Collector(ABC):
    """One platform, one account: fetch and translate, nothing else."""

    platform: ClassVar[str]
    # pacing the runtime applies to `ctx.call`; the platform's documented limit
    requests_per_second: ClassVar[float] = 3.0

    def __init__(self, account: str, target: str) -> None:
        from collectors.runtime.backoff import Throttle

        self.account = account
        self.target = target
        # the runtime paces `ctx.call` with it; a client may hold it on the platform's word
        self.throttle = Throttle(self.requests_per_second)

    @abstractmethod
    def collect(self, ctx: PassContext) -> Iterable[Item]:
        """One pass: yield what the platform shows now."""

    def live(self, ctx: PassContext) -> Iterator[Item]:
        """Live events between passes (long poll, updates); a plugin without a
        live source yields nothing and the runtime polls on its interval.
        Raise `HistoryLost` when events may have been missed."""
        return iter(())

    def close(self) -> None:  # noqa: B027 - most plugins hold nothing to release
        """Release connections."""


class HistoryLost(CollectorError):
    """The live source lost events (VK long poll `failed`): run a backfill pass."""


def unix_time(ts: int | float | str) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC)


def iso_time(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()
