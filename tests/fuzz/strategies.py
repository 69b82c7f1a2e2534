"""Hypothesis strategies shared by the fuzz tests: comment events that are valid,
broken in every way the contract names, or merely odd."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from qulaq.events import KINDS, PLATFORMS

# CI runs each fuzz test for a bounded number of examples; QULAQ_FUZZ_EXAMPLES
# raises it for a longer local run.
EXAMPLES = int(os.environ.get("QULAQ_FUZZ_EXAMPLES", "300"))


def bounded(examples: int = EXAMPLES, **kwargs: Any) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **kwargs,
    )


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
plausible_times = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
)
any_times = st.datetimes(timezones=offsets | st.just(UTC))
timestamp_strings = (
    plausible_times.map(lambda d: d.isoformat())
    | any_times.map(lambda d: d.isoformat())
    | st.datetimes().map(lambda d: d.isoformat())  # no offset
    | st.text(max_size=45)
)

ids = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "" and "\x00" not in s)
texts = st.text(max_size=200) | st.sampled_from(
    [
        "",
        "x" * 20_000,
        "a\x00b",
        "\u202eRTL\u202c",
        "<script>alert(1)</script>",
        "'); DROP TABLE comments; --",
    ]
)


@st.composite
def valid_events(draw: st.DrawFn) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "platform": draw(st.sampled_from(sorted(PLATFORMS))),
        "account": draw(ids),
        "comment_id": draw(ids),
        "text": draw(texts),
        "created_at": draw(plausible_times).isoformat(),
    }
    kind = draw(st.sampled_from([None, *sorted(KINDS)]))
    if kind is not None:
        ev["kind"] = kind
    optional = {
        "agency": ids,
        "post_id": ids,
        "parent_id": ids,
        "author_id": ids,
        "author_name": ids,
        "lang": st.sampled_from(["kk", "ru", "en", "mixed"]),
        "likes": st.integers(min_value=0, max_value=2_000_000_000),
        "url": st.just("https://example.org/p/1"),
        "is_official_reply": st.booleans(),
        "edited_at": plausible_times.map(lambda d: d.isoformat()),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            ev[name] = draw(strategy)
    return ev


# values at the edges of what the backends and the calendar arithmetic take
EDGES = [
    2**31,
    2**63 - 1,
    1e300,
    -1,
    0.5,
    "y" * 600,
    "y" * 17,
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "1899-12-31T23:00:00+00:00",
]


@st.composite
def mutated_events(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event with some fields removed, retyped or given odd values."""
    ev = draw(valid_events())
    names = [*ev, "likes", "edited_at", "kind", "lang", "created_at", "extra"]
    for name in draw(st.lists(st.sampled_from(names), max_size=4)):
        action = draw(st.sampled_from(["drop", "json", "time", "big", "nul"]))
        if action == "drop":
            ev.pop(name, None)
        elif action == "json":
            ev[name] = draw(json_values)
        elif action == "time":
            ev[name] = draw(timestamp_strings)
        elif action == "big":
            ev[name] = draw(st.sampled_from(EDGES))
        else:
            ev[name] = "a\x00b"
    return ev


FIELD_EDGES: dict[str, list[Any]] = {
    "created_at": EDGES[7:],
    "edited_at": EDGES[7:],
    "likes": [2**31 - 1, 2**31, 2**63 - 1, 1e300, 0.0],
    "lang": ["y" * 16, "y" * 17, "a\x00"],
    "author_name": ["a\x00b", "", "x" * 5000],
    "account": ["a\x00b", "x" * 502, "x" * 503, "İ" * 300],
    "comment_id": ["a\x00b", "x" * 512, "x" * 513],
    "post_id": ["a\x00b", "x" * 513],
    "agency": ["a\x00b", "x" * 513, "unknown-agency"],
    "url": ["a\x00b", "javascript:alert(1)"],
    "text": ["\x00" * 10, "x" * 300_000],
}


@st.composite
def edge_events(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event with one field at an edge of what storage and analysis take."""
    ev = draw(valid_events())
    name = draw(st.sampled_from(sorted(FIELD_EDGES)))
    ev[name] = draw(st.sampled_from(FIELD_EDGES[name]))
    return ev


def as_line(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


@st.composite
def broken_lines(draw: st.DrawFn) -> bytes:
    """Bytes that are not an acceptable event: not UTF-8, not JSON, not an object,
    a valid line cut short, or an event with a field of the wrong form."""
    kind = draw(st.sampled_from(["bytes", "cut", "array", "missing", "platform", "no_offset"]))
    if kind == "bytes":
        return b"\xff" + draw(st.binary(max_size=40)).replace(b"\n", b" ")
    valid = draw(valid_events())
    if kind == "cut":
        line = as_line(valid)
        return line[: draw(st.integers(min_value=1, max_value=len(line) - 1))].replace(b"\n", b" ")
    if kind == "array":
        return as_line([valid])
    if kind == "missing":
        valid.pop(
            draw(st.sampled_from(["platform", "account", "comment_id", "text", "created_at"]))
        )
        return as_line(valid)
    if kind == "platform":
        return as_line({**valid, "platform": "myspace"})
    return as_line({**valid, "created_at": "2026-01-05T10:15:00"})
