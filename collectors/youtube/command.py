"""`qulaq collect youtube`: options and how the collector is built from them."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--channel", required=True, help="the channel id (UC…)")


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.youtube.api import DEFAULT_BASE, YouTubeApi
    from collectors.youtube.collector import YouTubeChannel

    channel = str(args.channel).strip()
    if not (channel.startswith("UC") and len(channel) == 24):
        raise UserError.t("collect.yt_bad_channel", value=args.channel)
    key = settings.secret("youtube_key")
    if not key:
        raise UserError.t("collect.yt_no_key")
    base = args.api_base or settings.option("collectors.youtube.api_base") or DEFAULT_BASE
    timeout = getattr(args, "timeout", None) or 30.0
    return YouTubeChannel(YouTubeApi(key, base=base, timeout=timeout), channel)
