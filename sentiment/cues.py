"""Sentiment cues of comments to public bodies that the public training sets lack.

The learned heads come from VK posts and product reviews, where "нет воды третий
день" or "жарық жоқ" are rare; complaints about services are the bulk of
comments to an akimat. These cues (Russian and Kazakh, matched on the folded
text) shift the heads' log-odds by a fixed amount per cue, capped.
"""

from __future__ import annotations

import re

from sentiment.normalize import fold_kazakh

STEP = 1.6
CAP = 3

_B = r"(?<!\w)"

_NEGATIVE = re.compile(
    _B
    + fold_kazakh(
        r"(?:не (?:работает|работают|ходит|ходят|горит|горят|вывоз\w*|убира\w*|отвеча\w*|"
        r"приезжа\w*|реша\w*|делают|сделали|чистят|платят|выплатили)|"
        r"нет (?:воды|света|газа|отоплени\w|тепла|связи|интернета|дороги|врача|врачей|лекарств|"
        r"ответа|никакой|нормальн\w+)|без (?:воды|света|газа|отопления|тепла)|"
        r"задерж\w+|невозможно|опять|снова|до сих пор|уже (?:второй|третий|\d+)|"
        r"сколько можно|безобраз\w+|беспредел|позор\w*|ужас\w*|кошмар\w*|отвратит\w+|бардак|"
        r"разруха|обман\w*|воруют|украли|развал\w*|бездейств\w+|никому нет дела|никто не|"
        r"жалоб\w+|отписк\w+|травят|незаконн\w+|затопил\w*|сломан\w*|разбит\w*|ямы|грязь|"
        r"вонь|воняет|издеват\w+|надоело|хуже|плохо|стыдно|наплевать|"
        r"істемейді|жұмыс істемей\w*|келмейді|шешілмеді|шешілген жоқ|жөнделмеді|кешігіп|"
        r"кешіктір\w+|ұят|масқара|нашар|жаман|сұмдық|бұзылған|бұзылып|ешкім|ешқандай|"
        r"әлі күнге|тоңып|шағым\w*|су жоқ|жарық жоқ|жылу жоқ|газ жоқ|жол жоқ|дәрігер жоқ|"
        r"жауап жоқ|көмек жоқ|қиналып|алдау\w*|ұрлап|ұрлық\w*|пара ал\w*|"
        r"(?:воды|света|газа|отопления|тепла|связи|ответа) нет|"
        r"где (?:отоплени\w|вода|свет|тепло|газ|информаци\w)|холодно|"
        r"(?:мерзн|мёрзн|замерза)\w*|заболел\w*|как (?:жить|так можно)|"
        r"кто (?:ответит|будет отвечать)|бездельник\w*|не дозвон\w+|не берут трубку|"
        r"суық|тоңамыз|тоңдық|ауырып қалды)"
    )
)
_POSITIVE = re.compile(
    _B
    + fold_kazakh(
        r"(?:спасибо|благодар\w+|молод(?:цы|ец)|отлично|супер|прекрасн\w+|замечательн\w+|"
        r"так держать|умнички|браво|"
        r"рахмет|рақмет|керемет|тамаша|жарайсың\w*|алғыс\w*|ризамын|мықты|өте жақсы|"
        r"құттықтаймын|құттықтаймыз|көп рахмет)"
    )
)


_ANY = re.compile(f"(?P<neg>{_NEGATIVE.pattern})|(?P<pos>{_POSITIVE.pattern})")


def counts(folded: str) -> tuple[int, int]:
    """(negative, positive) cue counts of a folded comment, each capped."""
    neg = pos = 0
    for m in _ANY.finditer(folded):
        if m.lastgroup == "neg":
            neg += 1
        else:
            pos += 1
    return min(neg, CAP), min(pos, CAP)
