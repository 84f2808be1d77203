"""Customer lifetime value and the economics of keeping customers (客户保持, 客户终身价值).

Textbook: chapter 4, 现代物流重点客户关系管理实施, with the retention figures quoted in the seed
articles: acquiring costs ~5× keeping, one lost old customer takes ~10 new ones to make up, and
keeping 5% more customers raises profit markedly.
Notebook: notebooks/04_key_customers_vip.ipynb
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_columns, check_datetime, check_frame, check_no_missing, check_number, check_numeric,
    check_series, by_result, group_keys,
)

__all__ = ["ACQUIRE_MULTIPLE", "REPLACEMENT_RATIO", "RETENTION_UPLIFT", "DISCOUNT_RATE", "clv",
           "profit_uplift", "acquisition_vs_retention", "replacement_customers", "retained",
           "retention_rate"]

#: Acquiring a customer costs ~5x keeping one; losing one old customer takes ~10 new ones to make
#: up (seed article 003 on foreign-trade CRM).
ACQUIRE_MULTIPLE = 5
REPLACEMENT_RATIO = 10
#: "Keep 5% more customers and profit rises markedly" (seed article 000; Reichheld & Sasser,
#: HBR 1990: +5 points retention, +25–85% profit), read as +5 percentage points of retention.
RETENTION_UPLIFT = 0.05
#: Our default discount rate per period (an annual cost of capital of 10%).
DISCOUNT_RATE = 0.10

def clv(margin: float | pd.Series, retention: float | pd.Series,
        discount: float | pd.Series = DISCOUNT_RATE, *, years: int | None = None) -> float | pd.Series:
    """Customer lifetime value from margin, retention and discount rate (simple CLV).

    Convention: the customer is with us now and pays ``margin`` this period (t = 0, not
    discounted); each later period they stay with probability ``retention``. With
    ``q = retention / (1 + discount)``::

        finite   CLV = sum_{t=0}^{T-1} m q^t = m (1 - q^T) / (1 - q)      (m T if q = 1)
        infinite CLV = m / (1 - q)       = m (1 + d) / (1 + d - r)

    (The other common convention starts at t = 1 and equals ``q`` times this.) Serves ch.4:
    an old customer's worth grows with retention.

    Parameters
    ----------
    margin : float or pandas.Series
        Profit per period from the customer (may be negative).
    retention : float or pandas.Series
        Probability of staying another period, 0–1.
    discount : float or pandas.Series
        Discount rate per period, >= 0 (default 0.10).
    years : int, optional
        Number of periods ``T`` (>= 1); None for an infinite horizon (needs ``q < 1``).

    Returns
    -------
    float or pandas.Series
        A float if all inputs are numbers, else a Series named ``clv`` (inputs broadcast; Series
        inputs must share one index).

    Examples
    --------
    >>> round(clv(1000, 0.8, 0.1), 2)              # 1000 * 1.1 / 0.3
    3666.67
    >>> round(clv(1000, 0.8, 0.1, years=3), 2)     # 1000 + 727.27 + 528.93
    2256.2
    >>> clv(1000, 1.0, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: An infinite horizon needs retention < 1 + discount, or the value never stops growing; pass years=... instead.
    """
    arrays, index = _numbers({"margin": margin, "retention": retention, "discount": discount})
    m, r, d = arrays
    if ((r < 0) | (r > 1)).any():
        raise ValueError(f"`retention` must lie between 0 and 1, but {r[(r < 0) | (r > 1)][0]!r} "
                         "was passed. Did you pass a percentage instead of a fraction?")
    if (d < 0).any():
        raise ValueError(f"`discount` must be zero or more, but {d[d < 0][0]!r} was passed.")
    q = r / (1 + d)
    if years is None:
        if (q >= 1).any():
            raise ValueError("An infinite horizon needs retention < 1 + discount, or the value "
                             "never stops growing; pass years=... instead.")
        result = m / (1 - q)
    else:
        check_number(years, "years", low=1, integer=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.where(q == 1, m * years, m * ((1 - q ** years) / (1 - q)))
    if index is None:
        return float(result)
    return pd.Series(result, index=index, name="clv")


def profit_uplift(retention: float | Sequence[float], *, uplift: float = RETENTION_UPLIFT,
                  margin: float | pd.Series = 1.0, discount: float | pd.Series = DISCOUNT_RATE,
                  years: int | None = None) -> pd.DataFrame:
    """How much CLV rises when retention rises by ``uplift`` points ("keep 5% more").

    ``gain_pct = clv(m, r + uplift, d) / clv(m, r, d) − 1`` — per customer, the same as the rise
    in profit from a customer base of fixed size. ``lifetime = 1 / (1 − r)`` is the expected
    number of periods a customer stays. Seed article 000 and Reichheld & Sasser (1990).

    Parameters
    ----------
    retention : float or sequence of float
        Current retention rate(s), 0–1.
    uplift : float
        Added retention, in fractions (0.05 = five percentage points).
    margin, discount, years
        As in :func:`clv`.

    Returns
    -------
    pandas.DataFrame
        One row per retention: ``retention``, ``retention_after``, ``lifetime_before``,
        ``lifetime_after``, ``clv_before``, ``clv_after``, ``gain`` and ``gain_pct``.

    Examples
    --------
    >>> out = profit_uplift([0.80, 0.90], margin=1000)
    >>> out[["retention", "retention_after", "clv_before", "clv_after", "gain_pct"]].round(3)
       retention  retention_after  clv_before  clv_after  gain_pct
    0        0.8             0.85    3666.667   4400.000     0.200
    1        0.9             0.95    5500.000   7333.333     0.333
    """
    check_number(uplift, "uplift", low=0, high=1)
    r = check_series(np.atleast_1d(retention) if np.isscalar(retention) else retention,
                     "retention").reset_index(drop=True)
    check_numeric(r, "retention")
    after = r + uplift
    if (after > 1).any():
        raise ValueError(f"`retention` + `uplift` must stay at most 1, but reaches "
                         f"{after.max():g}; pass a smaller uplift.")
    out = pd.DataFrame({"retention": r, "retention_after": after})
    with np.errstate(divide="ignore"):
        out["lifetime_before"] = 1 / (1 - r)
        out["lifetime_after"] = 1 / (1 - after)
    out["clv_before"] = clv(margin, r, discount, years=years).to_numpy()
    out["clv_after"] = clv(margin, after, discount, years=years).to_numpy()
    out["gain"] = out["clv_after"] - out["clv_before"]
    out["gain_pct"] = out["gain"] / out["clv_before"].where(out["clv_before"] != 0)
    return out


def acquisition_vs_retention(retain_cost: float, *, acquire_multiple: float = ACQUIRE_MULTIPLE,
                             customers: int = 1) -> pd.Series:
    """Cost of keeping ``customers`` against winning the same number of new ones.

    ``acquire_cost = acquire_multiple × retain_cost`` per customer (≈5×, seed article 003).

    Parameters
    ----------
    retain_cost : float
        Cost of keeping one existing customer (yuan, > 0).
    acquire_multiple : float
        How many times dearer a new customer is (default 5).
    customers : int
        How many customers are kept or replaced.

    Returns
    -------
    pandas.Series
        ``retain_cost``, ``acquire_cost`` (per customer), ``retain_total``, ``acquire_total``
        and ``extra_cost`` (= acquire_total − retain_total).

    Examples
    --------
    >>> acquisition_vs_retention(2000, customers=10)
    retain_cost        2000.0
    acquire_cost      10000.0
    retain_total      20000.0
    acquire_total    100000.0
    extra_cost        80000.0
    dtype: float64
    """
    check_number(retain_cost, "retain_cost", low=0)
    check_number(acquire_multiple, "acquire_multiple", low=0)
    check_number(customers, "customers", low=0, integer=True)
    acquire = acquire_multiple * retain_cost
    return pd.Series({"retain_cost": retain_cost, "acquire_cost": acquire,
                      "retain_total": retain_cost * customers, "acquire_total": acquire * customers,
                      "extra_cost": (acquire - retain_cost) * customers}, dtype=float)


def replacement_customers(old_value: float | pd.Series,
                          new_value: float | pd.Series) -> float | pd.Series:
    """How many new customers it takes to make up for losing one old one.

    ``old_value / new_value``, where both are the yearly profit or the :func:`clv` of a typical
    old and new customer. Old customers buy more, cost less to serve and stay longer, so the
    ratio is often near 10 (seed article 003; :data:`REPLACEMENT_RATIO`).

    Parameters
    ----------
    old_value : float or pandas.Series
        Value of an old customer (>= 0).
    new_value : float or pandas.Series
        Value of a new customer (> 0).

    Returns
    -------
    float or pandas.Series
        The number of new customers (not rounded; round up to plan).

    Examples
    --------
    >>> replacement_customers(clv(5000, 0.9, 0.1), clv(1500, 0.6, 0.1))   # 27500 / 3300
    8.333...
    """
    (old, new), index = _numbers({"old_value": old_value, "new_value": new_value})
    if (old < 0).any():
        raise ValueError("`old_value` must be zero or more.")
    if (new <= 0).any():
        raise ValueError("`new_value` must be positive: a new customer who brings nothing can "
                         "never replace an old one.")
    ratio = old / new
    return float(ratio) if index is None else pd.Series(ratio, index=index, name="replacements")


def retained(shipments: pd.DataFrame, year_from: int, year_to: int | None = None, *,
             key: str = "customer_id", date: str = "order_date") -> pd.DataFrame:
    """Which customers of one year ordered again in a later year (客户保持, a cohort view).

    The base is every customer with at least one order in calendar year ``year_from``; a
    customer is *retained* if it also has an order in ``year_to`` (default ``year_from + 1``).
    Customers first won after ``year_from`` are not in the base, so new business cannot hide
    lost customers. ``retained.mean()`` is the yearly retention rate (客户保持率) that
    :func:`clv` needs.

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order with ``key`` and ``date`` columns.
    year_from : int
        The year whose active customers form the base.
    year_to : int, optional
        The later year (default ``year_from + 1``); must be after ``year_from``.
    key, date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per customer active in ``year_from``, indexed by ``key`` and sorted:
        ``orders_from`` and ``orders_to`` (orders in each year) and ``retained`` (bool).

    See Also
    --------
    retention_rate : the same, counted per group.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c", "d"],
    ...     "order_date": pd.to_datetime(["2024-03-01", "2025-02-01", "2024-07-01",
    ...                                   "2024-12-30", "2025-11-11", "2025-05-05"])})
    >>> retained(orders, 2024)                     # d started in 2025: not in the base
                 orders_from  orders_to  retained
    customer_id
    a                      1          1      True
    b                      1          0     False
    c                      1          1      True
    >>> float(retained(orders, 2024)["retained"].mean())
    0.666...
    """
    check_number(year_from, "year_from", integer=True)
    year_to = year_from + 1 if year_to is None else year_to
    check_number(year_to, "year_to", integer=True)
    if year_to <= year_from:
        raise ValueError(f"`year_to` must come after `year_from`, but {year_to} <= {year_from}.")
    check_frame(shipments, "shipments")
    check_columns(shipments, [key, date], "shipments")
    ids = check_no_missing(shipments[key], f"shipments['{key}']")
    year = check_no_missing(check_datetime(shipments[date], f"shipments['{date}']"),
                            f"shipments['{date}']").dt.year
    counts = pd.crosstab(ids, year)
    if year_from not in counts.columns or (counts[year_from] == 0).all():
        raise ValueError(f"No customer has an order in {year_from}; the years in `shipments` "
                         f"are {sorted(int(y) for y in counts.columns)}.")
    out = pd.DataFrame({"orders_from": counts[year_from],
                        "orders_to": counts[year_to] if year_to in counts.columns else 0})
    out = out[out["orders_from"] > 0].astype("int64").sort_index()
    out.index.name = key
    out["retained"] = out["orders_to"] > 0
    return out


def retention_rate(shipments: pd.DataFrame, year_from: int, year_to: int | None = None, *,
                   groups: pd.Series | None = None, key: str = "customer_id",
                   date: str = "order_date") -> pd.Series | pd.DataFrame:
    """Yearly retention rate, overall or per group: the share of ``year_from``'s customers who
    ordered again in ``year_to`` (see :func:`retained` for the base).

    Parameters
    ----------
    shipments, year_from, year_to, key, date
        As in :func:`retained`.
    groups : pandas.Series, optional
        A group per customer id (e.g. the VIP level at the start of ``year_from + 1``; the
        shipments do not carry it, so it is not a ``by`` column); every customer of the base
        needs one. ``None`` summarises the whole base as a Series named ``"all"``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``customers`` (the base), ``retained`` and ``retention`` (= retained / customers), per
        group with ``groups``.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c", "d"],
    ...     "order_date": pd.to_datetime(["2024-03-01", "2025-02-01", "2024-07-01",
    ...                                   "2024-12-30", "2025-11-11", "2025-05-05"])})
    >>> float(retention_rate(orders, 2024)["retention"])
    0.6666666666666666
    >>> retention_rate(orders, 2024, groups=pd.Series({"a": "big", "b": "small", "c": "small"}))
           customers  retained  retention
    big            1         1        1.0
    small          2         1        0.5
    """
    base = retained(shipments, year_from, year_to, key=key, date=date)["retained"]
    if groups is None:
        labels = group_keys(base.to_frame(), [])[0]
    else:
        labels = check_series(groups, "groups").reindex(base.index)
        if labels.isna().any():
            missing = labels.index[labels.isna()]
            raise ValueError(f"`groups` has no group for {len(missing)} customer(s) of the base, "
                             f"e.g. {list(missing[:3])}; give every customer active in "
                             f"{year_from} a group.")
    out = base.groupby(labels, observed=True).agg(customers="size", retained="sum")
    out.index.name = None
    out["retention"] = out["retained"] / out["customers"]
    return out if groups is not None else by_result(out.astype(float), [])


def _numbers(inputs: dict):
    """Broadcast numbers/Series to float arrays; return them and the shared index (or None)."""
    arrays, index = [], None
    for name, x in inputs.items():
        if isinstance(x, pd.Series):
            check_numeric(x, name)
            check_no_missing(x, name)
            if index is not None and not index.equals(x.index):
                raise ValueError(f"`{name}` has a different index from the other Series inputs; "
                                 "align them first.")
            index = x.index
            arrays.append(x.to_numpy(dtype=float))
        elif isinstance(x, (list, tuple, np.ndarray)):
            s = check_numeric(check_series(list(np.ravel(x)), name), name)
            check_no_missing(s, name)
            arrays.append(s.to_numpy(dtype=float))
            index = pd.RangeIndex(len(s)) if index is None else index
        else:
            check_number(x, name)
            arrays.append(np.asarray(float(x)))
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError:
        raise ValueError(f"{', '.join(f'`{n}`' for n in inputs)} must have matching lengths."
                         ) from None
    if index is not None and len(index) != arrays[0].size:
        raise ValueError(f"{', '.join(f'`{n}`' for n in inputs)} must have matching lengths.")
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError(f"{', '.join(f'`{n}`' for n in inputs)} must be finite numbers.")
    return arrays, index
