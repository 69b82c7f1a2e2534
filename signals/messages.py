"""What alerts and incidents say, in Kazakh, Russian and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qulaq.alerts import Alert
from qulaq.i18n import current_lang, name, register, register_names, t

# What the dashboard and the command line call an alert's kind and status, a risk
# component and a platform: key -> (en, ru, kk).
KIND_NAMES: dict[str, tuple[str, str, str]] = {
    "volume_spike": ("volume spike", "всплеск объёма", "көлемнің секіруі"),
    "negativity_spike": ("negativity spike", "всплеск негатива", "теріс пікірлер секіруі"),
    "topic_burst": ("topic burst", "всплеск темы", "тақырып секіруі"),
    "aggression_surge": ("aggression surge", "рост агрессии", "агрессияның өсуі"),
    "backlog": ("unanswered backlog", "неотвеченные", "жауапсыз пікірлер"),
    "sla_breach": ("late answers", "просроченные ответы", "кешіккен жауаптар"),
    "coordinated": (
        "coordinated activity",
        "скоординированная активность",
        "үйлестірілген белсенділік",
    ),
    "rumour": ("rumour", "слухи", "қауесет"),
    "positive_burst": ("positive burst", "всплеск позитива", "оң пікірлер толқыны"),
}
ALERT_STATUS_NAMES: dict[str, tuple[str, str, str]] = {
    "open": ("open", "открыто", "ашық"),
    "acknowledged": ("acknowledged", "подтверждено", "расталды"),
    "closed": ("closed", "закрыто", "жабық"),
}
INCIDENT_STATUS_NAMES: dict[str, tuple[str, str, str]] = {
    "open": ("open", "открыт", "ашық"),
    "acknowledged": ("acknowledged", "подтверждён", "расталды"),
    "resolved": ("resolved", "решён", "шешілді"),
}
COMPONENT_NAMES: dict[str, tuple[str, str, str]] = {
    "negativity": ("negativity", "негатив", "теріс көзқарас"),
    "volume": ("volume", "объём", "көлем"),
    "aggression": ("aggression", "агрессия", "агрессия"),
    "aftermath": ("recent crisis", "недавний кризис", "жақындағы дағдарыс"),
    "urgent": ("urgent appeals", "срочные обращения", "шұғыл өтініштер"),
    "alerts": ("open alerts", "открытые оповещения", "ашық дабылдар"),
    "unanswered": ("unanswered", "без ответа", "жауапсыз"),
    "incidents": ("open incidents", "открытые инциденты", "ашық инциденттер"),
    "trend": ("trend", "тренд", "үрдіс"),
    "response_time": ("response time", "время ответа", "жауап уақыты"),
}
PLATFORM_NAMES: dict[str, tuple[str, str, str]] = {
    "instagram": ("Instagram", "Instagram", "Instagram"),
    "facebook": ("Facebook", "Facebook", "Facebook"),
    "vk": ("VK", "ВКонтакте", "ВКонтакте"),
    "telegram": ("Telegram", "Telegram", "Telegram"),
    "x": ("X", "X", "X"),
    "youtube": ("YouTube", "YouTube", "YouTube"),
    "tiktok": ("TikTok", "TikTok", "TikTok"),
    "web": ("Website", "Сайт", "Сайт"),
}
_NAMES = {
    "kind": KIND_NAMES,
    "alertstatus": ALERT_STATUS_NAMES,
    "incidentstatus": INCIDENT_STATUS_NAMES,
    "component": COMPONENT_NAMES,
    "platform": PLATFORM_NAMES,
}

register_names("signals", _NAMES)


def kind_name(kind: str, lang: str | None = None) -> str:
    return name("signals", "kind", kind, lang)


def alert_status_name(status: str, lang: str | None = None) -> str:
    return name("signals", "alertstatus", status, lang)


def incident_status_name(status: str, lang: str | None = None) -> str:
    return name("signals", "incidentstatus", status, lang)


def incident_summary(incident: Mapping[str, Any], agency_name: str, lang: str | None) -> str:
    """What an incident says ("{agency}: 2 alerts (…), highest severity 3") in `lang`, from
    its stored fields; the stored sentence (the stage's language) when they are missing."""
    kinds = incident.get("kinds")
    if not isinstance(kinds, list) or not incident.get("alert_count"):
        return str(incident.get("summary") or "")
    return t(
        "signals.incident",
        lang,
        agency=agency_name,
        count=incident["alert_count"],
        kinds=", ".join(kind_name(str(k), lang) for k in kinds),
        severity=incident.get("severity"),
    )


def component_name(component: str, lang: str | None = None) -> str:
    return name("signals", "component", component, lang)


def platform_name(platform: str, lang: str | None = None) -> str:
    return name("signals", "platform", platform, lang)


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


def alert_summary_in(
    body: Mapping[str, Any] | None, agency_name: str, lang: str | None = None, stored: str = ""
) -> str:
    """What an alert says in the reader's language, rebuilt from its stored body (its
    summary was written in the stage's language), its topics and platform by their
    names rather than their ids; `stored` when the body is missing or not an alert's."""
    if not body:
        return stored
    from sentiment.topics import name as topic_name

    reader = lang or current_lang()
    try:
        named = dict(body)
        if body.get("topic"):
            named["topic"] = topic_name(str(body["topic"]), reader)
        named["topics"] = [topic_name(str(topic), reader) for topic in body.get("topics") or []]
        if body.get("platform"):
            named["platform"] = platform_name(str(body["platform"]), reader)
        return alert_summary(Alert.from_dict(named), agency_name, reader)
    except (KeyError, TypeError, ValueError):
        return stored
