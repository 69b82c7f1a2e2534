"""A moment under review (`?at=`) shows the figures as they stood then: what was waiting
for an answer, the alerts, the playbook runs. Expected figures come from the rows' own
timestamps, not from the dashboard's code."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from dashboard import data, feeds
from dashboard.widgets import local_time
from qulaq.alerts import Alert
from qulaq.config import load_settings
from qulaq.events import parse_timestamp
from qulaq.storage.database import Database
from qulaq.storage.schema import (
    alert_changes,
    comment_work,
    comments,
    playbook_audit,
    playbook_runs,
)
from signals import store
from tests.dashboard.conftest import CRISIS_AGENCY, TWO_HOURS_IN, app, no_failures

AT = datetime.fromisoformat(TWO_HOURS_IN)


# ---------------------------------------------------------------- small databases


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, home: Path) -> Database:
    if request.param == "postgresql":
        request.getfixturevalue("postgres")
    database = Database.open(load_settings())
    assert database.dialect == request.param
    return database


T0 = datetime(2026, 3, 1, tzinfo=UTC)
MOMENT = T0 + timedelta(hours=30)


def _comments(n: int) -> list[dict[str, object]]:
    """Citizens' comments needing an answer, every 20 minutes from T0; some answered in
    their thread before MOMENT, some after, some never; a few urgent."""
    now = datetime.now(UTC)
    out: list[dict[str, object]] = []
    for i in range(n):
        created = T0 + timedelta(minutes=20 * i)
        answered = None if i % 3 == 0 else created + timedelta(hours=1 + 7 * (i % 5))
        out.append(
            {
                "platform": "vk",
                "account": "club1",
                "comment_id": f"c{i}",
                "agency": "akimat-almaty" if i % 2 else "akimat-astana",
                "agency_explicit": False,
                "kind": "comment",
                "is_official_reply": False,
                "created_at": created,
                "text": f"comment {i}",
                "text_rank": 0,
                "text_hash": "x",
                "has_original": True,
                "deleted": False,
                "needs_answer": True,
                "urgent": i % 7 == 0,
                "answer_days": 1 if i % 4 == 0 else 3,
                "answered_at": answered,
                "stored_at": now,
                "updated_at": now,
                "row_version": 1,
            }
        )
    return out


def _work(comment_id: str, agency: str, status: str, at: datetime) -> dict[str, object]:
    return {
        "platform": "vk",
        "account": "club1",
        "comment_id": comment_id,
        "agency": agency,
        "status": status,
        "updated_by": "aigul",
        "updated_at": at,
    }


def test_the_queue_at_a_moment_holds_what_was_waiting_then(db: Database) -> None:
    rows = _comments(120)
    # Closed by hand: c3 before the moment, c6 after it (waiting at the moment).
    work = {"c3": MOMENT - timedelta(hours=2), "c6": MOMENT + timedelta(hours=2)}
    with db.write() as conn:
        conn.execute(comments.insert(), rows)
        conn.execute(
            comment_work.insert(),
            [
                _work(k, str(rows[int(k[1:])]["agency"]), "no_answer_needed", t)
                for k, t in work.items()
            ],
        )

    def waiting(r: dict[str, object]) -> bool:
        created, answered = r["created_at"], r["answered_at"]
        assert isinstance(created, datetime)
        closed = work.get(str(r["comment_id"]))
        return (
            created < MOMENT
            and (answered is None or (isinstance(answered, datetime) and answered > MOMENT))
            and (closed is None or closed > MOMENT)
        )

    expected = {str(r["comment_id"]) for r in rows if waiting(r)}
    answered_later = [
        r for r in rows if str(r["comment_id"]) in expected and r["answered_at"] is not None
    ]
    assert answered_later and "c6" in expected and "c3" not in expected  # the case at hand

    def due(r: dict[str, object]) -> datetime:
        created = r["created_at"]
        assert isinstance(created, datetime)
        span = timedelta(hours=4) if r["urgent"] else timedelta(days=int(str(r["answer_days"])))
        return created + span

    overdue = sum(due(r) <= MOMENT for r in rows if str(r["comment_id"]) in expected)
    since = T0 - timedelta(days=1)
    with db.read() as conn:
        queue = data.work_queue(conn, None, since=since, until=MOMENT, as_of=MOMENT)
        sla = data.sla_counts(conn, None, since=since, at=MOMENT, as_of=MOMENT)
        backlog = data.open_backlog(conn, None, since, MOMENT, as_of=MOMENT)
        closed = data.work_queue(
            conn, None, since=since, until=MOMENT, statuses=("no_answer_needed",), as_of=MOMENT
        )
        live = data.work_queue(conn, None, since=since, until=MOMENT)
    assert {r["comment_id"] for r in queue} == expected
    assert all(r["answered_at"] is None for r in queue)  # the later answer is not shown
    assert sum(v["open"] for v in sla.values()) == len(expected)
    assert sum(v["overdue"] for v in sla.values()) == overdue
    assert sum(backlog.values()) == len(expected)
    assert [r["comment_id"] for r in closed] == ["c3"]
    # Live, the queue holds only what is still waiting now.
    assert {r["comment_id"] for r in live} == {
        str(r["comment_id"])
        for r in rows
        if r["created_at"] < MOMENT  # type: ignore[operator]
        and r["answered_at"] is None
        and str(r["comment_id"]) not in work
    }


# ---------------------------------------------------------------- the demo


@pytest.fixture
def demo_db(demo_home: Path, use_home: object) -> Iterator[Database]:
    use_home(demo_home)  # type: ignore[operator]
    assert os.environ["QULAQ_HOME"] == str(demo_home)
    yield Database.open(load_settings())


def _waiting_at(db: Database, at: datetime, since: datetime) -> list[tuple[str, datetime, bool]]:
    """Agency, deadline and whether overdue of each citizen's comment waiting for an answer
    at `at`, from the comments' own times (the demo closes none by hand)."""
    c = comments.c
    with db.read() as conn:
        assert conn.execute(select(comment_work.c.comment_id)).first() is None
        rows = conn.execute(
            select(c.agency, c.created_at, c.answered_at, c.urgent, c.answer_days).where(
                c.needs_answer.is_(True), c.is_official_reply.is_(False), c.deleted.is_(False)
            )
        ).all()
    out = []
    for agency, created, answered, urgent, days in rows:
        if since <= created < at and (answered is None or answered > at):
            due = created + (timedelta(hours=4) if urgent else timedelta(days=days))
            out.append((str(agency), due, due <= at))
    return out


@pytest.mark.slow
def test_the_queue_at_a_moment_counts_comments_answered_later(demo_db: Database) -> None:
    waiting = _waiting_at(demo_db, AT, AT - timedelta(days=30))
    at = app("queue", query={"at": TWO_HOURS_IN})
    no_failures(at)
    counts = [c.value for c in at.caption if re.fullmatch(r"\d+ comments, \d+ overdue", c.value)]
    overdue = sum(late for _, _, late in waiting)
    assert counts == [f"{len(waiting)} comments, {overdue} overdue"], counts


@pytest.mark.slow
def test_the_overviews_unanswered_at_a_moment(demo_db: Database) -> None:
    waiting = _waiting_at(demo_db, AT, AT - timedelta(days=8))
    expected = sum(agency == CRISIS_AGENCY for agency, _, _ in waiting)
    at = app("overview", query={"at": TWO_HOURS_IN})
    no_failures(at)
    table = next(h.proto.body for h in at.get("html") if 'id="qulaq-ranking"' in h.proto.body)
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table)
    row = re.search(rf'<tr class="qulaq-row" data-key="{CRISIS_AGENCY}">(.*?)</tr>', table)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells[headers.index("Unanswered, 8 days")] == str(expected)


def _alert(at: datetime, change: str, status: str, observed: float, **more: object) -> Alert:
    return Alert(
        id=str(more.pop("id", "spike-1")),
        agency="akimat-almaty",
        kind="volume_spike",
        severity=int(str(more.pop("severity", 2))),
        status=status,
        raised_at=T0,
        updated_at=at,
        window_start=T0 - timedelta(hours=1),
        window_end=at,
        observed=observed,
        expected=10.0,
        negative_share=0.5,
        summary=f"{observed:.0f} comments",
        change=change,
        incident_id="inc-1",
        top_comments=[{"text": f"loudest at {observed:.0f}"}],
        **more,  # type: ignore[arg-type]
    )


def test_alerts_at_a_moment_stand_at_their_last_change_by_then(db: Database) -> None:
    h = timedelta(hours=1)
    history = [
        _alert(T0, "raised", "open", 40.0),
        _alert(T0 + 2 * h, "escalated", "open", 90.0, severity=3),
        _alert(T0 + 5 * h, "closed", "closed", 120.0, severity=3),
    ]
    later = _alert(T0 + 4 * h, "raised", "open", 7.0, id="spike-2")
    later = Alert.from_dict({**orjson.loads(later.to_json()), "raised_at": T0 + 4 * h})
    with db.write() as conn:
        for alert in [*history, later]:
            store.save_alert(conn, alert)

    def shown(at: datetime) -> dict[str, dict[str, object]]:
        with db.read() as conn:
            feed, bodies = feeds.alerts_at(conn, at, None)
        assert set(bodies) == {str(r["id"]) for r in feed.rows}
        return {str(r["id"]): {**r, "body": bodies[str(r["id"])]} for r in feed.rows}

    assert shown(T0 - h) == {}
    for at, then in ((T0 + h, history[0]), (T0 + 3 * h, history[1]), (T0 + 6 * h, history[2])):
        alerts = shown(at)
        assert set(alerts) == ({"spike-1"} if at < later.raised_at else {"spike-1", "spike-2"})
        row = alerts["spike-1"]
        assert (row["status"], row["severity"], row["observed"]) == (
            then.status,
            then.severity,
            then.observed,
        )
        assert (row["window_start"], row["window_end"]) == (then.window_start, then.window_end)
        assert row["top_comments"] == then.top_comments
        assert orjson.loads(then.to_json()) == row["body"]


@pytest.mark.slow
def test_the_alerts_page_at_a_moment_shows_each_alert_as_it_stood(demo_db: Database) -> None:
    with demo_db.read() as conn:
        changes = conn.execute(
            select(alert_changes.c.alert_id, alert_changes.c.at, alert_changes.c.body)
            .where(alert_changes.c.at <= AT)
            .order_by(alert_changes.c.at, alert_changes.c.id)
        ).all()
    last = {str(a): orjson.loads(body) for a, _, body in changes}  # the latest wins
    expected = sorted(
        f"raised {local_time(parse_timestamp(b['raised_at']))} · "
        f"window {local_time(parse_timestamp(b['window_start']))} – "
        f"{local_time(parse_timestamp(b['window_end']))} · observed {b['observed']:.0f} "
        for b in last.values()
        if b["status"] != "closed"
    )
    assert expected
    at = app("alerts", query={"at": TWO_HOURS_IN})
    no_failures(at)
    facts = sorted(c.value.split("vs expected")[0] for c in at.caption if " · window " in c.value)
    assert facts == expected


@pytest.mark.slow
def test_playbook_runs_at_a_moment_log_nothing_done_after_it(demo_db: Database) -> None:
    a, r = playbook_audit.c, playbook_runs.c
    with demo_db.read() as conn:
        started = dict(conn.execute(select(r.id, r.started_at)).all())
        entries = conn.execute(select(a.run_id, a.at)).all()
    assert any(when > AT for _, when in entries)  # the demo logs on after the moment
    at = app("playbooks", query={"at": TWO_HOURS_IN})
    no_failures(at)
    picker = next(s for s in at.selectbox if s.label == "Run")
    assert len(picker.options) == sum(s <= AT for s in started.values())  # begun by then
    chosen = str(picker.value)
    log = at.dataframe[0].value
    expected = sorted(
        local_time(when, "%Y-%m-%d %H:%M:%S")
        for run, when in entries
        if run == chosen and when <= AT
    )
    assert expected
    assert sorted(log["When"]) == expected


def test_playbook_steps_at_a_moment_are_as_they_stood(demo_db: Database) -> None:
    """A step opened, escalated, taken or done after the moment is not shown so: the
    steps' states are told again from the log (they were today's)."""
    a = playbook_audit.c
    with demo_db.read() as conn:
        now = {r["id"]: r for r in feeds.playbook_runs(conn, None).rows}
        then = {r["id"]: r for r in feeds.playbook_runs(conn, None, AT).rows}
        log = conn.execute(select(a.run_id, a.step, a.action, a.at)).all()
    assert then and set(then) <= set(now)
    by_then: dict[tuple[str, str], set[str]] = {}
    for run, step, action, when in log:
        if step and when <= AT:
            by_then.setdefault((run, step), set()).add(action)
    changed = 0
    for run_id, run in then.items():
        for step, today in zip(run["steps"], now[run_id]["steps"], strict=True):
            done = by_then.get((run_id, step["id"]), set())
            changed += step != today
            for field in ("opened_at", "acknowledged_at", "done_at"):
                assert step[field] is None or step[field] <= AT, (run_id, step)
            if "opened" not in done:
                assert step["status"] in ("pending", "not_applicable"), (run_id, step)
            if "escalated" not in done:
                assert step["escalation_level"] == 0, (run_id, step)
            assert step["overdue"] == ("overdue" in done), (run_id, step)
            assert (step["status"] == "done") == ("done" in done), (run_id, step)
    assert changed  # the demo moves on after the moment
