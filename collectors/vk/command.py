"""`qulaq collect vk`: options and how the collector is built from them."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--owner",
        required=True,
        help="the wall's owner id: negative for a community (-123), positive for a person",
    )
    p.add_argument(
        "--long-poll",
        action="store_true",
        help="between passes, follow live comment events by Bots Long Poll (community token)",
    )


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.vk.api import DEFAULT_BASE, VkApi
    from collectors.vk.collector import VkWall

    try:
        owner = int(str(args.owner).strip())
    except ValueError:
        raise UserError.t("collect.vk_bad_owner", value=args.owner) from None
    if owner == 0:
        raise UserError.t("collect.vk_owner_zero")
    token = settings.secret("vk_token")
    if not token:
        raise UserError.t("collect.vk_no_token")
    base = args.api_base or settings.option("collectors.vk.api_base") or DEFAULT_BASE
    long_poll = args.long_poll or bool(settings.option("collectors.vk.long_poll", False))
    timeout = getattr(args, "timeout", None) or 30.0
    return VkWall(VkApi(token, base=base, timeout=timeout), owner, long_poll=long_poll)
