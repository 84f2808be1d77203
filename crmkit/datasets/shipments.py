"""Shipments: whole columns from numpy, no Faker, so a million rows take about a second.

Revenue follows a simple tariff per service (weight x distance with a minimum charge; cold chain
dearer), cost follows a cost model per service times each customer's cost-to-serve, which is set so
that the true tiers hold 80 / 15 / 5 % of the profit (表1-1) and the D customers, inside the general
tier, lose 16 % of it (20 % of the key customers' profit, ch.5): many small consignments, a high
cost to serve (claims, disputes, bad debt). Prospects have no shipments. On-time delivery depends on service,
time window, route and season, so delivery performance differs by route (chapter 9).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import DAY_MIN, allocate, cat, logit, sigmoid
from crmkit.datasets.customers import SERVICE_MIX, first_order_days
from crmkit.datasets.geography import CITIES, distance_matrix

__all__ = ["make_shipments", "day_weights"]

# Weight per shipment (kg): log-normal median and spread per service (整车, 零担, 快递, 仓储, 冷链).
WEIGHT_MEDIAN = (12_000.0, 350.0, 2.5, 800.0, 1_500.0)
WEIGHT_SIGMA = (0.5, 0.9, 0.8, 1.0, 0.9)
WEIGHT_CLIP = ((2_000, 32_000), (30, 5_000), (0.1, 50), (20, 20_000), (50, 20_000))
# Share of shipments delivered inside the origin city (local distribution).
LOCAL_SHARE = (0.05, 0.08, 0.10, 0.80, 0.10)
# Probability of each delivery window (上午, 下午, 夜间) per service.
WINDOW_MIX = np.array([[0.30, 0.30, 0.40], [0.40, 0.45, 0.15], [0.45, 0.45, 0.10],
                       [0.45, 0.45, 0.10], [0.35, 0.25, 0.40]])
WINDOW_HOURS = ((8, 12), (13, 18), (23, 25))   # 夜间 23:00-01:00, as in the HAVI case
# Mean lateness (hours) of a late delivery per service.
LATE_MEAN_H = (10.0, 20.0, 14.0, 8.0, 8.0)
# Declared value per kg (yuan) by industry (制造, 零售, 电商, 医药, 汽车, 食品冷链, 化工, 电子).
VALUE_PER_KG = (40.0, 60.0, 120.0, 400.0, 80.0, 30.0, 15.0, 500.0)
# Base cost as a share of list revenue per service, before the customer's cost-to-serve factor.
COST_RATIO = (0.84, 0.86, 0.88, 0.80, 0.86)
# Margin (profit / revenue) of the key customers, mean and sd: it sets the total profit (their 80 %).
KEY_MARGIN = (0.20, 0.04)
# Within a tier, profit grows with revenue ** PROFIT_ELASTICITY (big customers get volume discounts,
# so they earn more, but less than in proportion) times a log-normal spread; no customer earns more
# than MARGIN_CAP of its revenue. This keeps the tiers apart when customers are ranked by profit.
PROFIT_ELASTICITY = 0.4
PROFIT_SIGMA = 0.25
MARGIN_CAP = 0.5
# D customers all lose money: margin (mean, sd) before scaling to their planted loss, at most
# D_MARGIN_MAX.
D_MARGIN = (-0.5, 0.15)
D_MARGIN_MAX = -0.05
# A few other general customers lose a little too (a big claim, an unlucky lane): share of the
# general customers other than D, and their margin range.
OTHER_LOSS_SHARE = 0.03
OTHER_LOSS_MARGIN = (-0.15, -0.01)
# Service mix of a D customer's consignments blended into its industry's mix: parcels and LTL.
D_SERVICE_MIX = (0.0, 0.45, 0.45, 0.10, 0.0)
D_MIX_WEIGHT = 0.85
REMOTE = ("拉萨", "乌鲁木齐", "西宁", "海口", "银川", "兰州")


def day_weights() -> np.ndarray:
    """Relative order volume of each day 2024-01-01..2025-12-31: weekdays, festivals, growth."""
    days = pd.date_range(C.HISTORY_START, C.HISTORY_END, freq="D")
    w = np.array([1.05, 1.05, 1.0, 1.0, 1.0, 0.6, 0.35])[days.day_of_week]
    for festival in ("2024-02-10", "2025-01-29"):  # Spring Festival: the country stops
        w[np.abs((days - pd.Timestamp(festival)).days) <= 7] *= 0.35
    w[(days.month == 11) & (days.day <= 15)] *= 1.4  # 双11 peak
    return w * (1 + 0.10 * np.arange(len(days)) / 365.0)


def _season_logit() -> np.ndarray:
    """On-time logit shift of each day of the history: 双11 and Spring Festival strain the network."""
    days = pd.date_range(C.HISTORY_START, C.HISTORY_END, freq="D")
    out = np.zeros(len(days))
    out[(days.month == 11) & (days.day <= 15)] = -0.6
    for festival in ("2024-02-10", "2025-01-29"):
        out[np.abs((days - pd.Timestamp(festival)).days) <= 7] = -0.8
    return out


def _tariff(service, weight, dist, days):
    """List revenue (yuan) from the tariff of each service."""
    t = weight / 1000.0
    return np.select(
        [service == 0, service == 1, service == 2, service == 3, service == 4],
        [np.maximum(800.0, 300 + 4.5 * dist),                                  # 整车: per truck-km
         np.maximum(60.0, 30 + 0.45 * t * dist + 0.10 * weight),               # 零担: per t-km
         10.0 + 2.5 * np.maximum(np.ceil(weight) - 1, 0) * (1 + dist / 1500),  # 快递: first kg
         80.0 + 0.012 * weight * days + 0.15 * weight,                         # 仓储: kg-days
         np.maximum(500.0, 200 + 1.1 * t * dist + 0.30 * weight)])             # 冷链: dearer


def make_shipments(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                   config: C.Config):
    """The ``shipments`` table and a dict of planted facts (profit by tier, on-time by service)."""
    n_total, loc = config.sizes["shipments"], config.locale
    tier = state["tier"].to_numpy()
    dw = day_weights()
    last = len(dw) - 1
    d0 = C.HISTORY_START.to_datetime64().astype("datetime64[D]").astype(np.int64)
    lo = np.clip(state["start_day"].to_numpy() - d0, 0, last)
    churn = state["churn_day"].to_numpy()
    hi = np.where(churn >= 0, np.clip(churn - d0 - 1, 0, last), last)
    active = (np.maximum(hi, lo) - lo + 1) / len(dw)
    ordering = ~state["prospect"].to_numpy()
    loyal = state["loyal"].to_numpy()[ordering]
    # A loyal customer needs a first order and one in each quarter of the last year.
    minimum = np.where(loyal, C.LOYAL_QUARTERS + 1, 1)
    if minimum.sum() > n_total:
        minimum = np.ones_like(minimum)
    counts = np.zeros(len(state), dtype=np.int64)
    counts[ordering] = allocate(n_total, (state["volume"].to_numpy() * active)[ordering],
                                minimum=minimum)
    cust = np.repeat(np.arange(len(state)), counts)
    n = len(cust)
    day = first_order_days(rng, state, counts, dw)
    order = np.lexsort((rng.random(n), day))  # shipments numbered in order-date order
    cust, day = cust[order], day[order]

    mix = SERVICE_MIX[state["industry"].to_numpy()].copy()
    mix[tier == 0, 0] *= 1.5  # key customers move more full truckloads
    mix /= mix.sum(axis=1, keepdims=True)
    d_cust = state["d_customer"].to_numpy()
    mix[d_cust] = (1 - D_MIX_WEIGHT) * mix[d_cust] + D_MIX_WEIGHT * np.asarray(D_SERVICE_MIX)
    service = (rng.random(n)[:, None] > np.cumsum(mix[cust], axis=1)[:, :-1]).sum(axis=1)

    ncity = len(CITIES)
    city_w = np.array([c[7] for c in CITIES])
    city_p = city_w / city_w.sum()
    home = state["home"].to_numpy()[cust]
    origin = np.where(rng.random(n) < 0.7, home, rng.choice(ncity, n, p=city_p))
    local = rng.random(n) < np.asarray(LOCAL_SHARE)[service]
    dest = rng.choice(ncity, n, p=city_p)
    clash = (dest == origin) & ~local
    dest[clash] = (origin[clash] + 1 + rng.integers(0, ncity - 1, clash.sum())) % ncity
    dest[local] = origin[local]
    dist = distance_matrix()[origin, dest]
    dist = np.where(local, np.clip(rng.lognormal(np.log(25), 0.6, n), 3, 120), dist)
    dist = np.round(dist, 1)

    med, sig = np.asarray(WEIGHT_MEDIAN)[service], np.asarray(WEIGHT_SIGMA)[service]
    clip = np.asarray(WEIGHT_CLIP)[service]
    weight = np.clip(rng.lognormal(np.log(med), sig) * state["scale"].to_numpy()[cust],
                     clip[:, 0], clip[:, 1])
    weight = np.round(weight, 1)
    items = np.select([service == 0, service == 2],
                      [np.ceil(weight / 800.0) + rng.integers(0, 5, n), 1 + rng.poisson(0.4, n)],
                      1 + rng.poisson(np.minimum(weight / 60.0, 80.0))).astype(np.int64)
    value = np.round(weight * np.asarray(VALUE_PER_KG)[state["industry"].to_numpy()[cust]]
                     * rng.lognormal(0.0, 0.5, n))

    # Time: order hour, delivery window, promised and actual delivery (minutes since epoch).
    window = (rng.random(n)[:, None] > np.cumsum(WINDOW_MIX[service], axis=1)[:, :-1]).sum(axis=1)
    minute = np.clip(rng.normal(13 * 60, 150, n), 7 * 60, 21 * 60).astype(np.int64)
    lead = np.select([service == 0, service == 1, service == 2, service == 3],
                     [np.ceil(dist / 700), np.ceil(dist / 450) + 1,
                      np.select([dist < 300, dist < 1200], [1, 2], 3), np.ones(n)],
                     np.ceil(dist / 600))
    lead = np.maximum(lead, 1).astype(np.int64) + (minute >= 16 * 60)
    day_abs = d0 + day
    order_min = day_abs * DAY_MIN + minute
    w_start = np.asarray(WINDOW_HOURS)[window, 0] * 60
    w_end = np.asarray(WINDOW_HOURS)[window, 1] * 60
    promised = (day_abs + lead) * DAY_MIN + w_end

    remote = np.isin(np.array([c[0] for c in CITIES]), REMOTE) * -0.6
    route_fx = rng.normal(0.0, 0.35, (ncity, ncity))
    cust_fx = rng.normal(0.0, 0.2, len(state)) + 0.3 * (state["contract"].to_numpy() == 2)
    p_on = sigmoid(logit(np.asarray(C.ON_TIME_BASE))[service] + np.asarray(C.WINDOW_LOGIT)[window]
                   + route_fx[origin, dest] + remote[dest] + cust_fx[cust] + _season_logit()[day])
    lost = rng.random(n) < np.asarray(C.LOSS_RATE)[service]
    on_time = (rng.random(n) < p_on) & ~lost
    early = rng.random(n) * (w_end - w_start)
    late = (0.25 + rng.exponential(np.asarray(LATE_MEAN_H)[service])) * 60
    delivered = np.where(on_time, promised - early, promised + late).round()
    delivered = np.where(lost, np.nan, delivered)
    damaged = (rng.random(n) < np.asarray(C.DAMAGE_RATE)[service] * (1 + (dist > 1500) * 0.5)) & ~lost
    short = (rng.random(n) < 0.03) & (items >= 2) & ~lost
    delivered_items = np.where(short, items - rng.integers(1, np.maximum(items // 5, 1) + 1),
                               items)
    delivered_items = np.where(lost, 0, delivered_items).astype(np.int64)
    doc_error = rng.random(n) < np.asarray(C.DOC_ERROR_RATE)[service]

    # Money: list tariff less the customer's discount; cost calibrated to the planted profit.
    storage_days = np.clip(rng.lognormal(np.log(12), 0.6, n), 2, 60)
    discount = (np.array([0.0, 0.04, 0.08])[state["contract"].to_numpy()]
                + 0.06 * customers["price_sensitivity"].to_numpy())[cust]
    revenue = _tariff(service, weight, dist, storage_days) * (1 - discount) * rng.lognormal(0, 0.08, n)
    revenue = np.round(revenue, 2)
    base_cost = revenue * np.asarray(COST_RATIO)[service] * rng.lognormal(0, 0.10, n)
    cost, profit = _calibrate_cost(rng, cust, np.where(d_cust, 3, tier), ordering, revenue,
                                   base_cost)

    names = [c[0] if loc == "zh_CN" else c[3] for c in CITIES]
    route_code = origin * ncity + dest
    used = np.unique(route_code)
    route_labels = [f"{names[r // ncity]}-{names[r % ncity]}" for r in used]
    shipments = pd.DataFrame({
        "shipment_id": pd.array(_shipment_ids(n), dtype="str"),
        "customer_id": customers["customer_id"].to_numpy()[cust],
        "order_date": (order_min * 60).astype("datetime64[s]"),
        "service": cat(service, "service", loc),
        "origin_city": pd.Categorical.from_codes(origin, categories=names),
        "dest_city": pd.Categorical.from_codes(dest, categories=names),
        "route": pd.Categorical.from_codes(np.searchsorted(used, route_code), categories=route_labels),
        "time_window": cat(window, "time_window", loc),
        "weight_kg": weight,
        "distance_km": dist,
        "revenue": revenue,
        "cost": cost,
        "declared_value": value,
        "promised_at": (promised * 60).astype("datetime64[s]"),
        "delivered_at": _minutes_to_dt(delivered),
        "on_time": on_time,
        "items_ordered": items,
        "items_delivered": delivered_items,
        "in_full": delivered_items == items,
        "damaged": damaged,
        "lost": lost,
        "doc_error": doc_error,
    })
    shipments["customer_id"] = shipments["customer_id"].astype("str")
    planted = {
        "profit": profit,
        "revenue": np.bincount(cust, weights=revenue, minlength=len(state)),
        "p_on_time": p_on, "service": service, "window": window, "cust": cust, "day": day,
    }
    return shipments, planted


def _calibrate_cost(rng, cust, group, ordering, revenue, base_cost):
    """Scale each customer's costs so the tiers hold exactly the planted profit shares.

    ``group`` is the true tier (0, 1, 2) or 3 for a D customer (a general customer who loses
    money): the D group loses D_LOSS_SHARE of total profit, the other general customers earn
    the general tier's share plus that loss, so the general tier nets its 5 %.
    """
    m = len(group)
    rev = np.bincount(cust, weights=revenue, minlength=m) * ordering
    base = np.bincount(cust, weights=base_cost, minlength=m)
    key = (group == 0) & ordering
    total = (rng.normal(*KEY_MARGIN, m) * rev)[key].sum() / C.TIER_PROFIT_SHARES[0]
    d_loss = C.D_LOSS_SHARE if (group == 3).any() else 0.0
    weight = (rev ** PROFIT_ELASTICITY) * rng.lognormal(0.0, PROFIT_SIGMA, m)
    d_margin = np.minimum(rng.normal(*D_MARGIN, m), D_MARGIN_MAX)
    other_loss = (group == 2) & ordering & (rev > 0) & (rng.random(m) < OTHER_LOSS_SHARE)
    profit = np.where(other_loss, rng.uniform(*OTHER_LOSS_MARGIN, m) * rev, 0.0)
    targets = {0: C.TIER_PROFIT_SHARES[0], 1: C.TIER_PROFIT_SHARES[1],
               2: C.TIER_PROFIT_SHARES[2] + d_loss, 3: -d_loss}
    for g, share in targets.items():
        members = (group == g) & ordering & (rev > 0) & ~other_loss
        if not members.any():
            continue
        amount = share * total - profit[(group == g) & other_loss].sum()
        if g == 3:
            loss = d_margin[members] * rev[members]
            profit[members] = loss * amount / loss.sum()
        else:
            # In tiny datasets a tier may need a higher margin than MARGIN_CAP: lift its cap.
            cap = max(MARGIN_CAP, 1.25 * amount / rev[members].sum())
            profit[members] = _share_out(amount, weight[members], cap * rev[members])
    factor = np.divide(rev - profit, base, out=np.ones(m), where=base > 0)
    cost = np.round(base_cost * factor[cust], 2)
    return cost, np.bincount(cust, weights=revenue - cost, minlength=m)


def _share_out(amount: float, weight: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Split ``amount`` in proportion to ``weight`` with nobody above ``cap`` (water-filling)."""
    out = np.zeros(len(weight))
    capped = np.zeros(len(weight), dtype=bool)
    for _ in range(len(weight)):
        free = ~capped
        share = (amount - out[capped].sum()) * weight[free] / weight[free].sum()
        over = share > cap[free]
        if not over.any():
            out[free] = share
            break
        idx = np.flatnonzero(free)[over]
        out[idx] = cap[idx]
        capped[idx] = True
        if capped.all():
            break
    return out


def _shipment_ids(n: int) -> np.ndarray:
    width = max(8, len(str(n)))
    return np.array([f"SH-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _minutes_to_dt(minutes: np.ndarray) -> np.ndarray:
    out = np.full(len(minutes), np.datetime64("NaT"), dtype="datetime64[s]")
    ok = np.isfinite(minutes)
    out[ok] = (minutes[ok].astype(np.int64) * 60).astype("datetime64[s]")
    return out
