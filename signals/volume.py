"""Online spike detection over one univariate series in event time.

`VolumeDetector.update(timestamp, value)` returns a `Decision` for that point
using only it and the points before it. The detector is a small state machine
with no I/O; its whole state is a plain dict (`to_dict` / `from_dict`), so a
streaming stage can checkpoint one detector per counter (agency, platform,
topic, negativity share...).

How a point is judged
---------------------
1. Three forecasts of the value run side by side, each with a robust scale:
   *recent* (an exponentially weighted level over the last few dozen points),
   *daily* (a slow level plus an offset per local hour of day) and *weekly*
   (the same per hour of the week). Updates are clipped at a few scales, so a
   spike barely moves the baselines. The forecast whose recent absolute error
   is smallest is used; the daily one only after a day of history, the weekly
   one after eight days. Before that the recent statistics stand alone, which
   is what lets the detector alert within the first day.
2. The residual over the chosen scale gives a surprise `z` per point and, on a
   second time scale, for the average of the last dozen points (a build-up or
   a level shift that no single point shows).
3. Each scale's surprise is compared with the series' own history of
   surprises: the loudest moment of each past day is kept (two weeks), and the
   alert threshold sits above their median by a margin that widens when daily
   maxima vary a lot (bursty series) -- a series that is always noisy must be
   louder than usual to alert. A fixed floor keeps quiet series from alerting
   on trifles.
4. Hysteresis: an alert is raised when a surprise crosses its threshold and
   no episode is open; the episode stays open until the score has been low for
   several points. A lasting anomaly is flagged where it starts, not on every row.
   Right after an episode closes, a new alert needs a louder surprise (twice the
   threshold at first, back to the threshold within a few hours): the tail of a
   burst that flares up again is the same event, not a new one.

Absurd values: a value more than a trillion times further from the recent level
than the series' own size (the smaller of the two, its finest step, its spread)
is judged --
it raises an alert, or continues the episode -- but not learned from, like a
missing reading: one stray `1e200` must not drag the baselines and the surprise
history so far that nothing after it can alert for thousands of points (or, once
squares overflow, turn every later score into NaN). Should such values persist
(a change of units, say), the detector starts afresh from the new level after a
few of them in a row. No point of the NAB corpus comes within a hundred thousand
times of that bound.

`upward_only=True` ignores falls (comment volume: a quiet hour is no crisis);
the default judges both directions, which suits generic metrics.

Times: the clock fields (hour, weekday, date) come from the timestamp as
given, so an offset-aware timestamp is judged on its own local time; naive
timestamps are taken as they are. Irregular sampling and gaps are fine: the
slow baselines are weighted by elapsed time, not by point count.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NamedTuple

_EPOCH_NAIVE = datetime(1970, 1, 1)
_INF = math.inf
_NAN = math.nan
_decision = tuple.__new__  # Decision without its generated __new__: this is the hot path
sqrt = math.sqrt
_MAD_TO_SD = 1.2533  # sd / mean absolute deviation for a normal distribution
STATE_VERSION = 2
# a seasonal slot's own scale counts as much as the model's pooled scale once
# it rests on this many points
_POOL = 6.0
_IN_EPISODE_CAP = 0.499  # below the alert level of 0.5
# a value this many times further from the recent level than the series' own size
# (level, finest step, spread) is absurd: judged, not learned (see the module doc)
_ABSURD = 1e12
_ABSURD_RUN = 6  # so many absurd values in a row: start afresh from the new level
# surprises are bounded here so that squares and averages of them never overflow
_Z_MAX = 1e150


class Decision(NamedTuple):
    """The verdict on one point.

    `score` (0..1) is the evidence for raising an alert here: it is at least
    0.5 exactly where `is_anomaly` is true, the first point of an episode.
    Inside an episode that is already alerted it stays just below 0.5 however
    loud the point, so a threshold on the score never re-flags an ongoing
    anomaly; `ongoing` marks the points after the alert while the episode
    lasts. `expected` is the baseline forecast for the point.
    """

    score: float
    is_anomaly: bool
    expected: float = math.nan
    ongoing: bool = False


@dataclass(frozen=True)
class DetectorConfig:
    """Parameters; the defaults are what `qulaq detect` uses."""

    upward_only: bool = False
    # recent baseline: exponential weighting over about this many points
    recent_points: float = 24.0
    # baseline updates are clipped at this many scales (robustness to spikes)
    clip: float = 3.0
    # time constants of the seasonal baselines, in days
    level_days: float = 1.0
    season_days: float = 3.0
    error_days: float = 1.0
    # history needed before the daily profile may be used, in days
    season_min_days: float = 1.0
    weekly: bool = True
    # the long time scale, in points, over which residuals are averaged
    long_points: int = 12
    # alert thresholds: floor, and margin over the median of past daily maxima
    z_floor: float = 5.0
    ref_factor: float = 1.6
    ref_spread: float = 1.0
    ref_prior: float = 3.5
    ref_days: int = 14
    ref_min_days: int = 3
    # points before any alert may be raised
    warmup_points: int = 12
    # an episode closes after this many points below exit_level x threshold
    exit_level: float = 0.5
    quiet_points: int = 6
    # after an episode closes, a new alert needs (1 + rearm_boost) x the threshold,
    # a requirement that decays with this time constant (hours) back to the threshold
    rearm_boost: float = 1.0
    rearm_hours: float = 6.0


class VolumeDetector:
    """Online detector for one series. Feed points in time order with `update`."""

    __slots__ = (
        "_absurd",
        "_act",
        "_cfg",
        "_closed_t",
        "_day",
        "_day_max",
        "_day_maxes",
        "_dprof",
        "_dscale",
        "_dseen",
        "_dt",
        "_ema",
        "_err",
        "_first_t",
        "_k",
        "_last_x",
        "_level",
        "_n",
        "_quiet",
        "_res",
        "_rscale",
        "_t",
        "_thr",
        "_wprof",
        "_wscale",
        "_wseen",
    )

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self._cfg = c = config or DetectorConfig()
        long_rate = 1.0 / c.long_points
        self._k = (
            c.clip,
            c.recent_points,
            1.0 / 24.0 / c.level_days,
            1.0 / c.season_days,
            1.0 / 24.0 / c.error_days,
            c.season_min_days,
            7.0 + c.season_min_days if c.weekly else _INF,
            c.warmup_points,
            long_rate,
            math.sqrt((2.0 - long_rate) / long_rate),
            c.upward_only,
            c.exit_level,
            c.quiet_points,
        )
        self._n = 0
        self._t = math.nan
        self._first_t = math.nan
        self._dt = math.nan
        self._res = math.inf
        self._last_x = math.nan
        # levels: recent, daily model, weekly model
        self._level = [math.nan, math.nan, math.nan]
        self._rscale = 0.0
        self._err = [0.0, 0.0, 0.0]
        self._dprof = [0.0] * 24
        self._dscale = [0.0] * 24
        self._dseen = [0.0] * 24  # hours of data seen per slot
        self._wprof = [0.0] * 168
        self._wscale = [0.0] * 168
        self._wseen = [0.0] * 168
        self._ema = 0.0
        self._day = -1
        self._day_max = [0.0, 0.0]
        self._day_maxes: list[list[float]] = [[], []]
        first = self._threshold([])
        self._thr = [first, first]
        self._act = False
        self._quiet = 0
        self._closed_t = math.nan  # when the last episode closed
        self._absurd = 0  # absurd values in a row just before this point

    @property
    def config(self) -> DetectorConfig:
        return self._cfg

    @property
    def in_episode(self) -> bool:
        """True while an alerted anomaly is still going on."""
        return self._act

    # -- state ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Config and state as plain JSON-serialisable data (None where not yet known)."""
        state = {name[1:]: _encode(getattr(self, name)) for name in _SAVED}
        return {"version": STATE_VERSION, "config": asdict(self._cfg), "state": state}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VolumeDetector:
        if data.get("version") not in (1, STATE_VERSION):
            raise ValueError(f"unsupported detector state version {data.get('version')!r}")
        det = cls(DetectorConfig(**data["config"]))
        state = data["state"]
        for name in _SAVED:
            if name[1:] not in state:  # a version-1 state: no episode has closed yet
                continue
            setattr(det, name, _decode(state[name[1:]], math.inf if name == "_res" else math.nan))
        return det

    # -- thresholds ----------------------------------------------------------

    def _threshold(self, maxima: list[float]) -> float:
        """Alert threshold from past daily maxima of the surprise (see the module doc)."""
        c = self._cfg
        prior = math.log1p(c.ref_prior)
        logs = sorted(
            [math.log1p(v) for v in maxima] + [prior] * max(0, c.ref_min_days - len(maxima))
        )
        mid = logs[len(logs) // 2]
        mad = sorted(abs(v - mid) for v in logs)[len(logs) // 2]
        margin = max(c.ref_spread * 1.4826 * mad, math.log(c.ref_factor))
        return max(c.z_floor, math.expm1(mid + margin))

    def _roll_day(self, day: int) -> None:
        keep = self._cfg.ref_days
        for k in (0, 1):
            hist = self._day_maxes[k]
            hist.append(self._day_max[k])
            if len(hist) > keep:
                del hist[0]
            self._thr[k] = self._threshold(hist)
            self._day_max[k] = 0.0
        self._day = day

    # -- the detector --------------------------------------------------------

    def update(self, timestamp: datetime, value: float) -> Decision:
        """Judge one point. Points come in time order; ties and late points are tolerated."""
        x = float(value)
        if x != x or x == _INF or x == -_INF:
            return _decision(Decision, (0.0, False, _NAN, self._act))
        level = self._level
        if self._n:
            # the series' own size: the smaller of the level and the value (so that an
            # absurd first value is found out by the sane ones after it), its finest
            # step, its spread
            lvl = level[0]
            ref = self._res
            ref = 0.5 * ref if ref != _INF else 0.0
            size = -lvl if lvl < 0.0 else lvl
            ax = -x if x < 0.0 else x
            if ax < size:
                size = ax
            if size > ref:
                ref = size
            if _MAD_TO_SD * self._rscale > ref:
                ref = _MAD_TO_SD * self._rscale
            if ref > 0.0 and not -_ABSURD * ref <= x - lvl <= _ABSURD * ref:
                return self._absurd_value(timestamp, x, lvl)
            self._absurd = 0
        if timestamp.tzinfo is None:
            t = (timestamp - _EPOCH_NAIVE).total_seconds()
        else:
            t = timestamp.timestamp()
        hour = timestamp.hour
        how = timestamp.weekday() * 24 + hour
        day = timestamp.toordinal()
        n = self._n + 1
        self._n = n
        if n == 1:
            self._t = self._first_t = t
            self._last_x = x
            level[0] = level[1] = level[2] = x
            self._day = day
            return _decision(Decision, (0.0, False, x, False))
        (
            clip,
            recent_points,
            level_per_hour,
            season_per_hour,
            error_per_hour,
            season_min_days,
            weekly_min_days,
            warmup,
            long_rate,
            long_norm,
            upward_only,
            exit_level,
            quiet_points,
        ) = self._k

        step = t - self._t
        dt = self._dt
        if step > 0.0:
            self._t = t
            if dt != dt:
                dt = step
            else:
                bounded = step if step < 4.0 * dt else 4.0 * dt
                if bounded < 0.25 * dt:
                    bounded = 0.25 * dt
                dt += 0.05 * (bounded - dt)
            self._dt = dt
        else:
            step = 0.0
        dx = x - self._last_x
        if dx < 0.0:
            dx = -dx
        if 0.0 < dx < self._res:
            self._res = dx
        self._last_x = x
        if day != self._day:
            self._roll_day(day)

        # the smallest scale worth resolving: half the finest step seen in the data
        floor = 0.5 * self._res if self._res != _INF else 1e-12
        lvl = level[0]
        lvl_floor = 1e-9 * (lvl if lvl > 0.0 else -lvl)
        if lvl_floor > floor:
            floor = lvl_floor
        err = self._err
        e0, e1, e2 = err
        per_slot = 3600.0 / dt if dt > 0.0 else 1.0

        # the three forecasts and their scales
        r0 = x - lvl
        s0 = _MAD_TO_SD * self._rscale
        if s0 < floor:
            s0 = floor
        dprof = self._dprof
        dseen = self._dseen[hour]
        r1 = x - level[1] - dprof[hour]
        m = dseen * per_slot
        sl = self._dscale[hour]
        s1 = _MAD_TO_SD * sqrt((m * sl * sl + _POOL * e1 * e1) / (m + _POOL))
        if s1 < floor:
            s1 = floor
        wprof = self._wprof
        wseen = self._wseen[how]
        r2 = x - level[2] - wprof[how]
        m = wseen * per_slot
        sl = self._wscale[how]
        s2 = _MAD_TO_SD * sqrt((m * sl * sl + _POOL * e2 * e2) / (m + _POOL))
        if s2 < floor:
            s2 = floor

        span_days = (self._t - self._first_t) / 86400.0
        z = r0 / s0
        expected = lvl
        best = e0
        if span_days >= season_min_days and dseen >= 1.0 and e1 < best:
            z = r1 / s1
            expected = x - r1
            best = e1
        if span_days >= weekly_min_days and wseen >= 1.0 and e2 < best:
            z = r2 / s2
            expected = x - r2

        if not -_Z_MAX < z < _Z_MAX:  # values near the largest float: no overflow later
            z = math.copysign(_Z_MAX, z) if z == z else 0.0

        # -- learn: clipped updates, so that a spike barely moves a baseline ---
        a = 1.0 / n if n < recent_points else 1.0 / recent_points
        lim0 = clip * s0
        level[0] = lvl + a * (lim0 if r0 > lim0 else -lim0 if r0 < -lim0 else r0)
        ar0 = -r0 if r0 < 0.0 else r0
        if ar0 > lim0:
            ar0 = lim0
        self._rscale += a * (ar0 - self._rscale)

        hours = step / 3600.0
        level_rate = hours * level_per_hour if n > 2 else 0.5
        if level_rate > 1.0:
            level_rate = 1.0
        season_rate = hours * season_per_hour
        if season_rate > 1.0:
            season_rate = 1.0

        if dseen < 1.0:
            g = 1.0
            lim1 = _INF
            self._dseen[hour] = 1.0
        else:
            g = 1.0 / (1.0 + dseen * per_slot)
            if season_rate > g:
                g = season_rate
            lim1 = clip * s1
            self._dseen[hour] = dseen + hours
        dprof[hour] += g * (lim1 if r1 > lim1 else -lim1 if r1 < -lim1 else r1)
        ar1 = -r1 if r1 < 0.0 else r1
        if ar1 > lim1:
            ar1 = lim1
        self._dscale[hour] += g * (ar1 - self._dscale[hour])
        d = x - dprof[hour] - level[1]
        level[1] += level_rate * (lim1 if d > lim1 else -lim1 if d < -lim1 else d)

        if wseen < 1.0:
            g = 1.0
            lim2 = _INF
            self._wseen[how] = 1.0
        else:
            g = 1.0 / (1.0 + wseen * per_slot)
            if season_rate > g:
                g = season_rate
            lim2 = clip * s2
            self._wseen[how] = wseen + hours
        wprof[how] += g * (lim2 if r2 > lim2 else -lim2 if r2 < -lim2 else r2)
        ar2 = -r2 if r2 < 0.0 else r2
        if ar2 > lim2:
            ar2 = lim2
        self._wscale[how] += g * (ar2 - self._wscale[how])
        d = x - wprof[how] - level[2]
        level[2] += level_rate * (lim2 if d > lim2 else -lim2 if d < -lim2 else d)

        e = hours * error_per_hour
        if e > 0.0:
            if e > 1.0:
                e = 1.0
            err[0] = e0 + e * (ar0 - e0)
            err[1] = e1 + e * (ar1 - e1)
            err[2] = e2 + e * (ar2 - e2)

        if n < warmup:
            return _decision(Decision, (0.0, False, expected, False))

        # -- judge against this series' own history of surprises -------------
        ema = self._ema + long_rate * (z - self._ema)
        self._ema = ema
        z_long = ema * long_norm
        if upward_only:
            m0 = z if z > 0.0 else 0.0
            m1 = z_long if z_long > 0.0 else 0.0
        else:
            m0 = -z if z < 0.0 else z
            m1 = -z_long if z_long < 0.0 else z_long
        day_max = self._day_max
        if m0 > day_max[0]:
            day_max[0] = m0
        if m1 > day_max[1]:
            day_max[1] = m1
        thr = self._thr
        ratio = m0 / thr[0]
        r_long = m1 / thr[1]
        if r_long > ratio:
            ratio = r_long
        if not self._act:
            closed = self._closed_t
            if closed == closed:  # just after an episode: the tail of a burst is no news
                c = self._cfg
                hours = (self._t - closed) / 3600.0
                if c.rearm_hours > 0.0 and hours < 10.0 * c.rearm_hours:
                    need = (1.0 + c.rearm_boost) * math.exp(-hours / c.rearm_hours)
                    if need > 1.0:
                        ratio /= need
        sq = ratio * ratio
        score = sq / (1.0 + sq) if sq < _INF else 1.0

        if ratio >= 1.0:
            self._quiet = 0
            if not self._act:
                self._act = True
                return _decision(Decision, (score, True, expected, False))
        elif self._act:
            if ratio < exit_level:
                self._quiet += 1
                if self._quiet >= quiet_points:
                    self._act = False
                    self._quiet = 0
                    self._closed_t = self._t
                    return _decision(Decision, (score, False, expected, False))
            else:
                self._quiet = 0
        if self._act:
            if score > _IN_EPISODE_CAP:
                score = _IN_EPISODE_CAP
            return _decision(Decision, (score, False, expected, True))
        return _decision(Decision, (score, False, expected, False))

    def _absurd_value(self, timestamp: datetime, x: float, expected: float) -> Decision:
        """Judge an absurd value without learning from it: it raises an alert unless an
        episode is open (then it keeps the episode open). After `_ABSURD_RUN` of them in
        a row the series has moved to another scale: start afresh from this value."""
        self._absurd += 1
        if self._absurd >= _ABSURD_RUN:
            fresh = VolumeDetector(self._cfg)
            for name in _SAVED:
                setattr(self, name, getattr(fresh, name))
            return self.update(timestamp, x)
        if self._n + 1 < self._k[7]:  # still warming up: no alert, as for any point
            return _decision(Decision, (0.0, False, expected, False))
        self._quiet = 0
        if self._act:
            return _decision(Decision, (_IN_EPISODE_CAP, False, expected, True))
        self._act = True
        return _decision(Decision, (1.0, True, expected, False))


# everything but what is rebuilt from the config
_SAVED = tuple(name for name in VolumeDetector.__slots__ if name not in ("_cfg", "_k"))


def _encode(value: Any) -> Any:
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


def _decode(value: Any, unknown: float) -> Any:
    if isinstance(value, list):
        return [_decode(v, math.nan) for v in value]
    return unknown if value is None else value
