"""Cost-to-serve, customer profitability and the whale curve (textbook ch. 5, 成本与收益分析法)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_columns, check_frame, check_no_missing, check_non_negative
from crmkit._ranking import rank_order

__all__ = ["customer_profitability", "whale_peak"]


def customer_profitability(shipments: pd.DataFrame, *, revenue: str = "revenue", cost: str = "cost",
                           key: str = "customer_id") -> pd.DataFrame:
    """Revenue, cost-to-serve and profit per customer, ranked, with the whale curve.

    ``profit = revenue - cost_to_serve`` and ``margin = profit / revenue`` per customer
    (textbook ch. 5, 成本与收益分析法 cost–benefit analysis). Ranked most profitable first,
    ``cum_profit_share`` is the whale curve: it climbs above 100 % while profitable customers
    are added, then falls back to exactly 100 % as the loss-making ones (the "whales" at the
    tail) eat part of it.

    Parameters
    ----------
    shipments : pandas.DataFrame
        Rows with ``key``, ``revenue`` and ``cost`` (money, not negative).
    revenue, cost, key : str
        Column names (defaults follow the data contract).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key``, most profitable first: ``rank``, ``shipments`` (rows),
        ``revenue``, ``cost_to_serve``, ``profit``, ``margin`` (NaN if revenue is 0),
        ``customer_share`` (rank / n), ``cum_profit``, ``cum_profit_share``.

    Raises
    ------
    ValueError
        If total profit is not positive (the whale curve is then undefined).

    See Also
    --------
    whale_peak : where the curve peaks ("the most profitable X % earn Y % of profit").

    Examples
    --------
    >>> import pandas as pd
    >>> shipments = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
    ...                           "revenue": [60.0, 40.0, 50.0, 30.0, 20.0],
    ...                           "cost": [20.0, 20.0, 30.0, 40.0, 25.0]})
    >>> customer_profitability(shipments)[["profit", "cum_profit_share"]]
                 profit  cum_profit_share
    customer_id
    a              60.0          0.923077
    b              20.0          1.230769
    d              -5.0          1.153846
    c             -10.0          1.000000
    """
    check_frame(shipments, "shipments")
    check_columns(shipments, [key, revenue, cost], "shipments")
    check_no_missing(shipments[key], key)
    check_non_negative(shipments[revenue], revenue)
    check_non_negative(shipments[cost], cost)
    grouped = shipments.groupby(key, sort=True)
    out = pd.DataFrame({"shipments": grouped.size(),
                        "revenue": grouped[revenue].sum().astype(float),
                        "cost_to_serve": grouped[cost].sum().astype(float)})
    out["profit"] = out["revenue"] - out["cost_to_serve"]
    out["margin"] = out["profit"] / out["revenue"].where(out["revenue"] > 0)
    total = out["profit"].sum()
    if not total > 0:
        raise ValueError(f"Total profit is {total:,.2f}, not positive: the whale curve (cumulative "
                         "share of total profit) is undefined. Check the `cost` column.")
    out = out.iloc[rank_order(out["profit"].to_numpy(), out.index)]
    n = len(out)
    out.insert(0, "rank", np.arange(1, n + 1))
    out["customer_share"] = out["rank"] / n
    out["cum_profit"] = out["profit"].cumsum()
    out["cum_profit_share"] = out["cum_profit"] / total
    return out


def whale_peak(profitability: pd.DataFrame) -> pd.Series:
    """The top of the whale curve: "the most profitable X % of customers earn Y % of profit".

    Textbook ch. 5 (成本与收益分析法): the height of the peak above 100 % is the profit that
    loss-making customers give away.

    Parameters
    ----------
    profitability : pandas.DataFrame
        Result of :func:`customer_profitability`.

    Returns
    -------
    pandas.Series
        ``customers`` (how many are in the peak group), ``customer_share``, ``profit_share``
        (peak of ``cum_profit_share``), ``total_profit``, ``loss_makers`` (customers with
        negative profit) and ``profit_lost`` (their losses, a positive number).

    Examples
    --------
    >>> import pandas as pd
    >>> shipments = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
    ...                           "revenue": [60.0, 40.0, 50.0, 30.0, 20.0],
    ...                           "cost": [20.0, 20.0, 30.0, 40.0, 25.0]})
    >>> whale_peak(customer_profitability(shipments))
    customers          2.000000
    customer_share     0.500000
    profit_share       1.230769
    total_profit      65.000000
    loss_makers        2.000000
    profit_lost       15.000000
    dtype: float64
    """
    check_frame(profitability, "profitability")
    check_columns(profitability, ["profit", "cum_profit_share", "customer_share"],
                  "profitability")
    at = int(np.argmax(profitability["cum_profit_share"].to_numpy()))
    profit = profitability["profit"]
    return pd.Series({
        "customers": at + 1,
        "customer_share": float(profitability["customer_share"].iloc[at]),
        "profit_share": float(profitability["cum_profit_share"].iloc[at]),
        "total_profit": float(profit.sum()),
        "loss_makers": int((profit < 0).sum()),
        "profit_lost": float(-profit[profit < 0].sum()),
    })
