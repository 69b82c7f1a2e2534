"""Hashed character and word n-grams, computed for a whole batch at once with numpy.

Every text is padded with spaces and the batch is laid out as one array of code
points; n-gram hashes come from a polynomial prefix hash (mod 2**64), so there
is no per-n-gram Python work. A text's feature vector is

    x = sum over its n-gram occurrences of idf[b] * e_b / sqrt(sum of idf[b]**2)

(occurrences counted as distinct in the norm), so inference needs no
de-duplication: a matrix of ones over the occurrences times idf-scaled weights,
divided by the norm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

BITS = 18
N_BUCKETS = 1 << BITS
CHAR_NGRAMS = (1, 2, 3, 4, 5)
_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SEP = 0
_SPACE = 32
_MAX_POW = 4096

_POWERS = np.ones(_MAX_POW + 1, dtype=np.uint64)
with np.errstate(over="ignore"):
    for _i in range(1, _MAX_POW + 1):
        _POWERS[_i] = _POWERS[_i - 1] * _BASE


@dataclass(frozen=True, slots=True)
class Hashed:
    rows: npt.NDArray[np.int64]  # text index of each occurrence
    cols: npt.NDArray[np.int64]  # bucket of each occurrence
    n_texts: int


def _bucket(h: npt.NDArray[np.uint64], salt: int) -> npt.NDArray[np.int64]:
    with np.errstate(over="ignore"):
        mixed = (h ^ np.uint64(salt)) * _MIX
    return (mixed >> np.uint64(64 - BITS)).astype(np.int64)


def hash_batch(texts: Sequence[str]) -> Hashed:
    """All n-gram occurrences of a batch of already-normalised texts."""
    joined = "\0" + "\0".join(f" {t} " for t in texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = codes.shape[0]
    is_sep = codes == _SEP
    text_id = np.cumsum(is_sep) - 1  # id of the text each position belongs to
    prefix = np.zeros(n + 1, dtype=np.uint64)
    prefix[1:] = _poly_prefix(codes)  # prefix[i] = hash of codes[:i]
    sep_pos = np.flatnonzero(is_sep)
    next_sep = sep_pos[np.minimum(text_id + 1, len(sep_pos) - 1)]
    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    idx = np.arange(n)
    for k in CHAR_NGRAMS:
        start = idx[: n - k + 1]
        ok = (~is_sep[start]) & (next_sep[start] >= start + k)
        s = start[ok]
        if k == 1:
            ok1 = codes[s] != _SPACE
            s = s[ok1]
        with np.errstate(over="ignore"):
            h = prefix[s + k] - prefix[s] * _POWERS[k]
        rows.append(text_id[s])
        cols.append(_bucket(h, k))
    # Words: maximal runs between spaces/separators.
    is_space = (codes == _SPACE) | is_sep
    boundary = np.flatnonzero(is_space)
    w_start = boundary[:-1] + 1
    w_end = boundary[1:]
    keep = (w_end > w_start) & (w_end - w_start <= _MAX_POW)
    w_start, w_end = w_start[keep], w_end[keep]
    with np.errstate(over="ignore"):
        wh = prefix[w_end] - prefix[w_start] * _POWERS[w_end - w_start]
    w_text = text_id[w_start]
    rows.append(w_text)
    cols.append(_bucket(wh, 101))
    same = w_text[1:] == w_text[:-1]
    with np.errstate(over="ignore"):
        bh = wh[:-1][same] * _MIX + wh[1:][same]
    rows.append(w_text[1:][same])
    cols.append(_bucket(bh, 202))
    return Hashed(np.concatenate(rows), np.concatenate(cols), len(texts))


def _poly_prefix(codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """h[i] = sum_{j<=i} codes[j] * BASE**(i-j) mod 2**64, by doubling (log n numpy passes)."""
    h = codes.copy()
    shift = 1
    power = _BASE
    n = h.shape[0]
    with np.errstate(over="ignore"):
        while shift < n:
            h[shift:] = h[shift:] + h[:-shift] * power
            power = power * power
            shift *= 2
    return h


def matrix(hashed: Hashed, idf: npt.NDArray[np.float32]) -> sp.csr_matrix:
    """The feature matrix (for training)."""
    w = idf[hashed.cols].astype(np.float64)
    norm = np.sqrt(np.bincount(hashed.rows, weights=w * w, minlength=hashed.n_texts))
    norm[norm == 0] = 1.0
    vals = w / norm[hashed.rows]
    m = sp.csr_matrix(
        (vals, (hashed.rows, hashed.cols)), shape=(hashed.n_texts, N_BUCKETS), dtype=np.float64
    )
    m.sum_duplicates()
    return m


def document_frequency(hashed: Hashed) -> npt.NDArray[np.float64]:
    pairs = np.unique(hashed.rows * N_BUCKETS + hashed.cols)
    return np.bincount(pairs % N_BUCKETS, minlength=N_BUCKETS).astype(np.float64)


def scores(
    hashed: Hashed, idf: npt.NDArray[np.float32], weights: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Linear scores ``X @ weights`` (n_texts, n_columns).

    ``weights`` must already be multiplied by ``idf`` row-wise (see ``model.Heads``); the
    occurrences are laid out as a CSR matrix of ones, so the product runs in C.
    """
    n = hashed.n_texts
    counts = np.bincount(hashed.rows, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    order = np.argsort(hashed.rows, kind="stable")
    x = sp.csr_matrix(
        (np.ones(len(order), dtype=np.float32), hashed.cols[order], indptr),
        shape=(n, N_BUCKETS),
    )
    w = idf[hashed.cols].astype(np.float64)
    norm = np.sqrt(np.bincount(hashed.rows, weights=w * w, minlength=n))
    norm[norm == 0] = 1.0
    return np.asarray(x @ weights, dtype=np.float64) / norm[:, None]
