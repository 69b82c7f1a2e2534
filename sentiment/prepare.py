"""From raw comments to what every head reads: normalised views, language, hashed n-grams."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sentiment import features, language
from sentiment.normalize import Normalised, feature_text, fold_kazakh, normalise


@dataclass(frozen=True, slots=True)
class Prepared:
    norms: list[Normalised]
    langs: list[str]
    feature_texts: list[str]
    folded: list[str]  # fold_kazakh of each Cyrillic view


def prepare(texts: Sequence[str]) -> Prepared:
    norms: list[Normalised] = []
    langs: list[str] = []
    feats: list[str] = []
    folded: list[str] = []
    for raw in texts:
        text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        norm = normalise(text)
        lang = language.detect(norm)
        if lang == "en":
            norm = normalise(text, latin_is_english=True)
        norms.append(norm)
        langs.append(lang)
        fold = fold_kazakh(norm.cyrillic)
        folded.append(fold)
        feats.append(feature_text(norm, fold))
    return Prepared(norms, langs, feats, folded)


def hash_texts(texts: Sequence[str], chunk: int = 4000) -> list[features.Hashed]:
    """Hashed n-grams of raw texts, in chunks (for training on tens of thousands)."""
    out = []
    for i in range(0, len(texts), chunk):
        out.append(features.hash_batch(prepare(texts[i : i + chunk]).feature_texts))
    return out
