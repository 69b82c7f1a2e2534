"""The `qulaq` command (CONTRACT §3).

Every command exits non-zero with a one-line reason on bad input and never
shows a traceback for a user error; `--json` output goes to stdout alone.
Commands live in modules that each `register` their sub-commands.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from qulaq import __version__
from qulaq.errors import DiskFull, UserError, disk_full_detail, is_disk_full
from qulaq.i18n import t

COMMAND_MODULES = (
    "qulaq.cli.pipeline",
    "qulaq.cli.analysis",
    "qulaq.cli.registry",
    "qulaq.cli.summary",
    "qulaq.cli.collect",
    "qulaq.cli.signals",
    "qulaq.cli.playbooks",
    "qulaq.cli.dashboard",
    "qulaq.cli.retention",
)


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {t('error.prefix')}: {message}\n")
        sys.exit(2)


def build_parser() -> Parser:
    parser = Parser(
        prog="qulaq",
        description="Social-media listening and crisis communication for government press "
        "offices in Kazakhstan.",
    )
    parser.add_argument("--version", action="version", version=f"qulaq {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=Parser
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not verbose:
        console.addFilter(_client_chatter)
    root.addHandler(console)
    for noisy in ("kafka", "alembic", "streamlit", "httpx", "telethon"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


def _client_chatter(record: logging.LogRecord) -> bool:
    """kafka-python logs each refused connection at ERROR while it retries; the
    command says what matters in one line, and the log file keeps the rest."""
    return not (record.name == "kafka" or record.name.startswith("kafka."))


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log in QULAQ_HOME; a full disk loses log lines, never the command's own
    one-line message (logging would print a traceback for each failed write)."""

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if exc is not None and is_disk_full(exc):
            return
        super().handleError(record)


def log_file() -> str | None:
    """The log file in QULAQ_HOME, attached to the root logger once."""
    home = os.environ.get("QULAQ_HOME") or ".qulaq"
    path = os.path.join(os.path.abspath(home), "logs", "qulaq.log")
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, logging.FileHandler) and h.baseFilename == path:
            return path
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handler = _LogFile(path, maxBytes=10 << 20, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    try:
        code = args.handler(args)
        return int(code or 0)
    except UserError as exc:
        print(f"qulaq: {t('error.prefix')}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"qulaq: {t('error.interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("QULAQ_DEBUG"):
            raise
        if is_disk_full(exc):
            detail = disk_full_detail(exc)
            print(
                f"qulaq: {t('error.prefix')}: {t('error.disk_full', detail=detail)}",
                file=sys.stderr,
            )
            return DiskFull.exit_code
        path = log_file()
        crash = logging.getLogger("qulaq.crash")
        crash.propagate = False
        for h in logging.getLogger().handlers:
            if isinstance(h, logging.FileHandler):
                crash.addHandler(h)
        crash.error("internal error\n%s", traceback.format_exc())
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"qulaq: {t('error.internal', message=message, log=path or 'stderr')}", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
