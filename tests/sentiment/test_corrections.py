from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sentiment import corrections
from sentiment.train import Corpus


def test_parse_keeps_last_valid(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    lines = [
        {"text": "Жол жоқ", "head": "sentiment", "label": "positive"},
        {"text": "Жол жоқ", "head": "sentiment", "label": "Negative"},
        {"text": "ок", "head": "sentiment", "label": "happy"},
        {"text": "вы уроды", "head": "aggression", "label": "strong"},
        {"head": "sentiment", "label": "neutral"},
    ]
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n\n",
        encoding="utf-8",
    )
    fixes = corrections.load(path)
    assert {(f.text, f.head, f.label) for f in fixes} == {
        ("Жол жоқ", "sentiment", "negative"),
        ("вы уроды", "aggression", "strong"),
    }


def test_missing_file_means_none(tmp_path: Path) -> None:
    assert corrections.load(tmp_path / "nope.jsonl") == []


def test_fold_routes_by_language() -> None:
    empty = Corpus([], np.zeros(0, dtype=np.int64), np.zeros(0))
    corpora = {"sent_ru": empty, "sent_kk": empty, "sent_joint": empty, "toxic": empty}
    fixes = corrections.parse(
        [
            {"text": "Жол әлі жөнделмеді, ұят", "head": "sentiment", "label": "negative"},
            {"text": "Спасибо за ремонт", "head": "sentiment", "label": "positive"},
            {"text": "вы уроды", "head": "aggression", "label": "aggression"},
        ]
    )
    assert corrections.fold_into(corpora, fixes) == 3
    assert corpora["sent_kk"].texts == ["Жол әлі жөнделмеді, ұят"]
    assert corpora["sent_ru"].texts == ["Спасибо за ремонт"]
    assert list(corpora["sent_ru"].labels) == [2]
    assert len(corpora["sent_joint"].texts) == 2
    assert list(corpora["toxic"].labels) == [1]
    assert corpora["toxic"].weights[0] == corrections.WEIGHT


def test_training_learns_from_dev_gold_but_never_from_held_out() -> None:
    from sentiment import gold

    training = {c.text for c in gold.sentiment_training()}
    dev = {it["text"] for it in gold.comment_items() if "label" in it and it["text"].strip()}
    held = {it["text"] for it in gold.comment_items(holdout=True)}
    assert training == dev
    assert held and not training & held
