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
from crmkit.datasets._util import DAY_MIN, allocate, cat, ids, logit, sigmoid
from crmkit.datasets.customers import SERVICE_MIX, first_order_days
from crmkit.datasets.geography import CITIES, city_weights, distance_matrix
from crmkit.datasets.providers import locale_provider

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
# Cost model per service (整车, 零担, 快递, 仓储, 冷链), yuan, before each customer's cost-to-serve
# factor: a shipment's cost is the sum of four named parts, shipped as columns (lesson 09 reads the
# composition per service from them). t = tonnes, kg = weight, km = distance, d = storage days.
#   transport: fixed + per km + per tonne-km (+ per chargeable kg-km for parcels)
#   handling:  fixed + per kg (loading, cross-docking, sorting, picking)
#   storage:   per kg-day of storage days (warehousing; a short buffer for LTL and cold chain)
#   admin:     fixed per shipment (packaging, documents, customer service)
TRANSPORT_FIXED = (180.0, 12.0, 4.0, 8.0, 120.0)
TRANSPORT_PER_KM = (3.4, 0.0, 0.0, 0.0, 1.2)
TRANSPORT_PER_TKM = (0.0, 0.34, 0.0, 0.10, 0.55)
PARCEL_PER_KG_KM = 0.0009           # 快递 only: per chargeable kg beyond the first, per km
HANDLING_FIXED = (150.0, 6.0, 2.0, 15.0, 35.0)
HANDLING_PER_KG = (0.002, 0.055, 0.25, 0.05, 0.06)
STORAGE_PER_KG_DAY = (0.0, 0.0008, 0.0, 0.008, 0.002)
STORAGE_DAYS_CAP = (0, 3, 0, 60, 5)    # LTL and cold chain store a few days at most
ADMIN_FIXED = (60.0, 7.0, 1.5, 14.0, 35.0)
COST_PARTS = ("cost_transport", "cost_handling", "cost_storage", "cost_admin")
# Margin (profit / revenue) of the key customers, mean and sd: it sets the total profit (their 80 %).
# Logistics earns thin margins: about 10 % for key accounts, a few % overall.
KEY_MARGIN = (0.10, 0.02)
# Within a tier, profit is shared out in proportion to revenue ** PROFIT_ELASTICITY (big customers
# get volume discounts, so they earn more, but less than in proportion) times a log-normal spread:
# margins spread smoothly and bend below MARGIN_SOFT (see _soft_share): no ceiling that many
# customers reach.
PROFIT_ELASTICITY = 0.6
PROFIT_SIGMA = 0.30
MARGIN_SOFT = 1.0
# D customers all lose money: each one's share of the planted loss is its revenue times a
# log-normal spread D_MARGIN_SIGMA (so margins spread smoothly around the group's mean).
D_MARGIN_SIGMA = 0.35
# A few other general customers lose a little too (a big claim, an unlucky lane): share of the
# general customers other than D, and their margin range.
OTHER_LOSS_SHARE = 0.03
OTHER_LOSS_MARGIN = (-0.15, -0.01)
# Service mix of a D customer's consignments blended into its industry's mix: parcels and LTL.
D_SERVICE_MIX = (0.0, 0.55, 0.35, 0.10, 0.0)
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
                   config: C.Config) -> tuple[pd.DataFrame, dict]:
    """The ``shipments`` table and a dict of planted facts (profit by tier, on-time by service)."""
    dw = day_weights()
    counts = _count_shipments(state, config.sizes["shipments"], len(dw))
    cust, day = _draw_order_days(rng, state, counts, dw)
    service = _draw_services(rng, state, cust)
    origin, dest, dist = _draw_routes(rng, state, cust, service)
    weight, items, value = _draw_loads(rng, state, cust, service)
    times = _schedule(rng, service, dist, day)
    p_on = _on_time_probability(rng, state, cust, service, times["window"], origin, dest, day)
    delivery = _draw_delivery(rng, p_on, service, dist, items, times)
    revenue, parts, profit = _price_shipments(rng, customers, state, cust, service, weight, dist)
    shipments = pd.DataFrame({
        "shipment_id": pd.array(ids("SH-", len(cust), 8), dtype="str"),
        "customer_id": customers["customer_id"].to_numpy()[cust],
        "order_date": (times["order_min"] * 60).astype("datetime64[s]"),
        "service": cat(service, "service", config.locale),
        **_route_columns(origin, dest, locale_provider(config.locale).city_names()),
        "time_window": cat(times["window"], "time_window", config.locale),
        "weight_kg": weight,
        "distance_km": dist,
        "revenue": revenue,
        "cost": np.round(parts.sum(axis=1), 2),
        **{name: parts[:, k] for k, name in enumerate(COST_PARTS)},
        "declared_value": value,
        "promised_at": (times["promised"] * 60).astype("datetime64[s]"),
        "delivered_at": _minutes_to_dt(delivery["delivered"]),
        "on_time": delivery["on_time"],
        "items_ordered": items,
        "items_delivered": delivery["items"],
        "in_full": delivery["items"] == items,
        "damaged": delivery["damaged"],
        "lost": delivery["lost"],
        "doc_error": delivery["doc_error"],
    })
    shipments["customer_id"] = shipments["customer_id"].astype("str")
    planted = {
        "profit": profit,
        "revenue": np.bincount(cust, weights=revenue, minlength=len(state)),
        "p_on_time": p_on, "service": service, "window": times["window"], "cust": cust, "day": day,
    }
    return shipments, planted


def _history_day0() -> int:
    """Days since 1970-01-01 of the first day of the history (2024-01-01)."""
    return int(C.HISTORY_START.to_datetime64().astype("datetime64[D]").astype(np.int64))


def _count_shipments(state: pd.DataFrame, n_total: int, n_days: int) -> np.ndarray:
    """Shipments per customer: ``n_total`` split by volume times the share of the history the
    customer was active (at least one per ordering customer, none for prospects)."""
    last, d0 = n_days - 1, _history_day0()
    lo = np.clip(state["start_day"].to_numpy() - d0, 0, last)
    churn = state["churn_day"].to_numpy()
    hi = np.where(churn >= 0, np.clip(churn - d0 - 1, 0, last), last)
    active = (np.maximum(hi, lo) - lo + 1) / n_days
    ordering = ~state["prospect"].to_numpy()
    counts = np.zeros(len(state), dtype=np.int64)
    counts[ordering] = allocate(n_total, (state["volume"].to_numpy() * active)[ordering],
                                minimum=np.ones(int(ordering.sum()), dtype=np.int64))
    return counts


def _draw_order_days(rng: np.random.Generator, state: pd.DataFrame, counts: np.ndarray,
                     dw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Customer index and order day of every shipment, numbered in order-date order."""
    cust = np.repeat(np.arange(len(state)), counts)
    day = first_order_days(rng, state, counts, dw)
    order = np.lexsort((rng.random(len(cust)), day))
    return cust[order], day[order]


def _draw_services(rng: np.random.Generator, state: pd.DataFrame, cust: np.ndarray) -> np.ndarray:
    """Service code of every shipment from its customer's industry mix (key customers move more
    full truckloads; D customers mostly parcels and LTL)."""
    mix = SERVICE_MIX[state["industry"].to_numpy()].copy()
    mix[state["tier"].to_numpy() == 0, 0] *= 1.5
    mix /= mix.sum(axis=1, keepdims=True)
    d_cust = state["d_customer"].to_numpy()
    mix[d_cust] = (1 - D_MIX_WEIGHT) * mix[d_cust] + D_MIX_WEIGHT * np.asarray(D_SERVICE_MIX)
    return (rng.random(len(cust))[:, None] > np.cumsum(mix[cust], axis=1)[:, :-1]).sum(axis=1)


def _draw_routes(rng: np.random.Generator, state: pd.DataFrame, cust: np.ndarray,
                 service: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Origin and destination city codes and road distance (km, 0.1): most shipments leave the
    customer's home city; local deliveries stay in the origin city and run a few km."""
    n, ncity, city_p = len(cust), len(CITIES), city_weights()
    home = state["home"].to_numpy()[cust]
    origin = np.where(rng.random(n) < 0.7, home, rng.choice(ncity, n, p=city_p))
    local = rng.random(n) < np.asarray(LOCAL_SHARE)[service]
    dest = rng.choice(ncity, n, p=city_p)
    clash = (dest == origin) & ~local
    dest[clash] = (origin[clash] + 1 + rng.integers(0, ncity - 1, clash.sum())) % ncity
    dest[local] = origin[local]
    dist = distance_matrix()[origin, dest]
    dist = np.where(local, np.clip(rng.lognormal(np.log(25), 0.6, n), 3, 120), dist)
    return origin, dest, np.round(dist, 1)


def _draw_loads(rng: np.random.Generator, state: pd.DataFrame, cust: np.ndarray,
                service: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weight (kg, 0.1), number of items and declared value (yuan) of every shipment."""
    n = len(cust)
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
    return weight, items, value


def _schedule(rng: np.random.Generator, service: np.ndarray, dist: np.ndarray,
              day: np.ndarray) -> dict:
    """Delivery window, order time and promised delivery (minutes since epoch) of every shipment;
    the lead time grows with distance, and orders after 16:00 take a day more."""
    n = len(service)
    window = (rng.random(n)[:, None] > np.cumsum(WINDOW_MIX[service], axis=1)[:, :-1]).sum(axis=1)
    minute = np.clip(rng.normal(13 * 60, 150, n), 7 * 60, 21 * 60).astype(np.int64)
    lead = np.select([service == 0, service == 1, service == 2, service == 3],
                     [np.ceil(dist / 700), np.ceil(dist / 450) + 1,
                      np.select([dist < 300, dist < 1200], [1, 2], 3), np.ones(n)],
                     np.ceil(dist / 600))
    lead = np.maximum(lead, 1).astype(np.int64) + (minute >= 16 * 60)
    day_abs = _history_day0() + day
    w_end = np.asarray(WINDOW_HOURS)[window, 1] * 60
    return {"window": window, "order_min": day_abs * DAY_MIN + minute,
            "w_start": np.asarray(WINDOW_HOURS)[window, 0] * 60, "w_end": w_end,
            "promised": (day_abs + lead) * DAY_MIN + w_end}


def _on_time_probability(rng: np.random.Generator, state: pd.DataFrame, cust: np.ndarray,
                         service: np.ndarray, window: np.ndarray, origin: np.ndarray,
                         dest: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Planted on-time probability: service and window base rates, a random effect per route and
    per customer (strategic contracts better), remote destinations and the season worse."""
    remote = np.isin(np.array([c.name_zh for c in CITIES]), REMOTE) * -0.6
    route_fx = rng.normal(0.0, 0.35, (len(CITIES), len(CITIES)))
    cust_fx = rng.normal(0.0, 0.2, len(state)) + 0.3 * (state["contract"].to_numpy() == 2)
    return sigmoid(logit(np.asarray(C.ON_TIME_BASE))[service] + np.asarray(C.WINDOW_LOGIT)[window]
                   + route_fx[origin, dest] + remote[dest] + cust_fx[cust] + _season_logit()[day])


def _draw_delivery(rng: np.random.Generator, p_on: np.ndarray, service: np.ndarray,
                   dist: np.ndarray, items: np.ndarray, times: dict) -> dict:
    """What happened: lost, on time (inside the window) or late, damaged, short, document errors."""
    n = len(service)
    promised, w_start, w_end = times["promised"], times["w_start"], times["w_end"]
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
    return {"lost": lost, "on_time": on_time, "delivered": delivered, "damaged": damaged,
            "items": delivered_items, "doc_error": doc_error}


def _price_shipments(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                     cust: np.ndarray, service: np.ndarray, weight: np.ndarray,
                     dist: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Revenue (list tariff less the customer's discount), the four cost parts calibrated to the
    planted profit shares, and the profit per customer."""
    n = len(cust)
    tier, d_cust = state["tier"].to_numpy(), state["d_customer"].to_numpy()
    storage_days = np.clip(rng.lognormal(np.log(12), 0.6, n), 2, 60)
    discount = (np.array([0.0, 0.04, 0.08])[state["contract"].to_numpy()]
                + 0.06 * customers["price_sensitivity"].to_numpy())[cust]
    revenue = _tariff(service, weight, dist, storage_days) * (1 - discount) * rng.lognormal(0, 0.08, n)
    revenue = np.round(revenue, 2)
    parts = _cost_parts(service, weight, dist, storage_days) * rng.lognormal(0, 0.10, n)[:, None]
    parts, profit = _calibrate_cost(rng, cust, np.where(d_cust, 3, tier),
                                    ~state["prospect"].to_numpy(), revenue, parts)
    return revenue, parts, profit


def _route_columns(origin: np.ndarray, dest: np.ndarray, names) -> dict:
    """origin_city, dest_city and route ("上海-北京") as categoricals in the locale's city names;
    route's categories are the routes used."""
    ncity = len(names)
    route_code = origin * ncity + dest
    used = np.unique(route_code)
    route_labels = [f"{names[r // ncity]}-{names[r % ncity]}" for r in used]
    return {"origin_city": pd.Categorical.from_codes(origin, categories=list(names)),
            "dest_city": pd.Categorical.from_codes(dest, categories=list(names)),
            "route": pd.Categorical.from_codes(np.searchsorted(used, route_code),
                                               categories=route_labels)}


def _cost_parts(service, weight, dist, storage_days) -> np.ndarray:
    """Base cost of each shipment in its four parts (columns of :data:`COST_PARTS`), yuan."""
    t = weight / 1000.0
    chargeable = np.maximum(np.ceil(weight) - 1, 0)
    transport = (np.asarray(TRANSPORT_FIXED)[service] + np.asarray(TRANSPORT_PER_KM)[service] * dist
                 + np.asarray(TRANSPORT_PER_TKM)[service] * t * dist
                 + (service == 2) * PARCEL_PER_KG_KM * chargeable * dist)
    handling = np.asarray(HANDLING_FIXED)[service] + np.asarray(HANDLING_PER_KG)[service] * weight
    storage = (np.asarray(STORAGE_PER_KG_DAY)[service] * weight
               * np.minimum(storage_days, np.asarray(STORAGE_DAYS_CAP)[service]))
    admin = np.asarray(ADMIN_FIXED)[service] + 0.0 * weight
    return np.column_stack([transport, handling, storage, admin])


def _calibrate_cost(rng, cust, group, ordering, revenue, parts):
    """Scale each customer's cost parts so the tiers hold exactly the planted profit shares.

    ``group`` is the true tier (0, 1, 2) or 3 for a D customer (a general customer who loses
    money): the D group loses D_LOSS_SHARE of total profit, the other general customers earn
    the general tier's share plus that loss, so the general tier nets its 5 %. Every part of a
    customer's cost is scaled by the same cost-to-serve factor; the parts are rounded to fen and
    the profit returned is computed from the rounded parts.
    """
    m = len(group)
    rev = np.bincount(cust, weights=revenue, minlength=m) * ordering
    base = np.bincount(cust, weights=parts.sum(axis=1), minlength=m)
    key = (group == 0) & ordering
    total = (rng.normal(*KEY_MARGIN, m) * rev)[key].sum() / C.TIER_PROFIT_SHARES[0]
    d_loss = C.D_LOSS_SHARE if (group == 3).any() else 0.0
    weight = (rev ** PROFIT_ELASTICITY) * rng.lognormal(0.0, PROFIT_SIGMA, m)
    d_weight = rev * rng.lognormal(0.0, D_MARGIN_SIGMA, m)
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
            profit[members] = amount * d_weight[members] / d_weight[members].sum()
        else:
            profit[members] = _soft_share(amount, weight[members], rev[members])
    factor = np.divide(rev - profit, base, out=np.ones(m), where=base > 0)
    parts = np.round(parts * factor[cust][:, None], 2)
    return parts, np.bincount(cust, weights=revenue - parts.sum(axis=1), minlength=m)


def _soft_share(amount: float, weight: np.ndarray, rev: np.ndarray) -> np.ndarray:
    """Split ``amount`` roughly in proportion to ``weight``, margins bent smoothly below MARGIN_SOFT.

    Each customer's margin is ``r / (1 + r / MARGIN_SOFT)`` with ``r = k * weight / rev``; ``k``
    is found by bisection so the profits add up to ``amount``. Small customers earn higher
    margins, but no margin value is shared by many customers (no hard ceiling).
    """
    raw = weight / rev

    def total(k):
        r = k * raw
        return (rev * r / (1 + r / MARGIN_SOFT)).sum()

    target = min(amount, 0.999 * MARGIN_SOFT * rev.sum())
    lo, hi = 0.0, 1.0
    while total(hi) < target:
        hi *= 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if total(mid) < target else (lo, mid)
    r = 0.5 * (lo + hi) * raw
    out = rev * r / (1 + r / MARGIN_SOFT)
    return out * amount / out.sum()




def _minutes_to_dt(minutes: np.ndarray) -> np.ndarray:
    out = np.full(len(minutes), np.datetime64("NaT"), dtype="datetime64[s]")
    ok = np.isfinite(minutes)
    out[ok] = (minutes[ok].astype(np.int64) * 60).astype("datetime64[s]")
    return out
