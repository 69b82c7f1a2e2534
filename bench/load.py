"""Load: a million comments through each runtime, and comment-to-alert latency.

    python -m bench.load [--events N] [--runtimes embedded,kafka] [--bursts K]
                         [--kafka HOST:PORT] [--no-latency]

Measured in one run, every process a real `qulaq` command in a fresh
QULAQ_HOME (SQLite):

1. **Embedded**: `qulaq replay` of N generated comments (the demo generator,
   with one broken line in every 1000 so the quarantine path is loaded too),
   then `qulaq run --until-idle`. Throughput per second of wall time and per
   CPU second, peak RSS of every process (the runtime scores in a process of
   its own when there are two cores), and nothing lost: stored + quarantined
   (`qulaq stats`) must equal the lines replayed.
2. **Kafka**, when a broker is reachable (`--kafka`, else `QULAQ_BUS` if it
   names Kafka, else `QULAQ_TEST_KAFKA`, else 127.0.0.1:9092): the same file
   replayed into Kafka and every stage run until idle (one process per stage),
   next to the raw kafka-python produce+consume rate of the same bytes
   measured in the same run. Skipped with the reason when no broker answers.
3. **Latency**: `qulaq run` in live mode; for K agencies in turn, an hour of
   ordinary comments and then a burst that trips the volume detector, and then
   one comment stamped *now* whose event time closes the burst's window (a
   5-minute bucket is judged once the agency's clock is 5 minutes past its
   end). Latency is from that comment being durable in the raw log to the
   alert row being readable in the database.

Peak RSS is read twice: VmHWM of each process from /proc while it runs, and
ru_maxrss from wait4 (the largest process of the tree, children included).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

RUNTIMES = ("embedded", "kafka")
BAD_EVERY = 1000  # one broken line in this many: the quarantine path is part of the load
TARGET_LATENCY_S = 5.0
BUCKET_S = 300  # signals/monitor.py BUCKET: the volume detector's 5-minute buckets
KZ = timezone(timedelta(hours=5))
_CLEARED = ("QULAQ_DATABASE_URL", "QULAQ_CONFIG", "QULAQ_BUS", "QULAQ_KAFKA_PREFIX")


# -- processes and their memory ------------------------------------------------------------


@dataclass
class _Seen:
    pid: int
    start: int  # clock ticks after boot, to order the children
    role: str
    hwm_kb: int = 0
    cpu_ticks: int = 0


@dataclass
class _Watch:
    """Polls /proc for a process and all its descendants: peak RSS (VmHWM) and CPU."""

    root: int
    top: int = 0  # depth of the measured command below root: 1 when started by the launcher
    every: float = 0.1
    seen: dict[int, _Seen] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> _Watch:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.every):
                return

    def sample(self) -> None:
        for pid, depth in _tree(self.root):
            stat = _stat(pid)
            hwm = _hwm_kb(pid)
            if stat is None or hwm is None:
                continue
            start, ticks = stat
            s = self.seen.get(pid)
            if s is None or s.start != start:
                s = self.seen[pid] = _Seen(pid, start, _role(pid, depth - self.top))
            elif s.role == "child":  # seen between fork and exec: what did it become?
                s.role = _role(pid, depth - self.top)
            s.hwm_kb = max(s.hwm_kb, hwm)
            s.cpu_ticks = max(s.cpu_ticks, ticks)


def _tree(root: int) -> list[tuple[int, int]]:
    """The process and its descendants, with their depth below it."""
    out: list[tuple[int, int]] = []
    todo = [(root, 0)]
    while todo:
        pid, depth = todo.pop()
        out.append((pid, depth))
        for task in _listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError, ValueError):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                todo.extend((int(c), depth + 1) for c in children)
    return out


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _stat(pid: int) -> tuple[int, int] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # fields from the third on: utime is 14th, stime 15th, starttime 22nd of the whole line
    return int(fields[19]), int(fields[11]) + int(fields[12])


def _hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return 0


def _role(pid: int, depth: int) -> str:
    if depth < 0:
        return "launcher"
    if depth == 0:
        return "main"
    try:
        cmd = (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return "child"
    if "resource_tracker" in cmd:
        return "resource-tracker"
    if "spawn_main" in cmd:
        return "worker"
    return "child"


# Runs a command and reports its rusage from wait4. The measured command is started by this
# small process rather than by the benchmark: a child's ru_maxrss starts from the high-water
# mark of the process it was forked from, and the benchmark is much larger than this.
_LAUNCHER = (
    "import json, os, sys\n"
    "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, ru = os.wait4(pid, 0)\n"
    "with open(sys.argv[1], 'w') as fh:\n"
    "    json.dump({'cpu_s': ru.ru_utime + ru.ru_stime, 'maxrss_kb': ru.ru_maxrss}, fh)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _run_measured(
    args: Sequence[str],
    env: dict[str, str],
    workdir: Path,
    *,
    worker_names: Sequence[str] = (),
) -> dict[str, Any]:
    """Run `qulaq ARGS` to its end: wall and CPU time, peak RSS per process and of the
    tree, and its JSON output."""
    tag = f"{args[0]}-{uuid.uuid4().hex[:6]}"
    out_path, err_path = workdir / f"{tag}.out", workdir / f"{tag}.err"
    usage_path = workdir / f"{tag}.rusage"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, str(usage_path)]
        proc = subprocess.Popen(
            [*launcher, sys.executable, "-m", "qulaq", *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=workdir,
        )
        with _Watch(proc.pid, top=1) as watch:
            proc.wait()
            wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = err_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"qulaq {' '.join(args)} exited {proc.returncode}: {tail}")
    usage = json.loads(usage_path.read_text())
    text = out_path.read_text().strip()
    home = Path(env["QULAQ_HOME"])
    restarts = _restarts(home) if worker_names else []
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage["cpu_s"], 3),
        "tree_max_rss_mb": round(usage["maxrss_kb"] / 1024, 1),
        "processes": _processes(watch, [*worker_names, *restarts]),
        "restarts": restarts,
        "output": json.loads(text) if text.startswith("{") else text,
    }


def _restarts(home: Path) -> list[str]:
    """Stages the Kafka runtime restarted, in order, from QULAQ_HOME's log."""
    try:
        text = (home / "logs" / "qulaq.log").read_text(errors="replace")
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        if "; restarting" in line and "stage " in line:
            found.append(line.split("stage ", 1)[1].split()[0])
    return found


def _processes(watch: _Watch, worker_names: Sequence[str]) -> list[dict[str, Any]]:
    hz = os.sysconf("SC_CLK_TCK")
    seen = sorted(
        (s for s in watch.seen.values() if s.role != "launcher"), key=lambda s: (s.start, s.pid)
    )
    workers = [s for s in seen if s.role == "worker"]
    named = len(workers) == len(worker_names)
    out = []
    for s in seen:
        role = s.role
        if role == "worker" and worker_names:
            # spawned in the order the runtime starts its stages; a restarted stage
            # makes the order ambiguous, and then they stay "worker"
            role = worker_names[workers.index(s)] if named else "worker"
        out.append(
            {
                "role": role,
                "pid": s.pid,
                "peak_rss_mb": round(s.hwm_kb / 1024, 1),
                "cpu_s": round(s.cpu_ticks / hz, 2),
            }
        )
    return out


def _env(home: Path, bus: str = "embedded", prefix: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env["QULAQ_HOME"] = str(home)
    env["QULAQ_BUS"] = bus
    if prefix:
        env["QULAQ_KAFKA_PREFIX"] = prefix
    return env


def _stats(env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "qulaq", "stats", "--json"],
        capture_output=True,
        env=env,
        cwd=env["QULAQ_HOME"],  # no qulaq.toml of the caller's working directory
        check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


# -- helpers run in a process of their own ------------------------------------------------------
# The benchmark itself stays small: the stream and the raw client's copy of it are held by
# short-lived helpers, so the memory of the machine is the commands' during their runs.

REPO = Path(__file__).resolve().parent.parent


def _helper(function: str, *args: str) -> Any:
    """Call `bench.load.<function>(*args)` in a new interpreter; its JSON result."""
    code = (
        "import json, sys\n"
        "from bench import load\n"
        f"print(json.dumps(load.{function}(*sys.argv[1:])))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{function} failed: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def raw_client(path: str, servers: str, client: str = "kafka-python") -> dict[str, Any]:
    """bench.pipeline.raw_kafka_rate (or raw_librdkafka_rate) over the valid lines of the
    file (the raw client does not validate, so the broken lines are left out)."""
    from bench.pipeline import raw_kafka_rate, raw_librdkafka_rate

    data = [
        line for line in Path(path).read_bytes().split(b"\n") if line.startswith(b'{"platform":"')
    ]
    rate = raw_librdkafka_rate if client == "librdkafka" else raw_kafka_rate
    return rate(data, servers)


# -- the stream ------------------------------------------------------------------------------


def write_stream(
    path: str | Path, events: int | str, bad_every: int | str = BAD_EVERY
) -> dict[str, Any]:
    """`events` lines from the demo generator (bench.pipeline.make_events), every
    `bad_every`-th replaced by a line that is not JSON. Returns the counts."""
    from bench.pipeline import make_events

    path, events, bad_every = Path(path), int(events), int(bad_every)
    t0 = time.perf_counter()
    data = make_events(events)
    bad = 0
    with path.open("wb") as fh:
        for i, line in enumerate(data, 1):
            if bad_every and i % bad_every == 0:
                line = b'{"platform": "instagram", "comment_id": broken line ' + str(i).encode()
                bad += 1
            fh.write(line)
            fh.write(b"\n")
    return {
        "lines": len(data),
        "broken_lines": bad,
        "bytes": path.stat().st_size,
        "generate_s": round(time.perf_counter() - t0, 1),
    }


# -- end to end through one runtime ----------------------------------------------------------


def run_runtime(
    path: Path, lines: int, workdir: Path, *, bus: str, stages: Sequence[str] = ()
) -> dict[str, Any]:
    """`qulaq replay FILE` then `qulaq run --until-idle`, measured, then `qulaq stats`."""
    name = "kafka" if bus.startswith("kafka://") else "embedded"
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    env = _env(workdir / f"home-{name}", bus, prefix)
    replay = _run_measured(["replay", str(path), "--json"], env, workdir)
    run = _run_measured(["run", "--until-idle", "--json"], env, workdir, worker_names=stages)
    stats = _stats(env)
    wall = replay["wall_s"] + run["wall_s"]
    cpu = replay["cpu_s"] + run["cpu_s"]
    published = int(replay["output"]["published"])
    quarantined_at_edge = int(replay["output"]["quarantined"])
    stored, quarantined = int(stats["comments"]), int(stats["quarantined"])
    return {
        "bus": bus,
        "kafka_prefix": prefix if name == "kafka" else None,
        "lines": lines,
        "published": published,
        "quarantined_at_edge": quarantined_at_edge,
        "stored": stored,
        "quarantined": quarantined,
        "lost": lines - stored - quarantined,
        "nothing_lost": stored + quarantined == lines,
        "replay": replay,
        "run": run,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "per_s": round(lines / wall, 1),
        "per_cpu_s": round(lines / cpu, 1) if cpu else 0.0,
        "replay_per_s": round(lines / replay["wall_s"], 1),
        "run_per_s": round(lines / run["wall_s"], 1),
        "run_per_cpu_s": round(lines / run["cpu_s"], 1) if run["cpu_s"] else 0.0,
    }


def kafka_servers(explicit: str | None = None) -> str:
    """The broker to use: `--kafka`, else QULAQ_BUS when it names Kafka (CONTRACT §1), else
    QULAQ_TEST_KAFKA as the tests use, else the development broker of `make kafka`."""
    if explicit:
        return explicit
    bus = os.environ.get("QULAQ_BUS", "")
    if bus.startswith("kafka://"):
        return bus[len("kafka://") :]
    return os.environ.get("QULAQ_TEST_KAFKA", "127.0.0.1:9092")


def kafka_unreachable(servers: str) -> str | None:
    """Why no broker can be used, or None when one answers."""
    for hostport in (s.strip() for s in servers.split(",") if s.strip()):
        host, _, port = hostport.rpartition(":")
        try:
            with socket.create_connection((host or hostport, int(port or 9092)), timeout=2):
                pass
        except (OSError, ValueError):
            continue
        try:
            from kafka import KafkaAdminClient

            KafkaAdminClient(bootstrap_servers=servers, request_timeout_ms=5000).close()
        except Exception as exc:
            return f"broker at {servers} accepts connections but does not answer ({exc})"
        return None
    return f"no Kafka broker reachable at {servers} (make kafka, or --kafka HOST:PORT)"


def _drop_topics(servers: str, prefix: str) -> None:
    from kafka import KafkaAdminClient

    with contextlib.suppress(Exception):
        admin = KafkaAdminClient(bootstrap_servers=servers, request_timeout_ms=10_000)
        try:
            mine = [t for t in admin.list_topics() if t.startswith(prefix + ".")]
            if mine:
                admin.delete_topics(mine)
        finally:
            admin.close()


def run_kafka(path: Path, lines: int, workdir: Path, servers: str) -> dict[str, Any]:
    from qulaq.config import load_settings
    from stream.kafka_runtime import stage_names

    settings = load_settings({"QULAQ_HOME": str(workdir / "home-kafka")})
    stages = stage_names(settings)
    result = run_runtime(path, lines, workdir, bus=f"kafka://{servers}", stages=stages)
    _drop_topics(servers, str(result["kafka_prefix"]))
    # the same bytes through kafka-python alone, in this run
    raw: dict[str, Any] = _helper("raw_client", str(path), servers)
    result["raw_client"] = raw
    result["vs_raw_client"] = round(result["per_s"] / raw["produce_consume_per_s"], 4)
    # and through librdkafka alone, the client the stages themselves use
    fast: dict[str, Any] = _helper("raw_client", str(path), servers, "librdkafka")
    result["raw_librdkafka"] = fast
    result["vs_raw_librdkafka"] = round(result["per_s"] / fast["produce_consume_per_s"], 4)
    return result


# -- comment-to-alert latency, live -----------------------------------------------------------


def _texts(n: int, negative: bool) -> list[str]:
    """Comment texts from the demo stream: the crisis scenario's for a burst, any for a
    baseline."""
    from qulaq.demo import generate, scenarios

    crisis = next(s for s in scenarios() if s["kind"] == "crisis")
    onset = datetime.fromisoformat(crisis["onset"])
    end = onset + timedelta(hours=2)
    accounts = {(a["platform"], a["account"]) for a in crisis["accounts"]}
    out: list[str] = []
    for ev in generate(days=3, seed=7):
        if ev.get("kind") not in (None, "comment") or not ev.get("text"):
            continue
        if negative:
            at = datetime.fromisoformat(ev["created_at"])
            if (ev["platform"], ev["account"]) not in accounts or not onset <= at < end:
                continue
        out.append(str(ev["text"]))
        if len(out) >= n:
            break
    return out


def _comment(account: str, i: int, text: str, at: datetime) -> bytes:
    return orjson.dumps(
        {
            "platform": "telegram",
            "account": account,
            "comment_id": f"{i}",
            "text": text,
            "created_at": at.astimezone(KZ).isoformat(timespec="seconds"),
            "author_id": f"u{i % 997}",
            "kind": "comment",
        }
    )


class _Feed:
    """Publishes comments into the raw topic the way `qulaq replay` does (validated, keyed
    by agency), from this process, so the moment one is durable is known."""

    def __init__(self, env: dict[str, str]) -> None:
        from qulaq.config import load_settings
        from qulaq.storage.database import Database
        from stream.bus import open_bus
        from stream.pipeline import load_registry

        self.settings = load_settings(env)
        self.registry = load_registry(self.settings)
        self.bus = open_bus(self.settings)
        self.db = Database.open(self.settings)

    def agency(self, line: bytes) -> str:
        from qulaq.events import parse_event
        from stream.stages import partition_key

        return partition_key(self.registry, parse_event(line)).decode()

    def publish(self, lines: Sequence[bytes]) -> float:
        """Publish and flush; the time (perf_counter) at which they are durable."""
        from qulaq.events import parse_event
        from stream.bus import H_ORIGIN, RAW
        from stream.stages import partition_key

        topic = self.bus.topic(RAW)
        with self.bus.producer() as producer:
            for n, line in enumerate(lines, 1):
                key = partition_key(self.registry, parse_event(line))
                producer.send(topic, line, key=key, headers={H_ORIGIN: f"bench-load:{n}"})
        return time.perf_counter()

    def stored(self, agency: str) -> int:
        from sqlalchemy import func, select

        from qulaq.storage.schema import comments

        with self.db.read() as conn:
            q = select(func.count()).select_from(comments).where(comments.c.agency == agency)
            return int(conn.execute(q).scalar_one())

    def alerts(self, agency: str) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from qulaq.storage.schema import alerts

        a = alerts.c
        with self.db.read() as conn:
            rows = conn.execute(
                select(a.kind, a.severity, a.window_start, a.window_end).where(a.agency == agency)
            ).all()
        return [
            {"kind": r.kind, "severity": r.severity, "window_end": str(r.window_end)} for r in rows
        ]

    def close(self) -> None:
        self.db.dispose()


def _wait(check: Any, timeout: float, every: float = 0.025) -> float | None:
    """Poll `check()` until true; the perf_counter time it was first seen true."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if check():
            return time.perf_counter()
        time.sleep(every)
    return None


def measure_latency(
    workdir: Path, bursts: int = 5, *, baseline_per_bucket: int = 3, burst_size: int = 100
) -> dict[str, Any]:
    env = _env(workdir / "home-live")
    err = (workdir / "live-run.err").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qulaq", "run"],
        stdout=subprocess.DEVNULL,
        stderr=err,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=workdir,
    )
    feed = _Feed(env)
    results: list[dict[str, Any]] = []
    run_tag = uuid.uuid4().hex[:6]
    plain, angry = _texts(400, negative=False), _texts(400, negative=True) or ["Позор!"]
    try:
        with _Watch(proc.pid) as watch:
            # warm up: the first batch loads the models in the scoring process
            warm = [
                _comment(f"bench_warm_{run_tag}", i, plain[i], datetime.now(UTC)) for i in range(5)
            ]
            feed.publish(warm)
            if _wait(lambda: feed.stored(feed.agency(warm[0])) >= 5, 180, 0.2) is None:
                raise RuntimeError("the live runtime stored nothing within 180 s")
            for k in range(bursts):
                results.append(
                    _burst(
                        feed,
                        f"bench_load_{run_tag}_{k}",
                        plain,
                        angry,
                        baseline_per_bucket,
                        burst_size,
                    )
                )
                if proc.poll() is not None:
                    raise RuntimeError(f"qulaq run exited {proc.returncode} during the bursts")
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()
        feed.close()
    latencies = [r["latency_s"] for r in results if r["latency_s"] is not None]
    return {
        "bursts": results,
        "alerted": len(latencies),
        "median_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(_quantile(latencies, 0.95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "target_s": TARGET_LATENCY_S,
        "target_met": bool(latencies)
        and len(latencies) == len(results)
        and _quantile(latencies, 0.95) < TARGET_LATENCY_S,
        "processes": _processes(watch, ("scorer",)),
    }


def _burst(
    feed: _Feed, account: str, plain: list[str], angry: list[str], per_bucket: int, size: int
) -> dict[str, Any]:
    """An hour of ordinary comments, then a burst in the 5-minute bucket that ended at
    least 5 minutes ago, then one comment at now, which lets that bucket be judged."""
    now = time.time()
    bucket = math.floor(now / BUCKET_S) - 2  # ends ≥ 5 min before now: judged by a comment at now
    lines: list[bytes] = []
    i = 0
    for b in range(bucket - 12, bucket):
        for j in range(per_bucket):
            at = datetime.fromtimestamp(b * BUCKET_S + (j + 0.5) * BUCKET_S / per_bucket, UTC)
            lines.append(_comment(account, i, plain[i % len(plain)], at))
            i += 1
    for j in range(size):
        at = datetime.fromtimestamp(bucket * BUCKET_S + j * (BUCKET_S - 10) / size, UTC)
        lines.append(_comment(account, i, angry[j % len(angry)], at))
        i += 1
    agency = feed.agency(lines[0])
    t_burst = feed.publish(lines)
    # the stream before the closing comment is stored (the runtime keeps up), so the
    # figure is the closing comment's own path: read, score, store, judge, commit
    if _wait(lambda: feed.stored(agency) >= len(lines), 120, 0.1) is None:
        raise RuntimeError(f"the burst for {agency} was not stored within 120 s")
    stored_after = time.perf_counter() - t_burst
    if feed.alerts(agency):
        raise RuntimeError(f"{agency} alerted before its window could be judged")
    closing = _comment(account, i, plain[i % len(plain)], datetime.now(UTC))
    t_written = feed.publish([closing])
    t_alert = _wait(lambda: bool(feed.alerts(agency)), 60)
    window_end = datetime.fromtimestamp((bucket + 1) * BUCKET_S, UTC)
    return {
        "agency": agency,
        "comments": len(lines) + 1,
        "burst": size,
        "window_end": window_end.isoformat(),
        "burst_stored_s": round(stored_after, 3),
        "latency_s": None if t_alert is None else round(t_alert - t_written, 3),
        "alerts": feed.alerts(agency),
    }


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# -- back-pressure: what the code bounds -------------------------------------------------------


def backpressure() -> dict[str, Any]:
    """Which queues between the parts of each runtime are bounded, read from the code."""
    import inspect

    from stream.embedded_bus import EmbeddedProducer
    from stream.embedded_runtime import EmbeddedRuntime, ProcessSource

    batch = inspect.signature(EmbeddedRuntime.__init__).parameters["batch_size"].default
    flush = inspect.signature(EmbeddedProducer.__init__).parameters["batch"].default
    depth = ProcessSource.QUEUE_BATCHES
    return {
        "embedded": [
            {
                "queue": "scoring process → writer (ProcessSource, multiprocessing.Queue)",
                "bounded": True,
                "detail": f"{depth} batches of {batch}: a slow writer blocks the scorer's put",
            },
            {
                "queue": "producer buffer (EmbeddedProducer)",
                "bounded": True,
                "detail": f"flushed to the log every {flush} messages",
            },
            {
                "queue": "raw log (QULAQ_HOME/bus) between replay/collectors and qulaq run",
                "bounded": False,
                "detail": "an append-only file: producers never wait for the runtime, the "
                "unprocessed backlog grows on disk without limit (memory of qulaq run does not "
                "grow with it); processed records go after embedded.keep_days (7)",
            },
        ],
        "kafka": [
            {
                "queue": "topics between stages (raw, scored, alerts, …)",
                "bounded": False,
                "detail": "on the broker's disk; a slow stage only grows its group's lag",
            },
            {
                "queue": "librdkafka producer queue in each stage",
                "bounded": True,
                "detail": "queue.buffering.max.messages (100,000 default): a full queue makes "
                "send wait for deliveries; every stage flushes after each batch before "
                "committing its input",
            },
            {
                "queue": "librdkafka consumer prefetch",
                "bounded": True,
                "detail": "a batch per poll; prefetch bounded by queued.max.messages.kbytes",
            },
        ],
    }


# -- the whole benchmark -----------------------------------------------------------------------


def run(
    events: int = 1_000_000,
    runtimes: Sequence[str] = RUNTIMES,
    *,
    kafka: str | None = None,
    bursts: int = 5,
    latency: bool = True,
    bad_every: int = BAD_EVERY,
) -> dict[str, Any]:
    unknown = set(runtimes) - set(RUNTIMES)
    if unknown:
        raise ValueError(f"unknown runtimes {sorted(unknown)}; choose from {RUNTIMES}")
    results: dict[str, Any] = {
        "events": events,
        "cores": os.cpu_count() or 1,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory(prefix="qulaq-bench-load-") as tmp:
        work = Path(tmp)
        path = work / "events.jsonl"
        results["stream"] = _helper("write_stream", str(path), str(events), str(bad_every))
        lines = int(results["stream"]["lines"])
        if "embedded" in runtimes:
            # with two cores the runtime scores in a process of its own
            results["embedded"] = run_runtime(path, lines, work, bus="embedded", stages=("scorer",))
        if "kafka" in runtimes:
            servers = kafka_servers(kafka)
            reason = kafka_unreachable(servers)
            if reason:
                results["kafka"] = {"skipped": reason}
            else:
                results["kafka"] = run_kafka(path, lines, work, servers)
        path.unlink()
        if latency:
            results["latency"] = measure_latency(work, bursts)
    results["backpressure"] = backpressure()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


# -- the report ----------------------------------------------------------------------------


def _mb(p: dict[str, Any]) -> str:
    return f"{p['role']} {p['peak_rss_mb']:.0f} MB/{p['cpu_s']:.0f} CPU-s"


def _rss(step: dict[str, Any]) -> str:
    procs = [p for p in step["processes"] if p["role"] != "resource-tracker"]
    return ", ".join(_mb(p) for p in procs) + f" (tree max {step['tree_max_rss_mb']:.0f} MB)"


def _runtime_lines(name: str, r: dict[str, Any]) -> list[str]:
    if "skipped" in r:
        return [f"  {name}: skipped — {r['skipped']}"]
    lost = "nothing lost" if r["nothing_lost"] else f"LOST {r['lost']:,}"
    lines = [
        f"  {name:<9} {r['per_s']:>9,.0f}/s wall  {r['per_cpu_s']:>9,.0f}/CPU-s   "
        f"replay {r['replay_per_s']:>9,.0f}/s   run {r['run_per_s']:>9,.0f}/s "
        f"({r['run_per_cpu_s']:,.0f}/CPU-s)   {r['wall_s']:,.1f} s",
        f"  {'':<9} {r['lines']:,} lines = {r['stored']:,} stored + {r['quarantined']:,} "
        f"quarantined: {lost}",
        f"  {'':<9} peak RSS/CPU  replay: {_rss(r['replay'])}",
        f"  {'':<9}               run:    {_rss(r['run'])}",
    ]
    raw = r.get("raw_client")
    if raw:
        lines.append(
            f"  {'':<9} kafka-python raw produce+consume {raw['produce_consume_per_s']:,.0f}/s "
            f"on the same bytes; end to end / raw = {r['vs_raw_client']:.1%}"
        )
    fast = r.get("raw_librdkafka")
    if fast:
        lines.append(
            f"  {'':<9} librdkafka raw produce+consume {fast['produce_consume_per_s']:,.0f}/s "
            f"(the stages' client); end to end / that = {r['vs_raw_librdkafka']:.1%}"
        )
    return lines


def report(results: dict[str, Any]) -> str:
    s = results["stream"]
    lines = [
        f"load: {s['lines']:,} comments ({s['bytes'] / 1e6:,.0f} MB, {s['broken_lines']:,} "
        f"broken lines), replay + run --until-idle as separate processes, "
        f"{results['cores']} cores, load average "
        f"{', '.join(f'{x:.1f}' for x in results['load_average_before'])} before",
    ]
    for name in RUNTIMES:
        if name in results:
            lines.extend(_runtime_lines(name, results[name]))
    lat = results.get("latency")
    if lat:
        n = len(lat["bursts"])
        if lat["alerted"]:
            verdict = "met" if lat["target_met"] else "NOT met"
            lines.append(
                f"  comment→alert (live, embedded, {lat['alerted']}/{n} bursts alerted): "
                f"median {lat['median_s']:.2f} s, p95 {lat['p95_s']:.2f} s, "
                f"max {lat['max_s']:.2f} s — target < {lat['target_s']:.0f} s {verdict}"
            )
        else:
            lines.append(f"  comment→alert: no alert in {n} bursts")
        for b in lat["bursts"]:
            kinds = ",".join(sorted({a["kind"] for a in b["alerts"]})) or "-"
            shown = "none" if b["latency_s"] is None else f"{b['latency_s']:.2f} s"
            lines.append(f"    {b['agency']:<34} {shown:>8}   {kinds}")
        live = [p for p in lat["processes"] if p["role"] != "resource-tracker"]
        lines.append("    live qulaq run peak RSS: " + ", ".join(_mb(p) for p in live))
    bp = results.get("backpressure", {})
    for runtime, queues in bp.items():
        for q in queues:
            mark = "bounded  " if q["bounded"] else "UNBOUNDED"
            lines.append(f"  back-pressure {runtime:<8} {mark} {q['queue']}: {q['detail']}")
    return "\n".join(lines)


def save(results: dict[str, Any], out: Path | None = None) -> Path:
    out = out or Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    path = out / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    return path


def parse_runtimes(value: str) -> tuple[str, ...]:
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    bad = [n for n in names if n not in RUNTIMES]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(RUNTIMES)}")
    return names


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runtimes", type=parse_runtimes, default=RUNTIMES, help="embedded,kafka")
    ap.add_argument("--kafka", default=None, help="HOST:PORT of the broker")
    ap.add_argument("--bursts", type=int, default=5, help="latency bursts (agencies)")
    ap.add_argument("--no-latency", action="store_true", help="skip the live latency part")
    args = ap.parse_args(argv)
    results = run(
        args.events,
        args.runtimes,
        kafka=args.kafka,
        bursts=args.bursts,
        latency=not args.no_latency,
    )
    print(report(results))
    print(f"\nfigures written to bench/out/{save(results).name}")


if __name__ == "__main__":
    main()
