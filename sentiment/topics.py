"""Topics of a comment (multi-label) from Russian and Kazakh stem lexicons.

Stems are matched at word starts on the folded text (Kazakh letters folded onto
Russian ones, see ``normalize.fold_kazakh``), so formal and informal Kazakh
spellings and Latin-script Kazakh after transliteration all meet the same stems.
A trailing ``$`` in a stem means the whole word.

Stems rather than lemmas: pymorphy3 2.0.6 took about 0.5 ms per Russian word on
this hardware, fifty times the budget of a whole comment (10,000 per second per
core); a prefix stem covers the inflected forms of both languages at no cost.
"""

from __future__ import annotations

import re

from sentiment.normalize import fold_kazakh

TOPICS = (
    "housing_utilities",
    "roads_transport",
    "land",
    "social_payments",
    "health",
    "education",
    "employment",
    "taxes",
    "ecology",
    "emergencies",
    "corruption",
    "public_services",
)

# What a reader calls each topic: (English, Russian, Kazakh).
NAMES: dict[str, tuple[str, str, str]] = {
    "housing_utilities": ("housing and utilities", "ЖКХ", "ТКШ"),
    "roads_transport": ("roads and transport", "дороги и транспорт", "жол және көлік"),
    "land": ("land", "земля", "жер"),
    "social_payments": ("social payments", "соцвыплаты", "әлеуметтік төлемдер"),
    "health": ("health care", "здравоохранение", "денсаулық сақтау"),
    "education": ("schools and kindergartens", "школы и сады", "мектептер мен балабақшалар"),
    "employment": ("employment", "занятость", "жұмыспен қамту"),
    "taxes": ("taxes", "налоги", "салықтар"),
    "ecology": ("ecology and waste", "экология и отходы", "экология және қалдықтар"),
    "emergencies": ("emergencies", "ЧС", "ТЖ"),
    "corruption": ("corruption", "коррупция", "сыбайлас жемқорлық"),
    "public_services": ("public services", "госуслуги", "мемлекеттік қызметтер"),
}


def name(topic: str, lang: str) -> str:
    """The topic as a reader in `lang` (en, ru, kk) calls it; an unknown id as it is."""
    names = NAMES.get(topic)
    return names[("en", "ru", "kk").index(lang)] if names and lang in ("en", "ru", "kk") else topic


LEXICON: dict[str, str] = {
    "housing_utilities": """
        жкх коммунал комуналк отоплен отаплива батаре горячей_вод горячая_вод горячую_вод
        холодной_вод водоснаб водопровод водокан канализ газ$ газа$ газом$ газу$ газоснаб
        газифик газопровод электроснаб электроэнерг свет_отключ отключили_свет отключ_свет
        нет_света без_света лифт подъезд крыша_теч кровл капремонт капитальн_ремонт
        квартплат тариф жилье жилья жилищ квартир общежит аварийн_дом кск оси$ осмд
        многоэтаж жылу жылыт ыстык_су суык_су сумен_камт ауыз_су жарык_жок жарык_сонд
        жарыкты патер баспана тургын_уй кондоминиум шатыр уй_кезег пайдаланыл су_жок
        су_берилмей су_бермей су_келмей
    """,
    "roads_transport": """
        дорог дорож трасс ямы$ яма$ ямк ямам ямах асфальт автобус маршрут транспорт светофор
        пробк тротуар мост$ моста$ мосту$ мостом$ остановк такси проезд парковк дтп метро$
        лрт$ поезд вокзал аэропорт авиарейс электричк троллейбус трамва пешеход разметк
        жол$ жолы$ жолдар жолды$ жолда$ жолдын жолга колик аялдама копир шункыр багдаршам
        кептелис жаяу_жургин пойыз автокол
    """,
    "land": """
        земельн участок участка участки участке участков земл_участ земли_под земля_под
        гектар сотк кадастр ижс$ пастбищ межеван госакт дачн_участ изъяти_земл
        жер_телим жер_учаск жер_алу жер_беру жер_бер жер_масел жерди_ жер_кезег учаске
        телим жайылым егистик жер_кодекс жер_телимин
    """,
    "social_payments": """
        пособи пенси выплат асп$ адресн_соц соцпомощ социальн_помощ социальн_выплат
        инвалидн многодет алимент 42500 42_500 енпф материнск_капитал декретн субсиди льгот
        зейнетакы зейнеткер жардемакы толем мугедек коп_балалы атаулы_алеум алеуметтик_комек
        алеуметтик_толем бжзк жардемак
    """,
    "health": """
        больниц поликлиник врач медицин медик медсестр скорая скорой скорую лекарств аптек
        лечен лечит болезн заболе ковид covid коронавирус вакцин прививк осмс$ операци
        роддом пациент здоровь эпидеми минздрав терапевт педиатр хирург
        аурухана емхана дариг дари$ дарилер дарихана емде наукас ауру$ аурып ауырып
        жедел_жардем денсаулык мамс$ вакцина перзентхана
    """,
    "education": """
        школ учител учебн образован детский_сад детского_сада детсад садик колледж универ
        вуз$ вуза$ студент ент$ егэ$ грант ученик урок буллинг воспитател кружк минпрос
        дистанционн_обуч мектеп мугалим окушы окуга окыту окулык балабакша бала_бакша
        билим студент университет сабак тарбиеш
    """,
    "employment": """
        безработ трудоустр вакан зарплат заработн_плат уволи увольн сокращени занятост
        биржа_труда трудов работодател зп$ без_работы нет_работы найти_работ ищу_работу
        ищем_работу дайте_работу работу_не_найти устроиться_на_работу на_работу_не_бер
        жумыссыз жалакы жумыска_орнал жумыс_жок жумыс_тап кызметтен_босат енбекаки енбек
        жумыспен_камт жумыс_орын
    """,
    "taxes": """
        налог кгд$ декларац пошлин ндс$ ипн$ фно$ налогов
        салык салыгы салыкты мемлекеттик_баж
    """,
    "ecology": """
        эколог мусор свалк выброс загрязн смог воздух вырубк деревь отход тбо$ браконьер
        пыль радиац экосистем озеленен
        экология кокыс ластан ауа$ ауаны ауасы агаш_кес агаштар тутин калдык
    """,
    "emergencies": """
        пожар наводнен паводк затоп землетрясен чс$ мчс$ эвакуац спасател взрыв обрушен
        авари буран метел подтоп горит$ тонет утонул лавин сель$ селев
        орт$ ортти орт_шык ортен ортке су_басу су_басты су_таскын жер_силкин тжм$ тотенше
        куткару апат жарылыс боран
    """,
    "corruption": """
        коррупц взятк взяточ откат распил хищени украл воруют ворует вор$ воры$ ворья
        казнокрад отмыва антикор кумовств блат$ нецелев присвоен хапуг
        паракор пара_алу пара_ал пара_бер жемкор урлады урлап урлык уры$ урылар талан_тараж
    """,
    "public_services": """
        цон$ цона$ егов egov справк госуслуг паспорт удостоверени прописк регистрац электронн_очеред
        прием_граждан заявлени электронн_правительств портал 1414 госорган
        хкко$ халыкка_кызмет аныктама кужат жеке_куалик тиркеу электронды_кезек мемлекеттик_кызмет
        электронды_укимет
    """,
}


def _stem_pattern(stem: str) -> str:
    whole = stem.endswith("$")
    stem = stem.rstrip("$")
    body = r"\w*\s+".join(re.escape(part) for part in stem.split("_") if part)
    if stem.endswith("_"):
        body += r"\w*"
    return body + (r"(?!\w)" if whole else "")


def _compile() -> re.Pattern[str]:
    groups = []
    for i, topic in enumerate(TOPICS):
        stems = [fold_kazakh(s.lower()) for s in LEXICON[topic].split()]
        alternation = "|".join(_stem_pattern(s) for s in sorted(set(stems), key=len, reverse=True))
        groups.append(f"(?P<t{i}>{alternation})")
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")")


_PATTERN = _compile()
# The big pattern is tried only where a word begins like one of its stems.
_HEADS = frozenset(
    fold_kazakh(s.lower()).rstrip("$").split("_")[0][:3]
    for lex in LEXICON.values()
    for s in lex.split()
)
_WORD_START = re.compile(r"(?<!\w)\w{1,3}")


def detect(folded: str) -> tuple[str, ...]:
    """Topic ids of a folded, normalised comment, in ``TOPICS`` order."""
    found = set()
    for word in _WORD_START.finditer(folded):
        if word.group() in _HEADS:
            m = _PATTERN.match(folded, word.start())
            if m:
                found.add(m.lastgroup)
    if not found:
        return ()
    return tuple(TOPICS[i] for i in range(len(TOPICS)) if f"t{i}" in found)
