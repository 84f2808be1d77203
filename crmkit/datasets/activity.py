"""Service-centre calls and customer touchpoints (contacts), all from numpy.

Calls arrive with a planted hour-of-day profile (peaks at 10:00 and 15:00) and weekday pattern
(Monday busiest); waiting follows Erlang C for the agents on duty, with callers hanging up when
their patience runs out. Contacts trace each customer's relationship: 初次接触 → 询价 → (拜访) → 试单
→ orders → 回访, and 转介绍 for loyal customers; prospects stop before the trial order (a first
contact, perhaps an inquiry and a visit) or were never contacted. Prospects do not call.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import cat, ids

__all__ = ["make_calls", "make_contacts", "expected_calls", "erlang_c"]

#: Reason shares (查询, 下单, 投诉, 咨询) and median handle time (s) per reason.
REASON_SHARES = (0.45, 0.20, 0.10, 0.25)
HANDLE_MEDIAN_S = (150.0, 300.0, 420.0, 200.0)
#: Mean handle time used for staffing (s), service-level goal and patience.
AHT_S = 240.0
OCCUPANCY_PLAN = 0.75     # planned agent occupancy off-peak
OCCUPANCY_PEAK = 0.85     # peak hours are run tighter, so waits and abandonment rise there
PATIENCE_MEAN_S = 400.0
MIN_AGENTS = 2            # the night shift is never left to one agent
#: Share of callers the system identifies (customer_id known).
IDENTIFIED_SHARE = 0.70


def expected_calls(n_calls: int) -> np.ndarray:
    """Expected calls in each hour of the eight weeks, shape (CALLS_DAYS, 24)."""
    dow = (pd.date_range(C.CALLS_START, periods=C.CALLS_DAYS, freq="D").day_of_week).to_numpy()
    lam = np.asarray(C.WEEKDAY_FACTOR)[dow][:, None] * np.asarray(C.HOURLY_PROFILE)[None, :]
    return lam / lam.sum() * n_calls


def erlang_c(agents: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Probability an arriving call waits (Erlang C) for ``agents`` and offered ``load`` (Erlangs)."""
    agents = np.asarray(agents, dtype=np.int64)
    load = np.asarray(load, dtype=float)
    # Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)), then C from B.
    b = np.ones_like(load)
    for k in range(1, int(agents.max()) + 1):
        step = load * b / (k + load * b)
        b = np.where(k <= agents, step, b)
    rho = load / np.maximum(agents, 1)
    c = b / (1 - rho + rho * b)
    return np.where(rho < 1, c, 1.0)


def make_calls(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
               config: C.Config) -> tuple[pd.DataFrame, dict]:
    """The ``calls`` table and the expected calls per hour (the planted profile)."""
    n, loc = config.sizes["calls"], config.locale
    lam = expected_calls(n)
    counts = rng.multinomial(n, (lam / lam.sum()).ravel())
    cell = np.repeat(np.arange(lam.size), counts)
    start_s = int(np.datetime64(C.CALLS_START, "s").astype(np.int64))
    arrive = start_s + cell * 3600 + rng.integers(0, 3600, n)
    order = np.argsort(arrive, kind="stable")
    arrive, cell = arrive[order], cell[order]

    load = lam.ravel() * AHT_S / 3600.0
    peak = np.isin(np.tile(np.arange(24), C.CALLS_DAYS), C.CALL_PEAK_HOURS)
    occupancy = np.where(peak, OCCUPANCY_PEAK, OCCUPANCY_PLAN)
    agents = np.maximum(MIN_AGENTS, np.ceil(load / occupancy)).astype(np.int64)
    p_wait = erlang_c(agents, load)
    drain = np.maximum(agents / AHT_S - lam.ravel() / 3600.0, 1.0 / 600.0)  # 1/s
    waits = rng.random(n) < p_wait[cell]
    wait = np.where(waits, rng.exponential(1.0 / drain[cell]), 0.0)
    patience = rng.exponential(PATIENCE_MEAN_S, n)
    abandoned = waits & (wait > patience)
    wait = np.round(np.where(abandoned, patience, wait))
    reason = rng.choice(4, size=n, p=REASON_SHARES)
    handle = np.round(rng.lognormal(np.log(np.asarray(HANDLE_MEDIAN_S)[reason]), 0.5))
    handle = np.where(abandoned, 0.0, np.maximum(handle, 20.0))

    end_day = int(np.datetime64(C.CALLS_START, "D").astype(np.int64)) + C.CALLS_DAYS
    churn = state["churn_day"].to_numpy()
    active = ((churn < 0) | (churn > end_day - C.CALLS_DAYS)) & ~state["prospect"].to_numpy()
    w = active * state["volume"].to_numpy()
    who = rng.choice(len(state), size=n, p=w / w.sum())
    known = rng.random(n) < IDENTIFIED_SHARE
    cust = np.where(known, customers["customer_id"].to_numpy()[who], None)
    calls = pd.DataFrame({
        "call_id": pd.array(ids("CL-", n, 7), dtype="str"),
        "customer_id": pd.array(cust, dtype="str"),
        "arrived_at": arrive.astype("datetime64[s]"),
        "wait_s": wait,
        "handle_s": handle,
        "abandoned": abandoned,
        "reason": cat(reason, "reason", loc),
    })
    return calls, {"expected": lam, "agents": agents.reshape(lam.shape)}


# Touchpoint channels (电话, 邮件, 微信, 网站, 客户经理, 展会) per kind of contact.
CHANNEL_BY_KIND = np.array([
    [0.30, 0.05, 0.10, 0.20, 0.10, 0.25],   # 初次接触
    [0.35, 0.20, 0.25, 0.15, 0.05, 0.00],   # 询价
    [0.00, 0.00, 0.00, 0.00, 1.00, 0.00],   # 拜访
    [0.40, 0.10, 0.30, 0.20, 0.00, 0.00],   # 试单
    [0.40, 0.05, 0.25, 0.00, 0.30, 0.00],   # 回访
    [0.20, 0.00, 0.40, 0.00, 0.40, 0.00],   # 转介绍
])
#: Days between follow-up calls (回访) per true tier (关键, 合适, 一般).
FOLLOW_UP_DAYS = (60, 120, 240)
#: Share of prospects who were visited after an inquiry.
PROSPECT_VISIT_SHARE = 0.35


def make_contacts(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                  config: C.Config) -> tuple[pd.DataFrame, np.ndarray]:
    """The ``contacts`` table and each customer's relationship stage at the reference date.

    Stages (表1-2), as the default rule of ``crmkit.classify.relationship_stage`` reads them:
    prospects are 陌生人 (no contact), 点头之交 (a first contact only) or 朋友 (an inquiry, perhaps a
    visit); ordering customers are 客户, or 忠诚者 if planted loyal (``state["loyal"]``, a latent:
    loyal customers mostly refer others and rarely pause, see ``customers.plant_pauses``; the
    rule of ``crmkit.classify.relationship_stage`` recovers most of them, not all).
    """
    asof = int(np.datetime64(C.ASOF, "D").astype(np.int64))
    first, churn = state["start_day"].to_numpy(), state["churn_day"].to_numpy()
    stop = np.where(churn >= 0, churn, asof)
    tier, loyal = state["tier"].to_numpy(), state["loyal"].to_numpy()
    prospect = state["prospect"].to_numpy()
    parts = _first_contacts(rng, first, tier, ~prospect)
    parts.append(_follow_ups(rng, first, stop, tier, ~prospect, asof))
    parts.append(_referrals(rng, first, stop, loyal, ~prospect))
    p_stage, prospect_parts = _prospect_contacts(rng, prospect, asof)
    contacts = _contact_frame(rng, customers, parts + prospect_parts, config.locale)
    stage = np.where(prospect, p_stage, np.where(loyal, 4, 3))
    return contacts, stage


def _part(mask: np.ndarray, day, kind: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer index, day, kind code) of one kind of contact for the customers in ``mask``."""
    return np.flatnonzero(mask), np.asarray(day)[mask], np.full(int(mask.sum()), kind)


def _first_contacts(rng: np.random.Generator, first: np.ndarray, tier: np.ndarray,
                    ordering: np.ndarray) -> list:
    """Ordering customers: first contact, inquiry, (visit: key customers mostly), trial order =
    first order."""
    m = len(first)
    parts = [_part(ordering, first - rng.integers(60, 300, m), 0),
             _part(ordering, first - rng.integers(15, 60, m), 1)]
    visited = (rng.random(m) < np.array([0.95, 0.7, 0.35])[tier]) & ordering
    parts.append(_part(visited, first - rng.integers(3, 15, m), 2))
    parts.append(_part(ordering, first, 3))
    return parts


def _follow_ups(rng: np.random.Generator, first: np.ndarray, stop: np.ndarray, tier: np.ndarray,
                ordering: np.ndarray, asof: int) -> tuple:
    """Follow-ups (回访) every FOLLOW_UP_DAYS (jittered) from the first order to leaving/asof, only
    over the last three years to keep the table small."""
    gap = np.asarray(FOLLOW_UP_DAYS)[tier]
    begin = np.maximum(first, asof - 3 * 365)
    n_follow = np.where(ordering, np.maximum(0, (stop - begin) // gap), 0)
    who = np.repeat(np.arange(len(first)), n_follow)
    k = np.arange(len(who)) - np.repeat(np.cumsum(n_follow) - n_follow, n_follow)
    day = begin[who] + (k + 1) * gap[who] - rng.integers(0, 20, len(who))
    return who, day, np.full(len(who), 4)


def _referrals(rng: np.random.Generator, first: np.ndarray, stop: np.ndarray, loyal: np.ndarray,
               ordering: np.ndarray) -> tuple:
    """Customers refer others (转介绍) once or twice after their first year: loyal ones mostly, a
    few others too (the 忠诚者 rule then mistakes the frequent shippers among them)."""
    m = len(first)
    refers = (rng.random(m) < np.where(loyal, C.REFER_P[1], C.REFER_P[0])) & ordering \
        & (stop - first > 365)
    n_ref = np.where(refers, 1 + (rng.random(m) < 0.4), 0)
    who = np.repeat(np.arange(m), n_ref)
    day = first[who] + 365 + (rng.random(len(who)) * (stop[who] - first[who] - 365)).astype(np.int64)
    return who, day, np.full(len(who), 5)


def _prospect_contacts(rng: np.random.Generator, prospect: np.ndarray, asof: int):
    """Prospects' stage codes, 陌生人 (never contacted), 点头之交 (first contact) or 朋友 (inquiry,
    perhaps a visit), and their contacts."""
    m = len(prospect)
    p_stage = rng.choice(3, size=m, p=C.PROSPECT_STAGE_SHARES)
    p_first = asof - rng.integers(20, 700, m)
    p_inquiry = p_first + 1 + (rng.random(m) * (asof - p_first)).astype(np.int64)
    p_visit = np.minimum(p_inquiry + rng.integers(3, 30, m), asof)
    parts = [_part(prospect & (p_stage >= 1), p_first, 0),
             _part(prospect & (p_stage == 2), p_inquiry, 1)]
    parts.append(_part(prospect & (p_stage == 2) & (rng.random(m) < PROSPECT_VISIT_SHARE),
                       p_visit, 2))
    return p_stage, parts


def _contact_frame(rng: np.random.Generator, customers: pd.DataFrame, parts: list,
                   loc: str) -> pd.DataFrame:
    """The contacts table in date order, with a channel drawn per kind of contact."""
    cust, day, kind = (np.concatenate(p) for p in zip(*parts))
    order = np.lexsort((kind, cust, day))
    cust, day, kind = cust[order], day[order], kind[order]
    channel = (rng.random(len(kind))[:, None] > np.cumsum(CHANNEL_BY_KIND[kind], axis=1)[:, :-1]
               ).sum(axis=1)
    return pd.DataFrame({
        "contact_id": pd.array(ids("CT-", len(cust), 7), dtype="str"),
        "customer_id": pd.array(customers["customer_id"].to_numpy()[cust], dtype="str"),
        "contact_date": day.astype("datetime64[D]").astype("datetime64[s]"),
        "channel": cat(channel, "contact_channel", loc),
        "kind": cat(kind, "kind", loc),
    })
