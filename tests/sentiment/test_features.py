from __future__ import annotations

import numpy as np

from sentiment import features


def test_inference_scores_equal_the_training_matrix_product() -> None:
    texts = ["жол жоқ", "спасибо большое ☺", "", "ote jaksy", "а" * 50, "x"]
    hashed = features.hash_batch(texts)
    rng = np.random.default_rng(0)
    idf = rng.uniform(1, 5, features.N_BUCKETS).astype(np.float32)
    weights = rng.normal(size=(features.N_BUCKETS, 3)).astype(np.float32)
    expected = features.matrix(hashed, idf) @ weights
    got = features.scores(hashed, idf, weights * idf[:, None])
    assert np.allclose(expected, got, atol=1e-4)


def test_hashing_is_per_text_and_stable() -> None:
    alone = features.hash_batch(["мектеп"])
    batch = features.hash_batch(["жол", "мектеп", "су"])
    assert sorted(alone.cols) == sorted(batch.cols[batch.rows == 1])
    assert features.hash_batch(["мектеп"]).cols.tolist() == alone.cols.tolist()
    assert features.hash_batch([]).n_texts == 0
