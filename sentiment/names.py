"""The names of languages and tone labels in English, Russian and Kazakh: one catalogue
for the dashboard and the command line."""

from __future__ import annotations

from qulaq.i18n import name, register_names

# key: (en, ru, kk)
LANG_NAMES: dict[str, tuple[str, str, str]] = {
    "kk": ("Kazakh", "казахский", "қазақша"),
    "ru": ("Russian", "русский", "орысша"),
    "en": ("English", "английский", "ағылшынша"),
    "mixed": ("mixed", "смешанный", "аралас"),
    "other": ("other", "другой", "басқа"),
}
SENTIMENT_NAMES: dict[str, tuple[str, str, str]] = {
    "negative": ("negative", "негатив", "теріс"),
    "neutral": ("neutral", "нейтрально", "бейтарап"),
    "positive": ("positive", "позитив", "оң"),
}

register_names("sentiment", {"lang": LANG_NAMES, "label": SENTIMENT_NAMES})


def lang_name(code: str, lang: str | None = None) -> str:
    """A comment language (`kk`, `mixed`…) named in `lang`; an unknown code as it is."""
    return name("sentiment", "lang", code, lang)


def sentiment_name(label: str, lang: str | None = None) -> str:
    """A tone label named in `lang`; an unknown one as it is."""
    return name("sentiment", "label", label, lang)
