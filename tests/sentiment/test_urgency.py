from __future__ import annotations

import pytest

from sentiment import Analyzer, urgency
from sentiment.gold import comment_items
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
        # dangers told as what is happening, without the usual alarm words
        "Мальчик застрял в лифте на девятом этаже, плачет",
        "Во дворе мужчина лежит на земле с утра и не шевелится",
        "Дедушка-сосед не открывает дверь третий день, телефон молчит",
        "Над остановкой свисает глыба снега с козырька",
        "На переходе у рынка сломаны перила, под ними обрыв",
        "После вчерашних толчков в стене школы огромная трещина",
        "Вода с крыши течёт прямо на электрощит в подъезде",
        "Бездомные собаки гоняются за детьми у садика",
        "У дочки рвота и понос после водопроводной воды, у соседей то же",
        "Бабушке плохо от жары, в больнице сказали ждать",
        "Хозяйка выкинула наши вещи во двор, у меня двое малышей",
        "Отопления нет, давления воды нет, а у нас лежачая мама",
        "Полиция не едет, сосед с ножом ломится в дверь",
        "Көршіміз екі күннен бері есікті ашпайды, адам қозғалмай жатыр ма деп қорқамыз",
        "Ауылда қаңғыбас ит құтырып кетіпті, балаларды тістеді",
        "Tauda sel kele zhatyr, adamdar bilmeidi",
        "Полиция келмеді, күйеуі оны ұрып жатыр",
        "Водитель маршрутки пьяный в стельку, везёт полный салон",
        "На выходе со стадиона давка у турникетов, людей прижали к забору",
        "Сосед с ножом бегает по подъезду, полиция где?",
        "Котлован у школы не огорожен, дети там играют",
        "Сосули над входом в садик висят третью неделю",
        "Баланы жылан шағып алды, ауруханаға жол жабық",
        "Өзен арнасынан шығып, су үйлерге кіріп жатыр",
        "Тұрып қалдық трассада, боран, балалар тоңып жатыр",
        # a drill, and a real fire now
        "Учения были на прошлой неделе, а сейчас реально горит склад за школой",
        # a problem that comes back, or money owed, with a danger now
        "Каждую весну топит, а сейчас вода поднимается к домам",
        "Компенсацию за прошлый паводок не дали, а теперь снова затопило дом",
        "Жыл сайын осылай, қазір ауылды су басып жатыр",
        "Соседи сверху опять затопили, вода течёт по проводке",
        # since yesterday, or yesterday and still: it goes on
        "Со вчера в подвале пахнет газом, дети в доме",
        "Вчера затопило подвал, до сих пор вода стоит у щитка",
        # someone taken ill, a smell of burning
        "Сейчас на остановке женщине стало плохо, лежит на земле",
        "Пассажиру в автобусе стало плохо, водитель не останавливается",
        "В квартире сильный запах гари, не можем найти откуда",
        "Үйде күйік иісі шығып тұр, қайдан екенін білмейміз",
        # a service that is usually slow, and fails now
        "Скорая всегда долго едет, а сейчас отцу плохо уже час, не едут",
        # a quake abroad, and here too
        "В Турции землетрясение, у нас в Алматы тоже трясло, трещины по стене пошли",
        # someone who says they will end their life
        "Хочу покончить с собой",
        "Не хочу больше жить, помогите",
        "Өмір сүргім келмейді, ешкім көмектеспейді",
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
        "Смешные слова, умерла от восторга",
        "Задыхаюсь от этих пробок на Аль-Фараби",
        "Эти ямы убили мне подвеску",
        "Новость о повышении тарифов просто убила",
        "Очередь в ЦОНе не двигается второй час",
        "Люди мёрзнут на остановке, автобус раз в час",
        "Цены бешеные, как жить на пенсию?",
        "Қосымшаны көшіріңіз, өте ыңғайлы",
        "Колонка жақсы ұрады, ұнады",
        "В метро давка в час пик, неудобно",
        "Пьяным за руль не сажусь, правильно что штрафуют",
        "Таких надо гнать как бешеных собак",
        "Посылка әлі келмеді, почта жауап бермейді",
        "Это видео просто убило, кто монтировал?",
        # news from elsewhere, solidarity and remembrance
        "В Турции опять землетрясение, держитесь",
        "Помним жертв Семипалатинского полигона",
        # a danger shown, rehearsed or remembered
        "Смотрели фильм про землетрясение 1966 года, до слёз",
        "Фото с учений: пожарные тушат условный пожар в торговом центре",
        "В прошлом году нас затопило, спасибо, что укрепили берег",
        "Балаларға өрт қауіпсіздігі туралы сабақ өтті",
        # a danger that is over
        "Спасибо, что быстро потушили пожар, все живы",
        "Светлая память погибшим, соболезную родным",
        "Жатқан жері жайлы болсын, қайғыңызға ортақпын",
        "До сих пор помним, как в 2019 году взрывались склады",
        "Өткен жылғы су тасқынын ұмытпаймыз, көмектескен еріктілерге рахмет",
        # what might happen one day
        "А если у нас будет сильное землетрясение, школа выдержит?",
        "Жер сілкінісі болса, қайда жиналу керек?",
        "Жазда орман өртеніп кете ме деп қорқамын, алдын ала тазалау керек",
        "Наводнение в Пакистане, не дай бог такое у нас",
        # money owed after a disaster, a problem that comes back every year, preparing
        "Подскажите, как получить компенсацию за дом, который затопило весной?",
        "Су тасқынынан кейін өтемақы әлі төленген жоқ",
        "Каждую весну на нашей улице подтопления, когда построят дамбу?",
        "На перекрёстке постоянно аварии, нужен светофор",
        "Жыл сайын көктемде ауылды су басып қалады, бөгет қашан салынады?",
        "Где посмотреть карту зон подтопления?",
        "Бюджет горит в конце года, вот и перекладывают плитку",
        # yesterday's crash, last month's figures, a quake abroad
        "Вчера видел аварию на Абая, там нужен светофор",
        "Кеше базарда өрт болды ма? Не болғанын жазыңыздаршы",
        "Сколько человек пострадало в ДТП в прошлом месяце?",
        "В Японии снова сильное землетрясение, страшно смотреть",
        # hoping, a service that is usually slow, the weather, smog, the aftermath
        "Надеюсь, зима пройдёт без аварий на теплосетях",
        "Скорая у нас всегда едет по два часа, когда наладят?",
        "Күн суық, балалар мектепке жаяу барады, автобус қашан болады?",
        "Экология ужасная, дым от ТЭЦ всю зиму",
        "После паводка прошло полгода, а дороги так и не отремонтировали",
        "Не паникуйте, авария на водопроводе, уже устраняют",
        "Не хочу жить в этом городе, уеду",
    ],
)
def test_ordinary_comments_are_not_urgent(text: str) -> None:
    assert not _urgent(text)


def test_grouping_by_first_letter_finds_what_the_plain_pattern_finds() -> None:
    # The lexicons are grouped under first letters for speed; whether a comment matches
    # must not change.
    texts = [it["text"] for it in comment_items()] + ["пожар", "нет воды", "газ иісі"]
    folded = prepare(texts).folded
    for lexicon in (urgency._DANGER_WORDS, urgency._DEPRIVED_WORDS, urgency._VULNERABLE_WORDS):
        plain, grouped = urgency._phrases(lexicon), urgency._words(lexicon)
        assert plain.pattern != grouped.pattern
        hits = 0
        for text, fold in zip(texts, folded, strict=True):
            found = plain.search(fold) is not None
            assert found == (grouped.search(fold) is not None), text
            hits += found
        assert 0 < hits < len(texts)


def test_thanks_do_not_hide_a_danger_that_goes_on() -> None:
    assert _urgent("Спасибо за ответ, но у нас до сих пор нет отопления, дети мёрзнут")


def test_an_urgent_appeal_reads_as_negative_and_heavy(analyzer: Analyzer) -> None:
    # No complaint word in it, yet a life depends on it.
    r = analyzer.analyze(["Нам отключили свет, а у мамы аппарат ИВЛ дома"])[0]
    assert r.urgent and r.needs_answer and r.severity == "heavy"
    assert r.label == "negative"


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("There is a strong smell of gas in our stairwell, please help", True),
        ("My daughter went missing near the river this morning", True),
        ("The ambulance has not come for an hour and my father is unconscious", True),
        ("No heating for three days and we have a newborn baby", True),
        ("Stray dogs attacked a kid next to the school gate", True),
        ("The hospital refused to admit my mother, she is dying", True),
        ("I want to kill myself, nobody helps", True),
        ("This new park is fire, love it", False),
        ("Great documentary about the 1966 Tashkent earthquake", False),
        ("Fire drill at school today went well", False),
        ("Dying of laughter at this video lol", False),
        ("When will the new bus route open?", False),
    ],
)
def test_english_comments_are_judged_too(analyzer: Analyzer, text: str, urgent: bool) -> None:
    r = analyzer.analyze([text])[0]
    assert r.lang == "en"
    assert r.urgent is urgent
    if urgent:
        # An urgent appeal is a complaint, whatever the polarity lexicon says of its words.
        assert r.label == "negative" and r.severity == "heavy"


def test_the_learned_head_reads_appeals_no_rule_names(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sentiment
    from sentiment import features

    appeals = [
        "В подвале кто-то стонет уже час, дверь заперта",
        "Мой брат третий день не ест, лежит и молчит",
        "Балам ыстығы түспей жатыр, дәрігер келмейді",
    ]
    calm = [
        "Когда будут выплаты многодетным?",
        "Дорогу опять раскопали, объезда нет",
        "Мусор не вывозят вторую неделю, вонь",
    ]
    # These appeals are beyond the rules: only the learned head can find them.
    assert not any(_urgent(t) for t in appeals)
    prep = prepare(appeals + calm)
    z = analyzer._heads.logits(features.hash_batch(prep.feature_texts))["urgent"][:, 0]
    assert min(z[: len(appeals)]) > max(z[len(appeals) :])
    # The head decides beside the rules, at its threshold.
    monkeypatch.setattr(sentiment, "URGENT_LOGIT", float(min(z[: len(appeals)])) - 0.01)
    assert all(r.urgent and r.severity == "heavy" for r in analyzer.analyze(appeals))
    assert not any(r.urgent for r in analyzer.analyze(calm))
    monkeypatch.setattr(sentiment, "URGENT_LOGIT", float(max(z[: len(appeals)])) + 0.01)
    assert not any(r.urgent for r in analyzer.analyze(appeals))
