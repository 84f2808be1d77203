"""Customers and their contracts: the tables every other table hangs on.

About 6 % of the customer list are prospects (未来型: contacted, or only listed, but no order yet):
they have no first order date, no contract and no shipments. Every ordering customer gets a hidden
true tier (关键/合适/一般客户, 5/15/80 % of the ordering customers) and every customer a true motive
type (经济型/道德型/个性化/方便型) that drives the behaviour columns. A
group of general customers are D customers (ch.5): low credit (B/C), low loyalty, many small
consignments. The hidden state travels to the other table makers in ``state`` (one row per
customer, same order).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import (allocate, cat, draw_in_ranges, format_columns, ids, sigmoid,
                                   zero_pad)
from crmkit.datasets.geography import CITIES, city_weights
from crmkit.datasets.providers import locale_provider, make_faker

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
#: Contract tier (基础, 标准, 战略) probabilities for true tiers 关键, 合适, 一般.
CONTRACT_BY_TIER = np.array([[0.00, 0.20, 0.80], [0.25, 0.60, 0.15], [0.75, 0.25, 0.00]])
#: Yearly churn probability base (logit) per true tier; loyalty and satisfaction shift it.
CHURN_BASE = (0.03, 0.06, 0.10)
#: Relative shipment volume per customer of each true tier (before log-normal spread).
VOLUME_BY_TIER = (16.0, 3.6, 1.0)
#: Share of customers whose first order falls inside the two-year history (new customers).
NEW_SHARE = (0.08, 0.18, 0.28)
#: D customers: shipments relative to other general customers (many consignments), weight per
#: consignment (small ones), loyalty shift (on the latent scale) and credit ratings B / C.
D_VOLUME = 3.0
D_SCALE = 0.8
D_LOYALTY_SHIFT = -1.6
D_CREDIT = ((3, 4), (0.6, 0.4))
#: Churn logit per unit of price_sensitivity (above 0.5): price-driven (经济型) customers switch
#: carriers more readily; they also get larger discounts (shipments.py).
PRICE_CHURN = 1.2


def _behaviour(rng: np.random.Generator, motive: np.ndarray):
    """Behaviour columns from motive codes: the matching trait tends to be high, the others low,
    with overlap (a noisy signal: the largest trait names the motive for most customers, not all)."""
    n = len(motive)
    high = lambda: rng.beta(6.0, 3.0, n)  # noqa: E731  mean ~0.67
    low = lambda: rng.beta(2.5, 4.5, n)   # noqa: E731  mean ~0.36
    price = np.where(motive == 0, high(), low())
    ethical = np.where(motive == 1, high(), low())
    custom = np.where(motive == 2, rng.poisson(8.0, n), rng.poisson(1.8, n))
    convenience = np.where(motive == 3, high(), low())
    return (np.round(price, 3), np.round(ethical, 3), custom.astype(np.int64),
            np.round(convenience, 3))


def make_customers(rng: np.random.Generator, size: int,
                   config: C.Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``customers`` table and the hidden per-customer ``state``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``customers`` in the contract's columns (plus contact_name, phone, address) and ``state``:
        tier (2 for prospects, who have none), motive, home (city index), industry, contract (tier
        codes, -1 for prospects), churn_day (days since epoch or -1), start_day (first-order day;
        the day after the reference date for prospects), sat (satisfaction latent), volume (0 for
        prospects), scale, prospect, d_customer and loyal (the planted 忠诚者).
    """
    prospect = _draw_prospects(rng, size)
    tier, d_cust = _draw_tiers(rng, prospect)
    motive, industry, home, contract = _draw_profiles(rng, tier, prospect)
    price, ethical, custom, convenience = _behaviour(rng, motive)
    is_new, start = _draw_first_orders(rng, tier, prospect)
    latent = _draw_loyalty_and_churn(rng, tier, d_cust, start, price, ~prospect)
    credit, volume, scale = _draw_credit_and_volume(rng, tier, d_cust, latent, ~prospect)
    fake = make_faker(config.locale, config.faker_seed("customers"))
    places = locale_provider(config.locale)
    names = _name_companies(fake, home, industry, places.city_names())
    account_manager = _assign_managers(rng, fake, tier)
    contact, phone, address = _draw_contact_details(rng, fake, home, places.city_names())
    customers = pd.DataFrame({
        "customer_id": pd.array(ids("C", size, 5), dtype="str"),
        "name": pd.array(names, dtype="str"),
        "industry": cat(industry, "industry", config.locale),
        **_place_columns(home, places),
        "first_order_date": np.where(prospect, np.datetime64("NaT"),
                                     start.astype("datetime64[D]")).astype("datetime64[s]"),
        "contract_tier": cat(contract, "contract_tier", config.locale),
        "credit_rating": cat(credit, "credit_rating", config.locale),
        "account_manager": pd.array(account_manager, dtype="str"),
        "price_sensitivity": price,
        "ethical_preference": ethical,
        "customization_requests": custom,
        "convenience_preference": convenience,
        "loyalty_score": latent["loyalty"],
        "contact_name": pd.array(contact, dtype="str"),
        "phone": pd.array(phone, dtype="str"),
        "address": pd.array(address, dtype="str"),
    })
    state = pd.DataFrame({"tier": tier, "motive": motive, "home": home, "industry": industry,
                          "contract": contract, "start_day": start,
                          "churn_day": latent["churn_day"], "churned": latent["churned"],
                          "sat": latent["sat"], "loyal_z": latent["loyal_z"], "volume": volume,
                          "scale": scale, "is_new": is_new, "prospect": prospect,
                          "d_customer": d_cust, "loyal": latent["loyal"]})
    return customers, state


def _draw_prospects(rng: np.random.Generator, n: int) -> np.ndarray:
    """Each customer is a prospect with probability PROSPECT_SHARE (at least one; 20 still order)."""
    prospect = rng.random(n) < C.PROSPECT_SHARE
    if not prospect.any():
        prospect[rng.integers(n)] = True
    while n - prospect.sum() < min(20, n - 1):
        prospect[np.flatnonzero(prospect)[0]] = False
    return prospect


def _draw_tiers(rng: np.random.Generator, prospect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """True tiers in the planted shares (2 for prospects) and the D customers among the general ones.

    Each general customer is a D customer with probability D_SHARE / 0.80 (about D_SHARE of the
    ordering customers, a number that varies with the seed); at least one, never all.
    """
    n, ordering = len(prospect), ~prospect
    tier = np.full(n, 2)
    tier[ordering] = rng.permutation(np.repeat(np.arange(3),
                                               allocate(int(ordering.sum()), C.TIER_SHARES)))
    general = np.flatnonzero(ordering & (tier == 2))
    d_cust = np.zeros(n, dtype=bool)
    d_cust[general] = rng.random(len(general)) < C.D_SHARE / C.TIER_SHARES[2]
    if len(general) >= 2 and not d_cust.any():
        d_cust[general[0]] = True
    if len(general) and d_cust[general].all():
        d_cust[general[0]] = False
    return tier, d_cust


def _draw_profiles(rng: np.random.Generator, tier: np.ndarray, prospect: np.ndarray):
    """Motive type, industry, home city (by freight weight) and contract tier (-1 for prospects)."""
    n = len(tier)
    motive = rng.choice(4, size=n, p=C.MOTIVE_SHARES)
    industry = rng.choice(8, size=n, p=INDUSTRY_SHARES)
    home = rng.choice(len(CITIES), size=n, p=city_weights())
    contract = (rng.random(n)[:, None] > np.cumsum(CONTRACT_BY_TIER[tier], axis=1)).sum(axis=1)
    contract[prospect] = -1
    return motive, industry, home, contract


def _draw_first_orders(rng: np.random.Generator, tier: np.ndarray,
                       prospect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First order day: existing customers since 2012, new ones inside the history window;
    prospects the day after the history (not yet)."""
    n = len(tier)
    d0, d1 = _day(C.HISTORY_START), _day(C.HISTORY_END)
    old_lo = np.datetime64("2012-01-01").astype(np.int64)
    is_new = (rng.random(n) < np.asarray(NEW_SHARE)[tier]) & ~prospect
    start = np.where(is_new, rng.integers(d0, d1 - 90, n), rng.integers(old_lo, d0, n))
    start[prospect] = d1 + 1
    return is_new, start


def _draw_loyalty_and_churn(rng: np.random.Generator, tier: np.ndarray, d_cust: np.ndarray,
                            start: np.ndarray, price: np.ndarray, ordering: np.ndarray) -> dict:
    """Satisfaction and loyalty latents, the churn day (-1 if staying) and the planted 忠诚者.

    Loyal customers leave less, the satisfied a bit less, the price-sensitive more. The planted
    忠诚者 (表1-2) are loyal, still here, and ordering for more than a year.
    """
    n = len(tier)
    d0, d1 = _day(C.HISTORY_START), _day(C.HISTORY_END)
    sat = rng.normal(0.0, 1.0, n)
    loyal_z = (rng.normal(0.0, 1.0, n) + np.array([0.8, 0.4, 0.0])[tier]
               + D_LOYALTY_SHIFT * d_cust)
    loyalty = np.round(sigmoid(0.9 * loyal_z + 0.25 * sat), 3)
    years = (d1 - np.maximum(start, d0)) / 365.25
    p_year = sigmoid(np.log(np.asarray(CHURN_BASE)[tier] / (1 - np.asarray(CHURN_BASE)[tier]))
                     - 0.9 * loyal_z - 0.35 * sat + PRICE_CHURN * (price - 0.5))
    churned = (rng.random(n) < 1 - (1 - p_year) ** np.maximum(years, 0)) & ordering
    earliest = np.maximum(start, d0) + 60
    churn_day = np.where(churned & (earliest < d1 - 30),
                         earliest + (rng.random(n) * np.maximum(d1 - 30 - earliest, 1)).astype(np.int64),
                         -1)
    churned = churn_day >= 0
    loyal = (ordering & (loyalty >= C.LOYALTY_MIN) & ~churned
             & (d1 - start > C.ACTIVE_WINDOW_DAYS))
    return {"sat": sat, "loyal_z": loyal_z, "loyalty": loyalty, "churn_day": churn_day,
            "churned": churned, "loyal": loyal}


def _draw_credit_and_volume(rng: np.random.Generator, tier: np.ndarray, d_cust: np.ndarray,
                            latent: dict, ordering: np.ndarray):
    """Credit rating codes (0=AAA .. 4=C; D customers B or C), relative shipment volume (0 for
    prospects) and consignment scale (D customers: many small consignments)."""
    n = len(tier)
    credit_z = rng.normal(0, 1, n) + np.array([1.2, 0.5, 0.0])[tier] + 0.8 * (latent["loyalty"] - 0.5)
    credit = np.digitize(-credit_z, [-1.3, -0.4, 0.5, 1.4])
    credit = np.where(d_cust, rng.choice(D_CREDIT[0], size=n, p=D_CREDIT[1]), credit)
    volume = (np.asarray(VOLUME_BY_TIER)[tier] * rng.lognormal(0.0, 0.6, n)
              * np.where(d_cust, D_VOLUME, 1.0) * np.where(latent["loyal"], C.LOYAL_VOLUME, 1.0)
              * ordering)
    scale = (rng.lognormal(0.0, 0.3, n) * np.array([1.3, 1.1, 1.0])[tier]
             * np.where(d_cust, D_SCALE, 1.0))
    return credit, volume, scale


def _name_companies(fake, home: np.ndarray, industry: np.ndarray, city_names) -> list[str]:
    """A distinct company name per customer from the provider (city, brand, trade, legal form):
    Faker calls, one per customer (a few thousand), the one loop of this table."""
    names, seen = [], set()
    for h, ind in zip(home.tolist(), industry.tolist()):
        name = fake.company_name(city_names[h], ind)
        while name in seen:
            name = fake.company_name(city_names[h], ind)
        seen.add(name)
        names.append(name)
    return names


def _assign_managers(rng: np.random.Generator, fake, tier: np.ndarray) -> np.ndarray:
    """Account manager of each customer from n / 50 distinct Faker names (at least 5); key
    customers are looked after by the senior fifth."""
    n = len(tier)
    n_managers = max(5, n // 50)
    managers, seen = [], set()
    while len(managers) < n_managers:
        person = fake.name()
        if person not in seen:
            seen.add(person)
            managers.append(person)
    senior = max(1, n_managers // 5)
    manager = np.where(tier == 0, rng.integers(0, senior, n), rng.integers(0, n_managers, n))
    return np.asarray(managers, dtype=object)[manager]


def _draw_contact_details(rng: np.random.Generator, fake, home: np.ndarray, city_names):
    """Contact person, mobile phone and street address of each customer.

    Contacts from a pool of Faker names (names repeat in real lists too); phones and street
    addresses from the provider's data with numpy, so big scales stay fast.
    """
    n = len(home)
    pool = [fake.name() for _ in range(min(n, 3_000))]
    contact = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]
    prov = next(p for p in fake.providers if hasattr(p, "phone_prefixes"))
    prefixes = np.asarray(prov.phone_prefixes, dtype=object)[rng.integers(0, len(prov.phone_prefixes), n)]
    number = zero_pad(rng.integers(0, 10**8, n), 8)
    phone = format_columns(prov.phone_format.replace("{prefix}########", "{prefix}{number}"),
                           prefix=prefixes, number=number)
    streets = np.asarray(prov.streets, dtype=object)[rng.integers(0, len(prov.streets), n)]
    address = format_columns(prov.address_format, city=np.asarray(city_names, dtype=object)[home],
                             street=streets, number=rng.integers(1, 1000, n))
    return contact, phone, address


def _place_columns(home: np.ndarray, places) -> dict:
    """The province and city columns (categoricals in the locale's names) of the home cities."""
    cities, provinces = places.city_names(), places.province_names()
    return {"province": pd.Categorical(np.asarray(provinces, dtype=object)[home],
                                       categories=list(dict.fromkeys(provinces))),
            "city": pd.Categorical(np.asarray(cities, dtype=object)[home], categories=list(cities))}


def _day(timestamp: pd.Timestamp) -> int:
    """Days since 1970-01-01 of ``timestamp``."""
    return int(timestamp.to_datetime64().astype("datetime64[D]").astype(np.int64))


def make_contracts(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                   config: C.Config) -> pd.DataFrame:
    """One contract per ordering customer (prospects have none): promised on-time rate, delivery
    window, damage and claim terms."""
    keep = ~state["prospect"].to_numpy()
    customers = customers[keep]
    n = len(customers)
    contract = state["contract"].to_numpy()[keep]
    d0 = np.datetime64("2024-01-01").astype("datetime64[D]").astype(np.int64)
    start = state["start_day"].to_numpy()[keep]
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
        "customer_id": pd.array(customers["customer_id"].to_numpy(dtype=object), dtype="str"),
        "start_date": start_day.astype("datetime64[D]").astype("datetime64[s]"),
        "on_time_target": np.asarray(C.ON_TIME_TARGET)[contract],
        "delivery_window_h": window.astype(np.int64),
        "damage_rate_max": np.asarray(C.DAMAGE_RATE_MAX)[contract],
        "claim_rate": claim_rate,
        "claim_cap": claim_cap,
    })


def first_order_days(rng: np.random.Generator, state: pd.DataFrame, counts: np.ndarray,
                     day_weights: np.ndarray) -> np.ndarray:
    """Order day (index into the history window) of every shipment, customers in order.

    Each customer orders between its first order (or 2024-01-01) and its churn day (or
    2025-12-31); a customer who joined inside the window places its first order on that day.
    Then spells with another carrier (see :func:`plant_pauses`) and, for customers who leave,
    a drift away before the churn day (see :func:`drift_away`).
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
    day = plant_pauses(rng, state["loyal"].to_numpy(), counts, lo, hi, day, day_weights)
    return drift_away(rng, churn >= 0, counts, lo, hi, day, day_weights)


def drift_away(rng: np.random.Generator, churned: np.ndarray, counts: np.ndarray, lo: np.ndarray,
               hi: np.ndarray, day: np.ndarray, day_weights: np.ndarray) -> np.ndarray:
    """Customers who leave order less and less before they go, not up to a hard cut.

    An order of a churned customer placed ``k`` days before its last possible day (k < DRIFT_DAYS)
    moves to an earlier day of its period with probability DRIFT_MOVE * (1 - k / DRIFT_DAYS):
    its ordering rate fades over the last DRIFT_DAYS days (a rising hazard of switching), so the
    recency of leavers grows before they stop.
    """
    cust = np.repeat(np.arange(len(counts)), counts)
    w = C.DRIFT_DAYS
    k = hi[cust] - day
    room = (hi - w > lo)[cust]
    p = np.where(churned[cust] & room & (k < w), C.DRIFT_MOVE * (1 - k / w), 0.0)
    move = rng.random(len(day)) < p
    who = cust[move]
    day[move] = draw_in_ranges(rng, day_weights, lo[who], hi[who] - w)
    return day


def plant_pauses(rng: np.random.Generator, loyal: np.ndarray, counts: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray, day: np.ndarray, day_weights: np.ndarray) -> np.ndarray:
    """Spells with another carrier: a customer's orders stop for a while and then resume.

    Up to PAUSES times, each customer pauses with probability PAUSE_P (loyal customers rarely, the others often) for
    PAUSE_DAYS days starting on a day drawn uniformly from its ordering period after its first
    order, in either year; its orders in that spell move to other days of its period. A pause
    that runs past the reference date or the churn day simply ends the customer's orders early, on
    a random day, so last orders pile up in no month. Nothing here applies the 忠诚者 rule of
    crmkit.classify.relationship_stage: the rule finds most planted loyal customers because they
    order steadily and refer others, and misses or mistakes some.
    """
    m = len(counts)
    cust = np.repeat(np.arange(m), counts)
    p = np.where(loyal, C.PAUSE_P[1], C.PAUSE_P[0])
    for _ in range(C.PAUSES):
        day = _pause(rng, p, cust, lo, hi, day, day_weights)
    return day


def _pause(rng, p, cust, lo, hi, day, day_weights):
    """One round of :func:`plant_pauses`."""
    m = len(p)
    length = rng.integers(C.PAUSE_DAYS[0], C.PAUSE_DAYS[1] + 1, m)
    g_lo = lo + 1 + (rng.random(m) * np.maximum(hi - lo, 0)).astype(np.int64)
    g_hi = np.minimum(g_lo + length - 1, hi)
    pauses = (rng.random(m) < p) & (hi > lo)
    move = pauses[cust] & (day >= g_lo[cust]) & (day <= g_hi[cust])
    who = cust[move]
    day[move] = _draw_outside(rng, day_weights, lo[who], hi[who], g_lo[who], g_hi[who])
    return day


def _draw_outside(rng, day_weights, lo, hi, g_lo, g_hi):
    """A day in [lo, hi] but not in [g_lo, g_hi], with the weights of ``day_weights``."""
    cdf = np.concatenate([[0.0], np.cumsum(day_weights)])
    before_hi = np.clip(g_lo, lo, hi + 1)                   # [lo, before_hi) lies before the gap
    after_lo = np.clip(g_hi + 1, lo, hi + 1)                # [after_lo, hi] lies after it
    mass_a = cdf[before_hi] - cdf[lo]
    mass_b = cdf[hi + 1] - cdf[after_lo]
    u = rng.random(len(lo)) * (mass_a + mass_b)
    target = np.where(u < mass_a, cdf[lo] + u, cdf[after_lo] + (u - mass_a))
    day = np.searchsorted(cdf, target, side="right") - 1
    day = np.where(u < mass_a, np.clip(day, lo, before_hi - 1), np.clip(day, after_lo, hi))
    return day
