"""What the detectors need to know about one comment, extracted once.

`observe(scored)` turns a scored comment into an `Observation`: flat fields
(tone, aggression, triage, topics), a few text markers (rumour, promotion,
greeting), the word stems counted for term bursts, and a near-duplicate
sketch for coordinated activity. Pure and cheap: it runs on every comment.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qulaq.models import Scored

TEXT_CHARS = 280  # how much of a comment an alert quotes
STEM_CHARS = 6  # crude stemming for Russian and Kazakh: inflection lives at the end
_MINHASH = (
    (0x9E3779B1, 0x7F4A7C15),
    (0x85EBCA77, 0x165667B1),
    (0xC2B2AE3D, 0x27D4EB2F),
    (0x61C88647, 0x5BD1E995),
)
_MASK = 0xFFFFFFFF

_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Marker:
    """A kind of comment recognised by its words: word beginnings, and phrases."""

    starts: tuple[str, ...]  # a word that begins like one of these
    phrases: tuple[str, ...] = ()  # or the lower-cased text containing one of these

    def found(self, words: list[str], low: str) -> bool:
        starts = self.starts
        for w in words:
            if w.startswith(starts):
                return True
        return any(map(low.__contains__, self.phrases))


# Hearsay and alarm: what rumours sound like in Russian, Kazakh and English.
RUMOUR = Marker(
    starts=(
        "говорят", "слышал", "слух", "якобы", "инсайд", "скрываю", "скрывает", "замалчива",
        "фейк", "вброс", "диверси", "запасайтесь", "распространя", "дейді", "деседі", "естідім",
        "естуімше", "естіген", "айтады", "сыбыс", "қауесет", "өсек", "жасырып", "rumor",
        "rumour", "allegedly",
    ),
    phrases=(
        "на самом деле", "пишут, что", "пишут что", "чатах пишут", "чате пишут", "передают, что",
        "сказали, что", "мне сказали", "правда, что", "правда что", "это правда", "правда ли",
        "деп жатыр", "айтып жатыр", "жазып жатыр", "рас па", "рас ма", "шын ба", "is it true",
        "heard that", "they say", "cover up", "cover-up", "hiding the truth",
        "знакомый из", "знакомая из", "сосед говорит", "кум говорит", "друг говорит",
    ),
)  # fmt: skip
# Commercial spam and scams: money offers with a call to write, links.
PROMO = Marker(
    starts=(
        "заработок", "заработка", "заработать", "заработай", "подработ", "казино", "директке",
    ),
    phrases=(
        "http://", "https://", "www.", "t.me/", "wa.me/", "без вложен", "пассивный доход",
        "в директ", "в лс", "в личку", "ставки на спорт", "кредит без", "займ без", "earn $",
        "make money", "click the link",
    ),
)  # fmt: skip
_MONEY_OR_PHONE = re.compile(
    r"\d[\d\s]*(?:тг|тенге|теңге|₸)\s*(?:в день|в неделю|күніне)|күніне \d|"
    r"\+?[78][\s-]?\(?7\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}"
)
_DIGIT = re.compile(r"\d")
# Greetings and thanks: a burst of these is a celebration, not an attack.
GREETING = Marker(
    starts=(
        "поздравля", "праздник", "наурызом", "мерекең", "мерекес", "мерекемен", "құтты",
        "құттықта", "рахмет", "рақмет", "спасибо", "благодар", "happy", "congratulat", "thank",
    ),
    phrases=("с днём", "с днем", "с новым годом", "қабыл болсын", "ұлыс оң"),
)  # fmt: skip

STOPWORDS = frozenset(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
    мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был
    него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней
    для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того
    потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем
    всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего
    них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между это очень просто вообще всё нам весь
    пожалуйста здравствуйте добрый день вечер утро вопрос
    және мен бен пен да де та те ма ме ба бе па пе ғой қой бұл сол ол мен сен біз сіз олар
    осы анау мына не неге қашан қайда кім қалай үшін бар жоқ еді екен болды болып болса
    керек емес әлі енді тағы ғана бірақ сондықтан немесе дейін кейін
    the and for that this with are was you not but have from they what when where who how
    """.split()  # noqa: SIM905 -- a word list reads better as text
)


@dataclass(slots=True)
class Observation:
    """One citizen comment (or official reply) as the signals see it."""

    key: str  # identity hash: (platform, account, comment_id)
    agency: str
    platform: str
    ts: float  # event time, seconds since the epoch
    official: bool
    parent_key: str | None
    neg: bool
    pos: bool
    aggr: int  # 0 none, 1 aggression, 2 strong (threats, obscenity)
    urgent: bool
    needs: bool
    answer_days: int | None
    topics: tuple[str, ...]
    rumour: bool
    promo: bool
    greeting: bool
    stems: tuple[str, ...]  # distinct word stems, for term bursts
    words: dict[str, str]  # stem -> a surface form, to name terms
    exact: int  # hash of the normalised text (0: too short to compare)
    bands: tuple[str, str] | None  # near-duplicate sketch: two band keys
    author: str | None
    comment_id: str
    post_id: str | None
    url: str | None
    likes: int
    text: str


def identity_key(platform: str, account: str, comment_id: str) -> str:
    """The comment's key in `signal_comments`: its account's prefix (a hash of platform
    and account), then the comment id. A platform numbers an account's comments in
    the order they are written, so new keys land at the end of their account's range
    of the index instead of anywhere in it: a batch rewrites a few index pages per
    account instead of one page per comment."""
    return _account_prefix(platform, account) + comment_id


@functools.lru_cache(maxsize=4096)
def _account_prefix(platform: str, account: str) -> str:
    raw = f"{platform}\x1f{account}".encode()
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


_AGGR = {"aggression": 1, "strong": 2}
COUNTED_KINDS = frozenset({"comment", "reply"})


# What a text gives the detectors: stems, stem → word, exact hash, sketch, and the
# rumour, promotion and greeting markers. Shared by the comments with that text.
TextFeatures = tuple[tuple[str, ...], dict[str, str], int, tuple[str, str] | None, bool, bool, bool]
_OFFICIAL_TEXT: TextFeatures = ((), {}, 0, None, False, False, False)


def observe(item: Scored) -> Observation | None:
    """The observation for a scored event, or None for events that are not
    comments to count (edits, deletes, restores, agency posts)."""
    return observe_all([item])[0]


def observe_all(items: Iterable[Scored]) -> list[Observation | None]:
    """`observe` for a batch: each distinct text is read once."""
    out: list[Observation | None] = []
    seen: dict[str, TextFeatures] = {}
    for item in items:
        ev = item.event
        if ev.kind not in COUNTED_KINDS:
            out.append(None)
            continue
        a: dict[str, Any] = item.analysis or {}
        text = ev.text
        official = ev.is_official_reply
        if official:
            feats = _OFFICIAL_TEXT
        else:
            head = text[:2000]
            found = seen.get(head)
            if found is None:
                found = seen[head] = text_markers(head.lower())
            feats = found
        stems, words, exact, bands, rumour, promo, greeting = feats
        label = a.get("label")
        platform = ev.platform
        parent = ev.parent_id
        out.append(
            Observation(
                identity_key(platform, ev.account, ev.comment_id),
                item.agency,
                platform,
                ev.created_at.timestamp(),
                official,
                identity_key(platform, ev.account, parent) if parent else None,
                label == "negative",
                label == "positive",
                _AGGR.get(a.get("aggression") or "", 0),
                bool(a.get("urgent")),
                bool(a.get("needs_answer")) and not official,
                a.get("answer_days"),
                tuple(a.get("topics") or ()),
                rumour,
                promo,
                greeting,
                stems,
                words,
                exact,
                bands,
                item.author_hash,
                ev.comment_id,
                ev.post_id,
                ev.url,
                ev.likes or 0,
                text[:TEXT_CHARS],
            )
        )
    return out


def _anchor(phrase: str) -> str:
    """The longest word of a phrase: a comment containing the phrase has a word
    beginning with it."""
    return max(_WORD.findall(phrase) or [phrase], key=len)


_ANY_START = tuple(
    dict.fromkeys(
        [
            *RUMOUR.starts,
            *PROMO.starts,
            *GREETING.starts,
            *(_anchor(p) for m in (RUMOUR, PROMO, GREETING) for p in m.phrases),
        ]
    )
)

# the same, indexed by their first two letters (every prefix has at least two)
_BY_HEAD: dict[str, tuple[str, ...]] = {}
for _p in _ANY_START:
    _BY_HEAD[_p[:2]] = (*_BY_HEAD.get(_p[:2], ()), _p)


def markers(tokens: list[str], low: str) -> tuple[bool, bool, bool]:
    """(rumour, promotion, greeting) for a comment's lower-cased words and text. Most
    comments are none of these: one pass over the words and phrases tells."""
    hit = False
    heads = _BY_HEAD
    for w in tokens:
        cands = heads.get(w[:2])
        if cands is not None and w.startswith(cands):
            hit = True
            break
    digits = _DIGIT.search(low) is not None
    if not hit and not digits:
        return False, False, False
    promo = PROMO.found(tokens, low) or (digits and _MONEY_OR_PHONE.search(low) is not None)
    return RUMOUR.found(tokens, low), promo, GREETING.found(tokens, low)


# what a word tells the markers, as bits
_ANY, _RUMOUR_WORD, _PROMO_WORD, _GREETING_WORD = 1, 2, 4, 8


def _phrases(m: Marker) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, m.phrases)))


_RUMOUR_PHRASE, _PROMO_PHRASE, _GREETING_PHRASE = map(_phrases, (RUMOUR, PROMO, GREETING))


def _markers_of(low: str, bits: int) -> tuple[bool, bool, bool]:
    """`markers`, from the bits of the text's words: the same answers."""
    digits = _DIGIT.search(low) is not None
    if not bits & _ANY and not digits:
        return False, False, False
    promo = (
        bool(bits & _PROMO_WORD)
        or _PROMO_PHRASE.search(low) is not None
        or (digits and _MONEY_OR_PHONE.search(low) is not None)
    )
    rumour = bool(bits & _RUMOUR_WORD) or _RUMOUR_PHRASE.search(low) is not None
    greeting = bool(bits & _GREETING_WORD) or _GREETING_PHRASE.search(low) is not None
    return rumour, promo, greeting


# word -> (stem or None for a short or stop word, its hashes under the two sketch
# permutations, marker bits); words recur, so each is looked at once
_TOKENS: dict[str, tuple[str | None, int, int, int]] = {}


def _token(tok: str) -> tuple[str | None, int, int, int]:
    if len(_TOKENS) >= 200_000:
        _TOKENS.clear()
    h = zlib.crc32(tok.encode())
    (a1, b1), (a2, b2) = _MINHASH[0], _MINHASH[1]
    cands = _BY_HEAD.get(tok[:2])
    bits = 0
    if cands is not None and tok.startswith(cands):
        bits = _ANY
        bits |= _RUMOUR_WORD if tok.startswith(RUMOUR.starts) else 0
        bits |= _PROMO_WORD if tok.startswith(PROMO.starts) else 0
        bits |= _GREETING_WORD if tok.startswith(GREETING.starts) else 0
    info = _TOKENS[tok] = (
        None if len(tok) < 3 or tok in STOPWORDS else tok[:STEM_CHARS],
        (a1 * h + b1) & _MASK,
        (a2 * h + b2) & _MASK,
        bits,
    )
    return info


def text_features(
    tokens: list[str],
) -> tuple[tuple[str, ...], dict[str, str], int, tuple[str, str] | None]:
    """From a comment's lower-cased words: stems for term counting, a stem → word
    map, the normalised-text hash and a MinHash sketch (two bands of two) for
    grouping near-duplicates."""
    stems, words, exact, bands, _bits = _text(tokens)
    return stems, words, exact, bands


def text_markers(low: str) -> TextFeatures:
    """Everything the detectors read in a comment's lower-cased text (its first
    2,000 characters): `text_features` of its words and their `markers`."""
    stems, words, exact, bands, bits = _text(_WORD.findall(low))
    return (stems, words, exact, bands, *_markers_of(low, bits))


def _text(
    tokens: list[str],
) -> tuple[tuple[str, ...], dict[str, str], int, tuple[str, str] | None, int]:
    if not tokens:
        return (), {}, 0, None, 0
    words: dict[str, str] = {}
    ps: set[int] = set()
    qs: set[int] = set()
    bits = 0
    known = _TOKENS
    for tok in tokens:
        info = known.get(tok)
        if info is None:
            info = _token(tok)
        stem, p, q, b = info
        if stem is not None and stem not in words:
            words[stem] = tok
        ps.add(p)
        qs.add(q)
        bits |= b
    if len(tokens) < 3:
        return tuple(words), words, 0, None, bits
    exact = zlib.crc32(" ".join(tokens).encode())
    # two bottom-2 sketches under two hash permutations: near-identical texts share
    # one (each permutation is a bijection, so distinct words keep distinct hashes)
    p1, p2, *_ = sorted(ps) if len(ps) > 1 else (*ps, -1)
    q1, q2, *_ = sorted(qs) if len(qs) > 1 else (*qs, -1)
    if p2 < 0:  # one word, repeated
        return tuple(words), words, exact, (f"{p1:x}", f"{q1:x}"), bits
    return tuple(words), words, exact, (f"{p1:x}.{p2:x}", f"{q1:x}.{q2:x}"), bits


def words_of(text: str) -> list[str]:
    return _WORD.findall(text[:2000].lower())
