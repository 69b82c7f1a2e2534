"""`qulaq collect x`: options and how the collector is built from them."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", required=True, help="the agency's X handle (without @)")


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.x.api import make_client
    from collectors.x.collector import XAccount

    handle = str(args.user).strip().lstrip("@")
    if not handle or not handle.replace("_", "").isalnum() or len(handle) > 15:
        raise UserError.t("collect.x_bad_user", value=args.user)
    token = settings.secret("x_bearer_token")
    if not token:
        raise UserError.t("collect.x_no_token")
    base = args.api_base or settings.option("collectors.x.api_base")
    timeout = getattr(args, "timeout", None) or 30.0
    return XAccount(make_client(token, base, timeout=timeout), handle)
