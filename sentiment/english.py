"""English comments: TextBlob's polarity lexicon, mapped to three probabilities."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

_TOXIC = re.compile(
    r"\b(?:fuck\w*|shit\w*|bitch\w*|asshole\w*|bastard\w*|idiot\w*|stupid|moron\w*|dumb|"
    r"scum|cunt\w*|retard\w*|loser\w*|kill (?:you|them|him|her)|die\b)"
)


@lru_cache(maxsize=1)
def _lexicon() -> Any:
    from textblob.en import sentiment

    return sentiment


def polarity(text: str) -> float:
    """TextBlob's (pattern) polarity in [-1, 1]."""
    return float(_lexicon()(text)[0])


def proba(text: str) -> npt.NDArray[np.float64]:
    """(p_negative, p_neutral, p_positive) from the polarity in [-1, 1]."""
    pol = polarity(text)
    strength = min(abs(pol) / 0.3, 1.0)
    side = 0.15 + 0.7 * strength
    if pol > 0.05:
        p = np.array([0.05, 1.0 - side - 0.05, side])
    elif pol < -0.05:
        p = np.array([side, 1.0 - side - 0.05, 0.05])
    else:
        p = np.array([0.15, 0.7, 0.15])
    return p / p.sum()


def toxic(text: str) -> float:
    return 0.9 if _TOXIC.search(text) else 0.05
