from __future__ import annotations

import pytest

from sentiment import Analyzer
from sentiment.normalize import normalise


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Когда наконец отремонтируют дорогу возле школы?", "ru"),
        ("Спасибо большое за быструю помощь", "ru"),
        ("Жолды қашан жөндейсіздер? Балалар мектепке бара алмайды", "kk"),
        ("Маган катты унады, рахмет сиздерге", "kk"),
        ("Bul jol qashan jöndeledi? Balalar mektepke bara almaidy", "kk"),
        ("ote jaqsy, rahmet akimat", "kk"),
        ("Rahmet, óte jaqsy jumys istediñizder", "kk"),
        ("Мен бүгін ЦОН-ға бардым, но там очередь огромная, ничего не успела сделать", "mixed"),
        ("Рахмет большое, очень помогли, керемет жұмыс жасадыңыздар", "mixed"),
        ("Thank you for the quick answer, very helpful", "en"),
        ("The road near our school is still broken", "en"),
        # no function word at all, yet English
        ("Terrible service nobody answers", "en"),
        # a greeting alone, not Latin-script Russian or Kazakh
        ("hello", "en"),
        ("Hi!", "en"),
        ("Okay, thanks", "en"),
        ("👍👍👍", "other"),
        ("", "other"),
        ("Дякую за допомогу, все дуже добре", "other"),
        # Kazakh app reviews say "приложение" more than VK posts do; that is no evidence of Kazakh.
        ("Обновление приложения ужасное", "ru"),
        ("Платный сервис, обслуживание ужасное", "ru"),
        ("Приложение ашылмайды, жаңарту керек", "kk"),
    ],
)
def test_language(analyzer: Analyzer, text: str, lang: str) -> None:
    assert analyzer.analyze([text])[0].lang == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Short replies that open with a Latin handle used to be taken for Latin-script Kazakh.
        ("@aliya_88 Спасибо большое", "ru"),
        ("@ineedanescap Волнуемся", "ru"),
        ("@user Ладно.", "ru"),
        ("Привет @mintwonie, аналогично", "ru"),
        ("@akimat_almaty Рахмет, жарайсыңдар!", "kk"),
        ("@dana_k rahmet, jol jaqsy boldy", "kk"),
        ("@bekzat_01 kogda otkroyut dorogu?", "ru"),
        ("@john thank you so much", "en"),
        ("@nurlan @aigerim", "other"),
    ],
)
def test_mention_handles_are_not_words(analyzer: Analyzer, text: str, lang: str) -> None:
    assert analyzer.analyze([text])[0].lang == lang


def test_mentions_are_recorded_and_obfuscation_is_not_a_mention() -> None:
    assert normalise("@Aliya_88, @seallllll ок").mentions == ("aliya_88", "seall")
    assert normalise("п@дл0 ты").mentions == ()


def test_obfuscated_cyrillic_stays_russian(analyzer: Analyzer) -> None:
    # Latin look-alikes inside Cyrillic words must not turn Russian into English.
    assert analyzer.analyze(["Oчень плoхая рабoта акимата, нет гoрячей вoды"])[0].lang == "ru"


def test_the_kazakh_word_list_leaves_out_words_with_russian_endings() -> None:
    from sentiment.train import language_vocab

    ru = ["Как дела у всех?", "Хорошая погода сегодня"] * 20
    kk = ["Приложение ашылмайды, жаңарту керек", "Қосымша жақсы, рахмет"] * 20
    vocab = dict(line.split("\t")[::-1] for line in language_vocab(ru, kk).splitlines())
    assert vocab.get("керек") == "kk" and vocab.get("рахмет") == "kk"
    assert "приложение" not in vocab


def test_hyphenated_kazakh_endings_are_not_russian_words(analyzer: Analyzer) -> None:
    # "ЦОН-да" is a Kazakh locative, not the Russian "да".
    assert analyzer.analyze(["Кезек өте ұзын, ЦОН-да бір күн тұрдым"])[0].lang == "kk"
    assert analyzer.analyze(["Кто-то из-за этого не пришёл"])[0].lang == "ru"
