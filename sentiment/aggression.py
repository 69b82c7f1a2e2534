"""Aggression: none | aggression | strong.

The learned toxicity probability marks insults and rudeness; lexicons of
obscenity roots, insults and threat phrases (Russian and Kazakh, matched on the
de-obfuscated text, with ``*`` standing for any letter) mark the strong end.
"""

from __future__ import annotations

import re

from sentiment.normalize import fold_kazakh
from sentiment.urgency import SELF_HARM

TOXIC_THRESHOLD = 0.5
# A text of one or two words ("хаха", "ну", "Приболел:(((") gives the learned head little to
# go on, and it leans to "toxic" on such scraps: it must be surer there.
SHORT_WORDS = 3
SHORT_TOXIC_THRESHOLD = 0.8
_WORD = re.compile(r"[^\W\d_]{2,}")
# Laughter ("хаха", "ахахах", "хех", "лол"): on its own it insults no one, but mocking
# threads full of it taught the head otherwise.
_LAUGH = re.compile(r"(?:а?(?:х+[аеиыо]+)+х*|[аеи]?х[аеи]х|л+о+л+|ржу|ржака|кек)")


def _roots(words: str) -> str:
    """Alternation of roots where each letter may also be written as '*'."""
    parts = []
    for w in words.split():
        rest = "".join(f"[{c}*]" if c.isalpha() else re.escape(c) for c in w[1:])
        parts.append(re.escape(w[0]) + rest)
    return "|".join(parts)


# Strongest obscenity (Russian mat, Kazakh obscene roots).
_STRONG_OBSCENE = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:"
    + _roots(
        "хуй хуя хуе хуё хуи хуев хуесос нахуй похуй охуе пизд пезд ебат ебан ебал ебу ебн ебл "
        "ёбан ёбн заеб уеб "
        "выеб доеб наеб отъеб съеб бляд блят блядь еблан мудоеб пидор пидар "
        "сігейін сигейин сиктир сіктір қотақ котак амыңды амынды аміңді шешеңді шешенди "
        "шешеңнің шешеннин атаңның атаннын"
    )
    + r")",
)
_OBSCENE_WORD = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:бля|нах|нахуй|пох|көтек|котек)(?![а-яәғқңөұүһі])"
)

# Insults: aggression even when the learned head hesitates.
_INSULT = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:"
    + _roots(
        "дебил идиот придур кретин ублюд мраз тварь твари урод скотин сволоч гнид падл чмо "
        "дура дурак тупица тупые тупой тупая быдл шлюх сучк сука суки гандон гондон козл козел "
        "лох лохи мудак мудил ничтож продажн "
        "ақымақ акымак есек шошқа шошка доңыз доныз жынды топас малғұн малгун қаншық каншык "
        "жезөкше жезокше сасық сасык тоңқа тонка итің итин иттің иттин"
    )
    + r")",
)

# Threats to a person: the strong end whatever the wording's politeness.
_THREAT = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:"
    # not "уберите", "взорвётся котёл", "повешу объявление", "вы ответите на вопрос?"
    r"убь[юеё]|убю(?![а-яәғқңөұүһі])|убей(?:те)?(?![а-яәғқңөұүһі])|прибь[юеё]|зарежу|"
    r"застрелю|пристрелю|взорв(?:у|ём|ем)(?![а-яәғқңөұүһі])|сожгу|сожжем|"
    r"подожгу|порешу|закопа[юе]|зарою|повешу (?:тебя|вас|его|е[её]|их)|расстреля|"
    r"голову (?:оторв|снес|отреж)|"
    r"ноги (?:переломаю|вырву)|найду (?:тебя|вас)|вы (?:ещ[её] |все )?ответите за|ответишь за|"
    r"кровью умо|"
    r"сдохн|чтоб(?:ы)? (?:ты|вы) сдох|смерть (?:ему|им|тебе|вам)|вам конец|тебе конец|"
    r"өлтір[еі]мін|өлтіреміз|олтиремин|олтиремиз|өлтіремін|басыңды кес|басынды кес|"
    r"атып таста|өртеп жібер[еі]мін|ортеп жиберемин|өртеймін|ортеймин|соямын|союмын|"
    r"тауып аламын|таууп аламын|өліңдер|олиндер|өл(?:ші|сін)"
    r")",
)


# Matched on the folded text, so formal, informal and Latin-script Kazakh spellings all meet.
_THREAT_F = re.compile(fold_kazakh(_THREAT.pattern))
_INSULT_F = re.compile(fold_kazakh(_INSULT.pattern))
_OBSCENE_F = re.compile(fold_kazakh(f"{_STRONG_OBSCENE.pattern}|{_OBSCENE_WORD.pattern}"))
_STRONG_OBSCENE_F = re.compile(fold_kazakh(_STRONG_OBSCENE.pattern))


def assess(folded: str, p_toxic: float) -> tuple[str, bool]:
    """Level, and whether a threat or an insult was named outright.

    ``folded`` is ``normalize.fold_kazakh`` of the comment's Cyrillic view. Obscenity alone
    says nothing of the writer's mood ("охуенно" is praise); a threat or an insult does.
    """
    threat = _THREAT_F.search(folded) is not None
    insult = _INSULT_F.search(folded) is not None
    if threat or _STRONG_OBSCENE_F.search(folded):
        return "strong", threat or insult
    if insult or _OBSCENE_F.search(folded):
        return "aggression", insult
    # "Хочу покончить с собой" is despair, not abuse, though the learned head hears the
    # words of death in it; a lexicon's insult or obscenity above still counts.
    if _toxic(folded, p_toxic) and not SELF_HARM.search(folded):
        return "aggression", False
    return "none", False


def _toxic(folded: str, p_toxic: float) -> bool:
    if p_toxic < TOXIC_THRESHOLD:
        return False
    words = _WORD.findall(folded)
    if all(_LAUGH.fullmatch(w) for w in words):
        return False
    return len(words) >= SHORT_WORDS or p_toxic >= SHORT_TOXIC_THRESHOLD


def level(folded: str, p_toxic: float) -> str:
    return assess(folded, p_toxic)[0]
