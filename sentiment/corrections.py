"""Press officers' label corrections, folded into training.

A corrections file is JSON Lines, one object per correction:
``{"text": "...", "head": "sentiment", "label": "negative"}``. Heads that learn
from them: ``sentiment`` (positive | neutral | negative), ``aggression``
(none | aggression | strong) and ``urgency`` (urgent | not_urgent). The last correction
of a text for a head wins.
By default the file is ``$QULAQ_HOME/corrections.jsonl`` (``./.qulaq`` when unset).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sentiment import data, language
from sentiment.normalize import normalise

if TYPE_CHECKING:
    from sentiment.train import Corpus

# In-domain labels from the people who use the tool count more than a public row.
WEIGHT = 3.0

HEAD_LABELS = {
    "sentiment": {"negative": 0, "neutral": 1, "positive": 2},
    "aggression": {"none": 0, "aggression": 1, "strong": 1},
    "urgency": {"not_urgent": 0, "urgent": 1},
}


@dataclass(frozen=True, slots=True)
class Correction:
    text: str
    head: str
    label: str


def default_path() -> Path:
    home = os.environ.get("QULAQ_HOME") or ".qulaq"
    return Path(home) / "corrections.jsonl"


def parse(rows: Iterable[Mapping[str, object]]) -> list[Correction]:
    """Valid corrections of ``rows``, the last one per (text, head)."""
    latest: dict[tuple[str, str], Correction] = {}
    for row in rows:
        text, head, label = row.get("text"), row.get("head"), row.get("label")
        if not isinstance(text, str) or not isinstance(head, str) or not isinstance(label, str):
            continue
        head, label = head.strip().lower(), label.strip().lower()
        if label not in HEAD_LABELS.get(head, {}) or not text.strip():
            continue
        latest[(text, head)] = Correction(text, head, label)
    return list(latest.values())


def load(path: Path | None = None) -> list[Correction]:
    """Corrections from ``path`` (or the default file); none when there is no file."""
    path = path or default_path()
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                rows.append(obj)
    return parse(rows)


def fold_into(corpora: dict[str, Corpus], fixes: list[Correction]) -> int:
    """Add corrections to the training corpora in place; returns how many were used."""
    from sentiment.train import Corpus

    used = 0
    for fix in fixes:
        label = HEAD_LABELS[fix.head][fix.label]
        if fix.head == "sentiment":
            lang = language.detect(normalise(fix.text))
            targets = {"kk": ["sent_kk"], "ru": ["sent_ru"]}.get(lang, ["sent_ru", "sent_kk"])
            targets.append("sent_joint")
        elif fix.head == "urgency":
            targets = ["urgent"]
        else:
            targets = ["toxic"]
        for name in targets:
            if name in corpora:
                example = data.Example(fix.text, label, "corrections")
                corpora[name] = corpora[name] + Corpus.of([example], WEIGHT)
        used += 1
    return used
