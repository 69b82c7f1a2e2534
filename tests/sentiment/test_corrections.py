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
    corpora = {
        "sent_ru": empty,
        "sent_kk": empty,
        "sent_joint": empty,
        "toxic": empty,
        "urgent": empty,
    }
    fixes = corrections.parse(
        [
            {"text": "Жол әлі жөнделмеді, ұят", "head": "sentiment", "label": "negative"},
            {"text": "Спасибо за ремонт", "head": "sentiment", "label": "positive"},
            {"text": "вы уроды", "head": "aggression", "label": "aggression"},
            {"text": "В подвале кто-то стонет уже час", "head": "urgency", "label": "urgent"},
            {"text": "Күз келді, жапырақтар түсті", "head": "urgency", "label": "not_urgent"},
            {"text": "ок", "head": "urgency", "label": "maybe"},
        ]
    )
    assert corrections.fold_into(corpora, fixes) == 5
    assert corpora["sent_kk"].texts == ["Жол әлі жөнделмеді, ұят"]
    assert corpora["sent_ru"].texts == ["Спасибо за ремонт"]
    assert list(corpora["sent_ru"].labels) == [2]
    assert len(corpora["sent_joint"].texts) == 2
    assert list(corpora["toxic"].labels) == [1]
    assert corpora["toxic"].weights[0] == corrections.WEIGHT
    assert list(corpora["urgent"].labels) == [1, 0]


def test_training_learns_from_dev_gold_but_never_from_held_out() -> None:
    from sentiment import gold

    training = {c.text for c in gold.sentiment_training()}
    dev = {it["text"] for it in gold.comment_items() if "label" in it and it["text"].strip()}
    held = {it["text"] for it in gold.comment_items(holdout=True)}
    assert training == dev
    assert held and not training & held


def test_urgency_head_learns_from_dev_gold_and_corrections_but_never_from_held_out() -> None:
    from sentiment import data, gold
    from sentiment.train import balanced, urgency_corpus

    ru = [data.Example("Сегодня хорошая погода", 1, "t"), data.Example("В доме пожар!", 0, "t")]
    kk = [data.Example("Кітап ұнады", 2, "t")]
    dev = [it for it in gold.comment_items() if "urgent" in it]
    corrected = dev[0]["text"]
    corpus = urgency_corpus(ru, kk, skip={corrected})
    held = {it["text"] for it in gold.comment_items(holdout=True)}
    assert held and not set(corpus.texts) & held
    # A text a press officer corrected is left to the correction.
    assert corrected not in corpus.texts
    assert {it["text"] for it in dev[1:]} <= set(corpus.texts)
    # Public rows join as not urgent, except those the rules call urgent.
    assert "Сегодня хорошая погода" in corpus.texts and "Кітап ұнады" in corpus.texts
    assert "В доме пожар!" not in corpus.texts
    public = [
        i for i, t in enumerate(corpus.texts) if t in {"Сегодня хорошая погода", "Кітап ұнады"}
    ]
    assert all(corpus.labels[i] == 0 for i in public)
    w = balanced(corpus)
    pos = corpus.labels == 1
    assert pos.any() and np.isclose(w[pos].sum(), w[~pos].sum())
