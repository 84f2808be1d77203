"""Classifying logistics customers (物流客户的分类).

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 二、物流客户的分类 and 三、各阶段客户关系的特点.
Notebook: notebooks/01_customer_types.ipynb

Four lenses, each a stated rule on tidy tables. Labels are the textbook's Chinese terms, from
:mod:`crmkit.vocabulary` (``vocabulary.english`` translates them). Dates are compared by calendar day: everything on the reference
day ``asof`` counts as "up to asof".

- :mod:`.timing` — :func:`time_type`: 过去型 / 现在型 / 未来型 from order history and a reference date.
- :mod:`.tiers` — :func:`logistics_tiers`, :func:`tier_table`: 关键 / 合适 / 一般客户 by profit rank,
  beside the textbook's 表1-1.
- :mod:`.stages` — :func:`relationship_stage`, :func:`stage_transitions`: 陌生人 → 点头之交 → 朋友 →
  客户 → 忠诚者 from contacts and orders (表1-2), and how customers moved between two dates.
- :mod:`.motive` — :func:`motive_type`: 经济型 / 道德型 / 个性化 / 方便型 from stated behaviour.
"""
from crmkit.classify.motive import MOTIVE_COLUMNS, MOTIVE_TYPES, motive_type
from crmkit.classify.stages import (
    CONTACT_KINDS, FRIEND_KINDS, LOYAL_MIN_ORDERS, LOYAL_QUARTERS,
    STAGE_GUIDE, STAGES, relationship_stage, stage_transitions,
)
from crmkit.classify.tiers import (
    TIER_GOALS, TIER_PROFIT_SHARES, TIER_SHARES, TIERS, logistics_tiers, tier_table,
)
from crmkit.classify.timing import (
    ACTIVE_WINDOW_DAYS, ASOF, TIME_TYPES, time_type,
)

__all__ = [
    "ASOF", "ACTIVE_WINDOW_DAYS", "TIME_TYPES", "TIERS",
    "TIER_SHARES", "TIER_PROFIT_SHARES", "TIER_GOALS", "STAGES", "STAGE_GUIDE",
    "CONTACT_KINDS", "FRIEND_KINDS", "LOYAL_QUARTERS", "LOYAL_MIN_ORDERS",
    "MOTIVE_TYPES", "MOTIVE_COLUMNS",
    "time_type", "logistics_tiers", "tier_table", "relationship_stage", "stage_transitions",
    "motive_type",
]
