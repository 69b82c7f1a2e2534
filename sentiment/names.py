"""The names of languages and tone labels in English, Russian and Kazakh: one catalogue
for the dashboard and the command line."""

from __future__ import annotations

from qulaq.i18n import register, t

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
_NAMES = {"lang": LANG_NAMES, "label": SENTIMENT_NAMES}

register(
    {
        f"sentiment.{group}.{key}": {"en": en, "ru": ru, "kk": kk}
        for group, names in _NAMES.items()
        for key, (en, ru, kk) in names.items()
    }
)


def lang_name(code: str, lang: str | None = None) -> str:
    """A comment language (`kk`, `mixed`…) named in `lang`; an unknown code as it is."""
    return t(f"sentiment.lang.{code}", lang) if code in LANG_NAMES else code


def sentiment_name(label: str, lang: str | None = None) -> str:
    """A tone label named in `lang`; an unknown one as it is."""
    return t(f"sentiment.label.{label}", lang) if label in SENTIMENT_NAMES else label
