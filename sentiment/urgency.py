"""Is a comment an appeal that threatens life, health, property or rights (urgent handling)?

The seeds ask that such appeals be handled at once, whatever their wording. A comment
is urgent when it names an immediate danger (fire, gas, collapse, flood, a live wire,
an open manhole, ice and crashes, poisoning, a medical emergency, violence, a missing
person, eviction), when an ambulance is late or refused, or when a vulnerable person
(a child, an old, ill or disabled person) is left without heat, water, food or care.

Matched on the folded text (Kazakh letters onto Russian ones), so formal Kazakh,
informal Kazakh and Latin-script Kazakh (transliterated upstream) read alike.
Figures of speech ("умираю со смеху", "күліп өлдім", "горю желанием") are removed
first, and thanks with no complaint in them ("спасибо, что быстро потушили пожар")
report a danger that is over, not one to handle.
"""

from __future__ import annotations

import re

from sentiment.normalize import fold_kazakh

_B = r"(?<!\w)"


def _words(pattern: str) -> re.Pattern[str]:
    """A pattern of word starts, written with Kazakh letters and matched on folded text."""
    return re.compile(_B + "(?:" + fold_kazakh(pattern) + ")")


# Figures of speech that borrow the words of danger.
_IDIOMS = _words(
    r"умира\w* (?:со смеху|от смеха|от скуки|от любопытства)|со смеху|от смеха|"
    r"убийствен\w+|смертельно (?:устал\w*|скучн\w*|надоел\w*)|горю желанием|горит желанием|"
    r"пожар эмоций|взрыв эмоций|бомб\w*|огонь(?!\w)|"
    r"учебн\w+ (?:эвакуац\w+|тревог\w+|пожар\w*)|учени\w+|"
    r"күліп өл\w+|күлкіден өл\w+|өлердей|өле жаздадым күліп"
)
# Condolences and remembrance follow a loss that is over, not a danger to handle.
_CONDOLENCES = _words(
    r"царств\w* небесн|соболезн|светлая память|вечная память|покойся с миром|скорбим|"
    r"иманды болсын|топырағы торқа|қайғыңызға ортақ|жаны жәннатта|жатқан жері жайлы|"
    r"бақұл бол|қайғырамыз"
)

# Danger by itself: what is happening, or about to.
_DANGER = _words(
    # death, injury, medical emergency
    r"умира|умер|погиб|гибнут|смерт|труп|убил|убьет|убьёт|убило|убьют|ранен|травмир|"
    r"покусал|искусал|кусают|напал\w* собак|сбил[аи]? |задыха|без сознания|потерял\w* сознание|"
    r"опасно(?!\w)|опас(?:ен|н\w*) для (?:жизни|детей|людей|здоровья|жителей)|инсулин|"
    r"(?:дети|ребен\w*|ребён\w*) без|"
    r"кровотеч|инсульт|инфаркт|приступ(?:(?!\w)|а|ом|ы)|судорог|отрав|ожог|реанимац|ивл(?!\w)|"
    r"диализ|"
    r"отказали в госпитализ|не госпитализ|"
    # fire, smoke, explosion, gas
    r"пожар(?!н)|(?<!не )горит|(?<!не )горим|загорел|подожгл|"
    r"дым (?:на|в|от|из|валит|ид[её]т|стоит|столбом)|дыма|дымом|дымит|дымят|задымл|"
    r"взрыв|взорва|"
    r"запах газа|пахнет газом|газом пахнет|утечк\w* газа|угарн\w* газ|угар(?!\w)|"
    # collapse and things falling
    r"обруш|рухнул|рухнет|рухнуть|может упасть|падает на|упал[аи]? в|шатается|"
    r"падал\w* (?:человек|ребен|ребён|люди|дет|женщин|мужчин)|провис(?:ает|ают|ла|ло|ли)?(?!\w)|"
    r"аварийн\w+ (?:дом|состояни|здани|балкон|мост)|обвал|сосульк|снег с крыши|"
    r"трещин\w* (?:по|в|на) (?:всей |несущ\w+ )?стен|"
    # electricity
    r"оборван\w* провод|оголен\w* провод|оголён\w* провод|искрит|током (?:ударил|бьет|бьёт)|"
    r"удар\w* током|провод\w* (?:висит|лежит|на земле|упал)|"
    # water
    r"затопил|затаплива|топит кипятк|прорвал|прорыв|потоп|наводнен|паводк|паводок|сель(?!\w)|"
    r"селев|дамб(?:а|у|ы|е)|"
    r"подтоплен|вода поднима|эвакуир|эвакуац|"
    # roads
    r"открыт\w* (?:люк|колодец)|без крышки|гололед|гололёд|авари|дтп(?!\w)|"
    r"чуть не (?:сбил|случил|погиб|убил)|"
    # violence, crime, people in danger
    r"насили|избива|избил|избили|(?:бьет|бьёт|бьют)(?!\w)|угрожа|угроз|вымога|"
    r"травл[яеюи](?!\w)|буллинг|пропал\w* без вести|"
    r"пропал\w* (?:ребен|ребён|дет|девочк|мальчик|сын|доч|человек|мужчин|женщин|пожил|бабушк|"
    r"дедушк|муж|жена)|похищ|"
    r"похити|суицид|самоубий|"
    # property and rights
    r"выселя|выгоня|на улицу (?:зимой|с детьми)|без жилья|остались без крыши|снесут|сносят|"
    r"отбирают|незаконно|нарушают права|нарушение прав|нечем кормить|не на что жить|голода|"
    # Kazakh
    r"өлді(?!\w)|өліп (?:қал|жатыр|кет)|өлім(?:(?!\w)|ге|нен|і)|қаза (?:тап|бол)|мерт бол|"
    r"қайтыс бол|жарақат|ес-түссіз|есінен тан|талып қал|"
    r"уланып|улану|уланған|уланды|тұншығ|өрт(?:(?!\w)|ен\w*|сөнд\w*|ке|ті|тің|те|шы\w*)|"
    r"жанып жатыр|түтін|жарылыс|жарылды|газ иісі|газдың иісі|газ ағып|"
    r"құлап|құлау|құлайды|құлағалы|құлады|сызат|су басты|су басып|су алды(?!\w)|су тасқын|"
    r"өзен\w* тас|"
    r"эвакуац|көк тайғақ|тайғақ|апат(?!\w)|апат(?:қа|тан|ты|ы)|соқтығыс|сым үзіл|сымы үзіл|"
    r"сым жерде|ток соқ|"
    r"ұрып-соғ|ұрып (?:кет|тастад|жатыр|жүр|соқ)|қорқытып|қорқытады|қорқытты|зорлық|қорлық|"
    r"бала\w* жоғал|жоғалған бала|із-түзсіз|үйсіз|"
    r"көшеге қу|көшеде қал|(?:үйден|пәтерден|көшеге) шығарып|заңсыз|құқығы бұзыл|құқығымыз бұзыл|"
    r"шөлдеп|аш қал|асырайтын ештеңе"
)

_AMBULANCE = _words(r"скор\w+ помо[щш]|скорая|скорую|скорой|жедел жәрдем")
_LATE = _words(
    r"не (?:едет|приеха|приезжа|может|пришл)|застрял|час(?:а|ов)?(?!\w)|минут|жд[её]м|ждали|"
    r"до сих пор|"
    r"нет(?!\w)|отказ|келмей|келмеді|сағат|күтіп|жоқ"
)

_VULNERABLE = _words(
    r"ребен|ребён|дети|детей|детям|детьми|малыш|грудн|младен|новорожд|бабушк|дедушк|пожил|"
    r"старик|инвалид|беремен|больн(?!иц)|лежач|"
    r"бала|нәресте|сәби|қарт(?!\w)|қарттар|әжем|әжесі|атам|атасы|мүгедек|жүкті|науқас"
)
_DEPRIVED = _words(
    r"холодн|холод(?!\w)|мерзн|мёрзн|замерз|нет (?:воды|света|газа|тепла|отоплени|еды|лекарств)|"
    r"без (?:воды|света|газа|тепла|отоплени|лекарств|еды)|"
    r"болеют|заболел|заболев|нечем (?:кормить|платить|дышать|топить|лечить)|\+1\d(?!\w)|"
    r"минус \d\d|"
    r"суық|тоңып|ауырып|ауыр\w+ қал|су жоқ|жарық жоқ|газ жоқ|жылу жоқ|тамақ жоқ|дәрі жоқ"
)
_THANKS = _words(r"спасибо|благодар|молод(?:цы|ец)|отличн|рахмет|рақмет|алғыс|ризамын|жарайсың")
_STILL_WRONG = _words(
    r"не |нет(?!\w)|до сих пор|но |однако|а (?:сейчас|теперь)|помогите|прошу|срочно|"
    r"жоқ|әлі|бірақ|көмектес"
)
# Deprivation that is dangerous for anyone, vulnerable or not.
_COLD = _words(r"нет отоплен|без отоплен|замерза|мерзнем|мёрзнем|мерзнут|мёрзнут|жылу жоқ|тоңып")


def is_urgent(folded: str) -> bool:
    """``folded``: the normalised comment (lower case, Cyrillic) after ``fold_kazakh``."""
    text = _IDIOMS.sub(" ", folded)
    if _CONDOLENCES.search(text) is not None:
        return False
    danger = (
        _DANGER.search(text) is not None
        or _COLD.search(text) is not None
        or (_AMBULANCE.search(text) is not None and _LATE.search(text) is not None)
        or (_VULNERABLE.search(text) is not None and _DEPRIVED.search(text) is not None)
    )
    if not danger:
        return False
    # "Спасибо, что быстро потушили пожар" reports a danger that is over.
    return not (_THANKS.search(text) is not None and _STILL_WRONG.search(text) is None)
