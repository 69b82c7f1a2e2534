"""One agency's detectors: a small state machine in event time, no I/O.

`AgencyMonitor.observe(obs)` takes the agency's comments in the order they
arrive and returns the alert changes they cause. Comments are counted in
5-minute buckets of event time; a bucket is judged once the agency's clock
(the newest comment time seen) is `LATENESS` past its end, so every decision
depends only on the agency's own stream, never on how it was batched. A
comment older than the judged buckets is late: it still counts in the stored
figures (risk, dashboard) but cannot change a decision already taken. A lone
comment dated far ahead of the clock (a wrong date: 2062, or two days early)
does not move it; the clock leaps only when a second comment confirms the new
time, as after a real silence, so one bad date cannot make every comment after
it late.

At each judged bucket the monitor compares the last 15, 30, 60 minutes and
3 hours with what it expects from the agency's own history:

* volume: a seasonal (hour-of-day) baseline with a learned over-dispersion, for
  all comments and for negative ones; a rise must be both surprising and large;
  a rise carried by praise or greetings is a `positive_burst`, never a crisis;
* negativity, aggression, rumours: shares against the agency's usual share,
  with a binomial test so that a handful of comments never suffices;
* topics and new terms: a topic's or a word's share rising with evidence;
* coordinated activity: near-identical texts in a short window that are
  promotional, come from few accounts, or dominate the stream — while many
  people sending the same greeting is a celebration, not an attack;
* the unanswered backlog and late answers: daily figures (`daily`).

Alerts: one open alert per kind that grows (window, counts, persistence,
severity) instead of repeating; it closes after an hour without the
condition; a cooldown keeps a closed kind from coming straight back unless
it comes back more severe.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import add, sub
from typing import Any

from qulaq.alerts import Alert
from qulaq.timefmt import zone
from signals import severity as sev
from signals.features import Observation

STATE_VERSION = 1
BUCKET = 300  # seconds
LATENESS = 300  # a bucket is judged this long after its end (event time)
HISTORY = 36  # judged buckets kept: three hours
WINDOWS = (3, 6, 12, 36)  # 15 minutes, 30 minutes, an hour, three hours
CONTENT = 12  # buckets whose words, topics and platforms are kept: an hour
MAX_GAP_BUCKETS = 7 * 288  # a longer silence is skipped, not judged slot by slot
MAX_LEAP = 6 * 3600  # the clock moves further ahead only when two comments agree
MAX_AHEAD = 16  # unconfirmed far-ahead comment times kept
WARM_BUCKETS = 288  # a day of history before ordinary rises count
CLOSE_AFTER = 12  # quiet buckets before an alert closes (an hour)
COOLDOWN = 2 * 3600  # seconds after closing before the same kind may come back
UPDATE_EVERY = 6  # buckets between published updates of a growing alert
CLUSTER_SPAN = 1800  # seconds a near-duplicate group stays together
MAX_TERMS = 800
MIN_CONTENT = 10  # comments in the hour before content detectors look at all
HOT = 10  # a word must be used this often in the hour before it can be a rising term

# slots of a bucket's counters
N, NEG, POS, AGGR, STRONG, URGENT, NEEDS, RUMOUR, OFFICIAL, PROMO, GREET = range(11)
SLOTS = 11
SHARES = {"neg": NEG, "pos": POS, "aggr": AGGR, "strong": STRONG, "rumour": RUMOUR, "greet": GREET}
# prior shares and how many comments they weigh
_PRIOR_SHARE = {
    "neg": 0.3,
    "pos": 0.2,
    "aggr": 0.04,
    "strong": 0.005,
    "rumour": 0.01,
    "greet": 0.08,
}
_PRIOR_WEIGHT = 40.0
_SHARE_DAYS = 3.0
_TERM_DAYS = 3.0
_SHARE_KEEP = math.exp(-BUCKET / (_SHARE_DAYS * 86400.0))  # per judged bucket
_TERM_KEEP = math.exp(-6 * 3600.0 / (_TERM_DAYS * 86400.0))  # every six hours
_TERM_FLOOR = 0.3 / _TERM_KEEP
_WINDOW_KEYS = tuple((k, str(k)) for k in WINDOWS)
_ZEROS = [0] * SLOTS

# A generic daily rhythm of comments (local time, mean 1): quiet nights, busy
# days and evenings. Used only until an hour of day has its own history.
_RHYTHM = (
    0.45, 0.3, 0.2, 0.15, 0.12, 0.15, 0.35, 0.7, 1.0, 1.2, 1.3, 1.35,
    1.4, 1.35, 1.3, 1.3, 1.3, 1.35, 1.45, 1.55, 1.6, 1.5, 1.15, 0.75,
)  # fmt: skip
PRIOR_RHYTHM = tuple(24.0 * v / sum(_RHYTHM) for v in _RHYTHM)

CRISIS_KINDS = (
    "volume_spike",
    "negativity_spike",
    "topic_burst",
    "aggression_surge",
    "rumour",
    "coordinated",
)
STREAM_KINDS = (*CRISIS_KINDS, "positive_burst")
DAILY_KINDS = ("backlog", "sla_breach")
# window (buckets) -> (z, ratio, excess) a volume rise must reach
VOLUME_TESTS = {3: (5.0, 2.5, 8.0), 6: (4.5, 2.0, 10.0), 12: (4.0, 2.0, 15.0), 36: (4.0, 1.8, 20.0)}
_ALMATY = zone()


@dataclass(slots=True)
class Finding:
    """A detector's verdict on the current window, for one alert kind."""

    kind: str
    severity: int
    observed: float
    expected: float
    n: int  # comments in the window
    neg: int  # negative comments in the window
    start: float  # window, event time in seconds
    end: float
    score: float = 0.0  # strength of the evidence (a z-like number)
    # the newest bucket's (observed, expected, n, neg), added as an open alert grows
    step: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)
    platform: str | None = None
    topic: str | None = None
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    top: tuple[dict[str, Any], ...] = ()
    detail: dict[str, Any] | None = None


@dataclass(slots=True)
class AlertChange:
    alert: Alert
    change: str  # raised | updated | escalated | closed


def alert_id(agency: str, kind: str, raised_at: float) -> str:
    raw = f"{agency}|{kind}|{int(raised_at)}".encode()
    return "al-" + hashlib.blake2b(raw, digest_size=8).hexdigest()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


_HOURS: dict[int, tuple[int, int]] = {}


def _local_hour(hour_index: int) -> tuple[int, int]:
    """(local hour of day, local day ordinal) of an hour since the epoch, in Kazakhstan
    time as it was then (the zone's offsets are whole hours)."""
    found = _HOURS.get(hour_index)
    if found is None:
        if len(_HOURS) >= 100_000:
            _HOURS.clear()
        local = datetime.fromtimestamp(hour_index * 3600, _ALMATY)
        found = _HOURS[hour_index] = (local.hour, local.toordinal())
    return found


# round(v * _TERM_KEEP, 4) by v: few distinct values recur, and round() to a number
# of digits is slow
_FORGOTTEN: dict[float, float] = {}


def _forgotten(values: list[float]) -> list[float]:
    memo = _FORGOTTEN
    if len(memo) >= 200_000:
        memo.clear()
    out = []
    for v in values:
        r = memo.get(v)
        if r is None:
            r = memo[v] = round(v * _TERM_KEEP, 4)
        out.append(r)
    return out


def _local_day(ts: float) -> int:
    return _local_hour(int(ts // 3600))[1]


def _binom_z(k: float, n: float, p: float) -> float:
    """How far `k` of `n` lies above what a share `p` gives, in standard deviations."""
    p = min(max(p, 0.01), 0.95)
    if n <= 0:
        return 0.0
    return (k - n * p - 0.5) / math.sqrt(n * p * (1.0 - p))


def _count_z(observed: float, expected: float, phi: float) -> float:
    """The same for a count, with variance e + phi·e² (over-dispersed Poisson)."""
    e = max(expected, 0.2)
    return (observed - e - 0.5) / math.sqrt(e + phi * e * e)


def _poisson_tail_log10(k: float, lam: float) -> float:
    """-log10 P(X >= k) for X ~ Poisson(lam), k above lam (the first term of the tail
    and the geometric bound on the rest)."""
    lam = max(lam, 1e-3)
    if k <= lam:
        return 0.0
    log_pmf = -lam + k * math.log(lam) - math.lgamma(k + 1.0)
    log_tail = log_pmf - math.log(1.0 - lam / (k + 1.0))
    return -log_tail / math.log(10.0)


def _quote_key(q: dict[str, Any]) -> tuple[int, str, str]:
    return (-q["likes"], q["created_at"], q["comment_id"])


def quote(o: Observation) -> dict[str, Any]:
    """What an alert shows of a comment (no author: the alert travels further)."""
    return {
        "platform": o.platform,
        "comment_id": o.comment_id,
        "post_id": o.post_id,
        "created_at": _dt(o.ts).isoformat(),
        "text": o.text,
        "url": o.url,
        "likes": o.likes,
        "negative": o.neg,
        "aggression": o.aggr,
        "rumour": o.rumour,
    }


class Bucket:
    """Counts of one 5-minute slot of event time."""

    __slots__ = ("c", "e", "i", "notable", "plat", "stems", "topics")

    def __init__(self, i: int) -> None:
        self.i = i
        self.c = [0] * SLOTS
        self.plat: dict[str, int] = {}
        self.topics: dict[str, list[int]] = {}  # topic -> [n, neg]
        self.stems: dict[str, int] = {}
        self.notable: dict[str, list[dict[str, Any]]] = {}
        self.e = 0.0  # expected comments, set when judged

    def add(self, o: Observation) -> None:
        c = self.c
        if o.official:
            c[OFFICIAL] += 1
            return
        c[N] += 1
        if o.neg:
            c[NEG] += 1
        elif o.pos:
            c[POS] += 1
        if o.aggr:
            c[AGGR] += 1
            if o.aggr == 2:
                c[STRONG] += 1
        if o.urgent:
            c[URGENT] += 1
        if o.needs:
            c[NEEDS] += 1
        if o.rumour:
            c[RUMOUR] += 1
        if o.promo:
            c[PROMO] += 1
        if o.greeting:
            c[GREET] += 1
        plat = self.plat
        plat[o.platform] = plat.get(o.platform, 0) + 1
        for t in o.topics:
            row = self.topics.get(t)
            if row is None:
                row = self.topics[t] = [0, 0]
            row[0] += 1
            row[1] += o.neg
        stems = self.stems
        for s in o.stems:
            stems[s] = stems.get(s, 0) + 1
        self._remember(o)

    def _remember(self, o: Observation) -> None:
        """Keep a few quotable comments per category for the alerts' top comments."""
        cats = []
        if o.neg:
            cats.append("neg")
        if o.pos or o.greeting:
            cats.append("pos")
        if o.aggr:
            cats.append("aggr")
        if o.rumour:
            cats.append("rumour")
        if not cats:
            cats.append("any")
        item = None
        for cat in cats:
            kept = self.notable.setdefault(cat, [])
            if len(kept) >= 2 and kept[-1]["likes"] >= o.likes:
                continue
            if item is None:
                item = quote(o)
            kept.append(item)
            kept.sort(key=_quote_key)
            del kept[2:]

    def to_list(self) -> list[Any]:
        return [self.i, self.c, self.plat, self.topics, self.stems, self.notable, self.e]

    @classmethod
    def from_list(cls, data: list[Any]) -> Bucket:
        b = cls(data[0])
        b.c, b.plat, b.topics, b.stems, b.notable, b.e = data[1:7]
        return b


class AgencyMonitor:
    """Every detector of one agency, with its alerts, as one serialisable state."""

    def __init__(self, agency: str) -> None:
        self.agency = agency
        self.wm = -math.inf  # the agency's clock: newest event time seen
        self.first = -math.inf  # event time of the first comment seen
        self.next = -1  # index of the next bucket to judge (-1: nothing seen)
        self.open: dict[int, Bucket] = {}
        self.hist: list[Bucket] = []
        # volume baseline: comments per hour by local hour of day
        self.prof = [0.0] * 24
        self.seen = [0.0] * 24  # days of history per hour
        self.level = -1.0  # de-seasonalised comments per hour (-1: unknown)
        self.hour_count = 0.0
        self.hour_n = 0.0  # buckets in the current hour
        self.phi = 0.1  # over-dispersion of 15-minute counts
        self.phi_w = 10.0
        self.judged = 0  # buckets judged
        # shares: name -> [weighted count, weighted total]
        self.shares = {k: [p * _PRIOR_WEIGHT, _PRIOR_WEIGHT] for k, p in _PRIOR_SHARE.items()}
        self.plat: dict[str, float] = {}
        self.topic: dict[str, float] = {}
        self.total = 0.0  # weighted comments behind the platform, topic and word shares
        self.terms: dict[str, float] = {}
        self.words: dict[str, str] = {}  # stem -> a word it came from
        self.clusters: dict[str, list[Any]] = {}
        self.touched: list[str] = []  # near-duplicate groups grown since the last bucket
        self.rising: list[str] = []  # words that rose in the last bucket (to confirm)
        self.alerts: dict[str, dict[str, Any]] = {}
        self.cooldown: dict[str, list[float]] = {}  # kind -> [closed at, severity]
        self.day = -1  # local day (ordinal) of the last judged bucket
        self.pending_days: list[float] = []  # day boundaries awaiting daily figures
        self.daily_hist: list[list[float]] = []  # [newly overdue, urgent] per day
        self.late = 0
        self.ahead: list[float] = []  # comment times far ahead of the clock, unconfirmed
        # running sums of the expected comments over each window (kept, not recomputed:
        # float sums must come out the same whatever the checkpoints)
        self.wine = {str(k): 0.0 for k in WINDOWS}
        self._windows()

    def _windows(self) -> None:
        """Running sums over the judged buckets, rebuilt from `hist` (exact integers)."""
        hist = self.hist
        self.win = {k: [sum(x.c[j] for x in hist[-k:]) for j in range(SLOTS)] for k in WINDOWS}
        self.wstems: dict[str, int] = {}
        self.hot: set[str] = set()  # stems seen at least HOT times in the hour
        self.wtopics: dict[str, list[int]] = {}
        self.wplat: dict[str, int] = {}
        for x in hist[-CONTENT:]:
            self._add_content(x, 1)

    def _add_content(self, b: Bucket, sign: int) -> None:
        ws = self.wstems
        hot = self.hot
        for s, k in b.stems.items():
            v = ws.get(s, 0) + sign * k
            if v:
                ws[s] = v
            else:
                del ws[s]
            if v >= HOT:
                hot.add(s)
            elif sign < 0:
                hot.discard(s)
        wt = self.wtopics
        for t, row in b.topics.items():
            acc = wt.get(t)
            if acc is None:
                acc = wt[t] = [0, 0]
            acc[0] += sign * row[0]
            acc[1] += sign * row[1]
            if not acc[0]:
                del wt[t]
        wp = self.wplat
        for p, k in b.plat.items():
            v = wp.get(p, 0) + sign * k
            if v:
                wp[p] = v
            else:
                del wp[p]

    # -- state ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "agency": self.agency,
            "wm": self.wm if self.wm != -math.inf else None,
            "first": self.first if self.first != -math.inf else None,
            "next": self.next,
            "open": [b.to_list() for b in self.open.values()],
            "hist": [b.to_list() for b in self.hist],
            "prof": self.prof,
            "seen": self.seen,
            "level": self.level,
            "hour": [self.hour_count, self.hour_n],
            "phi": [self.phi, self.phi_w],
            "judged": self.judged,
            "shares": self.shares,
            "plat": self.plat,
            "topic": self.topic,
            "total": self.total,
            "terms": self.terms,
            "words": self.words,
            "clusters": self.clusters,
            "touched": self.touched,
            "rising": self.rising,
            "alerts": self.alerts,
            "cooldown": self.cooldown,
            "day": self.day,
            "pending_days": self.pending_days,
            "daily_hist": self.daily_hist,
            "late": self.late,
            "ahead": self.ahead,
            "wine": self.wine,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AgencyMonitor:
        if d.get("v") != STATE_VERSION:
            raise ValueError(f"unsupported monitor state version {d.get('v')!r}")
        m = cls(d["agency"])
        m.wm = d["wm"] if d["wm"] is not None else -math.inf
        m.first = d["first"] if d["first"] is not None else -math.inf
        m.next = d["next"]
        m.open = {b[0]: Bucket.from_list(b) for b in d["open"]}
        m.hist = [Bucket.from_list(b) for b in d["hist"]]
        m.prof, m.seen, m.level = d["prof"], d["seen"], d["level"]
        m.hour_count, m.hour_n = d["hour"]
        m.phi, m.phi_w = d["phi"]
        m.judged = d["judged"]
        m.shares, m.plat, m.topic, m.total = d["shares"], d["plat"], d["topic"], d["total"]
        m.terms, m.words, m.clusters, m.touched = (
            d["terms"],
            d["words"],
            d["clusters"],
            d["touched"],
        )
        m.rising = d["rising"]
        m.alerts, m.cooldown = d["alerts"], d["cooldown"]
        m.day, m.pending_days, m.daily_hist = d["day"], d["pending_days"], d["daily_hist"]
        m.late = d["late"]
        m.ahead = d.get("ahead", [])
        m.wine = d["wine"]
        m._windows()
        return m

    @property
    def next_due(self) -> float | None:
        """Event time at which the next bucket can be judged (None: nothing seen)."""
        if self.next < 0:
            return None
        return (self.next + 1) * BUCKET + LATENESS

    # -- input ---------------------------------------------------------------

    def observe(self, o: Observation) -> list[AlertChange]:
        changes: list[AlertChange] = []
        i = int(o.ts // BUCKET)
        if self.next < 0:
            self.next = i
            self.day = _local_day(i * BUCKET)
            self.first = o.ts
        held = False
        if o.ts > self.wm:
            if o.ts - max(self.wm, self.next * BUCKET) > MAX_LEAP and not self._confirmed(o.ts):
                held = True  # counted in its bucket; the clock waits for a second comment
            else:
                self.wm = o.ts
                if o.ts >= (self.next + 1) * BUCKET + LATENESS:
                    changes = self.advance(o.ts)
        if i < self.next:
            self.late += 1
            return changes
        b = self.open.get(i)
        if b is None:
            b = self.open[i] = Bucket(i)
        b.add(o)
        if o.bands is not None and not held:
            self._cluster(o)
        words = self.words
        for s, w in o.words.items():
            if s not in words:
                words[s] = w
        return changes

    def _confirmed(self, ts: float) -> bool:
        """Whether an earlier comment far ahead of the clock agrees with `ts`, one at or
        before it (then the clock may leap to `ts`); if none does, `ts` is kept to
        confirm a later one. Times the clock has passed since are forgotten."""
        clock = max(self.wm, self.next * BUCKET)
        ahead = [t for t in self.ahead if t > clock]
        if any(t <= ts + MAX_LEAP for t in ahead):
            self.ahead = [t for t in ahead if t > ts + MAX_LEAP]
            return True
        self.ahead = [*ahead[-(MAX_AHEAD - 1) :], ts]
        return False

    def advance(self, clock: float) -> list[AlertChange]:
        """Judge every bucket whose end is `LATENESS` or more before `clock`."""
        changes: list[AlertChange] = []
        if self.next < 0:
            return changes
        last = int((clock - LATENESS) // BUCKET) - 1  # newest bucket that may be judged
        if last - self.next > MAX_GAP_BUCKETS:
            # a long silence: skip to the recent past instead of judging every empty slot
            for i in [i for i in self.open if i < last - MAX_GAP_BUCKETS]:
                del self.open[i]
            self.next = last - MAX_GAP_BUCKETS
        while self.next <= last:
            b = self.open.pop(self.next, None) or Bucket(self.next)
            self.next += 1
            changes.extend(self._judge(b))
        return changes

    def _cluster(self, o: Observation) -> None:
        assert o.bands is not None
        author = o.author[:12] if o.author else _anonymous(o.key)
        for key in o.bands:
            c = self.clusters.get(key)
            if c is None or o.ts - c[0] > CLUSTER_SPAN:
                # [first ts, last ts, copies, authors, neg, pos, promo, greet, quote]
                c = self.clusters[key] = [o.ts, o.ts, 0, [], 0, 0, 0, 0, None]
            elif c[8] is None:
                c[8] = quote(o)  # quoted from the second copy on: most texts never repeat
            c[1] = max(c[1], o.ts)
            c[2] += 1
            if author not in c[3] and len(c[3]) < 64:
                c[3].append(author)
            c[4] += o.neg
            c[5] += o.pos
            c[6] += o.promo
            c[7] += o.greeting
            if key not in self.touched:
                self.touched.append(key)

    # -- judging one bucket ----------------------------------------------------

    def _judge(self, b: Bucket) -> list[AlertChange]:
        start = b.i * BUCKET
        end = start + BUCKET
        day = _local_day(start)
        if day != self.day:
            self.day = day
            self.pending_days.append(float(start))
        b.e = self._expected(start)
        self._append(b)
        self.judged += 1
        findings = self._findings(end)
        changes = self._book(findings, end)
        self._learn(b, start)
        if b.i % 12 == 11:
            self._prune(end, b.i % 72 == 71)
        return changes

    def _append(self, b: Bucket) -> None:
        hist = self.hist
        hist.append(b)
        have = len(hist)
        be = b.e
        wine = self.wine
        for k, key in _WINDOW_KEYS:
            wine[key] += be - hist[-k - 1].e if have > k else be
        bc = b.c
        counted = bc != _ZEROS
        win = self.win
        for k in WINDOWS:
            w = win[k]
            if have > k:
                oc = hist[-k - 1].c
                if oc != _ZEROS:
                    w[:] = list(map(sub, map(add, w, bc), oc) if counted else map(sub, w, oc))
                    continue
            if counted:
                w[:] = list(map(add, w, bc))
        if counted:
            self._add_content(b, 1)
        if have > CONTENT:
            gone = hist[-CONTENT - 1]
            if gone.stems or gone.topics or gone.plat:
                self._add_content(gone, -1)
            gone.stems, gone.topics, gone.plat, gone.notable = {}, {}, {}, {}
        if have > HISTORY:
            del hist[0]

    def _expected(self, start: float) -> float:
        """Expected comments in the 5-minute bucket starting at `start`."""
        mid = start + BUCKET / 2
        u = _local_hour(int(mid // 3600))[0] + (mid % 3600) / 3600.0 - 0.5
        h0 = math.floor(u)
        f = u - h0
        e0 = self._hour_rate(h0 % 24)
        e1 = self._hour_rate((h0 + 1) % 24)
        return max(0.02, ((1.0 - f) * e0 + f * e1) * BUCKET / 3600.0)

    def _hour_rate(self, h: int) -> float:
        prior = (self.level if self.level > 0 else 0.0) * PRIOR_RHYTHM[h]
        seen = self.seen[h]
        return (seen * self.prof[h] + 0.5 * prior) / (seen + 0.5)

    def _expected_sum(self, k: int) -> float:
        e = self.wine[str(k)]
        have = len(self.hist)
        return e * k / have if 0 < have < k else e

    # -- learning ----------------------------------------------------------------

    def _learn(self, b: Bucket, start: float) -> None:
        c = b.c
        n = c[N]
        alerts = self.alerts
        alerted = "volume_spike" in alerts or "positive_burst" in alerts
        e = b.e
        limit = max(1.5 * e, e + 1.0) if alerted else max(3.0 * e, e + 3.0)
        x = float(n) if self.judged <= 12 or self.level <= 0 else min(float(n), limit)
        # a de-seasonalised level (comments per hour), over about a day
        h = _local_hour(int(start // 3600))[0]
        flat = x * (3600.0 / BUCKET) / PRIOR_RHYTHM[h]
        rate = max(1.0 / self.judged, BUCKET / 86400.0)
        self.level = flat if self.level < 0 else self.level + rate * (flat - self.level)
        # the hour-of-day profile, updated at the end of each local hour
        self.hour_count += x
        self.hour_n += 1.0
        if start % 3600 >= 3300:  # the hour's last bucket
            full = self.hour_count * 12.0 / self.hour_n
            seen = self.seen[h]
            w = max(1.0 / (seen + 1.0), 0.25) * self.hour_n / 12.0
            self.prof[h] += w * (full - self.prof[h])
            self.seen[h] = min(seen + self.hour_n / 12.0, 30.0)
            self.hour_count = 0.0
            self.hour_n = 0.0
        # over-dispersion of 15-minute counts, outside alerts
        if b.i % 3 == 2 and not alerted and self.judged > 36:
            o = self.win[3][N]
            ex = self._expected_sum(3)
            if ex >= 1.0:
                v = min(5.0, max(-1.0, ((o - ex) ** 2 - o) / (ex * ex)))
                self.phi_w = min(self.phi_w + 1.0, 300.0)
                self.phi += (v - self.phi) / self.phi_w
        # shares, forgetting over a few days; frozen while their alert is open
        # (what a surge is made of is not what is usual)
        keep = _SHARE_KEEP
        shares = self.shares
        frozen = {"pos", "greet"} if alerted else set()
        if alerted or "negativity_spike" in alerts:
            frozen.add("neg")
        if alerted or "aggression_surge" in alerts:
            frozen.update(("aggr", "strong"))
        if alerted or "rumour" in alerts:
            frozen.add("rumour")
        for name, slot in SHARES.items():
            if name not in frozen:
                s = shares[name]
                s[0] = s[0] * keep + c[slot]
                s[1] = s[1] * keep + n
        if n and not alerted and "topic_burst" not in alerts:
            self.total += n
            for p, k in b.plat.items():
                self.plat[p] = self.plat.get(p, 0.0) + k
            for t, row in b.topics.items():
                self.topic[t] = self.topic.get(t, 0.0) + row[0]
            terms = self.terms
            for s_, k in b.stems.items():
                terms[s_] = terms.get(s_, 0.0) + k

    def _prune(self, now: float, forget: bool) -> None:
        """Hourly: drop stale near-duplicate groups and words no longer in sight. Every
        six hours: forget old word, topic and platform counts a little, drop rare words."""
        self.clusters = {k: c for k, c in self.clusters.items() if now - c[1] <= CLUSTER_SPAN}
        ws = self.wstems
        self.words = {s: w for s, w in self.words.items() if ws.get(s, 0) >= 2}
        if not forget:
            return
        keep = _TERM_KEEP
        self.total = round(self.total * keep, 4)
        self.plat = {p: round(v * keep, 4) for p, v in self.plat.items() if v * keep >= 0.05}
        self.topic = {t: round(v * keep, 4) for t, v in self.topic.items() if v * keep >= 0.05}
        floor = _TERM_FLOOR
        kept = [(v, s) for s, v in self.terms.items() if v >= floor]
        if len(kept) > MAX_TERMS:
            kept = sorted(kept, reverse=True)[:MAX_TERMS]  # (v, s) pairs are all distinct
        self.terms = dict(
            zip([s for _v, s in kept], _forgotten([v for v, _s in kept]), strict=True)
        )

    # -- detectors ---------------------------------------------------------------

    def _share(self, name: str) -> float:
        s = self.shares[name]
        return s[0] / s[1] if s[1] > 0 else _PRIOR_SHARE[name]

    def _start(self, k: int) -> float:
        part = self.hist[-k:]
        return float(part[0].i * BUCKET)

    def _findings(self, end: float) -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        if self.judged < 6 or (self.win[36][N] < 8 and not self.alerts and not self.touched):
            self.touched = []
            return found  # too few comments for any test to fire
        win = self.win
        wine = self.wine
        have = len(self.hist)
        exp = {k: wine[key] * k / have if 0 < have < k else wine[key] for k, key in _WINDOW_KEYS}
        last = self.hist[-1]
        lc = last.c
        p_neg = self._share("neg")
        phi = max(0.02, self.phi)
        alerts = self.alerts
        # the first day rests on a generic daily rhythm: only a glaring rise counts
        warm = self.judged < WARM_BUCKETS
        hour = win[12]
        busy = hour[N] >= MIN_CONTENT
        coord = self._coordinated(end, win[6][N])
        if coord is not None:
            found["coordinated"] = coord
        # copies of a campaign are reported as such, not as a rise in volume
        campaign = coord.observed if coord else alerts.get("coordinated", {}).get("observed", 0)

        # -- volume --------------------------------------------------------
        pb_open = "positive_burst" in alerts
        vol_open = "volume_spike" in alerts or pb_open
        best: tuple[float, int] | None = None
        for k, (zmin, rmin, xmin) in VOLUME_TESTS.items():
            # the surprises (z) last: most windows fail the cheap tests
            o, e = max(0.0, win[k][N] - campaign), exp[k]
            ratio = o / max(e, 0.5)
            # negative comments alone: reactions to posts are rarely mostly negative,
            # so a surge of them stands out sooner than the whole volume does
            o_neg, e_neg = win[k][NEG], e * p_neg
            if warm:
                fires = (
                    ratio >= 2.0 * rmin
                    and o - e >= 2.0 * xmin
                    and _count_z(o, e, phi) >= 2.0 * zmin
                )
            else:
                fires = (ratio >= rmin and o - e >= xmin and _count_z(o, e, phi) >= zmin) or (
                    o_neg - e_neg >= xmin
                    and ratio >= 1.5
                    and o_neg >= 1.5 * rmin * max(e_neg, 0.5)
                    and _count_z(o_neg, e_neg, phi) >= zmin
                )
            fires = fires or (vol_open and k == 12 and ratio >= 1.5 and o - e >= 5)
            if fires:
                z = max(_count_z(o, e, phi), _count_z(o_neg, e_neg, phi))
                if best is None or (z, k) > best:
                    best = (z, k)
        spread, platform = self._platforms(exp[12], phi) if busy else (0, None)
        if best is None and platform is not None and not warm:
            best = (platform[1], 12)
        if best is not None:
            z, k = best
            c, e = win[k], exp[k]
            n = c[N]
            p_pos = self._share("pos")
            positive = (c[POS] >= max(0.5, p_pos + 0.2) * n or c[GREET] >= 0.4 * n) and c[NEG] <= (
                p_neg + 0.05
            ) * n
            if pb_open and "volume_spike" not in alerts:
                # the tail of a celebration stays one unless it turns sour
                positive = positive or c[NEG] < (p_neg + 0.1) * n
            kind = "positive_burst" if positive else "volume_spike"
            ev = self._evidence(c, e, p_neg, spread)
            observed, expected = float(n), e
            step = (float(lc[N]), last.e, lc[N], lc[NEG])
            name = None
            if platform is not None and (n - e) * 0.6 <= platform[2] - platform[3]:
                name = platform[0]  # one platform carries most of the rise
                if k == 12 and n < 2.0 * e:
                    observed, expected = float(platform[2]), platform[3]
                    step = (observed / 12.0, expected / 12.0, lc[N], lc[NEG])
            found[kind] = Finding(
                kind,
                1 if positive else sev.volume_severity(ev),
                observed,
                expected,
                n,
                c[NEG],
                self._start(k),
                end,
                z,
                step=step,
                platform=name,
                top=self._top("pos" if positive else "neg", k),
                detail={"ratio": round(ev.ratio, 2), "window_minutes": k * 5},
            )
        if not busy and not alerts:
            return found

        # -- negativity ------------------------------------------------------
        neg_open = "negativity_spike" in alerts
        for k, (nmin, zmin) in ((12, (15, 4.5)), (36, (20, 5.0)), (6, (12, 5.0))):
            c = win[k]
            n, neg = c[N], c[NEG]
            still = neg_open and k == 12 and neg >= 5 and neg >= (p_neg + 0.06) * n
            fires = not warm and n >= nmin and neg >= 10 and neg >= (p_neg + 0.12) * n
            if not (fires or still):
                continue
            z = _binom_z(neg, n, p_neg)
            if (fires and z >= zmin) or still:
                ev = self._evidence(c, exp[k], p_neg, spread)
                found["negativity_spike"] = Finding(
                    "negativity_spike",
                    sev.negativity_severity(ev),
                    float(neg),
                    n * p_neg,
                    n,
                    neg,
                    self._start(k),
                    end,
                    z,
                    step=(float(lc[NEG]), lc[N] * p_neg, lc[N], lc[NEG]),
                    top=self._top("neg", k),
                    detail={"usual_share": round(p_neg, 3), "window_minutes": k * 5},
                )
                break

        # -- aggression ----------------------------------------------------------
        c = hour
        p_aggr = self._share("aggr")
        fires = still = False
        if c[AGGR] >= 3 or c[STRONG] >= 3:
            p_strong = self._share("strong")
            z = _binom_z(c[AGGR], c[N], p_aggr)
            strong_z = _count_z(c[STRONG], c[N] * p_strong, 0.0)
            fires = not warm and (
                (c[AGGR] >= 8 and c[AGGR] >= max(2.5 * p_aggr, p_aggr + 0.04) * c[N] and z >= 4.5)
                or (c[STRONG] >= 3 and strong_z >= 4.0)
            )
            still = "aggression_surge" in alerts and c[AGGR] >= 3
        if fires or still:
            ev = self._evidence(c, exp[12], p_neg, spread)
            found["aggression_surge"] = Finding(
                "aggression_surge",
                sev.aggression_severity(ev, crisis=self._context(hour, exp[12], p_neg)),
                float(c[AGGR]),
                c[N] * p_aggr,
                c[N],
                c[NEG],
                self._start(12),
                end,
                max(z, strong_z),
                step=(float(lc[AGGR]), lc[N] * p_aggr, lc[N], lc[NEG]),
                top=self._top("aggr", 12),
                detail={"strong": c[STRONG], "usual_share": round(p_aggr, 3)},
            )

        # -- rumours -------------------------------------------------------------
        p_rum = self._share("rumour")
        fires = still = False
        if c[RUMOUR] >= 3:
            z = _binom_z(c[RUMOUR], c[N], p_rum)
            fires = (
                not warm
                and c[RUMOUR] >= 8
                and c[RUMOUR] >= max(0.05, 3.0 * p_rum) * c[N]
                and z >= 5.0
            )
            still = "rumour" in alerts
        if fires or still:
            ev = self._evidence(c, exp[12], p_neg, spread)
            found["rumour"] = Finding(
                "rumour",
                sev.rumour_severity(ev, crisis=self._context(hour, exp[12], p_neg)),
                float(c[RUMOUR]),
                c[N] * p_rum,
                c[N],
                c[NEG],
                self._start(12),
                end,
                z,
                step=(float(lc[RUMOUR]), lc[N] * p_rum, lc[N], lc[NEG]),
                top=self._top("rumour", 12),
                detail={"usual_share": round(p_rum, 3)},
            )

        # -- topics and terms ----------------------------------------------------------
        stems = self._rising_terms(c[N], 5) if busy else []
        terms = tuple(self.words.get(s, s) for s in stems)
        topic = self._topic_burst(c[N], end, stems, terms) if not warm else None
        if topic is not None and topic.topic is None and (coord or "coordinated" in alerts):
            topic = None  # the words of a campaign already reported
        if topic is not None:
            p_pos = self._share("pos")
            cheerful = any(
                (w[GREET] >= 0.3 * w[N] or w[POS] >= max(0.45, p_pos + 0.15) * w[N])
                and w[NEG] <= (p_neg + 0.05) * w[N]
                for w in (c, win[3])
            )
            celebrating = "positive_burst" in found or pb_open or cheerful
            sour = topic.topic is not None and topic.neg >= max(0.5, p_neg + 0.1) * topic.n
            if celebrating and not sour:
                pb = found.get("positive_burst")
                if pb is not None:
                    pb.topics = topic.topics
            else:
                found["topic_burst"] = topic

        if not found:
            return found
        # every finding names the words that rose and the topics it is about
        topics = self._window_topics()
        for f in found.values():
            if not f.terms and f.kind != "coordinated":
                f.terms = terms
            if not f.topics:
                f.topics = topics
        return found

    def _evidence(self, c: list[int], e: float, p_neg: float, spread: int) -> sev.Evidence:
        n = c[N]
        return sev.Evidence(
            ratio=n / max(e, 0.5),
            excess=n - e,
            neg_share=c[NEG] / n if n else 0.0,
            neg_base=p_neg,
            neg_excess=c[NEG] - p_neg * max(e, 0.0),
            neg_z=_binom_z(c[NEG], n, p_neg),
            strong=c[STRONG],
            aggressive=c[AGGR],
            rumours=c[RUMOUR],
            urgent=c[URGENT],
            platforms=spread,
            persistence=self.alerts.get("volume_spike", {}).get("persistence", 0) + 1,
        )

    def _context(self, c: list[int], e: float, p_neg: float) -> bool:
        """Is a negative surge under way (the hour's volume tripled, mostly negative)?"""
        n = c[N]
        return n >= 3.0 * max(e, 0.5) and n >= 20 and c[NEG] >= max(0.4, p_neg + 0.1) * n

    def _platforms(self, e: float, phi: float) -> tuple[int, tuple[str, float, int, float] | None]:
        """How many platforms at least tripled in the hour, and the one carrying a rise
        on its own (name, evidence, observed, expected), if one stands out."""
        total = max(self.total, 1.0)
        spread = 0
        best: tuple[str, float, int, float] | None = None
        learned = self.judged >= WARM_BUCKETS and total >= 50.0
        for p, o in sorted(self.wplat.items()):
            ep = e * (self.plat.get(p, 0.0) + 0.5) / (total + 5.0)
            if o >= 3.0 * max(ep, 0.5) and o - ep >= 8:
                spread += 1
                z = _count_z(o, ep, phi)
                if (
                    learned
                    and z >= 6.0
                    and o >= 4.0 * max(ep, 1.0)
                    and o - ep >= 15
                    and (best is None or z > best[1])
                ):
                    best = (p, z, o, ep)
        return spread, best

    def _topic_burst(
        self, n: int, end: float, stems: list[str], terms: tuple[str, ...]
    ) -> Finding | None:
        still = "topic_burst" in self.alerts
        if n < MIN_CONTENT or (not self.wtopics and not stems and not still):
            return None
        total = max(self.total, 1.0)
        start = self._start(12)
        best: tuple[float, str] | None = None
        usual = self.topic
        for t, (k, _neg) in self.wtopics.items():
            if k < 10:
                continue
            share = (usual.get(t, 0.0) + 0.5) / (total + 10.0)
            if k < (2.0 * share + 0.05) * n:
                continue
            z = _binom_z(k, n, share)
            rising = z >= 5.0 and _poisson_tail_log10(k, n * share) >= 6.0
            if rising and (best is None or (z, t) > best):
                best = (z, t)
        if best is None and still:
            prev: str | None = self.alerts["topic_burst"].get("topic")
            if prev and prev in self.wtopics:
                t = prev
                k = self.wtopics[t][0]
                share = (self.topic.get(t, 0.0) + 0.5) / (total + 10.0)
                if k >= 5 and k >= 1.5 * share * n:
                    best = (0.0, t)  # an open topic alert stays open while the topic stays up
        if best is not None:
            z, t = best
            k, neg = self.wtopics[t]
            share = (self.topic.get(t, 0.0) + 0.5) / (total + 10.0)
            row = self.hist[-1].topics.get(t, [0, 0])
            return Finding(
                "topic_burst",
                sev.topic_severity(k, neg / k if k else 0.0),
                float(k),
                n * share,
                k,
                neg,
                start,
                end,
                z,
                step=(float(row[0]), self.hist[-1].c[N] * share, row[0], row[1]),
                topic=t,
                topics=(t,),
                terms=terms,
                top=self._top("neg" if neg * 2 >= k else "any", 12),
                detail={"usual_share": round(share, 3)},
            )
        if not stems:
            return None
        s = stems[0]
        k = self.wstems.get(s, 0)
        share = (self.terms.get(s, 0.0) + 0.3) / (self.total + 30.0)
        last = self.hist[-1]
        return Finding(
            "topic_burst",
            1,
            float(k),
            n * share,
            n,
            self.win[12][NEG],
            start,
            end,
            _binom_z(k, n, share),
            step=(float(last.stems.get(s, 0)), last.c[N] * share, last.c[N], last.c[NEG]),
            terms=terms,
            top=self._top("any", 12),
            detail={"usual_share": round(share, 4)},
        )

    def _rising_terms(self, n: int, limit: int) -> list[str]:
        """Stems whose share of the last hour is far above their usual share. Many
        words are tested every five minutes, so the evidence must be overwhelming
        (a Poisson tail below 1e-8) and the rise must hold for two buckets."""
        scored = []
        total = self.total + 30.0
        terms = self.terms
        ws = self.wstems
        for s in self.hot:
            k = ws[s]
            expected = n * (terms.get(s, 0.0) + 0.3) / total
            if k < 4.0 * expected:
                continue
            surprise = _poisson_tail_log10(k, expected)
            if surprise >= 8.0:
                scored.append((-surprise, s))
        scored.sort()
        rising = [s for _z, s in scored[:limit]]
        confirmed = [s for s in rising if s in self.rising]
        self.rising = rising
        return confirmed

    def _window_topics(self) -> tuple[str, ...]:
        ranked = sorted(self.wtopics.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return tuple(t for t, _ in ranked[:3])

    def _coordinated(self, end: float, recent: int) -> Finding | None:
        """The largest group of near-identical comments (grown since the last bucket)
        that looks like a campaign rather than many people saying the same thing."""
        touched, self.touched = self.touched, []
        best: tuple[int, str, Finding] | None = None
        for key in touched:
            c = self.clusters.get(key)
            if c is None:
                continue
            first, _last, copies, authors, neg, pos, promo, greet, sample = c
            n_auth = len(authors)
            benign = greet >= 0.3 * copies or pos >= 0.4 * copies
            spam = copies >= 3 and promo * 2 >= copies and n_auth >= 2
            flood = copies >= 6 and n_auth * 2 <= copies and not benign
            dominant = copies >= 10 and n_auth >= 8 and not benign and copies >= 0.2 * recent
            if not (spam or flood or dominant):
                continue
            f = Finding(
                "coordinated",
                sev.coordinated_severity(copies, n_auth, neg / copies, spam),
                float(copies),
                0.0,
                copies,
                neg,
                first,
                end,
                float(copies),
                step=(float(copies), 0.0, copies, neg),
                top=(sample,) if sample else (),
                detail={"accounts": n_auth, "promotional": spam},
            )
            if best is None or (copies, key) > best[:2]:
                best = (copies, key, f)
        return best[2] if best else None

    def _top(self, cat: str, k: int) -> tuple[dict[str, Any], ...]:
        picked: list[dict[str, Any]] = []
        for x in self.hist[-min(k, CONTENT) :]:
            picked.extend(x.notable.get(cat, ()))
        if not picked and cat != "any":
            for x in self.hist[-CONTENT:]:
                picked.extend(x.notable.get("any", ()))
        picked.sort(key=_quote_key)
        return tuple(picked[:5])

    # -- daily figures -----------------------------------------------------------

    def daily(
        self, boundary: float, overdue: int, newly_overdue: int, urgent: int
    ) -> list[AlertChange]:
        """The day's unanswered figures, computed by the caller at `boundary`:
        comments past their answer deadline, those that passed it during the day,
        and urgent ones that went a day without an answer during the day. Worse
        than usual (against a week of history) is a 2; otherwise a 1. Before a week
        of history there is no usual day to state: the detail's `baseline` says so."""
        past = self.daily_hist[-7:]
        usual_new = sorted(h[0] for h in past)
        usual_urgent = sorted(h[1] for h in past)
        known = len(past) >= 7
        self.daily_hist.append([float(newly_overdue), float(urgent)])
        del self.daily_hist[:-14]
        found: dict[str, Finding] = {}
        if overdue >= 10:
            median = usual_new[len(usual_new) // 2] if known else float(newly_overdue)
            found["backlog"] = Finding(
                "backlog",
                sev.backlog_severity(newly_overdue, median),
                float(overdue),
                float(overdue - newly_overdue + median),
                overdue,
                0,
                boundary - 86400.0,
                boundary,
                detail={
                    "overdue": overdue,
                    "newly_overdue": newly_overdue,
                    "usual_new": median,
                    "baseline": known,
                },
            )
        if urgent >= 1:
            median = usual_urgent[len(usual_urgent) // 2] if known else float(urgent)
            found["sla_breach"] = Finding(
                "sla_breach",
                sev.sla_severity(urgent, median),
                float(urgent),
                float(median),
                urgent,
                0,
                boundary - 86400.0,
                boundary,
                detail={"urgent_unanswered": urgent, "usual": median, "baseline": known},
            )
        return self._book(found, boundary, kinds=DAILY_KINDS, close_after=1)

    # -- the alert book ----------------------------------------------------------

    def _book(
        self,
        found: dict[str, Finding],
        now: float,
        kinds: Iterable[str] = STREAM_KINDS,
        close_after: int = CLOSE_AFTER,
    ) -> list[AlertChange]:
        out: list[AlertChange] = []
        if not found and not self.alerts:
            return out
        for kind in kinds:
            f = found.get(kind)
            a = self.alerts.get(kind)
            if f is None:
                if a is not None:
                    a["quiet"] += 1
                    if a["quiet"] >= close_after:
                        del self.alerts[kind]
                        self.cooldown[kind] = [now, float(a["severity"])]
                        a["status"] = "closed"
                        a["updated_at"] = now
                        out.append(AlertChange(self._alert(a), "closed"))
                continue
            if a is None:
                cool = self.cooldown.get(kind)
                if cool is not None and now - cool[0] < COOLDOWN and f.severity <= cool[1]:
                    continue
                a = self.alerts[kind] = self._raise(f, now)
                out.append(AlertChange(self._alert(a), "raised"))
                continue
            change = self._grow(a, f, now)
            if change:
                out.append(AlertChange(self._alert(a), change))
        return out

    def _raise(self, f: Finding, now: float) -> dict[str, Any]:
        return {
            "id": alert_id(self.agency, f.kind, now),
            "kind": f.kind,
            "severity": f.severity,
            "status": "open",
            "raised_at": now,
            "updated_at": now,
            "window_start": f.start,
            "window_end": f.end,
            "observed": f.observed,
            "expected": f.expected,
            "n": f.n,
            "neg": f.neg,
            "last_end": f.end,
            "platform": f.platform,
            "topic": f.topic,
            "topics": list(f.topics),
            "terms": list(f.terms),
            "top": list(f.top),
            "persistence": 1,
            "score": f.score,
            "quiet": 0,
            "published": now,
            "detail": f.detail or {},
            "incident": None,
        }

    def _grow(self, a: dict[str, Any], f: Finding, now: float) -> str | None:
        """Fold the newest bucket into an open alert: counts since it was raised
        accumulate; severity only rises."""
        a["quiet"] = 0
        a["persistence"] += 1
        if f.kind in DAILY_KINDS or f.kind == "coordinated":
            a["observed"], a["expected"], a["n"], a["neg"] = f.observed, f.expected, f.n, f.neg
        elif f.end > a["last_end"]:
            a["observed"] += f.step[0]
            a["expected"] += f.step[1]
            a["n"] += f.step[2]
            a["neg"] += f.step[3]
        a["last_end"] = f.end
        a["window_end"] = f.end
        a["updated_at"] = now
        a["score"] = max(a["score"], f.score)
        if f.topic:
            a["topic"] = f.topic
        for t in f.topics:
            if t not in a["topics"] and len(a["topics"]) < 5:
                a["topics"].append(t)
        for t in f.terms:
            if t not in a["terms"] and len(a["terms"]) < 8:
                a["terms"].append(t)
        if f.top:
            merged = {q["comment_id"]: q for q in [*a["top"], *f.top]}
            a["top"] = sorted(merged.values(), key=_quote_key)[:5]
        a["detail"] = {**a["detail"], **(f.detail or {})}
        if f.severity > a["severity"]:
            a["severity"] = f.severity
            a["published"] = now
            return "escalated"
        if now - a["published"] >= UPDATE_EVERY * BUCKET or f.kind in DAILY_KINDS:
            a["published"] = now
            return "updated"
        return None

    def _alert(self, a: dict[str, Any]) -> Alert:
        n = a["n"]
        return Alert(
            id=a["id"],
            agency=self.agency,
            kind=a["kind"],
            severity=int(a["severity"]),
            status=a["status"],
            raised_at=_dt(a["raised_at"]),
            updated_at=_dt(a["updated_at"]),
            window_start=_dt(a["window_start"]),
            window_end=_dt(a["window_end"]),
            observed=round(float(a["observed"]), 2),
            expected=round(float(a["expected"]), 2),
            negative_share=round(a["neg"] / n, 3) if n and a["kind"] not in DAILY_KINDS else None,
            summary="",
            incident_id=a.get("incident"),
            platform=a["platform"],
            topic=a["topic"],
            topics=list(a["topics"]),
            terms=list(a["terms"]),
            top_comments=list(a["top"]),
            persistence=int(a["persistence"]),
            score=round(float(a["score"]), 2),
            detail={**a["detail"], "comments": int(n)},
        )

    def open_alerts(self) -> list[Alert]:
        return [self._alert(a) for a in self.alerts.values()]


def _anonymous(key: str) -> str:
    """An author stand-in for a comment without one: its own, so it counts as one
    more author (twelve hex digits, as long as a pseudonym's kept prefix)."""
    return hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
