"""The dashboard's overview with a million comments stored.

    python -m bench.dashboard [--comments N]

Comments are written straight into a fresh SQLite database with bulk inserts (not
through the pipeline): 30 days of 60 registry agencies and a few unknown accounts,
a daily rhythm, and a crisis at one akimat in the last hours. Measured: building
the hourly rollups from nothing, the overview's data, the overview page rendered by
Streamlit (AppTest, the whole script: login check, rollup refresh, ranking, map,
matrix), and the same after new comments arrive (an incremental refresh).
Target: the overview under 2 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

TARGET_SECONDS = 2.0
END = datetime(2026, 3, 20, 5, 0, tzinfo=UTC)  # 10:00 in Almaty
DAYS = 30
CRISIS = "akimat-almaty"
PLATFORMS = ("instagram", "facebook", "vk", "telegram", "x", "youtube", "tiktok", "web")
TOPICS = (
    "housing_utilities",
    "roads_transport",
    "education",
    "health",
    "social_payments",
    "ecology",
)
LANGS = ("ru", "kk", "mixed", "en", "other")
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
_COLUMNS = (
    "platform, account, comment_id, agency, agency_explicit, kind, is_official_reply, "
    "created_at, text, text_rank, text_hash, has_original, deleted, sentiment, p_positive, "
    "p_neutral, p_negative, lang, aggression, topics, needs_answer, urgent, severity, "
    "answer_days, likes, answered_at, stored_at, updated_at, row_version"
)


def _agencies() -> list[str]:
    from qulaq.registry import Registry

    registry = Registry.default()
    chosen = [a.id for a in registry.agencies() if a.valid_to is None][:60]
    if CRISIS not in chosen:
        chosen[0] = CRISIS
    return [*chosen, "vk:club_bench_1", "telegram:bench_chat", "instagram:bench.page"]


def generate(conn: Any, n: int, seed: int = 11) -> int:
    """Insert `n` comments with bulk executemany calls; returns how many were written."""
    rng = np.random.default_rng(seed)
    agencies = _agencies()
    hours = DAYS * 24
    start = END - timedelta(hours=hours)
    local_hour = (np.arange(hours) + start.hour + 5) % 24
    rhythm = (
        0.25 + np.exp(-((local_hour - 11) ** 2) / 18) + 0.8 * np.exp(-((local_hour - 20) ** 2) / 8)
    )
    weights = np.outer(rng.lognormal(0.0, 1.0, len(agencies)), rhythm)
    crisis = agencies.index(CRISIS)
    weights[crisis, -3:] *= 12.0
    weights /= weights.sum()
    counts = rng.multinomial(n, weights.ravel()).reshape(weights.shape)
    # hour-major order: the rows arrive as a live stream would write them
    flat = counts.T.ravel()
    agency_of = np.repeat(np.tile(np.arange(len(agencies)), hours), flat)
    hour_of = np.repeat(np.repeat(np.arange(hours), len(agencies)), flat)
    epoch = int(start.timestamp()) + hour_of * 3600 + rng.integers(0, 3600, n)
    created = np.char.replace(
        np.datetime_as_string((epoch * 1_000_000).astype("datetime64[us]"), unit="us"), "T", " "
    )
    stored = np.char.replace(
        np.datetime_as_string(((epoch + 2) * 1_000_000).astype("datetime64[us]"), unit="us"),
        "T",
        " ",
    )
    answered_at = np.char.replace(
        np.datetime_as_string(((epoch + 6 * 3600) * 1_000_000).astype("datetime64[us]"), unit="us"),
        "T",
        " ",
    )
    in_crisis = (agency_of == crisis) & (hour_of >= hours - 3)
    p_neg = np.where(in_crisis, rng.beta(6, 2, n), rng.beta(2, 4, n)).round(3)
    official = rng.random(n) < 0.04
    needs = ~official & (rng.random(n) < 0.3)
    answered = needs & (rng.random(n) < 0.15)
    days = np.array([1, 3, 15])[rng.integers(0, 3, n)]
    severity = np.array(["light", "medium", "heavy"])[np.searchsorted([1, 3, 15], days)]
    sentiment = np.where(p_neg > 0.5, "negative", np.where(p_neg < 0.15, "positive", "neutral"))
    aggressive = (p_neg > 0.8) & (rng.random(n) < 0.3)
    urgent = needs & (rng.random(n) < 0.05)
    platform = np.array(PLATFORMS)[
        np.where(rng.random(n) < 0.9, np.arange(n) % 3, rng.integers(0, 8, n))
    ]
    lang = np.array(LANGS)[rng.integers(0, len(LANGS), n)]
    topic_json = [json.dumps([t]) for t in TOPICS]
    topic = rng.integers(0, len(TOPICS), n)
    likes = rng.integers(0, 20, n)
    names = [str(a) for a in agencies]
    platform, created, stored, answered_at = (
        platform.tolist(),
        created.tolist(),
        stored.tolist(),
        answered_at.tolist(),
    )
    sentiment, lang, severity = sentiment.tolist(), lang.tolist(), severity.tolist()
    p_neg, likes, topic, days = p_neg.tolist(), likes.tolist(), topic.tolist(), days.tolist()
    official, needs, answered = official.tolist(), needs.tolist(), answered.tolist()
    aggressive, urgent = aggressive.tolist(), urgent.tolist()
    rows = [
        (
            platform[i],
            names[a] + ".account",
            f"b{i}",
            names[a],
            0,
            "comment",
            int(official[i]),
            created[i],
            f"comment {i}",
            0,
            "bench",
            1,
            0,
            sentiment[i],
            round(max(0.0, 0.8 - p_neg[i]), 3),
            0.2,
            p_neg[i],
            lang[i],
            "aggression" if aggressive[i] else "none",
            topic_json[topic[i]],
            int(needs[i]),
            int(urgent[i]),
            severity[i] if needs[i] else None,
            days[i] if needs[i] else None,
            likes[i],
            answered_at[i] if answered[i] else None,
            stored[i],
            stored[i],
            1,
        )
        for i, a in enumerate(agency_of.tolist())
    ]
    from qulaq.storage.schema import comments

    cursor = _cursor(conn)
    cursor.execute("PRAGMA cache_size = -400000")  # 400 MB: index pages stay in memory
    # a bulk load: the secondary indexes are built once afterwards, not row by row
    secondary = [ix for ix in comments.indexes if not ix.unique]
    for ix in secondary:
        ix.drop(conn)
    sql = f"INSERT INTO comments ({_COLUMNS}) VALUES ({', '.join(['?'] * 29)})"
    for chunk in range(0, n, 100_000):
        cursor.executemany(sql, rows[chunk : chunk + 100_000])
    for ix in secondary:
        ix.create(conn)
    return n


def _cursor(conn: Any) -> Any:
    raw = conn.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("no database connection")
    return raw.cursor()


def _render(page_query: dict[str, str] | None = None) -> float:
    from streamlit.testing.v1 import AppTest

    import dashboard

    at = AppTest.from_file(str(Path(dashboard.__file__).with_name("app.py")), default_timeout=300)
    at.query_params.update(page_query or {})
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return seconds


def run(comments: int = 1_000_000) -> dict[str, Any]:
    from dashboard import data, ranking, rollups
    from qulaq.config import load_settings
    from qulaq.registry import Registry
    from qulaq.storage.database import Database

    root = Path(tempfile.mkdtemp(prefix="qulaq-bench-dashboard-"))
    saved = {
        k: os.environ.get(k) for k in ("QULAQ_HOME", "QULAQ_DATABASE_URL", "QULAQ_DASHBOARD_HOST")
    }
    os.environ["QULAQ_HOME"] = str(root)
    os.environ.pop("QULAQ_DATABASE_URL", None)
    os.environ["QULAQ_DASHBOARD_HOST"] = "127.0.0.1"
    try:
        db = Database.open(load_settings())
        t = time.perf_counter()
        with db.write() as conn:
            written = generate(conn, comments)
        generate_s = time.perf_counter() - t
        with db.write() as conn:
            full = rollups.refresh(conn)
        with db.read() as conn:
            at = data.default_as_of(conn)
            t = time.perf_counter()
            model = ranking.overview(conn, Registry.default(), at)
            data_s = time.perf_counter() - t
        first = _render()
        warm = [_render() for _ in range(3)]

        # new comments arrive: 2,000 in the last hour at the crisis agency, 1,000 answers
        with db.write() as conn:
            cursor = _cursor(conn)
            now = datetime.now(UTC).strftime(_SQLITE_TIME)
            cursor.executemany(
                f"INSERT INTO comments ({_COLUMNS}) VALUES ({', '.join(['?'] * 29)})",
                [
                    (
                        "instagram",
                        f"{CRISIS}.account",
                        f"new{i}",
                        CRISIS,
                        0,
                        "comment",
                        0,
                        (END - timedelta(minutes=1 + i % 50)).strftime(_SQLITE_TIME),
                        "нет отопления",
                        0,
                        "x",
                        1,
                        0,
                        "negative",
                        0.05,
                        0.05,
                        0.9,
                        "ru",
                        "none",
                        '["housing_utilities"]',
                        1,
                        0,
                        "medium",
                        3,
                        0,
                        None,
                        now,
                        now,
                        1,
                    )
                    for i in range(2000)
                ],
            )
            cursor.execute(
                "UPDATE comments SET answered_at = created_at, updated_at = ? "
                "WHERE id IN (SELECT id FROM comments WHERE needs_answer = 1 LIMIT 1000)",
                (now,),
            )
        with db.write() as conn:
            incremental = rollups.refresh(conn)
        after = _render()
        size_mb = sum(p.stat().st_size for p in root.glob("qulaq.db*")) / 1e6
        overview_s = min(warm)
        return {
            "comments": written,
            "agencies": len(model.ranked),
            "first_ranked": model.ranked[0].agency if model.ranked else None,
            "database_mb": round(size_mb, 1),
            "generate_seconds": round(generate_s, 1),
            "rollup_full_seconds": round(full.seconds, 2),
            "rollup_buckets": full.buckets,
            "rollup_incremental_seconds": round(incremental.seconds, 3),
            "rollup_incremental_buckets": incremental.buckets,
            "overview_data_seconds": round(data_s, 3),
            "overview_render_first_seconds": round(first, 2),
            "overview_render_seconds": round(overview_s, 3),
            "overview_render_runs": [round(w, 3) for w in warm],
            "overview_render_after_new_comments_seconds": round(after, 3),
            "target_seconds": TARGET_SECONDS,
            "within_target": overview_s < TARGET_SECONDS and after < TARGET_SECONDS,
        }
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(root, ignore_errors=True)


def report(results: dict[str, Any]) -> str:
    r = results
    verdict = "within" if r["within_target"] else "OVER"
    return "\n".join(
        [
            f"dashboard overview, {r['comments']:,} comments stored "
            f"({r['database_mb']} MB SQLite, {r['agencies']} agencies)",
            f"  bulk insert                 {r['generate_seconds']:>8.1f} s",
            f"  rollups from nothing        {r['rollup_full_seconds']:>8.2f} s "
            f"({r['rollup_buckets']:,} agency-hours)",
            f"  overview data (ranking)     {r['overview_data_seconds']:>8.3f} s",
            f"  overview page, first run    {r['overview_render_first_seconds']:>8.2f} s "
            "(a new server process: imports, ranking computed)",
            f"  overview page, next runs    {r['overview_render_seconds']:>8.3f} s "
            f"(ranking cached; runs {r['overview_render_runs']})",
            f"  2,000 new comments arrive:  rollups {r['rollup_incremental_seconds']:.3f} s, "
            f"page {r['overview_render_after_new_comments_seconds']:.3f} s (ranking recomputed)",
            f"  {verdict} the {r['target_seconds']:.0f} s target",
            f"  ranked first: {r['first_ranked']}",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--comments", type=int, default=1_000_000)
    args = ap.parse_args()
    print(report(run(args.comments)))


if __name__ == "__main__":
    main()
