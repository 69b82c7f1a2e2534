"""The benchmark's stream: distinct comments whose replies still name their parents,
so answering and threads are part of the measured work."""

from __future__ import annotations

import orjson

from bench.pipeline import make_events


def test_renumbered_replies_name_comments_of_the_stream() -> None:
    events = [orjson.loads(line) for line in make_events(3000)]
    ids = [(e["platform"], e["account"], e["comment_id"]) for e in events]
    assert len(set(ids)) == len(ids)
    replies = [e for e in events if e.get("parent_id")]
    assert replies
    known = set(ids)
    found = [r for r in replies if (r["platform"], r["account"], r["parent_id"]) in known]
    # a reply's parent came earlier in the generator's stream, unless it is older
    # than the stream's first comment
    assert len(found) >= 0.9 * len(replies)
