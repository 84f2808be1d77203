"""The satisfaction trap (满意陷阱): satisfied customers who still leave (textbook ch. 6).

Survey answers are joined to later churn with :func:`join_churn`, then :func:`satisfaction_trap`
reads the two conditional shares — at one threshold of "satisfied" or at several
(:func:`trap_curve`).
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_bool, check_columns, check_datetime, check_frame, check_no_missing, check_number,
    check_range, check_likert, check_series, check_unique,
)
from crmkit.satisfaction.constants import CHURN_HORIZON_DAYS, LIKERT_SCALE, SATISFIED_MIN

__all__ = ["satisfaction_trap", "trap_curve", "join_churn"]

_TRAP_THRESHOLDS = range(4, 8)  # 4 (neutral counts) … 7 (only "very satisfied") on the 1–7 item


def satisfaction_trap(surveys: pd.DataFrame, churn: str | pd.Series = "churned", *,
                      satisfaction: str = "overall", satisfied_min: int | Sequence[int] = SATISFIED_MIN,
                      likert: tuple[int, int] = LIKERT_SCALE) -> pd.Series | pd.DataFrame:
    """The satisfaction trap (满意陷阱): satisfied customers who still leave.

    Two different shares, both returned:

    * ``satisfied_who_left`` = P(left | satisfied): of the customers who said they were
      satisfied (``satisfaction >= satisfied_min``), the share who left. The textbook
      (ch. 6, quoting a Bain & Company survey) says 65–85 % of customers who say they are
      satisfied or very satisfied still switch — this reading.
    * ``leavers_who_were_satisfied`` = P(satisfied | left): of the customers who left, the share
      who had said they were satisfied. Reichheld (1993) reports the 65–85 % this way round.

    With few leavers overall the first is small while the second can still be large, so name
    which one you quote. Each survey response counts once.

    Parameters
    ----------
    surveys : pandas.DataFrame
        Survey table.
    churn : str or pandas.Series, default "churned"
        Column of ``surveys`` (or a Series with the same index) saying who left (True/False),
        e.g. ``"left_within"`` from :func:`join_churn`.
    satisfaction : str, default "overall"
        Overall satisfaction column.
    satisfied_min : int or list of int, default 5
        Lowest answer that counts as satisfied: 5 = anything above the neutral 4 of 1–7;
        6 keeps only "satisfied" and "very satisfied" (the top two boxes). A list or range
        (e.g. ``range(4, 8)``) gives one row per threshold.
    likert : (int, int), default (1, 7)
        Answer range of ``satisfaction``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``responses``, ``satisfied``, ``left``, ``satisfied_and_left`` (counts) and the shares
        ``satisfied_who_left``, ``leavers_who_were_satisfied``, ``unsatisfied_who_left``,
        ``all_who_left`` (NaN when the group is empty), after ``satisfied_min`` (the threshold).
        A DataFrame indexed by ``satisfied_min`` when several thresholds are given.

    See Also
    --------
    trap_curve : the same at several thresholds.
    join_churn : flag the responses followed by churn.
    crmkit.plotting.plot_satisfaction_trap : bars of the shares with the 65–85 % band.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
    ...                         "churned": [True, False, False, False, True, True, True, False]})
    >>> satisfaction_trap(surveys)[["satisfied_who_left", "leavers_who_were_satisfied"]]
    satisfied_who_left            0.333333
    leavers_who_were_satisfied    0.500000
    dtype: float64
    >>> satisfaction_trap(surveys, satisfied_min=[5, 7])[["satisfied", "satisfied_who_left"]]
                   satisfied  satisfied_who_left
    satisfied_min
    5                      6            0.333333
    7                      2            1.000000
    """
    check_frame(surveys, "surveys")
    check_columns(surveys, [satisfaction] + ([churn] if isinstance(churn, str) else []),
                  "surveys")
    low, high = check_likert(likert)
    score = check_range(surveys[satisfaction], satisfaction, low, high).to_numpy()
    thresholds = _thresholds(satisfied_min, low, high)
    if isinstance(churn, str):
        left = check_bool(surveys[churn], churn)
    else:
        left = check_bool(check_series(churn, "churn"), "churn")
        if not left.index.equals(surveys.index):
            raise ValueError("`churn` must have the same index as `surveys` (one flag per "
                             "response); merge it into `surveys` and pass the column name.")
    out = left.to_numpy()
    if not isinstance(thresholds, list):
        return pd.Series({"satisfied_min": thresholds, **_trap_row(score >= thresholds, out)})
    rows = {cut: _trap_row(score >= cut, out) for cut in thresholds}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("satisfied_min")


def trap_curve(surveys: pd.DataFrame, churn: str | pd.Series = "churned", *,
               thresholds: Iterable[int] = _TRAP_THRESHOLDS, satisfaction: str = "overall",
               likert: tuple[int, int] = LIKERT_SCALE) -> pd.DataFrame:
    """The satisfaction trap at several thresholds of "satisfied": one row per threshold.

    ``satisfaction_trap(surveys, churn, satisfied_min=list(thresholds))``: as the bar for
    "satisfied" rises (4 → 7), fewer customers count as satisfied, P(left | satisfied) usually
    falls and P(satisfied | left) falls too. Shows students how much the 65–85 % of the
    textbook (ch. 6, 满意陷阱) depends on where "satisfied" starts.

    Parameters
    ----------
    surveys, churn, satisfaction, likert
        As in :func:`satisfaction_trap`.
    thresholds : iterable of int, default range(4, 8)
        Lowest "satisfied" answers to try, each inside ``likert``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``satisfied_min``; columns as in :func:`satisfaction_trap`.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
    ...                         "churned": [True, False, False, False, True, True, True, False]})
    >>> trap_curve(surveys)["leavers_who_were_satisfied"].tolist()   # of 4 leavers: 2, 2, 2, 2
    [0.5, 0.5, 0.5, 0.5]
    >>> trap_curve(surveys)["satisfied_who_left"].round(3).tolist()  # 2/6, 2/6, 2/5, 2/2
    [0.333, 0.333, 0.4, 1.0]
    """
    if isinstance(thresholds, (int, np.integer, float, np.floating)):
        raise TypeError(f"`thresholds` must be a list or range of answers such as range(4, 8), "
                        f"not {thresholds!r}; for one threshold use satisfaction_trap.")
    return satisfaction_trap(surveys, churn, satisfaction=satisfaction,
                             satisfied_min=list(thresholds), likert=likert)


def join_churn(surveys: pd.DataFrame, churn_dates: pd.DataFrame | pd.Series, *,
               horizon_days: int = CHURN_HORIZON_DAYS, date: str = "survey_date",
               key: str = "customer_id", churn_date: str = "churn_date") -> pd.DataFrame:
    """Flag each survey response whose customer left within ``horizon_days`` after answering.

    ``left_within = survey_date < churn_date <= survey_date + horizon_days`` (182 days: "left
    within 6 months after", as the course's ``churned`` column is defined). Customers with no
    churn date (NaT, or absent from ``churn_dates``) did not leave. The first step of the
    satisfaction trap (textbook ch. 6, 满意陷阱): answers first, leaving later.

    Parameters
    ----------
    surveys : pandas.DataFrame
        One row per response with ``key`` and ``date``.
    churn_dates : pandas.DataFrame or pandas.Series
        One row per customer with ``key`` and ``churn_date`` (NaT if still a customer), e.g.
        ``load_truth()["customer_truth"]``, or a Series of dates indexed by customer id.
    horizon_days : int, default 182
        How long after the survey a departure still counts.
    date, key, churn_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        A copy of ``surveys`` plus a bool column ``left_within`` (replaced if present).

    See Also
    --------
    satisfaction_trap : ``satisfaction_trap(joined, "left_within")``.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                         "survey_date": pd.to_datetime(["2025-01-10"] * 4)})
    >>> churn = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "churn_date": pd.to_datetime(["2025-03-01", "2025-12-01", None])})
    >>> join_churn(surveys, churn)["left_within"].tolist()   # a in 50 days; b after 325 days
    [True, False, False, False]
    """
    check_frame(surveys, "surveys")
    check_columns(surveys, [key, date], "surveys")
    check_number(horizon_days, "horizon_days", low=1, integer=True)
    when = check_no_missing(check_datetime(surveys[date], date), date)
    if isinstance(churn_dates, pd.DataFrame):
        check_frame(churn_dates, "churn_dates", allow_empty=True)
        check_columns(churn_dates, [key, churn_date], "churn_dates")
        lookup = pd.Series(check_datetime(churn_dates[churn_date], churn_date).to_numpy(),
                           index=check_no_missing(churn_dates[key], f"churn_dates['{key}']"))
    elif isinstance(churn_dates, pd.Series):
        lookup = check_datetime(churn_dates, "churn_dates")
    else:
        raise TypeError("`churn_dates` must be a DataFrame with columns "
                        f"{key} and {churn_date}, or a Series of dates indexed by {key}, but a "
                        f"{type(churn_dates).__name__} was passed.")
    check_unique(lookup.index, "churn_dates")
    ids = surveys[key]
    if len(lookup) and not ids.isin(lookup.index).any():
        warnings.warn(f"None of the {key} values in `surveys` appear in `churn_dates` (e.g. "
                      f"{ids.iloc[0]!r} vs {lookup.index[0]!r}), so nobody is flagged as "
                      "leaving. Do the ids use the same format?", UserWarning, stacklevel=2)
    gone = pd.to_datetime(ids.map(lookup))
    horizon = pd.Timedelta(days=int(horizon_days))
    out = surveys.copy()
    out["left_within"] = ((gone > when) & (gone <= when + horizon)).to_numpy(dtype=bool)
    return out


def _thresholds(satisfied_min, low, high):
    """One number, or a list of distinct numbers, each inside the answer scale."""
    if isinstance(satisfied_min, (str, bytes, dict)) or not np.iterable(satisfied_min):
        check_number(satisfied_min, "satisfied_min", low=low, high=high)
        return satisfied_min
    values = list(satisfied_min)
    if not values:
        raise ValueError("`satisfied_min` is empty: give at least one threshold, e.g. "
                         "range(4, 8).")
    for v in values:
        check_number(v, "satisfied_min", low=low, high=high)
    if len(set(values)) < len(values):
        raise ValueError(f"`satisfied_min` lists a threshold twice: {values}.")
    return values


def _trap_row(sat, out):
    both = int((sat & out).sum())
    return {
        "responses": len(sat), "satisfied": int(sat.sum()), "left": int(out.sum()),
        "satisfied_and_left": both,
        "satisfied_who_left": _ratio(both, sat.sum()),
        "leavers_who_were_satisfied": _ratio(both, out.sum()),
        "unsatisfied_who_left": _ratio(int((~sat & out).sum()), (~sat).sum()),
        "all_who_left": _ratio(int(out.sum()), len(sat)),
    }


def _ratio(part, whole):
    return float(part / whole) if whole else float("nan")
