from __future__ import annotations

import pytest

from sentiment import Analyzer
from sentiment.prepare import prepare
from sentiment.urgency import is_urgent


def _urgent(text: str) -> bool:
    return is_urgent(prepare([text]).folded[0])


@pytest.mark.parametrize(
    "text",
    [
        "Оборванный провод висит над детской площадкой, искрит",
        "Скорая едет уже час, отцу плохо",
        "В минус тридцать в квартире холодно, у нас грудной ребёнок",
        "Открытый люк без крышки на Сатпаева",
        "Нашей бабушке отказали в госпитализации, у неё инсульт",
        "Жедел жәрдем бір сағаттан бері келмей жатыр",
        "Көпір құлауға жақын, балалар күнде өтеді",
        "Электр сымы үзіліп жерде жатыр",
        "Өзен тасып, ауылды су алды",
        "Auylda orman ortenip jatyr",
        "Pomogite, v podezde zapah gaza",
        "Сын пропал без вести, полиция не ищет",
        "Спасатели не отвечают, на реке люди на льдине",
        "Жена рожает, а дорогу к посёлку не чистят",
        "Балабақшадан кейін баламыз үйге келмеді",
        "Газ қызметі телефон алмайды, подъезде иіс бар",
        "Бұл көпір балаларға қауіпті",
    ],
)
def test_dangers_are_urgent(text: str) -> None:
    assert _urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        # figures of speech
        "Умираю со смеху от вашего видео",
        "Новый парк просто убийственно красивый",
        "Горю желанием работать у вас",
        "Күліп өлдім, керемет видео",
        "Дым түсінбедім, қалай тіркелемін?",  # informal Kazakh: "understood nothing"
        # words that only look like danger
        "Орта мектепте жаңа сынып ашылды",
        "Сельская школа получила новые компьютеры",
        "Скоро будет новый автобусный маршрут",
        "Рабочие приступили к ремонту дороги",
        "Когда откроют пожарную часть в посёлке?",
        "Свет в подъезде не горит",
        "Будет ли учебная эвакуация в школе?",
        "Ойын керемет, шабуыл жасап ұпай жинайсың",  # a game review: "attack" to score
        "Пожарная часть переехала, телефон 101 прежний",
        "Мектепте жол қауіпсіздігі туралы сабақ болды",
        # a danger that is over
        "Спасибо, что быстро потушили пожар, все живы",
        "Светлая память погибшим, соболезную родным",
        "Жатқан жері жайлы болсын, қайғыңызға ортақпын",
    ],
)
def test_ordinary_comments_are_not_urgent(text: str) -> None:
    assert not _urgent(text)


def test_thanks_do_not_hide_a_danger_that_goes_on() -> None:
    assert _urgent("Спасибо за ответ, но у нас до сих пор нет отопления, дети мёрзнут")


def test_an_urgent_appeal_reads_as_negative_and_heavy(analyzer: Analyzer) -> None:
    # No complaint word in it, yet a life depends on it.
    r = analyzer.analyze(["Нам отключили свет, а у мамы аппарат ИВЛ дома"])[0]
    assert r.urgent and r.needs_answer and r.severity == "heavy"
    assert r.label == "negative"
