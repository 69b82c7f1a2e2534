"""Measure the committed models: shared dev sets, out-of-domain estimates and our gold sets.

python -m sentiment.evaluate [--no-ood] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sklearn.metrics import f1_score

from sentiment import LABELS, Analyzer, data, gold, train
from sentiment.prepare import hash_texts


def _f1(
    y: npt.NDArray[np.int64], p: npt.NDArray[np.int64], labels: Sequence[int]
) -> dict[str, float]:
    per = f1_score(y, p, labels=list(labels), average=None, zero_division=0)
    out = {f"f1_{i}": round(float(v), 4) for i, v in zip(labels, per, strict=True)}
    out["macro_f1"] = round(float(np.mean(per)), 4)
    return out


def _named(scores: dict[str, float], names: Sequence[str]) -> dict[str, float]:
    out = {}
    for k, v in scores.items():
        if k.startswith("f1_"):
            out[f"f1_{names[int(k[3:])]}"] = v
        else:
            out[k] = v
    return out


def ece(probs: npt.NDArray[np.float64], y: npt.NDArray[np.int64], bins: int = 10) -> float:
    """Expected calibration error of the top class."""
    conf = probs.max(axis=1)
    hit = probs.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(hit[m].mean() - conf[m].mean())
    return round(float(total), 4)


def sentiment_dev(analyzer: Analyzer) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    ru = data.rusentiment("test")
    probs, _ = analyzer.sentiment_proba([e.text for e in ru])
    y = np.array([e.label for e in ru])
    res = _named(_f1(y, probs.argmax(1), [0, 1, 2]), LABELS)
    res["ece"] = ece(probs, y)
    res["n"] = len(y)
    out["rusentiment_test_3class"] = res
    pc = data.kazsandra("pc_valid")
    probs, _ = analyzer.sentiment_proba([e.text for e in pc])
    y = np.array([e.label for e in pc])
    pred = np.where(probs[:, 2] >= probs[:, 0], 2, 0)
    res = _f1(y, pred, [0, 2])
    out["kazsandra_pc_valid_polarity"] = {
        "f1_negative": res["f1_0"],
        "f1_positive": res["f1_2"],
        "macro_f1": res["macro_f1"],
        "n": len(y),
    }
    sc = data.kazsandra("sc_valid")
    probs, _ = analyzer.sentiment_proba([e.text for e in sc])
    y = np.array([e.label for e in sc])
    res = _named(_f1(y, probs.argmax(1), [0, 1, 2]), LABELS)
    res["ece"] = ece(probs, y)
    res["n"] = len(y)
    out["kazsandra_sc_valid_3class"] = res
    return out


def toxicity_dev(analyzer: Analyzer) -> dict[str, float]:
    val = data.toxicity("val")
    res = analyzer.analyze([e.text for e in val])
    y = np.array([e.label for e in val])
    pred = np.array([r.aggression != "none" for r in res], dtype=int)
    f1 = f1_score(y, pred, average=None)
    return {
        "f1_non_toxic": round(float(f1[0]), 4),
        "f1_toxic": round(float(f1[1]), 4),
        "strong_share_of_toxic": round(
            float(np.mean([r.aggression == "strong" for r, t in zip(res, y, strict=True) if t])),
            4,
        ),
        "n": len(y),
    }


def _fit_eval(
    train_ex: Sequence[data.Example], test_ex: Sequence[data.Example], alpha: float, binary: bool
) -> float:
    htr = hash_texts([e.text for e in train_ex])
    hte = hash_texts([e.text for e in test_ex])
    idf = train.idf_of(htr)
    x = train.design(htr, idf)
    y = np.array([e.label for e in train_ex])
    fit = train.fit_head(x, y, np.ones(len(y)), alpha)
    z = train.design(hte, idf) @ fit.coef + fit.bias
    yt = np.array([e.label for e in test_ex])
    if binary:
        pred = np.where(z[:, 2] >= z[:, 0], 2, 0)
        return round(float(f1_score(yt, pred, average="macro")), 4)
    return round(float(f1_score(yt, z.argmax(1), average="macro", labels=[0, 1, 2])), 4)


def out_of_domain() -> dict[str, float]:
    """Retrain on part of the data and test on data from elsewhere."""
    out: dict[str, float] = {}
    kk = data.kazsandra_train()
    pc = data.kazsandra("pc_valid")
    for domain in ("market", "mapping", "bookstore"):
        src = f"kazsandra/{domain}"
        tr = [e for e in kk if e.source != src]
        te = [e for e in pc if e.source == src]
        out[f"kazsandra_pc_{domain}_unseen_domain_macro_f1"] = _fit_eval(
            tr, te, train.ALPHA["sent_kk"], True
        )
    rand = data.rusentiment("random")
    pre = data.rusentiment("preselected")
    out["rusentiment_train_random_test_preselected_macro_f1"] = _fit_eval(
        rand, pre, train.ALPHA["sent_ru"], False
    )
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sentiment.evaluate")
    parser.add_argument("--no-ood", action="store_true", help="skip the retraining estimates")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    t0 = time.time()
    analyzer = Analyzer.default()
    report: dict[str, object] = {"model_version": analyzer.model_version}
    report["sentiment"] = sentiment_dev(analyzer)
    report["toxicity_val"] = toxicity_dev(analyzer)
    report["gold"] = gold.evaluate(analyzer)
    report["gold_holdout"] = gold.evaluate(analyzer, holdout=True)
    if not args.no_ood:
        report["out_of_domain"] = out_of_domain()
    report["seconds"] = round(time.time() - t0, 1)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
