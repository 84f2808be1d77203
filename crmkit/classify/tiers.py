"""Logistics tiers of 表1-1: 关键 / 合适 / 一般 customers by profit rank.

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 二(四) 从物流客户角度进行分类, 表1-1 物流客户层次表.
Notebook: notebooks/01_customer_types.ipynb
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from crmkit._ranking import share_tiers
from crmkit._validate import (
    check_categories, check_columns, check_frame, check_no_missing, check_numeric, check_series,
    check_shares, check_unique,
)
from crmkit.vocabulary import TIER_PROFIT_SHARES, TIER_SHARES, TIERS, english

__all__ = ["TIERS", "TIER_SHARES", "TIER_PROFIT_SHARES", "TIER_GOALS",
           "logistics_tiers", "tier_table"]

# TIERS (crmkit.vocabulary): the logistics tiers of 表1-1 物流客户层次表, best first (the textbook's
# names; it also calls them 顶级客户, 潜力客户 and 常规客户).
#: The goal (目标性) of each tier in 表1-1, Chinese and English.
TIER_GOALS = {"关键客户": ("财务利益", "financial benefit"),
              "合适客户": ("客户价值", "customer value"),
              "一般客户": ("客户满意度", "customer satisfaction")}

def logistics_tiers(profit: pd.Series, *, shares: Sequence[float] = TIER_SHARES) -> pd.DataFrame:
    """Split customers into 关键 / 合适 / 一般 customers by their rank in profit (表1-1).

    Customers are ranked by profit, largest first (equal profits: smaller id first). With ``n``
    customers and cumulative shares ``c_k`` (0.05, 0.20, 1.00 by default), the customer at rank
    ``i`` joins the first tier with ``(i - 1) / n < c_k``: the top ``ceil(0.05 n)`` customers
    are 关键客户 (so the best customer is always key), the next up to ``ceil(0.20 n)`` 合适客户,
    the rest 一般客户. Textbook ch.1 第一节 二(四), 表1-1 物流客户层次表.

    Parameters
    ----------
    profit : pandas.Series
        Profit per customer (may be negative), indexed by customer id, each id once.
    shares : tuple of float
        Share of customers in each tier, best first; fractions adding up to 1.

    Returns
    -------
    pandas.DataFrame
        One row per customer in rank order, indexed by id: ``profit``, ``rank``,
        ``cum_customer_share``, ``cum_profit_share`` (NaN if total profit <= 0) and ``tier``
        (ordered categorical over :data:`TIERS`, or ``tier 1`` … if ``shares`` has another length).

    See Also
    --------
    tier_table : customers and profit per tier, next to the textbook's table.

    Examples
    --------
    >>> import pandas as pd
    >>> profit = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3],
    ...                    index=list("abcdefghij"), name="profit")
    >>> logistics_tiers(profit)["tier"].tolist()
    ['关键客户', '合适客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户']
    >>> logistics_tiers(profit, shares=(5, 15, 80))
    Traceback (most recent call last):
    ...
    ValueError: `shares` must be a fraction strictly between 0 and 1, but 5 was passed. Did you pass a percentage instead of a fraction?
    """
    profit = check_series(profit, "profit")
    check_numeric(profit, "profit")
    check_no_missing(profit, "profit")
    check_unique(profit.index, "profit.index")
    shares = check_shares(shares, "shares")
    labels = TIERS if len(shares) == len(TIERS) else tuple(f"tier {k + 1}"
                                                          for k in range(len(shares)))
    return share_tiers(profit, shares, labels, value="profit", level="tier")


def tier_table(tiers: pd.DataFrame | pd.Series, *,
               shares: Sequence[float] = TIER_SHARES) -> pd.DataFrame:
    """Customers and profit per logistics tier, beside the textbook's 表1-1.

    Parameters
    ----------
    tiers : pandas.DataFrame or pandas.Series
        The result of :func:`logistics_tiers` (``profit`` and ``tier`` columns), or a profit
        Series, which is first split with ``logistics_tiers(tiers, shares=shares)``.
    shares : tuple of float
        Tier shares used when ``tiers`` is a profit Series.

    Returns
    -------
    pandas.DataFrame
        One row per tier (:data:`TIERS`): ``tier_en``, ``customers``, ``customer_share``,
        ``profit``, ``profit_share``, ``textbook_customer_share``, ``textbook_profit_share``,
        ``goal`` and ``goal_en``.

    Examples
    --------
    >>> import pandas as pd
    >>> profit = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3], index=list("abcdefghij"))
    >>> tier_table(profit)[["customers", "customer_share", "profit_share",
    ...                     "textbook_profit_share"]]
          customers  customer_share  profit_share  textbook_profit_share
    tier
    关键客户          1             0.1      0.765697                   0.80
    合适客户          1             0.1      0.137825                   0.15
    一般客户          8             0.8      0.096478                   0.05
    """
    if isinstance(tiers, pd.DataFrame):
        check_frame(tiers, "tiers")
        check_columns(tiers, ["profit", "tier"], "tiers")
        check_categories(tiers["tier"].astype(object), "tiers['tier']", TIERS)
        check_numeric(tiers["profit"], "tiers['profit']")
        check_no_missing(tiers["profit"], "tiers['profit']")
    else:
        tiers = logistics_tiers(tiers, shares=check_shares(shares, "shares", count=len(TIERS)))
    total = float(tiers["profit"].sum())
    if total <= 0:
        raise ValueError(f"The total profit is {total:g}, so shares of profit are undefined. "
                         "Pass profit per customer with a positive total.")
    grouped = tiers.groupby(tiers["tier"].astype(object))["profit"]
    table = pd.DataFrame({"customers": grouped.size(), "profit": grouped.sum()}).reindex(TIERS)
    table = table.fillna({"customers": 0, "profit": 0.0}).astype({"customers": "int64"})
    table.insert(0, "tier_en", [english(t) for t in TIERS])
    table.insert(2, "customer_share", table["customers"] / len(tiers))
    table["profit_share"] = table["profit"] / total
    table["textbook_customer_share"] = TIER_SHARES
    table["textbook_profit_share"] = TIER_PROFIT_SHARES
    table["goal"] = [TIER_GOALS[t][0] for t in TIERS]
    table["goal_en"] = [TIER_GOALS[t][1] for t in TIERS]
    return table.rename_axis("tier")

