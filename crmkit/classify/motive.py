"""Customers by marketing motive: 经济型, 道德型, 个性化 and 方便型.

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 二(三) 从市场营销角度进行分类.
Notebook: notebooks/01_customer_types.ipynb
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_columns, check_frame, check_no_missing, check_non_negative, check_range, check_unique,
)
from crmkit.vocabulary import MOTIVE_TYPES

__all__ = ["MOTIVE_TYPES", "MOTIVE_COLUMNS", "motive_type"]

#: Below this standard deviation a behaviour column counts as constant (float rounding noise).
_MIN_SPREAD = 1e-9

#: Customers by marketing motive (MOTIVE_TYPES, ch.1 二(三) 从市场营销角度进行分类): the behaviour
#: column of ``customers`` (data contract) that signals each motive.
MOTIVE_COLUMNS = {"经济型": "price_sensitivity", "道德型": "ethical_preference",
                  "个性化": "customization_requests", "方便型": "convenience_preference"}

def motive_type(customers: pd.DataFrame, shipments: pd.DataFrame | None = None, *,
                columns: Mapping[str, str] | None = None, key: str = "customer_id",
                value: str = "revenue") -> pd.DataFrame:
    """Class customers by marketing motive: 经济型, 道德型, 个性化 or 方便型.

    Rule: each behaviour column of :data:`MOTIVE_COLUMNS` is standardised over all customers
    (z-score ``(x - mean) / sd``, population sd; a column that never varies scores 0;
    ``customization_requests`` is a skewed count, so ``log(1 + x)`` is standardised). A customer's
    motive is the behaviour where they stand furthest above the other customers (largest z); ties
    go to the earlier type in :data:`MOTIVE_TYPES`. ``margin`` = largest z − second largest z
    shows how clear-cut the call is. Textbook ch.1 第一节 二(三) 从市场营销角度进行分类.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer: ``key`` and the four behaviour columns (price, ethical and
        convenience preferences as fractions 0–1, customization requests as counts >= 0).
    shipments : pandas.DataFrame, optional
        If given, ``orders`` and ``value`` per customer are added for context (0 if none);
        they do not change the class, so the rule stays the one stated above.
    columns : dict, optional
        Motive → column name, to override :data:`MOTIVE_COLUMNS`.
    key, value : str
        Column names of the id and of the shipment revenue.

    Returns
    -------
    pandas.DataFrame
        One row per customer in input order: ``key``, one ``z_<column>`` per behaviour,
        ``motive_type`` (categorical) and ``margin``.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "price_sensitivity": [0.9, 0.2, 0.3, 0.3],
    ...     "ethical_preference": [0.2, 0.9, 0.3, 0.2],
    ...     "customization_requests": [0, 1, 12, 1],
    ...     "convenience_preference": [0.3, 0.3, 0.2, 0.9]})
    >>> motive_type(customers)["motive_type"].tolist()
    ['经济型', '道德型', '个性化', '方便型']
    """
    mapping = dict(MOTIVE_COLUMNS if columns is None else columns)
    if set(mapping) != set(MOTIVE_TYPES):
        raise ValueError(f"`columns` must map each of {', '.join(MOTIVE_TYPES)} to a column, "
                         f"but it has keys {', '.join(map(str, mapping))}.")
    check_frame(customers, "customers")
    check_columns(customers, [key, *mapping.values()], "customers")
    check_unique(check_no_missing(customers[key], f"customers['{key}']"),
                 f"customers['{key}']")
    z = {}
    for motive in MOTIVE_TYPES:
        col, name = mapping[motive], f"customers['{mapping[motive]}']"
        if motive == "个性化":
            x = np.log1p(check_non_negative(customers[col], name).to_numpy(dtype=float))
        else:
            x = check_range(customers[col], name, 0, 1).to_numpy(dtype=float)
        spread = x.std()
        # A column that does not vary (up to rounding) says nothing about motive: z = 0.
        z[f"z_{col}"] = (x - x.mean()) / spread if spread > _MIN_SPREAD else np.zeros_like(x)
    out = pd.DataFrame({key: customers[key].to_numpy(), **z}, index=customers.index)
    zs = np.column_stack(list(z.values()))
    best = zs.argmax(axis=1)
    out["motive_type"] = pd.Categorical.from_codes(best, categories=MOTIVE_TYPES)
    top2 = np.sort(zs, axis=1)[:, -2:]
    out["margin"] = top2[:, 1] - top2[:, 0]
    if shipments is not None:
        check_frame(shipments, "shipments", allow_empty=True)
        check_columns(shipments, [key, value], "shipments")
        rev = check_non_negative(shipments[value], f"shipments['{value}']")
        g = rev.groupby(shipments[key])
        out["orders"] = customers[key].map(g.size()).fillna(0).astype("int64").to_numpy()
        out[value] = customers[key].map(g.sum()).fillna(0.0).to_numpy()
    return out
