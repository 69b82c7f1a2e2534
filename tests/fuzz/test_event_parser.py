"""The event parser on any input: an event or `InvalidEvent` with a one-line
reason, never another exception; what it accepts survives its own wire form."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import example, given
from hypothesis import strategies as st

from qulaq.events import CommentEvent, InvalidEvent, parse_event
from tests.fuzz.strategies import (
    as_line,
    bounded,
    broken_lines,
    json_values,
    mutated_events,
    valid_events,
)


def parse_or_reason(raw: bytes | str) -> CommentEvent | str:
    try:
        return parse_event(raw)
    except InvalidEvent as exc:
        reason = str(exc)
        assert reason and "\n" not in reason, repr(reason)
        return reason


@bounded()
@given(st.binary(max_size=300))
@example(
    b'{"platform":"vk","account":"a","comment_id":"c","text":"","created_at":"0001-01-01T00:00:00+05:00"}'
)
@example(
    b'{"platform":"vk","account":"a","comment_id":"c","text":"","created_at":"9999-12-31T23:59:59-05:00"}'
)
@example(
    b'{"platform":"vk","account":"a","comment_id":"c","text":"","created_at":"2026-01-01T00:00:00Z","likes":1e300}'
)
def test_any_bytes(raw: bytes) -> None:
    parse_or_reason(raw)


@bounded()
@given(st.text(max_size=200))
def test_any_text(raw: str) -> None:
    parse_or_reason(raw)


@bounded()
@given(json_values)
def test_any_json_value(value: Any) -> None:
    parse_or_reason(as_line(value))


@bounded()
@given(mutated_events())
def test_events_with_odd_fields(obj: dict[str, Any]) -> None:
    result = parse_or_reason(as_line(obj))
    if isinstance(result, CommentEvent):
        # whatever is accepted can be stored on every backend
        for name in ("account", "comment_id", "post_id", "parent_id", "agency", "author_name"):
            value = getattr(result, name)
            assert value is None or "\x00" not in value
        assert result.likes is None or 0 <= result.likes < 2**31
        assert result.lang is None or len(result.lang) <= 16
        assert 1900 <= result.created_at.year <= 2999


@bounded()
@given(broken_lines())
def test_broken_lines_are_rejected(raw: bytes) -> None:
    assert isinstance(parse_or_reason(raw), str)


@bounded()
@given(valid_events())
def test_valid_events_round_trip(obj: dict[str, Any]) -> None:
    event = parse_event(as_line(obj))
    assert parse_event(event.to_json()) == event
    assert (event.platform, event.account, event.comment_id) == (
        obj["platform"],
        obj["account"],
        obj["comment_id"],
    )
    assert event.text == obj["text"]
    assert event.kind == obj.get("kind", "comment")


@bounded()
@given(valid_events(), st.data())
def test_truncated_valid_lines_are_rejected(obj: dict[str, Any], data: st.DataObject) -> None:
    line = orjson.dumps(obj)
    cut = data.draw(st.integers(min_value=0, max_value=len(line) - 1))
    assert isinstance(parse_or_reason(line[:cut]), str)
