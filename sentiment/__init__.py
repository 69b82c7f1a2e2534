"""Understanding of citizens' comments in Kazakh, Russian and English.

``Analyzer.default().analyze(texts)`` gives, per comment: sentiment with
calibrated probabilities, language, aggression level, topics and triage.
``reply_quality`` judges an agency's own reply; ``within_competence`` checks a
comment's topics against an agency's competence.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sentiment import aggression, cues, english, features, model, topics, triage, urgency
from sentiment.prepare import Prepared, prepare
from sentiment.reply import ReplyQuality, reply_quality

__all__ = [
    "Analysis",
    "Analyzer",
    "ReplyQuality",
    "reply_quality",
    "within_competence",
]

LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class Analysis:
    label: str  # positive | neutral | negative
    p_positive: float
    p_neutral: float
    p_negative: float
    lang: str  # kk | ru | en | mixed | other
    aggression: str  # none | aggression | strong
    topics: tuple[str, ...] = ()
    needs_answer: bool = False
    urgent: bool = False
    severity: str | None = None  # light | medium | heavy
    answer_days: int | None = None
    p_toxic: float = 0.0


def _softmax(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# Insults and threats are negative whatever the words around them say.
AGGRESSION_SHIFT = {"none": 0.0, "aggression": 0.8, "strong": 1.5}
EXPLICIT_SHIFT = 2.5  # a threat or an insult named outright


@dataclass(frozen=True, slots=True)
class _Scores:
    probs: npt.NDArray[np.float64]
    p_toxic: npt.NDArray[np.float64]
    levels: list[str]
    folded: list[str]
    urgent: list[bool]
    complaints: dict[int, int]  # English comments: their complaint phrases, by row


# The learned urgency head calls a comment urgent above this logit. Its classes are balanced in
# training, so 0 would be its even odds; in an ordinary day's feed (one comment in six urgent)
# that raised more false alarms than it found appeals, and 2.0 was the best F1 there
# (sentiment/models/MODEL_CARD.md).
URGENT_LOGIT = 2.0


class Analyzer:
    """Batch analysis of comments with the committed models."""

    _default: Analyzer | None = None
    _lock = threading.Lock()

    def __init__(self, heads: model.Heads) -> None:
        self._heads = heads
        self.model_version: str = heads.version
        self._power = heads.combine_power

    @classmethod
    def load(cls, path: Path) -> Analyzer:
        return cls(model.load(path))

    @classmethod
    def default(cls) -> Analyzer:
        with cls._lock:
            if cls._default is None:
                cls._default = cls(model.load())
            return cls._default

    def sentiment_proba(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float64], list[str]]:
        """Probabilities (n, 3) in ``LABELS`` order, and the languages."""
        prep = prepare(texts)
        return self._understand(prep).probs, prep.langs

    def _understand(self, prep: Prepared) -> _Scores:
        hashed = features.hash_batch(prep.feature_texts)
        logits = self._heads.logits(hashed)
        p_tox = 1.0 / (1.0 + np.exp(-logits["toxic"][:, 0]))
        # The learned urgency head, beside the rules: it reads urgent appeals worded in ways no
        # rule names, and speaks only when sure (see URGENT_LOGIT).
        learned = (
            logits["urgent"][:, 0] > URGENT_LOGIT
            if "urgent" in logits
            else np.zeros(len(p_tox), dtype=bool)
        )
        n = len(prep.norms)
        shift = np.zeros((n, 3))
        levels: list[str] = []
        urgent: list[bool] = []
        folded = prep.folded
        for i, norm in enumerate(prep.norms):
            fold = folded[i]
            is_english = prep.langs[i] == "en"
            # Emoji or digits alone: nothing the text models can judge.
            has_words = norm.n_cyr + norm.n_lat >= 2
            if is_english:
                p_tox[i] = english.toxic(norm.clean)
            elif not has_words:
                p_tox[i] = 0.0
            level, explicit = aggression.assess(fold, float(p_tox[i]))
            levels.append(level)
            neg, pos = cues.counts(fold)
            # A threat to life, health, property or rights is a complaint whatever its words.
            # The learned head has seen no English: English rests on its rules alone.
            urgent.append(
                urgency.is_urgent_english(norm.clean)
                if is_english
                else bool(learned[i] and has_words) or urgency.is_urgent(fold)
            )
            # Despair ("хочу покончить с собой") is one more: the aggression shift no longer
            # carries it, and the heads read "хочу" as a wish.
            neg = min(neg + urgent[i] + (urgency.SELF_HARM.search(fold) is not None), cues.CAP)
            shift[i, 0] = cues.STEP * neg + (
                EXPLICIT_SHIFT if explicit else AGGRESSION_SHIFT[level]
            )
            shift[i, 2] = cues.STEP * pos
        p_ru = _softmax(logits["sent_ru"] + shift)
        p_kk = _softmax(logits["sent_kk"] + shift)
        p_joint = _softmax(logits["sent_joint"] + shift)
        langs = np.array(prep.langs)
        w_kk = np.select([langs == "kk", langs == "ru"], [1.0, 0.0], 0.5)[:, None]
        # The per-language head and the head trained on both languages, averaged: the joint one
        # carries Russian words in Kazakh reviews and Kazakh words in mixed comments.
        probs = (0.5 * (w_kk * p_kk + (1.0 - w_kk) * p_ru) + 0.5 * p_joint) ** self._power
        probs /= probs.sum(axis=1, keepdims=True)
        complaints: dict[int, int] = {}
        for j in np.flatnonzero(langs == "en").tolist():
            clean = prep.norms[j].clean
            probs[j] = english.proba(clean)
            complaints[j] = english.complaints(clean)
            # an urgent appeal counts as two complaint cues
            neg_cues = complaints[j] + 2 * urgent[j]
            if neg_cues:
                probs[j, 0] *= np.exp(neg_cues * cues.STEP)
                probs[j] /= probs[j].sum()
        return _Scores(probs, p_tox, levels, folded, urgent, complaints)

    def analyze(self, texts: Sequence[str]) -> list[Analysis]:
        if not texts:
            return []
        prep = prepare(texts)
        scores = self._understand(prep)
        rows = scores.probs.tolist()
        labels = scores.probs.argmax(axis=1).tolist()
        p_toxic = np.round(scores.p_toxic, 4).tolist()
        out = []
        for i, norm in enumerate(prep.norms):
            p_neg, p_neu, p_pos = rows[i]
            label = LABELS[labels[i]]
            found = topics.detect(scores.folded[i])
            t = triage.triage(
                norm.cyrillic,
                label=label,
                p_negative=p_neg,
                topics=found,
                questions=norm.questions,
                letters=norm.n_cyr + norm.n_lat,
                urgent=scores.urgent[i],
                # English comments get no topics: a complaint phrase stands for one
                request=prep.langs[i] == "en"
                and (english.is_request(norm.clean) or scores.complaints[i] > 0),
            )
            out.append(
                Analysis(
                    label=label,
                    p_positive=p_pos,
                    p_neutral=p_neu,
                    p_negative=p_neg,
                    lang=prep.langs[i],
                    aggression=scores.levels[i],
                    topics=found,
                    needs_answer=t.needs_answer,
                    urgent=t.urgent,
                    severity=t.severity,
                    answer_days=t.answer_days,
                    p_toxic=p_toxic[i],
                )
            )
        return out


def within_competence(topics: Sequence[str], competence: Sequence[str]) -> bool:
    """True when a comment with these topics belongs to an agency with this competence.

    A comment with no recognised topic is taken as within competence (it is for the
    agency to read); one whose topics all lie outside it is to be redirected.
    """
    if not topics:
        return True
    return bool(set(topics) & set(competence))
