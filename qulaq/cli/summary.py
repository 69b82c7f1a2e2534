"""summary: one line per agency — volume, tone, aggression, replies."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.cli.output import Column, emit_json, table
from qulaq.i18n import current_lang, t
from qulaq.i18n import register as register_messages
from qulaq.timefmt import TimeOutOfRange, parse_user_time

register_messages(
    {
        "summary.columns": {
            "en": "agency|comments|neg%|aggr%|replies|answ%|topics",
            "ru": "ведомство|коммент.|негат%|агрес%|ответы|отв.%|темы",
            "kk": "мекеме|пікірлер|теріс%|агрес%|жауаптар|жауап%|тақырыптар",
        },
        "summary.empty": {
            "en": "no comments stored yet: replay a file and run the pipeline first",
            "ru": "комментариев пока нет: сначала воспроизведите файл и запустите конвейер",
            "kk": "әзірге пікір жоқ: алдымен файлды ойнатып, конвейерді іске қосыңыз",
        },
        "summary.empty_period": {
            "en": "no comments in that period",
            "ru": "за этот период комментариев нет",
            "kk": "бұл кезеңде пікір жоқ",
        },
    }
)


def register(sub: Any) -> None:
    p = sub.add_parser("summary", help="per-agency figures: volume, tone, aggression, replies")
    p.add_argument("--since", metavar="TIME", help="only comments from this time (ISO 8601)")
    p.add_argument("--until", metavar="TIME", help="only comments before this time")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_summary)


def _time(value: str | None, flag: str) -> Any:
    if value is None:
        return None
    from qulaq.errors import UserError

    try:
        return parse_user_time(value)
    except TimeOutOfRange:
        raise UserError.t("time.out_of_range", flag=flag, value=value) from None
    except ValueError:
        raise UserError.t("time.not_iso", flag=flag, value=value) from None


def cmd_summary(args: argparse.Namespace) -> int:
    from qulaq.config import load_settings
    from qulaq.storage.database import Database
    from qulaq.storage.summary import agency_summary
    from stream.pipeline import load_registry

    settings = load_settings()
    since, until = _time(args.since, "--since"), _time(args.until, "--until")
    if since is not None and until is not None and until <= since:
        from qulaq.errors import UserError

        raise UserError.t("time.not_after", until=args.until, since=args.since)
    db = Database.open(settings)
    with db.read() as conn:
        rows = agency_summary(conn, since, until)
    registry = load_registry(settings)
    lang = current_lang()
    for row in rows:
        row["name"] = registry.agency(row["agency"]).name(lang)
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print(t("summary.empty_period" if since or until else "summary.empty"))
        return 0
    from sentiment.topics import name as topic_name

    header = t("summary.columns").split("|")
    # the longest name sets the column: "Ministry of Labour and Social Protection of the
    # Population" must not lose its end
    columns = [Column("<", 44), *(Column(">", w) for w in (8, 6, 6, 8, 6)), Column(gap=2)]
    grid = [
        [
            str(row["name"]),
            str(row["comments"]),
            _pct(row["negative_share"]),
            _pct(row["aggression_share"]),
            str(row["official_replies"]),
            _pct(row["reply_rate"]),
            ", ".join(topic_name(str(x), lang) for x in list(row["topics"])[:3]),
        ]
        for row in rows
    ]
    for line in table(columns, [header, *grid]):
        print(line)
    return 0


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}"
