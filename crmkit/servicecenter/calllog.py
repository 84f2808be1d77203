"""From a call log to a staffing plan: arrivals by slot, agents needed, abandonment, service level.

Textbook: chapter 8, 现代物流客户服务中心的建设 (第三节 人员管理 — 业务管理).
Notebook: notebooks/08_service_center.ipynb. Units in the names: calls_per_hour, aht_s and every waiting time in seconds (answer_within_s, asa_s).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    by_result, check_bool, check_by, check_choice, check_columns, check_datetime, check_fraction,
    check_frame, check_non_negative, check_number, group_keys,
)
from crmkit.servicecenter.erlang import (
    SECONDS_PER_HOUR, ANSWER_WITHIN_S, SERVICE_LEVEL_TARGET, agents_needed, asa, occupancy,
    service_level,
)

__all__ = ['staffing_plan', 'abandonment_rate', 'observed_service_level']

_SLOTS = {"hour": ["hour"], "weekday": ["weekday"], "weekday_hour": ["weekday", "hour"]}
#: ``by`` names a call log may use without such a column: made from the arrival time.
_DERIVED = ("hour", "weekday", "date")

def staffing_plan(calls: pd.DataFrame, *, slot: str = "hour", target: float = SERVICE_LEVEL_TARGET,
                  answer_within_s: float = ANSWER_WITHIN_S, aht_s: float | None = None,
                  shrinkage: float = 0.0, date: str = "arrived_at", handle: str = "handle_s",
                  abandoned: str = "abandoned") -> pd.DataFrame:
    """Agents needed per hour of the day (or weekday × hour) from a call log.

    Arrival rate per slot = calls offered in that slot (abandoned ones included) / number of calendar
    days of that kind in the observed period, so a quiet day still counts. AHT = mean ``handle`` of
    answered calls, one value for the whole log unless given. Scheduled agents add ``shrinkage``
    (breaks, training, absence): ``ceil(agents / (1 − shrinkage))``.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per call with ``date``, ``handle`` and ``abandoned``.
    slot : {"hour", "weekday", "weekday_hour"}
        Slots. ``weekday`` is 0 = Monday … 6 = Sunday; ``"weekday"`` alone gives the rate per hour
        averaged over the 24 hours of that weekday.
    target, answer_within_s : float
        Service-level standard, e.g. 0.8 within 20 s.
    aht_s : float, optional
        Handle time in seconds to use instead of the log's mean.
    shrinkage : float
        Share of paid time agents are not available, in [0, 1).
    date, handle, abandoned : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per slot (all 24 hours, or 7 × 24): ``calls`` (observed), ``days``, ``calls_per_hour``
        (calls/h), ``aht_s``, ``traffic_erlangs``, ``agents``, ``scheduled_agents``, ``service_level``,
        ``asa_s``, ``occupancy``.

    Examples
    --------
    >>> log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
    ...                                                   "2025-11-04 09:05", "2025-11-04 14:00"]),
    ...                     "handle_s": [300.0, 180.0, 240.0, 0.0],
    ...                     "abandoned": [False, False, False, True]})
    >>> plan = staffing_plan(log)
    >>> plan.loc[9, ["calls", "days", "calls_per_hour", "aht_s", "agents"]].tolist()
    [3.0, 2.0, 1.5, 240.0, 1.0]
    """
    check_frame(calls, "calls")
    check_choice("slot", tuple(_SLOTS), slot)
    check_columns(calls, [date, handle, abandoned], "calls")
    check_fraction(shrinkage, "shrinkage", open_interval=False)
    if shrinkage >= 1:
        raise ValueError("`shrinkage` must be below 1 (1 would mean agents are never available).")
    times = check_datetime(calls[date], date)
    if times.isna().any():
        raise ValueError(f"`{date}` has {int(times.isna().sum())} missing time(s); drop them first.")
    handled = check_non_negative(calls[handle], handle)
    gave_up = check_bool(calls[abandoned], abandoned)
    if aht_s is None:
        answered = handled[~gave_up]
        if answered.empty or answered.mean() <= 0:
            raise ValueError("`calls` has no answered call with a handle time, so the AHT is unknown; "
                             "pass `aht_s=` in seconds.")
        aht_s = float(answered.mean())
    check_number(aht_s, "aht_s", low=0)

    days = pd.date_range(times.min().normalize(), times.max().normalize(), freq="D")
    slots = pd.DataFrame({"weekday": times.dt.day_of_week.to_numpy(), "hour": times.dt.hour.to_numpy()})
    keys = _SLOTS[slot]
    counts = slots.groupby(keys).size()
    per_weekday = pd.Series(days.day_of_week).value_counts()
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    if slot != "weekday_hour":
        grid = pd.Index(range(24 if slot == "hour" else 7), name=slot)
    weekday = grid.get_level_values("weekday") if slot != "hour" else None
    n_days = (pd.Series(float(len(days)), index=grid) if weekday is None else
              pd.Series(per_weekday.reindex(weekday, fill_value=0).to_numpy(float), index=grid))
    hours_per_slot = 24.0 if slot == "weekday" else 1.0
    plan = pd.DataFrame({"calls": counts.reindex(grid, fill_value=0).astype(float), "days": n_days})
    seen = plan["days"] > 0
    plan["calls_per_hour"] = np.where(seen, plan["calls"] / plan["days"].where(seen, 1) / hours_per_slot, 0.0)
    plan["aht_s"] = aht_s
    plan["traffic_erlangs"] = plan["calls_per_hour"] * aht_s / SECONDS_PER_HOUR
    rates = plan["calls_per_hour"].tolist()
    agents = [agents_needed(r, aht_s, target=target, answer_within_s=answer_within_s) for r in rates]
    plan["agents"] = agents
    plan["scheduled_agents"] = np.ceil(np.asarray(agents) / (1 - shrinkage) - 1e-9).astype(int)
    plan["service_level"] = [service_level(r, aht_s, n, answer_within_s) for r, n in zip(rates, agents)]
    plan["asa_s"] = [asa(r, aht_s, n) for r, n in zip(rates, agents)]
    plan["occupancy"] = [occupancy(r, aht_s, n) for r, n in zip(rates, agents)]
    return plan

@fill_doc
def abandonment_rate(calls: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                     abandoned: str = "abandoned", date: str = "arrived_at") -> pd.Series | pd.DataFrame:
    """Share of offered calls where the caller hung up before an agent answered.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per call.
    {by}
        ``"hour"``, ``"weekday"`` (0 = Monday) and ``"date"`` are made from ``date`` when the table
        has no such column.
    abandoned, date : str
        Column names.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``calls``, ``abandoned`` and ``abandon_rate`` (per group with ``by``).

    Examples
    --------
    >>> log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
    ...                                                   "2025-11-03 10:05", "2025-11-03 10:30"]),
    ...                     "abandoned": [False, True, False, False]})
    >>> abandonment_rate(log)
    calls           4.00
    abandoned       1.00
    abandon_rate    0.25
    Name: all, dtype: float64
    >>> abandonment_rate(log, by="hour")["abandon_rate"].tolist()
    [0.5, 0.0]
    """
    check_frame(calls, "calls")
    check_columns(calls, [abandoned], "calls")
    flag = check_bool(calls[abandoned], abandoned)
    by_cols = check_by(by, calls, "calls", derived=_DERIVED)
    grouped = flag.groupby(_call_groups(calls, by_cols, date), observed=True, sort=True,
                           dropna=False)
    out = pd.DataFrame({"calls": grouped.size(), "abandoned": grouped.sum().astype(int)})
    out["abandon_rate"] = out["abandoned"] / out["calls"]
    return by_result(out, by_cols)

@fill_doc
def observed_service_level(calls: pd.DataFrame, *, answer_within_s: float = ANSWER_WITHIN_S,
                           by: str | Sequence[str] | None = None, date: str = "arrived_at",
                           wait: str = "wait_s", abandoned: str = "abandoned",
                           ) -> pd.Series | pd.DataFrame:
    """Service level measured in a call log: share of offered calls answered within ``answer_within_s``.

    ``SL = answered with wait ≤ answer_within_s / offered calls`` (textbook ch. 8 §3, 业务管理: checking
    the service standard). **Convention:** every offered call is in the denominator and an abandoned
    call counts as *not* answered in time, even if the caller hung up within the threshold. (Some
    centres leave out very short abandons; this function does not.) The result is comparable with
    :func:`service_level` and :func:`simulate_queue`, which also count all offered calls.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per offered call with ``wait`` (seconds, ≥ 0; may be missing for abandoned calls
        only) and ``abandoned``.
    answer_within_s : float
        Threshold in seconds (20 for the 80/20 standard); a wait equal to it is in time.
    {by}
        ``"hour"``, ``"weekday"`` (0 = Monday) and ``"date"`` are made from ``date`` when the table
        has no such column (as in :func:`abandonment_rate`).
    date, wait, abandoned : str
        Column names.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        With ``by=None`` a Series (like :func:`simulate_queue`): ``calls`` (offered), ``answered``,
        ``answered_in_time``, ``abandoned``, ``service_level``; otherwise these columns per group.

    See Also
    --------
    service_level : the Erlang C forecast of the same share.
    abandonment_rate : abandoned / offered calls.

    Examples
    --------
    >>> log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
    ...                                                   "2025-11-03 10:05", "2025-11-03 10:30"]),
    ...                     "wait_s": [5.0, 12.0, 45.0, 20.0],
    ...                     "abandoned": [False, True, False, False]})
    >>> observed_service_level(log).tolist()   # 09:10 and 10:30 in time; 09:40 hung up; 10:05 late
    [4.0, 3.0, 2.0, 1.0, 0.5]
    >>> observed_service_level(log, by="hour")["service_level"].tolist()
    [0.5, 0.5]
    """
    check_frame(calls, "calls")
    check_number(answer_within_s, "answer_within_s", low=0)
    check_columns(calls, [wait, abandoned], "calls")
    gave_up = check_bool(calls[abandoned], abandoned)
    waited = calls[wait]
    if pd.api.types.is_bool_dtype(waited) or not pd.api.types.is_numeric_dtype(waited):
        raise TypeError(f"`{wait}` must hold waiting times in seconds, but it has dtype {waited.dtype}.")
    missing = waited.isna() & ~gave_up
    if missing.any():
        raise ValueError(f"`{wait}` is missing for {int(missing.sum())} answered call(s); every answered "
                         "call needs its waiting time.")
    check_non_negative(waited.dropna(), wait)
    frame = pd.DataFrame({"calls": 1, "answered": (~gave_up).astype(int),
                          "answered_in_time": (~gave_up & (waited <= answer_within_s)).astype(int),
                          "abandoned": gave_up.astype(int)}, index=calls.index)
    by_cols = check_by(by, calls, "calls", derived=_DERIVED)
    out = frame.groupby(_call_groups(calls, by_cols, date), observed=True, sort=True,
                        dropna=False).sum()
    out["service_level"] = out["answered_in_time"] / out["calls"]
    return by_result(out, by_cols)

def _call_groups(calls, by_cols, arrived):
    """Group keys for a call log: existing columns, or hour / weekday / date made from ``arrived``;
    one constant key without ``by_cols``."""
    if not by_cols:
        return group_keys(calls, by_cols)
    keys = []
    for col in by_cols:
        if col in calls.columns:
            keys.append(calls[col])
        elif col in _DERIVED:
            check_columns(calls, [arrived], "calls")
            times = check_datetime(calls[arrived], arrived)
            part = {"hour": times.dt.hour, "weekday": times.dt.day_of_week, "date": times.dt.normalize()}
            keys.append(part[col].rename(col))
        else:
            check_columns(calls, [col], "calls")
    return keys
