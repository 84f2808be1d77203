"""Shewhart control charts for service KPIs: the p chart (rates) and the u chart (counts per unit).

Textbook: chapter 7, 现代物流客户服务管理体系 (第一节: control of service quality over time).
Notebook: notebooks/07_service_quality_kpis.ipynb
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._validate import check_non_negative, check_number, check_positive, check_series

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["SIGMA_LIMIT", "p_chart", "u_chart"]

#: Width of Shewhart control limits in standard errors (Shewhart 1931; Montgomery,
#: *Introduction to Statistical Quality Control*, ch. 7: the p chart).
SIGMA_LIMIT = 3.0


def p_chart(counts: pd.Series | ArrayLike, sizes: pd.Series | ArrayLike, *,
            sigma: float = SIGMA_LIMIT) -> pd.DataFrame:
    """Shewhart p chart for a rate KPI: centre line, control limits and out-of-control points.

    ``p̄ = Σcounts / Σsizes``; limits ``p̄ ± sigma·sqrt(p̄(1 − p̄)/n_i)`` clipped to [0, 1], so a small
    month gets wider limits. A point outside its limits signals a special cause worth investigating
    (textbook ch. 7 §1, 物流客户服务质量管理: control of service quality over time).

    Parameters
    ----------
    counts : pandas.Series or array-like
        Defective orders per period (e.g. late orders per month), whole numbers ≥ 0.
    sizes : pandas.Series or array-like
        Orders per period (``n_i`` ≥ 1), same length; ``counts`` must not exceed ``sizes``.
    sigma : float
        Width of the limits in standard errors.

    Returns
    -------
    pandas.DataFrame
        One row per period (index of ``counts``): ``count``, ``size``, ``p``, ``center``, ``lcl``,
        ``ucl``, ``out_of_control``.

    Examples
    --------
    Late orders in four months of 100 orders: p̄ = 60/400 = 0.15, limits 0.15 ± 3·sqrt(0.15·0.85/100)
    = 0.15 ± 0.107, and the fourth month (30 late) is out of control.

    >>> chart = p_chart([8, 10, 12, 30], [100, 100, 100, 100])
    >>> chart[["p", "lcl", "ucl", "out_of_control"]].round(4)
          p     lcl     ucl  out_of_control
    0  0.08  0.0429  0.2571           False
    1  0.10  0.0429  0.2571           False
    2  0.12  0.0429  0.2571           False
    3  0.30  0.0429  0.2571            True
    """
    counts, c, n = _counts_per_period(counts, sizes, "sizes", sigma,
                                      "at least 1: a period with no orders has no rate")
    if (c > n).any():
        raise ValueError(f"`counts` exceeds `sizes` in {int((c > n).sum())} period(s); a count cannot be "
                         "larger than the number of orders.")
    p_bar = c.sum() / n.sum()
    half = sigma * np.sqrt(p_bar * (1 - p_bar) / n)
    out = pd.DataFrame({"count": c, "size": n, "p": c / n, "center": p_bar,
                        "lcl": np.clip(p_bar - half, 0, 1), "ucl": np.clip(p_bar + half, 0, 1)},
                       index=counts.index)
    out["out_of_control"] = (out["p"] < out["lcl"]) | (out["p"] > out["ucl"])
    return out


def u_chart(counts: pd.Series | ArrayLike, exposure: pd.Series | ArrayLike, *, per: float = 1,
            sigma: float = SIGMA_LIMIT) -> pd.DataFrame:
    """Shewhart u chart for counts per unit, e.g. complaints per 1,000 shipments each month.

    ``ū = Σcounts / Σexposure``; limits ``ū ± sigma·sqrt(ū / n_i)`` with the lower limit cut at 0,
    so a small month gets wider limits (Montgomery, *Introduction to Statistical Quality
    Control*, ch. 7: the u chart for nonconformities per unit). Unlike ``p_chart`` a unit may
    count more than once (a shipment can draw two complaints). Rates, centre and limits are
    multiplied by ``per``. Textbook ch. 7 §1 (control of service quality over time).

    Parameters
    ----------
    counts : pandas.Series or array-like
        Events per period (e.g. complaints per month), numbers ≥ 0.
    exposure : pandas.Series or array-like
        Units per period (``n_i`` > 0, e.g. shipments per month), same length.
    per : float, default 1
        Reporting base (1000: complaints per 1,000 shipments).
    sigma : float
        Width of the limits in standard errors.

    Returns
    -------
    pandas.DataFrame
        One row per period (index of ``counts``): ``count``, ``exposure``, ``u``, ``center``,
        ``lcl``, ``ucl``, ``out_of_control``.

    Examples
    --------
    Complaints in four months: ū = 18 / 4000 = 4.5 per 1,000; for 1,000 shipments the upper limit
    is 4.5 + 3·1000·sqrt(0.0045/1000) = 10.86, so month 4 (12 per 1,000) is out of control.

    >>> chart = u_chart([2, 3, 1, 12], [1000, 1500, 500, 1000], per=1000)
    >>> chart[["u", "center", "lcl", "ucl", "out_of_control"]].round(3)
          u  center  lcl     ucl  out_of_control
    0   2.0     4.5  0.0  10.864           False
    1   2.0     4.5  0.0   9.696           False
    2   2.0     4.5  0.0  13.500           False
    3  12.0     4.5  0.0  10.864            True
    """
    check_positive(per, "per")
    counts, c, n = _counts_per_period(counts, exposure, "exposure", sigma,
                                      "a month without shipments has no complaint rate")
    u_bar = c.sum() / n.sum()
    half = sigma * np.sqrt(u_bar / n)
    out = pd.DataFrame({"count": c, "exposure": n, "u": per * c / n, "center": per * u_bar,
                        "lcl": per * np.clip(u_bar - half, 0, None), "ucl": per * (u_bar + half)},
                       index=counts.index)
    out["out_of_control"] = (out["u"] < out["lcl"]) | (out["u"] > out["ucl"])
    return out


def _counts_per_period(counts, sizes, size_name, sigma, why_positive):
    """Checked ``counts`` Series plus float arrays of counts and sizes, one value per period."""
    counts = check_non_negative(check_series(counts, "counts"), "counts")
    sizes = check_non_negative(check_series(sizes, size_name), size_name)
    check_number(sigma, "sigma", low=0)
    if len(counts) != len(sizes):
        raise ValueError(f"`counts` and `{size_name}` must have the same length, but have "
                         f"{len(counts)} and {len(sizes)} values.")
    n = sizes.to_numpy(dtype=float)
    if (n <= 0).any():
        raise ValueError(f"`{size_name}` must be above 0 in every period ({why_positive}).")
    return counts, counts.to_numpy(dtype=float), n
