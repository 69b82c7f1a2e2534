"""The command line's help texts in Kazakh and Russian, keyed by the English text
written beside each option and command (`qulaq/cli/*.py`). The help formatter
(`qulaq.cli.argparse_i18n`) looks each up when it prints help; an English text with
no entry here is printed as written, and a test lists it."""

from __future__ import annotations

HELP: dict[str, dict[str, str]] = {
    "Social-media listening and crisis communication for government press offices in Kazakhstan.": {
        "ru": (
            "Мониторинг соцсетей и антикризисные коммуникации для пресс-служб государственных "
            "органов Казахстана."
        ),
        "kk": (
            "Қазақстандағы мемлекеттік органдардың баспасөз қызметтеріне арналған әлеуметтік "
            "желілер мониторингі және дағдарыстық коммуникация."
        ),
    },
    "show program's version number and exit": {
        "ru": "показать номер версии программы и выйти",
        "kk": "бағдарлама нұсқасының нөмірін көрсету және шығу",
    },
    "log progress to stderr": {
        "ru": "выводить ход работы в stderr",
        "kk": "жұмыс барысын stderr ағынына жазу",
    },
    "publish the events of a JSONL file into the bus": {
        "ru": "опубликовать в шину события из файла JSONL",
        "kk": "JSONL файлындағы оқиғаларды шинаға жариялау",
    },
    "run every stage: scoring, signals, playbooks, storage": {
        "ru": "запустить все этапы: оценку, сигналы, сценарии, хранение",
        "kk": "барлық кезеңді іске қосу: бағалау, сигналдар, сценарийлер, сақтау",
    },
    "counts of what is stored": {
        "ru": "количество сохранённых данных",
        "kk": "сақталған деректердің саны",
    },
    "lines and messages kept in quarantine": {
        "ru": "строки и сообщения в карантине",
        "kk": "карантиндегі жолдар мен хабарламалар",
    },
    "comment understanding on a CSV file": {
        "ru": "анализ комментариев из файла CSV",
        "kk": "CSV файлындағы пікірлерді талдау",
    },
    "online spike detection over a timestamp,value series": {
        "ru": "онлайн-обнаружение всплесков в ряде timestamp,value",
        "kk": "timestamp,value қатарындағы күрт өсулерді онлайн анықтау",
    },
    "the agency registry": {
        "ru": "реестр ведомств",
        "kk": "мекемелер тізілімі",
    },
    "per-agency figures: volume, tone, aggression, replies": {
        "ru": "показатели по ведомствам: объём, тон, агрессия, ответы",
        "kk": "мекемелер бойынша көрсеткіштер: көлем, көңіл-күй, агрессия, жауаптар",
    },
    "run one platform's collector": {
        "ru": "запустить сборщик одной платформы",
        "kk": "бір платформаның жинағышын іске қосу",
    },
    "the collectors' health per account": {
        "ru": "состояние сборщиков по аккаунтам",
        "kk": "аккаунттар бойынша жинағыштардың күйі",
    },
    "receive Facebook, Instagram and VK Callback API events": {
        "ru": "принимать события Callback API от Facebook, Instagram и VK",
        "kk": "Facebook, Instagram және VK жіберетін Callback API оқиғаларын қабылдау",
    },
    "alerts raised by the signals, open or closed": {
        "ru": "оповещения модуля сигналов, открытые и закрытые",
        "kk": "сигналдар модулі жасаған дабылдар, ашық және жабық",
    },
    "incidents: related alerts grouped, with a 24-hour clock": {
        "ru": "инциденты: связанные оповещения, собранные вместе, с 24-часовым отсчётом",
        "kk": "инциденттер: топтастырылған байланысты дабылдар, 24 сағаттық кері санақпен",
    },
    "reputation risk per agency (0-100) and the regional map": {
        "ru": "репутационный риск ведомств (0-100) и карта регионов",
        "kk": "мекемелердің беделге қатысты тәуекелі (0-100) және өңірлер картасы",
    },
    "anti-crisis playbooks: runs, steps, reports, drills": {
        "ru": "антикризисные сценарии: запуски, шаги, отчёты, учения",
        "kk": "дағдарысқа қарсы сценарийлер: орындалуы, қадамдар, есептер, оқу-жаттығулар",
    },
    "serve the Streamlit dashboard": {
        "ru": "запустить дашборд Streamlit",
        "kk": "Streamlit дашбордын іске қосу",
    },
    "dashboard users: add, list, remove, passwd": {
        "ru": "пользователи дашборда: add, list, remove, passwd",
        "kk": "дашборд пайдаланушылары: add, list, remove, passwd",
    },
    "remove raw personal data older than retention.raw_days": {
        "ru": "удалить исходные персональные данные старше retention.raw_days",
        "kk": "retention.raw_days мерзімінен ескі бастапқы жеке деректерді жою",
    },
    "'max' (default) or N for N× real time": {
        "ru": "'max' (по умолчанию) или N — скорость N× от реального времени",
        "kk": "'max' (әдепкі) немесе N — нақты уақыттан N× жылдамдық",
    },
    "print the counts as JSON": {
        "ru": "вывести счётчики в JSON",
        "kk": "сандарды JSON түрінде шығару",
    },
    "exit once every published event is processed": {
        "ru": "выйти, когда все опубликованные события обработаны",
        "kk": "жарияланған барлық оқиға өңделгенде шығу",
    },
    "on Kafka: run one stage only (scale out with replicas)": {
        "ru": "с Kafka: запустить только один этап (масштабирование репликами)",
        "kk": "Kafka кезінде: тек бір кезеңді іске қосу (репликалар арқылы масштабтау)",
    },
    "events per batch (default: 5000 embedded, 2000 per Kafka stage)": {
        "ru": "событий в пакете (по умолчанию: 5000 во встроенном режиме, 2000 на этап Kafka)",
        "kk": "бір топтамадағы оқиғалар саны (әдепкі: ішкі режимде 5000, Kafka кезеңіне 2000)",
    },
    "print a JSON object": {
        "ru": "вывести объект JSON",
        "kk": "JSON объектісін шығару",
    },
    "list quarantined lines with their reasons": {
        "ru": "показать строки в карантине с причинами",
        "kk": "карантиндегі жолдарды себептерімен көрсету",
    },
    "add label, probabilities, language and aggression": {
        "ru": "добавить метку, вероятности, язык и агрессию",
        "kk": "белгіні, ықтималдықтарды, тілді және агрессияны қосу",
    },
    "list agencies and their accounts": {
        "ru": "список ведомств и их аккаунтов",
        "kk": "мекемелер мен олардың аккаунттарының тізімі",
    },
    "only this type (ministry, city_akimat, …); repeatable": {
        "ru": "только этот тип (ministry, city_akimat, …); можно повторять",
        "kk": "тек осы түр (ministry, city_akimat, …); қайталауға болады",
    },
    "only comments from this time (ISO 8601)": {
        "ru": "только комментарии с этого времени (ISO 8601)",
        "kk": "тек осы уақыттан бергі пікірлер (ISO 8601)",
    },
    "only comments before this time": {
        "ru": "только комментарии до этого времени",
        "kk": "тек осы уақытқа дейінгі пікірлер",
    },
    "a VK wall (QULAQ_VK_TOKEN)": {
        "ru": "стена VK (QULAQ_VK_TOKEN)",
        "kk": "VK қабырғасы (QULAQ_VK_TOKEN)",
    },
    "a Facebook Page (QULAQ_FB_TOKEN)": {
        "ru": "страница Facebook (QULAQ_FB_TOKEN)",
        "kk": "Facebook парақшасы (QULAQ_FB_TOKEN)",
    },
    "an Instagram professional account (QULAQ_IG_TOKEN) or a public one": {
        "ru": "профессиональный аккаунт Instagram (QULAQ_IG_TOKEN) или публичный",
        "kk": "Instagram кәсіби аккаунты (QULAQ_IG_TOKEN) немесе ашық аккаунт",
    },
    "a Telegram channel and its discussion group, or public chats (listening)": {
        "ru": "канал Telegram и его группа обсуждения или публичные чаты (мониторинг)",
        "kk": "Telegram арнасы мен оның талқылау тобы немесе ашық чаттар (мониторинг)",
    },
    "replies to and mentions of an X account (QULAQ_X_BEARER_TOKEN)": {
        "ru": "ответы и упоминания аккаунта X (QULAQ_X_BEARER_TOKEN)",
        "kk": "X аккаунтына жауаптар мен оны атаған жазбалар (QULAQ_X_BEARER_TOKEN)",
    },
    "comments on a YouTube channel's videos (QULAQ_YOUTUBE_KEY)": {
        "ru": "комментарии к видео канала YouTube (QULAQ_YOUTUBE_KEY)",
        "kk": "YouTube арнасындағы бейнелерге жазылған пікірлер (QULAQ_YOUTUBE_KEY)",
    },
    "one pass, then exit": {
        "ru": "один проход, затем выход",
        "kk": "бір айналым, содан кейін шығу",
    },
    "send API requests to this server instead (an http:// or https:// URL)": {
        "ru": (
            "отправлять запросы API на этот сервер вместо стандартного (URL http:// или https://)"
        ),
        "kk": (
            "API сұрауларын әдепкі сервердің орнына осы серверге жіберу (http:// немесе https:// "
            "URL)"
        ),
    },
    "first pass: look back to this date (default: everything the platform shows)": {
        "ru": (
            "первый проход: собрать всё назад до этой даты (по умолчанию: всё, что показывает "
            "платформа)"
        ),
        "kk": (
            "бірінші айналым: осы күнге дейін артқа қарай жинау (әдепкі: платформа көрсететіннің "
            "бәрі)"
        ),
    },
    "re-read posts this many days old for late comments, edits, deletions (default 7)": {
        "ru": (
            "перечитывать посты за столько последних дней ради поздних комментариев, правок, "
            "удалений (по умолчанию 7)"
        ),
        "kk": (
            "кеш жазылған пікірлерді, түзетулерді, жоюларды табу үшін соңғы осынша күндегі "
            "жазбаларды қайта оқу (әдепкі 7)"
        ),
    },
    "live mode: seconds between passes (default 300)": {
        "ru": "непрерывный режим: пауза между проходами в секундах (по умолчанию 300)",
        "kk": "үздіксіз режим: айналымдар арасындағы үзіліс, секундпен (әдепкі 300)",
    },
    "give a pass up when the platform asks to wait longer than this, in seconds (default 900)": {
        "ru": (
            "прервать проход, если платформа просит ждать дольше этого, в секундах (по умолчанию "
            "900)"
        ),
        "kk": "платформа осыдан ұзақ күтуді сұраса, айналымды тоқтату, секундпен (әдепкі 900)",
    },
    "requests per second (default: the platform's limit)": {
        "ru": "запросов в секунду (по умолчанию: лимит платформы)",
        "kk": "секундына сұраулар саны (әдепкі: платформаның шегі)",
    },
    "seconds to wait for one answer of the platform before retrying (default 30)": {
        "ru": "сколько секунд ждать ответа платформы перед повторной попыткой (по умолчанию 30)",
        "kk": "қайталау алдында платформаның бір жауабын неше секунд күту (әдепкі 30)",
    },
    "print each pass's counts as JSON": {
        "ru": "выводить счётчики каждого прохода в JSON",
        "kk": "әр айналымның сандарын JSON түрінде шығару",
    },
    "the wall's owner id: negative for a community (-123), positive for a person": {
        "ru": "id владельца стены: отрицательный для сообщества (-123), положительный для человека",
        "kk": "қабырға иесінің id-і: қауымдастық үшін теріс (-123), адам үшін оң",
    },
    "between passes, follow live comment events by Bots Long Poll (community token)": {
        "ru": "между проходами получать новые комментарии через Bots Long Poll (токен сообщества)",
        "kk": (
            "айналымдар арасында жаңа пікірлерді Bots Long Poll арқылы қадағалау (қауымдастық "
            "токені)"
        ),
    },
    "the Page's id (numeric) or username": {
        "ru": "id страницы (числовой) или её имя пользователя",
        "kk": "парақшаның id-і (сандық) немесе пайдаланушы аты",
    },
    "Graph API: the Instagram professional account's id (QULAQ_IG_TOKEN)": {
        "ru": "Graph API: id профессионального аккаунта Instagram (QULAQ_IG_TOKEN)",
        "kk": "Graph API: Instagram кәсіби аккаунтының id-і (QULAQ_IG_TOKEN)",
    },
    "instaloader: a public profile's username": {
        "ru": "instaloader: имя пользователя публичного профиля",
        "kk": "instaloader: ашық профильдің пайдаланушы аты",
    },
    "instaloader: the username whose saved session to use": {
        "ru": "instaloader: имя пользователя, чей сохранённый сеанс использовать",
        "kk": "instaloader: сақталған сеансы қолданылатын пайдаланушы аты",
    },
    "instaloader: the saved session file": {
        "ru": "instaloader: файл сохранённого сеанса",
        "kk": "instaloader: сақталған сеанс файлы",
    },
    "the agency's channel (username); its discussion group too": {
        "ru": "канал ведомства (имя пользователя); а также его группа обсуждения",
        "kk": "мекеменің арнасы (пайдаланушы аты); оның талқылау тобы да",
    },
    "a public channel or chat to read for agency mentions (repeatable)": {
        "ru": "публичный канал или чат, где искать упоминания ведомств (можно повторять)",
        "kk": "мекемелердің аталуын іздейтін ашық арна не чат (қайталауға болады)",
    },
    "log the session in interactively, then exit": {
        "ru": "интерактивно войти в сеанс, затем выйти",
        "kk": "сеансқа интерактивті түрде кіру, содан кейін шығу",
    },
    "the agency's X handle (without @)": {
        "ru": "имя ведомства в X (без @)",
        "kk": "мекеменің X желісіндегі аты (@ белгісінсіз)",
    },
    "the channel id (UC…)": {
        "ru": "id канала (UC…)",
        "kk": "арнаның id-і (UC…)",
    },
    "last success, errors, lag and metrics per account": {
        "ru": "последний успех, ошибки, отставание и метрики по аккаунтам",
        "kk": "аккаунттар бойынша соңғы сәтті жинау, қателер, кешігу және метрикалар",
    },
    "print a JSON array": {
        "ru": "вывести массив JSON",
        "kk": "JSON массивін шығару",
    },
    "serve the webhook endpoints": {
        "ru": "запустить точки приёма вебхуков",
        "kk": "вебхук қабылдау нүктелерін іске қосу",
    },
    "address to listen on (default 127.0.0.1)": {
        "ru": "адрес для прослушивания (по умолчанию 127.0.0.1)",
        "kk": "тыңдалатын мекенжай (әдепкі 127.0.0.1)",
    },
    "port (default 8088)": {
        "ru": "порт (по умолчанию 8088)",
        "kk": "порт (әдепкі 8088)",
    },
    "every alert, open or closed": {
        "ru": "все оповещения, открытые и закрытые",
        "kk": "барлық дабылдар, ашық және жабық",
    },
    "one alert in full: top comments, terms, evidence": {
        "ru": "одно оповещение полностью: главные комментарии, слова, обоснование",
        "kk": "бір дабыл толығымен: басты пікірлер, сөздер, дәлелдер",
    },
    "only this agency": {
        "ru": "только это ведомство",
        "kk": "тек осы мекеме",
    },
    "only this kind (volume_spike, negativity_spike, …)": {
        "ru": "только этот вид (volume_spike, negativity_spike, …)",
        "kk": "тек осы түр (volume_spike, negativity_spike, …)",
    },
    "incidents, newest last": {
        "ru": "инциденты, новые в конце",
        "kk": "инциденттер, ең жаңасы соңында",
    },
    "acknowledge: someone is handling it": {
        "ru": "подтвердить: инцидентом уже занимаются",
        "kk": "растау: инцидентпен айналысып жатыр",
    },
    "resolve: handled": {
        "ru": "отметить решённым: инцидент отработан",
        "kk": "шешілді деп белгілеу: инцидент реттелді",
    },
    "give the incident an owner": {
        "ru": "назначить ответственного за инцидент",
        "kk": "инцидентке жауапты тағайындау",
    },
    "who (default: the current user)": {
        "ru": "кто (по умолчанию: текущий пользователь)",
        "kk": "кім (әдепкі: ағымдағы пайдаланушы)",
    },
    "how it was resolved": {
        "ru": "как решён",
        "kk": "қалай шешілді",
    },
    "who assigns (default: the current user)": {
        "ru": "кто назначает (по умолчанию: текущий пользователь)",
        "kk": "кім тағайындайды (әдепкі: ағымдағы пайдаланушы)",
    },
    "evaluate at this past event time (ISO 8601)": {
        "ru": "рассчитать на этот прошедший момент по времени событий (ISO 8601)",
        "kk": "оқиғалар уақыты бойынша өткендегі осы сәтке есептеу (ISO 8601)",
    },
    "the regional map: territory × topic": {
        "ru": "карта регионов: территория × тема",
        "kk": "өңірлер картасы: аумақ × тақырып",
    },
    "playbook runs and their steps": {
        "ru": "запуски сценариев и их шаги",
        "kk": "сценарийлердің орындалуы және олардың қадамдары",
    },
    "one run with its audit log": {
        "ru": "один запуск с журналом действий",
        "kk": "бір орындалу және оның әрекеттер журналы",
    },
    "acknowledge a step": {
        "ru": "принять шаг",
        "kk": "қадамды қабылдау",
    },
    "mark a step done": {
        "ru": "отметить шаг выполненным",
        "kk": "қадамды орындалды деп белгілеу",
    },
    "skip a step (say why with --note)": {
        "ru": "пропустить шаг (причину укажите в --note)",
        "kk": "қадамды өткізіп жіберу (себебін --note арқылы жазыңыз)",
    },
    "escalate a step to the next role": {
        "ru": "эскалировать шаг на следующую роль",
        "kk": "қадамды келесі рөлге жоғары жіберу",
    },
    "cancel a run (a false alarm)": {
        "ru": "отменить запуск (ложная тревога)",
        "kk": "орындалуды тоқтату (жалған дабыл)",
    },
    "start a run by hand (a complaint taken up)": {
        "ru": "запустить сценарий вручную (жалоба принята в работу)",
        "kk": "сценарийді қолмен іске қосу (шағым жұмысқа алынды)",
    },
    "start a drill: a run marked as an exercise, notifications included": {
        "ru": "начать учения: запуск с пометкой учебного, уведомления тоже рассылаются",
        "kk": "оқу-жаттығуды бастау: жаттығу деп белгіленген орындалу, хабарламалар да жіберіледі",
    },
    "the playbooks this deployment runs": {
        "ru": "сценарии, которые работают в этой установке",
        "kk": "осы орнатылымда жұмыс істейтін сценарийлер",
    },
    "check playbook files (default: every loaded one)": {
        "ru": "проверить файлы сценариев (по умолчанию: все загруженные)",
        "kk": "сценарий файлдарын тексеру (әдепкі: жүктелгендердің бәрі)",
    },
    "the manager's report: timeline, late steps, answer times": {
        "ru": "отчёт для руководителя: хронология, просроченные шаги, время ответа",
        "kk": "басшыға арналған есеп: хронология, кешіккен қадамдар, жауап уақыты",
    },
    "deliver notifications, read Telegram commands, run timers": {
        "ru": "доставлять уведомления, принимать команды из Telegram, отрабатывать таймеры",
        "kk": "хабарламаларды жеткізу, Telegram командаларын оқу, таймерлерді өңдеу",
    },
    "queued and sent notifications": {
        "ru": "уведомления в очереди и отправленные",
        "kk": "кезектегі және жіберілген хабарламалар",
    },
    "the anti-crisis plan filled in for one agency (Markdown)": {
        "ru": "антикризисный план, заполненный для одного ведомства (Markdown)",
        "kk": "бір мекеме үшін толтырылған дағдарысқа қарсы жоспар (Markdown)",
    },
    "the daily digest of a press office": {
        "ru": "ежедневная сводка для пресс-службы",
        "kk": "баспасөз қызметіне арналған күнделікті шолу",
    },
    "the weekly report for managers (PDF, Kazakh or Russian)": {
        "ru": "еженедельный отчёт для руководства (PDF, на казахском или русском)",
        "kk": "басшылыққа арналған апталық есеп (PDF, қазақша не орысша)",
    },
    "system health: collectors, tokens, lag, disk, deliveries": {
        "ru": "состояние системы: сборщики, токены, отставание, диск, доставка",
        "kk": "жүйе күйі: жинағыштар, токендер, кешігу, диск, жеткізу",
    },
    "who does it (roster id or name)": {
        "ru": "кто выполняет (id или имя из списка дежурных)",
        "kk": "кім орындайды (кезекшілер тізіміндегі id немесе аты)",
    },
    "when it happened, if not now (ISO 8601)": {
        "ru": "когда это произошло, если не сейчас (ISO 8601)",
        "kk": "қашан болды, егер қазір болмаса (ISO 8601)",
    },
    "what it is about: a comment id, a letter number": {
        "ru": "к чему относится: id комментария, номер письма",
        "kk": "неге қатысты: пікірдің id-і, хаттың нөмірі",
    },
    "default: the one the scenario's alert would start": {
        "ru": "по умолчанию: сценарий, который запустило бы оповещение вводной",
        "kk": "әдепкі: жағдаят дабылы іске қосатын сценарий",
    },
    "a scenario id: its agency, topic and description": {
        "ru": "id вводной: её ведомство, тема и описание",
        "kk": "жағдаяттың id-і: оның мекемесі, тақырыбы және сипаттамасы",
    },
    'a JSON list of scenarios with an "id" each (default: the bundled demo scenarios)': {
        "ru": (
            'JSON-список вводных, у каждой "id" (по умолчанию: встроенные демонстрационные вводные)'
        ),
        "kk": (
            'әрқайсысында "id" бар жағдаяттардың JSON тізімі (әдепкі: кірістірілген демо '
            "жағдаяттар)"
        ),
    },
    "one round, then exit": {
        "ru": "один цикл, затем выход",
        "kk": "бір цикл, содан кейін шығу",
    },
    "at most N (default 50)": {
        "ru": "не больше N (по умолчанию 50)",
        "kk": "ең көбі N (әдепкі 50)",
    },
    "the day, YYYY-MM-DD (default: yesterday)": {
        "ru": "день, YYYY-MM-DD (по умолчанию: вчера)",
        "kk": "күн, YYYY-MM-DD (әдепкі: кеше)",
    },
    "queue it for the agency's press office": {
        "ru": "поставить в очередь для пресс-службы ведомства",
        "kk": "мекеменің баспасөз қызметіне жіберу кезегіне қою",
    },
    "a day of the week to report, YYYY-MM-DD (default: last week)": {
        "ru": "любой день отчётной недели, YYYY-MM-DD (по умолчанию: прошлая неделя)",
        "kk": "есеп аптасының кез келген күні, YYYY-MM-DD (әдепкі: өткен апта)",
    },
    "queue the findings for the sysadmin role": {
        "ru": "поставить найденные проблемы в очередь для роли sysadmin",
        "kk": "табылған мәселелерді sysadmin рөліне жіберу кезегіне қою",
    },
    "TCP port (default 8501)": {
        "ru": "TCP-порт (по умолчанию 8501)",
        "kk": "TCP порты (әдепкі 8501)",
    },
    "address to listen on (default 127.0.0.1; others need a configured user)": {
        "ru": (
            "адрес для прослушивания (по умолчанию 127.0.0.1; для других нужен заведённый "
            "пользователь)"
        ),
        "kk": (
            "тыңдалатын мекенжай (әдепкі 127.0.0.1; басқасы үшін пайдаланушы қосылған болуы керек)"
        ),
    },
    (
        "add a user; the password is asked for, or read from $QULAQ_USER_PASSWORD or (with "
        "--password-stdin) from standard input"
    ): {
        "ru": (
            "добавить пользователя; пароль запрашивается или читается из $QULAQ_USER_PASSWORD либо "
            "(с --password-stdin) со стандартного ввода"
        ),
        "kk": (
            "пайдаланушы қосу; құпиясөз сұралады не $QULAQ_USER_PASSWORD ішінен, не "
            "(--password-stdin берілсе) стандартты кірістен оқылады"
        ),
    },
    "list users": {
        "ru": "список пользователей",
        "kk": "пайдаланушылар тізімі",
    },
    "remove a user and close their sessions": {
        "ru": "удалить пользователя и закрыть его сеансы",
        "kk": "пайдаланушыны жою және оның сеанстарын жабу",
    },
    "set a user's password": {
        "ru": "задать пароль пользователя",
        "kk": "пайдаланушының құпиясөзін орнату",
    },
    "an agency the user works for (repeat; '*' for all); bodies below it come along": {
        "ru": (
            "ведомство, в котором работает пользователь (можно повторять; '*' — все); "
            "подведомственные органы включаются"
        ),
        "kk": (
            "пайдаланушы жұмыс істейтін мекеме (қайталауға болады; '*' — барлығы); оған бағынысты "
            "органдар да қосылады"
        ),
    },
    (
        "blank comment texts, authors, links, version texts, quoted comments and raw quarantined "
        "lines older than retention.raw_days; counts and alerts stay"
    ): {
        "ru": (
            "очистить тексты комментариев, авторов, ссылки, тексты в истории правок, цитируемые "
            "комментарии и исходные строки в карантине старше retention.raw_days; счётчики и "
            "оповещения остаются"
        ),
        "kk": (
            "retention.raw_days мерзімінен ескі пікір мәтіндерін, авторларды, сілтемелерді, "
            "түзетулер тарихындағы мәтіндерді, келтірілген пікірлерді және карантиндегі бастапқы "
            "жолдарды тазарту; жиынтық сандар мен дабылдар сақталады"
        ),
    },
    "only count what would go": {
        "ru": "только подсчитать, что будет удалено",
        "kk": "тек жойылатынын санау",
    },
    "keep N days instead of retention.raw_days (for this run)": {
        "ru": "хранить N дней вместо retention.raw_days (для этого запуска)",
        "kk": "retention.raw_days орнына N күн сақтау (осы іске қосу үшін)",
    },
    # the shared help of options added without one (`qulaq.cli.OPTION_HELP`)
    "the agency's id (see qulaq agencies list)": {
        "ru": "id ведомства (см. qulaq agencies list)",
        "kk": "мекеменің id-і (qulaq agencies list қараңыз)",
    },
    "triage class, which sets the answer deadline (default %(default)s)": {
        "ru": "класс обращения, от него зависит срок ответа (по умолчанию %(default)s)",
        "kk": "өтініш сыныбы, жауап мерзімі соған байланысты (әдепкі %(default)s)",
    },
    "the name shown on the dashboard": {
        "ru": "имя, которое показывает дашборд",
        "kk": "дашбордта көрсетілетін аты",
    },
    "md (Markdown) or csv (default %(default)s)": {
        "ru": "md (Markdown) или csv (по умолчанию %(default)s)",
        "kk": "md (Markdown) немесе csv (әдепкі %(default)s)",
    },
    "count drill runs too": {
        "ru": "учитывать и учения",
        "kk": "оқу-жаттығуларды да есептеу",
    },
    "the file to read": {
        "ru": "файл для чтения",
        "kk": "оқылатын файл",
    },
    "print JSON": {
        "ru": "вывести JSON",
        "kk": "JSON шығару",
    },
    "the document's language": {
        "ru": "язык документа",
        "kk": "құжаттың тілі",
    },
    "at most N (default %(default)s)": {
        "ru": "не больше N (по умолчанию %(default)s)",
        "kk": "ең көбі N (әдепкі %(default)s)",
    },
    "only alerts of at least this severity (default %(default)s)": {
        "ru": "только оповещения не ниже этой тяжести (по умолчанию %(default)s)",
        "kk": "тек осы ауырлықтан төмен емес дабылдар (әдепкі %(default)s)",
    },
    "a note for the run's log": {
        "ru": "примечание для журнала запуска",
        "kk": "орындалу журналына ескертпе",
    },
    "the file to write": {
        "ru": "файл для записи",
        "kk": "жазылатын файл",
    },
    "read the password from standard input": {
        "ru": "прочитать пароль со стандартного ввода",
        "kk": "құпиясөзді стандартты енгізуден оқу",
    },
    "what the user may do": {
        "ru": "что пользователю разрешено",
        "kk": "пайдаланушыға не рұқсат етілген",
    },
    "severity from 1 to 4 (default %(default)s)": {
        "ru": "тяжесть от 1 до 4 (по умолчанию %(default)s)",
        "kk": "ауырлығы 1-ден 4-ке дейін (әдепкі %(default)s)",
    },
    "from this day or time (ISO 8601)": {
        "ru": "с этого дня или момента (ISO 8601)",
        "kk": "осы күннен не сәттен бастап (ISO 8601)",
    },
    "up to this day or time (ISO 8601)": {
        "ru": "до этого дня или момента (ISO 8601)",
        "kk": "осы күнге не сәтке дейін (ISO 8601)",
    },
    "only in this state": {
        "ru": "только в этом состоянии",
        "kk": "тек осы күйдегілер",
    },
    "what happened, in a sentence": {
        "ru": "что произошло, одним предложением",
        "kk": "не болғаны, бір сөйлеммен",
    },
    "the CSV column that holds the comment text": {
        "ru": "столбец CSV с текстом комментария",
        "kk": "пікір мәтіні бар CSV бағаны",
    },
    "a JSONL file of comment events (plain or gzip)": {
        "ru": "файл JSONL с событиями комментариев (обычный или gzip)",
        "kk": "пікір оқиғалары бар JSONL файлы (кәдімгі не gzip)",
    },
    "playbook or plan files (YAML)": {
        "ru": "файлы сценариев или планов (YAML)",
        "kk": "сценарий не жоспар файлдары (YAML)",
    },
    "the id the listing shows": {
        "ru": "id, как его показывает список",
        "kk": "тізімде көрсетілген id",
    },
    "the user's login name": {
        "ru": "имя пользователя для входа",
        "kk": "пайдаланушының кіру аты",
    },
    "who takes it on (a user or a name)": {
        "ru": "кто берёт в работу (пользователь или имя)",
        "kk": "кім қолға алады (пайдаланушы не аты)",
    },
    "the playbook's id (see qulaq playbooks list)": {
        "ru": "id сценария (см. qulaq playbooks list)",
        "kk": "сценарийдің id-і (qulaq playbooks list қараңыз)",
    },
    "the run's id (see qulaq playbooks runs)": {
        "ru": "id запуска (см. qulaq playbooks runs)",
        "kk": "орындалудың id-і (qulaq playbooks runs қараңыз)",
    },
    "the step's id (see qulaq playbooks show RUN)": {
        "ru": "id шага (см. qulaq playbooks show RUN)",
        "kk": "қадамның id-і (qulaq playbooks show RUN қараңыз)",
    },
}
