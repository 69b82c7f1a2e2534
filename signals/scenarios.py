"""Labelled synthetic multi-agency comment streams, for tests and `make eval-signals`.

`stream(seed)` draws a few days of comments for several agencies of different
sizes as `Observation`s (what the detectors see after analysis, no text), with
ordinary life in them — a daily rhythm, calmer weekends, reactions to the
agencies' own posts, a usual share of negative, aggressive and rumour-like
comments — and labelled events laid over it:

* `crisis`: volume rises several-fold within minutes to an hour, mostly
  negative, with aggression, rumours and one topic, on several platforms;
* `negativity`: the tone turns without much more volume (a bad decision
  discussed by the usual audience);
* `positive_burst`: many different people send near-identical greetings;
* `spam`: a handful of accounts post the same advertisement under several posts.

Every draw is seeded and reproducible. The generator is independent of the
demo stream's: its rhythm, sizes and shapes are its own.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from signals.features import Observation, identity_key

ALMATY = timezone(timedelta(hours=5))
# comments by local hour (relative): a late start and a long evening
RHYTHM = (
    0.3, 0.18, 0.1, 0.07, 0.06, 0.08, 0.2, 0.5, 0.85, 1.1, 1.25, 1.3,
    1.35, 1.4, 1.3, 1.25, 1.25, 1.3, 1.4, 1.6, 1.75, 1.65, 1.2, 0.7,
)  # fmt: skip
_MEAN = sum(RHYTHM) / 24.0
TOPICS = ("housing_utilities", "roads_transport", "education", "health", "social_payments")
PLATFORMS = ("instagram", "facebook", "telegram", "vk")
CRISIS_WORDS = ("отопле", "авария", "холодн", "батаре", "жылу")
EVERYDAY_WORDS = tuple(f"слово{i:03d}" for i in range(300))


@dataclass(frozen=True)
class AgencyShape:
    id: str
    per_day: float  # comments on a weekday
    neg: float = 0.3  # usual share of negative comments
    pos: float = 0.2
    aggr: float = 0.03
    rumour: float = 0.01
    posts_per_day: float = 4.0
    reaction: float = 0.6  # a post's extra comments, in hours of ordinary volume


@dataclass(frozen=True)
class Event:
    kind: str  # crisis | negativity | positive_burst | spam
    agency: str
    onset: datetime
    end: datetime
    multiplier: float = 1.0


@dataclass
class Stream:
    observations: list[Observation]
    events: list[Event]
    agencies: list[AgencyShape]
    start: datetime
    days: int
    calm: list[str] = field(default_factory=list)  # agencies with no event at all


DEFAULT_AGENCIES = (
    AgencyShape("city-large", 1500, neg=0.3),
    AgencyShape("city-mid", 500, neg=0.25),
    AgencyShape("ministry", 700, neg=0.35, posts_per_day=3),
    AgencyShape("region", 250, neg=0.3),
    AgencyShape("district", 90, neg=0.25, posts_per_day=2),
    AgencyShape("ministry-small", 150, neg=0.4),
)


def observation(
    agency: str,
    at: datetime,
    n: int,
    *,
    platform: str = "instagram",
    neg: bool = False,
    pos: bool = False,
    aggr: int = 0,
    rumour: bool = False,
    promo: bool = False,
    greeting: bool = False,
    urgent: bool = False,
    needs: bool = False,
    topics: tuple[str, ...] = (),
    stems: tuple[str, ...] = (),
    bands: tuple[int, int] | None = None,
    author: str | None = None,
    official: bool = False,
    parent: str | None = None,
    likes: int = 0,
) -> Observation:
    """One synthetic observation; `n` makes its identity unique."""
    cid = f"{agency}-{n}"
    return Observation(
        key=identity_key(platform, agency, cid),
        agency=agency,
        platform=platform,
        ts=at.timestamp(),
        official=official,
        parent_key=identity_key(platform, agency, parent) if parent else None,
        neg=neg,
        pos=pos,
        aggr=aggr,
        urgent=urgent,
        needs=needs,
        answer_days=3 if needs else None,
        topics=topics,
        rumour=rumour,
        promo=promo,
        greeting=greeting,
        stems=stems,
        words={s: s for s in stems},
        exact=0,
        bands=(f"{bands[0]:x}", f"{bands[1]:x}") if bands else None,
        author=author or f"author-{n}",
        comment_id=cid,
        post_id=None,
        url=None,
        likes=likes,
        text="",
    )


def _rate(shape: AgencyShape, at: datetime) -> float:
    local = at.astimezone(ALMATY)
    h = local.hour + local.minute / 60.0
    i = int(h) % 24
    f = h - int(h)
    r = ((1 - f) * RHYTHM[i] + f * RHYTHM[(i + 1) % 24]) / _MEAN
    if local.weekday() >= 5:
        r *= 0.8
    return shape.per_day / 24.0 * r  # comments per hour


def stream(
    seed: int,
    days: int = 5,
    agencies: tuple[AgencyShape, ...] = DEFAULT_AGENCIES,
    events_per_stream: int = 3,
) -> Stream:
    """A labelled stream: events fall on days 3 to `days`, in waking hours."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 6, tzinfo=ALMATY) + timedelta(days=rng.randrange(0, 300))
    step = timedelta(minutes=1)
    kinds = ["crisis", "positive_burst", "negativity", "spam"]
    rng.shuffle(kinds)
    chosen = list(agencies)
    rng.shuffle(chosen)
    events: list[Event] = []
    for what, shape in zip(kinds[:events_per_stream], chosen, strict=False):
        day = rng.randrange(2, days)
        onset = start + timedelta(days=day, minutes=rng.randrange(8 * 60, 21 * 60))
        if what == "crisis":
            events.append(Event(what, shape.id, onset, onset + timedelta(hours=6),
                                rng.uniform(4.0, 14.0)))  # fmt: skip
        elif what == "positive_burst":
            events.append(Event(what, shape.id, onset, onset + timedelta(hours=4),
                                rng.uniform(4.0, 9.0)))  # fmt: skip
        elif what == "negativity":
            events.append(Event(what, shape.id, onset, onset + timedelta(hours=5), 1.3))
        else:
            events.append(Event(what, shape.id, onset, onset + timedelta(minutes=20), 1.0))
    by_agency = {e.agency: e for e in events}
    obs: list[Observation] = []
    counter = 0
    for shape in agencies:
        posts = []  # the agency posts in office hours
        for day in range(days):
            for _ in range(_poisson(rng, shape.posts_per_day)):
                minute = rng.randrange(9 * 60, 20 * 60)
                posts.append(start + timedelta(days=day, minutes=minute))
        ev = by_agency.get(shape.id)
        crisis_words = tuple(rng.sample(CRISIS_WORDS, 3))
        greeting_bands = [(rng.getrandbits(40), rng.getrandbits(40)) for _ in range(4)]
        t = start
        while t < start + timedelta(days=days):
            lam = _rate(shape, t) / 60.0
            for p in posts:
                if p <= t:
                    dt_h = (t - p).total_seconds() / 3600.0
                    if dt_h < 6:
                        lam += shape.reaction * shape.per_day / 24.0 / 60.0 * math.exp(-dt_h)
            extra = 0.0
            kind: str | None = None
            if ev is not None and ev.onset <= t < ev.end:
                since = (t - ev.onset).total_seconds() / 60.0
                kind = ev.kind
                if kind in ("crisis", "positive_burst"):
                    rise = 20.0 if kind == "crisis" else 15.0
                    shape_f = min(1.0, (since + 1) / rise) * math.exp(-max(0.0, since - 120) / 120)
                    extra = (ev.multiplier - 1.0) * _rate(shape, t) / 60.0 * shape_f
                elif kind == "negativity":
                    extra = 0.3 * lam
            for _ in range(_poisson(rng, lam)):
                counter += 1
                at = t + timedelta(seconds=rng.randrange(60))
                neg_p = shape.neg + (0.35 if kind == "negativity" else 0.0)
                r = rng.random()
                obs.append(
                    observation(
                        shape.id,
                        at,
                        counter,
                        platform=rng.choices(PLATFORMS, (6, 3, 1, 1))[0],
                        neg=r < neg_p,
                        pos=neg_p <= r < neg_p + shape.pos,
                        aggr=1 if rng.random() < shape.aggr else 0,
                        rumour=rng.random() < shape.rumour,
                        needs=rng.random() < 0.3,
                        topics=(rng.choice(TOPICS),) if rng.random() < 0.6 else (),
                        stems=tuple(rng.sample(EVERYDAY_WORDS, 4)),
                        bands=(rng.getrandbits(40), rng.getrandbits(40)),
                        author=f"{shape.id}-a{rng.randrange(int(shape.per_day * 3))}",
                    )
                )
            for _ in range(_poisson(rng, extra)):
                counter += 1
                at = t + timedelta(seconds=rng.randrange(60))
                if kind == "crisis":
                    obs.append(
                        observation(
                            shape.id,
                            at,
                            counter,
                            platform=rng.choice(PLATFORMS[:3]),
                            neg=rng.random() < 0.75,
                            aggr=(2 if rng.random() < 0.03 else 1) if rng.random() < 0.15 else 0,
                            rumour=rng.random() < 0.12,
                            urgent=rng.random() < 0.1,
                            needs=rng.random() < 0.6,
                            topics=("housing_utilities",),
                            stems=(*rng.sample(crisis_words, 2), *rng.sample(EVERYDAY_WORDS, 3)),
                            bands=(rng.getrandbits(40), rng.getrandbits(40)),
                            author=f"new-{counter}",
                        )
                    )
                elif kind == "positive_burst":
                    band = rng.choice(greeting_bands)
                    obs.append(
                        observation(
                            shape.id,
                            at,
                            counter,
                            platform=rng.choice(PLATFORMS[:2]),
                            pos=rng.random() < 0.8,
                            greeting=True,
                            stems=("праздн", "поздра", "құтты"),
                            bands=band,
                            author=f"new-{counter}",
                        )
                    )
                elif kind == "negativity":
                    obs.append(
                        observation(
                            shape.id,
                            at,
                            counter,
                            neg=rng.random() < 0.8,
                            topics=("social_payments",),
                            stems=tuple(rng.sample(EVERYDAY_WORDS, 4)),
                            bands=(rng.getrandbits(40), rng.getrandbits(40)),
                        )
                    )
            t += step
        if ev is not None and ev.kind == "spam":
            band = (rng.getrandbits(40), rng.getrandbits(40))
            for k in range(rng.randrange(5, 12)):
                counter += 1
                at = ev.onset + timedelta(seconds=rng.randrange(1200))
                obs.append(
                    observation(
                        shape.id,
                        at,
                        counter,
                        promo=True,
                        stems=("заработ", "директ"),
                        bands=band,
                        author=f"bot-{k % 3}",
                    )
                )
    obs.sort(key=lambda o: (o.ts, o.key))
    calm = [a.id for a in agencies if a.id not in by_agency]
    return Stream(obs, events, list(agencies), start, days, calm)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
