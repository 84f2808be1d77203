"""ABC (Pareto) classification, Lorenz curve and Gini coefficient (textbook ch. 5, 客户ABC分类法)."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._ranking import rank_order
from crmkit._validate import (
    check_amounts, check_choice, check_columns, check_cutoffs, check_frame, check_no_missing,
    check_non_negative, check_series,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["ABC_CUTOFFS", "abc_classify", "abc_table", "abc_summary", "lorenz", "gini"]

#: Upper cumulative shares of classes A and B. 0.80: the customers who bring 80 % of the profit
#: (textbook ch. 5 §5.3.2, the Pareto 80/20 rule); 0.95: the usual A/B/C split of ABC analysis.
ABC_CUTOFFS = (0.80, 0.95)
#: Floating-point slack when a cumulative share lands exactly on a cut-off (0.1 + 0.7 != 0.8).
_TOL = 1e-9


def abc_classify(values: pd.Series, cutoffs: tuple[float, float] = ABC_CUTOFFS) -> pd.DataFrame:
    """Label customers A, B or C by their cumulative share of ``values``.

    Class is set by the cumulative share up to and including each customer,
    ranked largest first (textbook ch. 5, ABC classification).

    With the customers sorted largest first, ``share_i = x_i / sum(x)`` and
    ``cum_share_i = share_1 + ... + share_i``; a customer is A if
    ``cum_share_i <= cutoffs[0]``, B if ``cum_share_i <= cutoffs[1]``, else C.
    Equal values are ranked by index label (ascending), so the classes do not
    depend on the row order. A UserWarning guesses the mistake when the result
    is degenerate (one customer, all values equal, a total row, no class A).

    Parameters
    ----------
    values : pandas.Series
        One number per customer (e.g. annual revenue), indexed by customer id.
    cutoffs : (float, float)
        Upper cumulative shares of classes A and B, as fractions in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per customer, in the input order: ``value``, ``share``,
        ``cum_share`` and ``abc_class`` ("A", "B" or "C").

    See Also
    --------
    abc_table : aggregate a shipments-like table per customer, then classify.
    abc_summary : class shares of customers vs shares of value.
    crmkit.plotting.plot_pareto : Pareto curve with class boundaries.

    Examples
    --------
    >>> import pandas as pd
    >>> revenue = pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"])
    >>> abc_classify(revenue)["abc_class"].tolist()
    ['B', 'A', 'C', 'B']
    >>> abc_classify(revenue, cutoffs=(0.7, 0.9))["abc_class"].tolist()
    ['C', 'A', 'C', 'B']
    >>> abc_classify(revenue, cutoffs=(80, 95))
    Traceback (most recent call last):
    ...
    ValueError: `cutoffs` must be a fraction strictly between 0 and 1, but 80 was passed. Did you pass a percentage instead of a fraction?
    """
    table, _ = _classify(values, cutoffs, "values")
    return table


def abc_table(data: pd.DataFrame, *, value: str, key: str = "customer_id",
              cutoffs: tuple[float, float] = ABC_CUTOFFS, agg: str = "sum") -> pd.DataFrame:
    """Pareto table: total ``value`` per ``key``, ranked largest first, with ABC classes.

    Aggregates a shipments-like table (many rows per customer) and then applies
    :func:`abc_classify` (textbook ch. 5 §5.3.2, ABC analysis on 交易额 or 利润).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table, e.g. ``shipments``.
    value : str
        Column to add up per ``key`` (e.g. ``"revenue"``); it must not be negative.
    key : str, default "customer_id"
        Column that identifies a customer.
    cutoffs : (float, float), default (0.80, 0.95)
        Upper cumulative shares of classes A and B.
    agg : {"sum", "count"}, default "sum"
        ``"count"`` ranks by the number of rows (e.g. shipments) instead of their total.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key``, largest first: ``rank`` (1 = largest), ``value``,
        ``share``, ``cum_share``, ``abc_class``.

    Examples
    --------
    >>> import pandas as pd
    >>> shipments = pd.DataFrame({"customer_id": ["p", "q", "q", "r", "s"],
    ...                           "revenue": [8, 50, 10, 7, 25]})
    >>> abc_table(shipments, value="revenue")
                 rank  value  share  cum_share abc_class
    customer_id
    q               1     60   0.60       0.60         A
    s               2     25   0.25       0.85         B
    p               3      8   0.08       0.93         B
    r               4      7   0.07       1.00         C
    """
    check_frame(data)
    check_columns(data, [key, value])
    check_choice("agg", ("sum", "count"), agg)
    check_no_missing(data[key], key)
    if agg == "sum":
        check_non_negative(data[value], value)
        totals = data.groupby(key, sort=True)[value].sum()
    else:
        totals = data.groupby(key, sort=True).size()
    totals.name = value
    table, order = _classify(totals, cutoffs, value)
    table.insert(0, "rank", np.empty(len(table), dtype=np.int64))
    table.iloc[order, 0] = np.arange(1, len(table) + 1)
    table = table.iloc[order]
    table.index.name = key
    return table


def abc_summary(data: pd.Series | pd.DataFrame,
                cutoffs: tuple[float, float] = ABC_CUTOFFS) -> pd.DataFrame:
    """Share of customers vs share of value in each class (the heart of the Pareto picture).

    Accepts raw values (classified with :func:`abc_classify` first) or the result of
    :func:`abc_classify`, :func:`abc_table` or :func:`abcd_pyramid` (column ``abc_class``
    or ``abcd_class``). Textbook ch. 5 §5.3.2: compare, e.g., "A: 20 % of customers,
    80 % of revenue" with the textbook's figures.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values per customer, or a classified table with ``value`` and a class column.
    cutoffs : (float, float), default (0.80, 0.95)
        Used only when ``data`` holds raw values.

    Returns
    -------
    pandas.DataFrame
        One row per class (every class listed, even if empty): ``customers``,
        ``customer_share``, ``value``, ``value_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> abc_summary(pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"]))
              customers  customer_share  value  value_share
    abc_class
    A                 1            0.25     60         0.60
    B                 2            0.50     33         0.33
    C                 1            0.25      7         0.07
    """
    if isinstance(data, pd.DataFrame) and ("abcd_class" in data or "abc_class" in data):
        cls = "abcd_class" if "abcd_class" in data else "abc_class"
        check_columns(data, ["value"])
        table = data
    else:
        table, _ = _classify(data, cutoffs, "data")
        cls = "abc_class"
    labels = table[cls].astype("category")
    grouped = table["value"].groupby(labels, observed=False)
    out = pd.DataFrame({"customers": grouped.size(), "value": grouped.sum()})
    out.insert(1, "customer_share", out["customers"] / out["customers"].sum())
    out["value_share"] = out["value"] / out["value"].sum()
    out.index = pd.Index(out.index.astype(str), name=cls)
    return out


def lorenz(values: pd.Series | ArrayLike, *, descending: bool = False) -> pd.DataFrame:
    """Points of the Lorenz curve: cumulative share of customers vs of value.

    Customers sorted smallest first (``descending=False``, the Lorenz curve below the
    diagonal) or largest first (``descending=True``, the Pareto/concentration curve:
    "the top 20 % of customers bring y % of revenue"). Textbook ch. 5 (cumulative share
    curve of the ABC analysis).

    Parameters
    ----------
    values : pandas.Series or array-like
        One non-negative number per customer.
    descending : bool, default False
        Sort largest first instead.

    Returns
    -------
    pandas.DataFrame
        ``n + 1`` rows starting at (0, 0): ``customer_share``, ``value_share``.

    See Also
    --------
    gini : one number for the area between the diagonal and this curve.

    Examples
    --------
    >>> lorenz([0, 0, 0, 1])
       customer_share  value_share
    0            0.00          0.0
    1            0.25          0.0
    2            0.50          0.0
    3            0.75          0.0
    4            1.00          1.0
    """
    x = check_amounts(values, "values")
    x = np.sort(x)[::-1] if descending else np.sort(x)
    n = len(x)
    return pd.DataFrame({
        "customer_share": np.arange(n + 1) / n,
        "value_share": np.concatenate([[0.0], np.cumsum(x) / x.sum()]),
    })


def gini(values: pd.Series | ArrayLike) -> float:
    """Gini coefficient of concentration (0 = all customers equal, near 1 = one takes all).

    ``G = sum_i (2i - n - 1) * x_(i) / (n * sum x)`` with ``x_(1) <= ... <= x_(n)``; this
    equals ``1 - 2 * (area under the Lorenz curve)`` computed with trapezoids, so it is the
    population Gini **without** the small-sample factor ``n / (n - 1)``. Its maximum is
    ``(n - 1) / n`` (one customer has everything): for [0, 0, 0, 1] it is 0.75, not 1.
    Textbook ch. 5 (how concentrated the customer base is).

    Parameters
    ----------
    values : pandas.Series or array-like
        One non-negative number per customer, not all zero.

    Returns
    -------
    float

    Examples
    --------
    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    """
    x = np.sort(check_amounts(values, "values"))
    n = len(x)
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    # Sorted non-negative values give a Gini >= 0; clip float rounding (-1e-17 for equal values).
    return max(0.0, float(weights @ x / (n * x.sum())))


def _classify(values, cutoffs, name):
    """abc_classify's work; also returns the rank order (positions, largest first)."""
    a_cut, b_cut = check_cutoffs(cutoffs, "cutoffs", count=2)
    series = check_series(values, name)
    x = check_amounts(series, name)
    if not series.index.is_unique:
        dup = series.index[series.index.duplicated()][0]
        raise ValueError(
            f"`{name}` has duplicate index labels (e.g. {dup!r}): give one value per customer. "
            "Aggregate first, e.g. abc_table(shipments, value='revenue')."
        )
    order = rank_order(x, series.index)
    total = x.sum()
    cum = np.empty_like(x)
    cum[order] = np.cumsum(x[order]) / total
    codes = (cum > a_cut + _TOL).astype(np.int8) + (cum > b_cut + _TOL)
    table = pd.DataFrame({
        "value": series.to_numpy(),
        "share": x / total,
        "cum_share": cum,
        "abc_class": pd.Categorical.from_codes(codes, categories=["A", "B", "C"], ordered=True),
    }, index=series.index.copy())
    _warn_degenerate(x, order, a_cut, name)
    return table, order


def _warn_degenerate(x, order, a_cut, name):
    """Guess the mistake behind a degenerate ABC result (UserWarning, never an error)."""
    n, total, top = len(x), x.sum(), x[order[0]]
    if n == 1:
        msg = (f"`{name}` has only one customer, so it is class C (100 % of the value). "
               "Did you pass a total, or group by the wrong key?")
    elif np.ptp(x) == 0:
        msg = (f"All {n} customers have the same value ({x[0]:g}), so the A/B/C split only "
               "follows the order of their ids. Did you count rows of a table that has one row "
               "per customer, or pick the wrong column?")
    elif n >= 10 and np.isclose(top, total - top, rtol=1e-9):  # rare by chance
        msg = (f"The largest value in `{name}` equals the sum of all the others. "
               "Does the data include a total (合计) row? Drop it before classifying.")
    elif top / total > a_cut + _TOL:
        msg = (f"No customer is class A: the largest one alone holds {top / total:.1%} of the "
               f"value, more than the A cut-off {a_cut:.0%}. Check that `{name}` holds one "
               "value per customer, or raise the cut-offs.")
    else:
        return
    warnings.warn(msg, UserWarning, stacklevel=4)
