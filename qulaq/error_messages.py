"""The sentences of `UserError.t` in English, Russian and Kazakh, registered with `qulaq.i18n`.

One place for the errors a press officer or an operator meets most: input files,
times and dates, unknown ids, QULAQ_HOME, the database and Kafka. Parameters (file
names, ids, line numbers, what a library said) are put in as given; `os.*` are the
reasons an OS error gives, used as `Phrase` parameters.
"""

from __future__ import annotations

from qulaq.i18n import register

# the start of each sentence about a drill's scenario file
_SCENARIOS_EN = 'scenario file {path} must be a JSON list of scenarios with an "id" each'
_SCENARIOS_RU = 'файл вводных {path} должен быть списком JSON из вводных, у каждой из них есть "id"'
_SCENARIOS_KK = '{path} жаттығу карталары файлы әрқайсысында "id" бар JSON тізімі болуы керек'

MESSAGES: dict[str, dict[str, str]] = {
    # -- reasons a file operation fails (Phrase parameters) --------------------
    "os.enoent": {
        "en": "no such file or directory",
        "ru": "нет такого файла или каталога",
        "kk": "мұндай файл немесе каталог жоқ",
    },
    "os.eacces": {"en": "permission denied", "ru": "доступ запрещён", "kk": "рұқсат жоқ"},
    "os.eperm": {
        "en": "operation not permitted",
        "ru": "операция не разрешена",
        "kk": "әрекетке рұқсат жоқ",
    },
    "os.enotdir": {"en": "not a directory", "ru": "не каталог", "kk": "каталог емес"},
    "os.eisdir": {"en": "is a directory", "ru": "это каталог", "kk": "бұл каталог"},
    "os.erofs": {
        "en": "read-only file system",
        "ru": "файловая система только для чтения",
        "kk": "файлдық жүйе тек оқуға арналған",
    },
    "os.enametoolong": {
        "en": "file name too long",
        "ru": "слишком длинное имя файла",
        "kk": "файл атауы тым ұзын",
    },
    "os.eaddrinuse": {
        "en": "address already in use",
        "ru": "адрес уже используется",
        "kk": "мекенжай қолданылып жатыр",
    },
    "os.eaddrnotavail": {
        "en": "cannot assign requested address",
        "ru": "не удаётся назначить запрошенный адрес",
        "kk": "сұралған мекенжайды тағайындау мүмкін емес",
    },
    # -- QULAQ_HOME ------------------------------------------------------------
    "home.unusable": {
        "en": "QULAQ_HOME {home} cannot be used: {reason}",
        "ru": "QULAQ_HOME {home} нельзя использовать: {reason}",
        "kk": "QULAQ_HOME {home} қолдану мүмкін емес: {reason}",
    },
    "home.not_dir": {
        "en": "QULAQ_HOME {home} is not a directory",
        "ru": "QULAQ_HOME {home} — не каталог",
        "kk": "QULAQ_HOME {home} каталог емес",
    },
    "home.cannot_create": {
        "en": "QULAQ_HOME {home} cannot be created: {reason}",
        "ru": "не удаётся создать QULAQ_HOME {home}: {reason}",
        "kk": "QULAQ_HOME {home} жасау мүмкін емес: {reason}",
    },
    "home.not_writable": {
        "en": "QULAQ_HOME {home} is not writable: {reason}",
        "ru": "в QULAQ_HOME {home} нельзя записывать: {reason}",
        "kk": "QULAQ_HOME {home} ішіне жазу мүмкін емес: {reason}",
    },
    # -- input files -------------------------------------------------------------
    "file.not_found": {
        "en": "{path}: no such file",
        "ru": "{path}: нет такого файла",
        "kk": "{path}: мұндай файл жоқ",
    },
    "file.is_dir_jsonl": {
        "en": "{path} is a directory, not a JSONL file",
        "ru": "{path} — это каталог, а не файл JSONL",
        "kk": "{path} — JSONL файлы емес, каталог",
    },
    "file.is_dir_csv": {
        "en": "{path} is a directory, not a CSV file",
        "ru": "{path} — это каталог, а не файл CSV",
        "kk": "{path} — CSV файлы емес, каталог",
    },
    "file.cannot_read": {
        "en": "cannot read {path}: {reason}",
        "ru": "не удаётся прочитать {path}: {reason}",
        "kk": "{path} файлын оқу мүмкін емес: {reason}",
    },
    "file.unreadable": {
        "en": "{path}: cannot read: {reason}",
        "ru": "{path}: не удаётся прочитать: {reason}",
        "kk": "{path}: оқу мүмкін емес: {reason}",
    },
    "replay.read_stopped": {
        "en": "{path}: reading stopped after line {line}: {reason}; what was read is "
        "published, replaying the file again is safe",
        "ru": "{path}: чтение остановлено после строки {line}: {reason}; прочитанное "
        "опубликовано, воспроизвести файл снова безопасно",
        "kk": "{path}: оқу {line}-жолдан кейін тоқтады: {reason}; оқылғаны жарияланды, "
        "файлды қайта ойнату қауіпсіз",
    },
    "replay.bad_speed": {
        "en": "--speed must be 'max' or a positive number, not {value!r}",
        "ru": "--speed должен быть 'max' или положительным числом, а не {value!r}",
        "kk": "--speed мәні 'max' немесе оң сан болуы керек, {value!r} емес",
    },
    "analysis.output_is_input": {
        "en": "--output must not be the --input file",
        "ru": "--output не должен совпадать с файлом --input",
        "kk": "--output файлы --input файлымен бірдей болмауы керек",
    },
    "analysis.no_output_dir": {
        "en": "{path}: no such directory for --output",
        "ru": "{path}: нет такого каталога для --output",
        "kk": "{path}: --output үшін мұндай каталог жоқ",
    },
    "csv.not_found": {
        "en": "input file not found: {path}",
        "ru": "входной файл не найден: {path}",
        "kk": "кіріс файлы табылмады: {path}",
    },
    "csv.empty": {
        "en": "input file is empty: {path}",
        "ru": "входной файл пуст: {path}",
        "kk": "кіріс файлы бос: {path}",
    },
    "csv.no_column": {
        "en": "column {column!r} not in {file} (columns: {columns})",
        "ru": "в {file} нет столбца {column!r} (столбцы: {columns})",
        "kk": "{file} ішінде {column!r} бағаны жоқ (бағандар: {columns})",
    },
    "csv.too_many_fields": {
        "en": "{file}: line {line} has {fields} fields, the header has {width}: quote values "
        "that contain commas",
        "ru": "{file}: в строке {line} полей {fields}, а в заголовке {width}: заключите в "
        "кавычки значения, содержащие запятые",
        "kk": "{file}: {line}-жолда {fields} өріс, тақырып жолында {width}: үтірі бар "
        "мәндерді тырнақшаға алыңыз",
    },
    "csv.not_text": {
        "en": "{file} is not {encoding} text (line {line}): save it as UTF-8 CSV",
        "ru": "{file} — не текст в кодировке {encoding} (строка {line}): сохраните его как "
        "CSV в кодировке UTF-8",
        "kk": "{file} — {encoding} мәтіні емес ({line}-жол): оны UTF-8 кодтауындағы CSV "
        "ретінде сақтаңыз",
    },
    "csv.unreadable": {
        "en": "{file} is not a readable CSV file (line {line}): {reason}",
        "ru": "{file} — нечитаемый файл CSV (строка {line}): {reason}",
        "kk": "{file} — оқылмайтын CSV файлы ({line}-жол): {reason}",
    },
    "csv.duplicate_column": {
        "en": "{file}: the header names column {column!r} twice; give each column its own name",
        "ru": "{file}: в заголовке столбец {column!r} назван дважды; дайте каждому столбцу "
        "своё имя",
        "kk": "{file}: тақырып жолында {column!r} бағаны екі рет аталған; әр бағанға өз "
        "атын беріңіз",
    },
    "csv.column_renamed": {
        "en": "{file}: input column {column!r} is written as {renamed!r}: the output's "
        "{column!r} is qulaq's analysis",
        "ru": "{file}: входной столбец {column!r} записан как {renamed!r}: столбец "
        "{column!r} в результате — анализ qulaq",
        "kk": "{file}: кіріс {column!r} бағаны {renamed!r} деп жазылды: нәтижедегі "
        "{column!r} бағаны — qulaq талдауы",
    },
    "series.not_csv": {
        "en": "{path}: not a readable CSV file: {reason}",
        "ru": "{path}: нечитаемый файл CSV: {reason}",
        "kk": "{path}: оқылмайтын CSV файлы: {reason}",
    },
    "series.empty": {
        "en": "{path}: the file is empty; expected a header 'timestamp,value'",
        "ru": "{path}: файл пуст; ожидался заголовок 'timestamp,value'",
        "kk": "{path}: файл бос; 'timestamp,value' тақырып жолы күтілген",
    },
    "series.missing_column": {
        "en": "{path}: missing column {column!r} (the header has: {header})",
        "ru": "{path}: нет столбца {column!r} (в заголовке: {header})",
        "kk": "{path}: {column!r} бағаны жоқ (тақырып жолында: {header})",
    },
    "series.missing_columns": {
        "en": "{path}: missing column 'timestamp' and 'value' (the header has: {header})",
        "ru": "{path}: нет столбцов 'timestamp' и 'value' (в заголовке: {header})",
        "kk": "{path}: 'timestamp' және 'value' бағандары жоқ (тақырып жолында: {header})",
    },
    "series.empty_header": {"en": "nothing", "ru": "ничего", "kk": "ештеңе"},
    "series.short_row": {
        "en": "{path}: line {line}: expected at least {width} fields, found {found}",
        "ru": "{path}: строка {line}: ожидалось не менее {width} полей, найдено {found}",
        "kk": "{path}: {line}-жол: кемінде {width} өріс күтілген, {found} табылды",
    },
    "series.bad_timestamp": {
        "en": "{path}: line {line}: cannot parse timestamp {stamp!r} (expected ISO 8601, "
        "e.g. 2026-01-05T10:15:00+05:00 or 2026-01-05 10:15:00)",
        "ru": "{path}: строка {line}: не удаётся разобрать время {stamp!r} (ожидается "
        "ISO 8601, например 2026-01-05T10:15:00+05:00 или 2026-01-05 10:15:00)",
        "kk": "{path}: {line}-жол: {stamp!r} уақытын тану мүмкін емес (ISO 8601 күтіледі, "
        "мысалы 2026-01-05T10:15:00+05:00 немесе 2026-01-05 10:15:00)",
    },
    "series.bad_value": {
        "en": "{path}: line {line}: value {value!r} is not a number",
        "ru": "{path}: строка {line}: значение {value!r} — не число",
        "kk": "{path}: {line}-жол: {value!r} мәні сан емес",
    },
    "series.not_finite": {
        "en": "{path}: line {line}: value {value!r} is not a finite number",
        "ru": "{path}: строка {line}: значение {value!r} — не конечное число",
        "kk": "{path}: {line}-жол: {value!r} мәні шектеулі сан емес",
    },
    "series.unreadable_line": {
        "en": "{path}: line {line}: unreadable: {reason}",
        "ru": "{path}: строка {line}: не читается: {reason}",
        "kk": "{path}: {line}-жол: оқылмайды: {reason}",
    },
    "registry.bad_yaml": {
        "en": "{path}: not valid YAML: {problem}",
        "ru": "{path}: недопустимый YAML: {problem}",
        "kk": "{path}: жарамсыз YAML: {problem}",
    },
    "registry.bad_yaml_line": {
        "en": "{path}: line {line}: not valid YAML: {problem}",
        "ru": "{path}: строка {line}: недопустимый YAML: {problem}",
        "kk": "{path}: {line}-жол: жарамсыз YAML: {problem}",
    },
    # -- output files ------------------------------------------------------------
    "output.is_dir": {
        "en": "{path} is a directory, not a file",
        "ru": "{path} — это каталог, а не файл",
        "kk": "{path} — файл емес, каталог",
    },
    "output.cannot_write": {
        "en": "{path}: cannot write: {reason}",
        "ru": "{path}: не удаётся записать: {reason}",
        "kk": "{path}: жазу мүмкін емес: {reason}",
    },
    "output.is_state": {
        "en": "{path} is one of qulaq's own files ({what}); writing there would destroy "
        "it: choose another output file",
        "ru": "{path} — служебный файл qulaq ({what}); запись туда его уничтожит: "
        "выберите другой файл для результата",
        "kk": "{path} — qulaq-тың қызметтік файлы ({what}); оған жазу оны бүлдіреді: "
        "нәтиже үшін басқа файл таңдаңыз",
    },
    # what that file is (Phrase parameters)
    "state.database": {"en": "the database", "ru": "база данных", "kk": "дерекқор"},
    "state.secrets": {
        "en": "the secrets file, with the pseudonymisation key",
        "ru": "файл секретов с ключом псевдонимизации",
        "kk": "бүркеншік ат кілті бар құпиялар файлы",
    },
    "state.bus": {"en": "the embedded bus", "ru": "встроенная шина", "kk": "кірістірілген шина"},
    "state.log": {"en": "a log", "ru": "журнал", "kk": "журнал файлы"},
    "state.lock": {"en": "a lock file", "ru": "файл блокировки", "kk": "құлып файлы"},
    "state.config": {
        "en": "the configuration file",
        "ru": "файл настроек",
        "kk": "баптаулар файлы",
    },
    "state.corrections": {
        "en": "the label corrections",
        "ru": "исправления разметки",
        "kk": "белгі түзетулері",
    },
    "state.session": {
        "en": "a collector's session",
        "ru": "сеанс сборщика",
        "kk": "жинаушы сеансы",
    },
    # -- times and dates ---------------------------------------------------------
    "time.out_of_range": {
        "en": "{flag} {value!r} is out of range",
        "ru": "{flag} {value!r} вне допустимого диапазона",
        "kk": "{flag} {value!r} рұқсат етілген ауқымнан тыс",
    },
    "time.not_iso": {
        "en": "{flag} {value!r} is not an ISO 8601 time",
        "ru": "{flag} {value!r} — не время в формате ISO 8601",
        "kk": "{flag} {value!r} — ISO 8601 пішіміндегі уақыт емес",
    },
    "time.not_after": {
        "en": "--until {until!r} is not after --since {since!r}",
        "ru": "--until {until!r} должно быть позже --since {since!r}",
        "kk": "--until {until!r} мәні --since {since!r} мәнінен кейін болуы керек",
    },
    "time.not_date": {
        "en": "{value!r} is not a date YYYY-MM-DD",
        "ru": "{value!r} — не дата вида ГГГГ-ММ-ДД",
        "kk": "{value!r} — ЖЖЖЖ-АА-КК түріндегі күн емес",
    },
    "time.in_future": {
        "en": "{flag} {value} is in the future (it is {now} now)",
        "ru": "{flag} {value} — время в будущем (сейчас {now})",
        "kk": "{flag} {value} — болашақтағы уақыт (қазір {now})",
    },
    # -- ids: alerts, incidents, playbook runs, dashboard users ----------------
    "alert.unknown": {
        "en": "no alert {id!r}; see 'qulaq alerts list'",
        "ru": "нет сигнала {id!r}; см. 'qulaq alerts list'",
        "kk": "{id!r} дабылы жоқ; 'qulaq alerts list' қараңыз",
    },
    "alert.unknown_kind": {
        "en": "no alert kind {kind!r}; known: {known}",
        "ru": "нет вида сигналов {kind!r}; известные: {known}",
        "kk": "{kind!r} дабыл түрі жоқ; белгілілері: {known}",
    },
    "incident.unknown": {
        "en": "no incident {id!r}; see 'qulaq incidents list'",
        "ru": "нет инцидента {id!r}; см. 'qulaq incidents list'",
        "kk": "{id!r} инциденті жоқ; 'qulaq incidents list' қараңыз",
    },
    "incident.resolved": {
        "en": "incident {id} is already resolved",
        "ru": "инцидент {id} уже закрыт",
        "kk": "{id} инциденті шешіліп қойған",
    },
    "playbook_run.unknown": {
        "en": "no playbook run {id!r}",
        "ru": "нет запуска сценария {id!r}",
        "kk": "{id!r} сценарийінің орындалуы жоқ",
    },
    "playbook_run.unknown_see": {
        "en": "no playbook run {id!r}; see qulaq playbooks runs",
        "ru": "нет запуска сценария {id!r}; см. 'qulaq playbooks runs'",
        "kk": "{id!r} сценарийінің орындалуы жоқ; 'qulaq playbooks runs' қараңыз",
    },
    "playbook_run.exists": {
        "en": "a run for {reference!r} already exists",
        "ru": "сценарий для {reference!r} уже запущен",
        "kk": "{reference!r} үшін сценарий іске қосылып қойған",
    },
    "playbook.no_plan_template": {
        "en": "no anti-crisis plan template is loaded",
        "ru": "шаблон антикризисного плана не загружен",
        "kk": "дағдарысқа қарсы жоспар үлгісі жүктелмеген",
    },
    "user.bad_name": {
        "en": "user name {name!r} must be 1-64 characters: letters a-z, digits, '.', '_', "
        "'-' or '@'",
        "ru": "имя пользователя {name!r} должно содержать от 1 до 64 символов: буквы a-z, "
        "цифры, '.', '_', '-' или '@'",
        "kk": "{name!r} пайдаланушы атында 1-ден 64-ке дейін таңба болуы керек: a-z "
        "әріптері, цифрлар, '.', '_', '-' немесе '@'",
    },
    "user.blank_password": {
        "en": "a password cannot be empty or only spaces",
        "ru": "пароль не может быть пустым или состоять только из пробелов",
        "kk": "құпиясөз бос немесе тек бос орындардан тұра алмайды",
    },
    "user.short_password": {
        "en": "a password needs at least {n} characters",
        "ru": "пароль должен содержать не менее {n} символов",
        "kk": "құпиясөзде кемінде {n} таңба болуы керек",
    },
    "user.bad_role": {
        "en": "role {role!r} is not one of {roles}",
        "ru": "роль {role!r} не входит в список: {roles}",
        "kk": "{role!r} рөлі мыналардың бірі емес: {roles}",
    },
    "user.unknown_agency": {
        "en": "agency {agency!r} is not in the registry",
        "ru": "ведомства {agency!r} нет в реестре",
        "kk": "{agency!r} мекемесі тізілімде жоқ",
    },
    "user.no_agency": {
        "en": "give the agencies this user works for (--agency ID, or --agency '*')",
        "ru": "укажите ведомства, с которыми работает пользователь (--agency ID или --agency '*')",
        "kk": "пайдаланушы жұмыс істейтін мекемелерді көрсетіңіз (--agency ID немесе --agency '*')",
    },
    "user.exists": {
        "en": "user {name!r} exists already; use `qulaq users passwd` to change it",
        "ru": "пользователь {name!r} уже существует; изменить его: `qulaq users passwd`",
        "kk": "{name!r} пайдаланушысы бар; оны өзгерту үшін: `qulaq users passwd`",
    },
    "user.unknown": {
        "en": "no user {name!r}",
        "ru": "нет пользователя {name!r}",
        "kk": "{name!r} пайдаланушысы жоқ",
    },
    # -- the database, the bus, the runtime --------------------------------------
    "db.cannot_open": {
        "en": "cannot open the database {url}: {reason}",
        "ru": "не удаётся открыть базу данных {url}: {reason}",
        "kk": "{url} дерекқорын ашу мүмкін емес: {reason}",
    },
    "db.newer_schema": {
        "en": "the database {url} has schema revision {revisions}, which this version of "
        "Qulaq does not know: a newer version wrote it; upgrade Qulaq",
        "ru": "в базе данных {url} ревизия схемы {revisions}, которую эта версия Qulaq не "
        "знает: её записала более новая версия; обновите Qulaq",
        "kk": "{url} дерекқорындағы сұлба нұсқасы {revisions} Qulaq-тың бұл нұсқасына "
        "белгісіз: оны жаңарақ нұсқа жазған; Qulaq-ты жаңартыңыз",
    },
    "db.bad_url": {
        "en": "the database URL (QULAQ_DATABASE_URL or database_url) is not usable: {reason}",
        "ru": "адрес базы данных (QULAQ_DATABASE_URL или database_url) непригоден: {reason}",
        "kk": "дерекқор мекенжайы (QULAQ_DATABASE_URL немесе database_url) жарамсыз: {reason}",
    },
    "db.port_not_number": {
        "en": "its port is not a number",
        "ru": "порт — не число",
        "kk": "порты сан емес",
    },
    "db.unsupported": {
        "en": "the database URL (QULAQ_DATABASE_URL or database_url) names a database Qulaq "
        "does not support ({name}): use sqlite:///PATH or "
        "postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME",
        "ru": "адрес базы данных (QULAQ_DATABASE_URL или database_url) указывает на СУБД, "
        "которую Qulaq не поддерживает ({name}): укажите sqlite:///PATH или "
        "postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME",
        "kk": "дерекқор мекенжайы (QULAQ_DATABASE_URL немесе database_url) Qulaq қолдамайтын "
        "дерекқорды көрсетеді ({name}): sqlite:///PATH немесе "
        "postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME көрсетіңіз",
    },
    "db.unreachable": {
        "en": "the database {url} is unreachable ({reason}); what was stored is kept: run "
        "again once it is back",
        "ru": "база данных {url} недоступна ({reason}); сохранённое не потеряно: запустите "
        "снова, когда она станет доступна",
        "kk": "{url} дерекқоры қолжетімсіз ({reason}); сақталғаны жоғалған жоқ: ол "
        "қолжетімді болғанда қайта іске қосыңыз",
    },
    "kafka.unreachable": {
        "en": "cannot reach Kafka at {servers} ({error}); is the broker running? (make kafka)",
        "ru": "не удаётся связаться с Kafka по адресу {servers} ({error}); брокер запущен? "
        "(make kafka)",
        "kk": "{servers} мекенжайындағы Kafka-ға қосылу мүмкін емес ({error}); брокер іске "
        "қосылған ба? (make kafka)",
    },
    "run.stage_needs_kafka": {
        "en": "--stage needs the Kafka bus (QULAQ_BUS=kafka://…); the embedded runtime runs "
        "every stage together",
        "ru": "для --stage нужна шина Kafka (QULAQ_BUS=kafka://…); встроенная среда выполняет "
        "все этапы вместе",
        "kk": "--stage үшін Kafka шинасы керек (QULAQ_BUS=kafka://…); кіріктірілген орта "
        "барлық кезеңдерді бірге орындайды",
    },
    "run.already_running": {
        "en": "qulaq run is already processing this QULAQ_HOME (pid {holder}); stop it first "
        "or use another QULAQ_HOME",
        "ru": "qulaq run уже обрабатывает этот QULAQ_HOME (pid {holder}); сначала остановите "
        "его или укажите другой QULAQ_HOME",
        "kk": "qulaq run осы QULAQ_HOME каталогын өңдеп жатыр (pid {holder}); алдымен оны "
        "тоқтатыңыз немесе басқа QULAQ_HOME көрсетіңіз",
    },
    "run.another_process": {
        "en": "another process",
        "ru": "другой процесс",
        "kk": "басқа процесс",
    },
    "secrets.short_pseudonym_key": {
        "en": "the pseudonymisation key ({env}, or {name} in secrets.toml) must be at least "
        "16 bytes",
        "ru": "ключ псевдонимизации ({env} или {name} в secrets.toml) должен быть не короче "
        "16 байт",
        "kk": "бүркеншік ат кілті ({env} немесе secrets.toml ішіндегі {name}) кемінде 16 "
        "байт болуы керек",
    },
    # -- values given on the command line ----------------------------------------
    "arg.empty_name": {
        "en": "a name is needed, not an empty one",
        "ru": "нужно имя, а не пустая строка",
        "kk": "атын көрсету керек, бос мән жарамайды",
    },
    "arg.not_whole_number": {
        "en": "{value!r} is not a whole number",
        "ru": "{value!r} — не целое число",
        "kk": "{value!r} — бүтін сан емес",
    },
    "arg.not_positive_whole": {
        "en": "{value} must be a positive whole number",
        "ru": "значение {value} должно быть целым положительным числом",
        "kk": "{value} мәні оң бүтін сан болуы керек",
    },
    "arg.too_large": {
        "en": "{value} is too large: at most {most}",
        "ru": "значение {value} слишком велико: не больше {most}",
        "kk": "{value} мәні тым үлкен: ең көбі {most}",
    },
    "time.value_out_of_range": {
        "en": "{value!r} is out of range",
        "ru": "{value!r} вне допустимого диапазона",
        "kk": "{value!r} рұқсат етілген ауқымнан тыс",
    },
    "time.not_date_or_time": {
        "en": "{value!r} is not a date or time (ISO 8601)",
        "ru": "{value!r} — не дата и не время (ISO 8601)",
        "kk": "{value!r} — күн де, уақыт та емес (ISO 8601)",
    },
    "agency.unknown": {
        "en": "agency {agency!r} is not in the registry; see 'qulaq agencies list'",
        "ru": "ведомства {agency!r} нет в реестре; см. 'qulaq agencies list'",
        "kk": "{agency!r} мекемесі тізілімде жоқ; 'qulaq agencies list' қараңыз",
    },
    "agency.unknown_type": {
        "en": "no agency type {type!r}; known: {known}",
        "ru": "нет типа ведомств {type!r}; известные: {known}",
        "kk": "{type!r} мекеме түрі жоқ; белгілілері: {known}",
    },
    # -- playbooks: runs, steps, drills ----------------------------------------
    "playbook.unknown": {
        "en": "no playbook {id!r}; known: {known}",
        "ru": "нет сценария {id!r}; известные: {known}",
        "kk": "{id!r} сценарийі жоқ; белгілілері: {known}",
    },
    "playbook.start_needs": {
        "en": "name a playbook and --agency, or a --scenario",
        "ru": "укажите сценарий и --agency или --scenario",
        "kk": "сценарий мен --agency мәнін немесе --scenario көрсетіңіз",
    },
    "playbook.report_until_before_since": {
        "en": "--until must come after --since",
        "ru": "--until должно быть позже --since",
        "kk": "--until мәні --since мәнінен кейін болуы керек",
    },
    "playbook.report_since_future": {
        "en": "--since {since} is in the future (it is {now} now): give a past --since",
        "ru": "--since {since} — время в будущем (сейчас {now}): укажите прошедшее --since",
        "kk": "--since {since} — болашақтағы уақыт (қазір {now}): өткен --since көрсетіңіз",
    },
    "playbook.no_step": {
        "en": "run {run} has no step {step!r}; its steps: {known}",
        "ru": "в запуске {run} нет шага {step!r}; его шаги: {known}",
        "kk": "{run} орындалуында {step!r} қадамы жоқ; оның қадамдары: {known}",
    },
    "playbook.bad_action": {
        "en": "{action!r} is not one of {actions}",
        "ru": "{action!r} не входит в список: {actions}",
        "kk": "{action!r} мыналардың бірі емес: {actions}",
    },
    "playbook.run_closed": {
        "en": "run {run} is {status}; its steps can no longer change",
        "ru": "запуск {run} {status}; его шаги больше нельзя изменить",
        "kk": "{run} орындалуы «{status}» күйінде; оның қадамдарын енді өзгерту мүмкін емес",
    },
    "playbook.run_already": {
        "en": "run {run} is already {status}",
        "ru": "запуск {run} уже {status}",
        "kk": "{run} орындалуы бұрыннан «{status}» күйінде",
    },
    "playbook.step_closed": {
        "en": "step {step} of run {run} is already {status}",
        "ru": "шаг {step} запуска {run} уже {status}",
        "kk": "{run} орындалуындағы {step} қадамы бұрыннан «{status}» күйінде",
    },
    "playbook.step_acknowledged": {
        "en": "step {step} was already acknowledged by {by}",
        "ru": "шаг {step} уже подтверждён: {by}",
        "kk": "{step} қадамын {by} бұрын растаған",
    },
    "playbook.at_before_start": {
        "en": "--at {at} is before run {run} started ({started})",
        "ru": "--at {at} раньше начала запуска {run} ({started})",
        "kk": "--at {at} мәні {run} орындалуы басталғаннан ({started}) бұрын",
    },
    "playbook.at_before_ack": {
        "en": "--at {at} is before step {step} was acknowledged ({acknowledged})",
        "ru": "--at {at} раньше, чем шаг {step} был подтверждён ({acknowledged})",
        "kk": "--at {at} мәні {step} қадамы расталғаннан ({acknowledged}) бұрын",
    },
    # a run's or a step's status in the sentences above (Phrase parameters)
    "playbook.status.active": {"en": "active", "ru": "активен", "kk": "белсенді"},
    "playbook.status.completed": {"en": "completed", "ru": "завершён", "kk": "аяқталды"},
    "playbook.status.cancelled": {"en": "cancelled", "ru": "отменён", "kk": "тоқтатылды"},
    "playbook.status.done": {"en": "done", "ru": "выполнен", "kk": "орындалды"},
    "playbook.status.skipped": {"en": "skipped", "ru": "пропущен", "kk": "өткізілді"},
    "playbook.status.not_applicable": {
        "en": "not applicable",
        "ru": "не требуется",
        "kk": "қажет емес",
    },
    # a drill's scenario card ("вводная" in Russian: "сценарий" is a playbook)
    "drill.unknown_scenario": {
        "en": "no scenario {id!r}; known: {known}",
        "ru": "нет вводной {id!r}; известные: {known}",
        "kk": "{id!r} жаттығу картасы жоқ; белгілілері: {known}",
    },
    "drill.scenario_no_agency": {
        "en": "scenario {id!r} names no agency: give --agency",
        "ru": "во вводной {id!r} не указано ведомство: укажите --agency",
        "kk": "{id!r} жаттығу картасында мекеме көрсетілмеген: --agency көрсетіңіз",
    },
    "drill.scenario_no_playbook": {
        "en": "scenario {id!r} starts no playbook: it is not a crisis",
        "ru": "вводная {id!r} не запускает ни одного сценария: это не кризис",
        "kk": "{id!r} жаттығу картасы ешбір сценарийді іске қоспайды: бұл дағдарыс емес",
    },
    "drill.scenarios_unreadable": {
        "en": "cannot read scenario file {path}: {reason}",
        "ru": "не удаётся прочитать файл вводных {path}: {reason}",
        "kk": "{path} жаттығу карталары файлын оқу мүмкін емес: {reason}",
    },
    "drill.scenarios_not_utf8": {
        "en": _SCENARIOS_EN + "; it is not UTF-8 text (byte {byte})",
        "ru": _SCENARIOS_RU + "; а он не в кодировке UTF-8 (байт {byte})",
        "kk": _SCENARIOS_KK + "; ол UTF-8 мәтіні емес ({byte}-байт)",
    },
    "drill.scenarios_not_json": {
        "en": _SCENARIOS_EN + "; it is not JSON: {problem} (line {line}, column {column})",
        "ru": _SCENARIOS_RU + "; а это не JSON: {problem} (строка {line}, столбец {column})",
        "kk": _SCENARIOS_KK + "; ол JSON емес: {problem} ({line}-жол, {column}-баған)",
    },
    "drill.scenarios_not_list": {
        "en": _SCENARIOS_EN + ", not a JSON {kind}",
        "ru": _SCENARIOS_RU + ", а не {kind}",
        "kk": _SCENARIOS_KK + ", {kind} емес",
    },
    "drill.scenario_not_object": {
        "en": _SCENARIOS_EN + ": entry {i} is a JSON {kind}",
        "ru": _SCENARIOS_RU + ": элемент {i} — {kind}",
        "kk": _SCENARIOS_KK + ": {i}-элемент — {kind}",
    },
    "drill.scenario_no_id": {
        "en": _SCENARIOS_EN + ': entry {i} has no "id"',
        "ru": _SCENARIOS_RU + ': у элемента {i} нет "id"',
        "kk": _SCENARIOS_KK + ': {i}-элементте "id" жоқ',
    },
    "drill.scenario_bad_id": {
        "en": _SCENARIOS_EN + ': entry {i} has an "id" that is not a name: {id!r}',
        "ru": _SCENARIOS_RU + ': у элемента {i} "id" — не имя: {id!r}',
        "kk": _SCENARIOS_KK + ': {i}-элементтің "id" мәні атау емес: {id!r}',
    },
    "drill.scenario_bad_field": {
        "en": 'scenario file {path}: entry {i} ({id!r}): "{field}" must be a string, '
        "not a JSON {kind}",
        "ru": 'файл вводных {path}: элемент {i} ({id!r}): "{field}" должно быть строкой, '
        "а не {kind}",
        "kk": '{path} жаттығу карталары файлы: {i}-элемент ({id!r}): "{field}" мәтін болуы '
        "керек, {kind} емес",
    },
    # what a JSON value is, in the sentences above (Phrase parameters)
    "json.object": {"en": "object", "ru": "объект JSON", "kk": "JSON объектісі"},
    "json.list": {"en": "list", "ru": "список JSON", "kk": "JSON тізімі"},
    "json.string": {"en": "string", "ru": "строка JSON", "kk": "JSON мәтіні"},
    "json.boolean": {
        "en": "boolean",
        "ru": "логическое значение JSON",
        "kk": "JSON логикалық мәні",
    },
    "json.null": {"en": "null", "ru": "значение null", "kk": "null мәні"},
    "json.number": {"en": "number", "ru": "число JSON", "kk": "JSON саны"},
    # -- the dashboard and its users ----------------------------------------------
    "dashboard.cannot_listen": {
        "en": "cannot listen on {host}:{port}: {reason}",
        "ru": "не удаётся принимать соединения на {host}:{port}: {reason}",
        "kk": "{host}:{port} мекенжайында қосылымдарды қабылдау мүмкін емес: {reason}",
    },
    "dashboard.bad_port": {
        "en": "--port {port} is not a TCP port",
        "ru": "--port {port} — не порт TCP",
        "kk": "--port {port} — TCP порты емес",
    },
    "dashboard.no_users_loopback_only": {
        "en": "no dashboard user is configured, so it serves only on 127.0.0.1, not {host}: "
        "add one with `qulaq users add NAME --role ROLE --agency ID`",
        "ru": "пользователи панели не заданы, поэтому она работает только на 127.0.0.1, а не "
        "на {host}: добавьте пользователя командой `qulaq users add NAME --role ROLE --agency ID`",
        "kk": "панель пайдаланушылары жоқ, сондықтан ол {host} емес, тек 127.0.0.1 "
        "мекенжайында жұмыс істейді: `qulaq users add NAME --role ROLE --agency ID` арқылы "
        "пайдаланушы қосыңыз",
    },
    "user.no_password_stdin": {
        "en": "no password on standard input",
        "ru": "на стандартном вводе нет пароля",
        "kk": "стандартты кірісте құпиясөз жоқ",
    },
    "user.password_how": {
        "en": "give the password at the prompt, in ${env} or --password-stdin",
        "ru": "введите пароль по запросу, в ${env} или через --password-stdin",
        "kk": "құпиясөзді сұрау кезінде, ${env} ішінде немесе --password-stdin арқылы беріңіз",
    },
    "user.passwords_differ": {
        "en": "the two passwords differ",
        "ru": "введённые пароли не совпадают",
        "kk": "енгізілген құпиясөздер сәйкес емес",
    },
    "work.bad_status": {
        "en": "status {status!r} is not one of {statuses}",
        "ru": "статус {status!r} не входит в список: {statuses}",
        "kk": "{status!r} күйі мыналардың бірі емес: {statuses}",
    },
    "work.redirect_needs_body": {
        "en": "say which body the comment was redirected to",
        "ru": "укажите ведомство, в которое перенаправлено обращение",
        "kk": "пікір жіберілген мекемені көрсетіңіз",
    },
    "work.bad_label": {
        "en": "{label!r} is not a {head} label",
        "ru": "{label!r} — не метка {head}",
        "kk": "{label!r} — {head} белгісі емес",
    },
    # a model head in "is not a … label" (Phrase parameters)
    "work.head.sentiment": {"en": "sentiment", "ru": "тональности", "kk": "көңіл-күй"},
    "work.head.aggression": {"en": "aggression", "ru": "агрессии", "kk": "агрессия"},
    "work.head.urgency": {"en": "urgency", "ru": "срочности", "kk": "шұғылдық"},
    # -- the config file, settings ------------------------------------------------
    "config.unreadable": {
        "en": "cannot read config file {path}: {reason}",
        "ru": "не удаётся прочитать файл конфигурации {path}: {reason}",
        "kk": "{path} конфигурация файлын оқу мүмкін емес: {reason}",
    },
    "config.invalid": {
        "en": "config file {path} is not valid: {problem}",
        "ru": "файл конфигурации {path} недопустим: {problem}",
        "kk": "{path} конфигурация файлы жарамсыз: {problem}",
    },
    "config.not_table": {
        "en": "config file {path} must hold a table of settings",
        "ru": "файл конфигурации {path} должен содержать таблицу настроек",
        "kk": "{path} конфигурация файлында баптаулар кестесі болуы керек",
    },
    "config.env_not_file": {
        "en": "QULAQ_CONFIG points at {path}, which is not a file",
        "ru": "QULAQ_CONFIG указывает на {path}, а это не файл",
        "kk": "QULAQ_CONFIG {path} жолын көрсетеді, бірақ ол файл емес",
    },
    "config.problem": {
        "en": "config file {path}: {problem}",
        "ru": "файл конфигурации {path}: {problem}",
        "kk": "{path} конфигурация файлы: {problem}",
    },
    "config.unknown_section": {
        "en": "unknown section [{section}]",
        "ru": "неизвестный раздел [{section}]",
        "kk": "белгісіз [{section}] бөлімі",
    },
    "config.unknown_key_in": {
        "en": "unknown key {name!r} in [{section}]",
        "ru": "неизвестный ключ {name!r} в разделе [{section}]",
        "kk": "[{section}] бөліміндегі белгісіз {name!r} кілті",
    },
    "config.unknown_key_top": {
        "en": "unknown key {name!r} at the top level",
        "ru": "неизвестный ключ {name!r} на верхнем уровне",
        "kk": "жоғарғы деңгейдегі белгісіз {name!r} кілті",
    },
    "config.hint_known": {
        "en": "{what} (known: {known})",
        "ru": "{what} (известные: {known})",
        "kk": "{what} (белгілілері: {known})",
    },
    "config.hint_key": {
        "en": "{what} (did you mean {name!r}?)",
        "ru": "{what} (возможно, имелся в виду {name!r}?)",
        "kk": "{what} ({name!r} болуы мүмкін бе?)",
    },
    "config.hint_section": {
        "en": "{what} (did you mean [{section}]?)",
        "ru": "{what} (возможно, имелся в виду [{section}]?)",
        "kk": "{what} ([{section}] болуы мүмкін бе?)",
    },
    "config.bad_bus": {
        "en": "QULAQ_BUS must be 'embedded' or 'kafka://HOST:PORT[,…]', not {bus!r}",
        "ru": "QULAQ_BUS должен быть 'embedded' или 'kafka://HOST:PORT[,…]', а не {bus!r}",
        "kk": "QULAQ_BUS мәні 'embedded' немесе 'kafka://HOST:PORT[,…]' болуы керек, {bus!r} емес",
    },
    "config.bus_no_server": {
        "en": "QULAQ_BUS names no Kafka server: use kafka://HOST:PORT",
        "ru": "в QULAQ_BUS не указан сервер Kafka: укажите kafka://HOST:PORT",
        "kk": "QULAQ_BUS ішінде Kafka сервері көрсетілмеген: kafka://HOST:PORT көрсетіңіз",
    },
    "config.bad_kafka_server": {
        "en": "QULAQ_BUS {bus!r}: {server!r} is not HOST:PORT with a port number 1–65535",
        "ru": "QULAQ_BUS {bus!r}: {server!r} — не HOST:PORT с номером порта 1–65535",
        "kk": "QULAQ_BUS {bus!r}: {server!r} — 1–65535 порт нөмірі бар HOST:PORT емес",
    },
    "config.bad_prefix": {
        "en": "QULAQ_KAFKA_PREFIX {prefix!r} may hold only letters, digits, '.', '_' and '-'",
        "ru": "QULAQ_KAFKA_PREFIX {prefix!r} может содержать только буквы, цифры, '.', '_' и '-'",
        "kk": "QULAQ_KAFKA_PREFIX {prefix!r} ішінде тек әріптер, цифрлар, '.', '_' және '-' "
        "болуы мүмкін",
    },
    "retention.not_table": {
        "en": "retention must be a table with raw_days, not {value!r}",
        "ru": "retention должен быть таблицей с raw_days, а не {value!r}",
        "kk": "retention мәні raw_days бар кесте болуы керек, {value!r} емес",
    },
    "setting.not_days": {
        "en": "{name} must be a number of days, not {value!r}",
        "ru": "{name} должен быть числом дней, а не {value!r}",
        "kk": "{name} мәні күндер саны болуы керек, {value!r} емес",
    },
    "setting.not_positive_days": {
        "en": "{name} must be a positive number of days, not {value!r}",
        "ru": "{name} должен быть положительным числом дней, а не {value!r}",
        "kk": "{name} мәні күндердің оң саны болуы керек, {value!r} емес",
    },
    "setting.too_many_days": {
        "en": "{name} must be at most {most} days, not {value!r}",
        "ru": "{name} должен быть не больше {most} дней, а не {value!r}",
        "kk": "{name} мәні ең көбі {most} күн болуы керек, {value!r} емес",
    },
    # -- the agency registry (YAML) -------------------------------------------------
    "registry.field": {
        "en": "{file}: {entry}: field '{field}': {problem}",
        "ru": "{file}: {entry}: поле '{field}': {problem}",
        "kk": "{file}: {entry}: '{field}' өрісі: {problem}",
    },
    "registry.entry.agency": {
        "en": "agency {id!r}",
        "ru": "ведомство {id!r}",
        "kk": "{id!r} мекемесі",
    },
    "registry.entry.region": {
        "en": "region {id!r}",
        "ru": "регион {id!r}",
        "kk": "{id!r} өңірі",
    },
    "registry.not_document": {
        "en": "{path}: must be a mapping with 'agencies' and/or 'regions'",
        "ru": "{path}: должен быть словарём с 'agencies' и/или 'regions'",
        "kk": "{path}: 'agencies' және/немесе 'regions' кілттері бар сөздік болуы керек",
    },
    "registry.unknown_top_key": {
        "en": "{path}: unknown top-level key {name!r}",
        "ru": "{path}: неизвестный ключ верхнего уровня {name!r}",
        "kk": "{path}: жоғарғы деңгейдегі белгісіз {name!r} кілті",
    },
    "registry.top_not_list": {
        "en": "{path}: {name!r} must be a list",
        "ru": "{path}: {name!r} должен быть списком",
        "kk": "{path}: {name!r} тізім болуы керек",
    },
    "registry.region_not_mapping": {
        "en": "{file}: regions[{index}]: must be a mapping",
        "ru": "{file}: regions[{index}]: должен быть словарём",
        "kk": "{file}: regions[{index}]: сөздік болуы керек",
    },
    "registry.agency_not_mapping": {
        "en": "{file}: agencies[{index}]: must be a mapping",
        "ru": "{file}: agencies[{index}]: должен быть словарём",
        "kk": "{file}: agencies[{index}]: сөздік болуы керек",
    },
    "registry.agency_bad_id": {
        "en": "{file}: agencies[{index}]: field 'id': {id!r} must be lower-case kebab-case",
        "ru": "{file}: agencies[{index}]: поле 'id': {id!r} должно быть строчными буквами "
        "через дефис (kebab-case)",
        "kk": "{file}: agencies[{index}]: 'id' өрісі: {id!r} кіші әріптермен, сызықша арқылы "
        "жазылуы керек (kebab-case)",
    },
    "registry.duplicate_id": {
        "en": "{file}: agency {id!r}: duplicate id in this file",
        "ru": "{file}: ведомство {id!r}: этот id в файле повторяется",
        "kk": "{file}: {id!r} мекемесі: бұл id файлда қайталанады",
    },
    # what is wrong with a field ({problem} in registry.field)
    "registry.non_empty_string": {
        "en": "must be a non-empty string",
        "ru": "должно быть непустой строкой",
        "kk": "бос емес мәтін болуы керек",
    },
    "registry.not_date": {
        "en": "must be a date YYYY-MM-DD, got {value!r}",
        "ru": "должно быть датой вида ГГГГ-ММ-ДД, а указано {value!r}",
        "kk": "ЖЖЖЖ-АА-КК түріндегі күн болуы керек, берілгені: {value!r}",
    },
    "registry.not_list": {
        "en": "must be a list",
        "ru": "должно быть списком",
        "kk": "тізім болуы керек",
    },
    "registry.not_mapping": {
        "en": "must be a mapping",
        "ru": "должно быть словарём",
        "kk": "сөздік болуы керек",
    },
    "registry.not_names": {
        "en": "must be a mapping with kk, ru and en",
        "ru": "должно быть словарём с kk, ru и en",
        "kk": "kk, ru және en кілттері бар сөздік болуы керек",
    },
    "registry.items_not_mappings": {
        "en": "each item must be a mapping",
        "ru": "каждый элемент должен быть словарём",
        "kk": "әр элемент сөздік болуы керек",
    },
    "registry.unknown_key": {
        "en": "unknown key",
        "ru": "неизвестный ключ",
        "kk": "белгісіз кілт",
    },
    "registry.unknown_key_named": {
        "en": "unknown key {name!r}",
        "ru": "неизвестный ключ {name!r}",
        "kk": "белгісіз {name!r} кілті",
    },
    "registry.missing": {"en": "missing", "ru": "отсутствует", "kk": "жоқ"},
    "registry.to_before_from": {
        "en": "'to' is before 'from'",
        "ru": "'to' раньше 'from'",
        "kk": "'to' мәні 'from' мәнінен бұрын",
    },
    "registry.not_bool": {
        "en": "must be true or false",
        "ru": "должно быть true или false",
        "kk": "true немесе false болуы керек",
    },
    "registry.not_count": {
        "en": "must be a non-negative integer",
        "ru": "должно быть неотрицательным целым числом",
        "kk": "теріс емес бүтін сан болуы керек",
    },
    "registry.not_kebab": {
        "en": "must be lower-case kebab-case",
        "ru": "должно быть строчными буквами через дефис (kebab-case)",
        "kk": "кіші әріптермен, сызықша арқылы жазылуы керек (kebab-case)",
    },
    "registry.not_centroid": {
        "en": "must be [lat, lon]",
        "ru": "должно быть [lat, lon] (широта, долгота)",
        "kk": "[lat, lon] (ендік, бойлық) болуы керек",
    },
    "registry.outside_kz": {
        "en": "[{lat}, {lon}] is outside Kazakhstan",
        "ru": "[{lat}, {lon}] — за пределами Казахстана",
        "kk": "[{lat}, {lon}] Қазақстаннан тыс",
    },
    "registry.not_iso": {
        "en": "{value!r} is not an ISO 3166-2:KZ code",
        "ru": "{value!r} — не код ISO 3166-2:KZ",
        "kk": "{value!r} — ISO 3166-2:KZ коды емес",
    },
    "registry.not_one_of": {
        "en": "{value!r} is not one of {choices}",
        "ru": "{value!r} не входит в список: {choices}",
        "kk": "{value!r} мыналардың бірі емес: {choices}",
    },
    "registry.unknown_topic": {
        "en": "{value!r} is not a known topic",
        "ru": "{value!r} — неизвестная тема",
        "kk": "{value!r} — белгісіз тақырып",
    },
    "registry.before_valid_from": {
        "en": "is before valid_from",
        "ru": "раньше valid_from",
        "kk": "valid_from мәнінен бұрын",
    },
    "registry.unknown_region": {
        "en": "unknown region {id!r}",
        "ru": "неизвестный регион {id!r}",
        "kk": "белгісіз {id!r} өңірі",
    },
    "registry.unknown_agency": {
        "en": "unknown agency {id!r}",
        "ru": "неизвестное ведомство {id!r}",
        "kk": "белгісіз {id!r} мекемесі",
    },
    "registry.ministry_region": {
        "en": "a ministry is national: region must be null",
        "ru": "министерство — общереспубликанский орган: region должен быть null",
        "kk": "министрлік — республикалық орган: region мәні null болуы керек",
    },
    "registry.local_needs_region": {
        "en": "a local body needs a region",
        "ru": "местному органу нужен регион",
        "kk": "жергілікті органға өңір керек",
    },
    "registry.own_parent": {
        "en": "an agency cannot be its own parent",
        "ru": "ведомство не может быть вышестоящим для самого себя",
        "kk": "мекеме өзіне өзі жоғары тұрған мекеме бола алмайды",
    },
    "registry.parent_cycle": {
        "en": "parents form a cycle",
        "ru": "вышестоящие ведомства образуют цикл",
        "kk": "жоғары тұрған мекемелер тұйық шеңбер құрайды",
    },
    "registry.successors_ended": {
        "en": "an agency with successors must have ended",
        "ru": "у ведомства с преемниками должна быть дата упразднения",
        "kk": "мұрагерлері бар мекеменің таратылу күні болуы керек",
    },
    "registry.not_predecessor": {
        "en": "{successor!r} does not list {agency!r} among its predecessors",
        "ru": "{successor!r} не указывает {agency!r} среди своих предшественников",
        "kk": "{successor!r} мекемесінің алдыңғылары арасында {agency!r} көрсетілмеген",
    },
    "registry.account_claimed": {
        "en": "{platform} account {account!r} is also claimed by {other!r} at the same time",
        "ru": "аккаунт {platform} {account!r} в то же время принадлежит и {other!r}",
        "kk": "{platform} {account!r} аккаунты сол уақытта {other!r} мекемесіне де тиесілі",
    },
    # -- collectors and retention on the command line ----------------------------
    "url.invalid": {
        "en": "{value!r} is not a URL",
        "ru": "{value!r} — не URL-адрес",
        "kk": "{value!r} — URL мекенжайы емес",
    },
    "url.not_http": {
        "en": "{value!r} must be an http:// or https:// URL",
        "ru": "{value!r} должен быть адресом http:// или https://",
        "kk": "{value!r} http:// немесе https:// мекенжайы болуы керек",
    },
    "url.no_host": {
        "en": "{value!r} names no host",
        "ru": "в {value!r} не указан хост",
        "kk": "{value!r} ішінде хост көрсетілмеген",
    },
    "arg.not_number": {
        "en": "{value!r} is not a number",
        "ru": "{value!r} — не число",
        "kk": "{value!r} — сан емес",
    },
    "arg.not_positive": {
        "en": "{value} must be positive",
        "ru": "значение {value} должно быть положительным",
        "kk": "{value} мәні оң болуы керек",
    },
    "arg.not_port": {
        "en": "{value!r} is not a port number",
        "ru": "{value!r} — не номер порта",
        "kk": "{value!r} — порт нөмірі емес",
    },
    "arg.port_out_of_range": {
        "en": "{value} is not a port number",
        "ru": "{value} — не номер порта (0–65535)",
        "kk": "{value} — порт нөмірі емес (0–65535)",
    },
    "arg.not_days": {
        "en": "{value!r} is not a number of days",
        "ru": "{value!r} — не число дней",
        "kk": "{value!r} — күндер саны емес",
    },
    "arg.not_positive_days": {
        "en": "{value!r} is not a positive number of days",
        "ru": "{value!r} — не положительное число дней",
        "kk": "{value!r} — күндердің оң саны емес",
    },
    "arg.too_many_days": {
        "en": "{value!r} is too many days: at most {most}",
        "ru": "{value!r} — слишком много дней: не больше {most}",
        "kk": "{value!r} — күндер тым көп: ең көбі {most}",
    },
    "collect.bad_since": {
        "en": "--since must be a date like 2026-01-31, not {value!r}",
        "ru": "--since должен быть датой вида 2026-01-31, а не {value!r}",
        "kk": "--since мәні 2026-01-31 түріндегі күн болуы керек, {value!r} емес",
    },
    "setting.not_number": {
        "en": "{name} must be a number",
        "ru": "{name} должен быть числом",
        "kk": "{name} мәні сан болуы керек",
    },
    "setting.not_positive": {
        "en": "{name} must be positive",
        "ru": "{name} должен быть положительным",
        "kk": "{name} мәні оң болуы керек",
    },
    "setting.problem": {
        "en": "{name}: {problem}",
        "ru": "параметр {name}: {problem}",
        "kk": "{name} баптауы: {problem}",
    },
    # -- the on-call roster ([oncall] in the config file) ------------------------
    "oncall.not_table": {
        "en": "config: oncall must be a table with people, roles and rotations",
        "ru": "конфигурация: oncall должен быть таблицей с people, roles и rotations",
        "kk": "конфигурация: oncall мәні people, roles және rotations бар кесте болуы керек",
    },
    "oncall.person_not_table": {
        "en": "config: oncall.people.{person} must be a table",
        "ru": "конфигурация: oncall.people.{person} должен быть таблицей",
        "kk": "конфигурация: oncall.people.{person} мәні кесте болуы керек",
    },
    "oncall.bad_lang": {
        "en": "config: oncall.people.{person}.lang must be kk, ru or en",
        "ru": "конфигурация: oncall.people.{person}.lang должен быть kk, ru или en",
        "kk": "конфигурация: oncall.people.{person}.lang мәні kk, ru немесе en болуы керек",
    },
    "oncall.bad_channel": {
        "en": "config: oncall.people.{person}.channels: {channel!r} is not one of {channels}",
        "ru": "конфигурация: oncall.people.{person}.channels: {channel!r} не входит в список: "
        "{channels}",
        "kk": "конфигурация: oncall.people.{person}.channels: {channel!r} мыналардың бірі "
        "емес: {channels}",
    },
    "oncall.role_not_mapping": {
        "en": "config: oncall.roles.{role} must map agencies to people",
        "ru": "конфигурация: oncall.roles.{role} должен сопоставлять ведомствам сотрудников",
        "kk": "конфигурация: oncall.roles.{role} мекемелерге қызметкерлерді сәйкестендіруі керек",
    },
    "oncall.role_no_person": {
        "en": "config: oncall.roles.{role}.{agency}: no person {person!r}",
        "ru": "конфигурация: oncall.roles.{role}.{agency}: нет сотрудника {person!r} в "
        "oncall.people",
        "kk": "конфигурация: oncall.roles.{role}.{agency}: oncall.people ішінде {person!r} "
        "қызметкері жоқ",
    },
    "oncall.rotation_no_person": {
        "en": "config: oncall.rotations[{index}]: no person {person!r}",
        "ru": "конфигурация: oncall.rotations[{index}]: нет сотрудника {person!r} в oncall.people",
        "kk": "конфигурация: oncall.rotations[{index}]: oncall.people ішінде {person!r} "
        "қызметкері жоқ",
    },
    "oncall.rotation_problem": {
        "en": "config: oncall.rotations[{index}]: {problem}",
        "ru": "конфигурация: oncall.rotations[{index}] (график дежурств): {problem}",
        "kk": "конфигурация: oncall.rotations[{index}] (кезекшілік кестесі): {problem}",
    },
    # what is wrong with a rotation ({problem} above; Phrase parameters)
    "oncall.no_start": {
        "en": "no 'start' time",
        "ru": "не указано время начала 'start'",
        "kk": "'start' басталу уақыты көрсетілмеген",
    },
    "oncall.bad_start": {
        "en": "start must be an ISO 8601 time with a UTC offset",
        "ru": "start должен быть временем ISO 8601 со смещением от UTC, например "
        "2026-03-02T09:00:00+05:00",
        "kk": "start мәні UTC-ден ығысуы көрсетілген ISO 8601 уақыты болуы керек, мысалы "
        "2026-03-02T09:00:00+05:00",
    },
    "oncall.bad_every": {
        "en": "every is not a duration like 7d or 12h",
        "ru": "every — не длительность вида 7d или 12h",
        "kk": "every мәні 7d немесе 12h түріндегі ұзақтық емес",
    },
    "oncall.every_not_clock": {
        "en": "config: oncall.rotations[{index}].every must be like 7d or 12h",
        "ru": "конфигурация: oncall.rotations[{index}].every должен быть вида 7d или 12h",
        "kk": "конфигурация: oncall.rotations[{index}].every мәні 7d немесе 12h түрінде "
        "болуы керек",
    },
    "oncall.section_not_table": {
        "en": "config: oncall.{section} must be a table",
        "ru": "конфигурация: oncall.{section} должен быть таблицей",
        "kk": "конфигурация: oncall.{section} мәні кесте болуы керек",
    },
    "oncall.not_list": {
        "en": "config: oncall.{section} must be a list",
        "ru": "конфигурация: oncall.{section} должен быть списком",
        "kk": "конфигурация: oncall.{section} мәні тізім болуы керек",
    },
    "oncall.rotation_not_table": {
        "en": "config: oncall.rotations[{index}] must be a table with role, people and start",
        "ru": "конфигурация: oncall.rotations[{index}] должен быть таблицей с role, people и start",
        "kk": "конфигурация: oncall.rotations[{index}] мәні role, people және start бар кесте "
        "болуы керек",
    },
    "oncall.rotation_no_role": {
        "en": "config: oncall.rotations[{index}]: no role",
        "ru": "конфигурация: oncall.rotations[{index}]: не указана роль role",
        "kk": "конфигурация: oncall.rotations[{index}]: role рөлі көрсетілмеген",
    },
    "oncall.fallback_no_person": {
        "en": "config: oncall.fallback: no person {person!r}",
        "ru": "конфигурация: oncall.fallback: нет сотрудника {person!r} в oncall.people",
        "kk": "конфигурация: oncall.fallback: oncall.people ішінде {person!r} қызметкері жоқ",
    },
    # -- alert channels ([channels]) and the weekly PDF ----------------------------
    "channels.not_table": {
        "en": "channels must be a table of channel settings, not {value!r}",
        "ru": "channels должен быть таблицей настроек каналов, а не {value!r}",
        "kk": "channels мәні арналар баптауларының кестесі болуы керек, {value!r} емес",
    },
    "channels.entry_not_table": {
        "en": "channels.{name} must be a table of settings, not {value!r}",
        "ru": "channels.{name} должен быть таблицей настроек, а не {value!r}",
        "kk": "channels.{name} мәні баптаулар кестесі болуы керек, {value!r} емес",
    },
    "channels.unusable": {
        "en": "channels.{name}: a setting is not usable: {problem}",
        "ru": "channels.{name}: настройка непригодна: {problem}",
        "kk": "channels.{name}: баптау жарамсыз: {problem}",
    },
    "playbook.no_pdf_font": {
        "en": "no Unicode font for the PDF: install fonts-dejavu-core, or name a TTF file "
        "with Kazakh letters in the playbooks.pdf_font option",
        "ru": "нет шрифта Unicode для PDF: установите fonts-dejavu-core или укажите в "
        "параметре playbooks.pdf_font файл TTF с казахскими буквами",
        "kk": "PDF үшін Unicode қарпі жоқ: fonts-dejavu-core орнатыңыз немесе "
        "playbooks.pdf_font баптауында қазақ әріптері бар TTF файлын көрсетіңіз",
    },
    # -- collectors: `qulaq collect PLATFORM` and the webhook receiver --------------
    "collect.vk_bad_owner": {
        "en": "--owner must be a numeric VK owner id (e.g. -123 for a community), not {value!r}",
        "ru": "--owner должен быть числовым id владельца стены VK (например, -123 для "
        "сообщества), а не {value!r}",
        "kk": "--owner мәні VK қабырғасы иесінің сандық id-і болуы керек (мысалы, "
        "қауымдастық үшін -123), {value!r} емес",
    },
    "collect.vk_owner_zero": {
        "en": "--owner must not be 0",
        "ru": "--owner не может быть равен 0",
        "kk": "--owner мәні 0 болмауы керек",
    },
    "collect.vk_no_token": {
        "en": "set QULAQ_VK_TOKEN to a VK access token (see collectors/vk/README.md)",
        "ru": "укажите в QULAQ_VK_TOKEN токен доступа VK (см. collectors/vk/README.md)",
        "kk": "QULAQ_VK_TOKEN ішінде VK қолжетімділік токенін көрсетіңіз "
        "(collectors/vk/README.md қараңыз)",
    },
    "collect.fb_bad_page": {
        "en": "--page must be a Page id or username, not {value!r}",
        "ru": "--page должен быть id или именем страницы Facebook, а не {value!r}",
        "kk": "--page мәні Facebook парақшасының id-і немесе аты болуы керек, {value!r} емес",
    },
    "collect.fb_no_token": {
        "en": "set QULAQ_FB_TOKEN to a Page access token (see collectors/facebook/README.md)",
        "ru": "укажите в QULAQ_FB_TOKEN токен доступа страницы Facebook (см. "
        "collectors/facebook/README.md)",
        "kk": "QULAQ_FB_TOKEN ішінде Facebook парақшасының қолжетімділік токенін көрсетіңіз "
        "(collectors/facebook/README.md қараңыз)",
    },
    "collect.ig_bad_user": {
        "en": "--user must be the numeric Instagram account id, not {value!r}",
        "ru": "--user должен быть числовым id аккаунта Instagram, а не {value!r}",
        "kk": "--user мәні Instagram аккаунтының сандық id-і болуы керек, {value!r} емес",
    },
    "collect.ig_no_token": {
        "en": "set QULAQ_IG_TOKEN to a token with instagram_basic and "
        "instagram_manage_comments (see collectors/instagram/README.md)",
        "ru": "укажите в QULAQ_IG_TOKEN токен с правами instagram_basic и "
        "instagram_manage_comments (см. collectors/instagram/README.md)",
        "kk": "QULAQ_IG_TOKEN ішінде instagram_basic және instagram_manage_comments "
        "құқықтары бар токенді көрсетіңіз (collectors/instagram/README.md қараңыз)",
    },
    "collect.ig_api_base": {
        "en": "--api-base applies to the Graph API (--user), not to instaloader",
        "ru": "--api-base относится к Graph API (--user), а не к instaloader",
        "kk": "--api-base instaloader үшін емес, Graph API (--user) үшін қолданылады",
    },
    "collect.tg_no_credentials": {
        "en": "set QULAQ_TELEGRAM_API_ID and QULAQ_TELEGRAM_API_HASH (from my.telegram.org, "
        "see collectors/telegram/README.md)",
        "ru": "укажите QULAQ_TELEGRAM_API_ID и QULAQ_TELEGRAM_API_HASH (их выдаёт "
        "my.telegram.org, см. collectors/telegram/README.md)",
        "kk": "QULAQ_TELEGRAM_API_ID және QULAQ_TELEGRAM_API_HASH көрсетіңіз (оларды "
        "my.telegram.org береді, collectors/telegram/README.md қараңыз)",
    },
    "collect.tg_bad_api_id": {
        "en": "QULAQ_TELEGRAM_API_ID must be a number",
        "ru": "QULAQ_TELEGRAM_API_ID должен быть числом",
        "kk": "QULAQ_TELEGRAM_API_ID мәні сан болуы керек",
    },
    "collect.tg_api_base": {
        "en": "--api-base does not apply to Telegram (MTProto, not HTTP)",
        "ru": "--api-base не относится к Telegram (MTProto, а не HTTP)",
        "kk": "--api-base Telegram үшін қолданылмайды (HTTP емес, MTProto)",
    },
    "collect.tg_nothing": {
        "en": "give --channel NAME, or --listen CHAT for listening",
        "ru": "укажите --channel NAME или --listen CHAT для прослушивания",
        "kk": "--channel NAME немесе тыңдау үшін --listen CHAT көрсетіңіз",
    },
    "collect.x_bad_user": {
        "en": "--user must be an X handle, not {value!r}",
        "ru": "--user должен быть именем аккаунта X, а не {value!r}",
        "kk": "--user мәні X аккаунтының аты болуы керек, {value!r} емес",
    },
    "collect.x_no_token": {
        "en": "set QULAQ_X_BEARER_TOKEN to an X API bearer token (see collectors/x/README.md)",
        "ru": "укажите в QULAQ_X_BEARER_TOKEN токен X API (bearer; см. collectors/x/README.md)",
        "kk": "QULAQ_X_BEARER_TOKEN ішінде X API токенін (bearer) көрсетіңіз "
        "(collectors/x/README.md қараңыз)",
    },
    "collect.yt_bad_channel": {
        "en": "--channel must be a channel id (UC and 22 characters), not {value!r}",
        "ru": "--channel должен быть id канала (UC и ещё 22 символа), а не {value!r}",
        "kk": "--channel мәні арна id-і болуы керек (UC және тағы 22 таңба), {value!r} емес",
    },
    "collect.yt_no_key": {
        "en": "set QULAQ_YOUTUBE_KEY to a YouTube Data API key (see collectors/youtube/README.md)",
        "ru": "укажите в QULAQ_YOUTUBE_KEY ключ YouTube Data API (см. "
        "collectors/youtube/README.md)",
        "kk": "QULAQ_YOUTUBE_KEY ішінде YouTube Data API кілтін көрсетіңіз "
        "(collectors/youtube/README.md қараңыз)",
    },
    "webhooks.no_secret": {
        "en": "no webhook secret is set: QULAQ_FB_APP_SECRET (Facebook, Instagram), "
        "QULAQ_IG_APP_SECRET, or QULAQ_VK_CALLBACK_SECRET / QULAQ_VK_CALLBACK_CONFIRMATION",
        "ru": "не задан секрет вебхуков: QULAQ_FB_APP_SECRET (Facebook, Instagram), "
        "QULAQ_IG_APP_SECRET или QULAQ_VK_CALLBACK_SECRET / QULAQ_VK_CALLBACK_CONFIRMATION",
        "kk": "вебхук құпиясы берілмеген: QULAQ_FB_APP_SECRET (Facebook, Instagram), "
        "QULAQ_IG_APP_SECRET немесе QULAQ_VK_CALLBACK_SECRET / QULAQ_VK_CALLBACK_CONFIRMATION",
    },
    "setting.not_number_value": {
        "en": "{name} must be a number, not {value!r}",
        "ru": "{name} должен быть числом, а не {value!r}",
        "kk": "{name} мәні сан болуы керек, {value!r} емес",
    },
    "setting.not_positive_value": {
        "en": "{name} must be positive, not {value!r}",
        "ru": "{name} должен быть положительным, а не {value!r}",
        "kk": "{name} мәні оң болуы керек, {value!r} емес",
    },
    "setting.not_zero_or_positive": {
        "en": "{name} must be zero or positive, not {value!r}",
        "ru": "{name} должен быть нулём или положительным числом, а не {value!r}",
        "kk": "{name} мәні нөл немесе оң сан болуы керек, {value!r} емес",
    },
    # -- the stream: the registry setting, the buses, the stages ---------------------
    "registry.bad_setting": {
        "en": "configuration: registry must be a file name or a list of file names, not {value!r}",
        "ru": "конфигурация: registry должен быть именем файла или списком имён файлов, а не "
        "{value!r}",
        "kk": "конфигурация: registry мәні файл атауы немесе файл атауларының тізімі болуы "
        "керек, {value!r} емес",
    },
    "embedded.bad_keep_days": {
        "en": "embedded.keep_days must be a number of days or false, not {value!r}",
        "ru": "embedded.keep_days должен быть числом дней или false, а не {value!r}",
        "kk": "embedded.keep_days мәні күндер саны немесе false болуы керек, {value!r} емес",
    },
    "kafka.no_partitions": {
        "en": "no partitions known for topics {topics}",
        "ru": "не известны разделы (partitions) топиков Kafka {topics}",
        "kk": "Kafka {topics} топиктерінің бөлімдері (partitions) белгісіз",
    },
    "run.unknown_stage": {
        "en": "unknown stage {stage!r}",
        "ru": "неизвестный этап {stage!r}",
        "kk": "белгісіз {stage!r} кезеңі",
    },
    "run.bad_stall_seconds": {
        "en": "QULAQ_STALL_SECONDS must be a number of seconds above 0, not {value!r}",
        "ru": "QULAQ_STALL_SECONDS должен быть числом секунд больше 0, а не {value!r}",
        "kk": "QULAQ_STALL_SECONDS мәні 0-ден үлкен секундтар саны болуы керек, {value!r} емес",
    },
}

register(MESSAGES)
