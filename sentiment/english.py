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


# What TextBlob's lexicon misses in a complaint to a public body: "unacceptable", "nobody
# answers", "the water has been off for three days".
_COMPLAINT = re.compile(
    r"\b(?:unacceptable|disgrace\w*|shameful|outrage\w*|ridiculous|useless|incompetent|"
    r"(?:nobody|no one|no-one) (?:answers|answered|cares|came|comes|helps|helped|responds)|"
    r"still (?:no|not|off|out|broken|closed|waiting)|"
    r"(?:has|have|had) been (?:off|out|broken|closed|cut)|"
    r"no (?:water|heating|heat|electricity|power|gas|light|hot water)\b|"
    r"(?:water|heating|power|electricity|gas|lights?)\s+(?:is |are |was |has been )?"
    r"(?:off|out|cut)\b|"
    r"(?:waiting|waited) (?:for )?(?:\d+|two|three|four|five|several|many) "
    r"(?:hours|days|weeks|months)|refused|potholes?|garbage (?:is not|isn't|not) collected)"
)
# Asking the body to act: these need an answer whatever their tone.
_REQUEST = re.compile(
    r"\b(?:please|help|fix|repair|when will|why (?:is|are|do|does|did|has|have)|"
    r"how (?:can|do|long)|where (?:can|do|is)|who (?:is|will)|what (?:is|are|should)|"
    r"do something|take (?:action|measures)|complain\w*)\b"
)


def complaints(text: str) -> int:
    """Complaint phrases in an English comment (lower case), at most two."""
    return min(len(_COMPLAINT.findall(text)), 2)


def is_request(text: str) -> bool:
    return _REQUEST.search(text) is not None


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
