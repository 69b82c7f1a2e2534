"""Rebuild the committed models from the shared data, our development gold comments and
press officers' corrections.

python -m sentiment.train [--corrections PATH]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier

from sentiment import corrections, data, features, gold, language
from sentiment.model import HEADS_PATH, MODELS_DIR, Head, Heads
from sentiment.prepare import hash_texts

SEED = 13
ALPHA = {"sent_ru": 3e-6, "sent_kk": 1e-5, "sent_joint": 3e-6, "toxic": 1e-5, "urgent": 1e-5}
# Public posts and reviews in the urgency head's training, as appeals that are not urgent.
URGENCY_BACKGROUND = 3000


@dataclass(slots=True)
class Corpus:
    texts: list[str]
    labels: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]

    @classmethod
    def of(cls, examples: Sequence[data.Example], weight: float = 1.0) -> Corpus:
        return cls(
            [e.text for e in examples],
            np.array([e.label for e in examples], dtype=np.int64),
            np.full(len(examples), weight),
        )

    def __add__(self, other: Corpus) -> Corpus:
        return Corpus(
            self.texts + other.texts,
            np.concatenate([self.labels, other.labels]),
            np.concatenate([self.weights, other.weights]),
        )


def idf_of(hashed: Sequence[features.Hashed]) -> npt.NDArray[np.float32]:
    n = sum(h.n_texts for h in hashed)
    df = np.zeros(features.N_BUCKETS)
    for h in hashed:
        df += features.document_frequency(h)
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def design(hashed: Sequence[features.Hashed], idf: npt.NDArray[np.float32]) -> sp.csr_matrix:
    return sp.vstack([features.matrix(h, idf) for h in hashed]).tocsr()


# A capped number of epochs is the regularisation we want, not a failure to report.
warnings.filterwarnings("ignore", category=ConvergenceWarning)


def _sgd(alpha: float) -> SGDClassifier:
    return SGDClassifier(
        loss="log_loss", alpha=alpha, max_iter=60, tol=1e-5, random_state=SEED, n_iter_no_change=3
    )


def _logits(model: SGDClassifier, x: sp.csr_matrix) -> npt.NDArray[np.float64]:
    z = np.asarray(model.decision_function(x), dtype=np.float64)
    return z[:, None] if z.ndim == 1 else z


def _nll(z: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> float:
    if z.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        p = np.clip(np.where(y == 1, p, 1.0 - p), 1e-12, 1.0)
        return float(-np.log(p).mean())
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def held_out(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    """About 10% of rows, chosen by the text itself so that a text is held out of every head."""
    return np.array([zlib.crc32(t.encode("utf-8", "replace")) % 10 == 0 for t in texts])


@dataclass(slots=True)
class FittedHead:
    coef: npt.NDArray[np.float32]  # (n_buckets, k)
    bias: npt.NDArray[np.float64]
    temperature: float
    held_proba: npt.NDArray[np.float64]  # calibrated probabilities of the held-out rows


def _softmax(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_head(
    x: sp.csr_matrix,
    y: npt.NDArray[np.int64],
    w: npt.NDArray[np.float64],
    alpha: float,
    hold: npt.NDArray[np.bool_] | None = None,
) -> FittedHead:
    """Fit on the rows outside ``hold`` to choose a temperature on ``hold``, then refit on all."""
    if hold is None:
        hold = np.random.default_rng(SEED).random(x.shape[0]) < 0.1
    first = _sgd(alpha).fit(x[~hold], y[~hold], sample_weight=w[~hold])
    z = _logits(first, x[hold])
    res = minimize_scalar(lambda t: _nll(z / t, y[hold]), bounds=(0.2, 5.0), method="bounded")
    temp = float(res.x)
    held = _softmax(z / temp) if z.shape[1] > 1 else 1.0 / (1.0 + np.exp(-z / temp))
    model = _sgd(alpha).fit(x, y, sample_weight=w)
    coef = np.asarray(model.coef_, dtype=np.float32).T
    return FittedHead(coef, np.asarray(model.intercept_, dtype=np.float64), temp, held)


def combine_power(
    parts: Sequence[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]],
    labels: npt.NDArray[np.int64],
) -> float:
    """Exponent that recalibrates the mean of two calibrated heads (a mean is under-confident)."""
    mean = np.vstack([0.5 * (a + b) for a, b in parts])

    def nll(power: float) -> float:
        p = mean**power
        p /= p.sum(axis=1, keepdims=True)
        return float(-np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, 1.0)).mean())

    return float(minimize_scalar(nll, bounds=(0.5, 4.0), method="bounded").x)


def sentiment_corpora(speech_as_positive: bool = False) -> dict[str, Corpus]:
    ru = data.rusentiment("random", speech_as_positive=speech_as_positive) + data.rusentiment(
        "preselected", speech_as_positive=speech_as_positive
    )
    kk = data.kazsandra_train()
    return {
        "sent_ru": Corpus.of(ru),
        "sent_kk": Corpus.of(kk),
        "sent_joint": Corpus.of(ru) + Corpus.of(kk),
    }


def toxicity_corpus() -> Corpus:
    """Russian toxic/non-toxic rows, plus Kazakh reviews as non-toxic so that the head does not
    take Kazakh itself for rudeness (reviews that match an insult lexicon are left out)."""
    from sentiment.aggression import level
    from sentiment.normalize import fold_kazakh, normalise

    rows = data.toxicity("train")
    rng = np.random.default_rng(SEED)
    kk = data.kazsandra_train()
    picked = rng.choice(len(kk), size=min(3000, len(kk)), replace=False)
    calm = [
        data.Example(kk[i].text, 0, "kazsandra/non-toxic")
        for i in picked
        if level(fold_kazakh(normalise(kk[i].text).cyrillic), 0.0) == "none"
    ]
    return Corpus.of(rows) + Corpus.of(calm)


def urgency_corpus(
    ru: Sequence[data.Example],
    kk: Sequence[data.Example],
    skip: frozenset[str] | set[str] = frozenset(),
) -> Corpus:
    """Our development gold comments' urgency labels (weighted like press officers'
    corrections), and VK posts and Kazakh reviews as comments that are not urgent appeals
    (those the urgency rules flag are left out: talk of death or war is not an appeal, but
    not a clean negative either). Held-out gold files are never used, nor gold texts in
    ``skip``: a press officer has corrected them, and the correction joins instead."""
    from sentiment.normalize import fold_kazakh, normalise
    from sentiment.urgency import is_urgent

    rng = np.random.default_rng(SEED)
    background: list[data.Example] = []
    for rows in (ru, kk):
        picked = rng.choice(len(rows), size=min(URGENCY_BACKGROUND, len(rows)), replace=False)
        background += [
            data.Example(rows[i].text, 0, "public/not-urgent")
            for i in picked
            if not is_urgent(fold_kazakh(normalise(rows[i].text).cyrillic))
        ]
    ours = [
        data.Example(it["text"], int(bool(it["urgent"])), "gold")
        for it in gold.comment_items()
        if "urgent" in it and it["text"] not in skip
    ]
    return Corpus.of(ours, corrections.WEIGHT) + Corpus.of(background)


def balanced(corpus: Corpus) -> npt.NDArray[np.float64]:
    """Weights under which both classes of a binary corpus weigh the same in total."""
    pos = corpus.labels == 1
    w = corpus.weights.copy()
    if pos.any() and (~pos).any():
        w[pos] *= w[~pos].sum() / w[pos].sum()
    return w


def language_vocab(ru_texts: Sequence[str], kk_texts: Sequence[str], top: int = 6000) -> str:
    """Words far more frequent in one corpus than in the other (folded, letters only), for the
    language rules: Kazakh written without its own letters is otherwise taken for Russian."""
    import re
    from collections import Counter

    from sentiment.normalize import fold_kazakh, normalise

    word = re.compile(r"[^\W\d_]{2,}")
    ru_only = re.compile(r"[ьъщцэё]")
    # Kazakh app and shop reviews say "приложение", "обновление", "платный" more often
    # than VK posts do; words with such Russian endings are no evidence of Kazakh.
    ru_ending = re.compile(
        r"(?:ение|ения|ание|ания|ость|ости|ство|ства|ция|ции|ться|тся|"
        r"ный|ная|ное|ные|ного|ной|ному|ными|ских|ский|ская|ское)$"
    )

    def counts(texts: Sequence[str]) -> Counter[str]:
        c: Counter[str] = Counter()
        for t in texts:
            c.update(set(word.findall(fold_kazakh(normalise(t).cyrillic))))
        return c

    ru, kk = counts(ru_texts), counts(kk_texts)
    n_ru, n_kk = len(ru_texts), len(kk_texts)
    lines = []
    for lang, mine, other, n_mine, n_other in (
        ("kk", kk, ru, n_kk, n_ru),
        ("ru", ru, kk, n_ru, n_kk),
    ):
        scored = []
        for w, c in mine.items():
            if c < 3 or (lang == "kk" and (ru_only.search(w) or ru_ending.search(w))):
                continue
            ratio = (c / n_mine) / ((other.get(w, 0) + 0.5) / n_other)
            if ratio >= 8.0:
                scored.append((c * np.log(ratio), w))
        lines += [f"{lang}\t{w}" for _, w in sorted(scored, reverse=True)[:top]]
    return "\n".join(sorted(lines)) + "\n"


def build(corrections_path: Path | None = None, *, quiet: bool = False) -> dict[str, object]:
    t0 = time.time()
    corpora = sentiment_corpora()
    vocab = language_vocab(corpora["sent_ru"].texts, corpora["sent_kk"].texts)
    (MODELS_DIR / "lang_vocab.txt").write_text(vocab, encoding="utf-8")
    language.KK_VOCAB, language.RU_VOCAB = language.load_vocab()
    corpora["toxic"] = toxicity_corpus()
    n_ru_base, n_kk_base = len(corpora["sent_ru"].texts), len(corpora["sent_kk"].texts)
    fixes = corrections.load(corrections_path)
    fixed = {(c.text, c.head) for c in fixes}
    corpora["urgent"] = urgency_corpus(
        data.rusentiment("random"),
        data.kazsandra_train(),
        skip={text for text, head in fixed if head == "urgency"},
    )
    # Our development gold comments first; a press officer's correction of the same text wins.
    ours = [c for c in gold.sentiment_training() if (c.text, c.head) not in fixed]
    n_gold = corrections.fold_into(corpora, ours)
    n_used = corrections.fold_into(corpora, fixes)
    hashed = {name: hash_texts(c.texts) for name, c in corpora.items()}
    idf = idf_of([h for hs in hashed.values() for h in hs])
    blocks: list[npt.NDArray[np.float32]] = []
    heads: dict[str, Head] = {}
    fitted: dict[str, FittedHead] = {}
    holds: dict[str, npt.NDArray[np.bool_]] = {}
    col = 0
    for name, corpus in corpora.items():
        x = design(hashed[name], idf)
        holds[name] = held_out(corpus.texts)
        # Urgent appeals are rare among public posts: the classes weigh the same, so that a
        # logit above zero means "more like the urgent appeals than like the rest".
        weights = balanced(corpus) if name == "urgent" else corpus.weights
        fit = fit_head(x, corpus.labels, weights, ALPHA[name], holds[name])
        fitted[name] = fit
        heads[name] = Head(name, slice(col, col + fit.coef.shape[1]), fit.bias, fit.temperature)
        col += fit.coef.shape[1]
        blocks.append(fit.coef)
        if not quiet:
            print(f"{name}: {x.shape[0]} rows, temperature {fit.temperature:.2f}", flush=True)

    # The joint corpus is the Russian rows followed by the Kazakh ones (corrections after them),
    # and a text is held out of every head alike.
    def held(name: str, n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        rows = np.flatnonzero(holds[name])
        return rows[rows < n], fitted[name].held_proba[rows < n]

    ru_rows, ru_p = held("sent_ru", n_ru_base)
    kk_rows, kk_p = held("sent_kk", n_kk_base)
    joint_rows, joint_p = held("sent_joint", n_ru_base + n_kk_base)
    power = combine_power(
        [(ru_p, joint_p[joint_rows < n_ru_base]), (kk_p, joint_p[joint_rows >= n_ru_base])],
        np.concatenate([corpora["sent_ru"].labels[ru_rows], corpora["sent_kk"].labels[kk_rows]]),
    )
    if not quiet:
        print(f"combination power {power:.2f}", flush=True)
    version = time.strftime("hashlr-%Y%m%d")
    model = Heads(version, idf, np.hstack(blocks), heads, combine_power=power)
    model.save(HEADS_PATH)
    info: dict[str, object] = {
        "version": version,
        "rows": {name: len(c.texts) for name, c in corpora.items()},
        "gold_comments_used": n_gold,
        "corrections_used": n_used,
        "seconds": round(time.time() - t0, 1),
    }
    (MODELS_DIR / "training.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    _stamp_model_card(n_used)
    return info


def _stamp_model_card(n_corrections: int) -> None:
    import re

    card = MODELS_DIR / "MODEL_CARD.md"
    if card.is_file():
        text = card.read_text(encoding="utf-8")
        text = re.sub(
            r"Corrections used in this build: [^\n]*",
            f"Corrections used in this build: {n_corrections}.",
            text,
        )
        card.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sentiment.train")
    parser.add_argument("--corrections", type=Path, default=None)
    args = parser.parse_args(argv)
    info = build(args.corrections)
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
