"""Complaint measures: response and resolution times, cause Pareto, claims, service recovery.

Textbook: chapter 10, 现代物流客户服务技巧 — 第三节 物流客户服务投诉与处理技巧
(操作失误及客户反应, 客户投诉含理赔申诉的处理流程, 投诉处理的技巧).
Notebook: notebooks/10_complaints_service_skills.ipynb

Every function takes a complaints table with the column names of the crmkit data contract.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._validate import (
    DateLike, check_columns, check_datetime, check_fraction, check_frame, check_non_negative,
    check_numeric, check_positive, check_series, to_timestamp, by_result, check_by, group_keys,
)
from crmkit._docs import fill_doc
from crmkit._result import Result
from crmkit.vocabulary import ASOF

__all__ = ["FIRST_RESPONSE_TARGET_H", "RESOLUTION_TARGET_H", "PARETO_CUTOFF", "SLAReport",
           "complaint_sla", "pareto", "claims_summary", "recovery_effect", "surveys_after_complaints"]

#: Illustrative SLA targets in hours (our assumption, not from the textbook): first response within
#: one working day, resolution within three days. Real contracts set their own.
FIRST_RESPONSE_TARGET_H = 24.0
RESOLUTION_TARGET_H = 72.0

#: Pareto "vital few" cut-off: the causes that together make up 80 % of cases (Juran's 80/20 rule).
PARETO_CUTOFF = 0.80


@dataclass(frozen=True, repr=False)
class SLAReport(Result):
    """Result of :func:`complaint_sla`: per-complaint ``detail`` and a ``summary``."""

    detail: pd.DataFrame
    summary: pd.DataFrame | pd.Series


def _hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds() / 3600.0


@fill_doc
def complaint_sla(complaints: pd.DataFrame, *, first_response_h: float = FIRST_RESPONSE_TARGET_H,
                  resolution_h: float = RESOLUTION_TARGET_H, by: str | Sequence[str] | None = None,
                  asof: DateLike = ASOF, key: str = "complaint_id", date: str = "opened_at",
                  first_response: str = "first_response_at", resolved: str = "resolved_at") -> SLAReport:
    """Hours to first response and to resolution, against SLA targets.

    ``response_h = first_response_at − opened_at`` and ``resolution_h = resolved_at − opened_at``
    in hours (textbook ch. 10 §3, 快速反应原则). A complaint with no ``resolved_at`` is *open*: it is
    kept, its resolution target counts as not met, and its age up to ``asof`` tells whether it is
    already overdue. So the on-target rates are lower bounds while cases are still open.

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint.
    first_response_h, resolution_h : float
        Targets in hours (defaults are illustrative, see :data:`FIRST_RESPONSE_TARGET_H`).
    {by}
        E.g. ``"severity"``; this shapes ``summary``.
    {asof}
        Open complaints are aged up to it; no complaint may be opened after it. A date (a time
        of 00:00) means the end of that day: everything on it counts, as in every method.
    key, date, first_response, resolved : str
        Column names (``date``: when the complaint was opened).

    Returns
    -------
    SLAReport
        ``detail``: per complaint ``response_h, resolution_h, is_open, age_h, response_met,
        resolution_met, overdue``; ``summary``: per group ``complaints, open, open_overdue,
        mean_response_h, median_response_h, mean_resolution_h, median_resolution_h,
        response_on_target, resolution_on_target`` (a Series without ``by``).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"complaint_id": ["a", "b"],
    ...     "opened_at": pd.to_datetime(["2025-01-01 08:00", "2025-01-02 08:00"]),
    ...     "first_response_at": pd.to_datetime(["2025-01-01 20:00", "2025-01-03 14:00"]),
    ...     "resolved_at": pd.to_datetime(["2025-01-02 08:00", None])})
    >>> detail, summary = complaint_sla(c, asof="2025-01-06 08:00")
    >>> detail[["response_h", "resolution_h", "overdue"]].values.tolist()
    [[12.0, 24.0, False], [30.0, nan, True]]
    >>> summary[["complaints", "open", "response_on_target", "resolution_on_target"]]
    complaints              2.0
    open                    1.0
    response_on_target      0.5
    resolution_on_target    0.5
    Name: all, dtype: float64
    """
    check_frame(complaints, "complaints")
    cols = [date, first_response, resolved] + ([by] if by is not None else [])
    check_columns(complaints, cols, "complaints")
    first_target = check_positive(first_response_h, "first_response_h")
    res_target = check_positive(resolution_h, "resolution_h")
    t0 = check_datetime(complaints[date], date)
    if t0.isna().any():
        raise ValueError(f"`{date}` has {int(t0.isna().sum())} missing time(s); every complaint "
                         "needs the time it was opened.")
    t1 = check_datetime(complaints[first_response], first_response)
    t2 = check_datetime(complaints[resolved], resolved)
    for name, t in ((first_response, t1), (resolved, t2)):
        if (t < t0).any():
            raise ValueError(f"`{name}` is before `{date}` in {int((t < t0).sum())} complaint(s); "
                             "fix the times first.")
    stamp = to_timestamp(asof)
    if stamp == stamp.normalize():          # a date alone: the whole day counts, as elsewhere
        stamp += pd.Timedelta(days=1)
    if (t0 > stamp).any():
        raise ValueError(f"{int((t0 > stamp).sum())} complaint(s) were opened after asof={stamp}; "
                         "filter them out or pass a later `asof`.")
    detail = pd.DataFrame(index=complaints.index)
    if key in complaints.columns:
        detail[key] = complaints[key]
    by_cols = check_by(by, complaints, "complaints")
    for col in by_cols:
        detail[col] = complaints[col]
    detail["response_h"] = _hours(t1, t0)
    detail["resolution_h"] = _hours(t2, t0)
    detail["is_open"] = t2.isna()
    detail["age_h"] = _hours(t2.fillna(stamp), t0)
    detail["response_met"] = (detail["response_h"] <= first_target).fillna(False).astype(bool)
    detail["resolution_met"] = (detail["resolution_h"] <= res_target).fillna(False).astype(bool)
    detail["overdue"] = detail["is_open"] & (detail["age_h"] > res_target)
    groups = detail.groupby(group_keys(detail, by_cols), dropna=False, sort=True, observed=True)
    summary = groups.agg(
        complaints=("is_open", "size"), open=("is_open", "sum"), open_overdue=("overdue", "sum"),
        mean_response_h=("response_h", "mean"), median_response_h=("response_h", "median"),
        mean_resolution_h=("resolution_h", "mean"), median_resolution_h=("resolution_h", "median"),
        response_on_target=("response_met", "mean"), resolution_on_target=("resolution_met", "mean"))
    if not by_cols:
        summary.index.name = None
    return SLAReport(detail, by_result(summary, by_cols))


def pareto(data: pd.Series | pd.DataFrame, *, column: str = "cause", value: str | None = None,
           cutoff: float = PARETO_CUTOFF) -> pd.DataFrame:
    """Pareto table of categories: count, share and cumulative share, largest first.

    ``share = count / total``, ``cum_share`` adds shares down the sorted table; ``vital_few`` marks
    the categories needed to reach ``cutoff`` (the "vital few" of the 80/20 rule). Used for complaint
    causes in textbook ch. 10 §3 (投诉建档: count causes to prevent them).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Category labels, or a table with a ``column`` of labels.
    column : str
        The label column when ``data`` is a DataFrame (default ``"cause"``).
    value : str, optional
        A numeric column of ``data`` (e.g. ``"compensation"``) to rank by its sum instead of counts.
    cutoff : float
        Cumulative share that defines the vital few, a fraction in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per category: label column, ``count``, (``amount`` with ``value``), ``share``,
        ``cum_share``, ``vital_few``; sorted by the measure, ties by label.

    Examples
    --------
    >>> import pandas as pd
    >>> pareto(pd.Series(["延误", "货损", "延误", "账单错误", "延误"], name="cause"))
        cause  count  share  cum_share  vital_few
    0      延误      3    0.6        0.6       True
    1  账单错误      1    0.2        0.8       True
    2      货损      1    0.2        1.0      False
    """
    cutoff = check_fraction(cutoff, "cutoff")
    if isinstance(data, pd.DataFrame):
        check_frame(data, "data")
        check_columns(data, [column] + ([value] if value is not None else []), "data")
        labels = data[column]
    else:
        if value is not None:
            raise TypeError("`value` names a column, so it needs a DataFrame as `data`.")
        labels = check_series(data, "data")
        column = labels.name if labels.name is not None else "category"
    if labels.isna().any():
        raise ValueError(f"`{column}` has {int(labels.isna().sum())} missing label(s); fill them "
                         "(e.g. .fillna('unknown')) so they are counted, or drop them.")
    frame = pd.DataFrame({column: labels.to_numpy(), "count": 1})
    aggs = {"count": ("count", "sum")}
    measure = "count"
    if value is not None:
        frame["amount"] = check_non_negative(data[value], value).to_numpy()
        aggs["amount"] = ("amount", "sum")
        measure = "amount"
    table = frame.groupby(column, sort=False).agg(**aggs).reset_index()
    total = table[measure].sum()
    if total == 0:
        raise ValueError(f"`{value}` sums to zero, so there are no shares to compute.")
    table = table.sort_values([measure, column], ascending=[False, True], kind="mergesort")
    table["share"] = table[measure] / total
    table["cum_share"] = table["share"].cumsum().clip(upper=1.0)
    table["vital_few"] = (table["cum_share"] - table["share"]) < cutoff - 1e-12
    return table.reset_index(drop=True)


@fill_doc
def claims_summary(complaints: pd.DataFrame, *, by: str | Sequence[str] | None = "cause",
                   claim: str = "claim_amount", paid: str = "compensation") -> pd.Series | pd.DataFrame:
    """Claims (理赔申诉) against compensation paid, per group.

    ``payout_ratio = Σ compensation / Σ claim_amount`` over complaints with a claim
    (claim_amount > 0); textbook ch. 10 §3, 客户投诉含理赔申诉的处理流程.

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint, with money columns in yuan (zero or more, no missing).
    {by}
        Default ``"cause"``.
    claim, paid : str
        Column names of the amount claimed and the compensation paid.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        Per group: ``complaints, claims`` (count with a claim), ``claim_rate`` (claims/complaints),
        ``claimed, paid`` (sums, yuan), ``payout_ratio`` (paid on claims / claimed, NaN without
        claims), ``mean_claim``; sorted by ``claimed``, largest first.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"cause": ["货损", "货损", "延误"], "claim_amount": [1000.0, 500.0, 0.0],
    ...                   "compensation": [800.0, 0.0, 0.0]})
    >>> claims_summary(c)[["claims", "claimed", "paid", "payout_ratio"]]
           claims  claimed   paid  payout_ratio
    cause
    货损          2   1500.0  800.0      0.533333
    延误          0      0.0    0.0           NaN
    """
    check_frame(complaints, "complaints")
    by_cols = check_by(by, complaints, "complaints")
    check_columns(complaints, [claim, paid], "complaints")
    claimed = check_non_negative(complaints[claim], claim).astype(float)
    paid_amt = check_non_negative(complaints[paid], paid).astype(float)
    has = claimed > 0
    frame = pd.DataFrame({"complaints": 1, "claims": has.astype(int), "claimed": claimed,
                          "paid": paid_amt, "paid_on_claims": paid_amt.where(has, 0.0)})
    keys = group_keys(complaints, by_cols)
    table = frame.groupby(keys, dropna=False, observed=True).sum()
    table["claim_rate"] = table["claims"] / table["complaints"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["payout_ratio"] = (table["paid_on_claims"] / table["claimed"]).where(table["claims"] > 0)
        table["mean_claim"] = (table["claimed"] / table["claims"]).where(table["claims"] > 0)
    table = table[["complaints", "claims", "claim_rate", "claimed", "paid", "payout_ratio",
                   "mean_claim"]]
    return by_result(table.sort_values("claimed", ascending=False, kind="mergesort"), by_cols)


def recovery_effect(complaints: pd.DataFrame, baseline: pd.DataFrame | pd.Series, *,
                    by: str | None = None, satisfaction: str = "satisfaction_after",
                    score: str = "overall", key: str = "customer_id",
                    baseline_label: str = "未投诉 never complained") -> pd.DataFrame:
    """Satisfaction after service recovery compared with customers who never complained.

    ``diff = mean(satisfaction after recovery in group) − mean(score of never-complainers)``.
    The service recovery paradox (服务补救悖论): complainers whose problem was put right well can
    end up *more* satisfied than customers who never had a problem (textbook ch. 10 §3,
    善待投诉; ch. 6 on satisfaction). Both scores must be on the same scale (1–7 in the dataset).

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint with ``satisfaction`` (missing while a case is open: those are
        counted in ``n_missing``, not averaged).
    baseline : pandas.DataFrame or pandas.Series
        Survey responses with ``key`` and ``score`` columns (customers that appear in
        ``complaints`` are left out), or a Series of scores already from never-complainers.
    by : str, optional
        Column of ``complaints`` splitting the complainers (e.g. ``"outcome"`` or your own
        "well recovered" flag); ``None`` keeps them as one group.
    satisfaction, score, key : str
        Column names.
    baseline_label : str
        Group name of the comparison row.

    Returns
    -------
    pandas.DataFrame
        ``group, n, n_missing, mean, sd, diff``; the baseline row first (diff 0), then the groups
        by mean, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"], "outcome": ["全额赔付", "全额赔付", "驳回"],
    ...                   "satisfaction_after": [7, 6, 2]})
    >>> s = pd.DataFrame({"customer_id": ["a", "x", "y"], "overall": [1, 5, 6]})
    >>> recovery_effect(c, s, by="outcome")[["group", "n", "mean", "diff"]]
                        group  n  mean  diff
    0  未投诉 never complained  2   5.5   0.0
    1                 全额赔付  2   6.5   1.0
    2                     驳回  1   2.0  -3.5
    """
    check_frame(complaints, "complaints")
    by_cols = check_by(by, complaints, "complaints", single=by is not None)
    check_columns(complaints, [satisfaction], "complaints")
    check_numeric(complaints[satisfaction], satisfaction)
    if isinstance(baseline, pd.DataFrame):
        check_frame(baseline, "baseline")
        check_columns(baseline, [key, score], "baseline")
        check_columns(complaints, [key], "complaints")
        base = baseline.loc[~baseline[key].isin(complaints[key].dropna()), score]
    else:
        base = check_series(baseline, "baseline")
    check_numeric(base, "baseline scores")
    if base.notna().sum() == 0:
        raise ValueError("`baseline` has no scores from customers who never complained.")
    groups = (complaints[by_cols[0]] if by_cols
              else pd.Series("投诉后 after recovery", index=complaints.index))
    vals = complaints[satisfaction]
    table = vals.groupby(groups.rename("group"), dropna=False).agg(
        n="count", n_missing=lambda v: int(v.isna().sum()), mean="mean", sd="std").reset_index()
    table = table.sort_values(["mean", "group"], ascending=[False, True], kind="mergesort")
    first = pd.DataFrame({"group": [baseline_label], "n": [int(base.count())],
                          "n_missing": [int(base.isna().sum())], "mean": [base.mean()],
                          "sd": [base.std()]})
    out = pd.concat([first, table], ignore_index=True)
    out["diff"] = out["mean"] - first["mean"].iloc[0]
    return out


def surveys_after_complaints(surveys: pd.DataFrame, complaints: pd.DataFrame, *, window_days: int = 180,
                             by: str = "outcome", never_label: str = "从未投诉 never complained",
                             key: str = "customer_id", date: str = "survey_date",
                             resolved: str = "resolved_at") -> pd.DataFrame:
    """Label each survey response by the complaint its customer had resolved just before it.

    The recovery paradox compares recovered complainers with customers who never had a problem; to
    compare like with like, both must answer the *same* instrument. This puts every survey response
    into a group: the ``by`` value (e.g. the outcome) of the customer's last complaint resolved
    within ``window_days`` before the survey, ``never_label`` if the customer never complained, or
    missing (left out of a comparison) if the customer complained but not just before this survey.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Responses with ``key`` and ``date``.
    complaints : pandas.DataFrame
        Complaints with ``key``, ``resolved`` (missing while open, those are skipped) and ``by``.
    window_days : int
        How recent the complaint must be, in days before the survey.

    Returns
    -------
    pandas.DataFrame
        ``surveys`` with a column ``group``, in the same row order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "b", "x"], "overall": [6, 4, 5],
    ...                   "survey_date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-01"])})
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "outcome": ["全额赔付", "驳回"],
    ...                   "resolved_at": pd.to_datetime(["2025-02-20", "2024-01-05"])})
    >>> surveys_after_complaints(s, c)["group"].tolist()
    ['全额赔付', nan, '从未投诉 never complained']
    """
    check_frame(surveys, "surveys")
    check_frame(complaints, "complaints")
    check_columns(surveys, [key, date], "surveys")
    by = check_by(by, complaints, "complaints", single=True)[0]
    check_columns(complaints, [key, resolved], "complaints")
    check_datetime(surveys[date], date)
    check_datetime(complaints[resolved], resolved)
    check_positive(window_days, "window_days")
    done = complaints.loc[complaints[resolved].notna(), [key, resolved, by]].rename(
        columns={by: "_group"}).sort_values(resolved, kind="mergesort")
    order = surveys[date].sort_values(kind="mergesort").index
    left = surveys.loc[order, [key, date]].reset_index()
    matched = pd.merge_asof(left, done, left_on=date, right_on=resolved, by=key,
                            direction="backward", tolerance=pd.Timedelta(days=window_days))
    group = pd.Series(matched["_group"].astype(object).to_numpy(), index=matched["index"])
    never = ~surveys[key].isin(complaints[key].dropna())
    group = group.reindex(surveys.index).where(~never, never_label)
    return surveys.assign(group=group)
