"""The batch processes' garbage collector: rarer, but cycles are still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from qulaq import gc_tuning


@pytest.fixture
def restored_gc() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


class _Node:
    other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_settle_collects_young_objects_rarely(restored_gc: None) -> None:
    gc_tuning.settle()
    assert gc.get_threshold()[0] == gc_tuning.YOUNG_THRESHOLD
    assert gc.get_freeze_count() > 0  # what existed is out of the collector's sight


def test_reference_cycles_are_still_collected_after_settle(restored_gc: None) -> None:
    gc_tuning.settle()
    dead = _cycle()
    assert dead() is not None  # reference counting alone cannot free a cycle
    kept: list[list[int]] = [[] for _ in range(3 * gc_tuning.YOUNG_THRESHOLD)]  # allocations
    assert dead() is None
    assert len(kept) == 3 * gc_tuning.YOUNG_THRESHOLD
