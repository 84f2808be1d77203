"""Ranking helpers shared by the method packages: largest-first order with ties by id, share tiers."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["rank_order", "share_tiers"]


def rank_order(x, index):
    """Positions largest first; equal values by index label (by position if unsortable)."""
    order = np.argsort(-x, kind="stable")
    xs = x[order]
    tied = xs[1:] == xs[:-1]
    if not tied.any() or index.is_monotonic_increasing:
        return order
    in_tie = np.zeros(len(x), dtype=bool)
    in_tie[1:] |= tied
    in_tie[:-1] |= tied
    pos = np.flatnonzero(in_tie)
    group = np.cumsum(np.concatenate([[True], ~tied]))[pos]
    labels = index[order[pos]]
    if pd.api.types.is_object_dtype(labels) or pd.api.types.is_string_dtype(labels):
        labels = np.asarray(labels, dtype=str)   # numpy sorts fixed-width text fastest
    label_rank = np.empty(len(pos), dtype=np.int64)
    label_rank[np.argsort(np.asarray(labels), kind="stable")] = np.arange(len(pos))
    order[pos] = order[pos][np.lexsort((label_rank, group))]
    return order


def share_tiers(values: pd.Series, shares, labels, *, value: str, level: str) -> pd.DataFrame:
    """Rank ``values`` largest first (ties: smaller id first) and cut by cumulative shares."""
    name = values.index.name or "customer_id"
    frame = pd.DataFrame({"v": values.to_numpy(dtype=float), "k": values.index})
    order = frame.sort_values(["v", "k"], ascending=[False, True], kind="stable").index.to_numpy()
    n = len(values)
    ranked = values.iloc[order].astype(float)
    rank = np.arange(1, n + 1)
    cuts = np.cumsum(shares) * n - 1e-9
    codes = np.minimum(np.searchsorted(cuts, rank - 1, side="right"), len(shares) - 1)
    total = ranked.sum()
    out = pd.DataFrame({
        value: ranked.to_numpy(), "rank": rank, "cum_customer_share": rank / n,
        f"cum_{value}_share": ranked.cumsum().to_numpy() / total if total > 0 else np.nan,
        level: pd.Categorical.from_codes(codes, categories=labels, ordered=True),
    }, index=pd.Index(ranked.index, name=name))
    return out
