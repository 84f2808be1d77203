"""From a call log to a staffing plan: arrivals by slot, agents needed, abandonment, service level.

Textbook: chapter 8, 现代物流客户服务中心的建设 (第三节 人员管理 — 业务管理).
Notebook: notebooks/08_service_center.ipynb. Units: arrival_rate in calls per hour, aht and waits in seconds.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_bool, check_choice, check_columns, check_datetime, check_fraction, check_frame,
    check_non_negative, check_number,
)
from crmkit.servicecenter.erlang import (
    SECONDS_PER_HOUR, ANSWER_WITHIN_S, SERVICE_LEVEL_TARGET, agents_needed, asa, occupancy,
    service_level,
)

__all__ = ['staffing_plan', 'abandonment_rate', 'observed_service_level']

_SLOTS = {"hour": ["hour"], "weekday": ["weekday"], "weekday_hour": ["weekday", "hour"]}

def staffing_plan(calls, *, by="hour", target=SERVICE_LEVEL_TARGET, answer_within=ANSWER_WITHIN_S,
                  aht=None, shrinkage=0.0, arrived="arrived_at", handle="handle_s",
                  abandoned="abandoned"):
    """Agents needed per hour of the day (or weekday × hour) from a call log.

    Arrival rate per slot = calls offered in that slot (abandoned ones included) / number of calendar
    days of that kind in the observed period, so a quiet day still counts. AHT = mean ``handle`` of
    answered calls, one value for the whole log unless given. Scheduled agents add ``shrinkage``
    (breaks, training, absence): ``ceil(agents / (1 − shrinkage))``.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per call with ``arrived``, ``handle`` and ``abandoned``.
    by : {"hour", "weekday", "weekday_hour"}
        Slots. ``weekday`` is 0 = Monday … 6 = Sunday; ``"weekday"`` alone gives the rate per hour
        averaged over the 24 hours of that weekday.
    target, answer_within : float
        Service-level standard, e.g. 0.8 within 20 s.
    aht : float, optional
        Handle time in seconds to use instead of the log's mean.
    shrinkage : float
        Share of paid time agents are not available, in [0, 1).
    arrived, handle, abandoned : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per slot (all 24 hours, or 7 × 24): ``calls`` (observed), ``days``, ``arrival_rate``
        (calls/h), ``aht_s``, ``traffic_erlangs``, ``agents``, ``scheduled_agents``, ``service_level``,
        ``asa_s``, ``occupancy``.

    Examples
    --------
    >>> log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
    ...                                                   "2025-11-04 09:05", "2025-11-04 14:00"]),
    ...                     "handle_s": [300.0, 180.0, 240.0, 0.0],
    ...                     "abandoned": [False, False, False, True]})
    >>> plan = staffing_plan(log)
    >>> plan.loc[9, ["calls", "days", "arrival_rate", "aht_s", "agents"]].tolist()
    [3.0, 2.0, 1.5, 240.0, 1.0]
    """
    check_frame(calls, "calls")
    check_choice("by", tuple(_SLOTS), by)
    check_columns(calls, [arrived, handle, abandoned], "calls")
    check_fraction(shrinkage, "shrinkage", open_interval=False)
    if shrinkage >= 1:
        raise ValueError("`shrinkage` must be below 1 (1 would mean agents are never available).")
    times = check_datetime(calls[arrived], arrived)
    if times.isna().any():
        raise ValueError(f"`{arrived}` has {int(times.isna().sum())} missing time(s); drop them first.")
    handled = check_non_negative(calls[handle], handle)
    gave_up = check_bool(calls[abandoned], abandoned)
    if aht is None:
        answered = handled[~gave_up]
        if answered.empty or answered.mean() <= 0:
            raise ValueError("`calls` has no answered call with a handle time, so the AHT is unknown; "
                             "pass `aht=` in seconds.")
        aht = float(answered.mean())
    check_number(aht, "aht", low=0)

    days = pd.date_range(times.min().normalize(), times.max().normalize(), freq="D")
    slots = pd.DataFrame({"weekday": times.dt.day_of_week.to_numpy(), "hour": times.dt.hour.to_numpy()})
    keys = _SLOTS[by]
    counts = slots.groupby(keys).size()
    per_weekday = pd.Series(days.day_of_week).value_counts()
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    if by != "weekday_hour":
        grid = pd.Index(range(24 if by == "hour" else 7), name=by)
    weekday = grid.get_level_values("weekday") if by != "hour" else None
    n_days = (pd.Series(float(len(days)), index=grid) if weekday is None else
              pd.Series(per_weekday.reindex(weekday, fill_value=0).to_numpy(float), index=grid))
    hours_per_slot = 24.0 if by == "weekday" else 1.0
    plan = pd.DataFrame({"calls": counts.reindex(grid, fill_value=0).astype(float), "days": n_days})
    seen = plan["days"] > 0
    plan["arrival_rate"] = np.where(seen, plan["calls"] / plan["days"].where(seen, 1) / hours_per_slot, 0.0)
    plan["aht_s"] = aht
    plan["traffic_erlangs"] = plan["arrival_rate"] * aht / SECONDS_PER_HOUR
    rates = plan["arrival_rate"].tolist()
    agents = [agents_needed(r, aht, target=target, answer_within=answer_within) for r in rates]
    plan["agents"] = agents
    plan["scheduled_agents"] = np.ceil(np.asarray(agents) / (1 - shrinkage) - 1e-9).astype(int)
    plan["service_level"] = [service_level(r, aht, n, answer_within) for r, n in zip(rates, agents)]
    plan["asa_s"] = [asa(r, aht, n) for r, n in zip(rates, agents)]
    plan["occupancy"] = [occupancy(r, aht, n) for r, n in zip(rates, agents)]
    return plan

def abandonment_rate(calls, *, by=None, abandoned="abandoned", arrived="arrived_at"):
    """Share of offered calls where the caller hung up before an agent answered.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per call.
    by : str or list of str, optional
        Grouping column(s); ``"hour"``, ``"weekday"`` (0 = Monday) and ``"date"`` are made from
        ``arrived`` when the table has no such column.
    abandoned, arrived : str
        Column names.

    Returns
    -------
    float or pandas.DataFrame
        A float with ``by=None``; otherwise ``calls``, ``abandoned`` and ``abandon_rate`` per group.

    Examples
    --------
    >>> log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
    ...                                                   "2025-11-03 10:05", "2025-11-03 10:30"]),
    ...                     "abandoned": [False, True, False, False]})
    >>> abandonment_rate(log)
    0.25
    >>> abandonment_rate(log, by="hour")["abandon_rate"].tolist()
    [0.5, 0.0]
    """
    check_frame(calls, "calls")
    check_columns(calls, [abandoned], "calls")
    flag = check_bool(calls[abandoned], abandoned)
    if by is None:
        return float(flag.mean())
    grouped = flag.groupby(_call_groups(calls, by, arrived), observed=True, sort=True, dropna=False)
    out = pd.DataFrame({"calls": grouped.size(), "abandoned": grouped.sum().astype(int)})
    out["abandon_rate"] = out["abandoned"] / out["calls"]
    return out

def observed_service_level(calls, *, answer_within=ANSWER_WITHIN_S, by=None, arrived="arrived_at",
                           wait="wait_s", abandoned="abandoned"):
    """Service level measured in a call log: share of offered calls answered within ``answer_within``.

    ``SL = answered with wait ≤ answer_within / offered calls`` (textbook ch. 8 §3, 业务管理: checking
    the service standard). **Convention:** every offered call is in the denominator and an abandoned
    call counts as *not* answered in time, even if the caller hung up within the threshold. (Some
    centres leave out very short abandons; this function does not.) The result is comparable with
    :func:`service_level` and :func:`simulate_queue`, which also count all offered calls.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per offered call with ``wait`` (seconds, ≥ 0; may be missing for abandoned calls
        only) and ``abandoned``.
    answer_within : float
        Threshold in seconds (20 for the 80/20 standard); a wait equal to it is in time.
    by : str or list of str, optional
        Grouping column(s); ``"hour"``, ``"weekday"`` (0 = Monday) and ``"date"`` are made from
        ``arrived`` when the table has no such column (as in :func:`abandonment_rate`).
    arrived, wait, abandoned : str
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
    check_number(answer_within, "answer_within", low=0)
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
                          "answered_in_time": (~gave_up & (waited <= answer_within)).astype(int),
                          "abandoned": gave_up.astype(int)}, index=calls.index)
    if by is None:
        out = frame.sum().astype(float)
        out["service_level"] = out["answered_in_time"] / out["calls"]
        return out
    out = frame.groupby(_call_groups(calls, by, arrived), observed=True, sort=True, dropna=False).sum()
    out["service_level"] = out["answered_in_time"] / out["calls"]
    return out

def _call_groups(calls, by, arrived):
    """Group keys for a call log: existing columns, or hour / weekday / date made from ``arrived``."""
    by_cols = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple)) else None
    if by_cols is None:
        raise TypeError(f"`by` must be a column name or a list of column names, not {by!r}.")
    keys = []
    for col in by_cols:
        if col in calls.columns:
            keys.append(calls[col])
        elif col in ("hour", "weekday", "date"):
            check_columns(calls, [arrived], "calls")
            times = check_datetime(calls[arrived], arrived)
            part = {"hour": times.dt.hour, "weekday": times.dt.day_of_week, "date": times.dt.normalize()}
            keys.append(part[col].rename(col))
        else:
            check_columns(calls, [col], "calls")
    return keys
