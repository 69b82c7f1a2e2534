"""User-facing text in Kazakh, Russian and English, from one place.

`t("key", n=3)` returns the message in the current language: `QULAQ_LANG`
(kk, ru, en), else the locale (LC_ALL, LC_MESSAGES, LANG), else English.
Other parts of Qulaq (dashboard, alerts, reports) add their own catalogues
with `register`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("kk", "ru", "en")

_CATALOG: dict[str, dict[str, str]] = {
    "replay.interrupted": {
        "en": "{file}: stopped at line {line}: {published} events published, {quarantined} "
        "lines quarantined; replaying the file again is safe",
        "ru": "{file}: остановлено на строке {line}: опубликовано событий {published}, в "
        "карантине строк {quarantined}; воспроизвести файл снова безопасно",
        "kk": "{file}: {line}-жолда тоқтатылды: {published} оқиға жарияланды, "
        "{quarantined} жол карантинге жіберілді; файлды қайта ойнату қауіпсіз",
    },
    "replay.done": {
        "en": "replayed {file}: {published} events published, {quarantined} lines quarantined, "
        "{blank} blank lines skipped ({seconds:.1f} s)",
        "ru": "воспроизведён {file}: опубликовано событий {published}, в карантине строк "
        "{quarantined}, пропущено пустых строк {blank} ({seconds:.1f} с)",
        "kk": "{file} ойнатылды: {published} оқиға жарияланды, {quarantined} жол карантинге "
        "жіберілді, {blank} бос жол өткізілді ({seconds:.1f} с)",
    },
    "replay.reasons": {
        "en": "quarantine reasons: {reasons}",
        "ru": "причины карантина: {reasons}",
        "kk": "карантин себептері: {reasons}",
    },
    "replay.reasons_rest": {
        "en": "other reasons ×{n} (qulaq quarantine list shows them)",
        "ru": "другие причины ×{n} (их покажет qulaq quarantine list)",
        "kk": "басқа себептер ×{n} (оларды qulaq quarantine list көрсетеді)",
    },
    "run.done": {
        "en": "processed {messages} events: {stored} new comments, {updated} updated, "
        "{quarantined} quarantined ({rate:.0f} events/s)",
        "ru": "обработано событий {messages}: новых комментариев {stored}, обновлено {updated}, "
        "в карантине {quarantined} ({rate:.0f} событий/с)",
        "kk": "{messages} оқиға өңделді: {stored} жаңа пікір, {updated} жаңартылды, "
        "{quarantined} карантинде ({rate:.0f} оқиға/с)",
    },
    "run.idle": {
        "en": "nothing to process: every published event is already processed",
        "ru": "обрабатывать нечего: все опубликованные события уже обработаны",
        "kk": "өңдейтін ештеңе жоқ: барлық жарияланған оқиғалар өңделген",
    },
    "run.kafka_idle": {
        "en": "every published event is processed (stages: {stages})",
        "ru": "все опубликованные события обработаны (этапы: {stages})",
        "kk": "барлық жарияланған оқиғалар өңделді (кезеңдер: {stages})",
    },
    "run.waiting": {
        "en": "running every stage on {bus}; Ctrl+C stops after the current batch",
        "ru": "все этапы работают на {bus}; Ctrl+C остановит после текущего пакета",
        "kk": "барлық кезеңдер {bus} үстінде жұмыс істейді; Ctrl+C ағымдағы топтамадан кейін "
        "тоқтатады",
    },
    "error.prefix": {"en": "error", "ru": "ошибка", "kk": "қате"},
    "error.disk_full": {
        "en": "no space left on the disk ({detail}); nothing already published or stored is "
        "lost: free space and run the command again",
        "ru": "на диске нет места ({detail}); уже опубликованное и сохранённое не потеряно: "
        "освободите место и повторите команду",
        "kk": "дискіде орын жоқ ({detail}); жарияланған және сақталған ештеңе жоғалған жоқ: "
        "орын босатып, команданы қайталаңыз",
    },
    "replay.disk_full": {
        "en": "no space left on the disk ({detail}); what was published before stays "
        "published: free space and replay the whole file again (duplicates are absorbed)",
        "ru": "на диске нет места ({detail}); опубликованное ранее сохраняется: освободите "
        "место и воспроизведите весь файл снова (повторы поглощаются)",
        "kk": "дискіде орын жоқ ({detail}); бұрын жарияланғаны сақталады: орын босатып, "
        "бүкіл файлды қайта ойнатыңыз (қайталанулар ескерілмейді)",
    },
    "run.disk_full": {
        "en": "no space left on the disk ({detail}); the batch is kept and tried again every "
        "{seconds:.0f} s until there is space",
        "ru": "на диске нет места ({detail}); пакет сохранён и будет повторяться каждые "
        "{seconds:.0f} с, пока не появится место",
        "kk": "дискіде орын жоқ ({detail}); топтама сақталды, орын пайда болғанша әр "
        "{seconds:.0f} с сайын қайталанады",
    },
    "error.internal": {
        "en": "internal error: {message} (details in {log})",
        "ru": "внутренняя ошибка: {message} (подробности в {log})",
        "kk": "ішкі қате: {message} (толығырақ {log} ішінде)",
    },
    "error.interrupted": {
        "en": "interrupted",
        "ru": "прервано",
        "kk": "тоқтатылды",
    },
}


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    for key, by_lang in messages.items():
        missing = [lang for lang in LANGS if lang not in by_lang]
        if missing:
            raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
        _CATALOG[key] = dict(by_lang)


# a table of names: key -> (English, Russian, Kazakh)
Names = Mapping[str, tuple[str, str, str]]


def register_names(prefix: str, groups: Mapping[str, Names]) -> None:
    """Tables of names (alert kinds, run states, languages…), each group's names
    registered as catalogue entries `{prefix}.{group}.{key}`."""
    register(
        {
            f"{prefix}.{group}.{key}": {"en": en, "ru": ru, "kk": kk}
            for group, names in groups.items()
            for key, (en, ru, kk) in names.items()
        }
    )


def name(prefix: str, group: str, key: str, lang: str | None = None) -> str:
    """`key` of a table registered with `register_names`, as a reader in `lang` calls
    it; a key no table names (a newer state, kind or code) as it is."""
    entry = f"{prefix}.{group}.{key}"
    return t(entry, lang) if entry in _CATALOG else key


def current_lang() -> str:
    explicit = os.environ.get("QULAQ_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").lower()
        if value[:2] in ("kk", "ru"):
            return value[:2]
        if value:
            break
    return "en"


def t(key: str, lang: str | None = None, **params: object) -> str:
    entry = _CATALOG.get(key)
    if entry is None:
        raise KeyError(f"no message {key!r}")
    template = entry.get(lang or current_lang()) or entry["en"]
    return template.format(**params) if params else template
