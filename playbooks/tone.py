"""The tone the seed studies ask of official messages, as checks.

Calm and professional: no exclamation marks, no words in capitals (002
L793); a reply to a citizen opens with "Уважаемый …" / "Құрметті …" (001 map
3.9); formal non-answers such as "Принято к сведению" or "Учтено" are not
answers (001, Open NPA map; 004 L512–518).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a message: entry `key` of the playbooks' catalogue
    (playbooks.messages) with its parameters, said in the reader's language."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


def problems(text: str, lang: str, *, reply: bool = False) -> list[Problem]:
    """What is wrong with `text` as an official message; empty when it is fine."""
    found: list[Problem] = []
    if "!" in text:
        found.append(Problem("pb.tone.exclamation"))
    shouted = [
        w
        for w in _WORD.findall(_strip_placeholders(text))
        if len(w) > _MAX_ABBREVIATION and w.isupper()
    ]
    if shouted:
        found.append(Problem("pb.tone.shouting", {"words": ", ".join(shouted[:3])}))
    low = " ".join(text.lower().split())
    for phrase in FORMAL_NON_ANSWERS:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
            found.append(Problem("pb.tone.non_answer", {"phrase": phrase}))
    if reply:
        openings = REPLY_OPENINGS.get(lang, ())
        body = text.lstrip()
        if openings and not body.startswith(openings):
            found.append(Problem("pb.tone.reply_opening", {"openings": " / ".join(openings)}))
    return found


def _strip_placeholders(text: str) -> str:
    return re.sub(r"\{[a-z_]+\}|\[[^\]]*\]", " ", text)
