"""agencies: the registry of bodies and their accounts."""

from __future__ import annotations

import argparse
from typing import Any

from qulaq.cli.output import Column, emit_json, table
from qulaq.errors import UserError
from qulaq.i18n import current_lang


def register(sub: Any) -> None:
    p = sub.add_parser("agencies", help="the agency registry")
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = asub.add_parser("list", help="list agencies and their accounts")
    a.add_argument(
        "--type",
        action="append",
        metavar="TYPE",
        help="only this type (ministry, city_akimat, …); repeatable",
    )
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_agencies_list)


def cmd_agencies_list(args: argparse.Namespace) -> int:
    from qulaq.config import load_settings
    from qulaq.registry import AGENCY_TYPES, agency_type_name
    from stream.pipeline import load_registry

    for kind in args.type or ():  # a misspelt type would list nothing
        if kind not in AGENCY_TYPES:
            raise UserError.t(
                "agency.unknown_type", type=kind, known=", ".join(sorted(AGENCY_TYPES))
            )
    registry = load_registry(load_settings())
    agencies = registry.agencies(args.type)
    lang = current_lang()
    if args.json:
        emit_json(
            [
                {
                    "id": a.id,
                    "name": {"kk": a.name_kk, "ru": a.name_ru, "en": a.name_en},
                    "type": a.type,
                    "region": a.region,
                    "parent": a.parent,
                    "valid_from": a.valid_from,
                    "valid_to": a.valid_to,
                    "successors": a.successors,
                    "accounts": [
                        {"platform": ac.platform, "handle": ac.handle, "verified": ac.verified}
                        for ac in a.accounts
                    ],
                }
                for a in agencies
            ]
        )
        return 0
    rows = [
        [
            a.id,
            agency_type_name(a.type, lang),
            a.name(lang),
            "[" + (", ".join(f"{ac.platform}:{ac.handle}" for ac in a.accounts) or "-") + "]",
        ]
        for a in agencies
    ]
    # the type by name (`--type` takes the ids listed in its help)
    for line in table([Column("<", 40), Column("<", 16), Column(), Column(gap=2)], rows):
        print(line)
    return 0
