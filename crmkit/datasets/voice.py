"""Customer voice: SERVQUAL surveys and complaints with claims.

Surveys plant (1) the weight of each SERVQUAL dimension on overall satisfaction and (2) the
satisfaction trap: most customers who leave had said they were satisfied. Complaints plant the
shares of complaint causes (延误 most common), more complaints and disputed claims from D customers,
and the service recovery paradox: a complaint answered within RECOVERY_FAST_H hours and settled
with a full refund leaves the customer more satisfied than customers who never complained; a slow
answer or a rejection leaves them well below.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import DAY_MIN, HOUR_MIN, cat, ids, likert, pick_rows

__all__ = ["make_surveys", "make_complaints", "STATED_IMPORTANCE", "RECOVERY_EFFECT",
           "OUTCOME_CUTS"]

#: Mean expectation and mean perception per dimension (tangibles .. empathy), 1-7 scale.
EXPECTATION_MEAN = (5.3, 6.3, 5.9, 5.8, 5.4)
PERCEPTION_MEAN = (5.5, 5.5, 5.4, 5.6, 5.2)
#: Stated importance points (sum 100) - close to, but not the same as, the derived weights.
STATED_IMPORTANCE = (12.0, 30.0, 22.0, 20.0, 16.0)
#: Overall satisfaction = OVERALL_BASE + OVERALL_SCALE * sum(w_d * (P_d - mean_d)) + noise.
OVERALL_BASE = 5.55
OVERALL_SCALE = 2.0
#: Effect of the complaint outcome on satisfaction after recovery (1-7), before response times
#: (a fast full refund is set apart: config.RECOVERY_PARADOX_MEAN).
RECOVERY_EFFECT = {"全额赔付": 1.6, "部分赔付": 0.6, "驳回": -1.3, "道歉": 0.3}
#: Outcome of a claim: uniform draw cut into 全额赔付 / 部分赔付 / 驳回, for other customers and for
#: D customers (whose claims are disputed, so rejected twice as often).
OUTCOME_CUTS = ((0.45, 0.80), (0.30, 0.60))
#: Median first-response time (hours) per channel (电话, 邮件, 微信, 网站, 客户经理).
RESPONSE_MEDIAN_H = (0.3, 8.0, 1.0, 4.0, 2.0)
#: Median resolution time (hours) per severity (低, 中, 高).
RESOLVE_MEDIAN_H = (24.0, 48.0, 96.0)
END_MIN = int(np.datetime64("2025-12-31T23:59", "m").astype(np.int64))


def make_surveys(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                 config: C.Config) -> tuple[pd.DataFrame, dict]:
    """The ``surveys`` table and the planted facts (weights, trap share)."""
    resp, day, churn_r, churned = _draw_respondents(rng, state, config.sizes["surveys"])
    e_lat, base_p, overall_noise = _draw_latents(rng, state["sat"].to_numpy()[resp])
    shift = _plant_trap(base_p, overall_noise, churned)
    p_lat, o_lat = _overall_latent(base_p, overall_noise, shift)
    answers = _draw_answers(rng, e_lat, p_lat, o_lat)
    surveys = _survey_frame(customers, resp, day, churn_r, churned, answers)
    satisfied = answers["overall"] >= C.SATISFIED_MIN
    planted = {"churner_shift": float(shift[churned].mean()) if churned.any() else 0.0,
               "share_churners_satisfied": float(satisfied[churned].mean()) if churned.any() else None,
               "share_satisfied_who_churn": float(churned[satisfied].mean()) if satisfied.any() else None,
               "share_satisfied": float(satisfied.mean())}
    return surveys, planted


def _draw_respondents(rng: np.random.Generator, state: pd.DataFrame, n_resp: int):
    """Who answered when: respondents drawn among customers with a month of history (key customers
    and leavers more often; leavers often in their last half year, an exit signal), and whether
    each respondent left within 182 days of answering."""
    churn = state["churn_day"].to_numpy()
    d0 = int(np.datetime64("2024-01-15", "D").astype(np.int64))
    d1 = int(np.datetime64("2025-12-15", "D").astype(np.int64))
    lo = np.maximum(state["start_day"].to_numpy() + 30, d0)
    hi = np.where(churn >= 0, churn - 1, d1)
    w = (hi > lo) * (1.0 + 0.5 * (state["tier"].to_numpy() == 0) + 0.3 * (churn >= 0))
    resp = rng.choice(len(state), size=n_resp, p=w / w.sum())
    lo_r, hi_r, churn_r = lo[resp], hi[resp], churn[resp]
    day = lo_r + (rng.random(n_resp) * (hi_r - lo_r)).astype(np.int64)
    exit_wave = (churn_r >= 0) & (rng.random(n_resp) < 0.5)
    day = np.where(exit_wave, np.maximum(lo_r, churn_r - 1 - rng.integers(1, 180, n_resp)), day)
    churned = (churn_r > day) & (churn_r <= day + 182)
    return resp, day, churn_r, churned


def _draw_latents(rng: np.random.Generator, sat: np.ndarray):
    """Expectation latents per dimension, perception latents before the trap shift (driven by the
    customer's satisfaction latent), and the noise of overall satisfaction."""
    n_resp, dims = len(sat), len(C.SERVQUAL_DIMENSIONS)
    e_lat = (np.asarray(EXPECTATION_MEAN) + 0.35 * rng.normal(0, 1, (n_resp, 1))
             + rng.normal(0, 0.3, (n_resp, dims)))
    p_noise = 0.35 * rng.normal(0, 1, (n_resp, 1)) + rng.normal(0, 0.55, (n_resp, dims))
    base_p = np.asarray(PERCEPTION_MEAN) + 0.45 * sat[:, None] + p_noise
    return e_lat, base_p, rng.normal(0, 0.45, n_resp)


def _overall_latent(base_p: np.ndarray, noise: np.ndarray, shift: np.ndarray):
    """Perception latents shifted per respondent, and overall satisfaction: the SERVQUAL weights
    applied to the perceptions."""
    p = base_p + shift[:, None]
    weights = np.asarray(C.SERVQUAL_WEIGHTS)
    return p, OVERALL_BASE + OVERALL_SCALE * ((p - PERCEPTION_MEAN) @ weights) + noise


def _plant_trap(base_p: np.ndarray, noise: np.ndarray, churned: np.ndarray) -> np.ndarray:
    """The satisfaction trap: shift churners' perceptions (bisection) until TRAP_SHARE of them say
    overall >= SATISFIED_MIN."""
    shift = np.zeros(len(churned))
    if churned.any():
        lo_s, hi_s = -3.0, 3.0
        for _ in range(40):
            mid = (lo_s + hi_s) / 2
            shift[churned] = mid
            share = (likert(_overall_latent(base_p, noise, shift)[1][churned])
                     >= C.SATISFIED_MIN).mean()
            lo_s, hi_s = (lo_s, mid) if share > C.TRAP_SHARE else (mid, hi_s)
        shift[churned] = (lo_s + hi_s) / 2
    return shift


def _draw_answers(rng: np.random.Generator, e_lat: np.ndarray, p_lat: np.ndarray,
                  o_lat: np.ndarray) -> dict:
    """The answers on the 1-7 scale: SERVQUAL_ITEMS items per dimension for expectations and
    perceptions, overall, recommendation (0-10) and stated importance points (sum 100)."""
    n_resp, dims, items = len(o_lat), len(C.SERVQUAL_DIMENSIONS), C.SERVQUAL_ITEMS
    exp_items = likert(np.repeat(e_lat, items, axis=1) + rng.normal(0, 0.5, (n_resp, dims * items)))
    per_items = likert(np.repeat(p_lat, items, axis=1) + rng.normal(0, 0.5, (n_resp, dims * items)))
    overall = likert(o_lat)
    recommend = likert(1.55 * overall - 0.9 + rng.normal(0, 0.9, n_resp), 0, 10)
    importance = _points(rng.dirichlet(np.asarray(STATED_IMPORTANCE) * 0.4, n_resp))
    return {"exp": exp_items, "per": per_items, "overall": overall, "recommend": recommend,
            "importance": importance}


def _survey_frame(customers: pd.DataFrame, resp: np.ndarray, day: np.ndarray,
                  churn_r: np.ndarray, churned: np.ndarray, answers: dict) -> pd.DataFrame:
    """The surveys table in date order: ids, the item columns, overall, recommend, churn."""
    n_resp, items = len(resp), C.SERVQUAL_ITEMS
    order = np.lexsort((resp, day))
    cols = {"survey_id": pd.array(ids("SV-", n_resp, 5), dtype="str"),
            "customer_id": customers["customer_id"].to_numpy()[resp[order]],
            "survey_date": day[order].astype("datetime64[D]").astype("datetime64[s]")}
    for prefix in ("exp", "per"):
        for k, d in enumerate(C.SERVQUAL_DIMENSIONS):
            for i in range(items):
                cols[f"{prefix}_{d}_{i + 1}"] = answers[prefix][order, k * items + i]
    for k, d in enumerate(C.SERVQUAL_DIMENSIONS):
        cols[f"imp_{d}"] = answers["importance"][order, k]
    churn_dt = np.where(churn_r >= 0, churn_r, 0).astype("datetime64[D]").astype("datetime64[s]")
    churn_dt[churn_r < 0] = np.datetime64("NaT")
    cols.update(overall=answers["overall"][order], recommend=answers["recommend"][order],
                churned=churned[order], churn_date=churn_dt[order])
    surveys = pd.DataFrame(cols)
    surveys["customer_id"] = surveys["customer_id"].astype("str")
    return surveys


def _points(shares: np.ndarray, total: int = 100) -> np.ndarray:
    """Rows of shares as whole points adding up to ``total`` (largest remainder, per row)."""
    exact = shares * total
    base = np.floor(exact).astype(np.int64)
    short = total - base.sum(axis=1)
    rank = np.argsort(np.argsort(-(exact - base), axis=1, kind="stable"), axis=1)
    return base + (rank < short[:, None])


def make_complaints(rng: np.random.Generator, customers: pd.DataFrame, state: pd.DataFrame,
                    contracts: pd.DataFrame, shipments: pd.DataFrame,
                    config: C.Config) -> tuple[pd.DataFrame, dict]:
    """The ``complaints`` table, each complaint anchored on a real shipment of the customer, and
    the planted recovery facts (dict)."""
    n = config.sizes["complaints"]
    cust_ids = customers["customer_id"].to_numpy()
    ship_cust = pd.Index(cust_ids).get_indexer(shipments["customer_id"].to_numpy())
    d_cust = state["d_customer"].to_numpy()
    cause, ship, linked = _pick_shipments(rng, n, shipments, d_cust[ship_cust])
    cust = ship_cust[ship]
    opened = _open_times(rng, cause, shipments, ship)
    channel = _draw_channels(rng, state["tier"].to_numpy()[cust])
    claim, severity = _draw_claims(rng, cause, shipments, ship)
    times = _handling_times(rng, channel, severity, opened)
    outcome, compensation = _settle(rng, claim, times["still_open"], d_cust[cust],
                                    _claim_terms(contracts, cust_ids[cust]))
    sat_after, fast, paradox = _satisfaction_after(rng, outcome, times, opened)
    complaints = _complaint_frame(config.locale, cust_ids[cust], shipments, ship, linked, {
        "channel": channel, "cause": cause, "severity": severity, "opened": opened,
        "times": times, "claim": claim, "compensation": compensation, "outcome": outcome,
        "sat_after": sat_after})
    done = ~times["still_open"]
    groups = {"fast_full_refund": paradox, "slow_full_refund": ~fast & (outcome == 0) & done,
              "rejected": (outcome == 2) & done}
    planted = {"group_means": {k: round(float(sat_after[g].mean()), 4) if g.any() else None
                               for k, g in groups.items()},
               "group_sizes": {k: int(g.sum()) for k, g in groups.items()},
               "d_complaint_weight_per_shipment": C.D_COMPLAINT_FACTOR,
               "d_claims_rejected_share": round(1 - OUTCOME_CUTS[1][1], 2),
               "other_claims_rejected_share": round(1 - OUTCOME_CUTS[0][1], 2)}
    return complaints, planted


def _pick_shipments(rng: np.random.Generator, n: int, shipments: pd.DataFrame,
                    d_ship: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cause of each complaint and the shipment it is about: a late, damaged, lost or mis-documented
    shipment for those causes (D customers' shipments C.D_COMPLAINT_FACTOR times as likely), opened
    early enough to be handled; whether the complaint names its shipment."""
    ship_weight = np.where(d_ship, C.D_COMPLAINT_FACTOR, 1.0)
    cause = rng.choice(len(C.CAUSE_SHARES), size=n, p=C.CAUSE_SHARES)
    order_min = shipments["order_date"].to_numpy().astype("datetime64[m]").astype(np.int64)
    fine = order_min < END_MIN - 6 * DAY_MIN
    late = ~shipments["on_time"].to_numpy() & ~shipments["lost"].to_numpy()
    pools = [late, shipments["damaged"].to_numpy(), shipments["lost"].to_numpy(),
             np.ones(len(shipments), bool), shipments["doc_error"].to_numpy(),
             np.ones(len(shipments), bool)]
    ship = np.empty(n, dtype=np.int64)
    for c, pool in enumerate(pools):
        members = cause == c
        candidates = np.flatnonzero(pool & fine)
        if len(candidates) == 0:
            candidates = np.flatnonzero(fine)
        ship[members] = pick_rows(rng, candidates, int(members.sum()), ship_weight[candidates])
    linked = np.isin(cause, [0, 1, 2]) | (rng.random(n) < np.array([1, 1, 1, 0.5, 0.8, 0.6])[cause])
    return cause, ship, linked


def _open_times(rng: np.random.Generator, cause: np.ndarray, shipments: pd.DataFrame,
                ship: np.ndarray) -> np.ndarray:
    """Minute each complaint is opened: after the promised time for delays and losses, after the
    delivery otherwise, before the end of the history."""
    n = len(cause)
    promised = shipments["promised_at"].to_numpy().astype("datetime64[m]").astype(np.int64)[ship]
    delivered = shipments["delivered_at"].to_numpy().astype("datetime64[m]")[ship]
    deliv_min = np.where(np.isnat(delivered), promised, delivered.astype(np.int64))
    delay_h = np.select([cause == 0, cause == 2], [rng.exponential(6, n), 48 + rng.exponential(48, n)],
                        2 + rng.exponential(24, n))
    anchor = np.where(cause == 0, promised, np.where(cause == 2, promised, deliv_min))
    return np.minimum(anchor + np.round(delay_h * HOUR_MIN), END_MIN - DAY_MIN // 2)


def _draw_channels(rng: np.random.Generator, tier: np.ndarray) -> np.ndarray:
    """Channel codes (电话, 邮件, 微信, 网站, 客户经理): key customers go to their account manager."""
    channel_p = np.where((tier == 0)[:, None], [0.30, 0.10, 0.15, 0.05, 0.40],
                         [0.40, 0.12, 0.25, 0.13, 0.10])
    return (rng.random(len(tier))[:, None] > np.cumsum(channel_p, axis=1)[:, :-1]).sum(axis=1)


def _draw_claims(rng: np.random.Generator, cause: np.ndarray, shipments: pd.DataFrame,
                 ship: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Claim amount (part of the declared value for damage, all of it for a loss, part of the
    freight for some delays) and severity codes (低, 中, 高)."""
    n = len(cause)
    value = shipments["declared_value"].to_numpy()[ship]
    revenue = shipments["revenue"].to_numpy()[ship]
    claim = np.select([cause == 1, cause == 2, (cause == 0) & (rng.random(n) < 0.3)],
                      [value * rng.uniform(0.05, 0.6, n), value, revenue * rng.uniform(0.1, 0.5, n)],
                      0.0)
    claim = np.round(claim, 2)
    sev_z = (np.array([0.0, 0.8, 2.0, -0.3, -0.5, -0.6])[cause] + rng.normal(0, 0.7, n)
             + 0.8 * (claim > 5_000))
    return claim, np.digitize(sev_z, [0.3, 1.3])


def _handling_times(rng: np.random.Generator, channel: np.ndarray, severity: np.ndarray,
                    opened: np.ndarray) -> dict:
    """Response and resolution times (hours; minutes since epoch for the events): first response
    by channel, resolution by severity, a few disputed cases that drag on, some still open."""
    n = len(channel)
    response_h = rng.lognormal(np.log(np.asarray(RESPONSE_MEDIAN_H)[channel]), 0.8)
    resolve_h = rng.lognormal(np.log(np.asarray(RESOLVE_MEDIAN_H)[severity]), 0.7)
    resolve_h *= np.where(rng.random(n) < 0.04, 8.0, 1.0)
    first = opened + np.maximum(np.round(response_h * HOUR_MIN), 1)
    resolved = first + np.maximum(np.round(resolve_h * HOUR_MIN), 1)
    return {"response_h": response_h, "resolve_h": resolve_h, "first": first,
            "resolved": resolved, "still_open": resolved > END_MIN}


def _claim_terms(contracts: pd.DataFrame, cust_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Claim rate and claim cap of the contract of each complaint's customer."""
    c_row = np.searchsorted(contracts["customer_id"].to_numpy(), cust_ids)
    return contracts["claim_rate"].to_numpy()[c_row], contracts["claim_cap"].to_numpy()[c_row]


def _settle(rng: np.random.Generator, claim: np.ndarray, still_open: np.ndarray,
            d_comp: np.ndarray, terms: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Outcome codes (全额赔付, 部分赔付, 驳回, 道歉, open) and compensation within the contract's
    terms; D customers' claims are rejected twice as often."""
    n = len(claim)
    out_u = rng.random(n)
    claim_outcome = np.where(d_comp, np.digitize(out_u, OUTCOME_CUTS[1]),
                             np.digitize(out_u, OUTCOME_CUTS[0]))
    outcome = np.where(claim > 0, claim_outcome, np.where(out_u < 0.85, 3, 2))
    outcome = np.where(still_open, 4, outcome)
    rate, cap = terms
    payable = np.minimum(claim * rate, cap)
    compensation = np.round(np.select([outcome == 0, outcome == 1],
                                      [payable, payable * rng.uniform(0.3, 0.8, n)], 0.0), 2)
    return outcome, compensation


def _satisfaction_after(rng: np.random.Generator, outcome: np.ndarray, times: dict,
                        opened: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Satisfaction after recovery (1-7, NaN while open) from the outcome and the response times,
    with the planted paradox: fast full refunds end at RECOVERY_PARADOX_MEAN on average (bisection
    on a shift). Also returns who was answered fast and the paradox group."""
    response_h, resolve_h = times["response_h"], times["resolve_h"]
    effect = np.array([RECOVERY_EFFECT[k] for k in ("全额赔付", "部分赔付", "驳回", "道歉")] + [0.0])
    fast = (times["first"] - opened) <= C.RECOVERY_FAST_H * HOUR_MIN
    noise = rng.normal(0, 0.8, len(outcome))
    latent = (4.2 + effect[outcome] - 0.25 * np.log1p(response_h) - 0.15 * np.log1p(resolve_h)
              - C.RECOVERY_SLOW_PENALTY * ~fast + noise)
    paradox = fast & (outcome == 0)
    if paradox.any():
        base = -0.15 * np.log1p(resolve_h[paradox]) + noise[paradox]
        lo_s, hi_s = 0.0, 12.0
        for _ in range(40):
            mid = (lo_s + hi_s) / 2
            lo_s, hi_s = ((lo_s, mid) if likert(mid + base).mean() > C.RECOVERY_PARADOX_MEAN
                          else (mid, hi_s))
        latent[paradox] = (lo_s + hi_s) / 2 + base
    sat_after = likert(latent).astype(float)
    sat_after[times["still_open"]] = np.nan
    return sat_after, fast, paradox


def _complaint_frame(loc: str, cust_ids: np.ndarray, shipments: pd.DataFrame, ship: np.ndarray,
                     linked: np.ndarray, c: dict) -> pd.DataFrame:
    """The complaints table in opening order; the shipment id only where the complaint names it."""
    times, opened = c["times"], c["opened"]
    order = np.lexsort((ship, opened))
    ship_ids = shipments["shipment_id"].to_numpy(dtype=object)[ship].copy()
    ship_ids[~linked] = None
    first_dt = np.where(times["first"] > END_MIN, np.nan, times["first"])
    resolved_dt = np.where(times["still_open"], np.nan, times["resolved"])

    def to_dt(minutes):
        return pd.to_datetime(np.asarray(minutes, dtype=float) * 60, unit="s").as_unit("s")

    return pd.DataFrame({
        "complaint_id": pd.array(ids("TS-", len(ship), 6), dtype="str"),
        "customer_id": pd.array(cust_ids[order], dtype="str"),
        "shipment_id": pd.array(ship_ids[order], dtype="str"),
        "channel": cat(c["channel"][order], "channel", loc),
        "cause": cat(c["cause"][order], "cause", loc),
        "severity": cat(c["severity"][order], "severity", loc),
        "opened_at": to_dt(opened[order]),
        "first_response_at": to_dt(first_dt[order]),
        "resolved_at": to_dt(resolved_dt[order]),
        "claim_amount": c["claim"][order],
        "compensation": c["compensation"][order],
        "outcome": cat(c["outcome"][order], "outcome", loc),
        "satisfaction_after": c["sat_after"][order],
    })
