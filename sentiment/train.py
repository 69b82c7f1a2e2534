"""Rebuild the committed models from the shared data (and press officers' corrections).

python -m sentiment.train [--corrections PATH]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.linear_model import SGDClassifier

from sentiment import corrections, data, features, language
from sentiment.model import HEADS_PATH, MODELS_DIR, Head, Heads
from sentiment.prepare import hash_texts

SEED = 13
ALPHA = {"sent_ru": 3e-6, "sent_kk": 1e-5, "toxic": 1e-5}


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


def fit_head(
    x: sp.csr_matrix,
    y: npt.NDArray[np.int64],
    w: npt.NDArray[np.float64],
    alpha: float,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64], float]:
    """Weights (n_buckets, k), bias and a temperature fitted on a 10% hold-out of the training
    rows; the final weights are refitted on all rows."""
    rng = np.random.default_rng(SEED)
    hold = rng.random(x.shape[0]) < 0.1
    first = _sgd(alpha).fit(x[~hold], y[~hold], sample_weight=w[~hold])
    z = _logits(first, x[hold])
    res = minimize_scalar(lambda t: _nll(z / t, y[hold]), bounds=(0.2, 5.0), method="bounded")
    model = _sgd(alpha).fit(x, y, sample_weight=w)
    coef = np.asarray(model.coef_, dtype=np.float32).T
    return coef, np.asarray(model.intercept_, dtype=np.float64), float(res.x)


def sentiment_corpora(speech_as_positive: bool = False) -> dict[str, Corpus]:
    ru = data.rusentiment("random", speech_as_positive=speech_as_positive) + data.rusentiment(
        "preselected", speech_as_positive=speech_as_positive
    )
    return {"sent_ru": Corpus.of(ru), "sent_kk": Corpus.of(data.kazsandra_train())}


def toxicity_corpus() -> Corpus:
    """Russian toxic/non-toxic rows, plus Kazakh reviews as non-toxic so that the head does not
    take Kazakh itself for rudeness (reviews that match an insult lexicon are left out)."""
    from sentiment.aggression import level
    from sentiment.normalize import normalise

    rows = data.toxicity("train")
    rng = np.random.default_rng(SEED)
    kk = data.kazsandra_train()
    picked = rng.choice(len(kk), size=min(3000, len(kk)), replace=False)
    calm = [
        data.Example(kk[i].text, 0, "kazsandra/non-toxic")
        for i in picked
        if level(normalise(kk[i].text).cyrillic, 0.0) == "none"
    ]
    return Corpus.of(rows) + Corpus.of(calm)


def language_vocab(ru_texts: Sequence[str], kk_texts: Sequence[str], top: int = 6000) -> str:
    """Words far more frequent in one corpus than in the other (folded, letters only), for the
    language rules: Kazakh written without its own letters is otherwise taken for Russian."""
    import re
    from collections import Counter

    from sentiment.normalize import fold_kazakh, normalise

    word = re.compile(r"[^\W\d_]{2,}")
    ru_only = re.compile(r"[ьъщцэё]")

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
            if c < 3 or (lang == "kk" and ru_only.search(w)):
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
    fixes = corrections.load(corrections_path)
    n_used = corrections.fold_into(corpora, fixes)
    hashed = {name: hash_texts(c.texts) for name, c in corpora.items()}
    idf = idf_of([h for hs in hashed.values() for h in hs])
    blocks: list[npt.NDArray[np.float32]] = []
    heads: dict[str, Head] = {}
    col = 0
    for name, corpus in corpora.items():
        x = design(hashed[name], idf)
        coef, bias, temp = fit_head(x, corpus.labels, corpus.weights, ALPHA[name])
        heads[name] = Head(name, slice(col, col + coef.shape[1]), bias, temp)
        col += coef.shape[1]
        blocks.append(coef)
        if not quiet:
            print(f"{name}: {x.shape[0]} rows, temperature {temp:.2f}", flush=True)
    version = time.strftime("hashlr-%Y%m%d")
    model = Heads(version, idf, np.hstack(blocks), heads)
    model.save(HEADS_PATH)
    info: dict[str, object] = {
        "version": version,
        "rows": {name: len(c.texts) for name, c in corpora.items()},
        "corrections_used": n_used,
        "seconds": round(time.time() - t0, 1),
    }
    (MODELS_DIR / "training.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sentiment.train")
    parser.add_argument("--corrections", type=Path, default=None)
    args = parser.parse_args(argv)
    info = build(args.corrections)
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
