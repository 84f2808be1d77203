"""The ABCD customer pyramid of textbook ch. 5 §5.3.2 (客户ABC分类管理法: A, B, C and D customers)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_amounts, check_categories, check_columns, check_fraction, check_frame, check_no_missing,
    check_number, check_numeric, check_series,
)
from crmkit._ranking import rank_order
from crmkit.vocabulary import CREDIT_RATINGS, SMALL_CUSTOMER_LOSS_SHARE

__all__ = [
    "ABCD_A_SHARE", "ABCD_B_SHARE", "ABCD_LOW_CREDIT", "SMALL_CUSTOMER_LOSS_SHARE", "abcd_pyramid",
]

#: Share of customers in class A: "占企业客户总数的1%" (textbook ch. 5 §5.3.2).
ABCD_A_SHARE = 0.01
#: Share of customers in class B: "占企业客户总数的4%", with 10–20 % of sales (textbook ch. 5 §5.3.2).
ABCD_B_SHARE = 0.04
#: Credit ratings counted as low credit for class D (the two lowest of the data's AAA…C scale).
ABCD_LOW_CREDIT = ("B", "C")



def abcd_pyramid(values: pd.Series, customers: pd.DataFrame, *, key: str = "customer_id",
                 credit: str | None = "credit_rating", loyalty: str | None = "loyalty_score",
                 a_share: float = ABCD_A_SHARE, b_share: float = ABCD_B_SHARE,
                 small_max: float | None = None, low_credit: Sequence[str] = ABCD_LOW_CREDIT,
                 loyalty_max: float | None = None) -> pd.DataFrame:
    """Sort customers into the textbook's ABCD pyramid.

    Textbook ch. 5 §5.3.2 (客户ABC分类管理法): A customers are the ~1 % with the largest
    volume, B the next ~4 % (10–20 % of sales), C the other regular customers, and D the
    small, demanding customers whose loyalty and credit are both low. The rule used here:

    1. rank by ``values`` (largest first; ties by customer id);
    2. A = the first ``round(a_share * n)`` customers (at least 1), B = the next
       ``round(b_share * n)`` (at least 1 if customers remain);
    3. of the rest, D if **all three** hold: small (value ``< small_max``), low credit
       (rating in ``low_credit``) and low loyalty (loyalty ``< loyalty_max``); else C.

    The chapter's warning: bad debt and disputes among small (D) customers can eat about
    ``SMALL_CUSTOMER_LOSS_SHARE`` (20 %) of the profit from key customers.

    Parameters
    ----------
    values : pandas.Series
        Sales (e.g. revenue) per customer, indexed by customer id, not negative.
    customers : pandas.DataFrame
        One row per customer with ``key`` and the ``credit``/``loyalty`` columns; it must
        contain every customer in ``values`` (extra customers are ignored).
    key : str, default "customer_id"
        Customer id column of ``customers``.
    credit : str or None, default "credit_rating"
        Credit rating column (AAA, AA, A, B, C); None leaves credit out of the D rule.
    loyalty : str or None, default "loyalty_score"
        Loyalty column (numbers); None leaves loyalty out of the D rule.
    a_share, b_share : float, default 0.01, 0.04
        Shares of customers in classes A and B.
    small_max : float, optional
        "Small" means a value below this; default the median of ``values``.
    low_credit : tuple of str, default ("B", "C")
        Ratings that count as low credit.
    loyalty_max : float, optional
        Low loyalty means below this; default the median loyalty of these customers.

    Returns
    -------
    pandas.DataFrame
        In the order of ``values``: ``value``, ``share``, ``rank``, ``abcd_class``
        (ordered A < B < C < D) and the flags ``small``, ``low_credit``, ``low_loyalty``.

    See Also
    --------
    abc_summary : shares of customers vs of sales per class (accepts this result).

    Examples
    --------
    >>> import pandas as pd
    >>> revenue = pd.Series([500, 200, 50, 40, 5, 3], index=list("uvwxyz"))
    >>> customers = pd.DataFrame({"customer_id": list("zyxwvu"),
    ...                           "credit_rating": ["C", "B", "A", "C", "AA", "AAA"],
    ...                           "loyalty_score": [0.1, 0.9, 0.5, 0.2, 0.7, 0.8]})
    >>> abcd_pyramid(revenue, customers)["abcd_class"].tolist()
    ['A', 'B', 'C', 'C', 'C', 'D']
    """
    series = check_series(values, "values")
    x = check_amounts(series, "values")
    if not series.index.is_unique:
        raise ValueError("`values` has duplicate customer ids: give one value per customer.")
    a_share = check_fraction(a_share, "a_share")
    b_share = check_fraction(b_share, "b_share")
    if a_share + b_share >= 1:
        raise ValueError(f"`a_share` + `b_share` must stay below 1, but {a_share} + {b_share} "
                         "was passed.")
    info = _customer_info(series.index, customers, key, [c for c in (credit, loyalty) if c])

    n = len(x)
    n_a = min(n, max(1, int(np.floor(a_share * n + 0.5))))
    n_b = min(n - n_a, max(1, int(np.floor(b_share * n + 0.5))))
    rank = np.empty(n, dtype=np.int64)
    rank[rank_order(x, series.index)] = np.arange(1, n + 1)

    if small_max is None:
        small_max = float(np.median(x))
    small = x < float(check_number(small_max, "small_max"))
    low_cr = np.ones(n, dtype=bool)
    if credit:
        ratings = check_categories(info[credit], credit, CREDIT_RATINGS)
        low_credit = tuple(check_categories(pd.Series(list(low_credit)), "low_credit",
                                            CREDIT_RATINGS))
        low_cr = ratings.isin(low_credit).to_numpy()
    low_loy = np.ones(n, dtype=bool)
    if loyalty:
        scores = check_numeric(check_no_missing(info[loyalty], loyalty), loyalty)
        if loyalty_max is None:
            loyalty_max = float(scores.median())
        low_loy = (scores < float(check_number(loyalty_max, "loyalty_max"))).to_numpy()

    codes = np.where(rank <= n_a, 0, np.where(rank <= n_a + n_b, 1, 2))
    codes[(codes == 2) & small & low_cr & low_loy] = 3
    return pd.DataFrame({
        "value": series.to_numpy(),
        "share": x / x.sum(),
        "rank": rank,
        "abcd_class": pd.Categorical.from_codes(codes, categories=list("ABCD"), ordered=True),
        "small": small,
        "low_credit": low_cr,
        "low_loyalty": low_loy,
    }, index=series.index.copy())


def _customer_info(ids, customers, key, columns):
    """Rows of ``customers`` for ``ids`` (in that order), with a clear error for gaps."""
    check_frame(customers, "customers")
    check_columns(customers, [key, *columns], "customers")
    keyed = customers.drop_duplicates(key).set_index(key)
    if len(keyed) != len(customers):
        dup = customers[key][customers[key].duplicated()].iloc[0]
        raise ValueError(f"`customers` lists customer {dup!r} more than once; "
                         "give one row per customer.")
    missing = ids.difference(keyed.index)
    if len(missing):
        raise ValueError(f"{len(missing)} customer(s) in `values` are not in `customers` "
                         f"(e.g. {', '.join(map(str, missing[:5]))}).")
    return keyed.loc[ids, columns]

