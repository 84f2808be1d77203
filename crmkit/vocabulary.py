"""The course's shared vocabulary: every label, its translation, the reference date and the
planted-rule defaults, each defined once.

The dataset generator plants its structure with these values and the methods use them as their
defaults and categories, so a lesson's rule, the data's labels and the methods' labels cannot drift
apart. Both layers import from here; this module imports nothing from crmkit.

Labels are Chinese first (the textbook's terms, the zh_CN data) with one English label each (the
en_US data and the brackets in charts): :data:`LABELS` holds both, kind by kind, in canonical order.
:func:`labels` reads one kind in one locale, :func:`english` translates one label and
:func:`from_english` goes back; there is no second dictionary in the other direction.

Examples
--------
>>> from crmkit import vocabulary as V
>>> V.ASOF.date(), V.ACTIVE_WINDOW_DAYS, V.TIER_SHARES
(datetime.date(2025, 12, 31), 365, (0.05, 0.15, 0.8))
>>> V.TIERS, V.english("关键客户")
(('关键客户', '合适客户', '一般客户'), 'key')
>>> V.labels("service", "en_US")
('FTL', 'LTL', 'express', 'warehousing', 'cold_chain')
>>> V.from_english("stage")["loyal"]
'忠诚者'
"""
from __future__ import annotations

import pandas as pd

__all__ = ["LOCALES", "LABELS", "CATEGORIES", "EN", "ORDERED", "labels", "english", "from_english",
           "translate", "TIERS", "STAGES", "CONTACT_KINDS", "MOTIVE_TYPES", "TIME_TYPES", "SERVICES",
           "CREDIT_RATINGS", "VIP_LEVELS", "ASOF", "ACTIVE_WINDOW_DAYS", "LOYAL_QUARTERS", "LOYAL_MIN_ORDERS", "STALE_AFTER_DAYS",
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


# ---------------------------------------------------------------------------------------------
# Labels. Each kind maps its Chinese labels (canonical order: the generator's codes index it) to
# one English label. Chinese is what the textbook and the zh_CN data say; English is the en_US data.

#: Locales of the data (Faker locale names).
LOCALES = ("zh_CN", "en_US")

LABELS: dict[str, dict[str, str]] = {
    "industry": {"制造": "manufacturing", "零售": "retail", "电商": "e-commerce", "医药": "pharma",
                 "汽车": "automotive", "食品冷链": "food cold chain", "化工": "chemicals",
                 "电子": "electronics"},
    "contract_tier": {"基础": "basic", "标准": "standard", "战略": "strategic"},
    "credit_rating": {"AAA": "AAA", "AA": "AA", "A": "A", "B": "B", "C": "C"},
    "service": {"整车": "FTL", "零担": "LTL", "快递": "express", "仓储": "warehousing",
                "冷链": "cold_chain"},
    "time_window": {"上午": "morning", "下午": "afternoon", "夜间": "night"},
    "channel": {"电话": "phone", "邮件": "email", "微信": "wechat", "网站": "web",
                "客户经理": "account_manager"},
    "cause": {"延误": "delay", "货损": "damage", "丢失": "loss", "服务态度": "attitude",
              "账单错误": "billing", "信息不准": "tracking_info"},
    "severity": {"低": "low", "中": "medium", "高": "high"},
    "outcome": {"全额赔付": "full_refund", "部分赔付": "partial", "驳回": "rejected",
                "道歉": "apology", "处理中": "open"},
    "reason": {"查询": "tracking", "下单": "booking", "投诉": "complaint", "咨询": "inquiry"},
    "contact_channel": {"电话": "phone", "邮件": "email", "微信": "wechat", "网站": "web",
                        "客户经理": "account_manager", "展会": "trade_fair"},
    "kind": {"初次接触": "first_contact", "询价": "inquiry", "拜访": "visit", "试单": "trial_order",
             "回访": "follow_up", "转介绍": "referral"},
    # Textbook ch. 1: 物流客户层次 (表1-1), 客户关系发展阶段, 购买动机 and 时间 types.
    "tier": {"关键客户": "key", "合适客户": "suitable", "一般客户": "general"},
    "motive_type": {"经济型": "economic", "道德型": "ethical", "个性化": "personalizing",
                    "方便型": "convenience"},
    "stage": {"陌生人": "stranger", "点头之交": "acquaintance", "朋友": "friend", "客户": "customer",
              "忠诚者": "loyal"},
    "time_type": {"过去型": "past", "现在型": "current", "未来型": "future"},
    # Textbook ch. 4: VIP 客户分级 (best first).
    "vip_level": {"钻石": "diamond", "金卡": "gold", "银卡": "silver", "普通": "standard"},
    "region": {"华东": "East", "华南": "South", "华北": "North", "华中": "Central", "西南": "Southwest",
               "西北": "Northwest", "东北": "Northeast"},
    "source": {"销售": "sales", "仓储": "warehousing", "客服": "service"},
}

#: Every kind's Chinese labels in canonical order.
CATEGORIES: dict[str, tuple[str, ...]] = {kind: tuple(pairs) for kind, pairs in LABELS.items()}

#: Chinese label -> English label over all kinds (a label means the same in every kind it is in).
EN: dict[str, str] = {zh: en for pairs in LABELS.values() for zh, en in pairs.items()}

#: Kinds whose order means something (best or latest first/last), stored as ordered categoricals.
ORDERED = {"contract_tier": True, "severity": True, "tier": True, "stage": True, "vip_level": True}


def labels(kind: str, locale: str = "zh_CN") -> tuple[str, ...]:
    """Labels of category ``kind`` in ``locale`` ("zh_CN" or "en_US"), in canonical order.

    Examples
    --------
    >>> labels("tier")
    ('关键客户', '合适客户', '一般客户')
    >>> labels("tier", "en_US")
    ('key', 'suitable', 'general')
    >>> labels("teir")
    Traceback (most recent call last):
    ...
    ValueError: Unknown category kind 'teir'. Known kinds: industry, contract_tier, ...
    """
    if kind not in LABELS:
        known = ", ".join(LABELS)
        raise ValueError(f"Unknown category kind {kind!r}. Known kinds: {known}.")
    if locale == "zh_CN":
        return CATEGORIES[kind]
    if locale == "en_US":
        return tuple(LABELS[kind].values())
    raise ValueError(f"The value for `locale` must be one of ({', '.join(LOCALES)}), "
                     f"but {locale!r} was passed.")


def english(label: str) -> str:
    """The English label of one Chinese label (``english("延误") == "delay"``).

    Raises ``KeyError`` naming the label when the vocabulary does not know it.
    """
    try:
        return EN[label]
    except KeyError:
        raise KeyError(f"{label!r} is not a label of the course vocabulary "
                       f"(crmkit.vocabulary.LABELS).") from None


def from_english(kind: str) -> dict[str, str]:
    """English label -> Chinese label for one kind (built from :data:`LABELS`, not stored twice)."""
    labels(kind)                                   # checks the kind
    return {en: zh for zh, en in LABELS[kind].items()}


def translate(label: str, locale: str = "zh_CN") -> str:
    """One Chinese label in ``locale`` (``translate("延误", "en_US") == "delay"``)."""
    return label if locale == "zh_CN" else english(label)


#: Named label sets the methods use as their categories (the same tuples as ``labels(kind)``).
TIERS = CATEGORIES["tier"]
STAGES = CATEGORIES["stage"]
CONTACT_KINDS = CATEGORIES["kind"]
MOTIVE_TYPES = CATEGORIES["motive_type"]
TIME_TYPES = CATEGORIES["time_type"]
SERVICES = CATEGORIES["service"]
CREDIT_RATINGS = CATEGORIES["credit_rating"]
VIP_LEVELS = CATEGORIES["vip_level"]
