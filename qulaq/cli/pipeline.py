"""replay, run, stats, quarantine: moving comments through the pipeline."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from qulaq import gc_tuning
from qulaq.cli import log_file
from qulaq.cli.output import Column, emit_json, positive_int, progress_bar, table
from qulaq.config import load_settings
from qulaq.i18n import current_lang, name, register_names, t

_REASONS_SHOWN = 8  # kinds of quarantine reason named in replay's summary


def register(sub: Any) -> None:
    p = sub.add_parser("replay", help="publish the events of a JSONL file into the bus")
    p.add_argument("file", type=Path, metavar="FILE.jsonl")
    p.add_argument("--speed", default="max", help="'max' (default) or N for N× real time")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=cmd_replay)

    p = sub.add_parser("run", help="run every stage: scoring, signals, playbooks, storage")
    p.add_argument(
        "--until-idle", action="store_true", help="exit once every published event is processed"
    )
    p.add_argument(
        "--stage",
        choices=("all", "score", "store", "signals", "playbooks"),
        default="all",
        help="on Kafka: run one stage only (scale out with replicas)",
    )
    p.add_argument(
        "--batch",
        type=positive_int,
        default=None,
        help="events per batch (default: 5000 embedded, 2000 per Kafka stage)",
    )
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("stats", help="counts of what is stored")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("quarantine", help="lines and messages kept in quarantine")
    qsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = qsub.add_parser("list", help="list quarantined lines with their reasons")
    q.add_argument("--limit", type=positive_int, default=50)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_quarantine_list)


def cmd_replay(args: argparse.Namespace) -> int:
    from stream.replay import ReplayInterrupted, parse_speed, replay_file

    speed = parse_speed(args.speed)
    settings = load_settings()
    log_file()
    path: Path = args.file
    size = path.stat().st_size if path.is_file() else 0
    try:
        with progress_bar(total=size, unit="B", desc="replay") as bar:
            gc_tuning.settle()  # this process streams a file to its end
            counts = replay_file(settings, path, speed=speed, on_progress=bar.update)
    except ReplayInterrupted as stopped:
        c = stopped.counts
        print(
            t(
                "replay.interrupted",
                file=_shown(path),
                line=stopped.line,
                published=c.published,
                quarantined=c.quarantined,
            ),
            file=sys.stderr,
        )
        raise KeyboardInterrupt from None
    if args.json:
        emit_json(counts.as_dict())
    else:
        print(
            t(
                "replay.done",
                file=_shown(path),
                published=counts.published,
                quarantined=counts.quarantined,
                blank=counts.blank,
                seconds=counts.seconds,
            )
        )
        if counts.reasons:
            shown = counts.reasons.most_common(_REASONS_SHOWN)
            parts = [f"{r} ×{n}" for r, n in shown]
            rest = counts.quarantined - sum(n for _r, n in shown)
            if rest:
                parts.append(t("replay.reasons_rest", n=rest))
            print(t("replay.reasons", reasons="; ".join(parts)))
    return 0


def _shown(path: Path) -> str:
    """A file by its name; a pipe or device by the path given ("/dev/fd/63", not "63")."""
    return path.name if path.is_file() else str(path)


def cmd_run(args: argparse.Namespace) -> int:
    from stream.pipeline import build_pipeline

    settings = load_settings()
    log_file()
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    if not args.until_idle:
        signal.signal(signal.SIGINT, on_signal)
        print(t("run.waiting", bus=settings.bus), file=sys.stderr)

    if settings.uses_kafka:
        from stream.kafka_runtime import KafkaRuntime, stage_names

        stages = stage_names(settings) if args.stage == "all" else [args.stage]
        kafka = KafkaRuntime(None, stages, settings=settings, batch_size=args.batch or 2000)
        lags = kafka.run(until_idle=args.until_idle, stop=stop)
        if args.json:
            emit_json({"bus": "kafka", "stages": kafka.stages, "lag": lags})
        elif args.until_idle:
            print(t("run.kafka_idle", stages=", ".join(kafka.stages)))
        return 0

    pipeline = build_pipeline(settings)
    from stream.embedded_runtime import EMBEDDED_BATCH, EmbeddedRuntime

    if args.stage not in ("all",):
        from qulaq.errors import UserError

        raise UserError.t("run.stage_needs_kafka")
    runtime = EmbeddedRuntime(pipeline, batch_size=args.batch or EMBEDDED_BATCH)
    gc_tuning.settle()  # this process stores batches until it ends
    total = runtime.pending_bytes() if args.until_idle else 0
    with progress_bar(total=total, unit="B", desc="run", enabled=args.until_idle) as bar:
        done = [0]

        def on_batch(_stats: Any, remaining: int) -> None:
            now_done = total - remaining
            bar.update(max(0, now_done - done[0]))
            done[0] = now_done

        stats = runtime.run(until_idle=args.until_idle, stop=stop, on_batch=on_batch)
    if args.json:
        emit_json(
            {
                "bus": "embedded",
                "messages": stats.messages,
                "stored": stats.stored,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
                "quarantined": stats.quarantined,
                "seconds": round(stats.seconds, 3),
            }
        )
    elif stats.messages == 0 and args.until_idle:
        print(t("run.idle"))
    else:
        rate = stats.messages / stats.seconds if stats.seconds else 0.0
        print(
            t(
                "run.done",
                messages=stats.messages,
                stored=stats.stored,
                updated=stats.updated,
                quarantined=stats.quarantined,
                rate=rate,
            )
        )
    return 0


# `qulaq stats`: what each count is, in the reader's language (--json keeps the keys)
STATS_LABELS: dict[str, tuple[str, str, str]] = {
    "comments": ("comments", "комментарии", "пікірлер"),
    "quarantined": ("quarantined", "в карантине", "карантинде"),
    "deleted": ("deleted", "удалённые", "жойылғандар"),
    "edited": ("edited", "отредактированные", "өңделгендер"),
    "versions": ("versions", "версии текстов", "мәтін нұсқалары"),
    "official_replies": ("official_replies", "официальные ответы", "ресми жауаптар"),
    "replies": ("replies", "ответы в ветках", "тармақтағы жауаптар"),
    "agencies": ("agencies", "ведомства", "мекемелер"),
    "posts": ("posts", "публикации", "жарияланымдар"),
    "first_comment_at": ("first_comment_at", "первый комментарий", "алғашқы пікір"),
    "last_comment_at": ("last_comment_at", "последний комментарий", "соңғы пікір"),
    "by_platform": ("by_platform", "по платформам", "платформалар бойынша"),
    "by_sentiment": ("by_sentiment", "по тональности", "көңіл-күй бойынша"),
    "by_lang": ("by_lang", "по языкам", "тілдер бойынша"),
    "by_agency": ("by_agency", "по ведомствам", "мекемелер бойынша"),
    "quarantine_reasons": ("quarantine_reasons", "причины карантина", "карантин себептері"),
}
register_names("stats", {"label": STATS_LABELS})


def cmd_stats(args: argparse.Namespace) -> int:
    from qulaq.storage.database import Database
    from qulaq.storage.stats import storage_stats
    from qulaq.timefmt import iso
    from sentiment.names import lang_name, sentiment_name
    from signals.messages import platform_name

    settings = load_settings()
    db = Database.open(settings)
    with db.read() as conn:
        stats = storage_stats(conn)
    if args.json:
        emit_json(stats)
        return 0
    lang = current_lang()
    named = {"by_platform": platform_name, "by_sentiment": sentiment_name, "by_lang": lang_name}
    rows = []
    for key, value in stats.items():
        if isinstance(value, dict):
            said = named.get(key, lambda k, _: k)
            shown = ", ".join(f"{said(k, lang)} {v}" for k, v in list(value.items())[:12]) or "-"
        elif isinstance(value, datetime):
            shown = iso(value) or "-"  # Kazakhstan time, as everywhere
        else:
            shown = "-" if value is None else str(value)
        label = name("stats", "label", key)
        rows.append([label, shown])
    for line in table([Column(), Column(gap=2)], rows):
        print(line)
    return 0


def cmd_quarantine_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from qulaq.storage.database import Database
    from qulaq.storage.schema import quarantine

    settings = load_settings()
    db = Database.open(settings)
    q = quarantine.c
    with db.read() as conn:
        rows = conn.execute(
            select(q.id, q.origin, q.reason, q.raw, q.received_at).order_by(q.id).limit(args.limit)
        ).all()
    items = [
        {
            "id": r.id,
            "origin": r.origin,
            "reason": r.reason,
            "raw": bytes(r.raw[:2000]).decode("utf-8", "backslashreplace"),
            "received_at": r.received_at,
        }
        for r in rows
    ]
    if args.json:
        emit_json(items)
    else:
        for it in items:
            raw = it["raw"].replace("\n", " ")
            print(f"{it['origin']}  {it['reason']}  {raw[:80]!r}")
    return 0
