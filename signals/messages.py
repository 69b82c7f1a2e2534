"""What alerts and incidents say, in Kazakh, Russian and English."""

from __future__ import annotations

from qulaq.alerts import Alert
from qulaq.i18n import register, t

register(
    {
        "signals.alert.volume_spike": {
            "en": "{agency}: {observed:.0f} comments against {expected:.0f} expected "
            "({ratio:.1f}×), {neg}% negative{about}",
            "ru": "{agency}: {observed:.0f} комментариев при ожидаемых {expected:.0f} "
            "({ratio:.1f}×), негативных {neg}%{about}",
            "kk": "{agency}: күтілген {expected:.0f} орнына {observed:.0f} пікір "
            "({ratio:.1f}×), теріс пікірлер {neg}%{about}",
        },
        "signals.alert.negativity_spike": {
            "en": "{agency}: {neg}% of {n} comments negative, usually {usual}%{about}",
            "ru": "{agency}: негативных {neg}% из {n} комментариев, обычно {usual}%{about}",
            "kk": "{agency}: {n} пікірдің {neg}% теріс, әдетте {usual}%{about}",
        },
        "signals.alert.topic_burst": {
            "en": "{agency}: {observed:.0f} comments on a rising subject against {expected:.0f} "
            "expected{about}",
            "ru": "{agency}: растущая тема, {observed:.0f} комментариев при ожидаемых "
            "{expected:.0f}{about}",
            "kk": "{agency}: өсіп келе жатқан тақырып, күтілген {expected:.0f} орнына "
            "{observed:.0f} пікір{about}",
        },
        "signals.alert.aggression_surge": {
            "en": "{agency}: {observed:.0f} aggressive comments, {strong} of them threats or "
            "obscenity, against {expected:.1f} usual",
            "ru": "{agency}: {observed:.0f} агрессивных комментариев, из них угроз или мата "
            "{strong}, обычно {expected:.1f}",
            "kk": "{agency}: {observed:.0f} агрессивті пікір, оның ішінде қоқан-лоқы не "
            "балағат {strong}, әдетте {expected:.1f}",
        },
        "signals.alert.rumour": {
            "en": "{agency}: {observed:.0f} comments pass on hearsay; answer on the official "
            "channels{about}",
            "ru": "{agency}: {observed:.0f} комментариев пересказывают слухи; нужен ответ на "
            "официальных площадках{about}",
            "kk": "{agency}: {observed:.0f} пікір қауесет таратады; ресми алаңдарда жауап "
            "беру қажет{about}",
        },
        "signals.alert.coordinated": {
            "en": "{agency}: {observed:.0f} near-identical comments from {accounts} accounts"
            "{promo}",
            "ru": "{agency}: {observed:.0f} почти одинаковых комментариев с {accounts} "
            "аккаунтов{promo}",
            "kk": "{agency}: {accounts} аккаунттан {observed:.0f} бірдей дерлік пікір{promo}",
        },
        "signals.alert.backlog": {
            "en": "{agency}: {observed:.0f} comments past their answer deadline{usually} "
            "— a daily figure",
            "ru": "{agency}: {observed:.0f} комментариев без ответа сверх срока{usually} "
            "— ежедневный показатель",
            "kk": "{agency}: мерзімі өткен жауапсыз {observed:.0f} пікір{usually} "
            "— күнделікті көрсеткіш",
        },
        "signals.usually": {
            "en": " (usually {expected:.0f})",
            "ru": " (обычно {expected:.0f})",
            "kk": " (әдетте {expected:.0f})",
        },
        "signals.alert.sla_breach": {
            "en": "{agency}: {observed:.0f} urgent comments unanswered for more than a day",
            "ru": "{agency}: {observed:.0f} срочных обращений без ответа больше суток",
            "kk": "{agency}: {observed:.0f} шұғыл өтініш бір тәуліктен астам жауапсыз",
        },
        "signals.alert.positive_burst": {
            "en": "{agency}: a burst of praise or greetings, {observed:.0f} comments against "
            "{expected:.0f} expected — not a crisis{about}",
            "ru": "{agency}: всплеск благодарностей или поздравлений, {observed:.0f} "
            "комментариев при ожидаемых {expected:.0f} — не кризис{about}",
            "kk": "{agency}: алғыс не құттықтау толқыны, күтілген {expected:.0f} орнына "
            "{observed:.0f} пікір — дағдарыс емес{about}",
        },
        "signals.about.topics": {
            "en": "; topics: {v}",
            "ru": "; темы: {v}",
            "kk": "; тақырыптар: {v}",
        },
        "signals.about.terms": {"en": "; words: {v}", "ru": "; слова: {v}", "kk": "; сөздер: {v}"},
        "signals.about.platform": {
            "en": "; mostly on {v}",
            "ru": "; в основном в {v}",
            "kk": "; көбіне {v} желісінде",
        },
        "signals.promo": {
            "en": " (advertising or scam)",
            "ru": " (реклама или мошенничество)",
            "kk": " (жарнама не алаяқтық)",
        },
        "signals.incident": {
            "en": "{agency}: {count} alerts ({kinds}), highest severity {severity}",
            "ru": "{agency}: сигналов {count} ({kinds}), наивысшая важность {severity}",
            "kk": "{agency}: {count} дабыл ({kinds}), ең жоғары маңыздылық {severity}",
        },
    }
)


def alert_summary(alert: Alert, agency_name: str, lang: str | None = None) -> str:
    about = ""
    if alert.platform and alert.kind in ("volume_spike", "positive_burst"):
        about += t("signals.about.platform", lang, v=alert.platform)
    topics = [alert.topic] if alert.topic else alert.topics[:2]
    if topics and alert.kind not in ("coordinated", "backlog", "sla_breach"):
        about += t("signals.about.topics", lang, v=", ".join(topics))
    if alert.terms:
        about += t("signals.about.terms", lang, v=", ".join(alert.terms[:4]))
    share = alert.negative_share or 0.0
    d = alert.detail
    n = int(d.get("comments") or 0)
    usual = d.get("usual_share")
    params = {
        "agency": agency_name,
        "observed": alert.observed,
        "expected": alert.expected,
        "ratio": alert.observed / max(alert.expected, 0.5),
        "neg": round(100 * share),
        "n": n,
        "usual": round(100 * usual) if isinstance(usual, int | float) else "?",
        "about": about,
        "strong": int(d.get("strong") or 0),
        "accounts": int(d.get("accounts") or 0),
        "promo": t("signals.promo", lang) if d.get("promotional") else "",
        # daily figures in an agency's first week have no usual day to compare with
        "usually": t("signals.usually", lang, expected=alert.expected)
        if d.get("baseline", True)
        else "",
    }
    return t(f"signals.alert.{alert.kind}", lang, **params)
