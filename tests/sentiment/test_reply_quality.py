from __future__ import annotations

import pytest

from sentiment import reply_quality


@pytest.mark.parametrize(
    "reply",
    ["Принято к сведению.", "Учтено", "Информация принята.", "Назарға алынды.", "Ескерілді"],
)
def test_formal_non_answers_are_unacceptable(reply: str) -> None:
    q = reply_quality(reply)
    assert q.formal_non_answer
    assert q.score < 0.5
    assert "formal_non_answer" in q.flags


def test_good_russian_reply() -> None:
    q = reply_quality(
        "Уважаемый Асхат, ваше обращение передано в отдел ЖКХ. Бригада подрядчика выедет "
        "на улицу Абая 12 до 15 марта, о результате сообщим в этой ветке.",
        "Когда починят трубу на Абая 12?",
    )
    assert q.addresses_citizen and q.has_substance and not q.formal_non_answer
    assert q.on_topic is True
    assert q.score >= 0.8


def test_good_kazakh_reply() -> None:
    q = reply_quality(
        "Құрметті Айгүл, сіздің өтінішіңіз тұрғын үй-коммуналдық шаруашылық бөліміне жолданды. "
        "Жөндеу жұмыстары 20 наурызға дейін аяқталады, телефон: 8 7172 55 55 55."
    )
    assert q.addresses_citizen and q.has_substance
    assert q.score >= 0.8


def test_caps_and_exclamations_cost() -> None:
    calm = reply_quality("Уважаемый житель, работы по ремонту дороги начнутся 1 мая.")
    loud = reply_quality("УВАЖАЕМЫЙ ЖИТЕЛЬ, РАБОТЫ ПО РЕМОНТУ ДОРОГИ НАЧНУТСЯ 1 МАЯ!!!")
    assert loud.caps and loud.exclamations == 3
    assert "caps" in loud.flags and "exclamation" in loud.flags
    assert loud.score < calm.score


def test_no_address_is_flagged() -> None:
    q = reply_quality("Работы начнутся 1 мая, подрядчик уже назначен.")
    assert not q.addresses_citizen
    assert "no_address" in q.flags


def test_off_topic_reply() -> None:
    q = reply_quality(
        "Уважаемый житель, приглашаем на праздничный концерт в парке.",
        "Когда дадут горячую воду в доме 5?",
    )
    assert q.on_topic is False


def test_empty_reply() -> None:
    assert reply_quality("").score == 0.0


def test_latin_script_kazakh_reply() -> None:
    good = reply_quality(
        "Qurmetti Aigul, sizdin otinishiniz bolimge joldandy, jondeu 20 nauryzga deiin bitedi."
    )
    assert good.addresses_citizen and good.has_substance and good.score >= 0.8
    assert reply_quality("Nazarga alyndy.").formal_non_answer
