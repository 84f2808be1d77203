"""Customers by time: past (过去型), current (现在型) and future (未来型) customers.

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 二(一) 按时间顺序分类.
Notebook: notebooks/01_customer_types.ipynb
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    DateLike, check_columns, check_datetime, check_frame, check_no_missing, check_number, to_timestamp,
)
from crmkit.vocabulary import ACTIVE_WINDOW_DAYS, ASOF, TIME_TYPES

__all__ = ["ASOF", "ACTIVE_WINDOW_DAYS", "TIME_TYPES", "time_type"]


# TIME_TYPES (crmkit.vocabulary): customers by time (textbook ch.1 二(一) 按时间顺序分类).

@fill_doc
def time_type(shipments: pd.DataFrame, *, asof: DateLike = ASOF, customers: pd.DataFrame | None = None,
              window_days: int = ACTIVE_WINDOW_DAYS, key: str = "customer_id",
              date: str = "order_date") -> pd.DataFrame:
    """Class customers as past (过去型), current (现在型) or future (未来型) customers.

    Rule, per customer, counting orders up to and including the day ``asof``:

    * 现在型 — the last order lies within the last ``window_days`` days (``asof`` counts as day 0);
    * 过去型 — ordered before, but not within the window;
    * 未来型 — no order up to ``asof``: listed in ``customers`` without shipments, or first
      ordering after ``asof``.

    Textbook ch.1 第一节 二(一) 按时间顺序分类.

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order, with ``key`` and ``date`` columns.
    {asof}
    customers : pandas.DataFrame, optional
        Known customers (a ``key`` column); those without orders are classed 未来型.
    window_days : int
        Length of the "recent" window in days (default 365).
    key, date : str
        Column names of the customer id and the order date.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by id: ``key``, ``last_order`` (NaT if none),
        ``orders`` (up to asof), ``days_since_last`` and ``time_type`` (categorical).

    See Also
    --------
    relationship_stage : stages of a relationship from contacts and orders.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...                        "order_date": pd.to_datetime(["2024-03-01", "2025-11-20",
    ...                                                      "2024-06-30", "2026-01-05"])})
    >>> time_type(orders, asof="2025-12-31", customers=pd.DataFrame({"customer_id": ["d"]}))
      customer_id last_order  orders  days_since_last time_type
    0           a 2025-11-20       2               41       现在型
    1           b 2024-06-30       1              549       过去型
    2           c        NaT       0             <NA>       未来型
    3           d        NaT       0             <NA>       未来型
    """
    asof = to_timestamp(asof, "asof").normalize()
    check_number(window_days, "window_days", low=1, integer=True)
    check_frame(shipments, "shipments", allow_empty=customers is not None)
    check_columns(shipments, [key, date], "shipments")
    ids = check_no_missing(shipments[key], f"shipments['{key}']")
    days = days_before(shipments[date], asof, f"shipments['{date}']")
    seen = days >= 0
    stats = (pd.DataFrame({"last_order": shipments[date][seen], "days": days[seen]})
             .groupby(ids[seen]).agg(last_order=("last_order", "max"),
                                     orders=("days", "size"), days_since_last=("days", "min")))
    out = stats.reindex(customer_universe(key, ids, customers))
    out["orders"] = out["orders"].fillna(0).astype("int64")
    out["days_since_last"] = out["days_since_last"].astype("Int64")
    label = np.where(out["orders"] == 0, "未来型",
                     np.where(out["days_since_last"].fillna(window_days) < window_days,
                              "现在型", "过去型"))
    out["time_type"] = pd.Categorical(label, categories=TIME_TYPES)
    return out.rename_axis(key).reset_index()

def days_before(dates: pd.Series, asof: pd.Timestamp, name: str) -> pd.Series:
    """Whole days from each date's calendar day to ``asof`` (negative = after asof)."""
    dates = check_no_missing(check_datetime(dates, name), name)
    return (asof - dates.dt.normalize()).dt.days.astype("int64")


def customer_universe(customer: str, ids: pd.Series, customers) -> pd.Index:
    """Sorted ids seen in ``ids`` plus those of the optional ``customers`` table."""
    index = pd.Index(ids.unique())
    if customers is not None:
        check_frame(customers, "customers", allow_empty=True)
        check_columns(customers, [customer], "customers")
        known = check_no_missing(customers[customer], f"customers['{customer}']")
        index = index.union(pd.Index(known.unique()))
    return index.sort_values()
