"""Is a comment an appeal that threatens life, health, property or rights (urgent handling)?

The seeds ask that such appeals be handled at once, whatever their wording. A comment
is urgent when it names an immediate danger (fire, gas, collapse, flood, a live wire,
an open manhole, ice and crashes, poisoning, a medical emergency, violence, a missing
person, eviction), when an emergency service (ambulance, rescue, fire, gas) is late or
does not answer, or when a vulnerable person (a child, an old, ill or disabled person)
is left without heat, water, food or care.

Matched on the folded text (Kazakh letters onto Russian ones), so formal Kazakh,
informal Kazakh and Latin-script Kazakh (transliterated upstream) read alike.
Figures of speech ("умираю со смеху", "күліп өлдім", "горю желанием") are removed
first, and thanks with no complaint in them ("спасибо, что быстро потушили пожар")
report a danger that is over, not one to handle. A danger shown in a film, rehearsed in
a drill, taught in a lesson, remembered from last year or feared for one day ("а если
будет землетрясение?") is not urgent either, unless the comment says something is wrong
now. Nor is money owed after a past flood, a crossing where crashes happen every year, or
a question about the map of flood zones: the danger words there name the background of
a complaint, not a danger to handle today.
"""

from __future__ import annotations

import re

from sentiment.normalize import fold_kazakh

_B = r"(?<!\w)"


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (outside groups and character classes)."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _by_first_letter(pattern: str) -> str:
    """The same alternatives, grouped under their first letter: the matcher tries only the
    few that start with the letter in front of it instead of all several hundred. Which
    alternative matches may change, whether one does may not: use it for search alone."""
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for alt in _alternatives(pattern):
        first, after = alt[:1], alt[1:2]
        if first.isalnum() and after not in ("?", "*", "+", "{"):
            groups.setdefault(first, []).append(alt[1:])
        else:
            rest.append(alt)
    grouped = [re.escape(c) + "(?:" + "|".join(alts) + ")" for c, alts in groups.items()]
    return "|".join(grouped + rest)


def _phrases(pattern: str) -> re.Pattern[str]:
    """Like ``_words``, in the order written, for patterns whose matches are substituted."""
    return re.compile(_B + "(?:" + fold_kazakh(pattern) + ")")


def _words(pattern: str) -> re.Pattern[str]:
    """A pattern of word starts, written with Kazakh letters and matched on folded text;
    only ever searched, never used to substitute."""
    return re.compile(_B + "(?:" + _by_first_letter(fold_kazakh(pattern)) + ")")


# Figures of speech that borrow the words of danger.
_IDIOMS = _phrases(
    r"умира\w* (?:со смеху|от смеха|от скуки|от любопытства)|со смеху|от смеха|"
    r"убийствен\w+|смертельно (?:устал\w*|скучн\w*|надоел\w*)|горю желанием|горит желанием|"
    r"пожар эмоций|взрыв эмоций|бомб\w*|огонь(?!\w)|"
    r"(?:умер\w*|умира\w*|помер\w*) от (?:счаст|радост|восторг|умилени|стыда|зависти)|"
    r"задыха\w* от (?:эт\w+ )?(?:пробок|счаст|восторг|смеха|работ|бюрократ|возмущ|злост|цен)|"
    r"(?:машин\w*|подвеск\w*|колес\w*|колёс\w*|нерв\w*|настроени\w*) убил\w*|"
    r"убил\w* (?:мне |всю |весь )?(?:машин|подвеск|колес|колёс|нерв|настроени)|"
    r"(?:новост|пост|видео|ролик|фото)\w*[^.!?]{0,40}убил\w*|"
    r"убил\w* (?:меня )?(?:эт\w+ )?(?:новост|пост|цен|видео)|"
    r"умира\w* (?:с|от) (?:эт|ваш|видео|пост)|"
    r"күліп өл\w+|күлкіден (?:өл|умер|умира)\w*|өлердей|өле жаздадым күліп|"
    r"бюджет\w* горит|горят сроки|сроки горят|горит план"
)
# Condolences and remembrance follow a loss that is over, not a danger to handle.
_CONDOLENCES = _words(
    r"держитесь|молимся|помолимся|"
    r"царств\w* небесн|соболезн|светлая память|вечная память|покойся с миром|скорбим|"
    r"иманды болсын|топырағы торқа|қайғыңызға ортақ|жаны жәннатта|жатқан жері жайлы|"
    r"бақұл бол|қайғырамыз"
)

# A danger shown, taught, rehearsed or remembered: a film, a drill, a lesson, last year's
# flood. Not urgent unless the comment also says something is wrong now.
_NOT_NOW = _words(
    r"фильм|сериал|кино(?!т)|книг[аеиу]|спектакл|выставк|музе[йея]|учени[йяе]|учебн|"
    r"тренировк|урок\w*|занятия? по|инструктаж|безопасност|годовщин|лет назад|год назад|"
    r"в прошлом году|в \d{4} году|\d{4} года|"
    r"помнить|помним|истори|полигон|"
    r"сабақ|жаттығу|қауіпсіздігі|қауіпсіздік|жыл бұрын|өткен жыл\w*|\d{4} жыл\w*|ұмытпаймыз|"
    r"еске ал|тарих|"
    # what might happen one day: "а если будет землетрясение?", "өрт болып кете ме деп қорқамын"
    r"а если|если (?:вдруг |у нас |опять |снова |тоже )*(?:будет|случится|произойд|начн|придет|"
    r"придёт|отключат)|не дай бог|храни бог|на случай|болса(?! да)(?!\w)|болмасын|"
    r"(?:кете|бола) ме(?!\w)|деп қорқамын|"
    # hoping it passes, preparing ahead: "надеюсь, обойдётся без паводков"
    r"надеюсь|надеемся|обойд[её]тся без|заранее|готовьтесь|алдын ала|дайындалыңыз"
)
# Something wrong now. "До сих пор помним" remembers; it does not say the danger goes on.
_NOW = _words(
    r"сейчас|прямо|срочно|помогите|до сих пор(?! (?:помн|вздрагива|вспомина|не забы|страшно))|"
    r"опять|снова|қазір|шұғыл|тез арада|көмектес(?!кен|кенде|ті)|әлі күнге"
)
_NOW_ACUTE = _words(r"сейчас|срочно|опять|снова|қазір|шұғыл|тез арада|тағы да")

# What the danger words are about, when they are not a danger to handle today: money owed
# after a past disaster, a problem that comes back every year, or preparing for one
# ("где посмотреть карту зон подтопления?"). This holds only for the danger words; cold,
# a service that does not come, or a vulnerable person left without care stay urgent.
_BACKGROUND = _words(
    r"компенсац|возмещ|өтемақы|страховк|"
    r"каждую (?:весну|зиму|осень|неделю|ночь)|каждый (?:год|месяц|раз)|ежегодно|из года в год|"
    r"(?:второй|третий|четв[её]ртый|пятый|который|десятый) раз|постоянно|вечно|"
    r"жылдар бойы|(?:апта|ай|жыл|күн|көктем|қыс) сайын|(?:екінші|үшінші|бесінші) рет|"
    r"где (?:посмотреть|узнать|найти|собираться)|карт\w* (?:зон|подтоплен|паводк|эвакуац)|"
    r"зон\w* (?:подтоплен|затоплен)|пункт\w* (?:эвакуац|сбора)|эвакуац\w* пункт|картасы|"
    r"қайда жиналу|"
    # a disaster's aftermath: "живём в машине после пожара, прошёл месяц"
    r"после (?:пожара|наводнения|паводка|потопа|землетрясения|аварии|дтп)|"
    r"(?:өрттен|су тасқынынан|жер сілкінісінен|апаттан) кейін|"
    # air and smog: smoke from cars and chimneys is a complaint about ecology
    r"эколог|смог|выхлоп|выброс|таза ауа|ауа (?:лас|таза)|ластан|"
    # a failure already being repaired: "не паникуйте, авария на магистрали, уже чинят"
    r"уже (?:чинят|устраняют|ремонтируют)|жөндеп жатыр"
)
# A danger reported from the past, yesterday's crash or last month's fire, unless the
# comment says it goes on ("вчера затопило, до сих пор вода стоит"). "Со вчера" goes on.
_PAST = _words(
    r"(?<!со )(?<!с )вчера(?!шн)|позавчера|на прошлой неделе|в прошлом месяце|"
    r"кеше(?!ден)|өткен (?:апта|ай)\w*|былтыр"
)
# A disaster abroad is not one for a Kazakh body to handle, even "снова".
_ABROAD = _words(
    r"в (?:турции|китае|японии|сирии|иране|индии|америке|сша|европе|россии|украине|газе|"
    r"пакистане|канаде|австралии|индонезии)(?!\w)|за рубежом|за границей|"
    r"түркияда|қытайда|жапонияда|пәкістанда|канадада|австралияда|ресейде|шетелде"
)
_HERE = _words(r"у нас|здесь|в нашем|в нашей|наш город|біздің|бізде|осында")

# Someone speaking of taking their own life (aggression.py reads it too: distress, not abuse).
SELF_HARM_WORDS = (
    r"суицид|самоубий|покончи\w* с собой|покончу с собой|наложи\w* на себя руки|"
    # not "не хочу жить в этом городе"
    r"(?:не хочу (?:больше )?жить|жить не хочу|жить не хочется)"
    r"(?! (?:в|во|на|здесь|тут|так|рядом|с))|"
    r"өзімді өлтір|өзіне қол жұмса|өзіме қол жұмса|өмір сүргім келмейді|асылып өл"
)

SELF_HARM = _words(SELF_HARM_WORDS)

# Danger by itself: what is happening, or about to.
_DANGER_WORDS = (
    # death, injury, medical emergency
    r"умира|умер|погиб|гибнут|смерт|труп|убил|убьет|убьёт|убило|убьют|ранен|травмир|"
    r"покусал|искусал|кусают|напал\w* собак|сбил[аи]? |задыха|без сознания|потерял\w* сознание|"
    r"опасно(?!\w)|опас(?:ен|н\w*) для (?:жизни|детей|людей|здоровья|жителей)|инсулин|"
    r"(?:дети|ребен\w*|ребён\w*) без|"
    r"кровотеч|инсульт|инфаркт|приступ(?:(?!\w)|а|ом|ы)|судорог|отрав|ожог|реанимац|ивл(?!\w)|"
    r"диализ|плохо с сердцем|сердечн\w* приступ|"
    r"(?:человеку|мужчине|женщине|ребенку|ребёнку|девушке|парню|водителю|пассажиру|бабушке|"
    r"дедушке|мужу|жене|маме|папе|отцу|матери) (?:\w+ ){0,2}стало плохо|"
    r"отказали в госпитализ|не госпитализ|"
    # fire, smoke, explosion, gas
    r"пожар(?!н)|(?<!не )горит|(?<!не )горим|загорел|подожгл|"
    r"дым (?:на|в|от|из|валит|ид[её]т|стоит|столбом)|дыма|дымом|дымит|дымят|задымл|"
    r"взрыв|взорва|"
    r"запах газа|пахнет газом|газом пахнет|утечк\w* газа|угарн\w* газ|угар(?!\w)|"
    r"запах гари|пахнет гарью|гарью (?:пахнет|тянет)|күйік иіс|күйген иіс|"
    # collapse and things falling
    r"обруш|рухнул|рухнет|рухнуть|может упасть|падает на|упал[аи]? в|шатается|"
    r"падал\w* (?:человек|ребен|ребён|люди|дет|женщин|мужчин)|провис(?:ает|ают|ла|ло|ли)?(?!\w)|"
    r"аварийн\w+ (?:дом|состояни|здани|балкон|мост)|обвал|сосульк|сосул[иья]|снег с крыши|"
    r"трещин\w* (?:по|в|на) (?:всей |несущ\w+ )?стен|треснул|трескает|трещит|плавит|раскачива|"
    r"сыпется|сыплется|осыпа|накренил|кренится|"
    # electricity
    r"оборван\w* провод|оголен\w* провод|оголён\w* провод|искрит|током (?:ударил|бьет|бьёт)|"
    r"удар\w* током|провод\w* (?:висит|лежит|на земле|упал)|"
    # water
    r"затопил|затаплива|топит кипятк|прорвал|прорыв|потоп|наводнен|паводк|паводок|сель(?!\w)|"
    r"селев|дамб(?:а|у|ы|е)|"
    r"подтоплен|вода поднима|эвакуир|эвакуац|провалил\w* (?:под|в|сквозь)|тонет|тонут|утонул|"
    r"утопа|лавин|"
    # roads
    r"открыт\w* (?:люк|колодец)|без крышки|гололед|гололёд|авари|дтп(?!\w)|"
    r"чуть не (?:сбил|случил|погиб|убил)|"
    # violence, crime, people in danger
    r"насили|избива|избил|избили|(?:бьет|бьёт|бьют)(?!\w)|угрожа|угроз|вымога|"
    r"травл[яеюи](?!\w)|буллинг|пропал\w* без вести|"
    r"пропал\w* (?:ребен|ребён|дет|девочк|мальчик|сын|доч|человек|мужчин|женщин|пожил|бабушк|"
    r"дедушк|муж|жена)|похищ|"
    r"похити|" + SELF_HARM_WORDS + "|"
    r"не вернул(?:ся|ась|ись)|не пришл?[аи]? домой|не пришёл домой|"
    r"ушл?[аи]? из дома|напал[аи]?(?!\w)|нападают|нападени|расправ|стрельб|стреляют|"
    # childbirth, oxygen, fever, intensive care
    r"рожает|рожаю|рожающ|роженица|схватк|кислород|реанимаци|"
    r"температур\w* (?:под |выше |больше )?(?:39|40|41)|"
    # property and rights
    r"выселя|выгоня|на улицу (?:зимой|с детьми)|без жилья|остались без крыши|снесут|сносят|"
    r"отбирают|незаконно|нарушают права|нарушение прав|нечем кормить|не на что жить|голода|"
    # trapped, lying still, not seen for days
    r"застрял\w* (?:в лифте|между этаж)|(?:в лифте|между этажами)[^.!?]{0,20}застрял|"
    r"лифт\w* [^.!?]{0,40}(?:внутри|ребен|ребён|ішінде|қамал)|қамалып қал|"
    r"лежит [^.!?]{0,50}(?:не двигается|не шевелится|без движения)|"
    r"(?:человек|мужчин|женщин|ребен|ребён|бабушк|дедушк)\w* [^.!?]{0,30}"
    r"(?:не двигается|не шевелится)|"
    r"не дышит|без признаков жизни|"
    r"не выходит из (?:квартиры|дома)|не открывает двер\w*|из-за двери запах|"
    r"теря\w* сознани|в обморок|обморок|тепловой удар|солнечный удар|"
    r"угор\w* от (?:печ|газ|угл|дым|котл|колонк)|"
    r"рвот(?:а|ы|у|ой|е)(?!\w)|кишечн\w* инфекц|диаре|"
    # things hanging over people, broken railings, cracks that spread
    r"глыб\w* (?:льда|снега)|наледь над|свиса\w* (?:лед|лёд|снег|глыб|над)|"
    r"(?:отвал|оторвал|сломал|сломан)\w* [^.!?]{0,15}перил|перил\w* (?:отвал|оторв|сломан|нет)|"
    r"(?:пошл|появил|больш|огромн)\w* трещин|"
    r"трещин\w* [^.!?]{0,25}(?:стен|потол|фундамент|опор|мост)|"
    r"землетрясен|(?:подземн|сильн|после|вчерашн|ночн|повторн)\w* толчк|"
    # water where it must not be
    r"залило|заливает (?:квартир|подвал|дом|подъезд|нас)|"
    r"залит\w* (?:водой|канализац|кипятк|фекал|нечистот)|"
    r"(?:вода|течет|течёт|капает)\w* [^.!?]{0,30}(?:щит|проводк|розетк)|"
    # animals
    r"(?:собак|псы|стая)\w* [^.!?]{0,30}(?:броса|кида|напада|кусают|гоня)|"
    r"(?<!как )бешен\w* (?:собак|пс|пёс|лис|кот|животн)|бешенств\w* (?:у|собак|лис|кош)|"
    r"укусил|укусила|змея|змеи|"
    # crowds, drunk drivers, knives, unfenced pits, people stranded
    r"давк\w* (?:у|на|в|возле) (?:ворот|вход|выход|стадион|концерт|площад|турникет)|"
    r"(?:людей|нас|детей) прижали|прижали к (?:решетк|решётк|забор|ворот|стен)|пьян\w* за рул[её]м|"
    r"пьян\w* водител\w* (?:\w+ )?(?:ед|вез|виля|гоня)|водител\w* [^.!?]{0,20}(?:пьян|в стельку)|"
    r"с ножом|нож\w* (?:угрожа|бега|ход|размахива)|порежет|зарежу|зарежет|"
    r"не огородил|не огорожен|без ограждени|нет ограждени|"
    r"котлован\w* (?:не огорож|без огражд|рядом со школ|у школ|возле школ)|"
    r"(?:открыт|глубок)\w* котлован|"
    r"застрял\w* на трассе|на трассе застрял|стоим на трассе|"
    r"дверь не открыва|из[- ]под двери|помогите найти|"
    # people left with nothing, eviction, fraud on the vulnerable
    r"выставил\w* [^.!?]{0,15}вещи|выкинул\w* [^.!?]{0,15}вещи|"
    r"выгнал\w* (?:\w+ )?(?:на улицу|из (?:дома|квартир|общежит))|"
    r"сняли все деньги|украли все деньги|не на что купить (?:лекарств|еду|хлеб)|"
    # Kazakh
    r"өлді(?!\w)|өліп (?:қал|жатыр|кет)|өлім(?:(?!\w)|ге|нен|і)|қаза (?:тап|бол)|мерт бол|"
    r"қайтыс бол|жарақат|ес-түссіз|есінен тан|талып қал|қауіп(?!сіз)|"
    r"уланып|улану|уланған|уланды|тұншығ|өрт(?:(?!\w)|ен\w*|сөнд\w*|ке|ті|тің|те|шы\w*)|"
    r"жанып жатыр|түтін|жарылыс|жарылды|газ иісі|газдың иісі|газ ағып|"
    r"құлап|құлау|құлайды|құлағалы|құлады|сызат|су басты|су басып|су алды(?!\w)|су тасқын|"
    r"өзен\w* тас|"
    r"эвакуац|көк тайғақ|тайғақ|апат(?!\w)|апат(?:қа|тан|ты|ы)|соқтығыс|сым үзіл|сымы үзіл|"
    r"сым жерде|ток соқ|"
    r"ұрып-соғ|ұрып (?:кет|тастад|жатыр|жүр|соқ)|қорқытып|қорқытады|қорқытты|зорлық|қорлық|"
    r"бала\w* жоғал|жоғалған бала|із-түзсіз|үйсіз|"
    r"көшеге қу|көшеде қал|(?:үйден|пәтерден|көшеге) шығарып|заңсыз|құқығы бұзыл|құқығымыз бұзыл|"
    r"шөлдеп|аш қал|асырайтын ештеңе|"
    r"үйге (?:келмеді|келмей|оралмады|оралмай)|хабарсыз кет|"
    r"(?:ит|қаңғыбас)\w* (?:\w+ )?шабуыл|шабуыл жасады|қауып ал|"
    r"жарылып кетті|опырыл|шайқалып|суға (?:батт|батып|кетт|ағып)|қар көшкін|"
    r"босанып жатыр|толғақ|оттегі (?:жоқ|жетпей|аппарат)|қызуы (?:39|40|41)|"
    r"ауруханаға (?:түсті|түсіп|жатқыз)|"
    r"арнасынан шық|су (?:\w+ )?(?:кіріп|кірді)|әлі оралмад|телефон\w* өшірулі|"
    r"іздеу\w* көмек|(?:суға|өзенге|көлге|құдыққа) (?:\w+ )?түсіп кет|ағып бара жатыр|"
    r"тез келіңіз|тұрып қалдық|трассада қалдық|жылан\w* (?:шағ|шақ)|шағып ал|"
    r"(?:үй|уи)\w* бұзып жатыр|[эе]кскаватор (?:кір|заех|въех)|"
    r"реанимац|пышақпен|пышақ (?:салд|ұстап|алып)|атыс(?:(?!\w)| бол)|"
    r"иіс тиіп|иіс тиді|қозғалмай жатыр|жатыр қозғалмай|адам\w* [^.!?]{0,20}қозғалмай|"
    r"тыныс алмай|есінен айыр|"
    r"ит\w* [^.!?]{0,30}(?:тістеді|тістеп|қабады|талады|шабады|құтыр)|құтырған ит|"
    r"мұз (?:ілініп|төніп|салбырап)|жер сілкін|"
    r"қоршау\w* (?:сын|жоқ|құла)|сел (?:келе|жүр|қаупі|түс|ағ)|бөгет\w* (?:бұзыл|жарыл|ағып)|"
    r"(?:тұрғындар|адамдар|халық|бізді)\w* көшіріңіз|газ\w* [^.!?]{0,25}(?:иіс|тесіл)|"
    r"(?:мені|бізді|баланы|балаларды|әйелін|анасын|оны) ұра|соққыға жық"
)
_DANGER = _words(_DANGER_WORDS)

# Emergency services: medical, rescue, fire, gas.
_RESCUE = _words(
    r"скор\w+ помо[щш]|скорая|скорую|скорой|спасател|мчс(?!\w)|пожарны[ехм]|аварийк|"
    r"аварийн\w+ служб|газов\w+ служб|горгаз|10[134](?!\d)|112(?!\d)|"
    r"жедел жәрдем|құтқарушы|өрт сөндіруші|авариялық қызмет|газ қызмет|төтенше жағдай"
)
_LATE = _words(
    r"не (?:едет|приеха|приезжа|может|пришл|отвеча|берут|реагир)|долго|застрял|час(?:а|ов)?(?!\w)|"
    r"минут|жд[её]м|ждали|до сих пор|нет(?!\w)|отказ|"
    r"келмей|келмеді|сағат|күтіп|жоқ|ұзақ|жауап бермей|телефон алмай|көтермей"
)
# How a service usually is, not a call it fails now: "скорая приезжает по 2 часа, когда
# добавят бригады?"
_HABITUAL = _words(
    r"по (?:\d+|два|три|пол)\w* час|всегда|обычно|каждый раз|вечно|"
    r"(?:добав|не хвата|мало)\w* бригад|бригад\w* (?:мало|не хвата)|әрдайым|үнемі"
)

# The police not coming to a call is a service not answering too.
_POLICE_LATE = _words(
    r"полици\w* (?:не (?:едет|приеха|приезжа|пришл|реагир)|не берут|не ищет|нет)|"
    r"участков\w* (?:не (?:отвеча|едет|приеха|бер[её]т)|нет)|полиция где|где полиция|"
    r"полиция (?:келмей|келмеді|жоқ)|полицияға хабарлас\w* [^.!?]{0,30}(?:келмей|келмеді)"
)

_VULNERABLE_WORDS = (
    r"ребен|ребён|дети|детей|детям|детьми|малыш|грудн|младен|новорожд|бабушк|дедушк|пожил|"
    r"старик|инвалид|беремен|больн(?!иц)|лежач|пенсионер|онко|"
    r"бала|нәресте|сәби|қарт(?!\w)|қарт адам|қарттар|әжем|әжесі|атам|атасы|мүгедек|жүкті|науқас|"
    r"зейнеткер|қатерлі ісік"
)
_VULNERABLE = _words(_VULNERABLE_WORDS)
_DEPRIVED_WORDS = (
    r"холодн|холод(?!\w)|мерзн|мёрзн|замерз|нет (?:воды|света|газа|тепла|отоплени|еды|лекарств)|"
    r"без (?:воды|света|газа|тепла|отоплени|лекарств|еды)|"
    r"болеют|заболел|заболев|нечем (?:кормить|платить|дышать|топить|лечить)|\+1\d(?!\w)|"
    r"минус \d\d|температур|стало плохо|плохо (?:от|с сердц)|жағдайы нашар|халі нашар|"
    r"(?:воды|света|газа|тепла|отоплени\w*|еды|лекарств\w*|давлени\w* воды) (?:нет|не дают)|"
    r"не выда\w* (?:препарат|лекарств|инсулин)|не на что купить|некому помочь|помочь некому|"
    r"көмек көрсететін ешкім жоқ|көмек жоқ|"
    r"нет врача|не принимают|не дали лекарств|"
    r"отказ\w* (?:в (?:госпитал|помощ|лечени|операци|скорой|при[её]ме)|принять|госпитал)|"
    # "күн суық" is the weather, not a home left cold
    r"(?<!күн )(?<!ауа райы )суық|тоңып|ауырып|ауыр\w+ қал|"
    r"су жоқ|жарық жоқ|газ жоқ|жылу жоқ|тамақ жоқ|дәрі жоқ|"
    r"дәрігер жоқ|қабылдамай"
)
_DEPRIVED = _words(_DEPRIVED_WORDS)
_THANKS = _words(r"спасибо|благодар|молод(?:цы|ец)|отличн|рахмет|рақмет|алғыс|ризамын|жарайсың")
_STILL_WRONG = _words(
    r"не |нет(?!\w)|до сих пор|но |однако|а (?:сейчас|теперь)|помогите|прошу|срочно|"
    r"жоқ|әлі|бірақ|көмектес"
)
# Deprivation that is dangerous for anyone, vulnerable or not.
_COLD = _words(
    r"нет отоплен|без отоплен|замерза|мерзнем|мёрзнем|жылу жоқ|тоңып|"
    # people freezing at home, not at a bus stop or in a queue
    r"(?:мерзнут|мёрзнут)(?! (?:на остановк|в очеред))"
)


def is_urgent(folded: str) -> bool:
    """``folded``: the normalised comment (lower case, Cyrillic) after ``fold_kazakh``."""
    text = _IDIOMS.sub(" ", folded)
    if _CONDOLENCES.search(text) is not None:
        return False
    acute = (
        _COLD.search(text) is not None
        or _POLICE_LATE.search(text) is not None
        or (
            _RESCUE.search(text) is not None
            and _LATE.search(text) is not None
            and (_HABITUAL.search(text) is None or _NOW_ACUTE.search(text) is not None)
        )
        or (_VULNERABLE.search(text) is not None and _DEPRIVED.search(text) is not None)
    )
    if not acute:
        if _DANGER.search(text) is None:
            return False
        if _BACKGROUND.search(text) is not None and _NOW_ACUTE.search(text) is None:
            return False
        if _PAST.search(text) is not None and _NOW.search(text) is None:
            return False
    if _ABROAD.search(text) is not None and _HERE.search(text) is None:
        return False
    if _NOT_NOW.search(text) is not None and _NOW.search(text) is None:
        return False
    # "Спасибо, что быстро потушили пожар" reports a danger that is over.
    return not (_THANKS.search(text) is not None and _STILL_WRONG.search(text) is None)


# English comments (visitors, expatriates): the same kinds of danger, in a short lexicon.
_EN_IDIOMS = re.compile(
    r"\b(?:dying (?:of|from|with) (?:laughter|laughing|boredom)|(?:is|was|looks|so) fire\b|"
    r"on fire (?:today|lately|this (?:year|season))|killing it|killed it|killer (?:view|app|deal)|"
    r"dead (?:tired|serious)|lol|lmao|😂)"
)
_EN_NOT_NOW = re.compile(
    r"\b(?:movie|film|series|documentary|drill|exercise|training|lesson|class(?:es)?|"
    r"anniversary|history|historic|remember|memorial|last (?:year|month|winter|summer)|"
    r"years ago|in (?:19|20)\d\d|condolences|rest in peace|rip)\b"
)
_EN_NOW = re.compile(r"\b(?:now|right now|still|again|help|urgent(?:ly)?|please hurry|asap)\b")
_EN_DANGER = re.compile(
    r"\b(?:fire|burning|smoke|smell(?:s|ing)? (?:of )?gas|gas (?:leak|smell)|explosion|"
    r"collaps\w*|cracks? in the (?:wall|ceiling|building)|flood\w*|drown\w*|swept away|"
    r"trapped|stuck in (?:the |an )?(?:lift|elevator)|(?:lift|elevator) (?:is )?stuck|"
    r"unconscious|passed out|fainted|not breathing|bleeding|heart attack|stroke|overdose|"
    r"(?:is|are|was) dying|kill (?:myself|himself|herself)|suicid\w*|end (?:my|his|her) life|"
    r"refused to (?:admit|hospitali[sz]e|treat|help)|"
    r"seizure|poison\w*|carbon monoxide|"
    r"missing (?:child|kid|boy|girl|son|daughter|person|since)|(?:went|is|has gone) missing|"
    r"attack\w*|stabb\w*|knife|gun|shoot\w*|beat(?:en|ing) (?:up|me|her|him|them|us|a)|"
    r"threaten\w*|kidnap\w*|assault\w*|rap(?:e|ed)|"
    r"evict\w*|thrown out|demolish\w* (?:our|my|the house)|"
    r"live wire|exposed wires?|(?:power line|wire)s? (?:down|on the ground)|open manhole|"
    r"icicles?|ice (?:falling|hanging)|falling (?:ice|snow)|"
    r"(?:no|without) (?:heating|heat)\b[^.!?]{0,40}(?:baby|babies|child|children|kids|"
    r"elderly|grandm\w*|grandf\w*|freez\w*)|freezing (?:at home|in (?:the|our) (?:flat|house|"
    r"apartment))|ambulance (?:has(?:n't| not) (?:come|arrived)|is not coming|never came|"
    r"(?:still )?not here)|no ambulance|"
    r"(?:police|ambulance|rescuers?) (?:do|does|did)(?:n't| not) (?:come|answer|respond)|"
    r"(?:bitten|bit) by (?:a )?(?:dog|snake)|stray dogs? (?:attack\w*|bit\w*|chas\w*))"
)


def is_urgent_english(clean: str) -> bool:
    """``clean``: the normalised English comment (lower case, Latin)."""
    text = _EN_IDIOMS.sub(" ", clean)
    if _EN_DANGER.search(text) is None:
        return False
    return _EN_NOT_NOW.search(text) is None or _EN_NOW.search(text) is not None
