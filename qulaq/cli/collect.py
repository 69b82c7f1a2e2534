"""collect, collectors status, webhooks serve: bringing comments in from the platforms."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from qulaq.cli.output import ArgumentValueError, emit_json
from qulaq.config import load_settings
from qulaq.errors import UserError
from qulaq.i18n import t

PLATFORMS = {
    "vk": "a VK wall (QULAQ_VK_TOKEN)",
    "facebook": "a Facebook Page (QULAQ_FB_TOKEN)",
    "instagram": "an Instagram professional account (QULAQ_IG_TOKEN) or a public one",
    "telegram": "a Telegram channel and its discussion group, or public chats (listening)",
    "x": "replies to and mentions of an X account (QULAQ_X_BEARER_TOKEN)",
    "youtube": "comments on a YouTube channel's videos (QULAQ_YOUTUBE_KEY)",
}


def register(sub: Any) -> None:
    p = sub.add_parser("collect", help="run one platform's collector")
    psub = p.add_subparsers(dest="platform", metavar="PLATFORM", required=True)
    for name, what in PLATFORMS.items():
        q = psub.add_parser(name, help=what)
        _common(q)
        _command_module(name).configure(q)
        q.set_defaults(handler=cmd_collect)

    p = sub.add_parser("collectors", help="the collectors' health per account")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = csub.add_parser("status", help="last success, errors, lag and metrics per account")
    q.add_argument("--json", action="store_true", help="print a JSON array")
    q.set_defaults(handler=cmd_status)

    p = sub.add_parser("webhooks", help="receive Facebook, Instagram and VK Callback API events")
    wsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = wsub.add_parser("serve", help="serve the webhook endpoints")
    q.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    q.add_argument("--port", type=_port, default=8088, help="port (default 8088)")
    q.set_defaults(handler=cmd_webhooks_serve)


def _texts() -> None:
    importlib.import_module("collectors.messages")  # registers the commands' texts


def _command_module(name: str) -> Any:
    return importlib.import_module(f"collectors.{name}.command")


def _common(q: argparse.ArgumentParser) -> None:
    q.add_argument("--once", action="store_true", help="one pass, then exit")
    q.add_argument(
        "--api-base",
        type=api_base,
        metavar="URL",
        help="send API requests to this server instead (an http:// or https:// URL)",
    )
    q.add_argument(
        "--since",
        metavar="DATE",
        help="first pass: look back to this date (default: everything the platform shows)",
    )
    q.add_argument(
        "--rescan-days",
        type=_positive_float,
        help="re-read posts this many days old for late comments, edits, deletions (default 7)",
    )
    q.add_argument(
        "--interval",
        type=_positive_float,
        help="live mode: seconds between passes (default 300)",
    )
    q.add_argument(
        "--max-wait",
        type=_positive_float,
        help="give a pass up when the platform asks to wait longer than this, in seconds "
        "(default 900)",
    )
    q.add_argument(
        "--rps", type=_positive_float, help="requests per second (default: the platform's limit)"
    )
    q.add_argument(
        "--timeout",
        type=_positive_float,
        help="seconds to wait for one answer of the platform before retrying (default 30)",
    )
    q.add_argument("--json", action="store_true", help="print each pass's counts as JSON")


def api_base(value: str) -> str:
    """An argparse type for `--api-base`: an http(s) URL with a host, refused up front
    rather than retried against a server that cannot be reached."""
    try:
        url = urlsplit(value.strip())
        host = url.hostname
        _ = url.port  # a port that is not a number raises ValueError
    except ValueError:
        raise ArgumentValueError(UserError.t("url.invalid", value=value)) from None
    if url.scheme.lower() not in ("http", "https"):
        raise ArgumentValueError(UserError.t("url.not_http", value=value))
    if not host:
        raise ArgumentValueError(UserError.t("url.no_host", value=value))
    return value.strip()


def _positive_float(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise ArgumentValueError(UserError.t("arg.not_number", value=value)) from None
    if not n > 0 or n == float("inf"):
        raise ArgumentValueError(UserError.t("arg.not_positive", value=value))
    return n


def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise ArgumentValueError(UserError.t("arg.not_port", value=value)) from None
    if not 0 <= n <= 65535:
        raise ArgumentValueError(UserError.t("arg.port_out_of_range", value=value))
    return n


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise UserError.t("collect.bad_since", value=value) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def runner_options(args: argparse.Namespace, settings: Any) -> Any:
    from collectors.runtime import RunnerOptions

    platform = args.platform

    def opt(name: str, flag: Any, default: float) -> float:
        if flag is not None:
            return float(flag)
        value = settings.option(
            f"collectors.{platform}.{name}", settings.option(f"collectors.{name}", default)
        )
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UserError.t("setting.not_number", name=f"collectors.{platform}.{name}") from None

    return RunnerOptions(
        rescan=timedelta(days=opt("rescan_days", args.rescan_days, 7)),
        since=_since(args.since or settings.option(f"collectors.{platform}.since")),
        interval=opt("interval", args.interval, 300),
        max_wait=opt("max_wait", args.max_wait, 900),
    )


def _timeout(args: argparse.Namespace, settings: Any) -> float:
    """A platform that accepts the connection and never answers fails the call after
    this long; the runtime retries it, then ends the pass with the reason."""
    if args.timeout is not None:
        return float(args.timeout)
    value = settings.option(
        f"collectors.{args.platform}.timeout", settings.option("collectors.timeout", 30)
    )
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise UserError.t(
            "setting.not_number", name=f"collectors.{args.platform}.timeout"
        ) from None
    if not seconds > 0:
        raise UserError.t("setting.not_positive", name=f"collectors.{args.platform}.timeout")
    return seconds


def cmd_collect(args: argparse.Namespace) -> int:
    from collectors.runtime import Runner

    settings = load_settings()
    options = runner_options(args, settings)
    args.timeout = _timeout(args, settings)
    configured = settings.option(f"collectors.{args.platform}.api_base")
    if args.api_base is None and configured:
        try:
            api_base(str(configured))
        except ArgumentValueError as exc:
            name = f"collectors.{args.platform}.api_base"
            raise UserError.t("setting.problem", name=name, problem=exc.error) from None
    built = _command_module(args.platform).build(args, settings)
    collectors = built if isinstance(built, list) else [built]
    rps = args.rps or settings.option(f"collectors.{args.platform}.requests_per_second")
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    if not args.once:
        signal.signal(signal.SIGINT, on_signal)
    runners = []
    for collector in collectors:
        if rps:
            collector.throttle.set_rate(float(rps))
        runners.append(Runner(settings, collector, options=options, stop=stop))
    try:
        if args.once:
            failed = None
            for runner in runners:
                try:
                    result = runner.run_once()
                except UserError as exc:
                    if len(runners) == 1:
                        raise
                    print(f"qulaq: {exc}", file=sys.stderr)
                    failed = exc
                    continue
                if args.json:
                    emit_json(result.as_dict() | {"account": runner.account})
                else:
                    print(_summary(args.platform, runner.account, result))
            if failed is not None:
                return failed.exit_code
        elif len(runners) == 1:
            _texts()
            print(
                t(
                    "collect.live",
                    platform=args.platform,
                    target=collectors[0].target,
                    interval=options.interval,
                ),
                file=sys.stderr,
            )
            runners[0].run_forever()
        else:
            _round_robin(runners, options.interval, stop)
    finally:
        for runner in runners:
            runner.close()
    return 0


def _round_robin(runners: list[Any], interval: float, stop: threading.Event) -> None:
    """Several accounts in one process (listening): a pass of each, then a wait."""
    import logging

    log = logging.getLogger("qulaq.collect")
    while not stop.is_set():
        for runner in runners:
            if stop.is_set():
                return
            try:
                runner.run_once()
            except UserError as exc:
                log.warning("%s", exc)
        stop.wait(interval)


def _summary(platform: str, account: str, result: Any) -> str:
    _texts()
    c = result.counts
    line = t(
        "collect.pass",
        platform=platform,
        account=account,
        published=c["published"],
        new=c["new"],
        edits=c["edit"],
        deletions=c["delete"],
        restored=c["restore"],
        requests=c["requests"],
        waits=c["rate_limit_waits"],
        warnings=c["warnings"],
        seconds=result.seconds,
        run=result.run,
    )
    if c["quarantined"]:
        line += "\n" + t("collect.quarantined", n=c["quarantined"])
    return line


def cmd_status(args: argparse.Namespace) -> int:
    from collectors.runtime import state
    from qulaq.storage.database import Database

    settings = load_settings()
    db = Database.open(settings)
    now = datetime.now(UTC)
    with db.read() as conn:
        health = state.all_health(conn)
        metrics = state.latest_metrics(conn)
    rows = []
    for h in health:
        m = metrics.get((h["platform"], h["account"])) or {}
        last_ok = h["last_success_at"]
        rows.append(
            {
                "platform": h["platform"],
                "account": h["account"],
                "target": h["target"],
                "status": h["status"],
                "last_attempt_at": h["last_attempt_at"],
                "last_success_at": last_ok,
                "lag_seconds": round((now - last_ok).total_seconds()) if last_ok else None,
                "last_error": h["last_error"],
                "last_error_at": h["last_error_at"],
                "consecutive_failures": h["consecutive_failures"],
                "newest_item_at": h["newest_item_at"],
                "published_total": h["published_total"],
                "rate_limit_waits": h["rate_limit_waits"],
                "last_run": h["last_run"],
                "metrics": {
                    k: m.get(k)
                    for k in (
                        "posts",
                        "comments",
                        "official_replies",
                        "answered_comments",
                        "reply_rate",
                        "followers",
                        "measured_at",
                    )
                }
                if m
                else None,
            }
        )
    if args.json:
        emit_json(rows)
        return 0
    _texts()
    from qulaq.timefmt import iso

    if not rows:
        print(t("collectors.none"))
        return 0
    for r in rows:
        lag = "-" if r["lag_seconds"] is None else f"{r['lag_seconds']} s"
        print(
            t(
                "collectors.line",
                platform=r["platform"],
                account=r["account"],
                status=r["status"],
                last_ok=iso(r["last_success_at"]) or "-",
                lag=lag,
            )
        )
        m = r["metrics"]
        if m:
            print(
                t(
                    "collectors.metrics",
                    posts=_shown(m["posts"]),
                    comments=_shown(m["comments"]),
                    official=_shown(m["official_replies"]),
                    rate="-" if m["reply_rate"] is None else f"{m['reply_rate']:.1%}",
                    followers=_shown(m["followers"]),
                )
            )
        if r["status"] != "ok" and r["last_error"]:
            print(t("collectors.error", failures=r["consecutive_failures"], error=r["last_error"]))
    return 0


def _shown(value: Any) -> str:
    return "-" if value is None else str(value)


def cmd_webhooks_serve(args: argparse.Namespace) -> int:
    from collectors.runtime.webhooks import serve
    from qulaq.cli import log_file

    settings = load_settings()
    log_file()  # refused deliveries are kept in QULAQ_HOME/logs
    serve(settings, args.host, args.port)
    return 0
