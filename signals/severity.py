"""How severe a finding is: 1 (a figure to note) to 4 (a crisis under way).

Severity is earned. A volume spike alone is a 1 or a 2; it takes a clearly
negative surge with enough negative comments behind it to reach 3, and a
large, lasting one that spreads (several platforms, threats, rumours,
urgent appeals) to reach 4. Routine figures (the unanswered backlog, late
answers) never page anyone at 3; a burst of praise or greetings is a 1.
Pure functions over plain numbers, so they are tested with tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the window behind a finding shows."""

    ratio: float = 1.0  # observed / expected comment volume
    excess: float = 0.0  # observed - expected comments
    neg_share: float = 0.0  # share of negative comments in the window
    neg_base: float = 0.3  # the agency's usual share
    neg_excess: float = 0.0  # negative comments beyond the usual count
    neg_z: float = 0.0  # evidence that the share rose
    strong: int = 0  # threats and obscenity in the window
    aggressive: int = 0
    rumours: int = 0
    urgent: int = 0  # appeals about life, health, safety
    platforms: int = 1  # platforms where volume at least tripled
    persistence: int = 1  # 5-minute steps the condition has held


def negative_surge(e: Evidence) -> bool:
    """A surge that is clearly and substantially negative."""
    return e.ratio >= 3.0 and e.neg_share >= max(0.4, e.neg_base + 0.15) and e.neg_excess >= 20


def volume_severity(e: Evidence) -> int:
    if negative_surge(e):
        spread = (e.strong >= 2) + (e.rumours >= 5) + (e.platforms >= 2) + (e.urgent >= 5)
        if e.ratio >= 6.0 and e.persistence >= 6 and spread >= 2:
            return 4
        return 3
    if e.ratio >= 3.0 and e.excess >= 15 and e.neg_share >= e.neg_base + 0.1:
        return 2
    return 1


def negativity_severity(e: Evidence) -> int:
    if e.neg_z >= 6.0 and e.neg_excess >= 25 and e.neg_share >= 0.45 and e.ratio >= 1.5:
        return 3
    return 2


def aggression_severity(e: Evidence, *, crisis: bool) -> int:
    if e.strong >= 3 and (crisis or e.aggressive >= 20):
        return 3
    return 2


def rumour_severity(e: Evidence, *, crisis: bool) -> int:
    # the doctrine: answer on official platforms once many people spread it
    if crisis and e.rumours >= 15:
        return 3
    return 2


def topic_severity(count: int, neg_share: float) -> int:
    return 2 if count >= 20 and neg_share >= 0.5 else 1


def coordinated_severity(copies: int, authors: int, neg_share: float, promo: bool) -> int:
    if promo:
        return 1
    if copies >= 30 and authors >= 20 and neg_share >= 0.5:
        return 3
    return 2


def backlog_severity(newly_overdue: int, usual: float) -> int:
    """A daily figure: 1, or 2 when clearly more comments went past their deadline
    than on the agency's usual day."""
    return 2 if newly_overdue >= 20 and newly_overdue >= 2.0 * max(usual, 1.0) else 1


def sla_severity(urgent: int, usual: float) -> int:
    """Urgent appeals left a day without an answer: 2 when clearly more than usual."""
    return 2 if urgent >= 5 and urgent >= 2.0 * max(usual, 1.0) else 1
