"""`qulaq collect facebook`: options and how the collector is built from them."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--page", required=True, help="the Page's id (numeric) or username")


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.facebook.collector import FacebookPage
    from collectors.facebook.graph import DEFAULT_BASE, GraphApi

    page = str(args.page).strip()
    if not page or "/" in page:
        raise UserError.t("collect.fb_bad_page", value=args.page)
    token = settings.secret("fb_token")
    if not token:
        raise UserError.t("collect.fb_no_token")
    base = args.api_base or settings.option("collectors.facebook.api_base") or DEFAULT_BASE
    timeout = getattr(args, "timeout", None) or 30.0
    return FacebookPage(GraphApi(token, base=base, timeout=timeout), page)
