"""Aggression: none | aggression | strong.

The learned toxicity probability marks insults and rudeness; lexicons of
obscenity roots, insults and threat phrases (Russian and Kazakh, matched on the
de-obfuscated text, with ``*`` standing for any letter) mark the strong end.
"""

from __future__ import annotations

import re

TOXIC_THRESHOLD = 0.5


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
    r"убь[юеё]|убью|убьем|убьём|прибь[юеё]|зарежу|застрелю|пристрелю|взорв[уеё]|сожгу|сожжем|"
    r"подожгу|порешу|закопа[юе]|зарою|повешу|расстреля|голову (?:оторв|снес|отреж)|"
    r"ноги (?:переломаю|вырву)|найду (?:тебя|вас|где)|вы ответите|ответишь за|кровью умо|"
    r"сдохн|чтоб(?:ы)? (?:ты|вы) сдох|смерть (?:ему|им|тебе|вам)|вам конец|тебе конец|"
    r"өлтір[еі]мін|өлтіреміз|олтиремин|олтиремиз|өлтіремін|басыңды кес|басынды кес|"
    r"атып таста|өртеп жібер[еі]мін|ортеп жиберемин|өртеймін|ортеймин|соямын|союмын|"
    r"тауып аламын|таууп аламын|өліңдер|олиндер|өл(?:ші|сін)"
    r")",
)


_STRONG = re.compile(f"{_THREAT.pattern}|{_STRONG_OBSCENE.pattern}")
_RUDE = re.compile(f"{_INSULT.pattern}|{_OBSCENE_WORD.pattern}")


def level(text: str, p_toxic: float) -> str:
    """``text`` is the normalised (lower-case, de-obfuscated) comment."""
    if _STRONG.search(text):
        return "strong"
    if p_toxic >= TOXIC_THRESHOLD or _RUDE.search(text):
        return "aggression"
    return "none"
