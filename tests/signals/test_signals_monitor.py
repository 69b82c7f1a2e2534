"""One agency's monitor on small synthetic streams: what it raises, when, and what not."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

import orjson
import pytest

from qulaq.alerts import Alert
from signals.features import Observation
from signals.messages import alert_summary
from signals.monitor import BUCKET, AgencyMonitor, AlertChange
from signals.scenarios import ALMATY, observation

START = datetime(2025, 1, 6, tzinfo=ALMATY)  # a Monday: a replay of last January


def calm(
    rng: random.Random,
    agency: str,
    start: datetime,
    hours: float,
    per_hour: float,
    first: int = 0,
    neg: float = 0.3,
) -> list[Observation]:
    """Ordinary comments: a daily rhythm, a usual share of negative ones."""
    out = []
    t = start
    n = first
    while t < start + timedelta(hours=hours):
        h = t.astimezone(ALMATY).hour
        rate = per_hour * (0.15 if h < 7 else 1.3 if 9 <= h <= 21 else 0.7) / 60.0
        k = int(rate) + (rng.random() < rate - int(rate))
        for _ in range(k):
            n += 1
            r = rng.random()
            out.append(
                observation(
                    agency,
                    t + timedelta(seconds=rng.randrange(60)),
                    n,
                    neg=r < neg,
                    pos=neg <= r < neg + 0.2,
                    topics=(rng.choice(("roads_transport", "education", "health")),),
                    stems=tuple(f"w{rng.randrange(400)}" for _ in range(3)),
                    bands=(rng.getrandbits(40), rng.getrandbits(40)),
                    author=f"a{rng.randrange(2000)}",
                )
            )
        t += timedelta(minutes=1)
    return out


def run(monitor: AgencyMonitor, obs: Iterable[Observation]) -> list[AlertChange]:
    out: list[AlertChange] = []
    for o in sorted(obs, key=lambda o: o.ts):
        out.extend(monitor.observe(o))
    return out


def final(changes: list[AlertChange]) -> dict[str, Alert]:
    return {c.alert.id: c.alert for c in changes}


def surge(
    rng: random.Random,
    agency: str,
    onset: datetime,
    minutes: int,
    per_minute: float,
    first: int,
    **kind: object,
) -> list[Observation]:
    out = []
    n = first
    for m in range(minutes):
        ramp = min(1.0, (m + 1) / 15.0)
        for _ in range(int(per_minute * ramp + rng.random())):
            n += 1
            out.append(
                observation(
                    agency,
                    onset + timedelta(minutes=m, seconds=rng.randrange(60)),
                    n,
                    author=f"new{n}",
                    **kind,  # type: ignore[arg-type]
                )
            )
    return out


def test_calm_days_raise_nothing_serious() -> None:
    rng = random.Random(1)
    m = AgencyMonitor("akimat-x")
    changes = run(m, calm(rng, "akimat-x", START, 72, 40))
    serious = [a for a in final(changes).values() if a.severity >= 2]
    assert serious == []


def test_negative_surge_is_a_crisis_within_half_an_hour() -> None:
    rng = random.Random(2)
    m = AgencyMonitor("akimat-x")
    base = calm(rng, "akimat-x", START, 60, 40)
    onset = START + timedelta(hours=55)  # 07:00 on day 3
    crisis = [
        o
        for o in surge(rng, "akimat-x", onset, 240, 4.0, 10**6, topics=("housing_utilities",))
        if rng.random() < 1.0
    ]
    for o in crisis:
        o.neg = rng.random() < 0.8
        o.rumour = rng.random() < 0.1
    changes = run(m, base + crisis)
    alerts = final(changes)
    crisis_alerts = [a for a in alerts.values() if a.raised_at >= onset]
    first_serious = min(
        (a for a in crisis_alerts if a.severity >= 3 and (a.negative_share or 0) >= 0.5),
        key=lambda a: a.raised_at,
    )
    assert first_serious.raised_at - onset <= timedelta(minutes=30)
    assert first_serious.kind in ("volume_spike", "negativity_spike")
    # one alert per kind that grows instead of repeating
    kinds = [a.kind for a in crisis_alerts]
    assert len(kinds) == len(set(kinds))
    vol = next(a for a in crisis_alerts if a.kind == "volume_spike")
    assert vol.persistence > 12
    assert vol.observed > 3 * vol.expected
    raised = [c for c in changes if c.alert.id == vol.id and c.change == "raised"]
    assert len(raised) == 1


def test_greetings_from_many_people_are_a_positive_burst_only() -> None:
    rng = random.Random(3)
    m = AgencyMonitor("akimat-y")
    base = calm(rng, "akimat-y", START, 60, 30)
    onset = START + timedelta(hours=57)
    greeting_bands = [(f"g{i}a", f"g{i}b") for i in range(3)]
    burst = surge(
        rng, "akimat-y", onset, 180, 2.5, 10**6, pos=True, greeting=True, stems=("наурыз", "құтты")
    )
    for o in burst:
        o.bands = rng.choice(greeting_bands)
    alerts = [a for a in final(run(m, base + burst)).values() if a.raised_at >= onset]
    assert [a.kind for a in alerts] == ["positive_burst"]
    assert alerts[0].severity == 1
    assert not alerts[0].is_crisis


def test_the_same_advertisement_from_a_few_accounts_is_coordinated_spam() -> None:
    rng = random.Random(4)
    m = AgencyMonitor("min-z")
    base = calm(rng, "min-z", START, 50, 20)
    at = START + timedelta(hours=40)
    band = (1, 2)
    spam = [
        observation(
            "min-z",
            at + timedelta(seconds=60 * i),
            10**6 + i,
            promo=True,
            bands=band,
            stems=("заработ",),
            author=f"bot{i % 2}",
        )
        for i in range(5)
    ]
    alerts = [a for a in final(run(m, base + spam)).values() if a.kind == "coordinated"]
    assert len(alerts) == 1
    assert alerts[0].severity == 1
    assert alerts[0].detail["promotional"] is True


def test_checkpoints_do_not_change_decisions() -> None:
    """Saving and loading the state anywhere (any batching) gives the same alerts."""
    rng = random.Random(5)
    base = calm(rng, "akimat-x", START, 54, 40)
    crisis = surge(
        rng,
        "akimat-x",
        START + timedelta(hours=50),
        180,
        3.0,
        10**6,
        neg=True,
        rumour=True,
        stems=("отопле", "батаре"),  # new words rising too
        topics=("housing_utilities",),
    )
    stream = sorted(base + crisis, key=lambda o: o.ts)
    straight = AgencyMonitor("akimat-x")
    expected = [(c.change, c.alert.to_json()) for c in run(straight, stream)]
    got: list[tuple[str, bytes]] = []
    m = AgencyMonitor("akimat-x")
    for i, o in enumerate(stream):
        if i % 7 == 0:
            saved = orjson.dumps(m.to_dict())
            m = AgencyMonitor.from_dict(orjson.loads(saved))
            assert orjson.dumps(m.to_dict()) == saved  # every field comes back
        got.extend((c.change, c.alert.to_json()) for c in m.observe(o))
    assert got == expected
    assert {c[0] for c in expected} >= {"raised", "updated"}
    assert any(b'"terms":["' in body for _change, body in expected)


def test_late_comments_count_but_do_not_reopen_decisions() -> None:
    rng = random.Random(6)
    m = AgencyMonitor("akimat-x")
    run(m, calm(rng, "akimat-x", START, 30, 40))
    judged = m.judged
    old = observation("akimat-x", START + timedelta(hours=2), 10**7, neg=True)
    assert m.observe(old) == []
    assert m.late == 1 and m.judged == judged


@pytest.mark.parametrize("ahead", [timedelta(days=2), timedelta(days=36 * 365)])
def test_one_comment_with_a_wrong_date_does_not_blind_the_agency(ahead: timedelta) -> None:
    """A comment dated two days or 36 years ahead of the others, arriving three hours
    before a crisis, must not make the crisis's comments late."""
    rng = random.Random(2)
    onset = START + timedelta(hours=55)
    stream = sorted(
        calm(rng, "akimat-x", START, 60, 40)
        + surge(rng, "akimat-x", onset, 240, 4.0, 10**6, neg=True),
        key=lambda o: o.ts,
    )
    at = next(i for i, o in enumerate(stream) if o.ts >= (onset - timedelta(hours=3)).timestamp())
    wrong = datetime.fromtimestamp(stream[at].ts, START.tzinfo) + ahead
    stream.insert(at, observation("akimat-x", wrong, 10**8))
    m = AgencyMonitor("akimat-x")
    changes = [c for o in stream for c in m.observe(o)]
    serious = [
        a
        for a in final(changes).values()
        if a.raised_at >= onset and a.severity >= 3 and (a.negative_share or 0) >= 0.5
    ]
    assert serious and min(a.raised_at for a in serious) - onset <= timedelta(minutes=30)
    assert m.late == 0


def test_a_second_comment_after_a_silence_moves_the_clock() -> None:
    m = AgencyMonitor("district")
    m.observe(observation("district", START, 1))
    m.observe(observation("district", START + timedelta(days=2), 2))
    assert m.judged == 0  # one comment far ahead could be a wrong date
    m.observe(observation("district", START + timedelta(days=2, minutes=20), 3))
    assert m.judged > 500 and m.late == 0


def test_a_long_silence_is_skipped_not_replayed() -> None:
    m = AgencyMonitor("district")
    m.observe(observation("district", START, 1))
    m.observe(observation("district", START + timedelta(days=60), 2))
    assert m.judged <= 7 * 288 + 2
    assert m.next_due is not None


@pytest.mark.parametrize(
    ("history", "newly", "urgent", "severities"),
    [
        ([], 40, 3, {"backlog": 1, "sla_breach": 1}),  # no usual day yet: a figure
        ([(20, 2)] * 7, 25, 2, {"backlog": 1, "sla_breach": 1}),  # routine
        ([(10, 1)] * 7, 30, 6, {"backlog": 2, "sla_breach": 2}),  # clearly worse than usual
    ],
)
def test_backlog_is_a_daily_figure(
    history: list[tuple[int, int]], newly: int, urgent: int, severities: dict[str, int]
) -> None:
    m = AgencyMonitor("akimat-x")
    m.daily_hist = [[float(a), float(b)] for a, b in history]
    boundary = START.timestamp()
    changes = m.daily(boundary, 200, newly, urgent)
    got = {c.alert.kind: c.alert.severity for c in changes}
    assert got == severities
    assert all(c.change == "raised" for c in changes)
    # the next day updates the same alerts instead of raising new ones
    again = m.daily(boundary + 86400, 210, newly, urgent)
    assert {c.change for c in again} == {"updated"}
    assert {c.alert.id for c in again} == {c.alert.id for c in changes}
    assert max(c.alert.severity for c in again) <= 2


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_daily_figure_states_a_usual_day_only_once_it_has_one(lang: str) -> None:
    usually = {"en": "usually", "ru": "обычно", "kk": "әдетте"}[lang]
    first = AgencyMonitor("akimat-x").daily(START.timestamp(), 200, 40, 3)
    backlog = next(c.alert for c in first if c.alert.kind == "backlog")
    assert all(c.alert.detail["baseline"] is False for c in first)
    assert usually not in alert_summary(backlog, "Akimat", lang)  # no usual day to state
    later = AgencyMonitor("akimat-x")
    later.daily_hist = [[10.0, 1.0]] * 7
    week = later.daily(START.timestamp(), 200, 40, 3)
    backlog = next(c.alert for c in week if c.alert.kind == "backlog")
    assert all(c.alert.detail["baseline"] is True for c in week)
    assert f"{usually} {backlog.expected:.0f})" in alert_summary(backlog, "Akimat", lang)


def test_buckets_are_judged_only_after_the_lateness_allowance() -> None:
    m = AgencyMonitor("akimat-x")
    t0 = START
    m.observe(observation("akimat-x", t0, 1))
    assert m.judged == 0
    due = m.next_due
    assert due is not None and due == (int(t0.timestamp() // BUCKET) + 1) * BUCKET + 300
    m.observe(observation("akimat-x", datetime.fromtimestamp(due, ALMATY), 2))
    assert m.judged == 1
