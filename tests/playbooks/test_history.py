"""A run told again from its audit log at a past moment is the run the engine held at
that moment: every step's status, escalation, who took and finished it and when, and
lateness, and the run's own status. Checked against the engine's own states over
random sequences of people's actions and the passing of time."""

from __future__ import annotations

import copy
import random
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pytest

from playbooks import engine
from playbooks.engine import Audit, RunState, TransitionError
from playbooks.history import run_at
from tests.playbooks.test_engine import CAL, LIB, T0, alert

PLAYBOOKS = ("reputational-crisis", "utility-outage", "rumour-disinformation", "complaint-loop")
STEP_FIELDS = (
    "id",
    "status",
    "opened_at",
    "escalation_level",
    "acknowledged_at",
    "acknowledged_by",
    "done_at",
    "done_by",
    "overdue",
)


def logged(effects: list[Any], run_id: str) -> list[dict[str, Any]]:
    return [
        {"run_id": run_id, **asdict(e), "detail": dict(e.detail)}
        for e in effects
        if isinstance(e, Audit)
    ]


def seen(run: RunState) -> dict[str, Any]:
    return {
        "status": run.status,
        "closed_at": run.closed_at,
        "steps": [{f: getattr(s, f) for f in STEP_FIELDS} for s in run.steps],
    }


@pytest.mark.parametrize("seed", range(24))
def test_the_log_tells_the_run_as_the_engine_held_it(seed: int) -> None:
    rnd = random.Random(seed)
    playbook = LIB.get(PLAYBOOKS[seed % len(PLAYBOOKS)])
    # a working Tuesday morning (T0 is the eve of the Nauryz holidays: office-hour
    # escalations would wait for days)
    begin = T0 + timedelta(days=25, hours=2)
    run, effects = engine.start(playbook, alert(raised_at=begin, at=begin), CAL, "run-1", now=begin)
    audit = logged(effects, run.id)
    held = [(begin, seen(run))]
    now = begin
    for _ in range(rnd.randint(3, 12)):
        now += timedelta(minutes=rnd.choice([1, 5, 14, 30, 61, 180, 60 * 26]))
        run, effects = engine.advance(run, playbook, CAL, now)
        audit += logged(effects, run.id)
        for _ in range(rnd.randint(0, 3)):
            step = rnd.choice(run.steps).id
            action = rnd.choice([*engine.ACTIONS, "ack", "done", "cancel"])
            person = rnd.choice(["aigerim", "daniyar"])
            try:
                if action == "cancel":
                    if rnd.random() < 0.7:
                        continue
                    run, effects = engine.cancel(run, actor=person, at=now, note=None)
                else:
                    run, effects = engine.act(
                        run, playbook, CAL, step, action, actor=person, at=now
                    )
            except TransitionError:
                continue
            audit += logged(effects, run.id)
        held.append((now, seen(copy.deepcopy(run))))
    now += timedelta(days=9)  # every deadline passed
    run, effects = engine.advance(run, playbook, CAL, now)
    audit += logged(effects, run.id)
    held.append((now, seen(run)))
    assert len({str(h) for _, h in held}) >= 2  # the run did move
    for moment, expected in held:
        assert seen(run_at(run, audit, moment)) == expected, moment
