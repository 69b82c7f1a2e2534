"""Language of a comment: kk | ru | en | mixed | other.

Word-level votes (function words, Kazakh letters and suffixes, Russian endings)
on the normalised text; Latin-script text is first told apart as English or as
Latin-script Kazakh/Russian, which is then transliterated and voted on as Cyrillic.
"""

from __future__ import annotations

import re
from pathlib import Path

from sentiment.normalize import Normalised, letter_counts, to_cyrillic

VOCAB_PATH = Path(__file__).resolve().parent / "models" / "lang_vocab.txt"

LANGS = ("kk", "ru", "en", "mixed", "other")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KK_WORDS = _words(
    """
    және мен сен ол біз сіз олар сендер сіздер бұл осы мына сол анау бар жоқ емес керек
    өте ғой қой ма ме ба бе па пе деп деген дейді үшін бірақ тек әлі енді
    мені маған менің сені саған сенің оны оған оның бізге біздің сізге сіздің оларға
    рахмет рақмет рахмед жақсы жаман керемет тамаша ұнады ұнайды ұнамады неге неліктен қашан
    қалай қайда кім қанша қандай бір екі үш көп үлкен кіші жаңа ескі ештеңе барлық
    бәрі әр болды болады болмайды болса болып болсын екен еді жатыр тұр жүр келді келеді
    кетті берді береді алды алады жасау жасады істеу істейді айт айтып айтыңыз көмек
    көмектесіңіздер өтінемін өтініш сәлем сәлеметсіз сәлеметсізбе құрметті ағай апай бауырым
    әкім әкімдік әкімшілік жол су жарық үй пәтер мектеп бала балалар ауыл аудан облыс
    қала ақша жұмыс салық жер ауру аурухана дәрігер дәрі мұғалім оқу жауап жауабы әлде
    немесе себебі сондықтан егер әрине иә жоқпын бармын мүмкін тиіс қажет ғана шығар
    оте жаксы унады унайды унамады калай кайда канша кандай болад рахметт кушти күшті
    мынау мынау сонда сосын кейін бұрын қазір бүгін ертең кеше жыл ай күн сағат уақыт
    халық ел елім мемлекет үкімет азамат адам адамдар жігіт қыз әйел ер кісі
    """
)

RU_WORDS = _words(
    """
    и в во не на что это как я с со но по так все всё он она оно мы вы они очень только
    уже где когда почему зачем есть нет был была были будет для от до за из к ко у о об
    же бы ли да или если чтобы спасибо пожалуйста здравствуйте добрый день вечер утро
    меня мне мой моя мои тебя тебе твой вас вам ваш наш нас нам их его ее её ему ей им
    этот эта эти тот та те такой какой который которые кто чем чего кого сколько
    можно нужно надо нельзя хорошо плохо отлично ужасно просто тоже еще ещё даже вот ну
    там тут здесь сейчас сегодня вчера завтра всегда никогда опять снова потом тогда
    люди человек дети город улица дом дорога вода свет работа деньги помогите прошу
    сделайте делать сделать знаю знать хочу хотят может могут будут было стало стал
    при про без над под через после перед между около более менее самый свой своих
    """
)

EN_WORDS = _words(
    """
    the a an and or but is are was were be been am i you he she it we they this that these
    those to of in on at for with from by not no yes very good bad great thanks thank please
    my your our their his her its what why how when where who which do does did have has had
    will would can could should there here so just all more most some any love like hate
    hello hi hey ok okay sorry welcome congratulations congrats happy nice wow cool awesome
    amazing beautiful wonderful
    terrible awful horrible worst best better unacceptable disgusting ridiculous useless
    shame disgrace nobody anyone someone everyone nothing everything still again already
    never always only also too than then now today yesterday tomorrow week weeks month
    months year years day days hour hours minutes time people city street road roads
    water heating electricity power light gas hospital doctor school children child kids
    mother father family police ambulance service services office government mayor help
    problem problems answer answers answered reply call called waiting wait fix fixed
    broken work working works open closed fire flood snow ice cold hot dirty clean
    garbage trash bus traffic park money price prices tax taxes pension salary job
    please thanks thank why when where who whom whose about after before because if
    whether without over under again been being get got make made take need needs want
    """
)

# Latin-script Kazakh or Russian words that would otherwise look English.
LATIN_KK_RU = _words(
    """
    men sen ol biz siz olar bul osy myna sol bar jok joq emes kerek ote óte öte goi qoi
    jaksy jaqsy jaqsı jaman keremet tamasha unady unaidy rahmet rakhmet raqmet kalai qalai
    kaida qaida kim ne kansha qansha boldy bolady bolsa eken edi zhaksy zhok ush ushin
    privet spasibo ochen kak eto chto ne net da horosho khorosho plokho ploho pochemu kogda
    gde vse uzhe tozhe tolko esli pomogite pozhaluista zdravstvuite
    """
)

# Ukrainian and Belarusian words that carry no letter of their own.
UK_WORDS = _words(
    """
    дякую дуже добре що це як та було буде вже щоб тому якщо допомогу допомога звернення
    будь ласка зараз тут ми ви вони він вона мене мені тебе його її дякуємо також і але
    """
)

_KK_LETTER_RE = re.compile(r"[әғқңөұүһі]")
_PUNCT = ".,:;!?()[]«»\"'-—…"
_FOREIGN_CYR_RE = re.compile(r"[їєґўђћџљњ]")
_OTHER_SCRIPT_RE = re.compile(
    r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_KK_SUFFIX_RE = re.compile(
    r"(?:лар|лер|дар|дер|тар|тер|лары|лери|дары|дери|нын|нин|дын|дин|тын|тин|мыз|миз|быз|сыз|сиз|"
    r"ныз|низ|мын|мин|атын|етин|йтын|йтин|уге|уга|уда|уде|лык|лик|дык|тык|ганда|генде|"
    r"майды|мейди|пайды|пейди|бады|беди|ады|еди|йды|йди)$"
)
_RU_ENDING_RE = re.compile(
    r"(?:ться|тся|ость|ение|ание|ого|его|ому|ему|ыми|ими|ых|их|ий|ый|ая|яя|ое|ее|ую|юю|ие|ые|ешь|ишь|"
    r"ет|ит|ют|ят|ем|им|ется|ются|ся|сь|ла|ли|ло|ть|ство|ция|ции|ной|ная|ные|ного|ному|ой|ей|ом|"
    r"ов|ев|ах|ях|ам|ям|ал|ил|ел|чь|шь)$"
)
_RU_LETTERS = frozenset("ьъщцэё")
_KK_LETTERS = frozenset("әғқңөұүһі")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Kazakh writes case endings after a hyphen on acronyms and numbers ("ЦОН-да", "2023-жылы");
# alone, "да" or "не" would read as Russian words.
_HYPHEN_SUFFIX_RE = re.compile(
    r"-(?:да|де|та|те|ға|ге|қа|ке|га|ка|на|не|ны|ні|ни|ды|ді|ди|ты|ті|ти|нан|нен|дан|ден|тан|тен|"
    r"ның|нің|нын|нин|дың|дің|дын|дин|тың|тің|тын|тин|дағы|дегі|тағы|тегі|дагы|деги|жылы|"
    r"ші|шы|ши|інші|ыншы|ынші|ншы|нші)(?![^\W\d_])"
)


def load_vocab(path: Path = VOCAB_PATH) -> tuple[frozenset[str], frozenset[str]]:
    """Folded words typical of Kazakh and of Russian comments, derived from the training corpora
    by ``sentiment.train`` (lines ``kk<TAB>word`` / ``ru<TAB>word``)."""
    if not path.is_file():
        return frozenset(), frozenset()
    kk: set[str] = set()
    ru: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        lang, _, word = line.partition("\t")
        (kk if lang == "kk" else ru).add(word)
    return frozenset(kk), frozenset(ru)


KK_VOCAB, RU_VOCAB = load_vocab()


def _cyrillic_votes(words: list[str]) -> tuple[float, float]:
    kk = ru = 0.0
    for w in words:
        if w in KK_WORDS:
            kk += 1.0
        elif w in RU_WORDS:
            ru += 1.0
        elif not _KK_LETTERS.isdisjoint(w):
            kk += 1.0
        elif not _RU_LETTERS.isdisjoint(w):
            ru += 1.0
        elif w in KK_VOCAB:
            kk += 1.0
        elif w in RU_VOCAB:
            ru += 1.0
        elif len(w) >= 4:
            if _RU_ENDING_RE.search(w):
                ru += 0.5
            elif _KK_SUFFIX_RE.search(w):
                kk += 0.5
    return kk, ru


def _decide(kk: float, ru: float, kk_letters: int) -> str:
    total = kk + ru
    if total == 0:
        return "kk" if kk_letters else "ru"
    minor = min(kk, ru)
    if minor >= 2 and minor / total >= 0.2:
        return "mixed"
    if kk > ru:
        return "kk"
    if ru > kk:
        return "ru"
    return "kk" if kk_letters else "ru"


def _without_mentions(norm: Normalised) -> tuple[str, int, int, int]:
    """The text without its @mention handles, and its Cyrillic, Latin and Kazakh letter counts:
    a reply that starts "@aliya_88" is no more Latin-script Kazakh than one that does not."""
    handles = frozenset(norm.mentions)
    text = " ".join(w for w in norm.clean.split() if w.strip(_PUNCT) not in handles)
    return (text, *letter_counts(text))


def detect(norm: Normalised) -> str:
    """Language of one normalised comment."""
    text, n_cyr, n_lat, kk_letters = norm.clean, norm.n_cyr, norm.n_lat, norm.kk_letters
    if norm.mentions:
        text, n_cyr, n_lat, kk_letters = _without_mentions(norm)
    letters = n_cyr + n_lat
    if letters < 2:
        return "other"
    if _OTHER_SCRIPT_RE.search(text) and letters < 10:
        return "other"
    if _FOREIGN_CYR_RE.search(text):
        return "other"
    suffixes = 0
    if "-" in text:
        text, suffixes = _HYPHEN_SUFFIX_RE.subn(" ", text)
    words = _WORD_RE.findall(text)
    if n_lat == 0:
        uk = sum(1 for w in words if w in UK_WORDS)
        if uk >= 2 and uk >= 0.3 * len(words):
            return "other"
        kk, ru = _cyrillic_votes(words)
        return _decide(kk + suffixes, ru, kk_letters)
    latin = [w for w in words if w.isascii() or not re.search(r"[а-яәғқңөұүһі]", w)]
    en = sum(1 for w in latin if w in EN_WORDS)
    local = sum(1 for w in latin if w in LATIN_KK_RU)
    if n_cyr == 0:
        if en >= 1 and en > local:
            return "en"
        if not en and not local and _looks_english(latin):
            return "en"
        kk, ru = _cyrillic_votes([to_cyrillic(w) for w in latin])
        return _decide(kk, ru, sum(1 for w in latin if re.search(r"[qğñşäöüūıáóúńǵ]", w)))
    cyr_words = [w for w in words if w not in latin]
    kk, ru = _cyrillic_votes(cyr_words)
    if en >= 2 and en > local and (kk + ru) >= 1:
        return "mixed"
    lat_kk, lat_ru = _cyrillic_votes([to_cyrillic(w) for w in latin if w not in EN_WORDS])
    return _decide(kk + lat_kk, ru + lat_ru, kk_letters)


def is_english(norm: Normalised) -> bool:
    return norm.n_cyr == 0 and detect(norm) == "en"


_EN_BIGRAMS = ("th", "wh", "ing", "ou", "ea", "ee", "oo", "ck", "tion")


def _looks_english(words: list[str]) -> bool:
    joined = " ".join(words)
    hits = sum(joined.count(b) for b in _EN_BIGRAMS)
    return hits >= max(1, len(words) // 2)
