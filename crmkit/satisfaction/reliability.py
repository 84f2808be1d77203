"""Reliability of a Likert scale: Cronbach's alpha (textbook ch. 6, 满意度调查的信度)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_frame, check_no_missing, check_numeric, check_range
from crmkit.satisfaction.constants import ALPHA_ACCEPTABLE, LIKERT_SCALE
from crmkit.satisfaction.servqual import find_items, order_by_dimension

__all__ = ["cronbach_alpha", "alpha_by_dimension"]


def cronbach_alpha(items: pd.DataFrame, *, likert: tuple[int, int] | None = LIKERT_SCALE) -> float:
    """Cronbach's alpha: do the items of a scale measure one thing consistently?

    ``alpha = k / (k - 1) * (1 - sum_i var(item_i) / var(total))`` with ``k`` items, the total
    the row sum, and sample variances (``ddof=1``) — Cronbach (1951). 0.70 or more
    (``ALPHA_ACCEPTABLE``, Nunnally 1978) is the usual bar for a survey scale (textbook ch. 6,
    measuring satisfaction with Likert surveys). Alpha can be negative when items contradict
    each other (e.g. a reversed item not recoded).

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, one row per respondent; numbers, no missing values.
    likert : (int, int) or None, default (1, 7)
        Allowed answer range; None skips the check.

    Returns
    -------
    float

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"q1": [1, 2, 3], "q2": [2, 3, 5]})
    >>> round(cronbach_alpha(items), 4)   # 2 * (1 - (1 + 7/3) / (19/3)) = 18/19
    0.9474
    >>> cronbach_alpha(items[["q1"]])
    Traceback (most recent call last):
    ...
    ValueError: Cronbach's alpha needs at least 2 items (columns), but `items` has 1.
    """
    check_frame(items, "items")
    k, n = items.shape[1], items.shape[0]
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items (columns), but `items` has {k}.")
    if n < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 respondents (rows), but `items` "
                         f"has {n}.")
    for col in items.columns:
        check_numeric(items[col], f"item {col}")
        check_no_missing(items[col], f"item {col}")
        if likert is not None:
            check_range(items[col], f"item {col}", *likert)
    x = items.to_numpy(dtype=float)
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise ValueError("Every respondent has the same total score, so alpha is undefined "
                         "(0/0). Are all answers identical?")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def alpha_by_dimension(surveys: pd.DataFrame, *, prefix: str = "per",
                       likert: tuple[int, int] | None = LIKERT_SCALE) -> pd.DataFrame:
    """Cronbach's alpha of each dimension's items (e.g. ``per_reliability_1`` … ``_4``).

    Textbook ch. 6: check the survey's reliability before reading its scores.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey table with ``<prefix>_<dimension>_<k>`` columns.
    prefix : str, default "per"
        Which items: ``"per"`` (perception) or ``"exp"`` (expectation).
    likert : (int, int) or None, default (1, 7)
        Allowed answer range; None skips the check.

    Returns
    -------
    pandas.DataFrame
        Indexed by dimension: ``items``, ``alpha``, ``acceptable`` (alpha >= 0.70).

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"per_reliability_1": [1, 2, 3], "per_reliability_2": [2, 3, 5]})
    >>> alpha_by_dimension(surveys)
                 items     alpha  acceptable
    dimension
    reliability      2  0.947368        True
    """
    found = find_items(surveys, prefix)
    order = order_by_dimension(list(found), found)
    rows = {}
    for dim in dict.fromkeys(found[c] for c in order):
        cols = [c for c in order if found[c] == dim]
        alpha = cronbach_alpha(surveys[cols], likert=likert) if len(cols) > 1 else np.nan
        rows[dim] = (len(cols), alpha)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["items", "alpha"])
    out["acceptable"] = out["alpha"] >= ALPHA_ACCEPTABLE
    out.index.name = "dimension"
    return out
