"""sentiment predict, detect: the analysis heads on files, outside the pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qulaq.errors import UserError


def register(sub: Any) -> None:
    p = sub.add_parser("sentiment", help="comment understanding on a CSV file")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = ssub.add_parser("predict", help="add label, probabilities, language and aggression")
    s.add_argument("--input", required=True, type=Path, metavar="IN.csv")
    s.add_argument("--text-column", required=True, metavar="COL")
    s.add_argument("--output", required=True, type=Path, metavar="OUT.csv")
    s.set_defaults(handler=cmd_sentiment_predict)

    p = sub.add_parser("detect", help="online spike detection over a timestamp,value series")
    p.add_argument("--input", required=True, type=Path, metavar="SERIES.csv")
    p.add_argument("--output", required=True, type=Path, metavar="OUT.csv")
    p.set_defaults(handler=cmd_detect)


def _check_paths(src: Path, dst: Path) -> None:
    if not src.exists():
        raise UserError.t("file.not_found", path=src)
    if src.is_dir():
        raise UserError.t("file.is_dir_csv", path=src)
    if dst.exists() and dst.resolve() == src.resolve():
        raise UserError.t("analysis.output_is_input")
    if not dst.parent.exists():
        raise UserError.t("analysis.no_output_dir", path=dst.parent)


def cmd_sentiment_predict(args: argparse.Namespace) -> int:
    from sentiment.predict import predict_csv

    _check_paths(args.input, args.output)
    try:
        predict_csv(args.input, args.text_column, args.output)
    except UserError:
        raise
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from signals.detect_cli import detect_csv

    _check_paths(args.input, args.output)
    try:
        detect_csv(args.input, args.output)
    except UserError:
        raise
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return 0
