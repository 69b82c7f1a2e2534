"""The comment event, schema version 1 (CONTRACT §2), validated at the edge.

`parse_event` turns one raw line (bytes) into a `CommentEvent` or raises
`InvalidEvent` whose message is the one-line reason stored in quarantine.
It is pure and cheap: every comment passes through it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

SCHEMA_VERSION = 1
PLATFORMS = frozenset({"instagram", "facebook", "vk", "telegram", "x", "youtube", "tiktok", "web"})
KINDS = frozenset({"comment", "reply", "edit", "delete"})
# Extensions beyond schema version 1: agency posts (never counted as comments)
# and restores of deleted comments (VK's wall_reply_restore).
EXTENSION_KINDS = frozenset({"post", "restore"})
REQUIRED = ("platform", "account", "comment_id", "text", "created_at")
_OPTIONAL_STR = ("agency", "post_id", "parent_id", "author_id", "author_name", "lang", "url")
_MAX_ID = 512
# an unknown account's agency id is "platform:account", also at most _MAX_ID
_MAX_ACCOUNT = _MAX_ID - len("instagram:")
# what every backend stores: PostgreSQL's INTEGER, the declared-language column
_MAX_LIKES = 2_147_483_647
_MAX_LANG = 16
# Event time is never too old to process, but a year the calendar arithmetic of
# the later stages (local days, windows, baselines) cannot represent is broken data.
MIN_YEAR, MAX_YEAR = 1900, 2999
# A platform's clock and ours differ by seconds; a time more than a day ahead of ours
# is a wrong date (a typo, a wrong year or time zone), and taken as the newest time it
# would stall an agency's detectors and shift the dashboard's "now".
MAX_AHEAD = timedelta(days=1)


class InvalidEvent(ValueError):
    """The event cannot be accepted; the message says why, in one line."""


@dataclass(slots=True)
class CommentEvent:
    platform: str
    account: str
    comment_id: str
    text: str
    created_at: datetime
    kind: str = "comment"
    agency: str | None = None
    post_id: str | None = None
    parent_id: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    lang: str | None = None
    likes: int | None = None
    url: str | None = None
    is_official_reply: bool = False
    edited_at: datetime | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.platform, self.account, self.comment_id)

    @property
    def version_at(self) -> datetime:
        """The time of the text this event carries (an edit's own time)."""
        if self.kind == "edit" and self.edited_at is not None:
            return self.edited_at
        return self.created_at

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "platform": self.platform,
            "account": self.account,
            "comment_id": self.comment_id,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
        }
        for name in (*_OPTIONAL_STR, "likes"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.is_official_reply:
            out["is_official_reply"] = True
        if self.edited_at is not None:
            out["edited_at"] = self.edited_at.isoformat()
        return out

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


def parse_event(raw: bytes | str, *, allow_extensions: bool = True) -> CommentEvent:
    """Parse and validate one event; raise `InvalidEvent` with the reason."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidEvent(_json_reason(raw, exc)) from None
    # orjson keeps the last of two values under one key silently. In the lines
    # producers write (orjson, json.dumps: no blank between a key and its colon)
    # each key is one `":`, so as many of those as distinct keys rules a repeat
    # out, for one scan (a few per cent of this function); any other count (a
    # nested object, a `":` inside a text, `"key" :` throughout) takes the careful
    # check. Not caught: a repeat written `"key" :` in a line whose other keys are
    # written `"key":`, when the counts still agree; counting blanks as well costs
    # twice as much on every line.
    if type(obj) is dict and raw.count(b'":') != len(obj):
        repeated = _repeated_key(raw)
        if repeated is not None:
            raise InvalidEvent(f"duplicate key {orjson.dumps(_clip(repeated)).decode()}")
    return event_from_dict(obj, allow_extensions=allow_extensions)


def event_from_dict(obj: Any, *, allow_extensions: bool = True) -> CommentEvent:
    if not isinstance(obj, dict):
        raise InvalidEvent(f"not a JSON object but {_json_type(obj)}")
    missing = [name for name in REQUIRED if name not in obj]
    if missing:
        raise InvalidEvent(
            "missing required field" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
        )
    null = [name for name in REQUIRED if obj[name] is None]
    if null:
        raise InvalidEvent(
            "required field"
            + (f"s {', '.join(null)} are null" if len(null) > 1 else f" {null[0]} is null")
        )
    platform = obj["platform"]
    if not isinstance(platform, str):
        raise InvalidEvent(f"platform must be a string, not {_json_type(platform)}")
    if platform not in PLATFORMS:
        raise InvalidEvent(f"unknown platform {_clip(platform)!r}")
    account = _id(obj, "account", _MAX_ACCOUNT)
    comment_id = _id(obj, "comment_id")
    text = obj["text"]
    if not isinstance(text, str):
        raise InvalidEvent(f"text must be a string, not {_json_type(text)}")
    created_at = _timestamp(obj, "created_at")

    kind = obj.get("kind")
    if kind is None:
        kind = "comment"
    elif not isinstance(kind, str):
        raise InvalidEvent(f"kind must be a string, not {_json_type(kind)}")
    elif kind not in KINDS and not (allow_extensions and kind in EXTENSION_KINDS):
        raise InvalidEvent(f"unknown kind {_clip(kind)!r}")

    optional: dict[str, str | None] = {}
    for name in _OPTIONAL_STR:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidEvent(f"{name} must be a string, not {_json_type(value)}")
        if value is not None and "\x00" in value:
            raise InvalidEvent(f"{name} contains a NUL character")
        optional[name] = value if value != "" else None
    for name in ("post_id", "parent_id", "agency"):
        value = optional[name]
        if value is not None and len(value) > _MAX_ID:
            raise InvalidEvent(f"{name} is longer than {_MAX_ID} characters")
    lang = optional["lang"]
    if lang is not None and len(lang) > _MAX_LANG:
        raise InvalidEvent(f"lang is longer than {_MAX_LANG} characters")

    likes = obj.get("likes")
    if likes is not None and (type(likes) is not int or likes < 0):
        if isinstance(likes, float) and likes.is_integer() and likes >= 0:
            likes = int(likes)
        else:
            raise InvalidEvent(f"likes must be a non-negative integer, not {_json_value(likes)}")
    if likes is not None and likes > _MAX_LIKES:
        raise InvalidEvent(f"likes {likes} is larger than {_MAX_LIKES}")
    official = obj.get("is_official_reply")
    if official is None:
        official = False
    elif not isinstance(official, bool):
        raise InvalidEvent(f"is_official_reply must be true or false, not {_json_value(official)}")
    edited_at = _timestamp(obj, "edited_at") if obj.get("edited_at") is not None else None

    return CommentEvent(
        platform=platform,
        account=account,
        comment_id=comment_id,
        text=text,
        created_at=created_at,
        kind=kind,
        agency=optional["agency"],
        post_id=optional["post_id"],
        parent_id=optional["parent_id"],
        author_id=optional["author_id"],
        author_name=optional["author_name"],
        lang=optional["lang"],
        likes=likes,
        url=optional["url"],
        is_official_reply=official,
        edited_at=edited_at,
    )


def ahead_of_clock(event: CommentEvent, now: datetime) -> str | None:
    """Why `event` cannot have been written by `now` (its time is more than `MAX_AHEAD`
    later), as a quarantine reason; None when it can."""
    for name, at in (("created_at", event.created_at), ("edited_at", event.edited_at)):
        if at is not None and at - now > MAX_AHEAD:
            # the times after the colon, so that replay's summary groups these lines
            return (
                f"{name} is more than a day ahead of this machine's clock: {at.isoformat()} "
                f"(clock {now.astimezone(UTC).isoformat(timespec='seconds')})"
            )
    return None


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 with an offset, as an aware datetime in UTC; ValueError otherwise."""
    if not 10 <= len(value) <= 40:
        raise ValueError("not an ISO 8601 timestamp")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        if "strictly between" in str(exc):  # +25:00
            raise ValueError("timestamp has an impossible UTC offset (beyond ±24 hours)") from None
        raise
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("timestamp has no UTC offset")
    try:
        utc = dt.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"timestamp is outside the years {MIN_YEAR}-{MAX_YEAR} (UTC)") from None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(f"timestamp is outside the years {MIN_YEAR}-{MAX_YEAR} (UTC)")
    return utc


def _id(obj: dict[str, Any], name: str, limit: int = _MAX_ID) -> str:
    value = obj[name]
    if not isinstance(value, str):
        raise InvalidEvent(f"{name} must be a string, not {_json_type(value)}")
    if not value.strip():
        raise InvalidEvent(f"{name} is empty")
    if "\x00" in value:
        raise InvalidEvent(f"{name} contains a NUL character")
    # lower-casing (agency ids, registry look-ups) lengthens some letters: İ → i̇
    if len(value) > limit or len(value.lower()) > limit:
        raise InvalidEvent(f"{name} is longer than {limit} characters")
    return value


def _timestamp(obj: dict[str, Any], name: str) -> datetime:
    value = obj[name]
    if not isinstance(value, str):
        raise InvalidEvent(f"{name} must be an ISO 8601 string, not {_json_type(value)}")
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        if "impossible UTC offset" in str(exc):
            raise InvalidEvent(
                f"{name} {_clip(value)!r} has an impossible UTC offset (beyond ±24 hours)"
            ) from None
        if "offset" in str(exc):
            raise InvalidEvent(f"{name} {_clip(value)!r} has no UTC offset") from None
        if "outside the years" in str(exc):
            raise InvalidEvent(
                f"{name} {_clip(value)!r} is outside the years {MIN_YEAR}-{MAX_YEAR} (UTC)"
            ) from None
        raise InvalidEvent(f"{name} {_clip(value)!r} is not an ISO 8601 timestamp") from None


def _repeated_key(raw: bytes) -> str | None:
    """The first key that the top-level object of `raw` (valid JSON) holds twice."""
    found: list[str | None] = [None]

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        # called for every object, innermost first: the last call is the top level
        seen: set[str] = set()
        found[0] = None
        for key, _ in items:
            if key in seen:
                found[0] = key
                break
            seen.add(key)
        return {}

    try:
        json.loads(raw, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # what orjson accepted and json does not
        return None
    return found[0]


def _json_reason(raw: bytes, exc: orjson.JSONDecodeError) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as ude:
        return f"not valid UTF-8 (byte {ude.start})"
    msg = str(exc).split(": line", 1)[0]
    return f"not valid JSON: {msg} (char {exc.pos})"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return repr(_clip(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _clip(repr(value))
    return _json_type(value)


def _clip(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
