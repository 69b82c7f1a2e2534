"""The tone the seed studies ask of official messages, as checks.

Calm and professional: no exclamation marks, no words in capitals (002
L793); a reply to a citizen opens with "Уважаемый …" / "Құрметті …" (001 map
3.9); formal non-answers such as "Принято к сведению" or "Учтено" are not
answers (001, Open NPA map; 004 L512–518).
"""

from __future__ import annotations

import re

FORMAL_NON_ANSWERS = (
    "принято к сведению",
    "учтено",
    "ваше обращение учтено",
    "назарға алынды",
    "ескерілді",
)
REPLY_OPENINGS = {
    "ru": ("Уважаемый", "Уважаемая", "Уважаемые"),
    "kk": ("Құрметті",),
    "en": ("Dear",),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Abbreviations are written in capitals (ЖКХ, ЦОН, АППК, ТЭЦ); a shouted word is longer.
_MAX_ABBREVIATION = 5


def problems(text: str, lang: str, *, reply: bool = False) -> list[str]:
    """What is wrong with `text` as an official message; empty when it is fine."""
    found: list[str] = []
    if "!" in text:
        found.append("has an exclamation mark; keep the tone calm")
    shouted = [
        w
        for w in _WORD.findall(_strip_placeholders(text))
        if len(w) > _MAX_ABBREVIATION and w.isupper()
    ]
    if shouted:
        found.append(f"has words in capitals ({', '.join(shouted[:3])}); do not shout")
    low = " ".join(text.lower().split())
    for phrase in FORMAL_NON_ANSWERS:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
            found.append(f"says {phrase!r}, a formal non-answer; say what will be done")
    if reply:
        openings = REPLY_OPENINGS.get(lang, ())
        body = text.lstrip()
        if openings and not body.startswith(openings):
            found.append(f"a reply to citizens must start with {' / '.join(openings)}")
    return found


def _strip_placeholders(text: str) -> str:
    return re.sub(r"\{[a-z_]+\}|\[[^\]]*\]", " ", text)
