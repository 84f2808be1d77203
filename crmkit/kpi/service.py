"""Service-quality KPIs per order, customer or period; contract SLAs; complaint rates.

Textbook: chapter 7, 现代物流客户服务管理体系 (第一节: 服务质量的评估标准, 绩效评价相关指标).
Notebook: notebooks/07_service_quality_kpis.ipynb. Control charts are in ``crmkit.kpi.control``.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    by_result, check_bool, check_by, check_choice, check_columns, check_datetime, check_frame,
    check_no_missing, check_non_negative, check_positive, check_range,
)

__all__ = [
    "KPI_COLUMNS", "KPI_COUNT_COLUMNS", "KPI_LABELS", "PERIOD_FREQS", "COMPLAINTS_PER",
    "add_period", "service_kpis", "kpi_dashboard", "sla_compliance", "complaint_rate",
]

#: Output columns of ``service_kpis``, in order. Perfect order = on time, in full, undamaged,
#: not lost and with correct documents (APQC / SCOR "perfect order fulfillment" metric).
KPI_COLUMNS = (
    "orders", "on_time_rate", "in_full_rate", "otif_rate", "damage_rate", "loss_rate",
    "doc_error_rate", "perfect_order_rate", "fill_rate",
)
#: Rate column -> count column added by ``service_kpis(..., counts=True)``: the orders behind each
#: order-level rate (the ``counts`` a ``p_chart`` takes). The fill rate is a share of items, so it
#: has no order count.
KPI_COUNT_COLUMNS = {rate: rate.replace("_rate", "_count") for rate in KPI_COLUMNS[1:-1]}
#: Bilingual (中文 English) names of every KPI column, for axis labels, legends and widgets
#: (textbook ch. 7 §1, 物流客户服务的绩效评价相关指标).
KPI_LABELS = {
    "orders": "订单数 orders",
    "on_time_rate": "准时率 on time", "in_full_rate": "足量率 in full",
    "otif_rate": "准时足量率 OTIF", "damage_rate": "货损率 damage", "loss_rate": "丢失率 loss",
    "doc_error_rate": "单证差错率 document errors", "perfect_order_rate": "完美订单率 perfect order",
    "fill_rate": "订单满足率 fill rate",
    "on_time_count": "准时单数 on-time orders", "in_full_count": "足量单数 in-full orders",
    "otif_count": "准时足量单数 OTIF orders", "damage_count": "货损单数 damaged orders",
    "loss_count": "丢失单数 lost orders", "doc_error_count": "单证差错单数 orders with document errors",
    "perfect_order_count": "完美订单数 perfect orders",
    "complaints": "投诉数 complaints", "shipments": "发货单数 shipments",
    "complaint_rate": "投诉率 complaints per 1,000 shipments",
}
#: Reporting base of ``complaint_rate``: complaints per 1,000 shipments (the course's base; the
#: State Post Bureau of China reports express complaints per million parcels, 百万件申诉率).
COMPLAINTS_PER = 1000
#: Period codes accepted by ``add_period`` / ``kpi_dashboard`` (pandas period aliases).
PERIOD_FREQS = ("D", "W", "M", "Q", "Y")
_PERIOD_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def add_period(shipments: pd.DataFrame, *, date: str = "order_date", freq: str = "M",
               name: str | None = None) -> pd.DataFrame:
    """Return a copy of ``shipments`` with a period column (month by default) taken from ``date``.

    Parameters
    ----------
    shipments : pandas.DataFrame
        Any table with a date column.
    date : str
        Column with the dates (``order_date`` in the course data).
    freq : {"D", "W", "M", "Q", "Y"}
        Length of the period.
    name : str, optional
        Name of the new column; default ``"day"``, ``"week"``, ``"month"``, ``"quarter"`` or ``"year"``.

    Returns
    -------
    pandas.DataFrame
        A copy with one more column of ``pandas.Period`` values.

    Examples
    --------
    >>> df = pd.DataFrame({"order_date": pd.to_datetime(["2025-01-31", "2025-02-01"])})
    >>> add_period(df)["month"].astype(str).tolist()
    ['2025-01', '2025-02']
    """
    check_frame(shipments, "shipments")
    check_choice("freq", PERIOD_FREQS, freq)
    check_columns(shipments, [date], "shipments")
    dates = check_datetime(shipments[date], date)
    if dates.isna().any():
        raise ValueError(f"`{date}` has {int(dates.isna().sum())} missing date(s); drop or fill them first.")
    out = shipments.copy()
    out[name or _PERIOD_NAMES[freq]] = dates.dt.to_period(freq)
    return out


@fill_doc
def service_kpis(shipments: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                 on_time: str | None = "on_time", in_full: str | None = "in_full",
                 damaged: str | None = "damaged", lost: str | None = "lost",
                 doc_error: str | None = "doc_error", items_ordered: str | None = "items_ordered",
                 items_delivered: str | None = "items_delivered", date: str = "order_date",
                 counts: bool = False) -> pd.Series | pd.DataFrame:
    """Order-level service KPIs: on time, in full, OTIF, damage, loss, perfect order and fill rate.

    Rates are shares of orders: ``on_time_rate = mean(on_time)``, ``otif_rate = mean(on_time & in_full)``,
    ``perfect_order_rate = mean(on_time & in_full & ~damaged & ~lost & ~doc_error)`` (all criteria met
    on the *same* order, so it is never above OTIF, and OTIF never above on time). Fill rate is a share
    of items: ``sum(items_delivered) / sum(items_ordered)`` (textbook ch. 7 §1, 物流客户服务的绩效评价
    相关指标).

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order with True/False (or 0/1) flag columns.
    {by}
        E.g. ``"customer_id"`` or ``["service", "month"]``. ``"day"``, ``"week"``, ``"month"``,
        ``"quarter"`` and ``"year"`` are made from ``date`` when the table has no such column.
    on_time, in_full, damaged, lost, doc_error : str or None
        Flag columns. Pass ``None`` to leave a criterion out; the perfect order then uses the others.
    items_ordered, items_delivered : str or None
        Item counts for the fill rate (``None`` leaves the fill rate out).
    date : str
        Date column used to build a period for ``by="month"`` and the like.
    counts : bool, default False
        Also return the number of orders behind each order-level rate (``on_time_count``,
        ``otif_count``, ``damage_count`` …, see ``KPI_COUNT_COLUMNS``): ``rate × orders`` exactly,
        the ``counts`` to give ``p_chart`` together with ``orders`` as ``sizes``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Entries (those that apply, per group with ``by``):
        ``orders`` and the rates listed in ``KPI_COLUMNS``, each between 0 and 1, then the
        ``*_count`` columns when ``counts=True``.

    See Also
    --------
    kpi_dashboard : the same KPIs month by month.
    sla_compliance : per customer KPIs against contract targets.

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "on_time":   [True, True, True, False, True],
    ...     "in_full":   [True, True, False, True, True],
    ...     "damaged":   [False, True, False, False, False],
    ...     "lost":      [False, False, False, False, False],
    ...     "doc_error": [False, False, False, False, True],
    ...     "items_ordered": [10, 5, 8, 4, 3], "items_delivered": [10, 5, 6, 4, 3]})
    >>> service_kpis(orders)[["on_time_rate", "otif_rate", "perfect_order_rate", "fill_rate"]]
    on_time_rate          0.800000
    otif_rate             0.600000
    perfect_order_rate    0.200000
    fill_rate             0.933333
    Name: all, dtype: float64
    """
    check_frame(shipments, "shipments")
    if not isinstance(counts, (bool, np.bool_)):
        raise TypeError(f"`counts` must be True or False, but {counts!r} was passed.")
    by_cols = check_by(by, shipments, "shipments", derived=_PERIOD_NAMES.values())
    data = shipments
    for col in by_cols:
        if col not in data.columns and col in _PERIOD_NAMES.values():
            freq = {v: k for k, v in _PERIOD_NAMES.items()}[col]
            data = add_period(data, date=date, freq=freq)
    check_columns(data, by_cols, "shipments")

    flags = {k: v for k, v in dict(on_time=on_time, in_full=in_full, damaged=damaged, lost=lost,
                                    doc_error=doc_error).items() if v is not None}
    items = [c for c in (items_ordered, items_delivered) if c is not None]
    if len(items) == 1:
        raise ValueError("`items_ordered` and `items_delivered` go together: pass both column names "
                         "or set both to None.")
    if not flags and not items:
        raise ValueError("Nothing to compute: every KPI column was set to None.")
    check_columns(data, [*flags.values(), *items], "shipments")

    frame = pd.DataFrame(index=data.index)
    for key, col in flags.items():
        frame[key] = check_bool(data[col], col)
    good = ~frame[[k for k in ("damaged", "lost", "doc_error") if k in frame]].any(axis=1)
    rates = {}
    if "on_time" in frame:
        rates["on_time_rate"] = frame["on_time"]
    if "in_full" in frame:
        rates["in_full_rate"] = frame["in_full"]
    if "on_time" in frame and "in_full" in frame:
        rates["otif_rate"] = frame["on_time"] & frame["in_full"]
    for key, out in (("damaged", "damage_rate"), ("lost", "loss_rate"), ("doc_error", "doc_error_rate")):
        if key in frame:
            rates[out] = frame[key]
    if flags:
        positive = [frame[k] for k in ("on_time", "in_full") if k in frame]
        rates["perfect_order_rate"] = np.logical_and.reduce([good, *positive]) if positive else good
    table = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in rates.items()}, index=data.index)
    table.insert(0, "orders", 1)
    if items:
        ordered = check_non_negative(data[items_ordered], items_ordered)
        delivered = check_non_negative(data[items_delivered], items_delivered)
        if (ordered <= 0).any():
            raise ValueError(f"`{items_ordered}` must be at least 1 on every order, but "
                             f"{int((ordered <= 0).sum())} order(s) have 0 items.")
        if (delivered > ordered).any():
            raise ValueError(f"`{items_delivered}` exceeds `{items_ordered}` on "
                             f"{int((delivered > ordered).sum())} order(s); the fill rate cannot "
                             "pass 100%. Cap over-deliveries first.")
        table["_ordered"], table["_delivered"] = ordered.to_numpy(float), delivered.to_numpy(float)

    rate_cols = [c for c in KPI_COLUMNS[1:] if c in table]
    if by_cols:
        keys = [data[c] for c in by_cols]
        grouped = table.groupby(keys, observed=True, sort=True, dropna=False)
        result = grouped[rate_cols].mean()
        result.insert(0, "orders", grouped.size())
        sums = grouped[["_ordered", "_delivered"]].sum() if items else None
        hits = grouped[rate_cols].sum() if counts else None
    else:
        result = table[rate_cols].mean().to_frame().T
        result.insert(0, "orders", len(table))
        sums = table[["_ordered", "_delivered"]].sum().to_frame().T if items else None
        hits = table[rate_cols].sum().to_frame().T if counts else None
    if items:
        result["fill_rate"] = sums["_delivered"].to_numpy() / sums["_ordered"].to_numpy()
    result["orders"] = result["orders"].astype(int)
    if counts:
        for rate in rate_cols:
            result[KPI_COUNT_COLUMNS[rate]] = np.rint(hits[rate].to_numpy()).astype(int)
    return by_result(result, by_cols)


def kpi_dashboard(shipments: pd.DataFrame, *, freq: str = "M", date: str = "order_date",
                  counts: bool = False, **columns: str | None) -> pd.DataFrame:
    """Monthly (or weekly, quarterly …) KPI table: ``service_kpis`` with one row per period.

    The table a service manager reviews every month (textbook ch. 7 §1, 服务质量评估的一般办法).
    With ``counts=True`` it also holds the orders behind each rate, so a KPI goes straight into
    a p chart: ``p_chart(board["on_time_count"], board["orders"])`` (no ``rate × orders``
    rounding in the notebook; ``KPI_COUNT_COLUMNS`` maps a rate column to its count column).

    Parameters
    ----------
    shipments : pandas.DataFrame
        The shipments table.
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    date : str
        Date column that sets the period.
    counts : bool, default False
        Add the ``*_count`` columns (see ``service_kpis``).
    **columns
        Column names passed on to ``service_kpis`` (``on_time=...``, ``items_ordered=None`` ...).

    Returns
    -------
    pandas.DataFrame
        Indexed by period, columns as in ``service_kpis``.

    Examples
    --------
    >>> df = pd.DataFrame({"order_date": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-02-02"]),
    ...                    "on_time": [True, False, True], "in_full": [True, True, True]})
    >>> board = kpi_dashboard(df, counts=True, damaged=None, lost=None, doc_error=None,
    ...                       items_ordered=None, items_delivered=None)
    >>> board[["orders", "otif_rate", "otif_count"]]
             orders  otif_rate  otif_count
    month
    2025-01       2        0.5           1
    2025-02       1        1.0           1
    >>> from crmkit.kpi import p_chart
    >>> p_chart(board["otif_count"], board["orders"])["p"].tolist()
    [0.5, 1.0]
    """
    check_choice("freq", PERIOD_FREQS, freq)
    period = _PERIOD_NAMES[freq]
    data = add_period(shipments, date=date, freq=freq, name=period)
    return service_kpis(data, by=period, date=date, counts=counts, **columns)


def sla_compliance(shipments: pd.DataFrame, contracts: pd.DataFrame, *, key: str = "customer_id",
                   on_time: str = "on_time", damaged: str = "damaged", target: str = "on_time_target",
                   damage_max: str = "damage_rate_max") -> pd.DataFrame:
    """Each customer's on-time and damage rates against the targets written in the contract.

    ``on_time_shortfall = max(0, target − actual on-time rate)``; ``damage_excess = max(0, actual
    damage rate − damage_rate_max)``; ``met`` is True when both targets are kept. Contracts often
    describe only outcomes, not process (textbook ch. 7 §1): this check says *whether* a promise was
    kept, not *why* not — for that look at the delivery process (ch. 9).

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order with ``key``, ``on_time`` and ``damaged`` flags.
    contracts : pandas.DataFrame
        One row per customer with ``key``, ``target`` and ``damage_max`` (fractions).
    key, on_time, damaged, target, damage_max : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per customer with shipments and a contract, indexed by ``key``: ``orders``,
        ``on_time_rate``, ``on_time_target``, ``on_time_met``, ``on_time_shortfall``, ``damage_rate``,
        ``damage_rate_max``, ``damage_met``, ``damage_excess``, ``met``. Customers with shipments but no
        contract are left out with a warning.

    Examples
    --------
    >>> ships = pd.DataFrame({"customer_id": ["C1", "C1", "C1", "C1", "C2", "C2"],
    ...                       "on_time": [True, True, True, False, True, True],
    ...                       "damaged": [False, False, False, False, True, False]})
    >>> deals = pd.DataFrame({"customer_id": ["C1", "C2"], "on_time_target": [0.95, 0.9],
    ...                       "damage_rate_max": [0.01, 0.01]})
    >>> sla_compliance(ships, deals)[["on_time_rate", "on_time_shortfall", "damage_met", "met"]]
                 on_time_rate  on_time_shortfall  damage_met    met
    customer_id
    C1                   0.75                0.2        True  False
    C2                   1.00                0.0       False  False
    """
    check_frame(shipments, "shipments")
    check_frame(contracts, "contracts")
    check_columns(shipments, [key, on_time, damaged], "shipments")
    check_columns(contracts, [key, target, damage_max], "contracts")
    dup = contracts[key].duplicated()
    if dup.any():
        raise ValueError(f"`contracts` must have one row per {key}, but {int(dup.sum())} are repeated "
                         f"(e.g. {contracts.loc[dup, key].iloc[0]!r}).")
    check_range(contracts[target], target, 0, 1)
    check_range(contracts[damage_max], damage_max, 0, 1)
    kpis = service_kpis(shipments, by=key, on_time=on_time, damaged=damaged, in_full=None, lost=None,
                        doc_error=None, items_ordered=None, items_delivered=None)
    terms = contracts.set_index(key)[[target, damage_max]]
    missing = kpis.index.difference(terms.index)
    if len(missing):
        warnings.warn(f"{len(missing)} customer(s) in `shipments` have no contract and are left out "
                      f"(e.g. {missing[0]!r}).", UserWarning, stacklevel=2)
    kpis = kpis.loc[kpis.index.intersection(terms.index)]
    out = pd.DataFrame({"orders": kpis["orders"], "on_time_rate": kpis["on_time_rate"]})
    out["on_time_target"] = terms.loc[out.index, target].astype(float)
    out["on_time_met"] = out["on_time_rate"] >= out["on_time_target"]
    out["on_time_shortfall"] = (out["on_time_target"] - out["on_time_rate"]).clip(lower=0)
    out["damage_rate"] = kpis["damage_rate"]
    out["damage_rate_max"] = terms.loc[out.index, damage_max].astype(float)
    out["damage_met"] = out["damage_rate"] <= out["damage_rate_max"]
    out["damage_excess"] = (out["damage_rate"] - out["damage_rate_max"]).clip(lower=0)
    out["met"] = out["on_time_met"] & out["damage_met"]
    out.index.name = key
    return out


@fill_doc
def complaint_rate(complaints: pd.DataFrame, shipments: pd.DataFrame, *,
                   by: str | Sequence[str] | None = None, per: float = COMPLAINTS_PER,
                   date: str = "opened_at", shipment_date: str = "order_date",
                   ) -> pd.Series | pd.DataFrame:
    """Complaints per 1,000 shipments (投诉率), overall or by month, customer or any shared column.

    ``complaint_rate = per × complaints / shipments`` in each group. A month's complaints are
    those opened in it (``date``) and its shipments those ordered in it
    (``shipment_date``); ``"day"``, ``"week"``, ``"month"``, ``"quarter"`` and ``"year"`` are made
    from these dates as in ``add_period`` when a table has no such column. Any other ``by``
    column (``customer_id``, ``service`` …) must be in both tables. Textbook ch. 7 §1
    (客户投诉率 among the service performance indicators); chart it with ``u_chart``.

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint (may be empty: no complaints, rate 0).
    shipments : pandas.DataFrame
        One row per shipment.
    {by}
        E.g. ``"month"`` or ``["customer_id", "quarter"]``.
    per : float, default 1000
        Reporting base: complaints per ``per`` shipments.
    date, shipment_date : str
        Date columns that place complaints and shipments in a period.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``complaints``, ``shipments``, ``complaint_rate``; with ``by`` one row per group that has
        shipments (groups without complaints get 0). Complaints in a group without shipments
        (e.g. a complaint opened the month after the last order) are left out with a warning.

    See Also
    --------
    u_chart : is a month's complaint rate out of control?

    Examples
    --------
    >>> ships = pd.DataFrame({"customer_id": ["甲"] * 3 + ["乙"] * 2,
    ...     "order_date": pd.to_datetime(["2025-01-05", "2025-01-09", "2025-02-01",
    ...                                   "2025-01-20", "2025-02-11"])})
    >>> comps = pd.DataFrame({"customer_id": ["甲", "乙", "乙"],
    ...     "opened_at": pd.to_datetime(["2025-01-07", "2025-02-12", "2025-02-20"])})
    >>> complaint_rate(comps, ships)                     # 3 / 5 * 1000
    complaints          3.0
    shipments           5.0
    complaint_rate    600.0
    Name: all, dtype: float64
    >>> complaint_rate(comps, ships, by="month")
             complaints  shipments  complaint_rate
    month
    2025-01           1          3      333.333333
    2025-02           2          2     1000.000000
    """
    check_frame(complaints, "complaints", allow_empty=True)
    check_frame(shipments, "shipments")
    check_positive(per, "per")
    by_cols = check_by(by)
    c_keys = _group_keys(complaints, by_cols, date, "complaints")
    s_keys = _group_keys(shipments, by_cols, shipment_date, "shipments")
    if not by_cols:
        out = pd.DataFrame({"complaints": len(complaints), "shipments": len(shipments),
                            "complaint_rate": per * len(complaints) / len(shipments)}, index=["all"])
        return by_result(out.astype(float), by_cols)
    n_ship = pd.Series(0, index=shipments.index).groupby(s_keys, sort=True, observed=True).size()
    n_comp = pd.Series(0, index=complaints.index).groupby(c_keys, sort=True, observed=True).size()
    extra = n_comp.index.difference(n_ship.index)
    if len(extra):
        warnings.warn(f"{int(n_comp.loc[extra].sum())} complaint(s) fall in {len(extra)} group(s) "
                      f"with no shipments (e.g. {extra[0]!r}) and are left out.", UserWarning,
                      stacklevel=2)
    n_comp = n_comp.reindex(n_ship.index, fill_value=0)
    out = pd.DataFrame({"complaints": n_comp.astype(int), "shipments": n_ship.astype(int)})
    out["complaint_rate"] = per * out["complaints"] / out["shipments"]
    return out


def _group_keys(data, by_cols, date, name):
    """The grouping Series of ``data`` for ``by_cols``; period names are made from ``date``."""
    keys = []
    for col in by_cols:
        if col not in data.columns and col in _PERIOD_NAMES.values():
            check_columns(data, [date], name)
            dates = check_no_missing(check_datetime(data[date], date), date)
            freq = {v: k for k, v in _PERIOD_NAMES.items()}[col]
            keys.append(dates.dt.to_period(freq).rename(col))
        else:
            check_columns(data, [col], name)
            keys.append(check_no_missing(data[col], f"{name}['{col}']"))
    return keys

