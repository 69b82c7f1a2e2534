"""Loading the shared public data sets (never copied into the repository)."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

CLASSES = ("negative", "neutral", "positive")
CLASS_INDEX = {c: i for i, c in enumerate(CLASSES)}


def shared_data_dir() -> Path:
    env = os.environ.get("QULAQ_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: int  # index into CLASSES (or 0/1 for binary heads)
    source: str  # data set and domain, e.g. "kazsandra/appstore"
    key: str = ""


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def rusentiment(split: str, *, speech_as_positive: bool = False) -> list[Example]:
    """``split``: random | preselected | test. Rows labelled skip are dropped."""
    name = {
        "random": "rusentiment_random_posts.csv",
        "preselected": "rusentiment_preselected_posts.csv",
        "test": "rusentiment_test.csv",
    }[split]
    out = []
    for row in _read_csv(shared_data_dir() / "sentiment" / "rusentiment" / name):
        label = row["label"]
        if label == "speech" and speech_as_positive:
            label = "positive"
        if label in CLASS_INDEX:
            out.append(Example(row["text"], CLASS_INDEX[label], f"rusentiment/{split}"))
    return out


def _sc_to_class(score: int) -> int:
    return 0 if score <= 1 else (1 if score == 2 else 2)


def kazsandra(split: str) -> list[Example]:
    """``split``: pc_train | pc_valid | sc_train | sc_valid, labels as 3-class indices."""
    name = {
        "pc_train": "03_pc_train_rus.csv",
        "pc_valid": "04_pc_valid.csv",
        "sc_train": "08_sc_train_rus.csv",
        "sc_valid": "09_sc_valid.csv",
    }[split]
    out = []
    for row in _read_csv(shared_data_dir() / "sentiment" / "kazsandra" / name):
        raw = int(row["label"])
        label = (2 if raw == 1 else 0) if split.startswith("pc") else _sc_to_class(raw)
        out.append(Example(row["text"], label, f"kazsandra/{row['domain']}", row["custom_id"]))
    return out


def kazsandra_train() -> list[Example]:
    """PC and SC training rows, deduplicated, with every id or text of a validation split removed
    (the published SC train overlaps the PC valid split and vice versa)."""
    held = kazsandra("pc_valid") + kazsandra("sc_valid")
    held_ids = {e.key for e in held}
    held_texts = {e.text.strip().lower() for e in held}
    seen: set[str] = set()
    out = []
    for e in kazsandra("pc_train") + kazsandra("sc_train"):
        t = e.text.strip().lower()
        if e.key in held_ids or t in held_texts or e.key in seen:
            continue
        seen.add(e.key)
        out.append(e)
    return out


def toxicity(split: str) -> list[Example]:
    """``split``: train | val; label 1 = toxic."""
    path = shared_data_dir() / "toxicity" / f"toxicity_{split}.tsv"
    return [
        Example(r["doc"], int(r["target"]), f"toxicity/{split}", r["id"])
        for r in _read_csv(path, delimiter="\t")
    ]
