"""Category labels of the generated tables, in Chinese (zh_CN, the default) and English (en_US).

The generator draws every category as an integer code and turns codes into the labels of the
chosen locale at the very end, so a seed gives the same numbers in both languages. The English
labels are the ones in brackets in the crmkit data contract.

The labels of the planted truth (tiers, relationship stages, motive and time types) are the same
strings, in the same order and with the same ordering, as the constants of ``crmkit.classify``
(``TIERS``, ``STAGES``, ``MOTIVE_TYPES``, ``TIME_TYPES`` and their ``*_EN`` dicts), so an analysis
can be compared with the truth directly; ``tests/test_truth_labels.py`` keeps them equal. They are
written out here because the generator must not import the method modules.
"""
from __future__ import annotations

__all__ = ["LOCALES", "CATEGORIES", "EN", "labels", "translate"]

#: Locales the generator supports (Faker locale names).
LOCALES = ("zh_CN", "en_US")

#: Every categorical column's labels in zh_CN, in their canonical order (codes index this tuple).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "industry": ("制造", "零售", "电商", "医药", "汽车", "食品冷链", "化工", "电子"),
    "contract_tier": ("基础", "标准", "战略"),
    "credit_rating": ("AAA", "AA", "A", "B", "C"),
    "service": ("整车", "零担", "快递", "仓储", "冷链"),
    "time_window": ("上午", "下午", "夜间"),
    "channel": ("电话", "邮件", "微信", "网站", "客户经理"),
    "cause": ("延误", "货损", "丢失", "服务态度", "账单错误", "信息不准"),
    "severity": ("低", "中", "高"),
    "outcome": ("全额赔付", "部分赔付", "驳回", "道歉", "处理中"),
    "reason": ("查询", "下单", "投诉", "咨询"),
    "contact_channel": ("电话", "邮件", "微信", "网站", "客户经理", "展会"),
    "kind": ("初次接触", "询价", "拜访", "试单", "回访", "转介绍"),
    # Truth labels: the same as crmkit.classify.TIERS / MOTIVE_TYPES / STAGES / TIME_TYPES.
    "tier": ("关键客户", "合适客户", "一般客户"),
    "motive_type": ("经济型", "道德型", "个性化", "方便型"),
    "stage": ("陌生人", "点头之交", "朋友", "客户", "忠诚者"),
    "time_type": ("过去型", "现在型", "未来型"),
    "region": ("华东", "华南", "华北", "华中", "西南", "西北", "东北"),
    "source": ("销售", "仓储", "客服"),
}

#: zh_CN label -> en_US label (the contract's English names).
EN: dict[str, str] = {
    "制造": "manufacturing", "零售": "retail", "电商": "e-commerce", "医药": "pharma",
    "汽车": "automotive", "食品冷链": "food cold chain", "化工": "chemicals", "电子": "electronics",
    "基础": "basic", "标准": "standard", "战略": "strategic",
    "AAA": "AAA", "AA": "AA", "A": "A", "B": "B", "C": "C",
    "整车": "FTL", "零担": "LTL", "快递": "express", "仓储": "warehousing", "冷链": "cold_chain",
    "上午": "morning", "下午": "afternoon", "夜间": "night",
    "电话": "phone", "邮件": "email", "微信": "wechat", "网站": "web",
    "客户经理": "account_manager", "展会": "trade_fair",
    "延误": "delay", "货损": "damage", "丢失": "loss", "服务态度": "attitude",
    "账单错误": "billing", "信息不准": "tracking_info",
    "低": "low", "中": "medium", "高": "high",
    "全额赔付": "full_refund", "部分赔付": "partial", "驳回": "rejected", "道歉": "apology",
    "处理中": "open",
    "查询": "tracking", "下单": "booking", "投诉": "complaint", "咨询": "inquiry",
    "初次接触": "first_contact", "询价": "inquiry", "拜访": "visit", "试单": "trial_order",
    "回访": "follow_up", "转介绍": "referral",
    "关键客户": "key", "合适客户": "suitable", "一般客户": "general",
    "经济型": "economic", "道德型": "ethical", "个性化": "personalizing", "方便型": "convenience",
    "过去型": "past", "现在型": "current", "未来型": "future",
    "陌生人": "stranger", "点头之交": "acquaintance", "朋友": "friend", "客户": "customer",
    "忠诚者": "loyal",
    "华东": "East", "华南": "South", "华北": "North", "华中": "Central", "西南": "Southwest",
    "西北": "Northwest", "东北": "Northeast",
    "销售": "sales", "客服": "service",
}

#: Categories whose order means something, stored as ordered categoricals in code order. Tiers
#: (best first) and stages (陌生人 < … < 忠诚者) are ordered as in crmkit.classify.
ORDERED = {"contract_tier": True, "severity": True, "tier": True, "stage": True}


def labels(kind: str, locale: str = "zh_CN") -> tuple[str, ...]:
    """Labels of category ``kind`` in ``locale``, in code order.

    Examples
    --------
    >>> labels("service")
    ('整车', '零担', '快递', '仓储', '冷链')
    >>> labels("service", "en_US")[:2]
    ('FTL', 'LTL')
    """
    if kind not in CATEGORIES:
        raise ValueError(f"Unknown category kind {kind!r}. Known kinds: {', '.join(CATEGORIES)}.")
    zh = CATEGORIES[kind]
    if locale == "zh_CN":
        return zh
    if locale == "en_US":
        return tuple(EN[x] for x in zh)
    raise ValueError(f"The value for `locale` must be one of ({', '.join(LOCALES)}), "
                     f"but {locale!r} was passed.")


def translate(label: str, locale: str = "zh_CN") -> str:
    """One zh_CN label in ``locale`` (``translate("延误", "en_US") == "delay"``)."""
    return label if locale == "zh_CN" else EN[label]
