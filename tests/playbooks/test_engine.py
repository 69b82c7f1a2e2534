"""The run state machine as tables of examples: no clock, no database."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from playbooks import engine
from playbooks.calendar import WorkCalendar
from playbooks.engine import AlertFacts, Audit, Notify, TransitionError
from playbooks.model import Library

LIB = Library.load()
CAL = WorkCalendar.load()
T0 = datetime(2026, 3, 20, 7, 25, tzinfo=ZoneInfo("Asia/Almaty"))


def alert(**kw: object) -> AlertFacts:
    base = AlertFacts(
        alert_id="a1",
        incident_id="inc-1",
        agency="akimat-almaty",
        agency_type="city_akimat",
        kind="negativity_spike",
        severity=3,
        change="raised",
        raised_at=T0,
        at=T0,
        topics=(),
        text="",
        summary="Жалобы",
        observed=120,
        expected=10,
        negative_share=0.8,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (alert(topics=("housing_utilities",)), "utility-outage"),
        (alert(text="нет отопления третий день"), "utility-outage"),
        (alert(topics=("housing_utilities",), agency_type="ministry"), "reputational-crisis"),
        (alert(), "reputational-crisis"),
        (alert(kind="aggression_surge", severity=4), "reputational-crisis"),
        (alert(kind="rumour", severity=2), "rumour-disinformation"),
        (alert(kind="rumour", severity=3, text="утечка данных с портала"), "data-breach"),
        (
            alert(kind="topic_burst", severity=2, topics=("social_payments",), text="42 500"),
            "mass-complaint",
        ),
        (
            alert(kind="topic_burst", severity=1, text="проект нпа о такси"),
            "draft-law-consultation",
        ),
        (alert(kind="sla_breach", severity=2), None),  # complaints go through the loop by hand
        (alert(kind="backlog", severity=2), None),  # backlogs go to the daily digest
        # a secondary topic does not decide: the dominant one does
        (
            alert(kind="volume_spike", severity=2, topics=("housing_utilities", "education")),
            None,
        ),
        (alert(kind="positive_burst", severity=4), None),
        (alert(severity=2), None),  # a mild negativity spike starts no crisis playbook
    ],
)
def test_the_right_playbook(facts: AlertFacts, expected: str | None) -> None:
    found = engine.match(LIB.playbooks.values(), facts)
    assert (found.id if found else None) == expected


def start(playbook: str = "reputational-crisis", now: datetime = T0, **kw: object):
    return engine.start(LIB.get(playbook), alert(**kw), CAL, "run-1", now=now)


def notifies(effects: list) -> list[Notify]:
    return [e for e in effects if isinstance(e, Notify)]


def test_a_crisis_run_starts_with_its_first_steps_open() -> None:
    run, effects = start()
    assert run.status == "active" and run.agency == "akimat-almaty" and run.alert_id == "a1"
    assert len(run.steps) >= 3
    assert all(s.role and s.due_at for s in run.steps)
    assert run.steps[0].due_at - run.started_at <= timedelta(minutes=60)
    opened = [n.step for n in notifies(effects) if n.kind == "step_open"]
    assert opened[0] == "acknowledge"
    assert "official-statement" not in opened  # it opens an hour later
    assert isinstance(effects[0], Audit) and effects[0].action == "started"


def test_an_unacknowledged_step_escalates_on_time_and_not_before() -> None:
    run, _ = start()
    run, eff = engine.advance(
        run, LIB.get("reputational-crisis"), CAL, T0 + timedelta(minutes=14, seconds=59)
    )
    assert not [n for n in notifies(eff) if n.kind == "escalation"]
    run, eff = engine.advance(run, LIB.get("reputational-crisis"), CAL, T0 + timedelta(minutes=15))
    esc = [n for n in notifies(eff) if n.kind == "escalation" and n.step == "acknowledge"]
    assert len(esc) == 1
    assert esc[0].roles[0] == "head_of_press" and esc[0].at == T0 + timedelta(minutes=15)
    assert run.step("acknowledge").status == "escalated"
    # the same moment again changes nothing: timers fire once
    _, eff = engine.advance(run, LIB.get("reputational-crisis"), CAL, T0 + timedelta(minutes=15))
    assert eff == []
    run, eff = engine.advance(run, LIB.get("reputational-crisis"), CAL, T0 + timedelta(minutes=45))
    esc = [n for n in notifies(eff) if n.kind == "escalation" and n.step == "acknowledge"]
    assert [n.roles[0] for n in esc] == ["deputy_head"]


def test_acknowledging_stops_the_escalation() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    run, eff = engine.act(
        run, pb, CAL, "acknowledge", "ack", actor="dana", at=T0 + timedelta(minutes=5)
    )
    assert run.step("acknowledge").acknowledged_by == "dana"
    run, eff = engine.advance(run, pb, CAL, T0 + timedelta(hours=1))
    assert not [n for n in notifies(eff) if n.kind == "escalation" and n.step == "acknowledge"]


def test_late_steps_are_flagged_once() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    run, eff = engine.advance(run, pb, CAL, T0 + timedelta(minutes=16))
    assert [a.step for a in eff if isinstance(a, Audit) and a.action == "overdue"] == [
        "acknowledge"
    ]
    run, eff = engine.advance(run, pb, CAL, T0 + timedelta(minutes=17))
    assert not [a for a in eff if isinstance(a, Audit) and a.action == "overdue"]


@pytest.mark.parametrize(
    ("first", "then", "error"),
    [
        ("done", "ack", "already done"),
        ("skip", "done", "already skipped"),
        ("ack", "ack", "already acknowledged by dana"),
    ],
)
def test_transitions_that_are_refused(first: str, then: str, error: str) -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    run, _ = engine.act(run, pb, CAL, "acknowledge", first, actor="dana", at=T0)
    with pytest.raises(TransitionError, match=error):
        engine.act(run, pb, CAL, "acknowledge", then, actor="dana", at=T0)


def test_unknown_step_names_the_steps() -> None:
    run, _ = start()
    with pytest.raises(TransitionError, match="its steps: acknowledge"):
        engine.act(run, LIB.get("reputational-crisis"), CAL, "nope", "ack", actor="x", at=T0)


def test_a_run_completes_when_every_step_is_done_or_skipped() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    for i, s in enumerate(run.steps):
        action = "skip" if i == 1 else "done"
        run, eff = engine.act(
            run, pb, CAL, s.id, action, actor="dana", at=T0 + timedelta(minutes=i)
        )
    assert run.status == "completed"
    assert isinstance(eff[-1], Audit) and eff[-1].action == "completed"
    with pytest.raises(TransitionError, match="completed"):
        engine.act(run, pb, CAL, "acknowledge", "ack", actor="x", at=T0)


def test_consultation_steps_depend_on_the_numbers() -> None:
    pb = LIB.get("draft-law-consultation")
    run, _ = engine.start(
        pb, alert(kind="topic_burst", observed=40, negative_share=0.3), CAL, "r", now=T0
    )
    assert run.step("propose-extension").status == "not_applicable"
    assert run.step("outreach").status == "not_applicable"
    later = alert(kind="topic_burst", observed=140, negative_share=0.7, at=T0 + timedelta(days=1))
    run, eff = engine.observe(run, pb, CAL, later)
    assert run.step("propose-extension").status == "pending"
    assert run.step("outreach").status == "pending"
    assert {a.step for a in eff if isinstance(a, Audit) and a.action == "applicable"} == {
        "propose-extension",
        "outreach",
    }


@pytest.mark.parametrize(("triage", "days"), [("light", 1), ("medium", 3), ("heavy", 15)])
def test_complaint_loop_clocks(triage: str, days: int) -> None:
    monday = datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    pb = LIB.get("complaint-loop")
    run, _ = engine.start(
        pb,
        alert(kind="sla_breach", raised_at=monday, at=monday),
        CAL,
        "r",
        now=monday,
        triage=triage,
    )
    resolved = run.step("resolved").due_at
    expected = CAL.add(monday, type(pb.step("resolved").due_for(triage))(days, "working_days"))
    assert resolved == expected
    assert [s.id for s in run.steps] == [
        "received",
        "acknowledged",
        "verifying",
        "assigned",
        "resolved",
        "reported-back",
    ]


def test_a_higher_severity_tells_the_escalation_role() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    run, eff = engine.observe(run, pb, CAL, alert(severity=4, at=T0 + timedelta(minutes=3)))
    raised = [n for n in notifies(eff) if n.kind == "severity_raised"]
    assert run.severity == 4 and raised and raised[0].roles[0] == "head_of_press"


def test_manual_escalation_goes_up_the_chain() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    run, eff = engine.act(run, pb, CAL, "holding-statement", "escalate", actor="dana", at=T0)
    assert notifies(eff)[0].roles[0] == "head_of_press"
    run, eff = engine.act(run, pb, CAL, "holding-statement", "escalate", actor="dana", at=T0)
    assert notifies(eff)[0].roles[0] == "deputy_head"


def test_transitions_do_not_mutate_their_input() -> None:
    pb = LIB.get("reputational-crisis")
    run, _ = start()
    before = run.step("acknowledge").status
    engine.act(run, pb, CAL, "acknowledge", "done", actor="x", at=T0)
    engine.advance(run, pb, CAL, T0 + timedelta(days=3))
    assert run.step("acknowledge").status == before


def test_an_escalated_incident_moves_to_the_more_specific_playbook() -> None:
    mild = alert(kind="volume_spike", severity=2, topics=("social_payments",))
    first = engine.match(LIB.playbooks.values(), mild)
    assert first is not None and first.id == "mass-complaint"
    run, _ = engine.start(first, mild, CAL, "r", now=T0)
    run, _ = engine.act(run, first, CAL, "acknowledge", "ack", actor="dana", at=T0)
    worse = alert(
        kind="volume_spike",
        severity=4,
        topics=("housing_utilities",),
        text="нет отопления",
        at=T0 + timedelta(minutes=20),
    )
    better = engine.match(LIB.playbooks.values(), worse)
    assert better is not None and better.id == "utility-outage"
    run, eff = engine.replan(run, first, better, CAL, worse)
    assert run.playbook == "utility-outage" and run.started_at == T0
    assert run.step("acknowledge").acknowledged_by == "dana"  # kept
    assert run.step("holding-statement").due_at == T0 + timedelta(hours=1)
    assert isinstance(eff[0], Audit) and eff[0].detail["from"] == "mass-complaint"
    run, eff = engine.advance(run, better, CAL, worse.at)
    assert "holding-statement" in {n.step for n in notifies(eff) if n.kind == "step_open"}


def test_a_replanned_run_is_stored_with_its_new_steps(home: object) -> None:
    from datetime import UTC

    from playbooks import store
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    mild = alert(kind="volume_spike", severity=2, topics=("social_payments",))
    first = engine.match(LIB.playbooks.values(), mild)
    assert first is not None
    run, _ = engine.start(first, mild, CAL, "r-replan", now=T0)
    worse = alert(
        kind="volume_spike",
        severity=4,
        topics=("housing_utilities",),
        text="нет отопления",
        at=T0 + timedelta(minutes=20),
    )
    better = engine.match(LIB.playbooks.values(), worse)
    assert better is not None and better.id != first.id
    moved, _ = engine.replan(run, first, better, CAL, worse)

    db = Database.open(load_settings())
    now = datetime.now(UTC)
    with db.write() as conn:
        store.save_run(conn, run, now=now, new=True)
    with db.write() as conn:
        store.save_run(conn, moved, now=now)
    with db.read() as conn:
        loaded = store.load_run(conn, "r-replan")
    assert loaded is not None and loaded.playbook == better.id
    assert [s.id for s in loaded.steps] == [s.id for s in better.steps]
