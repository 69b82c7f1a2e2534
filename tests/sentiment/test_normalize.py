from __future__ import annotations

import pytest

from sentiment.normalize import feature_text, fold_kazakh, normalise, to_cyrillic


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("х0р0ш0", "хорошо"),
        ("п@дл0", "падло"),
        ("xoрoшo", "хорошо"),
        ("Ужааааасно!!!!!", "ужаасно!!"),
        ("т у п ы е", "тупые"),
        ("бiрақ", "бірақ"),
        ("Сəлем", "сәлем"),
    ],
)
def test_deobfuscation(raw: str, clean: str) -> None:
    assert normalise(raw).clean == clean


def test_latin_kazakh_meets_cyrillic() -> None:
    assert fold_kazakh(to_cyrillic("jaqsy")) == fold_kazakh("жақсы")
    assert fold_kazakh(to_cyrillic("rahmet")) == "рахмет"
    assert to_cyrillic("şaşu") == "шашу"
    assert to_cyrillic("sh'") != ""
    # informal Kazakh: "gh" is "ғ", and "y" after a vowel is "й"
    assert to_cyrillic("jaghday qalay") == "жағдай қалай"
    assert to_cyrillic("saghat") == "сағат"
    assert to_cyrillic("jaqsy") == "жақсы"
    assert to_cyrillic("oylaymyn") == "ойлаймын"
    assert to_cyrillic("qayyrly tan") == "қайырлы тан"
    assert feature_text(normalise("ote jaqsy")) == feature_text(normalise("Өте жақсы"))


def test_emoji_and_smileys_become_cues() -> None:
    pos, neg = normalise("Спасибо 😊))"), normalise("плохо 😡 :(")
    assert "☺" in pos.clean and "☹" not in pos.clean
    assert "☹" in neg.clean


def test_caps_and_limits() -> None:
    assert normalise("ПОЧЕМУ НЕТ ВОДЫ УЖЕ НЕДЕЛЮ").caps
    assert not normalise("Почему нет воды").caps
    assert len(normalise("я" * 300_000).clean) <= 2000
    assert normalise("a\x00b").clean == "a b"
