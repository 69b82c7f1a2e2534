"""Quality of an agency's own reply to a citizen.

A good reply addresses the citizen ("Уважаемый …" / "Құрметті …"), says
something concrete (who does what, by when, where to turn) and stays calm (no
capitals, no exclamation marks). Formal non-answers such as "Принято к сведению"
or "Учтено" are not acceptable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentiment.normalize import fold_kazakh, normalise

_FORMAL = re.compile(
    r"(?:принято к сведению|приняли к сведению|принят[оаы]? во внимание|^учтено|учтено[.!]?$|"
    r"информация принята|ваше (?:мнение|замечание|обращение) (?:учтено|принято)|"
    r"спасибо за (?:ваше )?(?:мнение|обращение|отзыв|информацию)[.!]?$|будем иметь в виду|"
    r"ваш[е]? (?:обращение|сообщение) (?:получено|зарегистрировано)[.!]?$|"
    r"назарға алынды|назарга алынды|ескерілді|ескерилди|мәлімет үшін рахмет|малимет ушин рахмет|"
    r"ақпарат қабылданды|акпарат кабылданды|пікіріңіз үшін рахмет|пикириниз ушин рахмет)"
)
_ADDRESS = re.compile(
    r"(?:^|[\s,.!])(?:уважаем\w*|дорог(?:ой|ая|ие)|здравствуйте|добрый день|добрый вечер|"
    r"құрметті|курметти|сәлеметсіз|салеметсиз|қайырлы күн|кайырлы кун|dear|hello)"
)
_SUBSTANCE = re.compile(
    r"(?:\d|направлен|передан|поручен|будет (?:отремонтир|устранен|восстановлен|выполнен|"
    r"проведен|установлен|заменен|вывезен|рассмотрен в срок|продлен)|устранен|выехал|"
    r"проверк|комисси|срок|до конца|в течение|обратитесь|позвоните|телефон|адрес|кабинет|"
    r"http|www|\.kz|ссылк|график|работы ведутся|начнутся|завершат|подрядчик|сотрудник|"
    r"жолданды|тапсырылды|жөнделеді|жондел|қалпына келтір|калпына келтир|"
    r"тексеру|тексерис|мерзім|мерзим|хабарласыңыз|хабарласыныз|телефон|мекенжай|"
    r"жұмыс жүргізіл|жумыс жургизил|мердігер|мердигер|бөлімі|болими|басқармасы|баскармасы)"
)
_APOLOGY_OR_THANKS = re.compile(r"(?:извин|приносим|спасибо|благодар|кешіріңіз|кешириниз|рахмет)")
_WORD = re.compile(r"[^\W\d_]{4,}")


def _folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(fold_kazakh(pattern.pattern))


_FORMAL_F, _ADDRESS_F = _folded(_FORMAL), _folded(_ADDRESS)
_SUBSTANCE_F, _THANKS_F = _folded(_SUBSTANCE), _folded(_APOLOGY_OR_THANKS)


@dataclass(frozen=True, slots=True)
class ReplyQuality:
    score: float  # 0 (unacceptable) .. 1 (good)
    formal_non_answer: bool
    addresses_citizen: bool
    has_substance: bool
    caps: bool
    exclamations: int
    on_topic: bool | None  # overlaps the question's words; None without a question
    flags: tuple[str, ...]


def reply_quality(reply: str, question: str | None = None) -> ReplyQuality:
    raw = (reply or "")[:5000].replace("\0", " ")
    text = re.sub(r"\s+", " ", raw.lower()).strip()
    letters = [c for c in raw if c.isalpha()]
    caps = len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.6 * len(letters)
    exclamations = raw.count("!")
    # Raw lower case keeps links and English; the folded view meets Latin-script Kazakh.
    folded = fold_kazakh(normalise(raw).cyrillic)
    formal = bool(_FORMAL.search(text) or _FORMAL_F.search(folded))
    words = _WORD.findall(text)
    has_substance = _SUBSTANCE.search(text) or _SUBSTANCE_F.search(folded)
    substance = bool(has_substance) and len(words) >= 5
    if formal and len(words) <= 8:
        substance = False
    address = bool(_ADDRESS.search(text[:80]) or _ADDRESS_F.search(folded[:80]))
    on_topic: bool | None = None
    if question:
        asked = {fold_kazakh(w[:5]) for w in _WORD.findall(question.lower())}
        said = {fold_kazakh(w[:5]) for w in words}
        on_topic = bool(asked & said) if asked else None
    flags = []
    score = 1.0
    if not text:
        flags.append("empty")
        score = 0.0
    if formal:
        flags.append("formal_non_answer")
        score -= 0.6
    if not substance:
        flags.append("no_substance")
        score -= 0.3
    if not address:
        flags.append("no_address")
        score -= 0.15
    if caps:
        flags.append("caps")
        score -= 0.2
    if exclamations:
        flags.append("exclamation")
        score -= min(0.05 * exclamations, 0.15)
    if on_topic is False:
        flags.append("off_topic")
        score -= 0.15
    if len(words) < 4 and text:
        flags.append("too_short")
        score -= 0.1
    if substance and (_APOLOGY_OR_THANKS.search(text) or _THANKS_F.search(folded)):
        score += 0.05
    return ReplyQuality(
        score=round(min(max(score, 0.0), 1.0), 3),
        formal_non_answer=formal,
        addresses_citizen=address,
        has_substance=substance,
        caps=caps,
        exclamations=exclamations,
        on_topic=on_topic,
        flags=tuple(flags),
    )
