"""SERVQUAL gap scores from expectation/perception items (textbook ch. 6, 服务质量差距模型)."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._result import Result
from crmkit._validate import (
    check_choice, check_frame, check_no_missing, check_non_negative, check_numeric,
    check_range,
)
from crmkit.satisfaction.constants import LIKERT_SCALE, SERVQUAL_DIMENSIONS, SERVQUAL_DIMENSIONS_ZH

__all__ = ["ServqualGaps", "servqual_gaps", "dimension_scores", "importance_weights"]


@dataclass(frozen=True, repr=False)
class ServqualGaps(Result):
    """Result of :func:`servqual_gaps`: one tidy frame per item and one per dimension."""

    items: pd.DataFrame
    dimensions: pd.DataFrame


def servqual_gaps(data: pd.DataFrame, perception: pd.DataFrame | None = None, *,
                  dimensions: Mapping[str, Sequence[str]] | pd.Series | None = None,
                  exp_prefix: str = "exp", per_prefix: str = "per",
                  likert: tuple[int, int] | None = LIKERT_SCALE) -> ServqualGaps:
    """SERVQUAL gap = perception − expectation, per item and per dimension.

    Satisfaction is perceived service measured against expected service (textbook ch. 6, the
    gap model of Parasuraman et al. 1988). For item ``i`` over respondents ``r``:
    ``gap_i = mean_r(P_ri) - mean_r(E_ri)``; a dimension's gap is the mean of its items' gaps.
    Negative gaps mean the service falls short of expectations.

    Two ways to call it:

    * ``servqual_gaps(surveys)`` — the survey table; items are the column pairs
      ``exp_<dimension>_<k>`` / ``per_<dimension>_<k>``.
    * ``servqual_gaps(expectation, perception, dimensions={item: dimension})`` — two frames
      with the same item columns (rows = respondents); without ``dimensions`` the dimension is
      read from names like ``reliability_2``, else each item is its own dimension.

    Parameters
    ----------
    data : pandas.DataFrame
        The survey table, or the expectation items.
    perception : pandas.DataFrame, optional
        The perception items (same columns and rows as ``data``).
    dimensions : dict or pandas.Series, optional
        Item -> dimension mapping (second form only).
    exp_prefix, per_prefix : str, default "exp", "per"
        Column prefixes of the survey table.
    likert : (int, int) or None, default (1, 7)
        Allowed answer range; None skips the check.

    Returns
    -------
    ServqualGaps
        ``.items``: indexed by ``item``: ``dimension``, ``expectation``, ``perception``,
        ``gap``. ``.dimensions``: indexed by ``dimension`` (SERVQUAL order first):
        ``dimension_zh``, ``items``, ``expectation``, ``perception``, ``gap``.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"exp_reliability_1": [7, 6], "per_reliability_1": [5, 4],
    ...                         "exp_reliability_2": [6, 6], "per_reliability_2": [6, 5],
    ...                         "exp_empathy_1": [5, 4], "per_empathy_1": [6, 5]})
    >>> servqual_gaps(surveys).dimensions
                dimension_zh  items  expectation  perception  gap
    dimension
    reliability          可靠性      2         6.25        5.00 -1.25
    empathy              移情性      1         4.50        5.50  1.00
    """
    expectation, perceived, mapping = _paired_items(data, perception, dimensions,
                                                    exp_prefix, per_prefix)
    for frame, label in ((expectation, "expectation"), (perceived, "perception")):
        _check_items(frame, label, likert)
    items = pd.DataFrame({"dimension": pd.Series(mapping),
                          "expectation": expectation.mean(),
                          "perception": perceived.mean()})
    items["gap"] = items["perception"] - items["expectation"]
    items = items.loc[order_by_dimension(items.index, mapping)]
    items.index.name = "item"
    grouped = items.groupby("dimension", sort=False)
    dims = grouped[["expectation", "perception", "gap"]].mean()
    dims.insert(0, "items", grouped.size())
    dims.insert(0, "dimension_zh", [SERVQUAL_DIMENSIONS_ZH.get(d, "") for d in dims.index])
    return ServqualGaps(items=items, dimensions=dims)


def dimension_scores(surveys: pd.DataFrame, *, kind: str = "perception", exp_prefix: str = "exp",
                     per_prefix: str = "per",
                     likert: tuple[int, int] | None = LIKERT_SCALE) -> pd.DataFrame:
    """Each respondent's mean score per SERVQUAL dimension (perception, expectation or gap).

    ``score_rd = mean of respondent r's items k in dimension d`` (textbook ch. 6); the input
    for :func:`satisfaction_index` and :func:`drivers`.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey table with ``exp_<d>_<k>`` / ``per_<d>_<k>`` columns.
    kind : {"perception", "expectation", "gap"}, default "perception"
        Which items to average; ``"gap"`` is perception − expectation.
    exp_prefix, per_prefix : str
        Column prefixes.
    likert : (int, int) or None, default (1, 7)
        Allowed answer range; None skips the check.

    Returns
    -------
    pandas.DataFrame
        Same index as ``surveys``, one column per dimension (SERVQUAL order first).

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"per_reliability_1": [5, 4], "per_reliability_2": [6, 5],
    ...                         "per_empathy_1": [6, 5]})
    >>> dimension_scores(surveys)
       reliability  empathy
    0          5.5      6.0
    1          4.5      5.0
    """
    check_choice("kind", ("perception", "expectation", "gap"), kind)
    if kind == "gap":
        expectation, perceived, mapping = _paired_items(surveys, None, None, exp_prefix, per_prefix)
        _check_items(expectation, "expectation", likert)
        _check_items(perceived, "perception", likert)
        items = perceived - expectation
    else:
        prefix = per_prefix if kind == "perception" else exp_prefix
        found = find_items(surveys, prefix)
        items = surveys[list(found)].rename(columns=lambda c: c[len(prefix) + 1:])
        mapping = {c[len(prefix) + 1:]: d for c, d in found.items()}
        _check_items(items, kind, likert)
    order = order_by_dimension(items.columns, mapping)
    dims = pd.Series(mapping).loc[order]
    return items[order].T.groupby(dims.to_numpy(), sort=False).mean().T


def importance_weights(surveys: pd.DataFrame, *, prefix: str = "imp") -> pd.Series:
    """Importance weights per dimension from ``imp_<d>`` points, normalised to sum to 1.

    ``w_d = mean_r(imp_rd) / sum_d mean_r(imp_rd)`` (textbook ch. 6: weights of the
    satisfaction index and the importance axis of IPA).

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey table with ``imp_<dimension>`` columns (points, not negative).
    prefix : str, default "imp"
        Column prefix.

    Returns
    -------
    pandas.Series
        Indexed by dimension (SERVQUAL order first), summing to 1.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"imp_reliability": [60, 40], "imp_empathy": [40, 60],
    ...                         "imp_tangibles": [0, 0]})
    >>> importance_weights(surveys)
    tangibles      0.0
    reliability    0.5
    empathy        0.5
    Name: weight, dtype: float64
    """
    check_frame(surveys, "surveys")
    pattern = re.compile(rf"^{re.escape(prefix)}_(.+)$")
    cols = {c: m.group(1) for c in surveys.columns if (m := pattern.match(str(c)))}
    if not cols:
        raise ValueError(f'No importance columns named "{prefix}_<dimension>" in `surveys`. '
                         f"Available columns: {', '.join(map(str, surveys.columns))}.")
    for col in cols:
        check_non_negative(surveys[col], col)
    means = surveys[list(cols)].mean().rename(index=cols)
    if not means.sum() > 0:
        raise ValueError("The importance points add up to zero: no weights can be formed.")
    weights = (means / means.sum()).loc[order_by_dimension(means.index, {d: d for d in means.index})]
    weights.name = "weight"
    return weights


def find_items(data, prefix):
    """{column: dimension} for columns named ``<prefix>_<dimension>_<k>``."""
    check_frame(data, "surveys")
    pattern = re.compile(rf"^{re.escape(prefix)}_(.+)_(\d+)$")
    found = {c: m.group(1) for c in data.columns if (m := pattern.match(str(c)))}
    if not found:
        raise ValueError(f'No item columns named "{prefix}_<dimension>_<k>" (e.g. '
                         f'"{prefix}_reliability_1") in the data. '
                         f"Available columns: {', '.join(map(str, data.columns))}.")
    return found


def _paired_items(data, perception, dimensions, exp_prefix, per_prefix):
    """Expectation and perception frames with the same item columns, plus item -> dimension."""
    if perception is None:
        exp_found = find_items(data, exp_prefix)
        per_found = find_items(data, per_prefix)
        exp_items = {c[len(exp_prefix) + 1:]: c for c in exp_found}
        per_items = {c[len(per_prefix) + 1:]: c for c in per_found}
        unpaired = sorted(set(exp_items) ^ set(per_items))
        if unpaired:
            raise ValueError(f"Items need both an expectation and a perception column; these "
                             f"have only one: {', '.join(unpaired)}.")
        names = list(exp_items)
        expectation = data[[exp_items[i] for i in names]].set_axis(names, axis=1)
        perceived = data[[per_items[i] for i in names]].set_axis(names, axis=1)
        mapping = {i: exp_found[exp_items[i]] for i in names}
        return expectation, perceived, mapping
    check_frame(data, "expectation")
    check_frame(perception, "perception")
    if set(data.columns) != set(perception.columns):
        diff = sorted(map(str, set(data.columns) ^ set(perception.columns)))
        raise ValueError("`expectation` and `perception` must have the same item columns; "
                         f"not in both: {', '.join(diff)}.")
    if not data.index.equals(perception.index):
        raise ValueError("`expectation` and `perception` must have the same rows (respondents) "
                         "with the same index.")
    if dimensions is None:
        named = [re.match(r"^(.+)_(\d+)$", str(c)) for c in data.columns]
        mapping = {c: (m.group(1) if m else str(c)) for c, m in zip(data.columns, named)}
    else:
        mapping = dict(dimensions)
        missing = [str(c) for c in data.columns if c not in mapping]
        if missing:
            raise ValueError(f"`dimensions` gives no dimension for item(s) {', '.join(missing)}.")
    return data, perception[data.columns], {c: mapping[c] for c in data.columns}


def _check_items(frame, label, scale):
    for col in frame.columns:
        name = f"{label} item {col}"
        check_numeric(frame[col], name)
        check_no_missing(frame[col], name)
        if scale is not None:
            check_range(frame[col], name, *scale)


def order_by_dimension(items, mapping):
    """Items sorted by dimension (SERVQUAL order, then first appearance), stable within."""
    dims = list(dict.fromkeys(mapping[i] for i in items))
    rank = {d: (SERVQUAL_DIMENSIONS.index(d) if d in SERVQUAL_DIMENSIONS
                else len(SERVQUAL_DIMENSIONS) + dims.index(d)) for d in dims}
    keys = np.array([rank[mapping[i]] for i in items])
    return list(pd.Index(items)[np.argsort(keys, kind="stable")])
