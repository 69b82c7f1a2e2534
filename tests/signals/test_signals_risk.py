"""Reputation risk from its components: tables of figures and the score they give."""

from __future__ import annotations

from dataclasses import replace

import pytest

from signals.risk import WEIGHTS, RiskFigures, cell_score, level_of, score_risk

CALM = RiskFigures(
    agency="a",
    recent=30,
    recent_neg=9,
    day=300,
    day_neg=90,
    prev_day_neg=85,
    usual=2000,
    usual_neg=600,
    usual_aggr=60,
    same_hours=210,
    same_days=7,
    needs_answer=100,
    unanswered=90,
    overdue=60,
    median_answer_hours=25.0,
)
CRISIS = RiskFigures(
    agency="b",
    recent=900,
    recent_neg=600,
    recent_aggr=90,
    recent_strong=6,
    day=1200,
    day_neg=700,
    prev_day_neg=90,
    usual=2000,
    usual_neg=600,
    usual_aggr=60,
    same_hours=210,
    same_days=7,
    needs_answer=300,
    unanswered=280,
    overdue=60,
    alert_severities=[4, 3, 3],
    incident_severities=[(4, False)],
)


def test_weights_make_a_hundred() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_a_calm_agency_is_low_and_a_crisis_critical() -> None:
    calm, crisis = score_risk(CALM), score_risk(CRISIS)
    assert calm.level == "low" and calm.score < 25
    assert crisis.level == "critical" and crisis.score >= 75
    assert set(crisis.components) == set(WEIGHTS)
    for comp in crisis.components.values():
        assert 0.0 <= comp["value"] <= 1.0
    total = sum(c["points"] for c in crisis.components.values())
    assert abs(total - crisis.score) <= 1


@pytest.mark.parametrize(
    ("change", "component"),
    [
        ({"recent_neg": 20}, "negativity"),
        ({"recent": 120, "recent_neg": 36}, "volume"),
        ({"recent_aggr": 12, "recent_strong": 3}, "aggression"),
        ({"alert_severities": [3]}, "incidents"),
        ({"day_neg": 300}, "trend"),
        ({"unanswered": 100, "overdue": 100, "median_answer_hours": None}, "unanswered"),
    ],
)
def test_each_component_raises_the_score(change: dict[str, object], component: str) -> None:
    base = score_risk(CALM)
    worse = score_risk(RiskFigures(**{**CALM.__dict__, **change}))
    assert worse.components[component]["value"] > base.components[component]["value"]
    assert worse.score >= base.score


def test_an_incident_left_open_weighs_until_resolved() -> None:
    # Its alerts have closed; the incident has not. Past its clock with nobody on it, an S4
    # incident weighs as much as an active S4 alert; acknowledged or still in time, half.
    neglected = score_risk(replace(CALM, incident_severities=[(4, True)]))
    owned = score_risk(replace(CALM, incident_severities=[(4, False)]))
    calm = score_risk(CALM)
    assert neglected.components["incidents"]["value"] == 1.0
    assert owned.components["incidents"]["value"] == 0.5
    assert neglected.level != "low"
    assert calm.score < owned.score < neglected.score
    assert neglected.components["incidents"]["overdue_unacknowledged"] == 1
    # While alerts speak, an open incident adds nothing on top of them.
    alerting = replace(CALM, alert_severities=[3])
    both = replace(alerting, incident_severities=[(3, False)])
    assert score_risk(both).score == score_risk(alerting).score


def test_few_comments_are_not_evidence() -> None:
    few = RiskFigures(agency="c", recent=2, recent_neg=2, day=5, day_neg=3, usual=100, usual_neg=30)
    assert score_risk(few).components["negativity"]["value"] < 0.5


def test_an_agency_without_history_still_gets_a_score() -> None:
    r = score_risk(RiskFigures(agency="vk:12345", recent=10, recent_neg=3, day=10, day_neg=3))
    assert r.agency == "vk:12345" and 0 <= r.score <= 100


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "low"), (24.9, "low"), (25, "elevated"), (50, "high"), (74, "high"), (75, "critical")],
)
def test_levels(score: float, level: str) -> None:
    assert level_of(score) == level


def test_regional_cells_need_both_a_rise_and_a_mass() -> None:
    assert cell_score(6, 2)[0] < cell_score(200, 20)[0]  # tripling two comments is no crisis
    assert cell_score(200, 190)[0] < cell_score(200, 20)[0]  # the usual amount is not a rise
    assert cell_score(0, 0)[0] == 0
