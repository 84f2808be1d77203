"""The course's shared vocabulary: each reference value and planted-rule default defined once.

The dataset generator plants its structure with these values and the methods use them as their
defaults, so a lesson's rule and the data's rule cannot drift apart. Both layers import from here;
this module imports nothing from crmkit.

Examples
--------
>>> from crmkit import vocabulary as V
>>> V.ASOF.date(), V.ACTIVE_WINDOW_DAYS, V.TIER_SHARES
(datetime.date(2025, 12, 31), 365, (0.05, 0.15, 0.8))
"""
from __future__ import annotations

import pandas as pd

__all__ = ["ASOF", "ACTIVE_WINDOW_DAYS", "LOYAL_QUARTERS", "LOYAL_MIN_ORDERS", "STALE_AFTER_DAYS",
           "TIER_SHARES", "TIER_PROFIT_SHARES", "SMALL_CUSTOMER_LOSS_SHARE", "SERVQUAL_DIMENSIONS"]

#: Reference date of the course data (history 2024-01-01 .. 2025-12-31): the default ``asof``.
ASOF = pd.Timestamp("2025-12-31")
#: "Recent" means the last 365 days up to asof (our rule for 现在型 and for loyalty).
ACTIVE_WINDOW_DAYS = 365
#: 忠诚者 rule (ours): orders in all 4 quarters of the window and (a referral or >= 12 orders).
LOYAL_QUARTERS = 4
LOYAL_MIN_ORDERS = 12
#: A customer record not updated for more than a year is stale (textbook ch.3: 及时性).
STALE_AFTER_DAYS = 365
#: 表1-1 物流客户层次表: 关键 / 合适 / 一般 customers' shares of customers and of profit.
TIER_SHARES = (0.05, 0.15, 0.80)
TIER_PROFIT_SHARES = (0.80, 0.15, 0.05)
#: Bad debt and disputes among small customers "会销蚀掉20%的重点客户所带来的利润"
#: (can eat about 20 % of the profit from key customers; textbook ch. 5 §5.3.2).
SMALL_CUSTOMER_LOSS_SHARE = 0.20
#: The five SERVQUAL dimensions (Parasuraman, Zeithaml & Berry 1988), in questionnaire order.
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
