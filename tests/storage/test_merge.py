"""The fold of events into a comment's state: any order, any number of
re-deliveries, the same result."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from qulaq.events import CommentEvent
from qulaq.models import Scored
from qulaq.storage.merge import merge, new_state

T0 = datetime(2026, 1, 5, 5, 0, tzinfo=UTC)
NOW = datetime(2026, 2, 1, tzinfo=UTC)


def item(
    kind: str,
    text: str = "",
    minutes: int = 0,
    edited: int | None = None,
    likes: int | None = None,
    agency: str | None = None,
) -> Scored:
    ev = CommentEvent(
        platform="vk",
        account="-1",
        comment_id="42",
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        kind=kind,
        likes=likes,
        agency=agency,
        edited_at=None if edited is None else T0 + timedelta(minutes=edited),
    )
    analysis = {"label": "negative" if "плохо" in text else "neutral"} if text else None
    return Scored(ev, agency or "vk:-1", agency is not None, None, analysis, "m1", "run", "o")


def fold(items: list[Scored]) -> dict:
    state = new_state(items[0], NOW)
    for it in items[1:]:
        merge(state, it)
    return {k: v for k, v in state.items() if k not in ("last_run", "first_run", "updated_at")}


ORIGINAL = item("comment", "всё хорошо", likes=1)
EDIT_1 = item("edit", "всё плохо", edited=10, likes=5)
EDIT_2 = item("edit", "всё совсем плохо", edited=20)
DELETE = item("delete", "", edited=30)


def test_edit_replaces_text_and_original_never_reverts_it() -> None:
    state = fold([ORIGINAL, EDIT_1, ORIGINAL])
    assert state["text"] == "всё плохо"
    assert state["sentiment"] == "negative"
    assert state["likes"] == 5
    assert state["has_original"] is True


def test_delete_is_kept_as_a_tombstone_that_a_redelivery_does_not_undo() -> None:
    state = fold([ORIGINAL, DELETE, ORIGINAL, EDIT_1])
    assert state["deleted"] is True
    assert state["text"] == "всё плохо"


def test_restore_after_delete_by_time() -> None:
    restore = item("restore", "", edited=40)
    assert fold([ORIGINAL, restore, DELETE])["deleted"] is False
    late_delete = item("delete", "", edited=50)
    assert fold([ORIGINAL, restore, late_delete, DELETE])["deleted"] is True


def test_delete_first_then_original_fills_the_tombstone() -> None:
    state = fold([DELETE, ORIGINAL])
    assert state["deleted"] is True
    assert state["text"] == "всё хорошо"
    assert state["has_original"] is True


def test_explicit_agency_wins_over_derived() -> None:
    named = item("comment", "всё хорошо", agency="akimat-almaty")
    assert fold([EDIT_1, named])["agency"] == "akimat-almaty"
    assert fold([named, EDIT_1])["agency"] == "akimat-almaty"


def test_every_order_gives_the_same_state() -> None:
    events = [ORIGINAL, EDIT_1, EDIT_2, DELETE]
    states = [fold(list(p)) for p in itertools.permutations(events)]
    assert all(s == states[0] for s in states)
    assert states[0]["text"] == "всё совсем плохо"
    assert states[0]["deleted"] is True


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([ORIGINAL, EDIT_1, EDIT_2, DELETE]), min_size=1, max_size=8),
    st.randoms(),
)
def test_order_and_duplicates_never_matter(events: list[Scored], rnd: object) -> None:
    shuffled = list(events)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert fold(events) == fold(shuffled) == fold(events + shuffled)
