"""Comment triage on an official account: does it need an answer, is it urgent, how heavy.

Following the official-account process map (light / medium / heavy, answered
within 1 / 3 / 7–15 days) and the rule that appeals threatening life, health,
property or rights need immediate handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSWER_DAYS = {"light": 1, "medium": 3, "heavy": 15}

_B = r"(?<![а-яәғқңөұүһіa-z])"

_QUESTION = re.compile(
    _B + r"(?:когда|почему|зачем|как(?:ой|ая|ое|ие|им)?|где|куда|кто|сколько|можно ли|будет ли|"
    r"есть ли|что делать|что с|подскажите|скажите|ответьте|разъясните|объясните|"
    r"қашан|кашан|неге|неліктен|неликтен|қалай|калай|қайда|кайда|кім|ким|қанша|канша|"
    r"қандай|кандай|не үшін|не ушин|ма|ме|ба|бе|па|пе|айтыңызшы|айтыныздаршы|түсіндіріңіз)"
    r"(?![а-яәғқңөұүһіa-z])"
)
_REQUEST = re.compile(
    _B + r"(?:прошу|просим|помогите|помочь|разберитесь|примите меры|принять меры|обратите внимание|"
    r"требуем|требую|сделайте|почините|отремонтируйте|уберите|решите|верните|проверьте|"
    r"жалоба|жалуюсь|обращаюсь|до сих пор|уже (?:\d+|неделю|месяц|год)|невозможно|не работает|"
    r"өтінемін|отинемин|өтініш|отиниш|көмектесіңіз|комектесиниз|көмектесіңіздер|"
    r"комектесиниздер|шара қолдан|шара колдан|назар аударыңыз|назар аударыныз|жөндеңіз|"
    r"жондениз|шешіңіз|шешиниз|талап етеміз|талап етемиз|шағым|шагым|істемейді|истемейди|"
    r"әлі күнге|али кунге)"
)
_MASS = re.compile(
    _B + r"(?:все жители|весь район|весь город|весь микрорайон|массов|всем домом|всего района|"
    r"годами|который год|бүкіл|букил|барлық тұрғындар|барлык тургындар|жылдар бойы)"
)
_ANY = re.compile(
    "|".join(
        f"(?P<{name}>{rx.pattern})"
        for name, rx in (
            ("request", _REQUEST),
            ("question", _QUESTION),
            ("mass", _MASS),
        )
    )
)
_HEAVY_TOPICS = frozenset({"corruption", "emergencies", "land"})


@dataclass(frozen=True, slots=True)
class Triage:
    needs_answer: bool
    urgent: bool
    severity: str | None
    answer_days: int | None


def triage(
    text: str,
    *,
    label: str,
    p_negative: float,
    topics: tuple[str, ...],
    questions: int,
    letters: int,
    urgent: bool,
    request: bool = False,
) -> Triage:
    """``text`` is the normalised comment (lower case, Cyrillic); ``urgent`` is the caller's
    ``sentiment.urgency.is_urgent`` of it, judged once for sentiment and triage alike;
    ``request``: the caller found a request the Cyrillic cues cannot read (English)."""
    if letters < 3:
        return Triage(False, False, None, None)
    hits = {m.lastgroup for m in _ANY.finditer(text)}
    question = questions > 0 or "question" in hits
    request = request or "request" in hits
    complaint = (label == "negative" or p_negative >= 0.45) and (bool(topics) or request)
    needs = (
        urgent
        or request
        or complaint
        or (question and label != "positive")
        or (question and bool(topics))
    )
    if not needs:
        return Triage(False, False, None, None)
    if urgent or "mass" in hits or bool(_HEAVY_TOPICS.intersection(topics)):
        severity = "heavy"
    elif complaint or request:
        severity = "medium"
    else:
        severity = "light"
    return Triage(True, urgent, severity, ANSWER_DAYS[severity])
