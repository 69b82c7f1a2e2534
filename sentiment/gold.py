"""Our own hand-labelled gold sets (``sentiment/gold/*.jsonl``) and their scoring.

Comment files: one object per line with ``text`` and any of ``lang``, ``label``,
``aggression``, ``topics`` (list), ``needs_answer``, ``urgent``, ``severity``.
``reply_quality.jsonl``: ``reply``, optional ``question``, ``acceptable`` (bool)
and optional ``formal_non_answer`` (bool).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sklearn.metrics import f1_score

from sentiment.corrections import Correction, parse
from sentiment.reply import reply_quality

if TYPE_CHECKING:
    from sentiment import Analyzer

GOLD_DIR = Path(__file__).resolve().parent / "gold"
REPLY_FILE = "reply_quality.jsonl"
# Held-out files (``holdout*.jsonl``): each written before the change it measures and never
# used to choose anything.
HOLDOUT_GLOB = "holdout*.jsonl"
ACCEPTABLE_SCORE = 0.5


def read(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def comment_items(*, holdout: bool = False) -> list[dict[str, Any]]:
    held = set(GOLD_DIR.glob(HOLDOUT_GLOB))
    paths = sorted(held) if holdout else sorted(set(GOLD_DIR.glob("*.jsonl")) - held)
    items: list[dict[str, Any]] = []
    for path in paths:
        if path.name != REPLY_FILE:
            items.extend(read(path))
    return items


def sentiment_training() -> list[Correction]:
    """The development comments' sentiment labels, as corrections for training: comments to
    public bodies are the domain the public data sets lack. Held-out files are never used."""
    return parse(
        {"text": it["text"], "head": "sentiment", "label": it["label"]}
        for it in comment_items()
        if "label" in it
    )


def reply_items() -> list[dict[str, Any]]:
    path = GOLD_DIR / REPLY_FILE
    return list(read(path)) if path.is_file() else []


def _classification(gold: list[str], pred: list[str]) -> dict[str, float]:
    labels = sorted(set(gold))
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    macro = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    return {"n": len(gold), "accuracy": round(acc, 4), "macro_f1": round(float(macro), 4)}


def _binary(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    return {
        "n": len(gold),
        "accuracy": round(acc, 4),
        "precision": round(prec, 4),
        "recall": round(rec, 4),
        "f1": round(f1, 4),
    }


def evaluate(analyzer: Analyzer, *, holdout: bool = False) -> dict[str, dict[str, float]]:
    items = comment_items(holdout=holdout)
    out: dict[str, dict[str, float]] = {}
    if items:
        results = analyzer.analyze([it["text"] for it in items])
        for field in ("lang", "label", "aggression"):
            pairs = [
                (it[field], getattr(r, field))
                for it, r in zip(items, results, strict=True)
                if field in it
            ]
            if pairs:
                out[field] = _classification([g for g, _ in pairs], [p for _, p in pairs])
        pairs_t = [
            (set(it["topics"]), set(r.topics))
            for it, r in zip(items, results, strict=True)
            if "topics" in it
        ]
        if pairs_t:
            tp = sum(len(g & p) for g, p in pairs_t)
            fp = sum(len(p - g) for g, p in pairs_t)
            fn = sum(len(g - p) for g, p in pairs_t)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            out["topics"] = {
                "n": len(pairs_t),
                "micro_precision": round(prec, 4),
                "micro_recall": round(rec, 4),
                "micro_f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
                "exact_match": round(sum(g == p for g, p in pairs_t) / len(pairs_t), 4),
            }
        for field in ("needs_answer", "urgent"):
            pairs_b = [
                (bool(it[field]), bool(getattr(r, field)))
                for it, r in zip(items, results, strict=True)
                if field in it
            ]
            if pairs_b:
                out[field] = _binary([g for g, _ in pairs_b], [p for _, p in pairs_b])
        pairs_s = [
            (it["severity"], r.severity or "none")
            for it, r in zip(items, results, strict=True)
            if it.get("severity")
        ]
        if pairs_s:
            out["severity"] = _classification([g for g, _ in pairs_s], [p for _, p in pairs_s])
    replies = [] if holdout else reply_items()
    if replies:
        rq = [reply_quality(it["reply"], it.get("question")) for it in replies]
        out["reply_acceptable"] = _binary(
            [bool(it["acceptable"]) for it in replies], [q.score >= ACCEPTABLE_SCORE for q in rq]
        )
        pairs_f = [
            (bool(it["formal_non_answer"]), q.formal_non_answer)
            for it, q in zip(replies, rq, strict=True)
            if "formal_non_answer" in it
        ]
        if pairs_f:
            out["reply_formal_non_answer"] = _binary(
                [g for g, _ in pairs_f], [p for _, p in pairs_f]
            )
    return out
