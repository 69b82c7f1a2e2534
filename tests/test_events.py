"""The comment event's validation: every broken form is rejected with a reason,
every odd but valid form is accepted unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import orjson
import pytest

from qulaq.events import InvalidEvent, parse_event

BASE = {
    "platform": "instagram",
    "account": "akimat_almaty",
    "comment_id": "c1",
    "text": "Когда дадут отопление?",
    "created_at": "2026-01-05T10:15:00+05:00",
}


def line(**changes: object) -> bytes:
    obj = {**BASE, **changes}
    return orjson.dumps({k: v for k, v in obj.items() if v is not ...})


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"platform": "vk", ', "JSON"),
        (b"[1, 2, 3]", "not a JSON object but an array"),
        (b'"just a string"', "not a JSON object but a string"),
        (b"42", "not a JSON object but a number"),
        (line(text=...), "missing required field text"),
        (line(platform=..., account=...), "missing required fields platform, account"),
        (line(created_at=None), "required field created_at is null"),
        (line(created_at=None, text=None), "required fields text, created_at are null"),
        (line(platform="myspace"), "unknown platform 'myspace'"),
        (line(platform=7), "platform must be a string"),
        (line(created_at="2026-01-05T10:15:00"), "has no UTC offset"),
        (line(created_at="2026-01-05"), "has no UTC offset"),
        (line(created_at="yesterday"), "not an ISO 8601 timestamp"),
        (line(created_at=1767590100), "created_at must be an ISO 8601 string, not a number"),
        (line(text=123), "text must be a string, not a number"),
        (line(text=None), "required field text is null"),
        (line(created_at="1900-01-01T00:00:00+05:00"), "outside the years 1900-2999 (UTC)"),
        (line(comment_id=["a"]), "comment_id must be a string, not an array"),
        (line(comment_id=""), "comment_id is empty"),
        (line(likes="many"), "likes must be a non-negative integer"),
        (line(likes=-1), "likes must be a non-negative integer, not -1"),
        (line(likes=2.5), "likes must be a non-negative integer, not 2.5"),
        (line(created_at="2026-01-05T10:15:00+25:00"), "impossible UTC offset"),
        (line(likes=True), "likes must be a non-negative integer"),
        (line(is_official_reply="yes"), "is_official_reply must be true or false"),
        (line(kind="retweet"), "unknown kind 'retweet'"),
        (line(edited_at="2026-01-05 11:00"), "edited_at"),
        (b'{"text": "\\ud800"}', "JSON"),
    ],
)
def test_broken_events_are_rejected_with_their_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        parse_event(raw)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 200_000,
        "null\x00byte\x00inside",
        "\u202eevil right-to-left override",
        "<script>alert('x')</script>",
        "'; DROP TABLE comments; --",
        "   \t  ",
        "🔥🔥🔥😡",
        "",
    ],
)
def test_odd_but_valid_texts_are_kept_whole(text: str) -> None:
    ev = parse_event(line(text=text))
    assert ev.text == text


def test_optional_fields_and_times() -> None:
    ev = parse_event(
        line(
            kind="edit",
            edited_at="2026-01-05T11:00:00Z",
            likes=3,
            is_official_reply=True,
            agency="akimat-almaty",
            parent_id="p9",
            extra_field={"ignored": True},
        )
    )
    assert ev.kind == "edit"
    assert ev.created_at == datetime(2026, 1, 5, 5, 15, tzinfo=UTC)
    assert ev.edited_at == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    assert ev.version_at == ev.edited_at
    assert (ev.likes, ev.is_official_reply, ev.agency) == (3, True, "akimat-almaty")
    assert ev.identity == ("instagram", "akimat_almaty", "c1")


def test_round_trip_through_json() -> None:
    ev = parse_event(line(author_id="u1", url="https://example.org/p/1", lang="ru"))
    again = parse_event(ev.to_json())
    assert again == ev


def _twice(key: str, base: bytes | None = None) -> bytes:
    """A valid line (BASE) with `key` written once more, last, with another value."""
    return (base or line())[:-1] + f',"{key}":"second"}}'.encode()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (_twice("text"), "text"),
        (_twice("comment_id"), "comment_id"),
        (_twice("lang", line(lang="ru")), "lang"),  # an optional field too
        (_twice("extra_field"), None),  # written once: not a repeat
        (line()[:-1] + b',"extra":1,"extra":2}', "extra"),  # any top-level key counts
        (orjson.dumps(BASE).replace(b'":', b'" :'), None),  # blanks everywhere, no repeat
        (orjson.dumps(BASE).replace(b'":', b'" :')[:-1] + b',"text" : "b"}', "text"),
        (line()[:-1] + b',"te\\u0078t":"b"}', "text"),  # the same key, escaped
        (line(text='she wrote "a": "b"')[:-1] + b',"text":"c"}', "text"),  # ": in a text
        (line(nested={"a": 1, "b": {"c": 2}})[:-1] + b',"account":"x"}', "account"),
        (line(nested={"a": 1})[:-1].replace(b'"a":1', b'"a":1,"a":2') + b"}", None),
    ],
    ids=[
        "text",
        "comment_id",
        "lang",
        "once",
        "unknown-field",
        "all-spaced-no-repeat",
        "all-spaced",
        "escaped",
        "quote-colon-in-text",
        "beside-a-nested-object",
        "inside-a-nested-object",
    ],
)
def test_a_key_named_twice_is_rejected_not_resolved(raw: bytes, key: str | None) -> None:
    """orjson would keep the last value silently: a line that names a field twice is
    ambiguous, so it goes to quarantine. Only the event's own (top-level) keys count."""
    if key is None:
        assert parse_event(raw).text == BASE["text"]
        return
    with pytest.raises(InvalidEvent) as info:
        parse_event(raw)
    assert str(info.value) == f'duplicate key "{key}"'


def test_every_distinct_field_is_still_accepted_as_written() -> None:
    full = line(
        agency="akimat-almaty",
        post_id="p1",
        parent_id="c0",
        author_id="u1",
        author_name="Дана",
        lang="ru",
        likes=2,
        url="https://example.org/p/1",
        kind="reply",
        is_official_reply=False,
        edited_at="2026-01-05T11:00:00+05:00",
    )
    assert parse_event(full).post_id == "p1"
    assert parse_event(json.dumps(orjson.loads(full), ensure_ascii=False)).likes == 2
