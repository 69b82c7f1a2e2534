"""retention run: blank raw personal data older than `retention.raw_days` (off by default).

What goes and what stays is described in `qulaq/storage/retention.py`; run it
daily from cron (see docs/RUNBOOK.md).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from qulaq.cli.output import ArgumentValueError, emit_json
from qulaq.errors import UserError
from qulaq.i18n import register as register_messages
from qulaq.i18n import t
from qulaq.timefmt import iso

if TYPE_CHECKING:
    from stream.embedded_bus import TopicTrim
    from stream.retention import KafkaTrim

register_messages(
    {
        "retention.off": {
            "en": "retention is off: set retention.raw_days in the config file or pass --days; "
            "nothing was changed",
            "ru": "срок хранения не задан: укажите retention.raw_days в файле настроек или "
            "--days; ничего не изменено",
            "kk": "сақтау мерзімі қосылмаған: баптау файлында retention.raw_days немесе --days "
            "көрсетіңіз; ештеңе өзгерген жоқ",
        },
        "retention.header": {
            "en": "raw personal data from before {cutoff} ({days:g} days):",
            "ru": "исходные персональные данные до {cutoff} ({days:g} дн.):",
            "kk": "{cutoff} дейінгі бастапқы дербес деректер ({days:g} күн):",
        },
        "retention.done": {
            "en": "  {what}: {rows} rows blanked",
            "ru": "  {what}: очищено строк {rows}",
            "kk": "  {what}: {rows} жол тазартылды",
        },
        "retention.dry": {
            "en": "  {what}: {rows} rows would be blanked (dry run, nothing changed)",
            "ru": "  {what}: будет очищено строк {rows} (пробный запуск, ничего не изменено)",
            "kk": "  {what}: {rows} жол тазартылар еді (сынақ, ештеңе өзгерген жоқ)",
        },
        "retention.comments": {
            "en": "comment texts, authors and links",
            "ru": "тексты комментариев, авторы и ссылки",
            "kk": "пікір мәтіндері, авторлар мен сілтемелер",
        },
        "retention.comment_versions": {
            "en": "texts in the version history",
            "ru": "тексты в истории правок",
            "kk": "түзетулер тарихындағы мәтіндер",
        },
        "retention.alerts": {
            "en": "comments quoted in alerts",
            "ru": "комментарии, цитируемые в оповещениях",
            "kk": "дабылдарда келтірілген пікірлер",
        },
        "retention.alert_changes": {
            "en": "comments quoted in alert changes",
            "ru": "комментарии, цитируемые в изменениях оповещений",
            "kk": "дабыл өзгерістерінде келтірілген пікірлер",
        },
        "retention.log": {
            "en": "  embedded log {topic}: {mb:.1f} MB of consumed records removed",
            "ru": "  встроенный журнал {topic}: удалено {mb:.1f} МБ обработанных записей",
            "kk": "  ішкі журнал {topic}: өңделген жазбалардың {mb:.1f} МБ жойылды",
        },
        "retention.log_dry": {
            "en": "  embedded log {topic}: {mb:.1f} MB of consumed records would be removed "
            "(dry run)",
            "ru": "  встроенный журнал {topic}: будет удалено {mb:.1f} МБ обработанных записей "
            "(пробный запуск)",
            "kk": "  ішкі журнал {topic}: өңделген жазбалардың {mb:.1f} МБ жойылар еді (сынақ)",
        },
        "retention.kafka": {
            "en": "  Kafka topic {topic}: {n} processed messages removed",
            "ru": "  топик Kafka {topic}: удалено обработанных сообщений {n}",
            "kk": "  Kafka топигі {topic}: өңделген {n} хабарлама жойылды",
        },
        "retention.kafka_dry": {
            "en": "  Kafka topic {topic}: {n} processed messages would be removed (dry run)",
            "ru": "  топик Kafka {topic}: будет удалено обработанных сообщений {n} "
            "(пробный запуск)",
            "kk": "  Kafka топигі {topic}: өңделген {n} хабарлама жойылар еді (сынақ)",
        },
        "retention.quarantine": {
            "en": "raw quarantined lines",
            "ru": "исходные строки в карантине",
            "kk": "карантиндегі бастапқы жолдар",
        },
    }
)


def register(sub: Any) -> None:
    p = sub.add_parser("retention", help="remove raw personal data older than retention.raw_days")
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = rsub.add_parser(
        "run",
        help="blank comment texts, authors, links, version texts, quoted comments and raw "
        "quarantined lines older than retention.raw_days; counts and alerts stay",
    )
    q.add_argument("--dry-run", action="store_true", help="only count what would go")
    q.add_argument(
        "--days",
        type=_days,
        metavar="N",
        help="keep N days instead of retention.raw_days (for this run)",
    )
    q.add_argument("--json", action="store_true", help="print a JSON object")
    q.set_defaults(handler=cmd_retention_run)


def _days(value: str) -> float:
    from qulaq.storage.retention import MAX_DAYS

    try:
        days = float(value)
    except ValueError:
        raise ArgumentValueError(UserError.t("arg.not_days", value=value)) from None
    if not 0 < days < float("inf"):
        raise ArgumentValueError(UserError.t("arg.not_positive_days", value=value))
    if days > MAX_DAYS:
        raise ArgumentValueError(UserError.t("arg.too_many_days", value=value, most=MAX_DAYS))
    return days


def cmd_retention_run(args: argparse.Namespace) -> int:
    from qulaq.cli import log_file
    from qulaq.config import load_settings
    from qulaq.storage.database import Database
    from qulaq.storage.retention import apply, raw_days

    settings = load_settings()
    days = raw_days(settings, args.days)
    if days is None:
        if args.json:
            emit_json(
                {
                    "enabled": False,
                    "dry_run": args.dry_run,
                    "tables": [],
                    "embedded_log": [],
                    "kafka_topics": [],
                }
            )
        else:
            print(t("retention.off"))
        return 0
    log_file()
    db = Database.open(settings)
    try:
        now = datetime.now(UTC)
        cutoff, outcomes = apply(db, days, dry_run=args.dry_run, now=now)
        # the bus holds raw comments too: the embedded log, or the Kafka topics
        from stream.retention import trim_embedded, trim_kafka_topics

        trims: list[TopicTrim] = []
        topics: list[KafkaTrim] = []
        if settings.uses_kafka:
            topics = trim_kafka_topics(settings, cutoff, dry_run=args.dry_run)
        else:
            trims = trim_embedded(settings, db, days, now, dry_run=args.dry_run)
    finally:
        db.dispose()
    if not args.dry_run:
        import logging

        logging.getLogger("qulaq.retention").info(
            "retention: blanked data from before %s: %s",
            iso(cutoff),
            ", ".join(f"{o.table} {o.rows}" for o in outcomes),
        )
        for trim in trims:
            logging.getLogger("qulaq.retention").info(
                "retention: embedded log %s: %d bytes removed (%s)",
                trim.topic,
                trim.bytes,
                trim.how,
            )
    if args.json:
        emit_json(
            {
                "enabled": True,
                "dry_run": args.dry_run,
                "days": days,
                "cutoff": cutoff,
                "tables": [{"table": o.table, "rows": o.rows} for o in outcomes],
                "embedded_log": [{"topic": x.topic, "bytes": x.bytes, "how": x.how} for x in trims],
                "kafka_topics": [{"topic": x.topic, "messages": x.messages} for x in topics],
            }
        )
        return 0
    print(t("retention.header", cutoff=iso(cutoff), days=days))
    key = "retention.dry" if args.dry_run else "retention.done"
    for o in outcomes:
        print(t(key, what=t(f"retention.{o.table}"), rows=o.rows))
    for trim in trims:
        log_key = "retention.log_dry" if args.dry_run else "retention.log"
        print(t(log_key, topic=trim.topic, mb=trim.bytes / 1e6))
    for topic in topics:
        kafka_key = "retention.kafka_dry" if args.dry_run else "retention.kafka"
        print(t(kafka_key, topic=topic.topic, n=topic.messages))
    return 0
