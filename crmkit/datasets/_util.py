"""Small vectorised helpers shared by the table makers."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets.labels import ORDERED, labels

HOUR_MIN = 60
DAY_MIN = 24 * 60


def cat(codes, kind: str, locale: str) -> pd.Categorical:
    """Integer codes of category ``kind`` as a pandas Categorical in ``locale``'s labels."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(labels(kind, locale)),
                                     ordered=ORDERED.get(kind, False))


def ids(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    """``prefix`` + zero-padded running numbers: ids("C", 3, 5) -> C00001, C00002, C00003."""
    width = max(width, len(str(start + n - 1)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + n)], dtype=object)


def allocate(total: int, weights, minimum=0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each >= minimum
    (one number, or one per weight)."""
    w = np.asarray(weights, dtype=float)
    base = np.broadcast_to(np.asarray(minimum, dtype=np.int64), len(w)).copy()
    rest = total - base.sum()  # callers guarantee total >= sum of the minimums
    exact = w / w.sum() * rest
    counts = np.floor(exact).astype(np.int64)
    short = rest - counts.sum()
    if short:
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:short]] += 1
    return base + counts


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p / (1 - p))


def draw_in_ranges(rng, day_weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each row draw a day in [lo, hi] (indices into ``day_weights``) with those weights."""
    cdf = np.concatenate([[0.0], np.cumsum(day_weights)])
    a, b = cdf[lo], cdf[hi + 1]
    u = a + rng.random(len(lo)) * (b - a)
    day = np.searchsorted(cdf, u, side="right") - 1
    return np.clip(day, lo, hi)


def likert(x, low: int = 1, high: int = 7) -> np.ndarray:
    """Round and clip latent scores to whole Likert points."""
    return np.clip(np.rint(x), low, high).astype(np.int64)


def pick_rows(rng, pool: np.ndarray, k: int, weights=None) -> np.ndarray:
    """``k`` entries of ``pool``: without replacement if the pool is big enough, else with.

    With ``weights`` (one per entry) an entry is picked with probability in proportion to its
    weight (without replacement: Efraimidis & Spirakis 2006, the k largest ``u ** (1 / w)``).
    """
    if weights is None:
        return rng.choice(pool, size=k, replace=len(pool) < k)
    w = np.asarray(weights, dtype=float)
    if len(pool) < k:
        return rng.choice(pool, size=k, replace=True, p=w / w.sum())
    keys = np.log(rng.random(len(pool))) / w
    return pool[np.argsort(-keys, kind="stable")[:k]]
