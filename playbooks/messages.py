"""What on-call people read: notifications composed in their language.

Templates of public messages come from the playbook; the frame around them
(which step, whose role, by when, how to acknowledge) comes from here. Times
are shown in Kazakhstan time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from playbooks.engine import Notify, RunState
from playbooks.model import Playbook, pick, render
from qulaq.i18n import register, t
from qulaq.timefmt import local_text, zone

TOPIC_NAMES: dict[str, dict[str, str]] = {
    "housing_utilities": {
        "kk": "тұрғын үй-коммуналдық шаруашылық",
        "ru": "ЖКХ",
        "en": "housing and utilities",
    },
    "roads_transport": {
        "kk": "жолдар мен көлік",
        "ru": "дороги и транспорт",
        "en": "roads and transport",
    },
    "land": {"kk": "жер", "ru": "земельные вопросы", "en": "land"},
    "social_payments": {
        "kk": "әлеуметтік төлемдер",
        "ru": "социальные выплаты",
        "en": "social payments",
    },
    "health": {"kk": "денсаулық сақтау", "ru": "здравоохранение", "en": "health care"},
    "education": {"kk": "білім беру", "ru": "образование", "en": "education"},
    "employment": {"kk": "жұмыспен қамту", "ru": "занятость", "en": "employment"},
    "taxes": {"kk": "салықтар", "ru": "налоги", "en": "taxes"},
    "ecology": {"kk": "экология", "ru": "экология", "en": "ecology"},
    "emergencies": {"kk": "төтенше жағдайлар", "ru": "чрезвычайные ситуации", "en": "emergencies"},
    "corruption": {"kk": "сыбайлас жемқорлық", "ru": "коррупция", "en": "corruption"},
    "public_services": {"kk": "мемлекеттік қызметтер", "ru": "госуслуги", "en": "public services"},
}

register(
    {
        "pb.drill": {"kk": "[Оқу-жаттығу]", "ru": "[Учения]", "en": "[Drill]"},
        "pb.header": {
            "kk": "{agency} — {playbook}, ауырлығы {severity}/4.",
            "ru": "{agency} — {playbook}, тяжесть {severity} из 4.",
            "en": "{agency} — {playbook}, severity {severity} of 4.",
        },
        "pb.alert": {
            "kk": "Сигнал: {summary}",
            "ru": "Сигнал: {summary}",
            "en": "Alert: {summary}",
        },
        "pb.step": {
            "kk": "Қадам: {step} (рөлі: {role})",
            "ru": "Шаг: {step} (роль: {role})",
            "en": "Step: {step} (role: {role})",
        },
        "pb.due": {"kk": "Мерзімі: {due}", "ru": "Срок: {due}", "en": "Due: {due}"},
        "pb.action": {
            "kk": "Не істеу керек: {action}",
            "ru": "Что сделать: {action}",
            "en": "What to do: {action}",
        },
        "pb.checklist": {"kk": "Тексеру тізімі:", "ru": "Чек-лист:", "en": "Checklist:"},
        "pb.template": {"kk": "Мәтін үлгісі:", "ru": "Шаблон текста:", "en": "Message template:"},
        "pb.commands": {
            "kk": "Растау: /ack {run} {step} · Орындалды: /done {run} {step}",
            "ru": "Подтвердить: /ack {run} {step} · Выполнено: /done {run} {step}",
            "en": "Acknowledge: /ack {run} {step} · Done: /done {run} {step}",
        },
        "pb.subject.step_open": {
            "kk": "{agency}: «{step}» — {due} дейін",
            "ru": "{agency}: «{step}» — до {due}",
            "en": "{agency}: “{step}” — due {due}",
        },
        "pb.subject.escalation": {
            "kk": "{agency}: «{step}» расталмады — эскалация, {level}-деңгей",
            "ru": "{agency}: «{step}» не подтверждён — эскалация, уровень {level}",
            "en": "{agency}: “{step}” not acknowledged — escalation level {level}",
        },
        "pb.subject.overdue": {
            "kk": "{agency}: «{step}» мерзімі өтті",
            "ru": "{agency}: срок шага «{step}» истёк",
            "en": "{agency}: “{step}” is overdue",
        },
        "pb.subject.severity_raised": {
            "kk": "{agency}: ауырлығы {severity}/4 дейін өсті",
            "ru": "{agency}: тяжесть выросла до {severity} из 4",
            "en": "{agency}: severity rose to {severity} of 4",
        },
        "pb.escalation": {
            "kk": "Қадам {since} бастап расталмаған. Сізге эскалация жасалды ({level}-деңгей).",
            "ru": "Шаг не подтверждён с {since}. Эскалация вам (уровень {level}).",
            "en": "The step has not been acknowledged since {since}. "
            "Escalated to you (level {level}).",
        },
        "pb.overdue": {
            "kk": "Қадамның мерзімі {due} өтті, ол әлі орындалмаған.",
            "ru": "Срок шага истёк в {due}, шаг не выполнен.",
            "en": "The step was due at {due} and is not done.",
        },
        "pb.severity_raised": {
            "kk": "Оқиғаның ауырлығы {severity}/4 дейін өсті. Жоспардың қадамдарын тексеріңіз.",
            "ru": "Тяжесть инцидента выросла до {severity} из 4. Проверьте шаги плана.",
            "en": "The incident's severity rose to {severity} of 4. Check the plan's steps.",
        },
        "pb.run_steps": {"kk": "Жоспар қадамдары:", "ru": "Шаги плана:", "en": "Plan steps:"},
    }
)

# What is wrong with a playbook or plan file (playbooks.model), for the person who
# edits it: "{source}: {where}: {problem}", where `where` is the field as written in
# the file and `problem` one of the sentences below. Field names, YAML keys, role
# ids and example values stay as written; in Russian a playbook is "сценарий".
register(
    {
        "pb.file.at": {
            "kk": "{source}: {where}: {problem}",
            "ru": "{source}: {where}: {problem}",
            "en": "{source}: {where}: {problem}",
        },
        "pb.file.where_file": {"kk": "файл", "ru": "файл", "en": "file"},
        # `qulaq playbooks list`
        "pb.list.by_hand": {"kk": "қолмен", "ru": "вручную", "en": "by hand"},
        "pb.list.plan": {"kk": "жоспар үлгісі", "ru": "шаблон плана", "en": "plan template"},
        # the SCCT crisis cluster a playbook answers (Coombs), and its least severity
        "pb.list.scct.victim": {"kk": "құрбан", "ru": "жертва", "en": "victim"},
        "pb.list.scct.accidental": {"kk": "кездейсоқ", "ru": "случайный", "en": "accidental"},
        "pb.list.scct.preventable": {
            "kk": "алдын алуға болатын",
            "ru": "предотвратимый",
            "en": "preventable",
        },
        "pb.list.scct.none": {"kk": "дағдарыс емес", "ru": "не кризис", "en": "none"},
        "pb.list.severity": {
            "kk": "ауырлығы ≥{n}",
            "ru": "тяжесть ≥{n}",
            "en": "≥{n}",
        },
        # `qulaq playbooks runs`, `show`, `ack`/`done`/…, `cancel`
        "pb.cli.no_runs": {
            "kk": "сценарийлердің орындалуы жоқ",
            "ru": "запусков сценариев нет",
            "en": "no playbook runs",
        },
        "pb.cli.drill": {"kk": "[оқу-жаттығу]", "ru": "[учения]", "en": "[drill]"},
        "pb.cli.started": {"kk": "басталды {time}", "ru": "начат {time}", "en": "started {time}"},
        "pb.cli.due": {"kk": "мерзімі {time}", "ru": "срок {time}", "en": "due {time}"},
        "pb.cli.overdue": {"kk": "мерзімі өтті", "ru": "просрочен", "en": "overdue"},
        "pb.cli.valid": {
            "kk": "{path}: дұрыс ({id})",
            "ru": "{path}: в порядке ({id})",
            "en": "{path}: ok ({id})",
        },
        "pb.cli.no_findings": {"kk": "ескерту жоқ", "ru": "замечаний нет", "en": "ok"},
        "pb.cli.wrote": {"kk": "{path} жазылды", "ru": "записан {path}", "en": "wrote {path}"},
        "pb.cli.queued": {
            "kk": "жіберуге кезекке қойылды, алушылар: {n}",
            "ru": "поставлено в очередь на отправку, получателей: {n}",
            "en": "queued for {n} recipients",
        },
        "pb.cli.delivered": {
            "kk": "жіберілді {sent}, қайта жіберіледі {retried}, жеткізілмеді {failed}",
            "ru": "отправлено {sent}, повторная отправка {retried}, не доставлено {failed}",
            "en": "sent {sent}, retrying {retried}, failed {failed}",
        },
        "pb.cli.via": {
            "kk": "{channel} арқылы, кімге: {recipient}",
            "ru": "через {channel}, кому: {recipient}",
            "en": "via {channel} to {recipient}",
        },
        "pb.file.cannot_read": {
            "kk": "{path}: оқу мүмкін емес: {reason}",
            "ru": "{path}: не удаётся прочитать: {reason}",
            "en": "{path}: cannot read: {reason}",
        },
        # {problem}: what the YAML parser said, in its words
        "pb.file.bad_yaml_line": {
            "kk": "{path}: {line}-жол: жарамсыз YAML (YAML талдағышының хабары: {problem})",
            "ru": "{path}: строка {line}: недопустимый YAML (сообщение парсера YAML: {problem})",
            "en": "{path}: line {line}: not valid YAML: {problem}",
        },
        "pb.file.bad_yaml": {
            "kk": "{path}: файл: жарамсыз YAML (YAML талдағышының хабары: {problem})",
            "ru": "{path}: файл: недопустимый YAML (сообщение парсера YAML: {problem})",
            "en": "{path}: file: not valid YAML: {problem}",
        },
        "pb.file.not_a_playbook": {
            "kk": "id, title, trigger, steps және messages кілттері бар сөздік болуы керек",
            "ru": "должен быть словарём с ключами id, title, trigger, steps и messages",
            "en": "must be a mapping with id, title, trigger, steps and messages",
        },
        "pb.file.bad_kind": {
            "kk": "{kind!r}: тек 'playbook' немесе 'plan' болуы мүмкін",
            "ru": "{kind!r}: допустимо только 'playbook' или 'plan'",
            "en": "{kind!r} must be 'playbook' or 'plan'",
        },
        "pb.file.unknown_field": {
            "kk": "белгісіз өріс",
            "ru": "неизвестное поле",
            "en": "unknown field",
        },
        "pb.file.bad_id": {
            "kk": "{value!r}: тек кіші латын әріптері, цифрлар, '-' және '_' болуы керек "
            "(ең көбі {max_len})",
            "ru": "{value!r}: допустимы только строчные латинские буквы, цифры, '-' и '_' "
            "(не более {max_len})",
            "en": "{value!r} must be lower-case letters, digits, '-' or '_' (≤ {max_len})",
        },
        "pb.file.bad_version": {
            "kk": "оң бүтін сан болуы керек",
            "ru": "должно быть целым положительным числом",
            "en": "must be a positive whole number",
        },
        "pb.file.not_whole_number": {
            "kk": "бүтін сан болуы керек",
            "ru": "должно быть целым числом",
            "en": "must be a whole number",
        },
        "pb.file.not_bool": {
            "kk": "true немесе false болуы керек",
            "ru": "должно быть true или false",
            "en": "must be true or false",
        },
        "pb.file.not_mapping": {
            "kk": "сөздік болуы керек",
            "ru": "должно быть словарём",
            "en": "must be a mapping",
        },
        "pb.file.not_names": {
            "kk": "атаулар тізімі болуы керек",
            "ru": "должно быть списком имён",
            "en": "must be a list of names",
        },
        "pb.file.not_one_of": {
            "kk": "{value!r} мыналардың бірі емес: {allowed}",
            "ru": "{value!r} не входит в список: {allowed}",
            "en": "{value!r} is not one of {allowed}",
        },
        "pb.file.must_be_one_of": {
            "kk": "{value!r}: мыналардың бірі болуы керек: {allowed}",
            "ru": "{value!r}: должно быть одним из: {allowed}",
            "en": "{value!r} must be one of {allowed}",
        },
        # a text in each language
        "pb.file.text_not_per_language": {
            "kk": "мәтінді әр тілде жазыңыз: kk: …, ru: …",
            "ru": "укажите текст на каждом языке: kk: …, ru: …",
            "en": "give the text in each language: kk: …, ru: …",
        },
        "pb.file.texts_not_mapping": {
            "kk": "тіл (kk, ru, en) → мәтін сөздігі болуы керек",
            "ru": "должно быть словарём: язык (kk, ru, en) → текст",
            "en": "must be a mapping of languages (kk, ru, en) to text",
        },
        "pb.file.unknown_language": {
            "kk": "белгісіз тіл {language!r}; kk, ru, en тілдерінің бірін қолданыңыз",
            "ru": "неизвестный язык {language!r}; используйте kk, ru, en",
            "en": "unknown language {language!r}; use kk, ru, en",
        },
        "pb.file.text_missing": {
            "kk": "мәтін жоқ немесе бос",
            "ru": "текст отсутствует или пуст",
            "en": "is missing or empty",
        },
        "pb.file.not_text": {
            "kk": "мәтін болуы керек",
            "ru": "должно быть текстом",
            "en": "must be text",
        },
        # a duration: the two ways Offset.parse refuses one
        "pb.file.not_duration": {
            "kk": "{value!r} ұзақтық емес; мысалы, 15m, 2h, 3 working days деп жазыңыз",
            "ru": "{value!r} — не длительность; пишите, например, 15m, 2h, 3 working days",
            "en": "{value!r} is not a duration like 15m, 2h, 3 working days",
        },
        "pb.file.not_duration_text": {
            "kk": "{value!r} ұзақтық емес: 15m, 1h30m, 24h, 2 working hours, 3 working days "
            "немесе 15 calendar days деп жазыңыз",
            "ru": "{value!r} — не длительность: пишите 15m, 1h30m, 24h, 2 working hours, "
            "3 working days или 15 calendar days",
            "en": "{value!r} is not a duration: write 15m, 1h30m, 24h, 2 working hours, "
            "3 working days or 15 calendar days",
        },
        # the working calendar (`playbooks.calendar`): weekends, office hours, holidays
        "pb.cal.bad_timezone": {
            "kk": "{value!r} — уақыт белдеуі емес (мысалы, Asia/Almaty)",
            "ru": "{value!r} — не часовой пояс (например, Asia/Almaty)",
            "en": "{value!r} is not a time zone (such as Asia/Almaty)",
        },
        "pb.cal.not_list": {
            "kk": "тізім болуы керек",
            "ru": "должно быть списком",
            "en": "must be a list",
        },
        "pb.cal.not_weekday": {
            "kk": "{value!r} — апта күні емес (mon, tue, wed, thu, fri, sat, sun)",
            "ru": "{value!r} — не день недели (mon, tue, wed, thu, fri, sat, sun)",
            "en": "{value!r} is not a weekday (mon, tue, wed, thu, fri, sat, sun)",
        },
        "pb.cal.no_working_day": {
            "kk": "аптаның барлық күні демалыс болып тұр: мерзімдерді санауға жұмыс күні жоқ",
            "ru": "все дни недели выходные: не по чему считать сроки",
            "en": "every day of the week is a day off: no working day to count deadlines in",
        },
        "pb.cal.not_time": {
            "kk": "{value!r} — СС:ММ түріндегі уақыт емес",
            "ru": "{value!r} — не время вида ЧЧ:ММ",
            "en": "{value!r} is not a time HH:MM",
        },
        "pb.cal.end_not_after_start": {
            "kk": "жұмыс күнінің соңы басталуынан кейін болуы керек",
            "ru": "конец рабочего дня должен быть позже начала",
            "en": "the end of the working day must come after its start",
        },
        "pb.cal.not_break": {
            "kk": '{value!r} — үзіліс емес; ["13:00", "14:00"] деп жазыңыз',
            "ru": '{value!r} — не перерыв; пишите ["13:00", "14:00"]',
            "en": '{value!r} is not a break; write ["13:00", "14:00"]',
        },
        "pb.cal.break_outside": {
            "kk": "{value!r}: үзіліс жұмыс уақытының ішінде болуы керек",
            "ru": "{value!r}: перерыв должен быть внутри рабочего времени",
            "en": "{value!r}: a break must lie inside the working hours",
        },
        "pb.cal.holiday_not_mapping": {
            "kk": "date және name кілттері бар сөздік болуы керек",
            "ru": "должно быть словарём с ключами date и name",
            "en": "must be a mapping with date and name",
        },
        "pb.cal.not_month_day": {
            "kk": "{value!r} — АА-КК түріндегі күн емес (мысалы, 03-22)",
            "ru": "{value!r} — не дата вида ММ-ДД (например, 03-22)",
            "en": "{value!r} is not a date MM-DD (such as 03-22)",
        },
        "pb.cal.not_date": {
            "kk": "{value!r} — ЖЖЖЖ-АА-КК түріндегі күн емес",
            "ru": "{value!r} — не дата вида ГГГГ-ММ-ДД",
            "en": "{value!r} is not a date YYYY-MM-DD",
        },
        "pb.file.bad_severity": {
            "kk": "{value!r}: ауырлық 1-ден 4-ке дейін болуы керек",
            "ru": "{value!r}: тяжесть должна быть от 1 до 4",
            "en": "{value!r} must be a severity from 1 to 4",
        },
        "pb.file.conditions_not_list": {
            "kk": "'observed > 100' түріндегі шарт немесе осындай шарттар тізімі болуы керек",
            "ru": "должно быть условием вида 'observed > 100' или списком таких условий",
            "en": "must be a condition like 'observed > 100' or a list of them",
        },
        "pb.file.not_condition": {
            "kk": "{item!r} — 'negative_share >= 0.5' түріндегі шарт емес",
            "ru": "{item!r} — не условие вида 'negative_share >= 0.5'",
            "en": "{item!r} is not a condition like 'negative_share >= 0.5'",
        },
        "pb.file.unknown_placeholder": {
            "kk": "белгісіз алмастыру өрісі {{{name}}}; {names} өрістерінің бірін қолданыңыз "
            "немесе толтырылатын орынды [осылай] деп жазыңыз",
            "ru": "неизвестное поле подстановки {{{name}}}; используйте {names} или оставьте "
            "пропуск в квадратных скобках, [вот так]",
            "en": "unknown placeholder {{{name}}}; use {names} or write a blank as [like this]",
        },
        # the playbook
        "pb.file.no_scenario_parts": {
            "kk": "ішінде cause, consequences және response болуы керек",
            "ru": "должны быть cause, consequences и response",
            "en": "must have cause, consequences and response",
        },
        "pb.file.roles_not_mapping": {
            "kk": "рөл id-іне оның kk, ru тіліндегі атауларын сәйкестендіруі керек",
            "ru": "должно сопоставлять id роли её названия на kk, ru",
            "en": "must map a role id to its names in kk, ru",
        },
        "pb.file.no_steps": {
            "kk": "сценарийде қадамдар тізімі болуы керек",
            "ru": "в сценарии должен быть список шагов",
            "en": "a playbook needs a list of steps",
        },
        "pb.file.step_twice": {
            "kk": "{id!r} екі рет қолданылған",
            "ru": "{id!r} используется дважды",
            "en": "{id!r} is used twice",
        },
        "pb.file.trigger_not_mapping": {
            "kk": "сөздік болуы керек (kinds, min_severity, topics…)",
            "ru": "должно быть словарём (kinds, min_severity, topics…)",
            "en": "must be a mapping (kinds, min_severity, topics…)",
        },
        "pb.file.max_below_min": {
            "kk": "min_severity мәнінен кіші",
            "ru": "меньше, чем min_severity",
            "en": "is below min_severity",
        },
        "pb.file.messages_not_mapping": {
            "kk": "хабар түрлеріне олардың kk және ru тіліндегі мәтіндерін сәйкестендіруі керек",
            "ru": "должно сопоставлять видам сообщений их тексты на kk и ru",
            "en": "must map message kinds to texts in kk and ru",
        },
        "pb.file.message_kind": {
            "kk": "хабар түрі мыналардың бірі болуы керек: {kinds}",
            "ru": "вид сообщения должен быть одним из: {kinds}",
            "en": "must be one of {kinds}",
        },
        # a step
        "pb.file.step_not_mapping": {
            "kk": "қадам id, title, role, action және due кілттері бар сөздік болуы керек",
            "ru": "шаг должен быть словарём с ключами id, title, role, action и due",
            "en": "must be a mapping with id, title, role, action and due",
        },
        "pb.file.role_not_known_use": {
            "kk": "{role!r} — белгісіз рөл; мыналардың бірін қолданыңыз: {roles}, немесе оны "
            "roles: бөлімінде сипаттаңыз",
            "ru": "{role!r} — неизвестная роль; используйте одну из: {roles} или опишите её "
            "в разделе roles:",
            "en": "{role!r} is not a known role; use one of {roles} or declare it under roles:",
        },
        "pb.file.role_not_known": {
            "kk": "{role!r} — белгісіз рөл",
            "ru": "{role!r} — неизвестная роль",
            "en": "{role!r} is not a known role",
        },
        "pb.file.no_due": {
            "kk": "әр қадамның мерзімі болуы керек, мысалы due: 1h",
            "ru": "у каждого шага должен быть срок, например due: 1h",
            "en": "every step needs a due time, e.g. due: 1h",
        },
        "pb.file.not_triage_class": {
            "kk": "{value!r} — триаж санаты емес (light, medium, heavy)",
            "ru": "{value!r} — не категория триажа (light, medium, heavy)",
            "en": "{value!r} is not a triage class (light, medium, heavy)",
        },
        "pb.file.escalate_not_list": {
            "kk": "{example} түріндегі тізім болуы керек",
            "ru": "должно быть списком вида {example}",
            "en": "must be a list of {example}",
        },
        "pb.file.escalate_item": {
            "kk": "{example} түрінде болуы керек",
            "ru": "должно иметь вид {example}",
            "en": "must be {example}",
        },
        "pb.file.checklist_not_list": {
            "kk": "kk және ru тіліндегі тармақтар тізімі болуы керек",
            "ru": "должно быть списком пунктов на kk и ru",
            "en": "must be a list of items in kk and ru",
        },
        "pb.file.message_not_among": {
            "kk": "{message!r} бұл сценарийдің хабарларында жоқ",
            "ru": "{message!r} нет среди сообщений этого сценария",
            "en": "{message!r} is not among this playbook's messages",
        },
        # the plan template
        "pb.file.phase_not_mapping": {
            "kk": "кезең id, title және items кілттері бар сөздік болуы керек",
            "ru": "этап должен быть словарём с ключами id, title и items",
            "en": "must be a mapping with id, title and items",
        },
        "pb.file.five_phases": {
            "kk": "дағдарысқа қарсы жоспарда бес кезең болады (004, 8-кесте)",
            "ru": "в антикризисном плане пять этапов (004, таблица 8)",
            "en": "the anti-crisis plan has five phases (004 Table 8)",
        },
        "pb.file.plan_roles_not_mapping": {
            "kk": "рөлге оның міндеттерін сәйкестендіруі керек",
            "ru": "должно сопоставлять роли её обязанности",
            "en": "must map a role to its duties",
        },
        "pb.file.bad_score": {
            "kk": "{value!r}: баға 1-ден 5-ке дейін болуы керек",
            "ru": "{value!r}: оценка должна быть от 1 до 5",
            "en": "{value!r} must be a score from 1 to 5",
        },
        "pb.file.no_playbook": {
            "kk": "{playbook!r} сценарийі жоқ",
            "ru": "нет сценария {playbook!r}",
            "en": "no playbook {playbook!r}",
        },
        # the tone of a message (playbooks.tone)
        "pb.tone.exclamation": {
            "kk": "леп белгісі бар; сабырлы үнмен жазыңыз",
            "ru": "есть восклицательный знак; тон должен быть спокойным",
            "en": "has an exclamation mark; keep the tone calm",
        },
        "pb.tone.shouting": {
            "kk": "бас әріппен жазылған сөздер бар ({words}); айғайламаңыз",
            "ru": "есть слова, написанные заглавными буквами ({words}); не повышайте тон",
            "en": "has words in capitals ({words}); do not shout",
        },
        "pb.tone.non_answer": {
            "kk": "{phrase!r} деп жазылған — бұл формальды жауап; не істелетінін жазыңыз",
            "ru": "написано {phrase!r} — это формальная отписка; напишите, что будет сделано",
            "en": "says {phrase!r}, a formal non-answer; say what will be done",
        },
        "pb.tone.reply_opening": {
            "kk": "азаматтарға жауап {openings} сөзінен басталуы керек",
            "ru": "ответ гражданам должен начинаться с {openings}",
            "en": "a reply to citizens must start with {openings}",
        },
    }
)


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    payload: dict[str, Any]


def local_time(at: datetime | None, lang: str = "ru") -> str:
    if at is None:
        return "—"
    return local_text(at, "%d.%m.%Y %H:%M")


def template_values(
    run: RunState, playbook: Playbook, agency_name: str, lang: str, summary: str, topic: str | None
) -> dict[str, str]:
    start = run.started_at.astimezone(zone())
    return {
        "agency": agency_name,
        "date": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H:%M"),
        "topic": pick(TOPIC_NAMES.get(topic or ""), lang) or "[тема]",
        "summary": summary or "",
        "severity": str(run.severity),
        "run": run.id,
        "deadline": "",
        "playbook": pick(playbook.title, lang),
    }


def compose(
    effect: Notify,
    run: RunState,
    playbook: Playbook,
    *,
    lang: str,
    agency_name: str,
    summary: str,
    topic: str | None = None,
) -> Composed:
    step = playbook.step(effect.step) if effect.step else None
    state = run.step(effect.step) if effect.step else None
    values = template_values(run, playbook, agency_name, lang, summary, topic)
    step_title = pick(step.title, lang) if step else ""
    due = local_time(state.due_at) if state else ""
    if state:
        values["deadline"] = due
    lines: list[str] = []
    if run.drill:
        lines.append(t("pb.drill", lang))
    lines.append(
        t(
            "pb.header",
            lang,
            agency=agency_name,
            playbook=pick(playbook.title, lang),
            severity=run.severity,
        )
    )
    if summary:
        lines.append(t("pb.alert", lang, summary=summary))
    if effect.kind == "escalation" and state is not None:
        lines.append(
            t("pb.escalation", lang, since=local_time(state.opened_at), level=effect.level)
        )
    elif effect.kind == "overdue" and state is not None:
        lines.append(t("pb.overdue", lang, due=due))
    elif effect.kind == "severity_raised":
        lines.append(t("pb.severity_raised", lang, severity=run.severity))
    if step is not None and state is not None:
        lines.append(t("pb.step", lang, step=step_title, role=playbook.role_name(step.role, lang)))
        lines.append(t("pb.due", lang, due=due))
        lines.append(t("pb.action", lang, action=pick(step.action, lang)))
        if step.checklist:
            lines.append(t("pb.checklist", lang))
            lines.extend(f"- {pick(item, lang)}" for item in step.checklist)
        if step.message:
            lines.append(t("pb.template", lang))
            lines.append(render(pick(playbook.messages[step.message], lang), values))
        lines.append(t("pb.commands", lang, run=run.id, step=step.id))
    else:
        lines.append(t("pb.run_steps", lang))
        for s in run.steps:
            spec = playbook.step(s.id)
            lines.append(f"- {pick(spec.title, lang)}: {local_time(s.due_at)} ({s.status})")
    subject_key = f"pb.subject.{effect.kind}"
    subject = t(
        subject_key,
        lang,
        agency=agency_name,
        step=step_title,
        due=due,
        level=effect.level,
        severity=run.severity,
    )
    if run.drill:
        subject = f"{t('pb.drill', lang)} {subject}"
    payload = {
        "run": run.id,
        "playbook": playbook.id,
        "agency": run.agency,
        "step": effect.step,
        "kind": effect.kind,
        "level": effect.level,
        "severity": run.severity,
        "due_at": state.due_at.isoformat() if state else None,
        "drill": run.drill,
    }
    return Composed(subject, "\n".join(lines), payload)
