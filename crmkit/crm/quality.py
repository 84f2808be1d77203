"""Customer-data quality and lost customers (客户信息的质量, 流失客户).

Textbook: chapter 3, 现代物流客户关系管理实施流程 (客户信息: 准确性和及时性; 失去客户的调查:
"确定'失去'的含义和时间标准"), with chapter 2's single customer view.
Notebook: notebooks/03_implementation_data.ipynb
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    DateLike, check_by, check_columns, check_datetime, check_frame, check_non_negative,
    check_numeric, check_positive, check_unique, to_timestamp,
)
from crmkit._result import Result
from crmkit.vocabulary import ASOF, STALE_AFTER_DAYS

__all__ = ["CN_PHONE_PATTERN", "STALE_AFTER_DAYS", "INACTIVE_DAYS", "QualityReport",
           "data_quality", "lost_customers", "lost_profile"]

#: Chinese phone numbers: a mobile (11 digits, 13x–19x, MIIT numbering plan; groups 3-4-4 may
#: be split by a space or hyphen) or a landline with area code (0 + 2–3 digits, then 7–8
#: digits), optionally with +86. Full-width digits or letters do not pass.
CN_PHONE_PATTERN = r"(?:\+?86[- ]?)?(?:1[3-9]\d(?:[- ]?\d{4}){2}|0\d{2,3}[- ]?\d{7,8})"


#: "Lost" rule: no order for 180 days (illustrative; the textbook asks firms to fix their own
#: 时间标准 for 失去的客户).
INACTIVE_DAYS = 180

@dataclass(frozen=True, repr=False)
class QualityReport(Result):
    """Result of :func:`data_quality`: the per-column table and the overall ``summary``."""

    columns: pd.DataFrame
    summary: pd.Series


@fill_doc
def data_quality(data: pd.DataFrame, *, key: str | Sequence[str] | None = None,
                 asof: DateLike | None = ASOF, stale_after_days: int = STALE_AFTER_DAYS,
                 rules: Mapping[str, object] | None = None, updated: str = "last_updated",
                 check_dates: bool = True) -> QualityReport:
    """Score a customer table on completeness, validity, duplicates and staleness.

    Per column: ``completeness = non-missing / rows`` and ``validity = passing / non-missing``
    for columns with a rule. For the table: ``duplicates`` = share of rows repeating an earlier
    ``key`` (or an earlier identical row without ``key``); ``staleness`` = share of dated rows
    whose ``updated`` date is more than ``stale_after_days`` before ``asof``.
    ``overall`` = mean of completeness, validity, 1 − duplicates and 1 − staleness (those that
    apply). Textbook ch. 3: information quality is accuracy (准确性) and timeliness (及时性).

    Parameters
    ----------
    data : pandas.DataFrame
        The table to score (one row per record).
    key : str or list of str, optional
        Id column(s); duplicates are repeated key values (missing keys are not counted).
    {asof}
        With ``check_dates``, date columns without a rule of their own must not lie after it (no
        future dates), and records not updated for ``stale_after_days`` before it are stale.
    stale_after_days : int
        Age in days after which a record is stale.
    rules : dict, optional
        ``{column: rule}``; a rule is a regex string (whole value must match), a list/set of
        allowed values, or a function taking the column's non-missing values and returning
        True/False per value.
    updated : str
        Column with each record's last update date; ignored if absent.
    check_dates : bool
        Apply the no-future-dates rule above; turn off for columns such as promised delivery
        times that may rightly lie ahead.

    Returns
    -------
    QualityReport
        ``columns``: per column ``completeness, n_missing, validity, n_invalid, rule``;
        ``summary``: ``completeness, validity, duplicates, staleness, overall`` (shares).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["a", "b", "b", "c"], "city": ["上海", "北京", "北京", None],
    ...                    "phone": ["13812345678", "12345", "12345", "13900001111"]})
    >>> rep = data_quality(df, key="id", rules={"phone": CN_PHONE_PATTERN, "city": ["上海", "北京"]})
    >>> rep.columns[["completeness", "validity"]]
            completeness  validity
    column
    id              1.00       NaN
    city            0.75       1.0
    phone           1.00       0.5
    >>> rep.summary[["duplicates", "overall"]].round(3).tolist()
    [0.25, 0.806]
    """
    check_frame(data, "data")
    rules = {} if rules is None else rules
    if not isinstance(rules, dict):
        raise TypeError(f"`rules` must be a dict {{column: rule}}, not {type(rules).__name__}.")
    check_columns(data, list(rules), "data")
    keys = [key] if isinstance(key, str) else list(key) if key is not None else None
    if keys is not None:
        check_columns(data, keys, "data")
    stale_days = check_positive(stale_after_days, "stale_after_days")
    stamp = to_timestamp(asof) if asof is not None else None
    table = pd.DataFrame({"completeness": data.notna().mean(), "n_missing": data.isna().sum()})
    table.index.name = "column"
    table["validity"] = np.nan
    table["n_invalid"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["rule"] = ""
    for col in data.columns:
        rule = rules.get(col)
        if (rule is None and check_dates and stamp is not None
                and pd.api.types.is_datetime64_any_dtype(data[col])):
            rule = lambda v, _t=stamp: v <= _t  # noqa: E731 - no dates in the future
            label = f"not after {stamp.date()}"
        else:
            label = _rule_label(rule)
        if rule is None:
            continue
        ok = _apply_rule(data[col].dropna(), rule, col)
        table.loc[col, ["validity", "rule"]] = [ok.mean() if len(ok) else np.nan, label]
        table.loc[col, "n_invalid"] = int((~ok).sum())
    if keys is not None:
        dup = data.duplicated(subset=keys) & data[keys].notna().all(axis=1)
    else:
        dup = data.duplicated()
    staleness = np.nan
    if updated in data.columns:
        dates = check_datetime(data[updated], updated)
        ref = stamp if stamp is not None else dates.max()
        dated = dates.dropna()
        if len(dated):
            staleness = float((dated < ref - pd.Timedelta(days=stale_days)).mean())
    validity = table["validity"].mean() if table["validity"].notna().any() else np.nan
    summary = pd.Series({"completeness": table["completeness"].mean(),
                         "validity": validity, "duplicates": float(dup.mean()),
                         "staleness": staleness})
    goods = [summary["completeness"], validity, 1 - summary["duplicates"], 1 - staleness]
    summary["overall"] = float(np.nanmean(goods))
    return QualityReport(table, summary)


def _rule_label(rule) -> str:
    if rule is None:
        return ""
    if isinstance(rule, (str, re.Pattern)):
        return f"matches {getattr(rule, 'pattern', rule)}"
    if callable(rule):
        return getattr(rule, "__name__", "function")
    return "in list"


def _apply_rule(values: pd.Series, rule, col) -> pd.Series:
    if isinstance(rule, (str, re.Pattern)):
        return values.astype(str).str.fullmatch(rule).astype(bool)
    if isinstance(rule, (list, tuple, set, frozenset, pd.Index, np.ndarray, pd.Series)):
        return values.isin(list(rule))
    if not callable(rule):
        raise TypeError(f"The rule for column `{col}` must be a regex string, a list of allowed "
                        f"values or a function, not {type(rule).__name__}.")
    try:
        result = rule(values)
    except Exception as exc:  # report the student's rule error against the column it was for
        raise ValueError(f"The rule for column `{col}` failed: {exc!r}.") from exc
    result = np.asarray(result)
    if result.shape != (len(values),) or (len(values) and result.dtype != bool):
        raise ValueError(f"The rule for column `{col}` must return one True/False per value "
                         f"(got shape {result.shape}, dtype {result.dtype} for {len(values)} "
                         "values).")
    return pd.Series(result.astype(bool), index=values.index)


@fill_doc
def lost_customers(shipments: pd.DataFrame, *, asof: DateLike = ASOF, inactive_days: int = INACTIVE_DAYS,
                   key: str = "customer_id", date: str = "order_date", value: str = "revenue",
                   customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Flag lost customers (流失客户): no order for more than ``inactive_days`` before ``asof``.

    ``days_inactive = asof − last order date``; ``lost = days_inactive > inactive_days``
    (textbook ch. 3, 失去客户的调查: first fix what "lost" means and the time rule). Orders after
    ``asof`` are ignored, so the rule can be replayed at past dates.

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order, with ``key``, ``date`` and (optionally) ``value`` columns.
    {asof}
    inactive_days : int
        Days without an order after which a customer counts as lost.
    key, date, value : str
        Column names; ``value`` (money) is summed if present.
    customers : pandas.DataFrame, optional
        Customer profile table keyed by ``key``; its columns are joined on, and customers without
        any order up to ``asof`` appear with ``status`` ``"no_orders"``.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by ``key``: ``first_order, last_order, orders, <value>,
        days_inactive, lost, status`` (``"active"``, ``"lost"`` or ``"no_orders"``), then the
        profile columns.

    See Also
    --------
    lost_profile : share of lost customers per group (who left?).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "a", "b"], "revenue": [100.0, 50.0, 80.0],
    ...     "order_date": pd.to_datetime(["2025-01-10", "2025-11-20", "2025-03-01"])})
    >>> lost_customers(s, asof="2025-12-31")[["customer_id", "orders", "days_inactive", "status"]]
      customer_id  orders  days_inactive  status
    0           a       2             41  active
    1           b       1            305    lost
    """
    check_frame(shipments, "shipments")
    has_value = value is not None and value in shipments.columns
    check_columns(shipments, [key, date], "shipments")
    stamp = to_timestamp(asof)
    days = check_positive(inactive_days, "inactive_days")
    dates = check_datetime(shipments[date], date)
    if dates.isna().any():
        raise ValueError(f"`{date}` has {int(dates.isna().sum())} missing date(s); every order "
                         "needs a date.")
    frame = pd.DataFrame({key: shipments[key], "_d": dates})
    if has_value:
        frame[value] = check_numeric(shipments[value], value)
    frame = frame[frame["_d"] <= stamp]
    aggs = dict(first_order=("_d", "min"), last_order=("_d", "max"), orders=("_d", "size"))
    if has_value:
        aggs[value] = (value, "sum")
    table = frame.groupby(key).agg(**aggs)
    if customers is not None:
        check_frame(customers, "customers")
        check_columns(customers, [key], "customers")
        check_unique(customers[key], f"customers['{key}']")
        table = customers.set_index(key)[[]].join(table, how="outer")
        table["orders"] = table["orders"].fillna(0).astype(int)
        if has_value:
            table[value] = table[value].fillna(0.0)
    table["days_inactive"] = (stamp - table["last_order"]).dt.days
    table["lost"] = (table["days_inactive"] > days).astype(bool)
    table["status"] = np.where(table["orders"] == 0, "no_orders",
                               np.where(table["lost"], "lost", "active"))
    table = table.sort_index().reset_index()
    if customers is not None:
        table = table.merge(customers, on=key, how="left")
    return table


def lost_profile(lost: pd.DataFrame, *, by: str | list[str], value: str | None = "revenue") -> pd.DataFrame:
    """Who left? Share of lost customers (and of their money) per group of ``by``.

    ``lost_share = lost customers / customers`` in each group; ``value_lost_share`` is the same
    for the money column (textbook ch. 3, 失去客户的调查).

    Parameters
    ----------
    lost : pandas.DataFrame
        Output of :func:`lost_customers` (needs ``lost`` and ``by`` columns).
    by : str
        Profile column, e.g. ``"industry"`` or ``"contract_tier"``.
    value : str or None
        Money column to weigh by, if present.

    Returns
    -------
    pandas.DataFrame
        Per group: ``customers, lost, lost_share`` (and ``value_lost_share``), sorted by
        ``lost_share``, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"industry": ["零售", "零售", "医药"], "lost": [True, False, False],
    ...                   "revenue": [30.0, 70.0, 50.0]})
    >>> lost_profile(t, by="industry")
              customers  lost  lost_share  value_lost_share
    industry
    零售              2     1         0.5               0.3
    医药              1     0         0.0               0.0
    """
    check_frame(lost, "lost")
    by_cols = check_by(by, lost, "lost")
    check_columns(lost, ["lost"], "lost")
    flag = lost["lost"].astype(bool)
    frame = pd.DataFrame({"customers": 1, "lost": flag.astype(int)}, index=lost.index)
    use_value = value is not None and value in lost.columns
    if use_value:
        money = check_non_negative(lost[value].fillna(0.0), value)
        frame["_v"], frame["_vl"] = money, money.where(flag, 0.0)
    table = frame.groupby([lost[c] for c in by_cols], dropna=False, observed=True).sum()
    table["lost_share"] = table["lost"] / table["customers"]
    if use_value:
        with np.errstate(divide="ignore", invalid="ignore"):
            table["value_lost_share"] = table.pop("_vl") / table.pop("_v")
    return table.sort_values("lost_share", ascending=False, kind="mergesort")
