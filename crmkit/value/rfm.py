"""Customer value, RFM grading and VIP levels (客户价值, 客户分级, 重点客户VIP).

Textbook: chapter 4, 现代物流重点客户关系管理实施 (客户价值; 第二节 物流重点客户VIP; 第三节 个性化服务).
Notebook: notebooks/04_key_customers_vip.ipynb
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    DateLike, check_columns, check_datetime, check_frame, check_no_missing, check_non_negative,
    check_categories, check_number, check_numeric, check_series, check_shares, check_unique,
    to_timestamp,
)
from crmkit._ranking import share_tiers
from crmkit.vocabulary import ASOF, VIP_LEVELS

__all__ = ["VALUE_PARTS", "COST_PARTS", "RFM_BINS", "RFM_SEGMENTS", "SEGMENT_OFFERS", "VIP_LEVELS",
           "VIP_SHARES", "VIP_BENEFITS", "customer_value", "rfm", "segment_summary", "vip_tiers"]

#: Total customer value = product + service + personnel + image value; total customer cost =
#: money + time + energy cost (客户总价值 / 客户总成本, textbook 客户价值; seed slides 5.3.1).
VALUE_PARTS = {"产品价值": "product_value", "服务价值": "service_value",
               "人员价值": "personnel_value", "形象价值": "image_value"}
COST_PARTS = {"货币成本": "money_cost", "时间成本": "time_cost", "精力成本": "energy_cost"}

#: Quintile scores 1–5 (Hughes, *Strategic Database Marketing*, 1994).
RFM_BINS = 5
#: The common eight-segment RFM model: (R high, F high, M high) -> (Chinese, English).
RFM_SEGMENTS = {
    (True, True, True): ("重要价值客户", "important value"),
    (True, False, True): ("重要发展客户", "important to develop"),
    (False, True, True): ("重要保持客户", "important to retain"),
    (False, False, True): ("重要挽留客户", "important to win back"),
    (True, True, False): ("一般价值客户", "general value"),
    (True, False, False): ("一般发展客户", "general to develop"),
    (False, True, False): ("一般保持客户", "general to retain"),
    (False, False, False): ("一般挽留客户", "general to win back"),
}
#: A personalised service offer per RFM segment (our wording, after ch.4 第三节 个性化服务).
SEGMENT_OFFERS = {
    "重要价值客户": "专属客户经理、优先运力与定制方案",
    "重要发展客户": "交叉推荐仓储/冷链等服务,提高下单频次",
    "重要保持客户": "客户经理回访,了解近期不下单的原因",
    "重要挽留客户": "高层拜访与挽回优惠,防止流失",
    "一般价值客户": "推荐增值服务,提高单票金额",
    "一般发展客户": "新客欢迎礼包与线上便捷下单",
    "一般保持客户": "定期关怀短信与积分活动",
    "一般挽留客户": "低成本的线上触达,不投入专人",
}

#: The share of customers in each VIP level (VIP_LEVELS, best first; our illustration of 重点客户VIP).
VIP_SHARES = (0.05, 0.15, 0.30, 0.50)
VIP_BENEFITS = {
    "钻石": "专属客户经理、运力保障、账期优惠、季度业务回顾与反馈会",
    "金卡": "优先提货与理赔、月度服务报告、年度满意度回访",
    "银卡": "积分折扣、在线专属客服",
    "普通": "标准服务与在线自助",
}

def customer_value(data: pd.DataFrame, *, product: str = "product_value", service: str = "service_value",
                   personnel: str = "personnel_value", image: str = "image_value",
                   money: str = "money_cost", time: str = "time_cost",
                   energy: str = "energy_cost") -> pd.DataFrame:
    """Customer delivered value = total customer value − total customer cost (客户价值).

    ``total_value = product + service + personnel + image`` and
    ``total_cost = money + time + energy``; all parts in the same unit (yuan, or yuan-equivalent
    points). Textbook ch.4 (客户价值) and seed slides 5.3.1 客户价值分析.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer with the seven part columns (numbers >= 0).
    product, service, personnel, image : str
        Columns of the four value parts (产品价值, 服务价值, 人员价值, 形象价值).
    money, time, energy : str
        Columns of the three cost parts (货币成本, 时间成本, 精力成本).

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` plus ``total_value``, ``total_cost``, ``customer_delivered_value``,
        ``value_cost_ratio`` (NaN where the total cost is 0) and ``value_rank`` (1 = highest
        delivered value; ties by row order).

    Examples
    --------
    >>> import pandas as pd
    >>> parts = pd.DataFrame({"product_value": [50, 40], "service_value": [30, 20],
    ...     "personnel_value": [10, 10], "image_value": [10, 5], "money_cost": [60, 30],
    ...     "time_cost": [10, 5], "energy_cost": [5, 5]}, index=["a", "b"])
    >>> out = customer_value(parts)
    >>> out[["total_value", "total_cost", "customer_delivered_value", "value_rank"]]
       total_value  total_cost  customer_delivered_value  value_rank
    a          100          75                        25           2
    b           75          40                        35           1
    >>> out["value_cost_ratio"].round(3).tolist()
    [1.333, 1.875]
    """
    check_frame(data, "data")
    values, costs = [product, service, personnel, image], [money, time, energy]
    check_columns(data, values + costs, "data")
    for col in values + costs:
        check_non_negative(data[col], f"data['{col}']")
    out = data.copy()
    out["total_value"] = data[values].sum(axis=1)
    out["total_cost"] = data[costs].sum(axis=1)
    out["customer_delivered_value"] = out["total_value"] - out["total_cost"]
    out["value_cost_ratio"] = out["total_value"] / out["total_cost"].where(out["total_cost"] > 0)
    out["value_rank"] = (out["customer_delivered_value"].rank(method="first", ascending=False)
                         .astype("int64"))
    return out


@fill_doc
def rfm(shipments: pd.DataFrame, *, asof: DateLike = ASOF, bins: int = RFM_BINS,
        key: str = "customer_id", date: str = "order_date", value: str = "revenue") -> pd.DataFrame:
    """RFM scores 1…``bins`` and an eight-way segment per customer (客户分级, RFM).

    Per customer, from orders on or before the day ``asof``: recency ``R`` = days since the last
    order (lower is better), frequency ``F`` = number of orders, monetary ``M`` = revenue sum.
    Each is scored by rank: customers are sorted from worst to best (ties: smaller id first, so
    equal values still get a deterministic order) and the customer at 0-based position ``p`` of
    ``n`` gets ``1 + floor(p * bins / n)``. With ``n >= bins`` every score is used and the bins
    differ in size by at most one; with ``n < bins`` some scores stay empty (2 customers, 5
    bins: scores 1 and 3). A score is *high* when above the middle score ``(bins + 1) / 2``
    (4 and 5 of five); the three high/low flags give the segment (:data:`RFM_SEGMENTS`).

    One hash factorisation of the ids and whole-array reductions: 1 million shipments of 20,000
    customers take about 0.1 s (``benchmarks/bench_methods.py``).

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order with ``key``, ``date`` and ``value`` (>= 0) columns.
    {asof}
        Later orders are ignored.
    bins : int
        Number of score levels, 2 to 9 (default 5, quintiles).
    key, date, value : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per customer with an order up to ``asof``, sorted by id: ``key``,
        ``last_order``, ``recency_days``, ``frequency``, ``monetary``, ``R``, ``F``, ``M``,
        ``rfm_code`` (e.g. "545"), ``rfm_total``, ``segment`` and ``segment_en``.

    See Also
    --------
    vip_tiers : VIP levels from any value per customer, e.g. ``rfm_total``.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "c", "c", "d", "e"],
    ...     "order_date": pd.to_datetime(["2025-12-20", "2025-11-01", "2025-10-01",
    ...         "2025-01-10", "2025-12-30", "2025-06-01", "2025-07-01", "2025-12-01"]),
    ...     "revenue": [100.0, 100, 100, 900, 50, 50, 20, 10]})
    >>> rfm(orders, asof="2025-12-31")[["customer_id", "recency_days", "frequency", "monetary",
    ...                            "rfm_code", "segment"]]
      customer_id  recency_days  frequency  monetary rfm_code segment
    0           a            11          3     300.0      454  重要价值客户
    1           b           355          1     900.0      115  重要挽留客户
    2           c             1          2     100.0      543  一般价值客户
    3           d           183          1      20.0      222  一般挽留客户
    4           e            30          1      10.0      331  一般挽留客户
    """
    check_number(bins, "bins", low=2, high=9, integer=True)
    asof = to_timestamp(asof, "asof").normalize()
    check_frame(shipments, "shipments")
    check_columns(shipments, [key, date, value], "shipments")
    when = check_datetime(shipments[date], f"shipments['{date}']")
    money = check_non_negative(shipments[value], f"shipments['{value}']")
    # One hash factorisation of the ids (its -1 codes are the missing ids, so no separate isna
    # pass over a million strings), whole-array reductions on the codes, and a sort of the few
    # thousand distinct ids at the end: about 2.5x faster than a sorted groupby.
    codes, uniques = pd.factorize(shipments[key].to_numpy())
    if (codes < 0).any():
        check_no_missing(shipments[key], f"shipments['{key}']")
    stamps = when.to_numpy()
    if stamps.dtype.kind != "M":                     # tz-aware: calendar days in its own zone
        stamps = when.dt.tz_localize(None).to_numpy()
    if np.isnat(stamps).any():
        check_no_missing(when, f"shipments['{date}']")
    days = stamps.astype("datetime64[D]").astype("int64")
    seen = days <= np.datetime64(asof.date(), "D").astype("int64")
    if not seen.any():
        raise ValueError(f"No order in `shipments` falls on or before asof={asof.date()}; "
                         f"the first order is on {when.min().date()}.")
    codes, days = codes[seen], days[seen]
    size = len(uniques)
    frequency = np.bincount(codes, minlength=size)
    monetary = np.bincount(codes, weights=money.to_numpy(dtype="float64")[seen], minlength=size)
    last = np.full(size, np.iinfo("int64").min)
    np.maximum.at(last, codes, days)
    # Customers with an order up to asof, sorted by id.
    keep = np.flatnonzero(frequency)
    keep = keep[np.argsort(uniques[keep], kind="stable")]
    n = len(keep)
    last_day = last[keep].astype("datetime64[D]")
    out = pd.DataFrame({
        "last_order": last_day.astype(stamps.dtype),
        "recency_days": (np.datetime64(asof.date(), "D") - last_day).astype("int64"),
        "frequency": frequency[keep],
        "monetary": monetary[keep],
    }, index=pd.Index(uniques[keep]))
    for col, metric in (("R", -out["recency_days"]), ("F", out["frequency"]),
                     ("M", out["monetary"])):
        position = np.empty(n, dtype="int64")
        position[np.argsort(metric.to_numpy(), kind="stable")] = np.arange(n)
        out[col] = 1 + position * bins // n
    digits = np.array([f"{r}{f}{m}" for r in range(bins + 1) for f in range(bins + 1)
                       for m in range(bins + 1)], dtype=object)
    out["rfm_code"] = digits[((out["R"] * (bins + 1) + out["F"]) * (bins + 1) + out["M"]).to_numpy()]
    out["rfm_total"] = out["R"] + out["F"] + out["M"]
    high = [(out[c] > (bins + 1) / 2).to_numpy() for c in "RFM"]
    lookup = {4 * r + 2 * f + m: labels for (r, f, m), labels in RFM_SEGMENTS.items()}
    code = 4 * high[0] + 2 * high[1] + high[2]
    order = [v[0] for v in RFM_SEGMENTS.values()]
    out["segment"] = pd.Categorical([lookup[c][0] for c in range(8)],
                                    categories=order).take(code)
    out["segment_en"] = np.array([lookup[c][1] for c in range(8)], dtype=object)[code]
    return out.rename_axis(key).reset_index()


def segment_summary(rfm_table: pd.DataFrame, *, value: str = "monetary") -> pd.DataFrame:
    """Customers and revenue per RFM segment: counts, share of customers, share of revenue.

    ``customer_share_s = n_s / n`` and ``revenue_share_s = Σ_s value / Σ value`` for each of the
    eight segments of :func:`rfm` — the table that shows, e.g., that 重要价值客户 are a fifth of
    the customers but half the revenue (textbook ch.4, 客户分级: serve segments differently).

    Parameters
    ----------
    rfm_table : pandas.DataFrame
        Result of :func:`rfm` (``segment`` and ``value``; ``recency_days`` if present).
    value : str, default "monetary"
        Column to add up per segment (revenue in :func:`rfm`), >= 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment``, all eight in :data:`RFM_SEGMENTS` order (empty ones with 0):
        ``segment_en``, ``customers``, ``customer_share``, ``revenue``, ``revenue_share`` and,
        when ``rfm_table`` has ``recency_days``, ``mean_recency_days`` (NaN if empty).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"segment": ["重要价值客户", "重要价值客户", "一般挽留客户", "重要挽留客户"],
    ...                       "monetary": [500.0, 300.0, 20.0, 180.0]})
    >>> segment_summary(table).iloc[[0, 1, 3, 7], 1:]      # 800 of 1000 yuan from 2 of 4 customers
            customers  customer_share  revenue  revenue_share
    segment
    重要价值客户          2            0.50    800.0           0.80
    重要发展客户          0            0.00      0.0           0.00
    重要挽留客户          1            0.25    180.0           0.18
    一般挽留客户          1            0.25     20.0           0.02
    """
    check_frame(rfm_table, "rfm_table")
    check_columns(rfm_table, ["segment", value], "rfm_table")
    names = [zh for zh, _ in RFM_SEGMENTS.values()]
    labels = check_categories(rfm_table["segment"].astype(object), "rfm_table['segment']", names)
    money = check_non_negative(rfm_table[value], f"rfm_table['{value}']").astype(float)
    grouped = money.groupby(pd.Categorical(labels, categories=names), observed=False)
    out = pd.DataFrame({"segment_en": [en for _, en in RFM_SEGMENTS.values()],
                        "customers": grouped.size().to_numpy(),
                        "revenue": grouped.sum().to_numpy()},
                       index=pd.Index(names, name="segment"))
    out.insert(2, "customer_share", out["customers"] / out["customers"].sum())
    total = out["revenue"].sum()
    out["revenue_share"] = out["revenue"] / total if total > 0 else 0.0
    if "recency_days" in rfm_table.columns:
        days = check_numeric(rfm_table["recency_days"], "rfm_table['recency_days']")
        out["mean_recency_days"] = (days.astype(float).groupby(
            pd.Categorical(labels, categories=names), observed=False).mean().to_numpy())
    return out


def vip_tiers(values: pd.Series, *, shares: Sequence[float] = VIP_SHARES,
              levels: Sequence[str] = VIP_LEVELS) -> pd.DataFrame:
    """VIP level per customer from any value score, best customers first (重点客户VIP).

    Customers are ranked by ``values`` (largest first, ties: smaller id first) and cut by
    cumulative share of customers, as :func:`crmkit.classify.logistics_tiers` does: by default
    the top 5% are 钻石, the next 15% 金卡, the next 30% 银卡 and the rest 普通. Benefits per level
    are in :data:`VIP_BENEFITS`. Textbook ch.4 第二节 物流重点客户VIP.

    Parameters
    ----------
    values : pandas.Series
        One number per customer (e.g. ``rfm_total``, CLV or profit), indexed by id.
    shares : tuple of float
        Share of customers per level, best first, adding up to 1.
    levels : tuple of str
        Level names, as many as ``shares``.

    Returns
    -------
    pandas.DataFrame
        One row per customer in rank order, indexed by id: ``value``, ``rank``,
        ``cum_customer_share``, ``cum_value_share`` and ``vip`` (ordered categorical).

    Examples
    --------
    >>> import pandas as pd
    >>> score = pd.Series([15, 3, 12, 9, 9, 7, 4, 14, 6, 5], index=list("abcdefghij"))
    >>> vip_tiers(score)["vip"].to_dict()
    {'a': '钻石', 'h': '金卡', 'c': '银卡', 'd': '银卡', 'e': '银卡', 'f': '普通', 'i': '普通', 'j': '普通', 'g': '普通', 'b': '普通'}
    """
    values = check_series(values, "values")
    check_numeric(values, "values")
    check_no_missing(values, "values")
    check_unique(values.index, "values.index")
    shares = check_shares(shares, "shares")
    levels = tuple(levels)
    if len(levels) != len(shares) or len(set(levels)) != len(levels):
        raise ValueError(f"`levels` must hold {len(shares)} distinct names, one per share, "
                         f"but {levels} was passed.")
    return share_tiers(values, shares, levels, value="value", level="vip")
