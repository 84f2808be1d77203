"""``generate``: every table from one seed, one scale and one locale, plus the planted truth."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import cat
from crmkit.datasets.activity import make_calls, make_contacts
from crmkit.datasets.customers import PRICE_CHURN, make_contracts, make_customers
from crmkit.datasets.extracts import make_extracts
from crmkit.datasets.voice import RECOVERY_EFFECT, STATED_IMPORTANCE, make_complaints, make_surveys
from crmkit.vocabulary import labels, translate
from crmkit.datasets.shipments import make_shipments

__all__ = ["TABLES", "Dataset", "Truth", "generate"]

#: The tables of a dataset, in the order they are generated and written.
TABLES = ("customers", "contracts", "shipments", "surveys", "complaints", "calls", "contacts",
          "sales_extract", "warehouse_extract", "service_extract")
#: Truth tables written as CSV next to ``truth.json``.
TRUTH_TABLES = ("customer_truth", "extract_links")


class Truth(dict):
    """The planted structure: a dict whose keys can also be read as attributes (``truth.trap``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"The truth has no entry {name!r}. Entries: {', '.join(self)}.") from None

    def __dir__(self) -> list[str]:
        return sorted(self)


@dataclass
class Dataset:
    """Generated tables (``ds.tables["shipments"]`` or ``ds.shipments``) and their ``truth``."""

    tables: dict[str, pd.DataFrame]
    truth: Truth
    config: C.Config | None = field(repr=False, default=None)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"The dataset has no table {name!r}. Tables: {', '.join(tables)}.")

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables.items())
        return f"Dataset({sizes})"


def generate(seed: int = C.DEFAULT_SEED, scale: str | dict = "classroom", locale: str = "zh_CN", *,
             validate: bool = True, progress: Callable[[str], None] | None = None) -> Dataset:
    """Generate every table of the logistics dataset and record the planted truth.

    Parameters
    ----------
    seed : int
        The same seed, scale, locale and crmkit version always give the same data.
    scale : {"tiny", "classroom", "course", "big"} or dict
        Table sizes (see :data:`SCALES`); a dict such as ``{"shipments": 10_000}`` overrides
        classroom sizes.
    locale : {"zh_CN", "en_US"}
        Language of names, places and category labels; the numbers are the same in both.
    validate : bool
        Check every table against its schema and the foreign keys (default True).
    progress : callable, optional
        Called with the name of each table as it is made (the CLI passes a tqdm update).

    Returns
    -------
    Dataset
        ``.tables`` (dict of DataFrames, also readable as attributes) and ``.truth``.

    Examples
    --------
    >>> ds = generate(seed=1, scale="tiny")
    >>> len(ds.customers), ds.shipments["service"].dtype.name
    (200, 'category')
    >>> ds.truth.tier_profit_shares_observed          # 表1-1: key customers earn 80 %
    {'关键客户': 0.8, '合适客户': 0.15, '一般客户': 0.05}
    >>> ds.truth.whale["d_loss_share"]                 # D customers lose 16 % of total profit
    0.16
    """
    cfg = C.Config.make(seed, scale, locale)
    tables, facts = _make_tables(cfg, progress or (lambda name: None))
    truth = _truth(cfg, tables, facts)
    if validate:
        from crmkit.datasets.schemas import validate_tables

        validate_tables(tables, cfg.locale)
        (progress or (lambda name: None))("validated")
    return Dataset(tables=tables, truth=truth, config=cfg)


def _make_tables(cfg: C.Config, tick: Callable[[str], None]) -> tuple[dict, dict]:
    """Every table in the order of :data:`TABLES` (each from its own random stream), and the
    planted facts the makers hand on to the truth."""
    customers, state = make_customers(cfg.rng("customers"), cfg.sizes["customers"], cfg)
    tick("customers")
    contracts = make_contracts(cfg.rng("contracts"), customers, state, cfg)
    tick("contracts")
    shipments, ship_info = make_shipments(cfg.rng("shipments"), customers, state, cfg)
    tick("shipments")
    surveys, survey_info = make_surveys(cfg.rng("surveys"), customers, state, cfg)
    tick("surveys")
    complaints, recovery = make_complaints(cfg.rng("complaints"), customers, state, contracts,
                                           shipments, cfg)
    tick("complaints")
    calls, call_info = make_calls(cfg.rng("calls"), customers, state, cfg)
    tick("calls")
    contacts, stage = make_contacts(cfg.rng("contacts"), customers, state, cfg)
    tick("contacts")
    extracts, links = make_extracts(cfg.rng("extracts"), customers, cfg)
    tick("extracts")
    tables = {"customers": customers, "contracts": contracts, "shipments": shipments,
              "surveys": surveys, "complaints": complaints, "calls": calls, "contacts": contacts,
              **extracts}
    facts = {"state": state, "ship": ship_info, "survey": survey_info, "call": call_info,
             "stage": stage, "links": links, "recovery": recovery}
    return tables, facts


def _truth(cfg: C.Config, tables: dict, facts: dict) -> Truth:
    """The planted structure, section by section (the keys keep their order in truth.json)."""
    loc, state, ship_info = cfg.locale, facts["state"], facts["ship"]
    prospect = state["prospect"].to_numpy()
    tier = np.where(prospect, -1, state["tier"].to_numpy())
    profit = ship_info["profit"]
    customers = tables["customers"]
    return Truth({
        "seed": cfg.seed, "scale": cfg.scale, "locale": loc, "sizes": dict(cfg.sizes),
        "asof": str(C.ASOF.date()),
        **_tier_truth(loc, tier, profit),
        "whale": _whale(profit[~prospect], state["d_customer"].to_numpy()[~prospect],
                        customers[~prospect]),
        "prospects": _prospect_truth(loc, prospect),
        **_motive_truth(loc),
        **_survey_truth(facts["survey"]),
        "complaint_cause_shares": dict(zip(labels("cause", loc), C.CAUSE_SHARES)),
        "complaint_recovery_effect": {translate(k, loc): v for k, v in RECOVERY_EFFECT.items()},
        "service_recovery": _recovery(tables, facts["recovery"]),
        "call_hourly_profile": _call_truth(facts["call"]),
        **_delivery_truth(loc, ship_info),
        **_relationship_rules(),
        "extract_staleness": _staleness(tables, facts["links"]),
        "customer_truth": _customer_truth(loc, customers, state, ship_info, facts["stage"]),
        "extract_links": facts["links"],
    })


def _customer_truth(loc: str, customers: pd.DataFrame, state: pd.DataFrame, ship_info: dict,
                    stage: np.ndarray) -> pd.DataFrame:
    """One row per customer: the planted tier, motive, churn, stage, time type, D flag, profit."""
    prospect = state["prospect"].to_numpy()
    churn = state["churn_day"].to_numpy()
    churn_dt = np.where(churn >= 0, churn, 0).astype("datetime64[D]").astype("datetime64[s]")
    churn_dt[churn < 0] = np.datetime64("NaT")
    return pd.DataFrame({
        "customer_id": customers["customer_id"].copy(),
        "tier": cat(np.where(prospect, -1, state["tier"].to_numpy()), "tier", loc),
        "motive_type": cat(state["motive"].to_numpy(), "motive_type", loc),
        "churned": state["churned"].to_numpy(),
        "churn_date": churn_dt,
        "stage": cat(stage, "stage", loc),
        "time_type": cat(_time_type(ship_info, len(state)), "time_type", loc),
        "prospect": prospect,
        "d_customer": state["d_customer"].to_numpy(),
        "profit": np.round(ship_info["profit"], 2),
        "revenue": np.round(ship_info["revenue"], 2),
    })


def _tier_truth(loc: str, tier: np.ndarray, profit: np.ndarray) -> dict:
    """Planted and observed tier shares of customers and of profit (表1-1)."""
    tier_labels = labels("tier", loc)
    total = profit.sum()
    return {
        "tier_customer_shares": dict(zip(tier_labels, C.TIER_SHARES)),
        "tier_profit_shares": dict(zip(tier_labels, C.TIER_PROFIT_SHARES)),
        "tier_profit_shares_observed": {lab: round(float(profit[tier == k].sum() / total), 4)
                                        for k, lab in enumerate(tier_labels)},
        "tier_rule": ("true tier of the customers who ordered (prospects have none); profit = sum "
                      "over shipments of revenue - cost, 2024-2025"),
    }


def _prospect_truth(loc: str, prospect: np.ndarray) -> dict:
    """How many prospects (未来型) were planted and what they have."""
    return {
        "planted_share": C.PROSPECT_SHARE,
        "count": int(prospect.sum()),
        "stage_shares": dict(zip(labels("stage", loc)[:3], C.PROSPECT_STAGE_SHARES)),
        "rule": ("on the customer list but no order yet: first_order_date and contract_tier "
                 "missing, no contract, shipments, surveys, complaints or calls; contacts only "
                 "初次接触 (点头之交) and 询价/拜访 (朋友), none for 陌生人; listed in sales_extract "
                 "only")}


def _motive_truth(loc: str) -> dict:
    """The planted motive shares and how motives show in the behaviour columns."""
    return {
        "motive_shares": dict(zip(labels("motive_type", loc), C.MOTIVE_SHARES)),
        "motive_rule": ("planted motive -> behaviour with noise: the matching trait is drawn "
                        "from beta(6, 3), the others from beta(2.5, 4.5) (customization_requests: "
                        "Poisson 8 against 1.8), so the trait that stands out (price_sensitivity "
                        "经济型, ethical_preference 道德型, customization_requests / 12 capped at 1 "
                        "个性化, convenience_preference 方便型) names the motive for most customers, "
                        "not all; price sensitivity raises the churn logit by "
                        f"{PRICE_CHURN} per unit above 0.5 and the discount"),
    }


def _survey_truth(survey_info: dict) -> dict:
    """SERVQUAL weights (derived and stated) and the satisfaction trap."""
    dims = C.SERVQUAL_DIMENSIONS
    return {
        "servqual_weights": dict(zip(dims, C.SERVQUAL_WEIGHTS)),
        "servqual_stated_importance": dict(zip(dims, STATED_IMPORTANCE)),
        "trap": {"definition": (f"share of respondents with churned == True who had answered "
                                f"overall >= {C.SATISFIED_MIN} (satisfied, 1-7 scale)"),
                 "satisfied_min": C.SATISFIED_MIN, "planted_share": C.TRAP_SHARE,
                 "observed_share": survey_info["share_churners_satisfied"],
                 "share_satisfied_who_churn": survey_info["share_satisfied_who_churn"],
                 "share_satisfied": survey_info["share_satisfied"]},
    }


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _call_truth(call_info: dict) -> dict:
    """The planted call profile: hour weights, weekday factors, expected calls and agents per hour."""
    expected = call_info["expected"]
    dow = pd.date_range(C.CALLS_START, periods=C.CALLS_DAYS, freq="D").day_of_week.to_numpy()
    per_weekday = np.array([expected[dow == d].mean(axis=0) for d in range(7)])
    agents = np.array([call_info["agents"][dow == d].mean(axis=0) for d in range(7)])
    return {
        "peak_hours": list(C.CALL_PEAK_HOURS),
        "hour_weights": list(C.HOURLY_PROFILE),
        "weekday_factor": dict(zip(WEEKDAYS, C.WEEKDAY_FACTOR)),
        "expected_calls_per_hour": {d: [round(float(x), 3) for x in row] for d, row in
                                    zip(WEEKDAYS, per_weekday)},
        "agents_on_duty": {d: [round(float(x), 2) for x in row] for d, row in
                           zip(WEEKDAYS, agents)},
        "staffing_rule": "agents = max(2, ceil(offered load / occupancy)), occupancy 0.75 (0.85 at the "
                         "peak hours); mean handle time 240 s; waits follow Erlang C; patience "
                         "exponential with mean 400 s",
    }


def _delivery_truth(loc: str, ship_info: dict) -> dict:
    """Planted on-time probability by service and by window; damage and loss rates."""
    svc, win, p_on = ship_info["service"], ship_info["window"], ship_info["p_on_time"]
    return {
        "on_time_by_service": {lab: round(float(p_on[svc == k].mean()), 4)
                               for k, lab in enumerate(labels("service", loc)) if (svc == k).any()},
        "on_time_by_time_window": {lab: round(float(p_on[win == k].mean()), 4)
                                   for k, lab in enumerate(labels("time_window", loc))
                                   if (win == k).any()},
        "damage_rate_by_service": dict(zip(labels("service", loc), C.DAMAGE_RATE)),
        "loss_rate_by_service": dict(zip(labels("service", loc), C.LOSS_RATE)),
    }


def _relationship_rules() -> dict:
    """How stages, loyalty, time types and churn were planted (words and parameters)."""
    return {
        "stage_rule": (
            "prospects are 陌生人 (no contact), 点头之交 (初次接触 only) or 朋友 (询价, perhaps 拜访) "
            "- definitions from the contacts; customers who ordered (试单 = first order) are 客户, "
            "or 忠诚者 if planted loyal: loyalty_score >= "
            f"{C.LOYALTY_MIN}, not churned, first order more than {C.ACTIVE_WINDOW_DAYS} days before "
            f"asof. Loyalty is a latent that shapes behaviour with noise (it is not the rule of "
            f"crmkit.classify.relationship_stage): loyal customers ship {C.LOYAL_VOLUME}x as much, "
            f"take a spell of {C.PAUSE_DAYS[0]}-{C.PAUSE_DAYS[1]} days with another carrier with "
            f"probability {C.PAUSE_P[1]} per chance ({C.PAUSES} chances over both years; others "
            f"{C.PAUSE_P[0]}) and refer others (转介绍) with probability {C.REFER_P[1]} (others "
            f"{C.REFER_P[0]}), so the default rule recovers most loyal customers, misses some and "
            "flags some steady non-loyal shippers"),
        "loyal_rule": {"loyalty_min": C.LOYALTY_MIN, "window_days": C.ACTIVE_WINDOW_DAYS,
                       "quarters": C.LOYAL_QUARTERS, "min_orders": C.LOYAL_MIN_ORDERS,
                       "loyal_volume": C.LOYAL_VOLUME, "pauses": C.PAUSES,
                       "pause_p": {"other": C.PAUSE_P[0], "loyal": C.PAUSE_P[1]},
                       "pause_days": list(C.PAUSE_DAYS),
                       "refer_p": {"other": C.REFER_P[0], "loyal": C.REFER_P[1]}},
        "time_type_rule": ("未来型: no order up to asof (prospects); 现在型: last order within the "
                           f"{C.ACTIVE_WINDOW_DAYS} days before asof; 过去型: ordered before, not since"),
        "churn_rule": ("a yearly churn hazard per true tier, shifted by the loyalty and satisfaction "
                       "latents and price sensitivity, decides who leaves (churn_date in "
                       "customer_truth); leavers drift away first: in the "
                       f"{C.DRIFT_DAYS} days before churn_date each order moves earlier with "
                       f"probability {C.DRIFT_MOVE} x (1 - days before / {C.DRIFT_DAYS})"),
    }


def _time_type(ship_info, m: int) -> np.ndarray:
    """Planted time type codes (过去型 0, 现在型 1, 未来型 2) from each customer's last order day."""
    last = np.full(m, -1, dtype=np.int64)
    np.maximum.at(last, ship_info["cust"], ship_info["day"])
    asof = (C.ASOF - C.HISTORY_START).days
    return np.where(last < 0, 2, np.where(asof - last < C.ACTIVE_WINDOW_DAYS, 1, 0))


def _whale(profit: np.ndarray, d_cust: np.ndarray, customers: pd.DataFrame) -> dict:
    """The whale curve of the ordering customers and the D customers' planted loss."""
    total = profit.sum()
    ranked = np.sort(profit)[::-1]
    curve = np.cumsum(ranked) / total
    loss = profit < 0
    low_credit = customers["credit_rating"].cat.codes.to_numpy() >= 3
    low_loyalty = customers["loyalty_score"].to_numpy() < customers["loyalty_score"].median()
    return {
        "definition": ("customers ranked by profit (revenue - cost, 2024-2025), largest first; "
                       "peak of the cumulative share of total profit"),
        "peak_share": round(float(curve.max()), 4),
        "peak_customers": int(curve.argmax() + 1),
        "loss_makers": int(loss.sum()),
        "loss_share": round(float(-profit[loss].sum() / total), 4),
        "d_customers": int(d_cust.sum()),
        "d_share": C.D_SHARE,
        "d_loss_of_key_profit": C.SMALL_CUSTOMER_LOSS_SHARE,
        "d_loss_share": C.D_LOSS_SHARE,
        "d_loss_share_observed": round(float(-profit[d_cust].sum() / total), 4),
        "loss_makers_low_credit_share": round(float(low_credit[loss].mean()), 4) if loss.any() else None,
        "loss_makers_low_loyalty_share": round(float(low_loyalty[loss].mean()), 4) if loss.any() else None,
        "d_rule": ("D customers (d_customer in customer_truth): general-tier customers with credit B "
                   "or C, low loyalty, many small consignments (parcels, LTL) and a cost to serve "
                   "above their revenue; every one loses money, together D_LOSS_SHARE of total "
                   "profit; they complain 3x as often per shipment and twice as many of their "
                   "claims are rejected"),
    }


def _recovery(tables, recovery: dict) -> dict:
    """The planted service recovery paradox and the never-complained baseline it beats."""
    surveys, complaints = tables["surveys"], tables["complaints"]
    never = ~surveys["customer_id"].isin(complaints["customer_id"])
    baseline = float(surveys.loc[never, "overall"].mean()) if never.any() else None
    return {
        "definition": (f"fast = first response within {C.RECOVERY_FAST_H:g} h of opened_at; group "
                       "means of satisfaction_after against the mean survey `overall` of customers "
                       "who never complained (as crmkit.complaints.recovery_effect)"),
        "fast_response_max_h": C.RECOVERY_FAST_H,
        "planted_mean_fast_full_refund": C.RECOVERY_PARADOX_MEAN,
        "slow_response_penalty": C.RECOVERY_SLOW_PENALTY,
        "baseline_never_complained": None if baseline is None else round(baseline, 4),
        **recovery,
    }


def _staleness(tables, links) -> dict:
    """How the extracts' staleness is planted, and how well the 365-day rule finds it."""
    cutoff = C.ASOF - pd.Timedelta(days=C.STALE_AFTER_DAYS)
    flagged, stale = [], []
    for name, frame in tables.items():
        if name.endswith("_extract"):
            stale.append(links.loc[links["extract"] == name, "stale"].to_numpy())
            flagged.append((frame["last_updated"] < cutoff).to_numpy())
    flagged = np.concatenate(flagged) if flagged else np.zeros(0, bool)
    stale = np.concatenate(stale) if stale else np.zeros(0, bool)
    hits = int((flagged & stale).sum())
    return {"stale_after_days": C.STALE_AFTER_DAYS, "asof": str(C.ASOF.date()),
            "rule": ("a row is stale when its phone or city is outdated (the data changed); its "
                     f"last update is before {cutoff.date()} with probability "
                     f"{C.STALE_OLD_P[1]} if stale and {C.STALE_OLD_P[0]} if fresh"),
            "old_update_p": {"fresh": C.STALE_OLD_P[0], "stale": C.STALE_OLD_P[1]},
            "stale_share": round(float(links["stale"].mean()), 4),
            "rule_agreement": round(float((flagged == stale).mean()), 4) if len(stale) else None,
            "rule_precision": round(float(hits / flagged.sum()), 4) if flagged.any() else None,
            "rule_recall": round(float(hits / stale.sum()), 4) if stale.any() else None}
