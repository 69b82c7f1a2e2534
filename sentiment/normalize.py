"""Text normalisation shared by every head.

Two views come out of one comment:

* ``clean``: lower-cased, de-obfuscated, Cyrillic text with Kazakh letters kept
  (used by language rules, lexicons and topics);
* ``folded``: ``clean`` with Kazakh-specific letters folded onto their nearest
  Russian letters, so that "өте жақсы", "оте жаксы" and "ote jaqsy" meet on the
  same character n-grams (used by the learned heads).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 2000

POS_CUE = " ☺ "
NEG_CUE = " ☹ "

_POSITIVE_EMOJI = (
    "😀😁😂😃😄😅😆😇😈😉😊😋😌😍😎😏😗😘😙😚😛😜😝🙂🙃🤗🤩🥰🥳🤤😸😹😺😻😽"
    "❤♥💖💗💓💞💕💘💝💟💜💙💚💛🧡🤍🤎🖤❣💋🌹🌷🌸💐🌺🌻🌼"
    "👍👏🙌🤝🙏💪👌✌🤞🔥✨⭐🌟💯🎉🎊🎁🏆🥇☺♡"
)
_NEGATIVE_EMOJI = (
    "😒😓😔😕😖😞😟😠😡😢😣😤😥😦😧😨😩😪😫😬😭😮😯😰😱😲🙁☹🤬🤮🤢🥺🥵😾😿🙀👎💩🤡🖕💔😑😐🤦🤷⚠🆘"
)

_EMOJI_TABLE: dict[int, str] = {}
for _ch in _POSITIVE_EMOJI:
    _EMOJI_TABLE[ord(_ch)] = POS_CUE
for _ch in _NEGATIVE_EMOJI:
    _EMOJI_TABLE[ord(_ch)] = NEG_CUE
# Variation selectors, zero-width joiners, skin tones, direction marks, NUL.
for _cp in (
    0xFE0F,
    0xFE0E,
    0x200D,
    0x200B,
    0x200C,
    0x200E,
    0x200F,
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0xFEFF,
    0x00AD,
):
    _EMOJI_TABLE[_cp] = ""
for _cp in range(0x1F3FB, 0x1F400):
    _EMOJI_TABLE[_cp] = ""
for _cp in range(0x00, 0x20):
    _EMOJI_TABLE[_cp] = " "
for _a, _b in (("ə", "ә"), ("Ə", "Ә"), ("ӊ", "ң"), ("ҥ", "ң"), ("ӈ", "ң"), ("ҳ", "һ"), ("ӏ", "і")):
    _EMOJI_TABLE[ord(_a)] = _b
_EMOJI_TABLE[ord("ё")] = "е"
_EMOJI_TABLE[ord("Ё")] = "Е"

# Text smileys are folded onto the same cues as emoji.
_SMILEY_RE = re.compile(r"[:;=]-?[)d\]]+|\){2,}|\^_?\^|[:;=]-?[(\[]+|\({2,}")


def _smiley(match: re.Match[str]) -> str:
    s = match.group(0)
    return NEG_CUE if "(" in s or "[" in s else POS_CUE


# Latin look-alikes and digits inside Cyrillic words ("xoрoшo", "х0р0ш0", "п@дл0").
_LOOKALIKE = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
        "u": "и",
        "n": "п",
        "r": "г",
        "0": "о",
        "3": "з",
        "4": "ч",
        "6": "б",
        "@": "а",
        "$": "с",
        "1": "и",
        "9": "д",
        "ä": "ә",
        "ö": "ө",
        "ü": "ү",
        "i": "і",
    }
)
# A word holding both Cyrillic and Latin/digit look-alikes. Anchored at word
# starts with lookaheads so a long word costs linear time, not cubic.
_MIXED_WORD_RE = re.compile(r"(?<![\w@$])(?=[\w@$]*?[а-яәғқңөұүһі])(?=[\w@$]*?[a-z0-9@$])[\w@$]+")


def _deobfuscate(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isdigit():
        return word
    return word.translate(_LOOKALIKE)


_REPEAT_RE = re.compile(r"([\w!?.)(])\1{2,}")
# Spaced-out letters ("х о р о ш о") are joined back.
_SPACED_RE = re.compile(r"(?<!\w)(?:[^\W\d_][ .*_-]){3,}[^\W\d_](?!\w)")
_SPACE_RE = re.compile(r"\s+")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_MENTION_RE = re.compile(r"(?<![\w@])[@#](?=\w)")
_HANDLE_RE = re.compile(r"(?<![\w@])@(\w+)")

# Latin-script Kazakh (2017 apostrophe, 2018 acute, 2021 and informal spellings) and
# Russian transliteration, to Cyrillic. Digraphs first.
_LATIN_DIGRAPHS = re.compile(
    r"shch|sch|sh|ch|zh|kh|gh|ts|ya|yu|yo|ye|ia|iu|a'|g'|n'|o'|u'|i'|s'|c'|y'|ʼ"
)
_DIGRAPH_MAP = {
    "shch": "щ",
    "sch": "щ",
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "gh": "ғ",  # informal Kazakh: "saghat", "jaghday"
    "ts": "ц",
    "ya": "я",
    "yu": "ю",
    "yo": "ё",
    "ye": "е",
    "ia": "я",
    "iu": "ю",
    "a'": "ә",
    "g'": "ғ",
    "n'": "ң",
    "o'": "ө",
    "u'": "ү",
    "i'": "и",
    "s'": "ш",
    "c'": "ч",
    "y'": "ү",
    "ʼ": "",
}
_LATIN_TO_CYR = str.maketrans(
    {
        "a": "а",
        "ä": "ә",
        "á": "ә",
        "b": "б",
        "c": "с",
        "ç": "ч",
        "d": "д",
        "e": "е",
        "é": "е",
        "f": "ф",
        "g": "г",
        "ğ": "ғ",
        "ǵ": "ғ",
        "h": "х",
        "ı": "ы",
        "i": "і",
        "í": "и",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "ñ": "ң",
        "ń": "ң",
        "o": "о",
        "ö": "ө",
        "ó": "ө",
        "p": "п",
        "q": "қ",
        "r": "р",
        "s": "с",
        "ş": "ш",
        "t": "т",
        "u": "у",
        "ū": "ұ",
        "ú": "ұ",
        "ü": "ү",
        "ý": "ү",
        "v": "в",
        "w": "у",
        "x": "х",
        "y": "ы",
        "z": "з",
    }
)

# Kazakh-specific letters onto their nearest Russian ones (informal spelling).
_FOLD = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
)

_CYR_RE = re.compile(r"[а-яәғқңөұүһі]")
_LAT_RE = re.compile(r"[a-zäáçéğǵıíñńöóşūúüý]")


# "y" closing a vowel is "й" ("qalay", "jaghday", "oylau", "Valeriy"); elsewhere "ы" ("jaqsy").
_Y_AFTER_VOWEL = re.compile(r"(?<=[aeiouäáéıíöóūúüýаеёиоуыэюяә])y(?![aeiouäáéıíöóūúüý])")


def to_cyrillic(latin_text: str) -> str:
    """Transliterate Latin-script Kazakh or Russian (lower case) to Cyrillic."""
    text = _LATIN_DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], latin_text)
    text = _Y_AFTER_VOWEL.sub("й", text)
    return text.translate(_LATIN_TO_CYR)


def fold_kazakh(text: str) -> str:
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Normalised:
    clean: str  # de-obfuscated, lower case, original script
    cyrillic: str  # clean with Latin-script words transliterated when the text is not English
    caps: bool  # written mostly in capitals
    n_cyr: int
    n_lat: int
    kk_letters: int
    exclamations: int
    questions: int
    # Handles of @mentions (lower case, without "@"): names, not words of any language.
    mentions: tuple[str, ...] = ()


_KK_LETTERS_RE = re.compile(r"[әғқңөұүһі]")


_UPPER_RE = re.compile(r"[A-ZА-ЯӘҒҚҢӨҰҮҺІ]")
_LATIN_WORD_RE = re.compile(r"[a-zäáçéğǵıíñńöóşūúüý'ʼ]+")
_OBFUSCATION_HINT_RE = re.compile(r"[a-z0-9@$]")
_SMILEY_HINT = frozenset(":;=)(^")


def letter_counts(t: str) -> tuple[int, int, int]:
    """Cyrillic, Latin and Kazakh-only letters in a lower-case text."""
    n_cyr = len(_CYR_RE.findall(t))
    return n_cyr, len(_LAT_RE.findall(t)), len(_KK_LETTERS_RE.findall(t)) if n_cyr else 0


def normalise(text: str, *, latin_is_english: bool | None = None) -> Normalised:
    """Normalise one comment; ``latin_is_english`` keeps Latin words untransliterated."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_EMOJI_TABLE)
    upper = len(_UPPER_RE.findall(text)) if len(text) >= 8 else 0
    t = text.lower()
    if "http" in t or "www" in t:
        t = _URL_RE.sub(" ", t)
    mentions: tuple[str, ...] = ()
    if "@" in t or "#" in t:
        if "@" in t:
            mentions = tuple(_HANDLE_RE.findall(t))
        t = _MENTION_RE.sub("", t)
    if not _SMILEY_HINT.isdisjoint(t):
        t = _SMILEY_RE.sub(_smiley, t)
    if _OBFUSCATION_HINT_RE.search(t) and _CYR_RE.search(t):
        t = _MIXED_WORD_RE.sub(_deobfuscate, t)
    t = _REPEAT_RE.sub(r"\1\1", t)
    if mentions:
        mentions = tuple(_REPEAT_RE.sub(r"\1\1", m) for m in mentions)
    t = _SPACED_RE.sub(lambda m: re.sub(r"[ .*_-]", "", m.group(0)), t)
    t = " ".join(t.split())
    n_cyr, n_lat, kk = letter_counts(t)
    letters = n_cyr + n_lat
    cyr = t
    if n_lat and not latin_is_english:
        cyr = _LATIN_WORD_RE.sub(lambda m: to_cyrillic(m.group(0)), t)
    return Normalised(
        clean=t,
        cyrillic=cyr,
        caps=letters >= 8 and upper >= 0.7 * letters,
        n_cyr=n_cyr,
        n_lat=n_lat,
        kk_letters=kk,
        exclamations=text.count("!"),
        questions=text.count("?"),
        mentions=mentions,
    )


def feature_text(norm: Normalised, folded: str | None = None) -> str:
    """The view the learned heads read (``folded``: ``fold_kazakh(norm.cyrillic)`` if known)."""
    t = fold_kazakh(norm.cyrillic) if folded is None else folded
    return t + " ⇑" if norm.caps else t
