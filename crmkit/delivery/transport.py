"""Transport and delivery service: freight with a minimum charge, delivery performance, cost split.

Textbook: chapter 9, 现代物流配送与保管服务的实施 (第一节 物流运输服务 — 五、物流运输服务的定价;
第二节 物流配送服务 — 四、物流配送成本的构成). Notebook: notebooks/09_delivery_storage.ipynb

Money in yuan, weights in kg, distances in km, durations in hours. Tariffs and cost shares are
**illustrative** round numbers for teaching, not market quotes.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_columns, check_datetime, check_frame, check_non_negative, check_number, check_range,
    to_float_array, by_result, check_by, group_keys,
)
from crmkit._docs import fill_doc
from crmkit.vocabulary import SERVICES, english

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ['SERVICES', 'DEFAULT_TARIFF', 'DEFAULT_COST_SHARES', 'freight', 'delivery_performance', 'cost_composition']

# SERVICES (crmkit.vocabulary): the service labels of the course data, 整车 … 冷链.
#: Illustrative tariff per service (yuan): ``rate_per_tkm`` per tonne·km, ``base_fee`` per shipment,
#: ``minimum`` charge. Invented for teaching; only the shape (FTL cheapest per t·km, express dearest,
#: cold chain at a premium) follows Chinese market practice.
DEFAULT_TARIFF = {
    "整车": {"rate_per_tkm": 0.40, "base_fee": 300.0, "minimum": 800.0},
    "零担": {"rate_per_tkm": 0.90, "base_fee": 50.0, "minimum": 100.0},
    "快递": {"rate_per_tkm": 4.00, "base_fee": 10.0, "minimum": 12.0},
    "仓储": {"rate_per_tkm": 1.20, "base_fee": 80.0, "minimum": 120.0},
    "冷链": {"rate_per_tkm": 1.50, "base_fee": 200.0, "minimum": 400.0},
}
_TARIFF_KEYS = ("rate_per_tkm", "base_fee", "minimum")
#: Illustrative split of delivery cost (配送成本的构成): transport 配送运输, sorting and loading
#: 分拣配装, warehousing 储存保管, administration 管理费用. Shares are invented; they sum to 1.
DEFAULT_COST_SHARES = {"transport": 0.60, "handling": 0.15, "warehousing": 0.15, "admin": 0.10}


def freight(weight_kg: float | pd.Series | ArrayLike, distance_km: float | pd.Series | ArrayLike, *,
            service: str | pd.Series | ArrayLike | None = None,
            tariff: Mapping[str, Mapping[str, float]] | pd.DataFrame = DEFAULT_TARIFF,
            ) -> float | np.ndarray | pd.Series:
    """Freight charge: ``max(minimum, base_fee + rate_per_tkm · weight/1000 · distance)``.

    Textbook ch. 9 §1, 物流运输服务的定价: a weight × distance rate with a minimum charge per
    shipment. Works on one shipment or on whole columns, each row with its own service.

    Parameters
    ----------
    weight_kg : float, array-like or pandas.Series
        Weight in kg (≥ 0).
    distance_km : float, array-like or pandas.Series
        Distance in km (≥ 0).
    service : str, array-like or pandas.Series, optional
        Service label per row (``整车`` … or the English ``FTL`` …). Not needed with a flat tariff.
    tariff : dict or pandas.DataFrame
        ``{service: {"rate_per_tkm", "base_fee", "minimum"}}``, a DataFrame indexed by service with
        those columns, or one flat dict with the three keys for all rows.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Charge in yuan, shaped like the input (a Series keeps the index).

    Examples
    --------
    >>> freight(500, 100, service="零担")      # 50 + 0.9 × 0.5 t × 100 km = 95 → minimum 100
    100.0
    >>> freight(2000, 800, service="零担")     # 50 + 0.9 × 2 t × 800 km
    1490.0
    >>> s = pd.DataFrame({"weight_kg": [2.0, 8000.0], "distance_km": [1000.0, 500.0],
    ...                   "service": ["快递", "整车"]})
    >>> freight(s["weight_kg"], s["distance_km"], service=s["service"]).tolist()
    [18.0, 1900.0]
    """
    table = tariff_table(tariff)
    w = to_float_array(weight_kg, "weight_kg")[0]
    d = to_float_array(distance_km, "distance_km")[0]
    if "_flat" in table.index:
        if service is not None:
            raise ValueError("`service` was given but `tariff` is one flat tariff; pass a tariff per "
                             "service or leave `service` out.")
        labels = np.asarray("_flat", dtype=object)
    elif service is None:
        raise ValueError(f"`service` is needed to pick a tariff; one of {', '.join(table.index)}.")
    else:
        labels = np.asarray(service.to_numpy() if isinstance(service, pd.Series) else service,
                            dtype=object)
    try:
        w, d, labels = np.broadcast_arrays(w, d, labels)
    except ValueError:
        raise ValueError(f"`weight_kg`, `distance_km` and `service` must have the same length, but have "
                         f"{w.size}, {d.size} and {labels.size} values.") from None
    rows = table.index.get_indexer(labels.ravel()).reshape(w.shape)
    if (rows < 0).any():
        unknown = pd.unique(labels.ravel()[rows.ravel() < 0])[:5]
        raise ValueError(f"`service` has unknown label(s) {', '.join(map(repr, unknown))}. "
                         f"The tariff has: {', '.join(table.index)}.")
    indexes = [x.index for x in (weight_kg, distance_km, service) if isinstance(x, pd.Series)]
    if any(not i.equals(indexes[0]) for i in indexes[1:]):
        raise ValueError("`weight_kg`, `distance_km` and `service` are Series with different indexes; take "
                         "them from the same table (e.g. shipments['weight_kg'], ...).")
    index = indexes[0] if indexes else None
    t = table.to_numpy()[rows]
    charge = np.maximum(t[..., 2], t[..., 1] + t[..., 0] * w / 1000.0 * d)
    if charge.ndim == 0:
        return float(charge)
    if index is not None:
        return pd.Series(charge, index=index, name="freight")
    return charge

@fill_doc
def delivery_performance(shipments: pd.DataFrame, *, by: str | Sequence[str] | None = "route",
                         promised: str = "promised_at", delivered: str = "delivered_at",
                         tolerance_h: float = 0.0) -> pd.Series | pd.DataFrame:
    """Delivery performance per route, service, time window … from promised and actual times.

    An order is *on time* when delivered no later than ``promised + tolerance_h``, *late* when
    delivered after that, *lost* when ``delivered`` is missing (NaT); the three shares add up to 1.
    ``mean_delay_h`` averages ``max(0, delivered − promised)`` over delivered orders;
    ``mean_delay_late_h`` only over late ones (textbook ch. 9 §2, 配送服务的作业流程 and time windows).

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order.
    {by}
        E.g. ``"route"``, ``"service"``, ``"time_window"``.
    promised, delivered : str
        Datetime columns (``delivered`` is NaT for a lost order).
    tolerance_h : float
        Grace period in hours before an order counts as late.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``orders``, ``on_time_rate``, ``late_share``, ``loss_rate``, ``lost``, ``mean_delay_h``,
        ``mean_delay_late_h`` (per group with ``by``).

    Examples
    --------
    >>> t = pd.to_datetime
    >>> df = pd.DataFrame({"route": ["上海-北京"] * 3 + ["上海-杭州"],
    ...                    "promised_at": t(["2025-03-01 10:00"] * 4),
    ...                    "delivered_at": t(["2025-03-01 09:00", "2025-03-01 16:00", None,
    ...                                       "2025-03-01 10:00"])})
    >>> float(delivery_performance(df, by=None)["on_time_rate"])   # the whole table: a Series
    0.5
    >>> delivery_performance(df)[["orders", "on_time_rate", "late_share", "lost", "mean_delay_h"]]
           orders  on_time_rate  late_share  lost  mean_delay_h
    route
    上海-北京       3      0.333333    0.333333     1           3.0
    上海-杭州       1      1.000000    0.000000     0           0.0
    """
    check_frame(shipments, "shipments")
    by_cols = check_by(by, shipments, "shipments")
    check_columns(shipments, [promised, delivered], "shipments")
    check_number(tolerance_h, "tolerance_h", low=0)
    due = check_datetime(shipments[promised], promised)
    if due.isna().any():
        raise ValueError(f"`{promised}` has {int(due.isna().sum())} missing time(s); every order needs "
                         "a promised delivery time.")
    done = check_datetime(shipments[delivered], delivered)
    delay = (done - due).dt.total_seconds().to_numpy() / 3600.0
    lost = np.isnan(delay)
    late = ~lost & (delay > tolerance_h)
    frame = pd.DataFrame({"orders": 1, "on_time_rate": (~lost & ~late).astype(float),
                          "late_share": late.astype(float), "loss_rate": lost.astype(float),
                          "lost": lost.astype(int), "mean_delay_h": np.clip(delay, 0, None),
                          "mean_delay_late_h": np.where(late, delay, np.nan)}, index=shipments.index)
    agg = {"orders": "sum", "on_time_rate": "mean", "late_share": "mean", "loss_rate": "mean",
           "lost": "sum", "mean_delay_h": "mean", "mean_delay_late_h": "mean"}
    table = frame.groupby(group_keys(shipments, by_cols), observed=True, sort=True,
                          dropna=False).agg(agg)
    return by_result(table, by_cols)

def cost_composition(shipments: pd.DataFrame, *, shares: Mapping[str, float] | None = None,
                     cost: str = "cost", parts: Sequence[str] | None = None,
                     by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Split delivery cost into its parts (配送成本的构成): amounts and shares, in a tidy table.

    Two ways (textbook ch. 9 §2): give the cost columns you have (``parts=["fuel", "tolls", ...]``) and
    they are summed; or give one total ``cost`` column and ``shares`` (default
    ``DEFAULT_COST_SHARES``: transport, handling, warehousing, admin) to split it.

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order.
    shares : dict, optional
        ``{part: share}``, shares in [0, 1] adding up to 1 (only without ``parts``).
    cost : str
        Total cost column (yuan) used with ``shares``.
    parts : list of str, optional
        Cost columns (yuan) to add up instead.
    by : str or list of str, optional
        Grouping column(s), e.g. ``"service"``. The table is a composition, one row per part, so
        ``by`` puts its groups in front of the parts (shares add up to 1 within each group)
        rather than returning one row per group.

    Returns
    -------
    pandas.DataFrame
        Columns ``by…``, ``part``, ``amount`` (yuan), ``share`` (of the group's total).

    Examples
    --------
    >>> df = pd.DataFrame({"fuel": [60.0, 40.0], "labour": [30.0, 30.0], "rent": [10.0, 30.0]})
    >>> cost_composition(df, parts=["fuel", "labour", "rent"])
         part  amount  share
    0    fuel   100.0    0.5
    1  labour    60.0    0.3
    2    rent    40.0    0.2
    """
    check_frame(shipments, "shipments")
    by_cols = check_by(by, shipments, "shipments")
    if parts is not None:
        if shares is not None:
            raise ValueError("Pass either `parts` (cost columns) or `shares` (to split `cost`), not both.")
        parts = [parts] if isinstance(parts, str) else list(parts)
        check_columns(shipments, parts, "shipments")
        amounts = pd.DataFrame({p: check_non_negative(shipments[p], p) for p in parts})
    else:
        shares = DEFAULT_COST_SHARES if shares is None else shares
        if not isinstance(shares, dict) or not shares:
            raise TypeError(f"`shares` must be a dict such as {DEFAULT_COST_SHARES}, not {shares!r}.")
        values = check_range(pd.Series(shares, dtype=float), "shares", 0, 1)
        if not np.isclose(values.sum(), 1.0):
            raise ValueError(f"`shares` must add up to 1, but they add up to {values.sum():g}.")
        check_columns(shipments, [cost], "shipments")
        total = check_non_negative(shipments[cost], cost).to_numpy(float)
        amounts = pd.DataFrame(np.outer(total, values.to_numpy()), columns=list(values.index),
                               index=shipments.index)
    amounts.columns.name = "part"
    if by_cols:
        keys = [shipments[c] for c in by_cols]
        sums = amounts.groupby(keys, observed=True, sort=True, dropna=False).sum()
        long = sums.stack().rename("amount").reset_index()
        totals = long.groupby(by_cols, observed=True, sort=False, dropna=False)["amount"].transform("sum")
    else:
        long = amounts.sum().rename("amount").reset_index()
        totals = long["amount"].sum()
    long["share"] = long["amount"] / np.where(totals > 0, totals, np.nan)
    return long

def tariff_table(tariff):
    """Tariff as a DataFrame (rows = services, columns = _TARIFF_KEYS), with English aliases."""
    if isinstance(tariff, dict) and set(tariff) == set(_TARIFF_KEYS):
        table = pd.DataFrame([tariff], index=["_flat"])
    elif isinstance(tariff, dict) and tariff and all(isinstance(v, dict) for v in tariff.values()):
        table = pd.DataFrame.from_dict(tariff, orient="index")
    elif isinstance(tariff, pd.DataFrame) and len(tariff):
        table = tariff.copy()
    else:
        raise TypeError("`tariff` must be {service: {'rate_per_tkm', 'base_fee', 'minimum'}}, a "
                        f"DataFrame indexed by service, or one flat dict with those keys; got {tariff!r}.")
    check_columns(table, _TARIFF_KEYS, "tariff")
    table = table.loc[:, list(_TARIFF_KEYS)]
    for key in _TARIFF_KEYS:
        check_non_negative(pd.to_numeric(table[key], errors="coerce"), f"tariff {key}")
    table = table.astype(float)
    table.index = table.index.astype(str)
    aliases = {english(s): s for s in table.index if s in SERVICES}
    extra = table.loc[list(aliases.values())].set_axis(list(aliases))
    extra = extra.loc[~extra.index.isin(table.index)]
    return pd.concat([table, extra])

