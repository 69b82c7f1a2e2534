"""What the collector commands say to people, in Kazakh, Russian and English."""

from __future__ import annotations

from qulaq.i18n import register

register(
    {
        "collect.pass": {
            "en": "{platform} {account}: {published} published ({new} new, {edits} edits, "
            "{deletions} deletions, {restored} restored), {requests} requests, "
            "{waits} rate-limit waits, {warnings} warnings, {seconds:.1f} s; run {run}",
            "ru": "{platform} {account}: опубликовано {published} (новых {new}, правок {edits}, "
            "удалений {deletions}, восстановлено {restored}), запросов {requests}, "
            "ожиданий из-за лимитов {waits}, предупреждений {warnings}, {seconds:.1f} с; "
            "запуск {run}",
            "kk": "{platform} {account}: {published} жарияланды ({new} жаңа, {edits} түзету, "
            "{deletions} жою, {restored} қалпына келді), {requests} сұрау, "
            "шектеу күтуі {waits}, ескерту {warnings}, {seconds:.1f} с; іске қосу {run}",
        },
        "collect.quarantined": {
            "en": "{n} events did not validate and are kept in quarantine",
            "ru": "{n} событий не прошли проверку и помещены в карантин",
            "kk": "{n} оқиға тексеруден өтпей, карантинге жіберілді",
        },
        "collect.live": {
            "en": "collecting {platform} {target} every {interval:.0f} s; Ctrl-C to stop",
            "ru": "сбор {platform} {target} каждые {interval:.0f} с; Ctrl-C — остановить",
            "kk": "{platform} {target} жинау әр {interval:.0f} с сайын; тоқтату үшін Ctrl-C",
        },
        "collectors.none": {
            "en": "no collector has run yet",
            "ru": "ни один сборщик ещё не запускался",
            "kk": "әлі бірде-бір жинағыш іске қосылған жоқ",
        },
        "collectors.line": {
            "en": "{platform} {account}: {status}, last success {last_ok}, lag {lag}",
            "ru": "{platform} {account}: {status}, последний успех {last_ok}, отставание {lag}",
            "kk": "{platform} {account}: {status}, соңғы сәтті жинау {last_ok}, кешігу {lag}",
        },
        "collectors.metrics": {
            "en": "  posts {posts}, comments {comments}, official replies {official}, "
            "reply rate {rate}, followers {followers}",
            "ru": "  публикаций {posts}, комментариев {comments}, официальных ответов "
            "{official}, доля отвеченных {rate}, подписчиков {followers}",
            "kk": "  жазба {posts}, пікір {comments}, ресми жауап {official}, "
            "жауап берілген үлес {rate}, жазылушы {followers}",
        },
        "collectors.error": {
            "en": "  last error ({failures} in a row): {error}",
            "ru": "  последняя ошибка ({failures} подряд): {error}",
            "kk": "  соңғы қате (қатарынан {failures}): {error}",
        },
        "webhooks.listening": {
            "en": "webhooks on {url}: {paths}",
            "ru": "вебхуки на {url}: {paths}",
            "kk": "вебхуктар {url} мекенжайында: {paths}",
        },
    }
)
