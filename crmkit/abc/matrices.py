"""Four-type customer grids of textbook ch. 5 §5.3.2 (客户构成分析): growth and loyalty × credit."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    DateLike, check_categories, check_columns, check_datetime, check_frame, check_no_missing,
    check_non_negative, check_number, check_numeric, to_timestamp,
)
from crmkit.vocabulary import ASOF, CREDIT_RATINGS

__all__ = [
    "CREDIT_RATINGS", "CREDIT_SCORES", "GROWTH_TYPES", "LOYALTY_CREDIT_TYPES",
    "growth_table", "growth_matrix", "loyalty_credit_matrix", "type_counts",
]

# CREDIT_RATINGS (crmkit.vocabulary): credit ratings of the customers table, best first.
#: Ratings as numbers for thresholds and medians (5 = AAA … 1 = C).
CREDIT_SCORES = {r: 5 - i for i, r in enumerate(CREDIT_RATINGS)}

#: (customer prospects high?, market growth high?) -> (中文, English). Textbook ch. 5 §5.3.2:
#: "淘汰客户、谨慎选择和发展交易客户、培养明星客户、调整衰老型客户营销策略"; the placement in
#: the grid follows the BCG growth–share matrix it echoes (stars = both high, ageing = low
#: market growth).
GROWTH_TYPES = {
    (True, True): ("重点培养", "cultivate (star)"),
    (False, True): ("谨慎发展", "develop with care"),
    (True, False): ("调整", "adjust (ageing)"),
    (False, False): ("淘汰", "eliminate"),
}
#: (credit high?, loyalty high?) -> (中文, English). Textbook ch. 5 §5.3.2: "低信用低忠诚等四种类型
#: …规避和降低风险, 巩固和发展黄金客户, 培养客户忠诚".
LOYALTY_CREDIT_TYPES = {
    (True, True): ("黄金客户", "golden"),
    (True, False): ("高信用低忠诚", "high credit, low loyalty"),
    (False, True): ("低信用高忠诚", "low credit, high loyalty"),
    (False, False): ("低信用低忠诚", "low credit, low loyalty"),
}


@fill_doc
def growth_table(shipments: pd.DataFrame, customers: pd.DataFrame, *, value: str = "revenue",
                 key: str = "customer_id", date: str = "order_date", market: str = "industry",
                 asof: DateLike = ASOF) -> pd.DataFrame:
    """Customer growth and market growth over the last 12 months vs the 12 before.

    Growth is the midpoint ("arc") change ``g = (now - before) / ((now + before) / 2)``,
    between -2 and 2, so new customers (``before = 0``, g = 2) and lost ones (g = -2) need no
    division by zero; 0 when both are zero. A customer's market growth is that of the total
    ``value`` of all customers in its ``market`` (e.g. industry). Feeds :func:`growth_matrix`
    (textbook ch. 5 §5.3.2, 发展前景 × 市场成长性).

    Parameters
    ----------
    shipments : pandas.DataFrame
        Rows with ``key``, ``date`` and ``value``.
    customers : pandas.DataFrame
        One row per customer with ``key`` and ``market``.
    value, key, date, market : str
        Column names (defaults follow the data contract).
    {asof}
        The end of the last 12-month window (inclusive).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key`` (every customer in ``customers``): ``market``, ``before``, ``now``,
        ``customer_growth``, ``market_growth``.

    Examples
    --------
    >>> import pandas as pd
    >>> shipments = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "order_date": pd.to_datetime(["2024-06-01", "2025-06-01", "2025-03-01", "2024-05-01"]),
    ...     "revenue": [100.0, 300.0, 50.0, 80.0]})
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "industry": ["零售", "零售", "医药"]})
    >>> growth_table(shipments, customers)[["customer_growth", "market_growth"]]
                 customer_growth  market_growth
    customer_id
    a                        1.0       1.111111
    b                        2.0       1.111111
    c                       -2.0      -2.000000
    """
    check_frame(shipments, "shipments")
    check_columns(shipments, [key, date, value], "shipments")
    check_frame(customers, "customers")
    check_columns(customers, [key, market], "customers")
    check_non_negative(shipments[value], value)
    when = check_datetime(shipments[date], date)
    end = to_timestamp(asof)
    start = end - pd.DateOffset(years=1)
    window = np.select([(when > start) & (when <= end),
                        (when > start - pd.DateOffset(years=1)) & (when <= start)],
                       ["now", "before"], "outside")
    sums = (shipments[value].groupby([shipments[key], window]).sum()
            .unstack(fill_value=0.0).reindex(columns=["before", "now"], fill_value=0.0))
    out = customers.drop_duplicates(key).set_index(key)[[market]]
    out = out.join(sums).fillna({"before": 0.0, "now": 0.0})
    out["customer_growth"] = _midpoint(out["now"], out["before"])
    by_market = out.groupby(market)[["before", "now"]].sum()
    market_growth = _midpoint(by_market["now"], by_market["before"])
    out["market_growth"] = out[market].map(market_growth).to_numpy()
    return out


def growth_matrix(data: pd.DataFrame, *, customer_growth: str = "customer_growth",
                  market_growth: str = "market_growth", customer_min: float | None = None,
                  market_min: float | None = None) -> pd.DataFrame:
    """Four customer types from growth prospects × market growth.

    Textbook ch. 5 §5.3.2: the firm's prospects with a customer and the growth of the
    customer's market give four types: 重点培养 cultivate (star: both high), 谨慎发展 develop
    with care (market grows, customer lags), 调整 adjust (ageing: customer strong, market
    slows) and 淘汰 eliminate (both low). "High" means ``>=`` the threshold.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer, e.g. from :func:`growth_table`.
    customer_growth, market_growth : str
        Column names of the two growth measures.
    customer_min, market_min : float, optional
        Thresholds for "high"; default the median of each column.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``: the two columns, ``customer_high``, ``market_high``, ``type``
        (Chinese) and ``type_en``; both labels are categoricals listing all four types, so
        :func:`type_counts` (or ``value_counts``) shows empty types too.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
    ...                    "market_growth": [0.1, 0.2, -0.1, -0.3]}, index=list("abcd"))
    >>> growth_matrix(df, customer_min=0, market_min=0)["type"].tolist()
    ['重点培养', '谨慎发展', '调整', '淘汰']
    >>> growth_matrix(df)["customer_high"].tolist()      # at or above the median, 0.05
    [True, False, True, False]
    """
    x, x_high, _ = _split(data, customer_growth, customer_min, "customer_min")
    y, y_high, _ = _split(data, market_growth, market_min, "market_min")
    out = pd.DataFrame({customer_growth: x, market_growth: y,
                        "customer_high": x_high, "market_high": y_high}, index=data.index)
    return _label(out, x_high, y_high, GROWTH_TYPES)


def loyalty_credit_matrix(data: pd.DataFrame, *, loyalty: str = "loyalty_score",
                          credit: str = "credit_rating", loyalty_min: float | None = None,
                          credit_min: str | float | None = None) -> pd.DataFrame:
    """Four customer types from loyalty × credit (from 低信用低忠诚 to 黄金客户).

    Textbook ch. 5 §5.3.2: avoid or limit the risk of low-credit customers, keep and grow the
    golden ones (黄金客户: high credit, high loyalty), build loyalty where credit is good.
    Ratings AAA…C are scored 5…1 (``CREDIT_SCORES``); "high" means ``>=`` the threshold.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer, e.g. ``customers``.
    loyalty : str, default "loyalty_score"
        Numeric loyalty column.
    credit : str, default "credit_rating"
        Ratings (AAA, AA, A, B, C) or numeric credit scores.
    loyalty_min : float, optional
        Threshold for high loyalty; default the median.
    credit_min : str or float, optional
        Threshold for high credit, a rating (e.g. "A") or a score; default the median score.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``: ``loyalty``, ``credit_score``, ``credit_high``,
        ``loyalty_high``, ``type`` (Chinese), ``type_en``.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"credit_rating": ["AAA", "AA", "B", "C"],
    ...                           "loyalty_score": [0.9, 0.2, 0.8, 0.1]})
    >>> loyalty_credit_matrix(customers, credit_min="A", loyalty_min=0.5)["type_en"].tolist()
    ['golden', 'high credit, low loyalty', 'low credit, high loyalty', 'low credit, low loyalty']
    >>> loyalty_credit_matrix(customers)["credit_high"].tolist()   # median score 3 (A)
    [True, True, False, False]
    """
    check_frame(data)
    check_columns(data, [loyalty, credit])
    scored = data[credit]
    if not pd.api.types.is_numeric_dtype(scored) or pd.api.types.is_bool_dtype(scored):
        check_categories(scored, credit, CREDIT_RATINGS)
        scored = scored.map(CREDIT_SCORES).astype(float)
    if isinstance(credit_min, str):
        check_categories(pd.Series([credit_min]), "credit_min", CREDIT_RATINGS)
        credit_min = CREDIT_SCORES[credit_min]
    frame = pd.DataFrame({"loyalty": data[loyalty], "credit_score": scored}, index=data.index)
    loy, loy_high, _ = _split(frame, "loyalty", loyalty_min, "loyalty_min", name=loyalty)
    cre, cre_high, _ = _split(frame, "credit_score", credit_min, "credit_min", name=credit)
    out = pd.DataFrame({"loyalty": loy, "credit_score": cre, "credit_high": cre_high,
                        "loyalty_high": loy_high}, index=data.index)
    return _label(out, cre_high, loy_high, LOYALTY_CREDIT_TYPES)


def type_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Customers per type of a four-type grid: count and share, all four types listed.

    Parameters
    ----------
    table : pandas.DataFrame
        Result of :func:`growth_matrix` or :func:`loyalty_credit_matrix`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``type`` (Chinese): ``type_en``, ``customers``, ``share``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_growth": [0.3, 0.1, -0.2], "market_growth": [0.2, 0.3, -0.1]})
    >>> type_counts(growth_matrix(df, customer_min=0, market_min=0))
             type_en  customers  share
    type
    重点培养  cultivate (star)          2  0.666667
    谨慎发展  develop with care         0  0.000000
    调整     adjust (ageing)           0  0.000000
    淘汰           eliminate          1  0.333333
    """
    check_frame(table, "table")
    check_columns(table, ["type", "type_en"], "table")
    labels = table["type"].astype("category")
    counts = labels.value_counts(sort=False)
    english = dict(zip(table["type"].astype(str), table["type_en"].astype(str)))
    for zh, en in (*GROWTH_TYPES.values(), *LOYALTY_CREDIT_TYPES.values()):
        english.setdefault(zh, en)
    out = pd.DataFrame({"type_en": [english.get(str(t), "") for t in counts.index],
                        "customers": counts.to_numpy(),
                        "share": counts.to_numpy() / max(len(table), 1)},
                       index=pd.Index(counts.index.astype(str), name="type"))
    return out


def _midpoint(now, before):
    mean = (now + before) / 2
    return ((now - before) / mean.where(mean > 0)).fillna(0.0)


def _split(data, column, threshold, threshold_name, *, name=None):
    """Column as floats, its "high" flag (>= threshold, default the median), the threshold."""
    name = name or column
    check_frame(data)
    check_columns(data, [column])
    values = check_numeric(check_no_missing(data[column], name), name).astype(float)
    if not np.isfinite(values.to_numpy()).all():
        raise ValueError(f"`{name}` has infinite values (a growth rate divided by zero?).")
    if threshold is None:
        threshold = float(values.median())
    else:
        check_number(threshold, threshold_name)
    return values, (values >= threshold).to_numpy(), float(threshold)


def _label(out, first_high, second_high, types):
    order = list(types)
    zh = pd.Categorical([types[k][0] for k in order], categories=[types[k][0] for k in order])
    code = np.select([first_high & second_high, ~first_high & second_high,
                      first_high & ~second_high], [0, 1, 2], 3)
    pos = np.array([order.index(k) for k in [(True, True), (False, True), (True, False),
                                              (False, False)]])[code]
    out["type"] = pd.Categorical.from_codes(pos, categories=list(zh.categories))
    out["type_en"] = pd.Categorical.from_codes(pos, categories=[types[k][1] for k in order])
    return out
