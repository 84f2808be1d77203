"""Storage service: storage fees, picking accuracy, error reduction and inventory count checks.

Textbook: chapter 9, 现代物流配送与保管服务的实施 (第三节 物流客户保管服务 — 保管作业与保管技术).
Notebook: notebooks/09_delivery_storage.ipynb. Money in yuan, durations in days.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._validate import check_non_negative, check_number, check_series, to_float_array

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ['STORAGE_RATE_PALLET_DAY', 'storage_fee', 'picking_accuracy', 'error_reduction', 'count_check', 'inventory_accuracy']

#: Illustrative storage rate: yuan per pallet per day (pass your own for m³ or m²).
STORAGE_RATE_PALLET_DAY = 1.5


def storage_fee(quantity: float | ArrayLike, days: float | ArrayLike, *,
                rate_per_day: float = STORAGE_RATE_PALLET_DAY, handling_fee: float = 0.0,
                minimum: float = 0.0) -> float | np.ndarray | pd.Series:
    """Storage charge: ``max(minimum, quantity · days · rate + quantity · handling_fee)``.

    Textbook ch. 9 §3, 物流保管服务: warehouses bill space × time plus in/out handling per unit.

    Parameters
    ----------
    quantity : float or array-like
        Pallets (or m³, m² — match ``rate_per_day``) in storage, ≥ 0.
    days : float or array-like
        Days stored, ≥ 0.
    rate_per_day : float
        Yuan per unit per day.
    handling_fee : float
        Yuan per unit for receiving and dispatch (入库/出库费).
    minimum : float
        Minimum charge per bill.

    Returns
    -------
    float, numpy.ndarray or pandas.Series

    Examples
    --------
    >>> storage_fee(20, 30)                           # 20 pallets × 30 days × 1.5 yuan
    900.0
    >>> storage_fee([2, 20], 10, handling_fee=5, minimum=100).tolist()
    [100.0, 400.0]
    """
    for value, name in ((rate_per_day, "rate_per_day"), (handling_fee, "handling_fee"), (minimum, "minimum")):
        check_number(value, name, low=0)
    q, index, scalar_q = to_float_array(quantity, "quantity")
    d, index_d, scalar_d = to_float_array(days, "days")
    fee = np.maximum(minimum, q * d * rate_per_day + q * handling_fee)
    if scalar_q and scalar_d:
        return float(fee)
    index = index if index is not None else index_d
    return pd.Series(fee, index=index, name="storage_fee") if index is not None else fee

def picking_accuracy(picks: int | ArrayLike, errors: int | ArrayLike) -> float | np.ndarray | pd.Series:
    """Picking accuracy ``1 − errors / picks`` (拣货准确率).

    Parameters
    ----------
    picks : int or array-like
        Order lines picked (> 0).
    errors : int or array-like
        Lines picked wrong (wrong item, wrong quantity), ``0 ≤ errors ≤ picks``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series

    Examples
    --------
    >>> picking_accuracy(20_000, 60)
    0.997
    """
    p, index, scalar_p = to_float_array(picks, "picks")
    e, index_e, scalar_e = to_float_array(errors, "errors")
    if (p <= 0).any():
        raise ValueError("`picks` must be above 0: accuracy needs at least one picked line.")
    if (e > p).any():
        raise ValueError("`errors` exceeds `picks`: there cannot be more wrong lines than lines.")
    acc = 1 - e / p
    if scalar_p and scalar_e:
        return float(acc)
    index = index if index is not None else index_e
    return pd.Series(acc, index=index, name="picking_accuracy") if index is not None else acc

def error_reduction(before: float, after: float) -> float:
    """Relative reduction of an error rate: ``(before − after) / before``.

    E.g. pick-to-light (电子标签拣货) replacing paper lists (textbook ch. 9 §3, 保管设备与保管技术).

    Parameters
    ----------
    before, after : float
        Error rates (fractions in [0, 1]); ``before`` > 0.

    Returns
    -------
    float
        Share of errors removed (negative if the error rate went up).

    Examples
    --------
    >>> error_reduction(0.004, 0.001)    # paper 0.4 % → pick-to-light 0.1 %
    0.75
    """
    check_number(before, "before", low=0, high=1)
    check_number(after, "after", low=0, high=1)
    if before == 0:
        raise ValueError("`before` must be above 0: there is no error rate to reduce.")
    return float((before - after) / before)

def count_check(book: pd.Series | ArrayLike, counted: pd.Series | ArrayLike, *, tolerance: float = 0.0,
                relative: bool = False) -> pd.DataFrame:
    """Cycle-count check per SKU: gap between count and book, and whether it is within tolerance.

    ``gap = counted − book`` (units; negative = shortage), ``relative_gap = gap / book``. A SKU is
    *accurate* when ``|gap| ≤ tolerance`` (units), or ``|gap| ≤ tolerance · book`` with
    ``relative=True`` (库存记录准确率, textbook ch. 9 §3, 保管服务的作业流程: cycle counting). A gap
    that equals the limit up to float rounding (``np.isclose``, rtol and atol ``1e-9``) counts as within
    it, so a slider value such as 0.29 (stored as 0.28999…) does not flip a SKU exactly on the line.

    Parameters
    ----------
    book : pandas.Series or array-like
        Quantity per SKU in the records (≥ 0).
    counted : pandas.Series or array-like
        Quantity per SKU found in the count (≥ 0); two Series are matched by index (SKU).
    tolerance : float
        Allowed difference, in units or (``relative=True``) as a fraction of ``book``.
    relative : bool
        Read ``tolerance`` as a fraction.

    Returns
    -------
    pandas.DataFrame
        One row per SKU (``book``'s index): ``book``, ``counted``, ``gap``, ``relative_gap`` (``inf``
        when book is 0 but stock was found, 0 when both are 0), ``accurate``.

    See Also
    --------
    inventory_accuracy : the share of accurate SKUs.

    Examples
    --------
    >>> book = pd.Series([100, 50, 20, 8], index=["A", "B", "C", "D"])
    >>> counted = pd.Series([100, 49, 20, 6], index=["A", "B", "C", "D"])
    >>> count_check(book, counted, tolerance=0.05, relative=True)   # B: 1/50 = 2 %; D: 2/8 = 25 %
       book  counted  gap  relative_gap  accurate
    A   100      100    0          0.00      True
    B    50       49   -1         -0.02      True
    C    20       20    0          0.00      True
    D     8        6   -2         -0.25     False
    """
    check_number(tolerance, "tolerance", low=0)
    if relative not in (True, False):   # also 0 / 1, as before
        raise TypeError(f"`relative` must be True or False, but {relative!r} was passed.")
    book_s = check_non_negative(check_series(book, "book"), "book")
    count_s = check_non_negative(check_series(counted, "counted"), "counted")
    if isinstance(book, pd.Series) and isinstance(counted, pd.Series):
        only = book_s.index.symmetric_difference(count_s.index)
        if len(only):
            raise ValueError(f"`book` and `counted` must list the same SKUs, but {len(only)} appear in "
                             f"only one of them (e.g. {only[0]!r}).")
        if not count_s.index.equals(book_s.index):
            count_s = count_s.reindex(book_s.index)
    elif len(book_s) != len(count_s):
        raise ValueError(f"`book` and `counted` must have the same length, but have {len(book_s)} and "
                         f"{len(count_s)} values.")
    b, c = book_s.to_numpy(), count_s.to_numpy()
    gap = c - b
    diff = np.abs(gap.astype(float))
    allowed = tolerance * b.astype(float) if relative else np.full(len(b), float(tolerance))
    with np.errstate(divide="ignore", invalid="ignore"):   # book 0: handled by the np.where
        rel = np.where(b == 0, np.where(gap == 0, 0.0, np.inf), gap / b.astype(float))
    out = pd.DataFrame({"book": b, "counted": c, "gap": gap, "relative_gap": rel,
                        "accurate": (diff <= allowed) | np.isclose(diff, allowed, rtol=1e-9, atol=1e-9)},
                       index=book_s.index)
    return out

def inventory_accuracy(book: pd.Series | ArrayLike, counted: pd.Series | ArrayLike, *,
                       tolerance: float = 0.0, relative: bool = False) -> float:
    """Inventory record accuracy: share of SKUs whose count matches the book within a tolerance.

    A SKU is accurate when ``|counted − book| ≤ tolerance`` (units), or ``≤ tolerance · book`` with
    ``relative=True`` (库存记录准确率, textbook ch. 9 §3, 保管服务的作业流程: cycle counting). The
    rule, float rounding included, is the one of :func:`count_check`, which gives it per SKU.

    Parameters
    ----------
    book : pandas.Series or array-like
        Quantity per SKU in the records (≥ 0).
    counted : pandas.Series or array-like
        Quantity per SKU found in the count (≥ 0); two Series are matched by index (SKU).
    tolerance : float
        Allowed difference, in units or (``relative=True``) as a fraction of ``book``.
    relative : bool
        Read ``tolerance`` as a fraction.

    Returns
    -------
    float

    Examples
    --------
    >>> book = pd.Series([100, 50, 20, 8], index=["A", "B", "C", "D"])
    >>> counted = pd.Series([100, 49, 20, 6], index=["A", "B", "C", "D"])
    >>> inventory_accuracy(book, counted)
    0.5
    >>> inventory_accuracy(book, counted, tolerance=0.05, relative=True)   # B is within 5 %
    0.75
    """
    detail = count_check(book, counted, tolerance=tolerance, relative=relative)
    return float(detail["accurate"].mean())
