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
from pathlib import Path
from typing import Any, NoReturn

from qulaq import __version__
from qulaq.cli.argparse_i18n import LocalizedHelpFormatter, argparse_language
from qulaq.errors import (
    DiskFull,
    Phrase,
    UserError,
    disk_full_detail,
    is_disk_full,
    os_reason,
    say,
)
from qulaq.i18n import current_lang, t
from qulaq.i18n import register as register_messages

register_messages(
    {
        "error.internal_unlogged": {
            "en": "internal error: {message} (no details kept: cannot write the log {log}: "
            "{reason})",
            "ru": "внутренняя ошибка: {message} (подробности не сохранены: не удаётся "
            "записать журнал {log}: {reason})",
            "kk": "ішкі қате: {message} (толығырақ сақталмады: {log} журналына жазу мүмкін "
            "емес: {reason})",
        },
    }
)

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


# The help of options and arguments that many commands share, for those added without
# one: every option says what it is (`help_messages.HELP` has them in kk and ru).
OPTION_HELP: dict[str, str] = {
    "--agency": "the agency's id (see qulaq agencies list)",
    "--by": "who does it (roster id or name)",
    "--class": "triage class, which sets the answer deadline (default %(default)s)",
    "--display-name": "the name shown on the dashboard",
    "--format": "md (Markdown) or csv (default %(default)s)",
    "--include-drills": "count drill runs too",
    "--input": "the file to read",
    "--json": "print JSON",
    "--lang": "the document's language",
    "--limit": "at most N (default %(default)s)",
    "--min-severity": "only alerts of at least this severity (default %(default)s)",
    "--note": "a note for the run's log",
    "--output": "the file to write",
    "--password-stdin": "read the password from standard input",
    "--role": "what the user may do",
    "--severity": "severity from 1 to 4 (default %(default)s)",
    "--since": "from this day or time (ISO 8601)",
    "--until": "up to this day or time (ISO 8601)",
    "--status": "only in this state",
    "--summary": "what happened, in a sentence",
    "--text-column": "the CSV column that holds the comment text",
    "file": "a JSONL file of comment events (plain or gzip)",
    "files": "playbook or plan files (YAML)",
    "id": "the id the listing shows",
    "name": "the user's login name",
    "owner": "who takes it on (a user or a name)",
    "playbook": "the playbook's id (see qulaq playbooks list)",
    "run": "the run's id (see qulaq playbooks runs)",
    "step": "the step's id (see qulaq playbooks show RUN)",
}


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, and speaks the user's language:
    its usage line, section titles, error messages and help texts (see `argparse_i18n`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", LocalizedHelpFormatter)  # each option's help
        with argparse_language(current_lang()):  # "-h" help, section titles
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        named = [a for a in args if a.startswith("--")] or [kwargs.get("dest") or args[0]]
        if "help" not in kwargs and named[0] in OPTION_HELP:
            kwargs["help"] = OPTION_HELP[named[0]]
        return super().add_argument(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with argparse_language(current_lang()):  # "unrecognized arguments" is said here
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with argparse_language(current_lang()):
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with argparse_language(current_lang()):
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_language(current_lang()):
            return super().format_help()

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
    """The log in QULAQ_HOME. A write that fails (a full disk, a file gone read-only)
    loses the log line, never the command's own one-line message: logging's default
    would print a traceback on the terminal for each failed write."""

    write_error: OSError | None = None

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            self.write_error = exc
            return
        super().handleError(record)


def home_dir() -> Path:
    """QULAQ_HOME as `load_settings` reads it."""
    return Path(os.environ.get("QULAQ_HOME") or ".qulaq").expanduser().resolve()


def check_home() -> None:
    """A QULAQ_HOME that is not a directory, cannot be created or is not writable is
    the user's to fix: say so in one line before a command half-runs on it."""
    home_text = os.environ.get("QULAQ_HOME") or ".qulaq"
    try:
        home = home_dir()
    except (OSError, RuntimeError) as exc:  # "~nobody/x": no such user
        raise UserError.t("home.unusable", home=home_text, reason=str(exc)) from None
    try:
        if home.exists() and not home.is_dir():
            raise UserError.t("home.not_dir", home=home)
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = os_reason(exc, lower=True)
        raise UserError.t("home.cannot_create", home=home, reason=reason) from None
    if not os.access(home, os.W_OK | os.X_OK):
        try:
            read_only = bool(os.statvfs(home).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        why = (
            Phrase("os.erofs", "read-only file system")
            if read_only
            else Phrase("os.eacces", "permission denied")
        )
        raise UserError.t("home.not_writable", home=home, reason=why)


def log_file() -> str | None:
    """The log file in QULAQ_HOME, attached to the root logger once; None when it
    cannot be opened."""
    try:
        return _attach_log()
    except (OSError, RuntimeError):
        return None


def _attach_log() -> str:
    path = str(home_dir() / "logs" / "qulaq.log")
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, logging.FileHandler) and h.baseFilename == path:
            return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handler = _LogFile(path, maxBytes=10 << 20, backupCount=3, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    return path


def _log_crash(message: str) -> str:
    """Write the current exception's traceback to the log file, never to the terminal;
    the one-line message: what failed, and where the details are or why there are none."""
    path = os.path.join(os.environ.get("QULAQ_HOME") or ".qulaq", "logs", "qulaq.log")
    try:
        path = str(home_dir() / "logs" / "qulaq.log")
        path = _attach_log()
    except (OSError, RuntimeError) as exc:
        reason = os_reason(exc, lower=True) if isinstance(exc, OSError) else str(exc)
        return say("error.internal_unlogged", message=message, log=path, reason=reason)
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.FileHandler) and h.baseFilename == path
    )
    crash = logging.getLogger("qulaq.crash")
    crash.propagate = False
    crash.handlers = [handler]  # this file only: no last-resort print to stderr
    before = getattr(handler, "write_error", None)
    crash.error("internal error\n%s", traceback.format_exc())
    failed = getattr(handler, "write_error", None)
    if failed is not None and failed is not before:
        reason = os_reason(failed, lower=True)
        return say("error.internal_unlogged", message=message, log=path, reason=reason)
    return t("error.internal", message=message, log=path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    try:
        check_home()
        code = args.handler(args)
        return int(code or 0)
    except UserError as exc:
        print(f"qulaq: {t('error.prefix')}: {exc.localized()}", file=sys.stderr)
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
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"qulaq: {_log_crash(message)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
