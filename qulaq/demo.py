"""A deterministic stream of citizens' comments for demos, tests and drills.

``generate(days=4, seed=7)`` yields comment events (CONTRACT §2, schema
version 1) in ``created_at`` order for eight agencies of the registry — three
ministries, two city akimats, an oblast akimat, an oblast-subordinate city and
a district akimat — on the accounts the registry lists for them, plus a small
unofficial Telegram chat that no agency owns.

The stream has a daily rhythm (quiet nights, morning and evening peaks, calmer
weekends), agency base rates ten times apart, agency posts that comments attach
to, threads, rare official replies (some proper "Уважаемый …" answers, some
formal non-answers), likes, links, edits and deletes. Two scenarios are laid
over it, and :func:`scenarios` returns their ground truth:

* ``crisis``: a heating and hot-water outage at the Almaty akimat on day 3 —
  volume jumps about twelvefold within half an hour, angry and anxious
  comments, rumours, insults and a few threats, over several platforms,
  decaying over hours;
* ``positive_burst``: near-identical greetings from many different people under
  an Astana akimat post on day 4 (Nauryz greetings in March, thanks for a new
  road otherwise).

A small coordinated spam wave is in the stream too (:func:`coordinated_campaigns`).

Edits and deletes carry the comment's original ``created_at`` (an edit adds
``edited_at``), as platforms report them, so they sort next to the comment.

``python -m qulaq.demo --output FILE.jsonl`` writes a stream (gzipped if FILE
ends in ``.gz``) and prints counts; the default stream ships as
``qulaq/data/demo/demo.jsonl.gz`` with ``scenarios.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

from qulaq import demo_phrases as ph
from qulaq.registry import Account, Registry

TZ = timezone(timedelta(hours=5))
DEFAULT_START = datetime(2026, 3, 18, tzinfo=TZ)
DEFAULT_DAYS = 4
DEFAULT_SEED = 7
BIN = timedelta(minutes=5)
UNLISTED_CHAT = ("telegram", "almaty_aksai_chat")

# ------------------------------------------------------------------ places


@dataclass(frozen=True, slots=True)
class Place:
    ru: str
    kk: str
    kind_kk: str  # the Kazakh noun that carries the case ending: шағынауданы, ауылы, қаласы


@dataclass(frozen=True, slots=True)
class City:
    ru: str
    ru_prep: str
    kk: str
    kk_loc: str
    kk_dat: str


@dataclass(frozen=True, slots=True)
class Locale:
    cities: tuple[City, ...]
    places: tuple[Place, ...]
    streets: tuple[tuple[str, str], ...]
    buses: tuple[str, ...]


def _places(kind: str, names: str) -> tuple[Place, ...]:
    pairs = (item.split("|") for item in names.split(";"))
    return tuple(Place(ru.strip(), kk.strip(), kind) for ru, kk in pairs)


def _streets(names: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (ru.strip(), kk.strip()) for ru, kk in (item.split("|") for item in names.split(";"))
    )


ALMATY = City("Алматы", "Алматы", "Алматы", "Алматыда", "Алматыға")
ASTANA = City("Астана", "Астане", "Астана", "Астанада", "Астанаға")
PETROPAVL = City("Петропавловск", "Петропавловске", "Петропавл", "Петропавлда", "Петропавлға")
NATIONAL_CITIES: tuple[City, ...] = (
    City("Караганда", "Караганде", "Қарағанды", "Қарағандыда", "Қарағандыға"),
    City("Актобе", "Актобе", "Ақтөбе", "Ақтөбеде", "Ақтөбеге"),
    City("Тараз", "Таразе", "Тараз", "Таразда", "Таразға"),
    City("Кызылорда", "Кызылорде", "Қызылорда", "Қызылордада", "Қызылордаға"),
    City("Павлодар", "Павлодаре", "Павлодар", "Павлодарда", "Павлодарға"),
    City("Семей", "Семее", "Семей", "Семейде", "Семейге"),
    City("Талдыкорган", "Талдыкоргане", "Талдықорған", "Талдықорғанда", "Талдықорғанға"),
    City("Атырау", "Атырау", "Атырау", "Атырауда", "Атырауға"),
    City("Туркестан", "Туркестане", "Түркістан", "Түркістанда", "Түркістанға"),
    City("Костанай", "Костанае", "Қостанай", "Қостанайда", "Қостанайға"),
    City("Уральск", "Уральске", "Орал", "Оралда", "Оралға"),
    City("Кокшетау", "Кокшетау", "Көкшетау", "Көкшетауда", "Көкшетауға"),
    City("Шымкент", "Шымкенте", "Шымкент", "Шымкентте", "Шымкентке"),
    City("Усть-Каменогорск", "Усть-Каменогорске", "Өскемен", "Өскеменде", "Өскеменге"),
    City("Экибастуз", "Экибастузе", "Екібастұз", "Екібастұзда", "Екібастұзға"),
    City("Жезказган", "Жезказгане", "Жезқазған", "Жезқазғанда", "Жезқазғанға"),
    City("Актау", "Актау", "Ақтау", "Ақтауда", "Ақтауға"),
    City("Темиртау", "Темиртау", "Теміртау", "Теміртауда", "Теміртауға"),
    ASTANA,
    ALMATY,
    PETROPAVL,
)

LOCALES: dict[str, Locale] = {
    "almaty": Locale(
        (ALMATY,),
        _places(
            "шағынауданы",
            "Аксай-4|Ақсай-4; Орбита-3|Орбита-3; Таугуль|Таугүл; Жетысу-2|Жетісу-2; "
            "Калкаман|Қалқаман; Шанырак-1|Шаңырақ-1; Алгабас|Алғабас; Мамыр-1|Мамыр-1; "
            "Кокжиек|Көкжиек; Сайран|Сайран; Айнабулак|Айнабұлақ; Казахфильм|Қазақфильм; "
            "Алмагуль|Алмагүл; Тастак|Тастақ",
        ),
        _streets(
            "Абая|Абай; Толе би|Төле би; Райымбека|Райымбек; Саина|Саин; Момышулы|Момышұлы; "
            "Жандосова|Жандосов; Рыскулова|Рысқұлов; Розыбакиева|Розыбакиев; "
            "Аль-Фараби|Әл-Фараби; Утеген батыра|Өтеген батыр",
        ),
        ("12", "32", "37", "45", "63", "86", "92", "121", "201"),
    ),
    "astana": Locale(
        (ASTANA,),
        _places(
            "шағынауданы",
            "Коктал|Көктал; Юго-Восток|Оңтүстік-Шығыс; Тельмана|Тельман; "
            "Интернациональный|Интернациональный; Железнодорожный|Железнодорожный; "
            "Ильинка|Ильинка; Өндіріс|Өндіріс; Караоткель|Қараөткел; Шубар|Шұбар",
        ),
        _streets(
            "Кенесары|Кенесары; Сыганак|Сығанақ; Туран|Тұран; Кабанбай батыра|Қабанбай батыр; "
            "Сарыарка|Сарыарқа; Бейбитшилик|Бейбітшілік; Мангилик Ел|Мәңгілік Ел; "
            "Жумабаева|Жұмабаев",
        ),
        ("10", "12", "21", "28", "32", "40", "46", "100"),
    ),
    "petropavl": Locale(
        (PETROPAVL,),
        _places(
            "шағынауданы",
            "Подгора|Подгора; 19-й микрорайон|19; Рабочий посёлок|Рабочий; "
            "Заречный|Заречный; Береке|Береке; Копай|Копай",
        ),
        _streets(
            "Жамбыла|Жамбыл; Конституции Казахстана|Қазақстан Конституциясы; "
            "Букетова|Бөкетов; Интернациональной|Интернационал; Абая|Абай; Уалиханова|Уәлиханов",
        ),
        ("1", "3", "7", "11", "18", "25"),
    ),
    "sko": Locale(
        (PETROPAVL,),
        _places(
            "ауылы",
            "Саумалколь|Саумалкөл; Сергеевка|Сергеев; Булаево|Булаев; Тайынша|Тайынша; "
            "Смирново|Смирнов; Новоишимское|Новоишім; Кишкенеколь|Кішкенекөл; "
            "Пресновка|Пресновка; Явленка|Явленка",
        ),
        _streets("Центральной|Орталық; Школьной|Мектеп; Мира|Бейбітшілік; Садовой|Бақша"),
        ("101", "104", "112", "120"),
    ),
    "mamlyut": Locale(
        (City("Мамлютка", "Мамлютке", "Мамлют", "Мамлютте", "Мамлютке"),),
        _places(
            "ауылы",
            "Белое|Белое; Андреевка|Андреевка; Дубровное|Дубровное; Становое|Становое; "
            "Покровка|Покровка; Пригорное|Пригорное; Новомихайловка|Новомихайловка",
        ),
        _streets("Школьной|Мектеп; Мира|Бейбітшілік; Садовой|Бақша; Новой|Жаңа"),
        ("2", "5"),
    ),
    "national": Locale(
        NATIONAL_CITIES,
        (),
        _streets(
            "Абая|Абай; Жамбыла|Жамбыл; Сейфуллина|Сейфуллин; Толе би|Төле би; "
            "Ауэзова|Әуезов; Гагарина|Гагарин; Байтурсынова|Байтұрсынов; Республики|Республика",
        ),
        ("3", "7", "12", "15", "21", "44"),
    ),
}

# ----------------------------------------------------------------- agencies


@dataclass(frozen=True, slots=True)
class DemoAgency:
    """How one agency behaves in the demo."""

    id: str
    daily: float  # citizens' top-level comments on a weekday
    platforms: Mapping[str, float]
    topics: Mapping[str, float]
    locale: str
    langs: Mapping[str, float]
    reply_rate: float  # share of citizens' comments the agency answers at all
    posts_per_day: float
    weekend: float = 0.8


CITY_TOPICS = {
    "housing_utilities": 0.25,
    "roads_transport": 0.22,
    "ecology": 0.12,
    "education": 0.1,
    "land": 0.06,
    "health": 0.06,
    "social_payments": 0.05,
    "public_services": 0.06,
    "employment": 0.03,
    "emergencies": 0.03,
    "corruption": 0.02,
}
NORTH_TOPICS = {
    "housing_utilities": 0.24,
    "roads_transport": 0.24,
    "social_payments": 0.1,
    "education": 0.1,
    "employment": 0.08,
    "land": 0.07,
    "ecology": 0.07,
    "emergencies": 0.06,
    "health": 0.04,
}
CITY_LANGS = {"ru": 0.55, "kk": 0.18, "mixed": 0.14, "kk_latin": 0.08, "en": 0.05}
CAPITAL_LANGS = {"ru": 0.45, "kk": 0.27, "mixed": 0.15, "kk_latin": 0.09, "en": 0.04}
NATIONAL_LANGS = {"ru": 0.5, "kk": 0.25, "mixed": 0.13, "kk_latin": 0.09, "en": 0.03}
NORTH_LANGS = {"ru": 0.74, "kk": 0.11, "mixed": 0.1, "kk_latin": 0.03, "en": 0.02}

DEMO_AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        "akimat-almaty",
        1150,
        {"instagram": 0.62, "facebook": 0.24, "web": 0.14},
        CITY_TOPICS,
        "almaty",
        CITY_LANGS,
        0.07,
        6,
    ),
    DemoAgency(
        "akimat-astana",
        850,
        {"instagram": 0.64, "facebook": 0.24, "web": 0.12},
        CITY_TOPICS,
        "astana",
        CAPITAL_LANGS,
        0.06,
        6,
    ),
    DemoAgency(
        "min-enlightenment",
        700,
        {
            "instagram": 0.4,
            "facebook": 0.18,
            "vk": 0.12,
            "tiktok": 0.12,
            "youtube": 0.08,
            "x": 0.05,
            "web": 0.05,
        },
        {"education": 1.0},
        "national",
        NATIONAL_LANGS,
        0.04,
        4,
        0.6,
    ),
    DemoAgency(
        "min-health",
        480,
        {"instagram": 0.58, "facebook": 0.32, "web": 0.1},
        {"health": 1.0},
        "national",
        NATIONAL_LANGS,
        0.04,
        3,
        0.6,
    ),
    DemoAgency(
        "min-labour",
        330,
        {"instagram": 0.55, "facebook": 0.3, "web": 0.15},
        {"social_payments": 0.65, "employment": 0.35},
        "national",
        NATIONAL_LANGS,
        0.05,
        3,
        0.6,
    ),
    DemoAgency(
        "akimat-sko",
        170,
        {"instagram": 0.5, "facebook": 0.25, "vk": 0.15, "web": 0.1},
        NORTH_TOPICS,
        "sko",
        NORTH_LANGS,
        0.09,
        4,
    ),
    DemoAgency(
        "akimat-petropavl",
        150,
        {"instagram": 0.65, "facebook": 0.25, "web": 0.1},
        NORTH_TOPICS,
        "petropavl",
        NORTH_LANGS,
        0.1,
        3,
    ),
    DemoAgency(
        "akimat-sko-mamlyut",
        95,
        {"instagram": 0.8, "web": 0.2},
        NORTH_TOPICS,
        "mamlyut",
        NORTH_LANGS,
        0.08,
        2,
    ),
)

INTENTS = {
    "complaint": 0.36,
    "question": 0.22,
    "praise": 0.13,
    "other": 0.12,
    "sarcasm": 0.06,
    "greeting": 0.05,
    "suggestion": 0.06,
}
SENTIMENT_OF_INTENT = {
    "complaint": "negative",
    "sarcasm": "negative",
    "question": "neutral",
    "suggestion": "neutral",
    "other": "neutral",
    "praise": "positive",
    "greeting": "positive",
}

# Relative comment volume by local hour: quiet nights, morning and evening peaks.
HOURLY = (
    0.35, 0.2, 0.12, 0.08, 0.07, 0.1, 0.3, 0.7, 1.2, 1.5, 1.45, 1.3,
    1.25, 1.3, 1.2, 1.15, 1.15, 1.25, 1.45, 1.6, 1.75, 1.7, 1.3, 0.75,
)  # fmt: skip
_HOURLY_MEAN = sum(HOURLY) / len(HOURLY)


@dataclass(frozen=True, slots=True)
class Voice:
    """The phrase tables of one language, composed the same way for each."""

    openers: tuple[str, ...]
    complaints: ph.Table
    details: ph.Table
    complaint_closers: tuple[str, ...]
    questions: ph.Table
    question_openers: tuple[str, ...]
    question_closers: tuple[str, ...]
    praise: ph.Table
    praise_openers: tuple[str, ...]
    praise_endings: tuple[str, ...]
    suggestions: ph.Table
    suggestion_openers: tuple[str, ...]
    sarcasm: tuple[str, ...]
    greetings: tuple[str, ...]
    other: tuple[str, ...]


RUSSIAN = Voice(
    ph.RU_OPENERS,
    ph.RU_COMPLAINT,
    ph.RU_DETAILS,
    ph.RU_COMPLAINT_CLOSERS,
    ph.RU_QUESTIONS,
    ph.RU_QUESTION_OPENERS,
    ph.RU_QUESTION_CLOSERS,
    ph.RU_PRAISE,
    ph.RU_PRAISE_OPENERS,
    ("!", ".", "", ")))", "!!"),
    ph.RU_SUGGESTIONS,
    ("Предлагаю:", "Предложение:", "Просьба:", ""),
    ph.RU_SARCASM,
    ph.RU_GREETINGS,
    ph.RU_OTHER,
)
KAZAKH = Voice(
    ph.KK_OPENERS,
    ph.KK_COMPLAINT,
    {"default": ph.KK_DETAILS},
    ph.KK_COMPLAINT_CLOSERS,
    ph.KK_QUESTIONS,
    ph.KK_QUESTION_OPENERS,
    ph.KK_QUESTION_CLOSERS,
    ph.KK_PRAISE,
    ph.KK_PRAISE_OPENERS,
    ("!", ".", "", "!!"),
    ph.KK_SUGGESTIONS,
    ("Ұсыныс:", "Өтініш:", ""),
    ph.KK_SARCASM,
    ph.KK_GREETINGS,
    ph.KK_OTHER,
)

# ------------------------------------------------------------ ground truth


@dataclass(frozen=True, slots=True)
class Truth:
    """What the generator meant by an event, for tests and evaluation."""

    sentiment: str | None  # positive | neutral | negative; None for deletes
    lang: str  # ru | kk | mixed | kk_latin | en | none
    intent: str
    topic: str | None = None
    aggression: str = "none"  # none | aggression | strong
    scenario: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    kind: str
    agency: str
    onset: datetime
    peak: datetime
    end: datetime
    multiplier: float
    platforms: tuple[str, ...]
    accounts: tuple[tuple[str, str], ...]
    topic: str | None
    description: str
    rise: timedelta
    plateau: timedelta
    decay: timedelta
    statement_at: datetime | None = None

    def shape(self, at: datetime) -> float:
        """Extra volume at ``at`` as a share of the peak (0 outside the scenario)."""
        if at < self.onset or at >= self.end:
            return 0.0
        since = at - self.onset
        if since < self.rise:
            return since / self.rise
        if since < self.rise + self.plateau:
            return 1.0
        return math.exp(-(since - self.rise - self.plateau) / self.decay)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "agency": self.agency,
            "onset": self.onset.isoformat(),
            "peak": self.peak.isoformat(),
            "end": self.end.isoformat(),
            "multiplier": self.multiplier,
            "platforms": list(self.platforms),
            "accounts": [{"platform": p, "account": a} for p, a in self.accounts],
            "official_statement_at": self.statement_at.isoformat() if self.statement_at else None,
            "topic": self.topic,
            "description": self.description,
        }


def _start_of(start: datetime | date | str | None) -> datetime:
    if start is None:
        return DEFAULT_START
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day)
    if start.tzinfo is None:
        start = start.replace(tzinfo=TZ)
    return start.astimezone(TZ)


def _is_nauryz(day: date) -> bool:
    return day.month == 3 and 20 <= day.day <= 23


def _scenario_objects(days: int, start: datetime, registry: Registry) -> list[Scenario]:
    def accounts(agency_id: str, platforms: Sequence[str]) -> tuple[tuple[str, str], ...]:
        owned = {a.platform: a.handle for a in registry.agency(agency_id).accounts}
        return tuple((p, owned[p]) for p in platforms if p in owned)

    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    crisis_day = midnight + timedelta(days=min(2, days - 1))
    burst_day = midnight + timedelta(days=min(3, days - 1))
    crisis_onset = crisis_day + timedelta(hours=7, minutes=10)
    burst_onset = burst_day + timedelta(hours=9)
    nauryz = _is_nauryz(burst_onset.date())
    crisis_rise, crisis_plateau, crisis_decay = (
        timedelta(minutes=25),
        timedelta(hours=2, minutes=30),
        timedelta(hours=3),
    )
    burst_rise, burst_plateau, burst_decay = (
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=1, minutes=30),
    )
    return [
        Scenario(
            id="crisis-heating-almaty",
            kind="crisis",
            agency="akimat-almaty",
            onset=crisis_onset,
            peak=crisis_onset + crisis_rise,
            end=crisis_onset + timedelta(hours=10),
            multiplier=12.0,
            platforms=("instagram", "facebook", "web", UNLISTED_CHAT[0]),
            accounts=(*accounts("akimat-almaty", ("instagram", "facebook", "web")), UNLISTED_CHAT),
            topic="housing_utilities",
            description=(
                "Heating and hot-water outage in Almaty after a break on a trunk heating main: "
                "angry comments, rumours of a week without heat, a few threats; the akimat "
                "posts a statement 55 minutes after onset."
            ),
            rise=crisis_rise,
            plateau=crisis_plateau,
            decay=crisis_decay,
            statement_at=crisis_onset + timedelta(minutes=55),
        ),
        Scenario(
            id="nauryz-greetings-astana" if nauryz else "road-thanks-astana",
            kind="positive_burst",
            agency="akimat-astana",
            onset=burst_onset,
            peak=burst_onset + burst_rise,
            end=burst_onset + timedelta(hours=5),
            multiplier=7.0,
            platforms=("instagram", "facebook"),
            accounts=accounts("akimat-astana", ("instagram", "facebook")),
            topic=None if nauryz else "roads_transport",
            description=(
                "Near-identical Nauryz greetings from many different people under the akimat's "
                "holiday post."
                if nauryz
                else "Near-identical thanks from many different people for a newly opened road."
            ),
            rise=burst_rise,
            plateau=burst_plateau,
            decay=burst_decay,
        ),
    ]


def scenarios(
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    start: datetime | date | str | None = None,
) -> list[dict[str, Any]]:
    """Ground truth of the scenarios in ``generate(days, seed, start)``.

    Each: ``id, kind ('crisis' | 'positive_burst'), agency, onset, peak, end``
    (ISO 8601 with offset), ``multiplier`` (peak volume over the normal volume
    at that time), ``platforms``, ``topic``, ``description``. The seed changes
    the comments, not the scenarios.
    """
    del seed  # the scenarios are fixed in time; the argument mirrors generate()
    _check_days(days)
    return [s.as_dict() for s in _scenario_objects(days, _start_of(start), Registry.default())]


def coordinated_campaigns(
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    start: datetime | date | str | None = None,
) -> list[dict[str, Any]]:
    """Ground truth of the coordinated spam in ``generate(days, seed, start)``."""
    del seed
    _check_days(days)
    onset = _spam_onset(days, _start_of(start))
    return [
        {
            "id": "spam-wave",
            "kind": "spam",
            "agencies": list(SPAM_AGENCIES),
            "start": onset.isoformat(),
            "end": (onset + SPAM_SPAN).isoformat(),
            "authors": list(SPAM_AUTHORS),
            "texts": list(ph.SPAM_TEXTS),
        }
    ]


SPAM_AGENCIES = ("akimat-almaty", "akimat-astana", "min-enlightenment", "min-health")
SPAM_AUTHORS = (
    "zarabotok_kz_online",
    "dohod.bez.vlozheniy",
    "biznes_mama_kz",
    "qarjy_online_kz",
    "work_home_kz",
    "easy_money_astana",
)
SPAM_SPAN = timedelta(minutes=14)


def _spam_onset(days: int, start: datetime) -> datetime:
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=min(1, days - 1), hours=14, minutes=3)


def _check_days(days: int) -> None:
    if not isinstance(days, int) or days < 1:
        raise ValueError("days must be a positive integer")


# ------------------------------------------------------------------ text


_LATIN_OFFICIAL = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_LATIN_CHAT = {
    **_LATIN_OFFICIAL,
    "ә": "a", "ғ": "g", "ж": "zh", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "ш": "sh",
    "щ": "sh", "і": "i", "ю": "yu", "я": "ya", "ё": "yo", "й": "y",
}  # fmt: skip


def to_latin(text: str, style: str = "chat") -> str:
    """Kazakh Cyrillic in Latin letters: 'official' (2021 alphabet) or 'chat' (plain ASCII)."""
    table = _LATIN_OFFICIAL if style == "official" else _LATIN_CHAT
    out = []
    for char in text:
        lower = char.lower()
        mapped = table.get(lower)
        if mapped is None:
            out.append(char)
        elif char != lower:
            out.append(mapped[:1].upper() + mapped[1:])
        else:
            out.append(mapped)
    return "".join(out)


class _Slots(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _join(opener: str, core: str) -> str:
    if not opener:
        return _capitalise(core)
    if opener[-1] in ",:" or opener[-1].isalpha():
        return f"{opener} {core}"
    return f"{opener} {_capitalise(core)}"


# ---------------------------------------------------------------- people


@dataclass(slots=True)
class Person:
    key: int
    first: str
    surname: str
    handle: str
    lang: str
    caps: float
    emoji: float
    typos: float
    latin_style: str

    def author_id(self, platform: str) -> str:
        k = self.key
        if platform == "instagram":
            return str(1_000_000_000 + k % 60_000_000_000)
        if platform == "facebook":
            return str(100_000_000_000_000 + k % 900_000_000_000_000)
        if platform == "vk":
            return str(100_000 + k % 900_000_000)
        if platform == "telegram":
            return str(100_000_000 + k % 7_000_000_000)
        if platform == "x":
            return str(10_000_000 + k % 1_700_000_000_000_000_000)
        if platform == "youtube":
            return "UC" + _code(k, 22)
        if platform == "tiktok":
            return str(6_700_000_000_000_000_000 + k % 300_000_000_000_000_000)
        return f"u{k % 10_000_000:07d}"

    def author_name(self, platform: str) -> str:
        if platform in ("instagram", "tiktok", "x"):
            return self.handle
        if platform == "telegram":
            return self.first
        if platform == "web":
            return f"{self.first} {self.surname[:1]}."
        return f"{self.first} {self.surname}"


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _code(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value * 2_654_435_761 + 97, 64)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def _feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


class _People:
    """A pool of commenters for one agency; a few are far more active than the rest."""

    def __init__(self, rng: random.Random, langs: Mapping[str, float], size: int) -> None:
        self.rng = rng
        self.langs = langs
        self.size = size
        self.people: dict[int, Person] = {}
        self.fresh = 0

    def pick(self) -> Person:
        index = int(self.size * self.rng.random() ** 2.3)
        return self._person(index)

    def new(self) -> Person:
        self.fresh += 1
        return self._person(self.size + self.fresh)

    def _person(self, index: int) -> Person:
        found = self.people.get(index)
        if found is not None:
            return found
        rng = self.rng
        lang = _weighted(rng, self.langs)
        kazakh = rng.random() < (0.85 if lang in ("kk", "kk_latin", "mixed") else 0.45)
        female = rng.random() < 0.58
        if kazakh:
            first = rng.choice(ph.KK_FIRST_F if female else ph.KK_FIRST_M)
            surname = rng.choice(ph.KK_SURNAMES)
        else:
            first = rng.choice(ph.RU_FIRST_F if female else ph.RU_FIRST_M)
            surname = rng.choice(ph.RU_SURNAMES)
        if female:
            surname = _feminine(surname)
        base = to_latin(first, "chat").lower().replace("'", "")
        tail = rng.choice(ph.HANDLE_TAILS)
        sep = rng.choice(("_", ".", "", "_"))
        if rng.random() < 0.45:
            tail = str(rng.randint(70, 99) if rng.random() < 0.5 else rng.randint(0, 9) + 2000)
        if rng.random() < 0.3:
            base += "." + to_latin(surname, "chat").lower()[:6]
        person = Person(
            key=rng.getrandbits(62),
            first=first,
            surname=surname,
            handle=f"{base}{sep}{tail}".strip("._"),
            lang=lang,
            caps=rng.choice((0.0, 0.0, 0.05, 0.15, 0.4)),
            emoji=rng.choice((0.05, 0.2, 0.4, 0.7)),
            typos=rng.choice((0.0, 0.1, 0.25, 0.5)),
            latin_style=rng.choice(("chat", "chat", "official")),
        )
        self.people[index] = person
        return person


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    total = sum(weights.values())
    mark = rng.random() * total
    for key, weight in weights.items():
        mark -= weight
        if mark < 0:
            return key
    return next(reversed(list(weights)))


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


# ------------------------------------------------------------------ posts


@dataclass(slots=True)
class Post:
    agency: str
    platform: str
    account: Account
    post_id: str
    at: datetime
    topic: str | None
    sticky: float = 0.0  # extra pull on comments (scenario posts)


@dataclass(slots=True)
class _Draft:
    """An event before ids are final: sorted, then serialised."""

    at: datetime
    seq: int
    event: dict[str, Any]
    truth: Truth


# -------------------------------------------------------------- generator


@dataclass
class _Stream:
    registry: Registry
    rng: random.Random
    start: datetime
    end: datetime
    scenario_list: list[Scenario]
    drafts: list[_Draft] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)
    posts: dict[str, list[Post]] = field(default_factory=dict)
    people: dict[str, _People] = field(default_factory=dict)

    # ------------------------------------------------------ ids and links
    def accounts(self, agency: DemoAgency) -> dict[str, Account]:
        found: dict[str, Account] = {}
        for account in self.registry.agency(agency.id).accounts:
            if account.handle.endswith("bot"):
                continue  # a bot takes private messages, not comments
            found.setdefault(account.platform, account)
        return {p: found[p] for p in agency.platforms if p in found}

    def next_id(self, platform: str, account: str) -> str:
        key = f"{platform}:{account}"
        self.counters[key] += 1
        n = self.counters[key]
        base = sum(ord(c) for c in account) * 7919
        if platform == "instagram":
            return str(17_900_000_000_000_000 + base * 1000 + n * 37)
        if platform == "facebook":
            return f"{1_100_000_000_000 + base}_{n + 900_000}"
        if platform == "vk":
            return str(40_000 + n)
        if platform == "telegram":
            return str(120_000 + n)
        if platform == "x":
            return str(1_770_000_000_000_000_000 + base * 100_000 + n * 13)
        if platform == "youtube":
            return "Ugz" + _code(base * 100_000 + n, 20) + "4AaABAg"
        if platform == "tiktok":
            return str(7_480_000_000_000_000_000 + base * 100_000 + n * 17)
        return str(5_000_000 + n)

    def post_id(self, platform: str, account: str) -> str:
        key = f"post:{platform}:{account}"
        self.counters[key] += 1
        n = self.counters[key]
        base = sum(ord(c) for c in account)
        if platform == "instagram":
            return "C" + _code(base * 10_000 + n, 10)
        if platform == "youtube":
            return _code(base * 10_000 + n + 7, 11)
        if platform in ("vk", "telegram"):
            return str(base * 3 + 2_000 + n)
        if platform == "web":
            return str(700_000 + base * 10 + n)
        return str(1_870_000_000_000_000_000 + base * 1_000_000 + n * 7919)

    def url(self, platform: str, account: Account, post_id: str, comment_id: str) -> str:
        handle = account.handle
        if platform == "instagram":
            return f"https://www.instagram.com/p/{post_id}/c/{comment_id}/"
        if platform == "facebook":
            return f"https://www.facebook.com/{handle}/posts/{post_id}?comment_id={comment_id}"
        if platform == "vk":
            return f"https://vk.com/{handle}?w=wall-{post_id}_r{comment_id}"
        if platform == "telegram":
            return f"https://t.me/{handle}/{post_id}?comment={comment_id}"
        if platform == "x":
            return f"https://x.com/{handle}/status/{comment_id}"
        if platform == "youtube":
            return f"https://www.youtube.com/watch?v={post_id}&lc={comment_id}"
        if platform == "tiktok":
            return f"https://www.tiktok.com/@{handle}/video/{post_id}"
        base = account.url or f"https://www.gov.kz/memleket/entities/{handle}"
        return f"{base}/press/news/details/{post_id}?comment={comment_id}"

    def add(self, at: datetime, event: dict[str, Any], truth: Truth) -> None:
        if self.start <= at < self.end:
            self.drafts.append(_Draft(at, len(self.drafts), event, truth))

    # -------------------------------------------------------------- posts
    def make_posts(self, agency: DemoAgency) -> None:
        rng = self.rng
        accounts = self.accounts(agency)
        posts: list[Post] = []
        day = self.start - timedelta(days=1)
        while day < self.end:
            weekend = day.weekday() >= 5
            count = _poisson(rng, agency.posts_per_day * (0.6 if weekend else 1.0)) or 1
            for _ in range(count):
                at = day.replace(hour=9, minute=0, second=0) + timedelta(
                    seconds=rng.randint(0, 11 * 3600)
                )
                platform = _weighted(rng, {p: agency.platforms[p] for p in accounts})
                account = accounts[platform]
                topic = _weighted(rng, agency.topics)
                posts.append(
                    Post(
                        agency.id,
                        platform,
                        account,
                        self.post_id(platform, account.handle),
                        at,
                        topic,
                    )
                )
            day += timedelta(days=1)
        posts.sort(key=lambda p: p.at)
        self.posts[agency.id] = posts

    def add_post(
        self,
        agency: DemoAgency,
        platform: str,
        at: datetime,
        topic: str | None,
        sticky: float,
    ) -> Post | None:
        account = self.accounts(agency).get(platform)
        if account is None:
            return None
        post = Post(
            agency.id, platform, account, self.post_id(platform, account.handle), at, topic, sticky
        )
        self.posts[agency.id].append(post)
        self.posts[agency.id].sort(key=lambda p: p.at)
        return post

    def choose_post(self, agency: DemoAgency, at: datetime) -> Post:
        candidates = [p for p in self.posts[agency.id] if p.at <= at][-14:]
        weights = []
        for post in candidates:
            hours = (at - post.at).total_seconds() / 3600
            pull = agency.platforms.get(post.platform, 0.05) * (math.exp(-hours / 8) + 0.02)
            weights.append(pull + post.sticky * math.exp(-hours / 6))
        return self.rng.choices(candidates, weights)[0]

    # --------------------------------------------------------------- texts
    def slots(self, agency: DemoAgency, person: Person) -> _Slots:
        rng = self.rng
        locale = LOCALES[agency.locale]
        city = rng.choice(locale.cities)
        if locale.places:
            place = rng.choice(locale.places)
            place_ru, place_kk = place.ru, f"{place.kk} {place.kind_kk}"
            # Case endings follow the possessive: ауылы -> ауылында, қаласы -> қаласына.
            place_loc, place_dat = f"{place_kk[:-1]}ында", f"{place_kk[:-1]}ына"
        else:
            place_ru, place_kk = city.ru_prep, city.kk
            place_loc, place_dat = city.kk_loc, city.kk_dat
        street_ru, street_kk = rng.choice(locale.streets)
        return _Slots(
            place=place_ru,
            place_kk=place_kk,
            place_kk_loc=place_loc,
            place_kk_dat=place_dat,
            street=street_ru,
            street_kk=street_kk,
            city=city.ru_prep,
            city_kk=city.kk_loc,
            city_name=city.ru if agency.locale != "national" else "Казахстан",
            city_kk_name=city.kk if agency.locale != "national" else "Қазақстан",
            days=str(rng.choice((2, 2, 3, 3, 4, 5, 6, 7, 10))),
            hours=str(rng.choice((2, 2, 3, 4))),
            n=str(rng.randint(2, 9)),
            bus=rng.choice(locale.buses),
            school=str(rng.randint(3, 190)),
            clinic=str(rng.randint(1, 36)),
            year=str(rng.randint(2012, 2023)),
            friend=self.people[agency.id].pick().handle,
            name=person.first,
        )

    def citizen_text(
        self, agency: DemoAgency, person: Person, intent: str, topic: str
    ) -> tuple[str, str]:
        """A citizen's comment and its language label."""
        rng = self.rng
        lang = person.lang if rng.random() < 0.7 else _weighted(rng, agency.langs)
        slots = self.slots(agency, person)
        if lang == "en":
            slots["place"] = to_latin(slots["place_kk"].rsplit(" ", 1)[0])
            slots["street"] = to_latin(slots["street_kk"])
            text = self._english(intent)
        elif lang == "mixed":
            text = self._mixed(intent, topic)
        elif lang in ("kk", "kk_latin"):
            text = self._compose(KAZAKH, intent, topic)
        else:
            text = self._compose(RUSSIAN, intent, topic)
        text = text.format_map(slots)
        sentiment = SENTIMENT_OF_INTENT[intent]
        text = self.roughen(text, person, sentiment, lang)
        if lang == "kk_latin":
            text = to_latin(text, person.latin_style)
        return text, lang

    def _pick(self, table: Mapping[str, Sequence[str]], topic: str) -> str:
        options = table.get(topic) or table["default"]
        return self.rng.choice(options)

    def _compose(self, voice: Voice, intent: str, topic: str) -> str:
        """A comment in one language: opener, core sentence, detail and closer."""
        rng = self.rng
        if intent == "complaint":
            core = rng.choice(voice.complaints.get(topic) or voice.complaints["housing_utilities"])
            parts = [_join(rng.choice(voice.openers) if rng.random() < 0.55 else "", core)]
            parts[0] += rng.choice((".", "!", "!!", "", "."))
            if rng.random() < 0.4:
                parts.append(self._pick(voice.details, topic))
            if rng.random() < 0.72:
                parts.append(rng.choice(voice.complaint_closers))
            return " ".join(p for p in parts if p)
        if intent == "question":
            core = rng.choice(voice.questions.get(topic) or voice.questions["public_services"])
            opener = rng.choice(voice.question_openers) if rng.random() < 0.65 else ""
            closer = rng.choice(voice.question_closers) if rng.random() < 0.5 else ""
            return " ".join(p for p in (_join(opener, core), closer) if p)
        if intent == "praise":
            core = self._pick(voice.praise, topic if rng.random() < 0.6 else "default")
            opener = rng.choice(voice.praise_openers) if rng.random() < 0.6 else ""
            return _join(opener, core) + rng.choice(voice.praise_endings)
        if intent == "suggestion":
            core = self._pick(voice.suggestions, topic)
            return _join(rng.choice(voice.suggestion_openers), core) + "."
        if intent == "sarcasm":
            return rng.choice(voice.sarcasm)
        if intent == "greeting":
            return rng.choice(voice.greetings)
        return rng.choice(voice.other)

    def _mixed(self, intent: str, topic: str) -> str:
        rng = self.rng
        if intent in ("complaint", "sarcasm"):
            if rng.random() < 0.55:
                return self._pick(ph.MIXED_COMPLAINT, topic) + rng.choice(("!", "", "!!!", "."))
            # Kazakh frame around a Russian core.
            core = rng.choice(ph.RU_COMPLAINT.get(topic) or ph.RU_COMPLAINT["housing_utilities"])
            return (
                f"{rng.choice(ph.KK_OPENERS)} {_capitalise(core)}. "
                f"{rng.choice(ph.KK_COMPLAINT_CLOSERS) or 'Қашан шешіледі?'}"
            )
        if intent == "question":
            if rng.random() < 0.5:
                return rng.choice(ph.MIXED_QUESTIONS)
            core = rng.choice(ph.RU_QUESTIONS.get(topic) or ph.RU_QUESTIONS["public_services"])
            return f"{rng.choice(('Айтыңызшы,', 'Сәлеметсіз бе,', 'Ағайын,'))} {core} Рахмет."
        if intent in ("praise", "greeting"):
            return rng.choice(ph.MIXED_PRAISE)
        base = self._compose(RUSSIAN, intent, topic)
        insert = rng.choice(ph.KK_INSERTS)
        return f"{_capitalise(insert)}, {base[:1].lower()}{base[1:]}"

    def _english(self, intent: str) -> str:
        rng = self.rng
        if intent in ("complaint", "sarcasm"):
            return rng.choice(ph.EN_COMPLAINT)
        if intent in ("question", "suggestion"):
            return rng.choice(ph.EN_QUESTIONS)
        if intent in ("praise", "greeting"):
            return rng.choice(ph.EN_PRAISE)
        return rng.choice(ph.EN_OTHER)

    def roughen(self, text: str, person: Person, sentiment: str, lang: str) -> str:
        """Typos, caps, stretched letters and emoji, as people type."""
        rng = self.rng
        if rng.random() < person.typos:
            text = _typo(rng, text)
        if sentiment == "negative" and rng.random() < person.caps:
            text = text.upper() if rng.random() < 0.6 else _shout_word(rng, text)
        if sentiment == "negative" and lang != "en" and rng.random() < 0.05:
            stretched = rng.choice(("Аааа", "Ааааа", "АААА", "Ойбай", "Ууууу"))
            text = f"{stretched}, {text[:1].lower()}{text[1:]}"
        elif rng.random() < 0.04:
            text = _stretch_last_vowel(text)
        if rng.random() < 0.35 and text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
        if rng.random() < 0.25 and lang != "en":
            text = text[:1].lower() + text[1:]
        if rng.random() < person.emoji:
            pool = {"negative": ph.EMOJI_NEG, "positive": ph.EMOJI_POS}.get(sentiment, ph.EMOJI_NEU)
            count = rng.choice((1, 1, 1, 2, 3))
            emoji = (
                rng.choice(pool) * count
                if rng.random() < 0.5
                else "".join(rng.choice(pool) for _ in range(count))
            )
            text = f"{text} {emoji}"
        return text

    # ------------------------------------------------------------ events
    def base_event(
        self,
        post: Post,
        comment_id: str,
        text: str,
        at: datetime,
        author_id: str,
        author_name: str,
        *,
        kind: str = "comment",
        parent_id: str | None = None,
        official: bool = False,
        likes: int = 0,
        with_url: bool = False,
        with_agency: bool = True,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "platform": post.platform,
            "account": post.account.handle,
            "comment_id": comment_id,
            "text": text,
            "created_at": at.isoformat(),
        }
        if with_agency and post.agency:
            event["agency"] = post.agency
        event["post_id"] = post.post_id
        if parent_id is not None:
            event["parent_id"] = parent_id
        event["author_id"] = author_id
        event["author_name"] = author_name
        if likes and post.platform != "web":
            event["likes"] = likes
        if with_url:
            event["url"] = self.url(post.platform, post.account, post.post_id, comment_id)
        event["kind"] = kind
        if official:
            event["is_official_reply"] = True
        return event

    def citizen_comment(
        self,
        agency: DemoAgency,
        post: Post,
        at: datetime,
        person: Person,
        text: str,
        truth: Truth,
        *,
        likes_scale: float = 1.0,
        thread_rate: float = 0.1,
        reply_rate: float | None = None,
        delete_rate: float = 0.006,
    ) -> str:
        rng = self.rng
        comment_id = self.next_id(post.platform, post.account.handle)
        likes = int((rng.paretovariate(1.5) - 1) * 2 * likes_scale)
        if truth.sentiment == "negative":
            likes = int(likes * 1.6)
        event = self.base_event(
            post,
            comment_id,
            text,
            at,
            person.author_id(post.platform),
            person.author_name(post.platform),
            likes=min(likes, 5000),
            with_url=rng.random() < 0.22,
            with_agency=rng.random() < 0.88,
        )
        self.add(at, event, truth)
        if rng.random() < 0.02:
            self.edit(event, at, truth)
        if rng.random() < delete_rate:
            self.delete(event, at, truth)
        if rng.random() < thread_rate:
            self.thread(agency, post, comment_id, at, person, truth)
        rate = agency.reply_rate if reply_rate is None else reply_rate
        if truth.intent in ("complaint", "question"):
            rate *= 1.6
        elif truth.intent in ("other", "greeting", "sarcasm"):
            rate *= 0.25
        if rng.random() < rate:
            self.official_reply(agency, post, comment_id, at, person, truth)
        return comment_id

    def edit(self, event: dict[str, Any], at: datetime, truth: Truth) -> None:
        rng = self.rng
        edited_at = at + timedelta(minutes=rng.randint(2, 45), seconds=rng.randint(0, 59))
        if edited_at >= self.end:
            return  # edited after the stream ends: not seen yet
        kazakh = truth.lang in ("kk", "kk_latin")
        if truth.sentiment == "negative":
            options = ph.KK_EDIT_NEGATIVE if kazakh else ph.RU_EDIT_NEGATIVE
        else:
            options = ph.KK_EDIT_OTHER if kazakh else ph.RU_EDIT_OTHER
        addition = rng.choice(options)
        if truth.lang == "kk_latin":
            addition = to_latin(addition)
        edited = dict(event)
        edited["text"] = f"{event['text']}\n{addition}"
        edited["kind"] = "edit"
        edited["edited_at"] = edited_at.isoformat()
        edited.pop("likes", None)
        self.add(at, edited, truth)

    def delete(self, event: dict[str, Any], at: datetime, truth: Truth) -> None:
        if at + timedelta(minutes=self.rng.randint(3, 600)) >= self.end:
            return  # deleted after the stream ends: not seen yet
        deleted: dict[str, Any] = {}
        for key in ("platform", "account", "comment_id", "text", "created_at", "agency", "post_id"):
            if key in event:
                deleted[key] = "" if key == "text" else event[key]
        deleted["kind"] = "delete"
        self.add(at, deleted, Truth(None, "none", "delete", truth.topic, scenario=truth.scenario))

    def thread(
        self,
        agency: DemoAgency,
        post: Post,
        parent_id: str,
        at: datetime,
        parent_author: Person,
        parent_truth: Truth,
        crisis: Scenario | None = None,
    ) -> None:
        rng = self.rng
        when = at
        for _ in range(1 + int(rng.expovariate(1.1))):
            when += timedelta(seconds=int(rng.expovariate(1 / 2100)) + 30)
            person = self.people[agency.id].pick()
            if person is parent_author:
                continue
            slots = self.slots(agency, person)
            if crisis is not None:
                text = rng.choice(ph.CRISIS_THREAD_REPLIES).format_map(slots)
                lang = _lang_of(text)
                truth = Truth("negative", lang, "reply", parent_truth.topic, scenario=crisis.id)
            else:
                stance = rng.choice(("agree", "agree", "info", "counter"))
                lang = parent_truth.lang if parent_truth.lang in ("kk", "mixed") else "ru"
                if lang == "kk" or (parent_truth.lang == "kk_latin" and rng.random() < 0.5):
                    table = ph.KK_THREAD_REPLIES
                    lang = "kk"
                elif lang == "mixed":
                    table = ph.MIXED_THREAD_REPLIES
                else:
                    table = ph.RU_THREAD_REPLIES
                text = rng.choice(table[stance])
                sentiment = {
                    "agree": parent_truth.sentiment or "neutral",
                    "info": "neutral",
                    "counter": "negative",
                }[stance]
                truth = Truth(sentiment, lang, "reply", parent_truth.topic)
            if post.platform in ("instagram", "tiktok") and rng.random() < 0.4:
                text = f"@{parent_author.handle} {text}"
            comment_id = self.next_id(post.platform, post.account.handle)
            event = self.base_event(
                post,
                comment_id,
                text,
                when,
                person.author_id(post.platform),
                person.author_name(post.platform),
                kind="reply",
                parent_id=parent_id,
                likes=int(rng.paretovariate(2.0) - 1),
                with_url=rng.random() < 0.1,
                with_agency=rng.random() < 0.88,
            )
            self.add(when, event, truth)

    def official_reply(
        self,
        agency: DemoAgency,
        post: Post,
        parent_id: str,
        at: datetime,
        person: Person,
        truth: Truth,
    ) -> None:
        rng = self.rng
        style = _weighted(rng, {"good": 0.42, "formal": 0.3, "redirect": 0.13, "dm": 0.15})
        in_competence = truth.topic in self.registry.agency(agency.id).competence
        if not in_competence and rng.random() < 0.7:
            style = "redirect"
        delay_hours = {
            "good": rng.lognormvariate(math.log(18), 0.8),
            "formal": rng.lognormvariate(math.log(3), 0.9),
            "redirect": rng.lognormvariate(math.log(6), 0.8),
            "dm": rng.lognormvariate(math.log(2), 0.8),
        }[style]
        when = _working_time(at + timedelta(hours=delay_hours), rng)
        kazakh = truth.lang in ("kk", "kk_latin") or (truth.lang == "mixed" and rng.random() < 0.4)
        text = self.reply_text(agency, style, kazakh, person, truth, when)
        reply_truth = Truth("neutral", "kk" if kazakh else "ru", f"official_{style}", truth.topic)
        self.official(post, parent_id, when, text, reply_truth)

    def official(self, post: Post, parent_id: str, when: datetime, text: str, truth: Truth) -> None:
        account = post.account
        event = self.base_event(
            post,
            self.next_id(post.platform, account.handle),
            text,
            when,
            account.id or account.handle,
            account.handle,
            kind="reply",
            parent_id=parent_id,
            official=True,
            likes=int(self.rng.paretovariate(1.8) - 1),
            with_url=self.rng.random() < 0.3,
        )
        self.add(when, event, truth)

    def reply_text(
        self,
        agency: DemoAgency,
        style: str,
        kazakh: bool,
        person: Person,
        truth: Truth,
        when: datetime,
    ) -> str:
        rng = self.rng
        ministry = self.registry.agency(agency.id).type == "ministry"
        topic = truth.topic or "public_services"
        dept_ru, dept_kk = ph.DEPARTMENTS.get(topic, ph.DEPARTMENTS["public_services"])
        if ministry:
            dept_ru, dept_kk = "профильный департамент министерства", "министрліктің департаменті"
        # Kazakh dative after a possessive ending: басқармасы -> басқармасына, -і -> -іне.
        dept_kk_dat = dept_kk + ("на" if dept_kk.endswith("ы") else "не")
        due = (when + timedelta(days=rng.randint(3, 20))).strftime("%d.%m.%Y")
        slots = _Slots(
            name=person.first,
            ending="ая" if _feminine_first(person.first) else "ый",
            dept=dept_ru,
            dept_kk=dept_kk,
            dept_kk_dat=dept_kk_dat,
            dept_en="responsible department",
            term=str(rng.choice((3, 3, 5, 10))),
            due=due,
            self_short="министерства" if ministry else "акимата",
            other="акимат по месту жительства" if ministry else "профильное министерство",
            other_kk_gen="жергілікті әкімдіктің" if ministry else "бейінді министрліктің",
        )
        if style == "good":
            if truth.lang == "en" and rng.random() < 0.5:
                table: Sequence[str] = ph.EN_GOOD_REPLIES
            else:
                table = ph.KK_GOOD_REPLIES if kazakh else ph.RU_GOOD_REPLIES
        elif style == "formal":
            table = ph.KK_FORMAL_REPLIES if kazakh else ph.RU_FORMAL_REPLIES
        elif style == "redirect":
            table = ph.KK_REDIRECT_REPLIES if kazakh else ph.RU_REDIRECT_REPLIES
        else:
            table = ph.KK_DM_REPLIES if kazakh else ph.RU_DM_REPLIES
        return rng.choice(table).format_map(slots)

    # ------------------------------------------------------------ baseline
    def baseline(self, agency: DemoAgency) -> None:
        rng = self.rng
        people = self.people[agency.id]
        at = self.start
        while at < self.end:
            mean = agency.daily / 288 * _rhythm(at, agency.weekend)
            for _ in range(_poisson(rng, mean)):
                when = at + timedelta(seconds=rng.randint(0, 299))
                post = self.choose_post(agency, when)
                if post.topic and rng.random() < 0.5:
                    topic = post.topic
                else:
                    topic = _weighted(rng, agency.topics)
                if rng.random() < 0.06:
                    topic = rng.choice(list(CITY_TOPICS))
                intent = _weighted(rng, INTENTS)
                person = people.pick()
                text, lang = self.citizen_text(agency, person, intent, topic)
                truth = Truth(SENTIMENT_OF_INTENT[intent], lang, intent, topic)
                self.citizen_comment(agency, post, when, person, text, truth)
            at += BIN

    # -------------------------------------------------------------- crisis
    def crisis(self, agency: DemoAgency, scenario: Scenario) -> None:
        rng = self.rng
        people = self.people[agency.id]
        statement_at = scenario.statement_at or scenario.onset
        statements = [
            post
            for post in (
                self.add_post(agency, platform, statement_at, scenario.topic, sticky=2.5)
                for platform, _account in scenario.accounts
            )
            if post is not None
        ]
        at = scenario.onset
        while at < scenario.end:
            extra = (scenario.multiplier - 1) * agency.daily / 288 * _rhythm(at, agency.weekend)
            for _ in range(_poisson(rng, extra * scenario.shape(at))):
                when = at + timedelta(seconds=rng.randint(0, 299))
                if rng.random() < 0.04:
                    self.unlisted_crisis_comment(when, scenario)
                    continue
                if statements and when >= statement_at and rng.random() < 0.65:
                    weights = [agency.platforms[p.platform] for p in statements]
                    post = rng.choices(statements, weights)[0]
                else:
                    post = self.choose_post(agency, when)
                person = people.new() if rng.random() < 0.6 else people.pick()
                text, truth = self.crisis_text(agency, person, scenario)
                comment_id = self.citizen_comment(
                    agency,
                    post,
                    when,
                    person,
                    text,
                    truth,
                    likes_scale=3.0,
                    thread_rate=0.0,
                    reply_rate=0.0,
                    delete_rate=0.03 if truth.aggression != "none" else 0.004,
                )
                if rng.random() < 0.22:
                    self.thread(agency, post, comment_id, when, person, truth, crisis=scenario)
                if post in statements and rng.random() < 0.05:
                    delay = timedelta(minutes=rng.randint(8, 90))
                    kazakh = truth.lang in ("kk", "kk_latin")
                    table = ph.CRISIS_REPLIES_KK if kazakh else ph.CRISIS_REPLIES_RU
                    slots = self.slots(agency, person)
                    slots["ending"] = "ая" if _feminine_first(person.first) else "ый"
                    reply = rng.choice(table).format_map(slots)
                    self.official(
                        post,
                        comment_id,
                        when + delay,
                        reply,
                        Truth(
                            "neutral",
                            "kk" if kazakh else "ru",
                            "official_crisis",
                            scenario.topic,
                            scenario=scenario.id,
                        ),
                    )
            at += BIN

    def crisis_text(
        self, agency: DemoAgency, person: Person, scenario: Scenario
    ) -> tuple[str, Truth]:
        rng = self.rng
        kind = _weighted(
            rng,
            {
                "angry": 0.47,
                "aggressive": 0.12,
                "threat": 0.04,
                "rumour": 0.13,
                "question": 0.2,
                "english": 0.02,
                "latin": 0.02,
            },
        )
        lang = "ru"
        aggression = "none"
        if kind == "angry":
            lang = _weighted(rng, {"ru": 0.65, "kk": 0.17, "mixed": 0.18})
            table = {
                "ru": ph.CRISIS_ANGRY_RU,
                "kk": ph.CRISIS_ANGRY_KK,
                "mixed": ph.CRISIS_ANGRY_MIXED,
            }[lang]
            text = rng.choice(table)
        elif kind == "aggressive":
            text, aggression = rng.choice(ph.CRISIS_AGGRESSIVE), "aggression"
        elif kind == "threat":
            text, aggression = rng.choice(ph.CRISIS_THREATS), "strong"
        elif kind == "rumour":
            text = rng.choice(ph.CRISIS_RUMOURS)
        elif kind == "question":
            text = rng.choice(ph.CRISIS_QUESTIONS)
        elif kind == "english":
            text, lang = rng.choice(ph.CRISIS_EN), "en"
        else:
            text, lang = rng.choice(ph.CRISIS_ANGRY_KK), "kk_latin"
        if lang == "ru":
            lang = _lang_of(text)
        text = text.format_map(self.slots(agency, person))
        sentiment = "neutral" if kind == "question" and rng.random() < 0.3 else "negative"
        text = self.roughen(text, person, "negative", lang)
        if rng.random() < 0.1 and lang != "en":
            text = f"{text} {rng.choice(('Жылу жоқ!', 'Отопление где?!', 'Холодно!'))}"
        if lang == "kk_latin":
            text = to_latin(text, person.latin_style)
        return text, Truth(sentiment, lang, kind, scenario.topic, aggression, scenario.id)

    def unlisted_crisis_comment(self, when: datetime, scenario: Scenario) -> None:
        rng = self.rng
        person = self.people["akimat-almaty"].new()
        text = rng.choice(ph.CRISIS_ANGRY_RU + ph.CRISIS_RUMOURS + ph.CRISIS_THREAD_REPLIES)
        text = text.format_map(self.slots(DEMO_BY_ID["akimat-almaty"], person))
        truth = Truth("negative", _lang_of(text), "angry", scenario.topic, scenario=scenario.id)
        self.unlisted(when, person, text, truth)

    def unlisted(self, when: datetime, person: Person, text: str, truth: Truth) -> None:
        platform, account = UNLISTED_CHAT
        post = Post("", platform, Account(platform, account), self.unlisted_post(when), when, None)
        event = self.base_event(
            post,
            self.next_id(platform, account),
            text,
            when,
            person.author_id(platform),
            person.author_name(platform),
            with_agency=False,
        )
        self.add(when, event, truth)

    def unlisted_post(self, when: datetime) -> str:
        # One pinned discussion message per day in the chat.
        return str(9_000 + (when.date() - self.start.date()).days)

    def unlisted_baseline(self) -> None:
        rng = self.rng
        agency = DEMO_BY_ID["akimat-almaty"]
        people = self.people[agency.id]
        at = self.start
        while at < self.end:
            for _ in range(_poisson(rng, 45 / 288 * _rhythm(at, 0.9))):
                when = at + timedelta(seconds=rng.randint(0, 299))
                person = people.pick()
                topic = _weighted(rng, CITY_TOPICS)
                intent = _weighted(rng, INTENTS)
                text, lang = self.citizen_text(agency, person, intent, topic)
                self.unlisted(
                    when, person, text, Truth(SENTIMENT_OF_INTENT[intent], lang, intent, topic)
                )
            at += BIN

    # ------------------------------------------------------- positive burst
    def burst(self, agency: DemoAgency, scenario: Scenario) -> None:
        rng = self.rng
        people = self.people[agency.id]
        nauryz = scenario.id.startswith("nauryz")
        posts = [
            post
            for post in (
                self.add_post(agency, platform, scenario.onset, scenario.topic, sticky=6.0)
                for platform in scenario.platforms
            )
            if post is not None
        ]
        greetings = ph.NAURYZ_GREETINGS if nauryz else ph.ROAD_THANKS
        at = scenario.onset
        while at < scenario.end:
            extra = (scenario.multiplier - 1) * agency.daily / 288 * _rhythm(at, agency.weekend)
            for _ in range(_poisson(rng, extra * scenario.shape(at))):
                when = at + timedelta(seconds=rng.randint(0, 299))
                post = rng.choices(posts, [agency.platforms[p.platform] for p in posts])[0]
                person = people.new()
                lang = _weighted(rng, ph.BURST_LANGS)
                text = rng.choice(greetings[lang]) + rng.choice(ph.BURST_SUFFIXES)
                if rng.random() < 0.08 and lang in ("kk", "ru", "mixed"):
                    text = f"{text} {rng.choice(('Астана', 'Елорда', 'Астанам'))}"
                truth = Truth("positive", lang, "greeting", scenario.topic, scenario=scenario.id)
                comment_id = self.citizen_comment(
                    agency, post, when, person, text, truth, thread_rate=0.0, reply_rate=0.0
                )
                if rng.random() < 0.015:
                    self.official(
                        post,
                        comment_id,
                        when + timedelta(minutes=rng.randint(5, 60)),
                        rng.choice(ph.BURST_REPLIES),
                        Truth("positive", "kk", "official_thanks", scenario=scenario.id),
                    )
            at += BIN

    # -------------------------------------------------------------- spam
    def spam(self, onset: datetime) -> None:
        rng = self.rng
        for index, handle in enumerate(SPAM_AUTHORS):
            bot = Person(
                key=10_000_000_000 + index * 7_777_777,
                first=handle,
                surname="",
                handle=handle,
                lang="ru",
                caps=0.0,
                emoji=0.0,
                typos=0.0,
                latin_style="chat",
            )
            for agency_id in SPAM_AGENCIES:
                agency = DEMO_BY_ID[agency_id]
                when = onset + timedelta(seconds=rng.randint(0, int(SPAM_SPAN.total_seconds())))
                candidates = [
                    p for p in self.posts[agency_id] if p.at <= when and p.platform == "instagram"
                ]
                if not candidates:
                    continue
                post = candidates[-1]
                text = ph.SPAM_TEXTS[index % len(ph.SPAM_TEXTS)]
                lang = "kk" if index % len(ph.SPAM_TEXTS) else "ru"
                truth = Truth("neutral", lang, "spam", None, scenario="spam-wave")
                self.citizen_comment(
                    agency,
                    post,
                    when,
                    bot,
                    text,
                    truth,
                    thread_rate=0.0,
                    reply_rate=0.0,
                    delete_rate=0.2,
                )


DEMO_BY_ID = {agency.id: agency for agency in DEMO_AGENCIES}


def _lang_of(text: str) -> str:
    """Kazakh if the text has letters Russian lacks (for phrases written wholly in one language)."""
    return "kk" if any(c in text.lower() for c in "әғқңөұүі") else "ru"


def _feminine_first(first: str) -> bool:
    return first in ph.KK_FIRST_F or first in ph.RU_FIRST_F


def _rhythm(at: datetime, weekend: float) -> float:
    local = at.astimezone(TZ)
    hour = local.hour + local.minute / 60
    low = int(hour) % 24
    frac = hour - int(hour)
    level = HOURLY[low] * (1 - frac) + HOURLY[(low + 1) % 24] * frac
    factor = 1.0
    if local.weekday() == 5:
        factor = weekend
    elif local.weekday() == 6:
        factor = weekend * 0.93
    return level / _HOURLY_MEAN * factor


def _working_time(at: datetime, rng: random.Random) -> datetime:
    """Move a reply into office hours (09:00-18:30 on weekdays), as press offices work."""
    local = at.astimezone(TZ)
    while local.weekday() >= 5 or not (9 <= local.hour < 18):
        if local.weekday() >= 5 or local.hour >= 18:
            local = (local + timedelta(days=1)).replace(hour=9, minute=0, second=0)
        else:
            local = local.replace(hour=9, minute=0, second=0)
        local += timedelta(minutes=rng.randint(0, 90))
    return local


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    action = rng.choice(("swap", "drop", "double"))
    if action == "swap":
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif action == "drop":
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def _shout_word(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 3]
    if not candidates:
        return text.upper()
    i = rng.choice(candidates)
    words[i] = words[i].upper()
    return " ".join(words)


def _stretch_last_vowel(text: str) -> str:
    vowels = "аеёиоуыэюяәөұүіaeiou"
    for index in range(len(text) - 1, -1, -1):
        if text[index].lower() in vowels:
            return text[:index] + text[index] * 4 + text[index + 1 :]
    return text


# ------------------------------------------------------------------ API


def generate_labelled(
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    start: datetime | date | str | None = None,
    registry: Registry | None = None,
) -> Iterator[tuple[dict[str, Any], Truth]]:
    """Like :func:`generate`, with what each event was meant to be."""
    _check_days(days)
    begin = _start_of(start)
    registry = registry or Registry.default()
    stream = _Stream(
        registry=registry,
        rng=random.Random(seed),
        start=begin,
        end=begin + timedelta(days=days),
        scenario_list=_scenario_objects(days, begin, registry),
    )
    for agency in DEMO_AGENCIES:
        size = int(agency.daily * 1.6) + 150
        stream.people[agency.id] = _People(random.Random(f"{seed}:{agency.id}"), agency.langs, size)
        stream.make_posts(agency)
    by_kind = {s.kind: s for s in stream.scenario_list}
    stream.crisis(DEMO_BY_ID[by_kind["crisis"].agency], by_kind["crisis"])
    stream.burst(DEMO_BY_ID[by_kind["positive_burst"].agency], by_kind["positive_burst"])
    for agency in DEMO_AGENCIES:
        stream.baseline(agency)
    stream.unlisted_baseline()
    stream.spam(_spam_onset(days, begin))
    stream.drafts.sort(key=lambda d: (d.at, d.seq))
    for draft in stream.drafts:
        yield draft.event, draft.truth


def generate(
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    start: datetime | date | str | None = None,
) -> Iterator[dict[str, Any]]:
    """Comment events (CONTRACT §2) in ``created_at`` order; the same for the same arguments."""
    for event, _truth in generate_labelled(days, seed, start):
        yield event


def dumps(event: Mapping[str, Any]) -> str:
    """One replay-file line (without the newline)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def write(events: Iterable[Mapping[str, Any]], path: Path) -> Counter[str]:
    """Write events as JSON lines (gzipped if ``path`` ends in .gz); return counts."""
    counts: Counter[str] = Counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        out: IO[bytes] | gzip.GzipFile = stack.enter_context(path.open("wb"))
        if path.suffix == ".gz":
            # mtime=0 and no file name keep the bytes reproducible.
            out = stack.enter_context(
                gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="")
            )
        for event in events:
            out.write(dumps(event).encode("utf-8") + b"\n")
            counts["events"] += 1
            counts[f"kind:{event.get('kind', 'comment')}"] += 1
            counts[f"platform:{event['platform']}"] += 1
            counts[f"agency:{event.get('agency') or '(by account)'}"] += 1
    return counts


def bundled_path() -> Path:
    """The shipped default stream."""
    return Path(__file__).resolve().parent / "data" / "demo" / "demo.jsonl.gz"


def bundled_events() -> Iterator[dict[str, Any]]:
    """The events of the shipped default stream."""
    with gzip.open(bundled_path(), "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qulaq.demo",
        description="Write a deterministic demo stream of comment events (JSON lines).",
    )
    parser.add_argument("--output", required=True, type=Path, help="FILE.jsonl or FILE.jsonl.gz")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days of comments (4)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (7)")
    parser.add_argument(
        "--start",
        default=DEFAULT_START.isoformat(),
        help=f"first moment, ISO 8601 ({DEFAULT_START.isoformat()})",
    )
    parser.add_argument(
        "--scenarios", type=Path, help="also write the scenarios' ground truth as JSON here"
    )
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    try:
        start = _start_of(args.start)
    except ValueError:
        parser.error(f"--start {args.start!r} is not an ISO 8601 date or time")
    counts = write(generate(args.days, args.seed, start), args.output)
    truth = scenarios(args.days, args.seed, start)
    if args.scenarios:
        args.scenarios.parent.mkdir(parents=True, exist_ok=True)
        args.scenarios.write_text(
            json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    print(f"wrote {counts['events']} events to {args.output}")
    for prefix in ("kind:", "platform:", "agency:"):
        items = sorted((k[len(prefix) :], v) for k, v in counts.items() if k.startswith(prefix))
        print(f"  {prefix[:-1]}: " + ", ".join(f"{name} {count}" for name, count in items))
    for scenario in truth:
        print(
            f"  scenario {scenario['kind']} at {scenario['agency']}: "
            f"{scenario['onset']} to {scenario['end']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
