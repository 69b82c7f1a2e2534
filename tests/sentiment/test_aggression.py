from __future__ import annotations

import pytest

from sentiment import Analyzer


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Спасибо за работу", "none"),
        ("Когда будет вода в доме 12?", "none"),
        ("Рахмет, жол жақсы болды", "none"),
        ("Вы там все идиоты и дебилы", "aggression"),
        ("Акимат - сборище тупых бездельников, уроды", "aggression"),
        ("Сендер ақымақсыңдар ма?", "aggression"),
        ("Убью этого акима, если ещё раз отключат свет", "strong"),
        ("Я вас всех найду и зарежу", "strong"),
        ("Өлтіремін сені", "strong"),
        ("да пошли вы нах*й со своими обещаниями", "strong"),
        ("п@дл0 ты и вор", "aggression"),
        ("Бл**ь, опять дорогу разрыли", "strong"),
        ("akymak sender", "aggression"),
        ("oltiremin seni", "strong"),
        ("Rahmet, jol jaqsy boldy", "none"),
        # laughter and one-word replies give the learned head too little to call rudeness
        ("хахаха", "none"),
        ("Ахахах!!!!!", "none"),
        ("хех)", "none"),
        ("Приболел:(((", "none"),
        ("hello", "none"),
        ("hi", "none"),
        # while a short insult is still one
        ("Тупой баран!", "aggression"),
        ("урод", "aggression"),
        ("хахаха, ну вы и дебилы", "aggression"),
        # words that begin like a threat
        ("Уберите, пожалуйста, мусор у подъезда", "none"),
        ("Убедительно прошу ответить", "none"),
        ("Повешу объявление в подъезде о собрании", "none"),
        ("Вы ответите на мой вопрос?", "none"),
        ("Смотрите, котёл в подвале вот-вот взорвётся", "none"),
        # and threats that are
        ("Убей себя, чиновник", "strong"),
        ("Вы ещё ответите за это", "strong"),
        # despair about one's own life is not aggression, however dark its words
        ("Хочу покончить с собой", "none"),
        ("Жить не хочу, покончу с собой", "none"),
        # unless an insult comes with it
        ("Покончу с собой, сволочи", "aggression"),
    ],
)
def test_aggression_levels(analyzer: Analyzer, text: str, level: str) -> None:
    assert analyzer.analyze([text])[0].aggression == level


def test_insults_are_negative(analyzer: Analyzer) -> None:
    for r in analyzer.analyze(["Сен ақымақсың", "ты дебил", "akymak sender"]):
        assert r.label == "negative"


def test_despair_is_negative_and_urgent(analyzer: Analyzer) -> None:
    texts = ["Хочу покончить с собой", "Жить не хочу, покончу с собой", "Өзіме қол жұмсаймын"]
    for text, r in zip(texts, analyzer.analyze(texts), strict=True):
        assert (r.label, r.aggression, r.urgent) == ("negative", "none", True), text


def test_praise_for_a_rescue_stays_praise(analyzer: Analyzer) -> None:
    r = analyzer.analyze(["Полицейские спасли мужчину от самоубийства, молодцы"])[0]
    assert r.label == "positive"
