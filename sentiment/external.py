"""Measure the committed models on public data they never saw and were never tuned to.

python -m sentiment.external [DIR ...] [--json OUT.json]

Each DIR holds a ``data.csv`` in one of two forms:

* sentiment: ``label,text`` with label ``positive | neutral | negative``. A set with a
  neutral class is scored as three classes (macro-F1 over all three); a set without
  one as polarity (positive against negative probability, as for KazSAnDRA PC).
* toxicity: ``toxic,level,text`` with toxic ``0 | 1`` and level ``none | aggression |
  strong`` (or empty when the source does not say).

Without DIR, every directory under ``../shared/data/external/`` is read. Where the sets
come from and how to convert them: ``sentiment/models/MODEL_CARD.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from sentiment import LABELS, Analyzer
from sentiment.data import shared_data_dir

SENTIMENT_COLUMNS = ("label", "text")
TOXICITY_COLUMNS = ("toxic", "level", "text")
LEVELS = ("none", "aggression", "strong")


class ExternalDataError(ValueError):
    """A data file that is not in one of the two forms; the message names file and row."""


@dataclass(frozen=True, slots=True)
class ExternalSet:
    name: str
    kind: str  # "sentiment" | "toxicity"
    texts: list[str]
    labels: list[str]  # sentiment class, or "0"/"1" for toxicity
    levels: list[str]  # toxicity level ("" when unknown); empty for sentiment


def default_root() -> Path:
    return shared_data_dir() / "external"


def load(directory: Path) -> ExternalSet:
    path = directory / "data.csv"
    if not path.is_file():
        raise ExternalDataError(f"{path}: no such file")
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = set(reader.fieldnames or ())
        if set(TOXICITY_COLUMNS) <= columns:
            kind = "toxicity"
        elif set(SENTIMENT_COLUMNS) <= columns:
            kind = "sentiment"
        else:
            raise ExternalDataError(
                f"{path}: wants columns {','.join(SENTIMENT_COLUMNS)} or "
                f"{','.join(TOXICITY_COLUMNS)}, has {','.join(sorted(columns)) or 'none'}"
            )
        texts: list[str] = []
        labels: list[str] = []
        levels: list[str] = []
        for line, row in enumerate(reader, start=2):
            text = (row.get("text") or "").strip()
            if not text:
                continue
            if kind == "sentiment":
                label = (row["label"] or "").strip().lower()
                if label not in LABELS:
                    raise ExternalDataError(
                        f"{path}:{line}: label {label!r} is not one of {LABELS}"
                    )
                labels.append(label)
            else:
                toxic = (row["toxic"] or "").strip()
                level = (row["level"] or "").strip().lower()
                if toxic not in ("0", "1") or level not in (*LEVELS, ""):
                    raise ExternalDataError(
                        f"{path}:{line}: toxic {toxic!r} / level {level!r} is not 0|1 / {LEVELS}"
                    )
                labels.append(toxic)
                levels.append(level)
            texts.append(text)
    if not texts:
        raise ExternalDataError(f"{path}: no rows with text")
    return ExternalSet(directory.name, kind, texts, labels, levels)


def _round(x: Any) -> float:
    return round(float(x), 4)


def score_sentiment(analyzer: Analyzer, ds: ExternalSet) -> dict[str, object]:
    probs, langs = analyzer.sentiment_proba(ds.texts)
    y = np.array([LABELS.index(lab) for lab in ds.labels])
    present = sorted(set(y.tolist()))
    out: dict[str, object] = {"n": len(y), "counts": dict(Counter(ds.labels))}
    if LABELS.index("neutral") in present:
        pred = probs.argmax(axis=1)
        per = f1_score(y, pred, labels=[0, 1, 2], average=None, zero_division=0)
        out["task"] = "3 classes"
    else:
        neg, pos = LABELS.index("negative"), LABELS.index("positive")
        pred = np.where(probs[:, pos] >= probs[:, neg], pos, neg)
        per = f1_score(y, pred, labels=[neg, pos], average=None, zero_division=0)
        out["task"] = "polarity"
    names = [LABELS[i] for i in ([0, 1, 2] if len(per) == 3 else [0, 2])]
    out["macro_f1"] = _round(np.mean(per))
    out.update({f"f1_{n}": _round(v) for n, v in zip(names, per, strict=True)})
    out["accuracy"] = _round(np.mean(pred == y))
    out["languages"] = dict(Counter(langs).most_common())
    return out


def score_toxicity(analyzer: Analyzer, ds: ExternalSet) -> dict[str, object]:
    res = analyzer.analyze(ds.texts)
    y = np.array([int(t) for t in ds.labels])
    found = [r.aggression for r in res]
    pred = np.array([a != "none" for a in found], dtype=int)
    per = f1_score(y, pred, labels=[0, 1], average=None, zero_division=0)
    out: dict[str, object] = {
        "n": len(y),
        "toxic_rows": int(y.sum()),
        "f1_toxic": _round(per[1]),
        "f1_non_toxic": _round(per[0]),
        "precision_toxic": _round(pred[y == 1].sum() / max(pred.sum(), 1)),
        "recall_toxic": _round(pred[y == 1].mean()) if y.any() else 0.0,
    }
    strong = [i for i, lev in enumerate(ds.levels) if lev == "strong"]
    if strong:
        # Of the rows the source calls threats or obscenity, how many we rate strong.
        out["strong_rows"] = len(strong)
        out["strong_rated_strong"] = _round(np.mean([found[i] == "strong" for i in strong]))
        out["strong_rated_toxic"] = _round(np.mean([found[i] != "none" for i in strong]))
    return out


def evaluate(analyzer: Analyzer, directories: Sequence[Path]) -> dict[str, dict[str, object]]:
    report: dict[str, dict[str, object]] = {}
    for d in directories:
        ds = load(d)
        t0 = time.perf_counter()
        scores = (
            score_sentiment(analyzer, ds)
            if ds.kind == "sentiment"
            else score_toxicity(analyzer, ds)
        )
        scores["kind"] = ds.kind
        scores["seconds"] = round(time.perf_counter() - t0, 1)
        report[ds.name] = scores
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sentiment.external", description=__doc__)
    parser.add_argument("dirs", nargs="*", type=Path, help="directories holding data.csv")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    dirs: list[Path] = list(args.dirs)
    if not dirs:
        root = default_root()
        found = root.iterdir() if root.is_dir() else iter(())
        dirs = sorted(p for p in found if (p / "data.csv").is_file())
        if not dirs:
            print(
                f"no external sets under {root}: see sentiment/models/MODEL_CARD.md for where "
                "to get them, or name directories holding data.csv",
                file=sys.stderr,
            )
            return 2
    try:
        report = evaluate(Analyzer.default(), dirs)
    except ExternalDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
