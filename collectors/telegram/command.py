"""`qulaq collect telegram`: a channel (`--channel`) or listening (`--listen`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--channel", help="the agency's channel (username); its discussion group too")
    p.add_argument(
        "--listen",
        action="append",
        metavar="CHAT",
        help="a public channel or chat to read for agency mentions (repeatable)",
    )
    p.add_argument(
        "--login", action="store_true", help="log the session in interactively, then exit"
    )


def _credentials(settings: Settings) -> tuple[Path, int, str]:
    api_id = settings.secret("telegram_api_id")
    api_hash = settings.secret("telegram_api_hash")
    if not api_id or not api_hash:
        raise UserError.t("collect.tg_no_credentials")
    try:
        number = int(api_id)
    except ValueError:
        raise UserError.t("collect.tg_bad_api_id") from None
    session = settings.secret("telegram_session") or str(settings.path("telegram", "qulaq"))
    return Path(session).expanduser(), number, api_hash


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.telegram.client import TelethonSource, login

    if args.api_base:
        raise UserError.t("collect.tg_api_base")
    session, api_id, api_hash = _credentials(settings)
    if args.login:
        who = login(session, api_id, api_hash)
        print(f"logged in as {who}; the session is saved in {session}")
        raise SystemExit(0)
    chats = list(args.listen or settings.option("collectors.telegram.listen", []) or [])
    if not args.channel and not chats:
        raise UserError.t("collect.tg_nothing")
    return make(TelethonSource(session, api_id, api_hash), args.channel, chats, settings)


def make(source: Any, channel: str | None, chats: list[str], settings: Settings) -> list[Any]:
    from collectors.telegram.collector import KeywordMatcher, TelegramChannel, TelegramListener
    from stream.pipeline import load_registry

    out: list[Any] = []
    if channel:
        out.append(TelegramChannel(source, channel))
    if chats:
        matcher = KeywordMatcher.from_registry(load_registry(settings))
        out.extend(TelegramListener(source, chat, matcher) for chat in chats)
    return out
