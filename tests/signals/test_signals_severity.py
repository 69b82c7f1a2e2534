"""Severity is earned: tables of evidence and the level each deserves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from signals import severity as sev
from signals.severity import Evidence

CRISIS = Evidence(ratio=8.0, excess=400, neg_share=0.7, neg_base=0.3, neg_excess=250, neg_z=15)


@pytest.mark.parametrize(
    ("evidence", "level"),
    [
        (Evidence(ratio=2.2, excess=20, neg_share=0.3), 1),  # more comments, usual tone
        (Evidence(ratio=4.0, excess=60, neg_share=0.25, neg_base=0.3), 1),  # a popular post
        (Evidence(ratio=3.5, excess=40, neg_share=0.42, neg_base=0.3), 2),  # leaning negative
        (Evidence(ratio=3.5, excess=40, neg_share=0.6, neg_base=0.3, neg_excess=15), 2),  # few
        (CRISIS, 3),
        (replace(CRISIS, persistence=6, strong=3, rumours=9), 4),
        (replace(CRISIS, persistence=2, strong=3, rumours=9), 3),
        (replace(CRISIS, persistence=8, platforms=1), 3),  # no spread
        (replace(CRISIS, neg_base=0.6, neg_share=0.7), 2),  # always sour
    ],
)
def test_volume(evidence: Evidence, level: int) -> None:
    assert sev.volume_severity(evidence) == level


@pytest.mark.parametrize(
    ("evidence", "level"),
    [
        (Evidence(ratio=1.1, neg_share=0.55, neg_z=7, neg_excess=40), 2),  # tone only
        (Evidence(ratio=2.0, neg_share=0.55, neg_z=7, neg_excess=40), 3),
        (Evidence(ratio=2.0, neg_share=0.55, neg_z=4.6, neg_excess=40), 2),
    ],
)
def test_negativity(evidence: Evidence, level: int) -> None:
    assert sev.negativity_severity(evidence) == level


def test_aggression_and_rumours_reach_3_only_in_a_crisis() -> None:
    threats = Evidence(strong=4, aggressive=10)
    assert sev.aggression_severity(threats, crisis=False) == 2
    assert sev.aggression_severity(threats, crisis=True) == 3
    assert sev.rumour_severity(Evidence(rumours=30), crisis=False) == 2
    assert sev.rumour_severity(Evidence(rumours=30), crisis=True) == 3
    assert sev.rumour_severity(Evidence(rumours=5), crisis=True) == 2


@pytest.mark.parametrize(
    ("copies", "accounts", "neg_share", "promo", "level"),
    [
        (6, 3, 0.0, True, 1),  # advertising: a nuisance
        (12, 4, 0.6, False, 2),
        (40, 30, 0.8, False, 3),  # a negative campaign from many accounts
        (40, 30, 0.8, True, 1),
    ],
)
def test_coordinated(copies: int, accounts: int, neg_share: float, promo: bool, level: int) -> None:
    assert sev.coordinated_severity(copies, accounts, neg_share, promo) == level


@pytest.mark.parametrize(
    ("newly", "usual", "level"),
    [(40, 35, 1), (100, 30, 2), (15, 2, 1), (0, 0, 1)],
)
def test_backlog_never_pages(newly: int, usual: float, level: int) -> None:
    assert sev.backlog_severity(newly, usual) == level
    assert sev.sla_severity(newly, usual) <= 2
