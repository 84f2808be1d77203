"""Small vectorised helpers shared by the table makers."""
from __future__ import annotations

from string import Formatter

import numpy as np
import pandas as pd

from crmkit.vocabulary import ORDERED, labels

HOUR_MIN = 60
DAY_MIN = 24 * 60


def cat(codes, kind: str, locale: str) -> pd.Categorical:
    """Integer codes of category ``kind`` as a pandas Categorical in ``locale``'s labels."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(labels(kind, locale)),
                                     ordered=ORDERED.get(kind, False))


def ids(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    """``prefix`` + zero-padded running numbers: ids("C", 3, 5) -> C00001, C00002, C00003.

    Vectorised (see :func:`zero_pad`): the same strings as ``f"{prefix}{i:0{width}d}"``.

    >>> ids("SH-", 3, 8, start=9).tolist()
    ['SH-00000009', 'SH-00000010', 'SH-00000011']
    """
    width = max(width, len(str(start + n - 1)))
    return zero_pad(np.arange(start, start + n, dtype=np.int64), width, prefix)


def zero_pad(numbers: np.ndarray, width: int, prefix: str = "") -> np.ndarray:
    """``prefix`` + each non-negative integer zero-padded to ``width`` digits (object array of str),
    the same strings as ``f"{prefix}{x:0{width}d}"`` for numbers below ``10 ** width``.

    Built as one byte matrix (one contiguous row per character, transposed once), so a million
    strings take milliseconds rather than a loop of f-strings.

    >>> zero_pad(np.array([7, 12345678]), 8, "+86 ").tolist()
    ['+86 00000007', '+86 12345678']
    """
    head = prefix.encode("ascii")
    number = np.asarray(numbers, dtype=np.int64)
    k = len(head) + width
    columns = np.empty((k, len(number)), np.uint8)
    columns[:len(head)] = np.frombuffer(head, np.uint8)[:, None]
    for col in range(k - 1, len(head) - 1, -1):
        quotient = number // 10  # numpy divides by a constant fast; its % is slow
        columns[col] = number - quotient * 10 + 48
        number = quotient
    return np.ascontiguousarray(columns.T).view(f"S{k}").ravel().astype(str).astype(object)


def format_columns(fmt: str, **columns) -> np.ndarray:
    """``fmt.format(**row)`` for every row of equally long columns, vectorised (object array).

    Only plain ``{name}`` fields (no format spec); a column of numbers is written as ``str(x)``.

    >>> format_columns("{city}市{street}{number}号", city=np.array(["上海", "杭州"]),
    ...                street=np.array(["人民路", "中山路"]), number=np.array([8, 120])).tolist()
    ['上海市人民路8号', '杭州市中山路120号']
    """
    out = None
    for literal, field, spec, conversion in Formatter().parse(fmt):
        if spec or conversion:
            raise ValueError(f"format_columns takes plain {{name}} fields only, not {fmt!r}")
        parts = [literal] if literal else []
        if field is not None:
            parts.append(np.asarray(columns[field]).astype(str))
        for part in parts:
            out = part if out is None else np.strings.add(out, part)
    return np.asarray(out, dtype=object)


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
