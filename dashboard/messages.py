"""The dashboard's words in English, Russian and Kazakh, registered with `qulaq.i18n`.

`tr(key, lang)` never fails on a key it does not know (a new alert kind or topic
from another part of Qulaq): it shows the key's last part instead, so a page
keeps working while its catalogue catches up.
"""

from __future__ import annotations

from typing import Any

from playbooks.names import AUDIT_ACTION_NAMES, RUN_STATUS_NAMES, STEP_STATUS_NAMES
from qulaq.i18n import register, t
from qulaq.registry import AGENCY_TYPE_NAMES, TOPICS
from sentiment import topics
from sentiment.names import LANG_NAMES, SENTIMENT_NAMES
from signals.messages import (
    ALERT_STATUS_NAMES,
    COMPONENT_NAMES,
    INCIDENT_STATUS_NAMES,
    KIND_NAMES,
    PLATFORM_NAMES,
)

# key: (en, ru, kk); the names of alert kinds and statuses, risk components and
# platforms are the signals' catalogue, and those of playbook run and step states and
# log entries the playbooks' one: the command line shows them too
_TEXT: dict[str, tuple[str, str, str]] = {
    # navigation
    "nav.overview": ("Overview", "Обзор", "Шолу"),
    "nav.agency": ("Agency", "Ведомство", "Мекеме"),
    "nav.alerts": ("Alerts and incidents", "Оповещения и инциденты", "Дабылдар мен инциденттер"),
    "nav.queue": ("Comments to answer", "Комментарии к ответу", "Жауап күтетін пікірлер"),
    "nav.playbooks": ("Playbook runs", "Запуски сценариев", "Сценарийлердің орындалуы"),
    "nav.accounts": ("Accounts", "Аккаунты", "Аккаунттар"),
    # login and roles
    "auth.title": ("Qulaq — sign in", "Qulaq — вход", "Qulaq — кіру"),
    "auth.username": ("User name", "Имя пользователя", "Пайдаланушы аты"),
    "auth.password": ("Password", "Пароль", "Құпиясөз"),
    "auth.login": ("Sign in", "Войти", "Кіру"),
    "auth.logout": ("Sign out", "Выйти", "Шығу"),
    "auth.empty": (
        "Enter your name and password.",
        "Введите имя и пароль.",
        "Атыңыз бен құпиясөзді енгізіңіз.",
    ),
    "auth.failed": (
        "Wrong user name or password.",
        "Неверное имя или пароль.",
        "Аты не құпиясөз қате.",
    ),
    "auth.throttled": (
        "Too many failed attempts for this user name; try again in {minutes} min.",
        "Слишком много неудачных попыток для этого имени; попробуйте через {minutes} мин.",
        "Бұл атпен сәтсіз әрекет тым көп; {minutes} минуттан кейін қайталаңыз.",
    ),
    "auth.read_only_notice": (
        "Read-only mode: no user is configured, so this dashboard is served on this computer "
        "only and nothing can be changed. Add a user with `qulaq users add` to enable "
        "sign-in and actions.",
        "Режим только для просмотра: пользователи не заданы, поэтому панель доступна только "
        "на этом компьютере и ничего нельзя изменить. Добавьте пользователя командой "
        "`qulaq users add`, чтобы включить вход и действия.",
        "Тек қарау режимі: пайдаланушы жоқ, сондықтан панель тек осы компьютерде ашылады "
        "және ештеңені өзгертуге болмайды. Кіру мен әрекеттерді қосу үшін `qulaq users add` "
        "арқылы пайдаланушы қосыңыз.",
    ),
    "auth.refused_remote": (
        "No user is configured: this dashboard serves only on 127.0.0.1. Add a user first.",
        "Пользователи не заданы: панель работает только на 127.0.0.1. Сначала добавьте "
        "пользователя.",
        "Пайдаланушы жоқ: панель тек 127.0.0.1 мекенжайында жұмыс істейді. Алдымен "
        "пайдаланушы қосыңыз.",
    ),
    "auth.local_viewer": ("local viewer", "локальный просмотр", "жергілікті қарау"),
    "auth.signed_in_as": ("Signed in: {who}", "Вход выполнен: {who}", "Кірген: {who}"),
    "auth.forbidden": (
        "Your role does not allow this.",
        "Ваша роль этого не позволяет.",
        "Рөліңіз бұған рұқсат бермейді.",
    ),
    "auth.read_only_actions": (
        "Actions need a signed-in user with the right role.",
        "Для действий нужен вход пользователя с подходящей ролью.",
        "Әрекеттер үшін тиісті рөлі бар пайдаланушы кіруі керек.",
    ),
    "role.press_officer": ("Press officer", "Пресс-служба", "Баспасөз қызметі"),
    "role.on_call": ("On call", "Дежурный", "Кезекші"),
    "role.manager": ("Manager", "Руководитель", "Басшы"),
    "role.admin": ("Administrator", "Администратор", "Әкімші"),
    # view controls
    "view.auto_refresh": ("Auto-refresh", "Автообновление", "Автожаңарту"),
    "view.refresh_off": ("off", "выкл.", "өшірулі"),
    "view.refresh_every": ("every {seconds} s", "каждые {seconds} с", "әр {seconds} с"),
    "view.pinned": (
        "Showing {at} (Almaty time), not live",
        "Показано на {at} (время Алматы), не в реальном времени",
        "{at} жағдайы көрсетілген (Алматы уақыты), нақты уақытта емес",
    ),
    "view.back_to_live": ("Back to live", "Вернуться к текущему", "Қазіргі уақытқа оралу"),
    "view.bad_time": (
        "The time in the address is not ISO 8601; showing the latest data.",
        "Время в адресе не в формате ISO 8601; показаны последние данные.",
        "Мекенжайдағы уақыт ISO 8601 емес; соңғы деректер көрсетілді.",
    ),
    # overview
    "overview.title": (
        "Reputation risk by agency",
        "Репутационный риск по ведомствам",
        "Мекемелер бойынша беделге қатер",
    ),
    "overview.filter_types": ("Agency types", "Типы ведомств", "Мекеме түрлері"),
    "overview.as_of": (
        "As of {at} (Almaty time) · risk: {source}",
        "На {at} (время Алматы) · риск: {source}",
        "{at} жағдайы бойынша (Алматы уақыты) · қатер: {source}",
    ),
    "overview.as_of_short": ("as of {at}", "на {at}", "{at} бойынша"),
    "overview.empty": (
        "No comments stored yet: replay a file or start a collector, then run the pipeline.",
        "Комментариев пока нет: воспроизведите файл или запустите сборщик, затем конвейер.",
        "Әзірге пікір жоқ: файлды ойнатыңыз немесе жинағышты іске қосыңыз, содан кейін конвейерді.",
    ),
    "overview.ranking_caption": (
        "Agencies, highest risk first",
        "Ведомства, сначала с наибольшим риском",
        "Мекемелер, ең жоғары қатерден бастап",
    ),
    "overview.spark_label": (
        "comments per hour over 48 hours: {total} in all, at most {peak} in an hour",
        "комментарии по часам за 48 часов: всего {total}, максимум {peak} в час",
        "48 сағаттағы сағаттық пікірлер: барлығы {total}, сағатына ең көбі {peak}",
    ),
    "overview.open_agency": ("Open an agency", "Открыть ведомство", "Мекемені ашу"),
    "overview.go": ("Open", "Открыть", "Ашу"),
    "overview.map": ("Risk by territory", "Риск по территориям", "Аумақтар бойынша қатер"),
    "overview.map_title": (
        "Highest agency risk per region (size: comments in 24 h)",
        "Наибольший риск ведомств по регионам (размер: комментарии за 24 ч)",
        "Өңірлер бойынша ең жоғары қатер (өлшемі: 24 сағаттағы пікірлер)",
    ),
    "overview.map_empty": (
        "No regional agency has comments in this period.",
        "У региональных ведомств нет комментариев за этот период.",
        "Бұл кезеңде өңірлік мекемелерде пікір жоқ.",
    ),
    "overview.regions_caption": ("Regions by risk", "Регионы по риску", "Өңірлер қатер бойынша"),
    "overview.matrix": (
        "Sphere × territory: negative comments in 24 hours",
        "Сфера × территория: негативные комментарии за 24 часа",
        "Сала × аумақ: 24 сағаттағы теріс пікірлер",
    ),
    "overview.matrix_signals": (
        "Colour: how far negative comments rose above the cell's usual day (signals stage)",
        "Цвет: насколько негатив вырос против обычного дня этой ячейки (модуль сигналов)",
        "Түсі: теріс пікірлер ұяшықтың әдеттегі күнінен қаншалық өскені (сигналдар модулі)",
    ),
    "overview.matrix_corner": ("Territory", "Территория", "Аумақ"),
    "overview.matrix_empty": (
        "No topics recognised in this period.",
        "За этот период темы не распознаны.",
        "Бұл кезеңде тақырыптар анықталмады.",
    ),
    "overview.national": (
        "National (ministries)",
        "Республика (министерства)",
        "Республика (министрліктер)",
    ),
    "overview.rendered": ("Drawn in {ms} ms", "Построено за {ms} мс", "{ms} мс ішінде салынды"),
    "risk.source.signals": ("signals stage", "модуль сигналов", "сигналдар модулі"),
    "risk.source.estimate": (
        "dashboard estimate from hourly figures",
        "оценка панели по почасовым данным",
        "сағаттық деректер бойынша панель бағасы",
    ),
    # columns
    "col.agency": ("Agency", "Ведомство", "Мекеме"),
    "col.type": ("Type", "Тип", "Түрі"),
    "col.risk": ("Risk", "Риск", "Қатер"),
    "col.score": ("Score (0–100)", "Балл (0–100)", "Балл (0–100)"),
    "col.trend_48h": ("Trend, 48 h", "Динамика, 48 ч", "Динамика, 48 сағ"),
    "col.comments_24h": ("Comments, 24 h", "Комментарии, 24 ч", "Пікірлер, 24 сағ"),
    "col.comments": ("Comments", "Комментарии", "Пікірлер"),
    "col.negative": ("Negative", "Негатив", "Теріс"),
    "col.aggression": ("Aggression", "Агрессия", "Агрессия"),
    "col.threats": ("Threats, obscenity", "Угрозы, мат", "Қорқыту, балағат"),
    "col.open_alerts": ("Open alerts", "Открытые оповещения", "Ашық дабылдар"),
    "col.open_incidents": ("Open incidents", "Открытые инциденты", "Ашық инциденттер"),
    "col.unanswered": ("Unanswered, 8 days", "Без ответа, 8 дней", "Жауапсыз, 8 күн"),
    "col.reply_rate": ("Reply rate", "Доля ответов", "Жауап үлесі"),
    "col.response_time": ("Response time", "Время ответа", "Жауап уақыты"),
    "col.region": ("Region", "Регион", "Өңір"),
    "col.top_agency": ("Agency most at risk", "Ведомство с наибольшим риском", "Ең қатерлі мекеме"),
    "col.topic": ("Topic", "Тема", "Тақырып"),
    "col.language": ("Language", "Язык", "Тіл"),
    "col.share": ("Share", "Доля", "Үлесі"),
    "col.severity": ("Severity", "Тяжесть", "Ауырлығы"),
    "col.status": ("Status", "Статус", "Мәртебесі"),
    "col.platform": ("Platform", "Платформа", "Платформа"),
    "col.account": ("Account", "Аккаунт", "Аккаунт"),
    "col.official_replies": ("Official replies", "Официальные ответы", "Ресми жауаптар"),
    # levels and components
    "level.low": ("low", "низкий", "төмен"),
    "level.elevated": ("elevated", "повышенный", "жоғарылаған"),
    "level.high": ("high", "высокий", "жоғары"),
    "level.critical": ("critical", "критический", "сыни"),
    **{f"component.{k}": v for k, v in COMPONENT_NAMES.items()},
    # agency types
    **{f"type.{k}": v for k, v in AGENCY_TYPE_NAMES.items()},
    # agency page
    "agency.title": ("Agency", "Ведомство", "Мекеме"),
    "agency.period": ("Period", "Период", "Кезең"),
    "agency.components": (
        "Risk components: {components}",
        "Составляющие риска: {components}",
        "Қатер құрамы: {components}",
    ),
    "agency.timeline": (
        "Volume and tone per hour (dashed: spikes; solid: alerts)",
        "Объём и тональность по часам (пунктир: всплески; сплошная: оповещения)",
        "Сағат сайынғы көлем мен көңіл-күй (үзік сызық: секірулер; тұтас: дабылдар)",
    ),
    "agency.per_hour": ("comments per hour", "комментариев в час", "сағатына пікір"),
    "agency.spikes": ("Spikes: {items}", "Всплески: {items}", "Секірулер: {items}"),
    "agency.spike_item": ("{at} ({n} comments)", "{at} ({n} комм.)", "{at} ({n} пікір)"),
    "agency.alert_item": ("alert at {at}", "оповещение в {at}", "дабыл {at}"),
    "agency.no_comments": (
        "No comments in this period.",
        "Нет комментариев за период.",
        "Бұл кезеңде пікір жоқ.",
    ),
    "agency.topics": ("Topics", "Темы", "Тақырыптар"),
    "agency.no_topics": ("No topics recognised.", "Темы не распознаны.", "Тақырыптар анықталмады."),
    "agency.languages": ("Language mix", "Языки", "Тілдер"),
    "agency.backlog": (
        "Unanswered backlog and deadlines (30 days)",
        "Неотвеченные и сроки (30 дней)",
        "Жауапсыз пікірлер мен мерзімдер (30 күн)",
    ),
    "agency.backlog_empty": (
        "Nothing waiting for an answer.",
        "Нет комментариев, ждущих ответа.",
        "Жауап күтетін пікір жоқ.",
    ),
    "agency.open": ("Open", "Открыто", "Ашық"),
    "agency.overdue": ("Overdue", "Просрочено", "Мерзімі өткен"),
    "agency.due_24h": ("Due within 24 h", "Срок в течение 24 ч", "24 сағ ішінде"),
    "agency.urgent": ("Urgent", "Срочные", "Шұғыл"),
    "agency.sla_caption": (
        "Deadlines by severity: light 1 day, medium 3 days, heavy 15 days; urgent 4 hours",
        "Сроки по тяжести: лёгкие 1 день, средние 3 дня, тяжёлые 15 дней; срочные 4 часа",
        "Ауырлығы бойынша мерзім: жеңіл 1 күн, орташа 3 күн, ауыр 15 күн; шұғыл 4 сағат",
    ),
    "agency.to_queue": ("Work through them", "Перейти к очереди", "Кезекке өту"),
    "agency.accounts": (
        "Replies per account and platform",
        "Ответы по аккаунтам и платформам",
        "Аккаунттар мен платформалар бойынша жауаптар",
    ),
    "agency.top_negative": ("Most negative", "Самые негативные", "Ең теріс"),
    "agency.most_liked": ("Most liked", "Больше всего лайков", "Ең көп ұнатылған"),
    "agency.original": ("Original", "Оригинал", "Түпнұсқа"),
    "tone.negative": ("negative", "негатив", "теріс"),
    "tone.neutral": ("neutral", "нейтрально", "бейтарап"),
    "tone.positive": ("positive", "позитив", "оң"),
    "aggression.none": ("no aggression", "без агрессии", "агрессиясыз"),
    "aggression.aggression": ("aggressive", "агрессия", "агрессия"),
    "aggression.strong": ("threats or obscenity", "угрозы или мат", "қорқыту не балағат"),
    "severity.urgent": ("urgent (4 hours)", "срочное (4 часа)", "шұғыл (4 сағат)"),
    "severity.light": ("light (1 day)", "лёгкое (1 день)", "жеңіл (1 күн)"),
    "severity.medium": ("medium (3 days)", "среднее (3 дня)", "орташа (3 күн)"),
    "severity.heavy": ("heavy (15 days)", "тяжёлое (15 дней)", "ауыр (15 күн)"),
    **{f"lang.{k}": v for k, v in LANG_NAMES.items()},
    # alerts
    "alerts.title": ("Alerts and incidents", "Оповещения и инциденты", "Дабылдар мен инциденттер"),
    "alerts.show_closed": ("Show closed", "Показать закрытые", "Жабылғандарды көрсету"),
    "alerts.tab_alerts": ("Alerts", "Оповещения", "Дабылдар"),
    "alerts.tab_incidents": ("Incidents", "Инциденты", "Инциденттер"),
    "alerts.no_source": (
        "No data yet: the signals stage has not produced alerts.",
        "Данных пока нет: модуль сигналов ещё не создал оповещений.",
        "Әзірге дерек жоқ: сигналдар модулі әлі дабыл шығарған жоқ.",
    ),
    "alerts.none_open": ("No open alerts.", "Открытых оповещений нет.", "Ашық дабыл жоқ."),
    "alerts.facts": (
        "raised {raised} · window {start} – {end} · observed {observed} vs expected {expected} · "
        "negative {negative}",
        "поднято {raised} · окно {start} – {end} · наблюдалось {observed} при ожидаемых "
        "{expected} · негатив {negative}",
        "көтерілді {raised} · терезе {start} – {end} · байқалды {observed}, күтілді {expected} · "
        "теріс {negative}",
    ),
    "alerts.why": ("What raised it", "Почему поднято", "Неге көтерілді"),
    "alerts.persistence": ("Windows in a row", "Окон подряд", "Қатарынан терезелер"),
    "alerts.terms": ("Terms", "Слова", "Сөздер"),
    "alerts.top_comments": ("Comments behind it", "Комментарии-основания", "Негіз болған пікірлер"),
    "alerts.acknowledge": ("Acknowledge", "Подтвердить", "Растау"),
    "alerts.assign": ("Assign", "Назначить", "Тағайындау"),
    "alerts.acknowledged_by": ("acknowledged by {who}", "подтвердил(а) {who}", "растаған: {who}"),
    "alerts.assigned_to": ("assigned to {who}", "назначено: {who}", "тағайындалған: {who}"),
    "alerts.acknowledged_with_incident": (
        "acknowledged: its incident is in hand",
        "подтверждено: инцидент уже в работе",
        "расталды: инцидент жұмыста",
    ),
    "alerts.choose_assignee": (
        "Choose whom to assign it to.",
        "Выберите, кому назначить.",
        "Кімге тағайындайтынын таңдаңыз.",
    ),
    "alerts.no_incidents_source": (
        "No data yet: the signals stage has not grouped incidents.",
        "Данных пока нет: модуль сигналов ещё не сгруппировал инциденты.",
        "Әзірге дерек жоқ: сигналдар модулі әлі инциденттерді топтаған жоқ.",
    ),
    "alerts.no_incidents": ("No incidents.", "Инцидентов нет.", "Инцидент жоқ."),
    "alerts.owner": ("Owner", "Ответственный", "Жауапты"),
    "alerts.opened": ("Opened", "Открыт", "Ашылды"),
    "alerts.no_evidence": (
        "A daily count of comments past their deadline: see them in the work queue.",
        "Ежедневный подсчёт просроченных комментариев: они в очереди на ответ.",
        "Мерзімі өткен пікірлердің күнделікті саны: олар жауап кезегінде.",
    ),
    "alerts.overdue": ("overdue", "просрочен", "мерзімі өтті"),
    "alerts.due": ("Due (24 h)", "Срок (24 ч)", "Мерзім (24 сағ)"),
    "alerts.summary": ("Summary", "Описание", "Сипаттама"),
    **{f"alertstatus.{k}": v for k, v in ALERT_STATUS_NAMES.items()},
    **{f"incidentstatus.{k}": v for k, v in INCIDENT_STATUS_NAMES.items()},
    **{f"kind.{k}": v for k, v in KIND_NAMES.items()},
    # queue
    "queue.title": ("Comments to answer", "Комментарии к ответу", "Жауап күтетін пікірлер"),
    "queue.intro": (
        "Ordered by deadline. Register every comment: answer it, redirect it to the competent "
        "body, or mark it as not needing an answer. Replies begin with an address and say what "
        "happens next; «Принято к сведению» is not an answer.",
        "По сроку ответа. Каждый комментарий регистрируется: ответить, перенаправить в "
        "компетентный орган или отметить, что ответ не нужен. Ответ начинается с обращения и "
        "говорит, что будет дальше; «Принято к сведению» — не ответ.",
        "Жауап мерзімі бойынша. Әр пікір тіркеледі: жауап беру, құзыретті органға жолдау немесе "
        "жауап қажет емес деп белгілеу. Жауап құрметпен басталып, әрі қарай не болатынын "
        "айтады; «Назарға алынды» — жауап емес.",
    ),
    "queue.all_agencies": ("All my agencies", "Все мои ведомства", "Барлық мекемелерім"),
    "queue.since": ("Period", "Период", "Кезең"),
    "queue.days": ("{n} days", "{n} дней", "{n} күн"),
    "queue.mine": ("Assigned to me", "Назначенные мне", "Маған тағайындалған"),
    "queue.counts": (
        "{n} comments, {overdue} overdue",
        "{n} комментариев, просрочено {overdue}",
        "{n} пікір, мерзімі өткені {overdue}",
    ),
    "queue.empty": ("The queue is empty.", "Очередь пуста.", "Кезек бос."),
    "queue.more": ("… and {n} more", "… и ещё {n}", "… тағы {n}"),
    "queue.show_more": ("Show {n} more", "Показать ещё {n}", "Тағы {n} көрсету"),
    "queue.search": ("Search the comments", "Поиск по тексту", "Мәтіннен іздеу"),
    "queue.search_hint": (
        "e.g. отопление, жылу",
        "например, отопление, жылу",
        "мысалы, жылу, отопление",
    ),
    "queue.urgent_only": ("Urgent only", "Только срочные", "Тек шұғыл"),
    "queue.overdue_by": ("overdue by {h} h", "просрочено на {h} ч", "{h} сағ кешікті"),
    "queue.due_in": ("due in {h} h", "срок через {h} ч", "мерзімі {h} сағаттан кейін"),
    "queue.assigned_to": ("Assigned to {who}", "Назначено: {who}", "Тағайындалған: {who}"),
    "queue.open": ("Open", "Открыть", "Ашу"),
    "queue.selected": ("Selected comment", "Выбранный комментарий", "Таңдалған пікір"),
    "queue.assign": ("Assign to", "Назначить", "Тағайындау"),
    "queue.urgent_flag": (
        "Urgent: answer within {h} h",
        "Срочное: ответ в течение {h} ч",
        "Шұғыл: {h} сағ ішінде жауап беру",
    ),
    "queue.redirect_needed": (
        "Choose the body the comment was redirected to.",
        "Выберите ведомство, в которое перенаправлено обращение.",
        "Пікір жіберілген мекемені таңдаңыз.",
    ),
    "queue.redirect_to": ("Redirected to", "Перенаправлено в", "Жолданды"),
    "queue.note": ("Note", "Заметка", "Ескертпе"),
    "queue.save": ("Save", "Сохранить", "Сақтау"),
    "queue.saved": ("Saved", "Сохранено", "Сақталды"),
    "queue.draft": ("Reply draft", "Черновик ответа", "Жауап жобасы"),
    "queue.draft_kind": ("Template", "Шаблон", "Үлгі"),
    "queue.draft_text": (
        "Draft (copy it to the platform)",
        "Черновик (скопируйте на платформу)",
        "Жоба (платформаға көшіріңіз)",
    ),
    "queue.quality": (
        "Reply quality {score}: {flags}",
        "Качество ответа {score}: {flags}",
        "Жауап сапасы {score}: {flags}",
    ),
    "queue.correct": ("Correct the label", "Исправить метку", "Белгіні түзету"),
    "queue.current_labels": (
        "Model says: {sentiment}, {aggression}, {urgency}",
        "Модель: {sentiment}, {aggression}, {urgency}",
        "Модель: {sentiment}, {aggression}, {urgency}",
    ),
    "queue.head": ("What to correct", "Что исправить", "Нені түзету"),
    "queue.label": ("Right label", "Верная метка", "Дұрыс белгі"),
    "queue.save_label": ("Save the correction", "Сохранить исправление", "Түзетуді сақтау"),
    "queue.label_saved": (
        "Correction saved; the next `make train` learns from it",
        "Исправление сохранено; следующий `make train` учтёт его",
        "Түзету сақталды; келесі `make train` оны ескереді",
    ),
    "status.open": ("open", "открыт", "ашық"),
    "status.answered": ("answered", "отвечен", "жауап берілді"),
    "status.redirected": (
        "redirected to the competent body",
        "перенаправлен в компетентный орган",
        "құзыретті органға жолданды",
    ),
    "status.no_answer_needed": ("no answer needed", "ответ не нужен", "жауап қажет емес"),
    "head.sentiment": ("tone", "тональность", "көңіл-күй"),
    "head.aggression": ("aggression", "агрессия", "агрессия"),
    **{f"label.{k}": v for k, v in SENTIMENT_NAMES.items()},
    "label.none": ("no aggression", "без агрессии", "агрессиясыз"),
    "label.aggression": ("aggressive", "агрессия", "агрессия"),
    "label.strong": ("threats or obscenity", "угрозы или мат", "қорқыту не балағат"),
    "head.urgency": ("urgency", "срочность", "шұғылдық"),
    "label.urgent": ("urgent", "срочно", "шұғыл"),
    "label.not_urgent": ("not urgent", "не срочно", "шұғыл емес"),
    "draft.received": ("Complaint received", "Жалоба принята", "Шағым қабылданды"),
    "draft.redirected": ("Redirected", "Перенаправлено", "Жолданды"),
    "draft.resolved": ("Result reported", "Сообщение о результате", "Нәтиже туралы хабар"),
    "draft.holding_statement": ("Complaint received", "Жалоба принята", "Шағым қабылданды"),
    "draft.internal_brief": (
        "Checked, body assigned",
        "Проверено, поручено органу",
        "Тексерілді, органға тапсырылды",
    ),
    "draft.reply_to_citizens": ("Result reported", "Сообщение о результате", "Нәтиже туралы хабар"),
    "draft.body_blank": ("[body]", "[орган]", "[орган]"),
    "quality.ok": ("fine", "в порядке", "жақсы"),
    "quality.empty": ("empty", "пусто", "бос"),
    "quality.formal_non_answer": ("formal non-answer", "отписка", "формалды жауап"),
    "quality.no_substance": ("says nothing concrete", "нет сути", "нақты мазмұн жоқ"),
    "quality.no_address": ("no address to the citizen", "нет обращения", "құрметпен жүгіну жоқ"),
    "quality.caps": ("capitals", "заглавные буквы", "бас әріптер"),
    "quality.exclamation": ("exclamation marks", "восклицательные знаки", "леп белгілері"),
    "quality.off_topic": ("off topic", "не по теме", "тақырыптан тыс"),
    "quality.too_short": ("too short", "слишком коротко", "тым қысқа"),
    # playbooks
    "playbooks.title": ("Playbook runs", "Запуски сценариев", "Сценарийлердің орындалуы"),
    "playbooks.no_source": (
        "No data yet: the playbook stage has not run.",
        "Данных пока нет: модуль сценариев ещё не запускался.",
        "Әзірге дерек жоқ: сценарийлер модулі әлі іске қосылған жоқ.",
    ),
    "playbooks.none": ("No playbook runs.", "Запусков сценариев нет.", "Сценарий орындалған жоқ."),
    "playbooks.run": ("Run", "Запуск", "Орындалу"),
    "playbooks.started": ("Started", "Начат", "Басталды"),
    "playbooks.playbook": ("Playbook", "Сценарий", "Сценарий"),
    "playbooks.done": ("Done", "Выполнено", "Орындалды"),
    "playbooks.late": ("Late", "С опозданием", "Кешіккен"),
    "playbooks.skipped": ("Skipped", "Пропущено", "Өткізілді"),
    "playbooks.drill": ("Drill", "Учения", "Жаттығу"),
    "playbooks.timeline": ("Timeline", "Хронология", "Хронология"),
    "playbooks.step": ("Step", "Шаг", "Қадам"),
    "playbooks.role": ("Role", "Роль", "Рөл"),
    "playbooks.due": ("Due", "Срок", "Мерзімі"),
    "playbooks.done_at": ("Done at", "Выполнено в", "Орындалған уақыты"),
    "playbooks.late_by": ("{m} min late", "опоздание {m} мин", "{m} мин кешікті"),
    "playbooks.late_by_h": ("{h} h late", "опоздание {h} ч", "{h} сағ кешікті"),
    "unit.hours": ("{n} h", "{n} ч", "{n} сағ"),
    "period.24h": ("24 h", "24 ч", "24 сағ"),
    "period.72h": ("72 h", "72 ч", "72 сағ"),
    "period.7d": ("7 days", "7 дней", "7 күн"),
    "period.30d": ("30 days", "30 дней", "30 күн"),
    "playbooks.late_min": ("late, min", "опоздание, мин", "кешігу, мин"),
    "playbooks.report_time": ("Report time:", "Время отчёта:", "Есеп уақыты:"),
    "playbooks.when": ("When", "Когда", "Қашан"),
    "playbooks.actor": ("Who", "Кто", "Кім"),
    "playbooks.action": ("What", "Действие", "Әрекет"),
    "playbooks.recipient": ("To", "Кому", "Кімге"),
    "playbooks.message": ("Message", "Сообщение", "Хабарлама"),
    "playbooks.detail": ("Details", "Подробности", "Толығырақ"),
    **{f"runstatus.{k}": v for k, v in RUN_STATUS_NAMES.items()},
    **{f"stepstatus.{k}": v for k, v in STEP_STATUS_NAMES.items()},
    **{f"auditaction.{k}": v for k, v in AUDIT_ACTION_NAMES.items()},
    "playbooks.audit": ("Audit log", "Журнал действий", "Әрекеттер журналы"),
    "playbooks.no_audit": ("No audit entries.", "Записей нет.", "Жазба жоқ."),
    "playbooks.export": (
        "Export for managers",
        "Выгрузка для руководства",
        "Басшылыққа арналған экспорт",
    ),
    "playbooks.export_forbidden": (
        "Exports are for managers and administrators.",
        "Выгрузка доступна руководителям и администраторам.",
        "Экспорт басшылар мен әкімшілерге қолжетімді.",
    ),
    "playbooks.csv": ("Every run as CSV", "Все запуски в CSV", "Барлық орындалу CSV"),
    "playbooks.pdf": ("This run as PDF", "Этот запуск в PDF", "Осы орындалу PDF"),
    "playbooks.report_title": (
        "Playbook run report",
        "Отчёт о выполнении сценария",
        "Сценарийдің орындалуы туралы есеп",
    ),
    # accounts
    "accounts.title": (
        "Accounts and collectors",
        "Аккаунты и сборщики",
        "Аккаунттар мен жинағыштар",
    ),
    "accounts.presence": (
        "Presence per platform against where citizens comment (30 days)",
        "Присутствие на платформах и где комментируют граждане (30 дней)",
        "Платформалардағы қатысу және азаматтар қай жерде пікір жазады (30 күн)",
    ),
    "accounts.agencies_present": (
        "Agencies present",
        "Ведомств присутствует",
        "Қатысатын мекемелер",
    ),
    "accounts.followers": ("Followers (registry)", "Подписчики (реестр)", "Жазылушылар (тізілім)"),
    "accounts.comments_30d": ("Comments, 30 days", "Комментарии, 30 дней", "Пікірлер, 30 күн"),
    "accounts.vk_note": (
        "VK: {vk} of {n} agencies have an account. The 2023 study found VK carries the most "
        "Kazakh-language traffic, yet only 2 of 21 bodies used it.",
        "ВКонтакте: аккаунт есть у {vk} из {n} ведомств. Исследование 2023 года показало, что "
        "во ВКонтакте больше всего казахоязычного трафика, но им пользовались лишь 2 органа из 21.",
        "ВКонтакте: {n} мекеменің {vk} аккаунты бар. 2023 жылғы зерттеу бойынша ВКонтакте-де "
        "қазақ тіліндегі трафик ең көп, бірақ оны 21 органның тек 2-еуі қолданған.",
    ),
    "accounts.by_agency": ("Per agency", "По ведомствам", "Мекемелер бойынша"),
    "accounts.matrix_caption": (
        "✓ an account in the registry; the number: comments in 30 days",
        "✓ аккаунт в реестре; число: комментарии за 30 дней",
        "✓ тізілімдегі аккаунт; сан: 30 күндегі пікірлер",
    ),
    "accounts.health": ("Collector health", "Состояние сборщиков", "Жинағыштардың күйі"),
    "accounts.no_health": (
        "No data yet: no collector has run against this database.",
        "Данных пока нет: сборщики ещё не запускались с этой базой.",
        "Әзірге дерек жоқ: жинағыштар бұл деректер қорымен әлі іске қосылмаған.",
    ),
    "accounts.last_success": ("Last success", "Последний успех", "Соңғы сәтті"),
    "accounts.newest_item": ("Newest item", "Последний элемент", "Ең жаңа элемент"),
    "accounts.failures": ("Failures in a row", "Ошибок подряд", "Қатарынан қателер"),
    "accounts.last_error": ("Last error", "Последняя ошибка", "Соңғы қате"),
    "health.ok": ("ok", "в норме", "қалыпты"),
    "health.failing": ("failing", "сбои", "ақаулар"),
    "health.rate_limited": ("rate limited", "ограничение частоты", "жиілік шектелген"),
    "health.auth": ("token problem", "проблема с токеном", "токен мәселесі"),
    "agency.unlisted": (
        "{platform} · {account} (not in the registry)",
        "{platform} · {account} (нет в реестре)",
        "{platform} · {account} (тізілімде жоқ)",
    ),
    **{f"platform.{k}": v for k, v in PLATFORM_NAMES.items()},
}

_TOPIC_NAMES = topics.NAMES
assert set(_TOPIC_NAMES) >= set(TOPICS)

register(
    {
        **{f"dash.{k}": {"en": v[0], "ru": v[1], "kk": v[2]} for k, v in _TEXT.items()},
        **{
            f"dash.topic.{k}": {"en": v[0], "ru": v[1], "kk": v[2]} for k, v in _TOPIC_NAMES.items()
        },
    }
)


def tr(key: str, lang: str, **params: Any) -> str:
    try:
        return t(f"dash.{key}", lang, **params)
    except KeyError:
        return key.rsplit(".", 1)[-1].replace("_", " ")
