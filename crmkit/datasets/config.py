"""Scales, dates and the planted structure of the generated logistics data.

Every number the lessons are meant to recover is a named constant here, and each generated dataset
records the values it used in its ``truth``.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmkit.vocabulary import (  # noqa: F401 - the generator plants the methods' defaults
    ACTIVE_WINDOW_DAYS, ASOF, LOYAL_MIN_ORDERS, LOYAL_QUARTERS, SERVQUAL_DIMENSIONS,
    SMALL_CUSTOMER_LOSS_SHARE, STALE_AFTER_DAYS, TIER_PROFIT_SHARES, TIER_SHARES,
)

__all__ = ["DEFAULT_SEED", "SCALES", "Config", "child_rng", "child_seed", "HISTORY_START",
           "HISTORY_END", "ASOF", "CALLS_START", "CALLS_DAYS", "SERVQUAL_DIMENSIONS"]

#: Default seed: the year of the textbook's second edition (清华大学出版社 2016).
DEFAULT_SEED = 2016

#: Table sizes per scale. ``classroom`` is shipped in ``datasets/``; ``tiny`` is for tests.
SCALES: dict[str, dict[str, int]] = {
    "tiny": dict(customers=200, shipments=10_000, surveys=300, complaints=250, calls=6_000),
    "classroom": dict(customers=2_000, shipments=100_000, surveys=3_000, complaints=2_500,
                      calls=60_000),
    "course": dict(customers=20_000, shipments=1_000_000, surveys=30_000, complaints=25_000,
                   calls=600_000),
    "big": dict(customers=50_000, shipments=2_000_000, surveys=50_000, complaints=50_000,
                calls=1_000_000),
}

#: Two years of history and the reference date (crmkit data contract).
HISTORY_START = pd.Timestamp("2024-01-01")
HISTORY_END = pd.Timestamp("2025-12-31")
#: Eight weeks of service-centre calls, Monday 2025-11-03 to Sunday 2025-12-28.
CALLS_START = pd.Timestamp("2025-11-03")
CALLS_DAYS = 56

#: The five SERVQUAL dimensions, Parasuraman, Zeithaml & Berry (1988).
SERVQUAL_ITEMS = 4

# ---- planted structure ---------------------------------------------------------------------
#: Customer tiers (表1-1): share of customers and share of profit.
#: Prospects (未来型 customers; 表1-2 陌生人/点头之交/朋友): share of the customer list that has not
#: ordered yet (no shipments, no contract), and the shares of their stages: 陌生人 (on the list,
#: never contacted), 点头之交 (only a first contact), 朋友 (an inquiry or a visit as well).
PROSPECT_SHARE = 0.06
PROSPECT_STAGE_SHARES = (0.10, 0.40, 0.50)
#: D customers (ch.5 ABCD pyramid): small, demanding customers with low credit (B/C) and low
#: loyalty who ship many small consignments at a high cost to serve. Share of the ordering
#: customers (all in the general tier), and their combined loss: bad debt and disputes among small
#: customers "会销蚀掉20%的重点客户所带来的利润" (eat about 20 % of the key customers' profit,
#: textbook ch.5 §5.3.2), i.e. 0.20 x 0.80 = 16 % of total profit, so the whale curve peaks near 116 %.
D_SHARE = 0.15
D_LOSS_SHARE = round(SMALL_CUSTOMER_LOSS_SHARE * TIER_PROFIT_SHARES[0], 4)
#: Complaints per shipment of a D customer relative to other customers (more disputes and claims).
D_COMPLAINT_FACTOR = 3.0
#: Relationship stage 忠诚者 (表1-2), planted as a latent and NOT by the rule of
#: crmkit.classify.relationship_stage. Planted loyal customers: loyalty_score >= LOYALTY_MIN, not
#: churned, first order more than ACTIVE_WINDOW_DAYS days before the reference date. Loyalty shapes
#: behaviour noisily: loyal customers ship LOYAL_VOLUME times as much, pause (a spell of
#: PAUSE_DAYS days with another carrier, in either year; PAUSES chances) with probability PAUSE_P[1] against
#: PAUSE_P[0] for the others, and refer others (转介绍) with probability REFER_P[1] against
#: REFER_P[0]. The rule's parameters (orders in all LOYAL_QUARTERS quarters of the last
#: ACTIVE_WINDOW_DAYS days and a referral or >= LOYAL_MIN_ORDERS orders) are the method's defaults.
LOYALTY_MIN = 0.70
LOYAL_VOLUME = 1.3
PAUSES = 2
PAUSE_P = (0.90, 0.06)
PAUSE_DAYS = (120, 270)
REFER_P = (0.03, 0.70)
#: Churn is a yearly hazard (customers.CHURN_BASE, shifted by loyalty, satisfaction and price
#: sensitivity), and leavers drift away: in the DRIFT_DAYS days before the churn day each order
#: moves earlier with probability DRIFT_MOVE x (1 - days before / DRIFT_DAYS).
DRIFT_DAYS = 90
DRIFT_MOVE = 0.8
#: Service recovery paradox (服务补救悖论, ch.10): a complaint answered within RECOVERY_FAST_H hours
#: and settled with a full refund leaves the customer at RECOVERY_PARADOX_MEAN on average (1-7),
#: above customers who never complained (about 5.5); a slow answer costs RECOVERY_SLOW_PENALTY.
RECOVERY_FAST_H = 4.0
RECOVERY_PARADOX_MEAN = 6.1
RECOVERY_SLOW_PENALTY = 0.6
#: Departmental extracts (ch.3 timeliness): a record is stale when its data changed (an outdated
#: phone or city). Its last update is older than STALE_AFTER_DAYS days (the default of
#: crmkit.crm.data_quality) with probability STALE_OLD_P[1] if stale and STALE_OLD_P[0] if fresh,
#: so the 365-day rule finds most stale records, misses some and raises some false alarms.
STALE_OLD_P = (0.03, 0.85)
#: Marketing-motive types (经济型, 道德型, 个性化, 方便型) and their shares.
MOTIVE_SHARES = (0.40, 0.15, 0.20, 0.25)
#: Weight of each dimension's perception on overall satisfaction (reliability strongest).
SERVQUAL_WEIGHTS = (0.08, 0.38, 0.24, 0.18, 0.12)
#: Satisfaction trap: share of churned respondents who had said they were satisfied
#: (overall >= SATISFIED_MIN on 1-7). The textbook: 65-85% of satisfied customers still switch.
SATISFIED_MIN = 5
TRAP_SHARE = 0.75
#: Complaint causes (延误, 货损, 丢失, 服务态度, 账单错误, 信息不准): delay is the most common.
CAUSE_SHARES = (0.36, 0.20, 0.08, 0.12, 0.10, 0.14)
#: Relative call volume by hour of day (0-23): peaks at 10:00 and 15:00, quiet at night.
HOURLY_PROFILE = (0.10, 0.06, 0.04, 0.04, 0.04, 0.06, 0.15, 0.40, 0.85, 1.35, 1.70, 1.45,
                  0.95, 1.10, 1.40, 1.65, 1.35, 1.05, 0.75, 0.55, 0.40, 0.30, 0.20, 0.14)
CALL_PEAK_HOURS = (10, 15)
#: Relative call volume Monday..Sunday (Monday highest).
WEEKDAY_FACTOR = (1.30, 1.10, 1.00, 1.00, 1.05, 0.55, 0.40)
#: Road-factor for distances (see geography.ROAD_FACTOR) and contract terms per contract tier.
ON_TIME_TARGET = (0.90, 0.95, 0.98)              # 基础, 标准, 战略
DAMAGE_RATE_MAX = (0.010, 0.006, 0.003)
#: Probability a shipment is damaged / lost / has a paperwork error, per service
#: (整车, 零担, 快递, 仓储, 冷链): damage is most common in LTL (零担).
DAMAGE_RATE = (0.006, 0.025, 0.012, 0.004, 0.015)
LOSS_RATE = (0.001, 0.004, 0.004, 0.001, 0.002)
DOC_ERROR_RATE = (0.010, 0.020, 0.012, 0.015, 0.015)
#: Base on-time probability per service and logit shift per time window (上午, 下午, 夜间).
ON_TIME_BASE = (0.95, 0.88, 0.93, 0.97, 0.94)
WINDOW_LOGIT = (-0.25, 0.0, 0.55)


def child_seed(seed: int, name: str) -> int:
    """A stable integer seed for one table, independent of the other tables."""
    return int(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),))
               .generate_state(1)[0])


def child_rng(seed: int, name: str) -> np.random.Generator:
    """An independent random stream for one table: adding a table never shifts another's numbers."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))


@dataclass(frozen=True)
class Config:
    """What one generated dataset is made from: seed, scale, locale and the table sizes."""

    seed: int = DEFAULT_SEED
    scale: str = "classroom"
    locale: str = "zh_CN"
    sizes: dict = field(default_factory=lambda: dict(SCALES["classroom"]))

    @classmethod
    def make(cls, seed=DEFAULT_SEED, scale="classroom", locale="zh_CN") -> "Config":
        """Check the arguments and build a Config (``scale`` a name or a dict of sizes)."""
        from crmkit.vocabulary import LOCALES

        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise TypeError(f"`seed` must be a non-negative whole number, but {seed!r} was passed.")
        if locale not in LOCALES:
            raise ValueError(f"The value for `locale` must be one of ({', '.join(LOCALES)}), "
                             f"but {locale!r} was passed.")
        if isinstance(scale, str):
            if scale not in SCALES:
                raise ValueError(f"The value for `scale` must be one of ({', '.join(SCALES)}), "
                                 f"but {scale!r} was passed.")
            return cls(int(seed), scale, locale, dict(SCALES[scale]))
        if isinstance(scale, dict):
            unknown = set(scale) - set(SCALES["classroom"])
            if unknown:
                raise ValueError(f"`scale` has unknown table size(s) {', '.join(sorted(unknown))}. "
                                 f"Known: {', '.join(SCALES['classroom'])}.")
            sizes = {**SCALES["classroom"], **{k: int(v) for k, v in scale.items()}}
            if sizes["customers"] < 20 or min(sizes.values()) < 1 or sizes["shipments"] < sizes["customers"]:
                raise ValueError(f"`scale` needs at least 20 customers, one row per table and at "
                                 f"least one shipment per customer, but {sizes} was passed.")
            return cls(int(seed), "custom", locale, sizes)
        raise TypeError(f"`scale` must be a scale name ({', '.join(SCALES)}) or a dict of table "
                        f"sizes, not {scale!r}.")

    def rng(self, table: str) -> np.random.Generator:
        """The random stream of ``table``."""
        return child_rng(self.seed, table)

    def faker_seed(self, table: str) -> int:
        """The Faker seed of ``table`` (for ``seed_instance``)."""
        return child_seed(self.seed, "faker:" + table)
