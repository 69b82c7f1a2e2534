"""`qulaq collect instagram`: the Graph API (`--user`) or instaloader (`--profile`)."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.config import Settings
from qulaq.errors import UserError


def configure(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--user", help="Graph API: the Instagram professional account's id (QULAQ_IG_TOKEN)"
    )
    which.add_argument("--profile", help="instaloader: a public profile's username")
    p.add_argument("--login", help="instaloader: the username whose saved session to use")
    p.add_argument("--session-file", help="instaloader: the saved session file")


def build(args: argparse.Namespace, settings: Settings) -> Any:
    from collectors.facebook.graph import DEFAULT_BASE, GraphApi
    from collectors.instagram.collector import InstagramGraph, InstaloaderProfile, default_loader

    if args.user:
        user = str(args.user).strip()
        if not user.isdigit():
            raise UserError.t("collect.ig_bad_user", value=args.user)
        token = settings.secret("ig_token") or settings.secret("fb_token")
        if not token:
            raise UserError.t("collect.ig_no_token")
        base = args.api_base or settings.option("collectors.instagram.api_base") or DEFAULT_BASE
        timeout = getattr(args, "timeout", None) or 30.0
        return InstagramGraph(GraphApi(token, base=base, timeout=timeout), user)
    if args.api_base:
        raise UserError.t("collect.ig_api_base")
    login = args.login or settings.option("collectors.instagram.login")
    session = args.session_file or settings.option("collectors.instagram.session_file")
    max_wait = float(args.max_wait or settings.option("collectors.instagram.max_wait", 900))
    return InstaloaderProfile(
        str(args.profile).lstrip("@"),
        loader_factory=default_loader(session, login),
        max_wait=max_wait,
    )
