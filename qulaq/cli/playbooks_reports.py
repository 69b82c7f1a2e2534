"""qulaq playbooks plan | digest | weekly | health: documents for press offices and managers."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qulaq.cli.output import emit_json
from qulaq.errors import UserError
from qulaq.i18n import current_lang, t
from qulaq.timefmt import TimeOutOfRange, parse_user_time, zone


def register(ps: Any) -> None:
    q = ps.add_parser("plan", help="the anti-crisis plan filled in for one agency (Markdown)")
    q.add_argument("--agency", required=True)
    q.add_argument("--lang", choices=("kk", "ru", "en"), default="ru")
    q.add_argument("--output", type=Path, metavar="FILE")
    q.set_defaults(handler=cmd_plan)

    q = ps.add_parser("digest", help="the daily digest of a press office")
    q.add_argument("--agency", required=True)
    q.add_argument("--date", help="the day, YYYY-MM-DD (default: yesterday)")
    q.add_argument("--lang", choices=("kk", "ru", "en"), default="ru")
    q.add_argument("--send", action="store_true", help="queue it for the agency's press office")
    q.set_defaults(handler=cmd_digest)

    q = ps.add_parser("weekly", help="the weekly report for managers (PDF, Kazakh or Russian)")
    q.add_argument("--week", help="a day of the week to report, YYYY-MM-DD (default: last week)")
    q.add_argument("--lang", choices=("kk", "ru"), default="ru")
    q.add_argument("--output", type=Path, required=True, metavar="FILE.pdf")
    q.set_defaults(handler=cmd_weekly)

    q = ps.add_parser("health", help="system health: collectors, tokens, lag, disk, deliveries")
    q.add_argument("--json", action="store_true")
    q.add_argument("--send", action="store_true", help="queue the findings for the sysadmin role")
    q.set_defaults(handler=cmd_health)


def _local_day(value: str | None, default_days_back: int, flag: str) -> datetime:
    """The start (in UTC) of the local day `value` names, or of the day
    `default_days_back` days ago."""
    tz = zone()
    if not value:
        day = (datetime.now(tz) - timedelta(days=default_days_back)).date()
        return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    try:
        day = parse_user_time(value).astimezone(tz).date()
        # 0001-01-01T12:00 is a time, but its day starts before year 1 in UTC
        return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    except (TimeOutOfRange, OverflowError):
        raise UserError.t("time.out_of_range", flag=flag, value=value) from None
    except ValueError:
        raise UserError.t("time.not_date", value=value) from None


def cmd_plan(args: argparse.Namespace) -> int:
    from playbooks import plan
    from playbooks.actions import require_agency
    from qulaq.cli.playbooks import _service, write_document

    svc = _service()
    lib = svc.stage.library
    if "anti-crisis-plan" not in lib.plans:
        raise UserError.t("playbook.no_plan_template")
    found = require_agency(svc.stage.registry, args.agency)
    text = plan.render(
        lib.plans["anti-crisis-plan"],
        lib,
        svc.stage.roster,
        agency=args.agency,
        agency_name=found.name(args.lang) if found else args.agency,
        lang=args.lang,
    )
    write_document(text, args.output)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from playbooks.actions import require_agency
    from playbooks.digest import daily_digest
    from qulaq.cli.playbooks import _service

    svc = _service()
    require_agency(svc.stage.registry, args.agency)
    start = _local_day(args.date, 1, "--date")
    now = datetime.now(UTC)
    with svc.db.read() as conn:
        subject, text = daily_digest(
            conn,
            args.agency,
            start,
            calendar=svc.stage.calendar,
            library=svc.stage.library,
            registry=svc.stage.registry,
            lang=args.lang,
            now=now,
        )
    print(subject)
    print(text)
    if args.send:
        with svc.db.write() as conn:
            n = svc.stage.send_digest(conn, args.agency, start, now)
        print(t("pb.cli.queued", n=n), file=sys.stderr)
    return 0


def cmd_weekly(args: argparse.Namespace) -> int:
    from playbooks.digest import weekly
    from playbooks.pdf import find_font, weekly_pdf
    from qulaq.cli.playbooks import _service, write_document

    svc = _service()
    day = _local_day(args.week, 7, "--week").astimezone(zone())
    font = find_font(svc.settings.option("playbooks.pdf_font"))
    try:
        monday = (day - timedelta(days=day.weekday())).astimezone(UTC)
        with svc.db.read() as conn:
            data = weekly(
                conn,
                monday,
                calendar=svc.stage.calendar,
                registry=svc.stage.registry,
                lang=args.lang,
                now=datetime.now(UTC),
            )
    except OverflowError:
        # a week at either end of the calendar: its Monday is before year 1, or
        # the days after it, in which its comments may still be answered, after 9999
        raise UserError.t("time.out_of_range", flag="--week", value=args.week) from None
    write_document(weekly_pdf(data, args.lang, font), args.output)
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    from playbooks import health
    from qulaq.cli.playbooks import _service

    svc = _service()
    with svc.db.read() as conn:
        findings = health.check(svc.settings, conn)
    if args.send and findings:
        with svc.db.write() as conn:
            svc.stage.send_health(conn, findings, datetime.now(UTC))
    if args.json:
        emit_json(
            [
                {"key": f.key, "urgent": f.urgent, "text": f.text("en"), "params": f.params}
                for f in findings
            ]
        )
    else:
        lang = current_lang()
        for f in findings:
            print(("! " if f.urgent else "- ") + f.text(lang))
        if not findings:
            print(t("pb.cli.no_findings"))
    return 1 if any(f.urgent for f in findings) else 0
