"""Customers and their contracts: the tables every other table hangs on.

Each customer gets a hidden true tier (重点/适当/一般, 5/15/80 % of customers) and a true motive type
(经济型/道德型/个性化/方便型) that drives the behaviour columns, so a simple rule recovers it. The
hidden state travels to the other table makers in ``state`` (one row per customer, same order).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import allocate, cat, draw_in_ranges, ids, sigmoid
from crmkit.datasets.geography import CITIES
from crmkit.datasets.providers import make_faker

__all__ = ["make_customers", "make_contracts", "INDUSTRY_SHARES", "SERVICE_MIX"]

#: Industry shares (制造, 零售, 电商, 医药, 汽车, 食品冷链, 化工, 电子).
INDUSTRY_SHARES = (0.22, 0.14, 0.18, 0.08, 0.10, 0.10, 0.08, 0.10)
#: Service mix per industry (整车, 零担, 快递, 仓储, 冷链).
SERVICE_MIX = np.array([
    [0.30, 0.42, 0.10, 0.16, 0.02],
    [0.15, 0.35, 0.25, 0.20, 0.05],
    [0.05, 0.20, 0.55, 0.18, 0.02],
    [0.05, 0.20, 0.20, 0.15, 0.40],
    [0.45, 0.35, 0.05, 0.15, 0.00],
    [0.05, 0.10, 0.05, 0.10, 0.70],
    [0.50, 0.35, 0.00, 0.15, 0.00],
    [0.15, 0.30, 0.35, 0.18, 0.02],
])
#: Contract tier (基础, 标准, 战略) probabilities for true tiers 重点, 适当, 一般.
CONTRACT_BY_TIER = np.array([[0.00, 0.20, 0.80], [0.25, 0.60, 0.15], [0.75, 0.25, 0.00]])
#: Yearly churn probability base (logit) per true tier; loyalty and satisfaction shift it.
CHURN_BASE = (0.03, 0.06, 0.10)
#: Relative shipment volume per customer of each true tier (before log-normal spread).
VOLUME_BY_TIER = (16.0, 3.6, 1.0)
#: Share of customers whose first order falls inside the two-year history (new customers).
NEW_SHARE = (0.08, 0.18, 0.28)


def _behaviour(rng, motive: np.ndarray):
    """Behaviour columns from motive codes: the matching trait is high, the others low."""
    n = len(motive)
    high = lambda: rng.beta(7.0, 2.5, n)  # noqa: E731  mean ~0.74
    low = lambda: rng.beta(2.0, 5.0, n)   # noqa: E731  mean ~0.29
    price = np.where(motive == 0, high(), low())
    ethical = np.where(motive == 1, high(), low())
    custom = np.where(motive == 2, rng.poisson(9.0, n), rng.poisson(1.2, n))
    convenience = np.where(motive == 3, high(), low())
    return (np.round(price, 3), np.round(ethical, 3), custom.astype(np.int64),
            np.round(convenience, 3))


def make_customers(rng: np.random.Generator, size: int, config: C.Config):
    """The ``customers`` table and the hidden per-customer ``state``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``customers`` in the contract's columns (plus contact_name, phone, address) and ``state``:
        tier, motive, home (city index), industry, contract (tier codes), churn_day (days since
        epoch or -1), start_day (first-order day), sat (satisfaction latent), volume, scale.
    """
    n = size
    loc = config.locale
    tier = np.repeat(np.arange(3), allocate(n, C.TIER_CUSTOMER_SHARES))
    tier = rng.permutation(tier)
    motive = rng.choice(4, size=n, p=C.MOTIVE_SHARES)
    industry = rng.choice(8, size=n, p=INDUSTRY_SHARES)
    city_w = np.array([c[7] for c in CITIES])
    home = rng.choice(len(CITIES), size=n, p=city_w / city_w.sum())
    contract = (rng.random(n)[:, None] > np.cumsum(CONTRACT_BY_TIER[tier], axis=1)).sum(axis=1)
    price, ethical, custom, convenience = _behaviour(rng, motive)

    # First order: existing customers since 2012, new ones inside the history window.
    d0 = C.HISTORY_START.to_datetime64().astype("datetime64[D]").astype(np.int64)
    d1 = C.HISTORY_END.to_datetime64().astype("datetime64[D]").astype(np.int64)
    old_lo = np.datetime64("2012-01-01").astype(np.int64)
    is_new = rng.random(n) < np.asarray(NEW_SHARE)[tier]
    start = np.where(is_new, rng.integers(d0, d1 - 90, n), rng.integers(old_lo, d0, n))

    # Satisfaction latent, loyalty and churn: loyal customers leave less; the satisfied a bit less.
    sat = rng.normal(0.0, 1.0, n)
    loyal_z = rng.normal(0.0, 1.0, n) + np.array([0.8, 0.4, 0.0])[tier]
    loyalty = np.round(sigmoid(0.9 * loyal_z + 0.25 * sat), 3)
    years = (d1 - np.maximum(start, d0)) / 365.25
    p_year = sigmoid(np.log(np.asarray(CHURN_BASE)[tier] / (1 - np.asarray(CHURN_BASE)[tier]))
                     - 0.9 * loyal_z - 0.35 * sat)
    churned = rng.random(n) < 1 - (1 - p_year) ** years
    earliest = np.maximum(start, d0) + 60
    churn_day = np.where(churned & (earliest < d1 - 30),
                         earliest + (rng.random(n) * np.maximum(d1 - 30 - earliest, 1)).astype(np.int64),
                         -1)
    churned = churn_day >= 0

    credit_z = rng.normal(0, 1, n) + np.array([1.2, 0.5, 0.0])[tier] + 0.8 * (loyalty - 0.5)
    credit = np.digitize(-credit_z, [-1.3, -0.4, 0.5, 1.4])  # 0=AAA .. 4=C
    volume = np.asarray(VOLUME_BY_TIER)[tier] * rng.lognormal(0.0, 0.6, n)
    scale = rng.lognormal(0.0, 0.3, n) * np.array([1.3, 1.1, 1.0])[tier]

    # Names, people and addresses from Faker (a few thousand calls only).
    fake = make_faker(loc, config.faker_seed("customers"))
    city_names = [c[0] if loc == "zh_CN" else c[3] for c in CITIES]
    prov_names = [c[1] if loc == "zh_CN" else c[4] for c in CITIES]
    names, seen = [], set()
    for h, ind in zip(home.tolist(), industry.tolist()):
        name = fake.company_name(city_names[h], ind)
        while name in seen:
            name = fake.company_name(city_names[h], ind)
        seen.add(name)
        names.append(name)
    n_managers = max(5, n // 50)
    managers, mseen = [], set()
    while len(managers) < n_managers:
        person = fake.name()
        if person not in mseen:
            mseen.add(person)
            managers.append(person)
    senior = max(1, n_managers // 5)  # key customers are looked after by the senior managers
    manager = np.where(tier == 0, rng.integers(0, senior, n), rng.integers(0, n_managers, n))
    # Contacts from a pool of Faker names (names repeat in real lists too); phones and street
    # addresses from the provider's data with numpy, so big scales stay fast.
    pool = [fake.name() for _ in range(min(n, 3_000))]
    contact = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]
    prov = next(p for p in fake.providers if hasattr(p, "phone_prefixes"))
    prefixes = np.asarray(prov.phone_prefixes, dtype=object)[rng.integers(0, len(prov.phone_prefixes), n)]
    phone = [prov.phone_format.replace("{prefix}########", f"{p}{d:08d}")
             for p, d in zip(prefixes, rng.integers(0, 10**8, n).tolist())]
    streets = np.asarray(prov.streets, dtype=object)[rng.integers(0, len(prov.streets), n)]
    address = [prov.address_format.format(city=city_names[h], street=s, number=k)
               for h, s, k in zip(home.tolist(), streets, rng.integers(1, 1000, n).tolist())]

    customer_id = ids("C", n, 5)
    customers = pd.DataFrame({
        "customer_id": pd.array(customer_id, dtype="str"),
        "name": pd.array(names, dtype="str"),
        "industry": cat(industry, "industry", loc),
        "province": pd.Categorical(np.asarray(prov_names, dtype=object)[home],
                                   categories=list(dict.fromkeys(prov_names))),
        "city": pd.Categorical(np.asarray(city_names, dtype=object)[home], categories=city_names),
        "first_order_date": start.astype("datetime64[D]").astype("datetime64[s]"),
        "contract_tier": cat(contract, "contract_tier", loc),
        "credit_rating": cat(credit, "credit_rating", loc),
        "account_manager": pd.array(np.asarray(managers, dtype=object)[manager], dtype="str"),
        "price_sensitivity": price,
        "ethical_preference": ethical,
        "customization_requests": custom,
        "convenience_preference": convenience,
        "loyalty_score": loyalty,
        "contact_name": pd.array(contact, dtype="str"),
        "phone": pd.array(phone, dtype="str"),
        "address": pd.array(address, dtype="str"),
    })
    state = pd.DataFrame({"tier": tier, "motive": motive, "home": home, "industry": industry,
                          "contract": contract, "start_day": start, "churn_day": churn_day,
                          "churned": churned, "sat": sat, "loyal_z": loyal_z, "volume": volume,
                          "scale": scale, "is_new": is_new})
    return customers, state


def make_contracts(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                   config: C.Config) -> pd.DataFrame:
    """One contract per customer: promised on-time rate, delivery window, damage and claim terms."""
    n = len(customers)
    contract = state["contract"].to_numpy()
    d0 = np.datetime64("2024-01-01").astype("datetime64[D]").astype(np.int64)
    start = state["start_day"].to_numpy()
    # Contracts renew yearly on the anniversary of the first order; the one in force at 2024-01-01
    # (or the first one, for new customers) is recorded.
    years_before = np.maximum(0, (d0 - start) // 365)
    start_day = start + years_before * 365
    window = np.array([72, 48, 24])[contract] + rng.choice([0, 0, 24], n) * (contract == 0)
    claim_rate = np.round(np.array([0.30, 0.50, 0.80])[contract] + rng.choice([0, 0.1], n), 2)
    claim_cap = np.array([5_000.0, 20_000.0, 100_000.0])[contract] * rng.choice([1, 2], n, p=[0.7, 0.3])
    return pd.DataFrame({
        "contract_id": pd.array(np.char.add("HT-", customers["customer_id"].to_numpy(dtype=str)),
                                dtype="str"),
        "customer_id": customers["customer_id"].copy(),
        "start_date": start_day.astype("datetime64[D]").astype("datetime64[s]"),
        "on_time_target": np.asarray(C.ON_TIME_TARGET)[contract],
        "delivery_window_h": window.astype(np.int64),
        "damage_rate_max": np.asarray(C.DAMAGE_RATE_MAX)[contract],
        "claim_rate": claim_rate,
        "claim_cap": claim_cap,
    })


def first_order_days(rng, state: pd.DataFrame, counts: np.ndarray, day_weights: np.ndarray):
    """Order day (index into the history window) of every shipment, customers in order.

    Each customer orders between its first order (or 2024-01-01) and its churn day (or
    2025-12-31); a customer who joined inside the window places its first order on that day.
    """
    d0 = C.HISTORY_START.to_datetime64().astype("datetime64[D]").astype(np.int64)
    last = len(day_weights) - 1
    lo = np.clip(state["start_day"].to_numpy() - d0, 0, last)
    churn = state["churn_day"].to_numpy()
    hi = np.where(churn >= 0, np.clip(churn - d0 - 1, 0, last), last)
    hi = np.maximum(hi, lo)
    rows_lo, rows_hi = np.repeat(lo, counts), np.repeat(hi, counts)
    day = draw_in_ranges(rng, day_weights, rows_lo, rows_hi)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    new = state["is_new"].to_numpy()
    day[first[new & (counts > 0)]] = lo[new & (counts > 0)]
    return day
