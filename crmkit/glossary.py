"""The course glossary (术语表): every key term once, in Chinese and English, with its chapter and the
crmkit function that computes it.

This is the single source of the course's vocabulary. The glossary pages of both lesson editions
(``notebooks/glossary.md``, ``notebooks/zh/glossary.md``) are generated from it
(``python -m crmkit.glossary --write``), chart labels take their bilingual text from :func:`label`, and
``tests/test_glossary.py`` checks that the lessons use the same translation. The module imports nothing
from crmkit, so the dataset generator, the methods and the charts can all use it.

The Chinese terms are the textbook's (《现代物流客户关系管理实务》, 2nd ed.); where the textbook gives
no English term, the English is the usual one in the CRM and service-quality literature.

Examples
--------
>>> term("满意陷阱").en
'satisfaction trap'
>>> label("关键客户")
'关键客户 key customer'
>>> label("客户价值", lang="en")
'customer value'
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Term", "TERMS", "CHAPTERS", "term", "english", "label", "terms_of", "glossary_markdown"]


@dataclass(frozen=True)
class Term:
    """One glossary entry: the textbook's Chinese term, its English, chapter and crmkit function."""

    zh: str
    en: str
    chapter: int
    function: str = ""  #: dotted name under ``crmkit`` (e.g. ``"abc.abc_classify"``), "" if none
    note_en: str = ""
    note_zh: str = ""


#: Chapter titles of the textbook (zh, en), chapter number -> titles.
CHAPTERS: dict[int, tuple[str, str]] = {
    1: ("现代物流客户关系管理概论", "Introduction: logistics customers"),
    2: ("现代物流客户关系管理系统", "The CRM system"),
    3: ("现代物流客户关系管理实施流程", "Implementing CRM and customer information"),
    4: ("现代物流重点客户关系管理实施", "Key customers and VIP management"),
    5: ("现代物流核心客户关系管理实施", "Core customers and ABC analysis"),
    6: ("现代物流客户服务的满意度", "Customer satisfaction"),
    7: ("现代物流客户服务管理体系", "Service quality system and KPIs"),
    8: ("现代物流客户服务中心的建设", "The customer service centre"),
    9: ("现代物流配送与保管服务的实施", "Delivery and storage services"),
    10: ("现代物流客户服务技巧", "Service skills and complaint handling"),
}

_T = Term
#: Every term, in chapter order.
TERMS: tuple[Term, ...] = (
    # 1 物流客户
    _T("客户关系管理", "customer relationship management (CRM)", 1),
    _T("物流客户", "logistics customer", 1),
    _T("内部客户", "internal customer", 1),
    _T("外部客户", "external customer", 1),
    _T("显性型客户", "explicit customer", 1),
    _T("隐性型客户", "latent customer", 1),
    _T("过去型客户", "past customer", 1, "classify.time_type"),
    _T("现在型客户", "current customer", 1, "classify.time_type"),
    _T("未来型客户", "future customer", 1, "classify.time_type"),
    _T("潜在客户", "prospect", 1, "classify.time_type"),
    _T("混淆矩阵", "confusion matrix", 1),
    _T("经济型客户", "economic customer", 1, "classify.motive_type"),
    _T("道德型客户", "ethical customer", 1, "classify.motive_type"),
    _T("个性化客户", "personalizing customer", 1, "classify.motive_type"),
    _T("方便型客户", "convenience customer", 1, "classify.motive_type"),
    _T("关键客户", "key customer", 1, "classify.logistics_tiers",
       "top tier of table 1-1: ~5 % of customers, ~80 % of profit", "表1-1 顶级客户：约5%的客户、约80%的利润"),
    _T("合适客户", "suitable customer", 1, "classify.logistics_tiers",
       "middle tier of table 1-1: ~15 % of customers, ~15 % of profit", "表1-1 潜力客户：约15%的客户、约15%的利润"),
    _T("一般客户", "general customer", 1, "classify.logistics_tiers",
       "bottom tier of table 1-1: ~80 % of customers, ~5 % of profit", "表1-1 常规客户：约80%的客户、约5%的利润"),
    _T("客户关系阶段", "relationship stage", 1, "classify.relationship_stage",
       "表1-2: 陌生人 → 点头之交 → 朋友 → 客户 → 忠诚者", "表1-2：陌生人→点头之交→朋友→客户→忠诚者"),
    _T("忠诚者", "loyal customer", 1, "classify.relationship_stage"),
    _T("阶段转移", "stage transition", 1, "classify.stage_transitions"),
    # 2 CRM system
    _T("客户数据整合", "customer data integration", 2, "crm.match_customers"),
    _T("重复客户", "duplicate customer record", 2, "crm.match_customers"),
    _T("客户全景视图", "single customer view", 2),
    _T("操作型CRM", "operational CRM", 2),
    _T("分析型CRM", "analytical CRM", 2),
    _T("协作型CRM", "collaborative CRM", 2),
    # 3 implementation and customer information
    _T("客户信息", "customer information", 3),
    _T("数据质量", "data quality", 3, "crm.data_quality"),
    _T("流失客户", "lost customer", 3, "crm.lost_customers"),
    _T("失去客户调查", "lost-customer survey", 3),
    _T("神秘客户", "mystery shopper", 3),
    _T("大数据", "big data", 3),
    # 4 key customers
    _T("重点客户", "key account", 4, note_en="chapter 4's key accounts (not the tier of table 1-1)",
       note_zh="第四章的重点客户（不同于表1-1的关键客户）"),
    _T("客户价值", "customer value", 4, "value.customer_value"),
    _T("客户总价值", "total customer value", 4, "value.customer_value"),
    _T("客户总成本", "total customer cost", 4, "value.customer_value"),
    _T("RFM分析", "RFM analysis", 4, "value.rfm"),
    _T("最近一次消费", "recency", 4, "value.rfm"),
    _T("消费频率", "frequency", 4, "value.rfm"),
    _T("消费金额", "monetary value", 4, "value.rfm"),
    _T("重要价值客户", "champions", 4, "value.rfm", "the RFM segment with high R, F and M",
       "R、F、M 都高的 RFM 细分"),
    _T("VIP客户", "VIP customer", 4, "value.vip_tiers"),
    _T("客户保持率", "retention rate", 4, "value.clv"),
    _T("客户终身价值", "customer lifetime value (CLV)", 4, "value.clv"),
    # 5 core customers
    _T("核心客户", "core customer", 5),
    _T("ABC分类法", "ABC analysis", 5, "abc.abc_classify"),
    _T("帕累托原理", "Pareto principle (80/20 rule)", 5, "abc.abc_table"),
    _T("排列图", "Pareto chart", 5, "plotting.plot_pareto"),
    _T("洛伦兹曲线", "Lorenz curve", 5, "abc.lorenz"),
    _T("基尼系数", "Gini coefficient", 5, "abc.gini"),
    _T("客户金字塔", "customer pyramid", 5, "abc.abcd_pyramid"),
    _T("客户盈利能力", "customer profitability", 5, "abc.customer_profitability"),
    _T("服务成本", "cost to serve", 5, "abc.customer_profitability"),
    _T("鲸鱼曲线", "whale curve", 5, "abc.whale_peak"),
    _T("坏账", "bad debt", 5),
    _T("客户贡献率", "customer contribution rate", 5),
    _T("黄金客户", "golden customer", 5, "abc.loyalty_credit_matrix"),
    # 6 satisfaction
    _T("客户满意度", "customer satisfaction", 6, "satisfaction.satisfaction_index"),
    _T("期望服务", "expected service", 6),
    _T("感知服务", "perceived service", 6),
    _T("服务质量差距", "service quality gap", 6, "satisfaction.servqual_gaps"),
    _T("有形性", "tangibles", 6, "satisfaction.servqual_gaps"),
    _T("可靠性", "reliability", 6, "satisfaction.servqual_gaps"),
    _T("响应性", "responsiveness", 6, "satisfaction.servqual_gaps"),
    _T("保证性", "assurance", 6, "satisfaction.servqual_gaps"),
    _T("移情性", "empathy", 6, "satisfaction.servqual_gaps"),
    _T("李克特量表", "Likert scale", 6),
    _T("信度", "scale reliability", 6, "satisfaction.cronbach_alpha",
       "measured by Cronbach's alpha", "用克朗巴哈α系数衡量"),
    _T("重要性—绩效分析", "importance–performance analysis (IPA)", 6, "satisfaction.ipa"),
    _T("净推荐值", "Net Promoter Score (NPS)", 6, "satisfaction.nps"),
    _T("满意度驱动因素", "satisfaction driver", 6, "satisfaction.drivers"),
    _T("满意陷阱", "satisfaction trap", 6, "satisfaction.satisfaction_trap"),
    _T("置信区间", "confidence interval", 6, "resample.bootstrap_ci"),
    _T("自助法", "bootstrap", 6, "resample.bootstrap_ci"),
    _T("置换检验", "permutation test", 6, "resample.permutation_test"),
    # 7 service quality system
    _T("服务水平协议", "service level agreement (SLA)", 7, "kpi.sla_compliance"),
    _T("关键绩效指标", "key performance indicator (KPI)", 7, "kpi.service_kpis"),
    _T("准时交货率", "on-time delivery rate", 7, "kpi.service_kpis"),
    _T("准时足量率", "on time in full (OTIF)", 7, "kpi.service_kpis"),
    _T("完美订单", "perfect order", 7, "kpi.service_kpis"),
    _T("货损率", "damage rate", 7, "kpi.service_kpis"),
    _T("投诉率", "complaint rate", 7, "kpi.complaint_rate"),
    _T("响应时间", "response time", 7, "kpi.service_kpis"),
    _T("绩效看板", "KPI dashboard", 7, "kpi.kpi_dashboard"),
    _T("控制图", "control chart", 7, "kpi.p_chart"),
    _T("客户服务战略", "customer service strategy", 7),
    # 8 service centre
    _T("客户服务中心", "customer service centre", 8),
    _T("呼叫中心", "call centre", 8),
    _T("交互式语音应答", "interactive voice response (IVR)", 8),
    _T("话务量", "offered load", 8, "servicecenter.offered_load"),
    _T("服务水平", "service level", 8, "servicecenter.service_level"),
    _T("平均应答速度", "average speed of answer (ASA)", 8, "servicecenter.asa"),
    _T("座席利用率", "occupancy", 8, "servicecenter.occupancy"),
    _T("放弃率", "abandonment rate", 8, "servicecenter.abandonment_rate"),
    _T("排班", "staffing plan", 8, "servicecenter.staffing_plan"),
    # 9 delivery and storage
    _T("配送", "delivery", 9, "delivery.delivery_performance"),
    _T("保管", "storage", 9, "delivery.storage_fee"),
    _T("运费", "freight rate", 9, "delivery.freight"),
    _T("配送成本构成", "delivery cost composition", 9, "delivery.cost_composition"),
    _T("库存准确率", "inventory accuracy", 9, "delivery.inventory_accuracy"),
    _T("拣货准确率", "picking accuracy", 9, "delivery.picking_accuracy"),
    _T("电子标签拣选", "pick-to-light", 9, "delivery.error_reduction"),
    # 10 complaints and service skills
    _T("客户投诉", "customer complaint", 10),
    _T("投诉处理", "complaint handling", 10, "complaints.complaint_sla"),
    _T("理赔", "claims settlement", 10, "complaints.claims_summary"),
    _T("投诉建档", "complaint records", 10),
    _T("服务补救", "service recovery", 10, "complaints.recovery_effect"),
    _T("服务补救悖论", "service recovery paradox", 10, "complaints.recovery_effect"),
    _T("服务创新", "service innovation", 10),
)
del _T

_BY_ZH = {t.zh: t for t in TERMS}


def term(zh: str) -> Term:
    """The glossary entry of the Chinese term ``zh``.

    >>> term("排列图").en
    'Pareto chart'
    """
    try:
        return _BY_ZH[zh]
    except KeyError:
        close = [t.zh for t in TERMS if zh in t.zh or t.zh in zh][:5]
        hint = f" Similar terms: {', '.join(close)}." if close else ""
        raise KeyError(f"{zh!r} is not in the course glossary (crmkit.glossary.TERMS).{hint}") from None


def english(zh: str) -> str:
    """The English of the Chinese term ``zh`` (``english("理赔") == "claims settlement"``)."""
    return term(zh).en


def label(zh: str, *, lang: str = "both") -> str:
    """A chart or table label for ``zh``: ``"zh en"`` (both), the Chinese or the English alone.

    >>> label("净推荐值", lang="zh")
    '净推荐值'
    """
    if lang not in ("both", "zh", "en"):
        raise ValueError(f"`lang` must be 'both', 'zh' or 'en', not {lang!r}.")
    t = term(zh)
    return {"both": f"{t.zh} {t.en}", "zh": t.zh, "en": t.en}[lang]


def terms_of(chapter: int) -> tuple[Term, ...]:
    """The terms introduced in ``chapter`` (1–10)."""
    if chapter not in CHAPTERS:
        raise ValueError(f"`chapter` must be one of 1–10, not {chapter!r}.")
    return tuple(t for t in TERMS if t.chapter == chapter)


def glossary_markdown(lang: str = "en") -> str:
    """The glossary page of one edition as Markdown (``lang`` "en" or "zh"), a table per chapter."""
    if lang not in ("en", "zh"):
        raise ValueError(f"`lang` must be 'en' or 'zh', not {lang!r}.")
    zh = lang == "zh"
    lines = ["# 术语表" if zh else "# Glossary · 术语表", "",
             ("本表由 `crmkit/glossary.py` 生成（`python -m crmkit.glossary --write`），是全课程术语译名的唯一来源："
              "两种版本的课程、图表标签和练习都用这里的译名。[English glossary](../glossary.md)"
              if zh else
              "Generated from `crmkit/glossary.py` (`python -m crmkit.glossary --write`), the one source of the "
              "course's terms: both lesson editions, chart labels and exercises use these translations. "
              "[中文术语表](zh/glossary.md)"), ""]
    for number, (title_zh, title_en) in CHAPTERS.items():
        lines += [f"## 第{number}章 {title_zh}" if zh else f"## Chapter {number} · {title_en} ({title_zh})", ""]
        lines += (["| 术语 | English | crmkit 函数 | 说明 |", "|---|---|---|---|"] if zh else
                  ["| English | 中文 | crmkit function | note |", "|---|---|---|---|"])
        for t in terms_of(number):
            function = f"`crmkit.{t.function}`" if t.function else ""
            lines.append(f"| {t.zh} | {t.en} | {function} | {t.note_zh} |" if zh else
                         f"| {t.en} | {t.zh} | {function} | {t.note_en} |")
        lines.append("")
    return "\n".join(lines)


def _pages(root: Path) -> dict[Path, str]:
    return {root / "notebooks" / "glossary.md": glossary_markdown("en"),
            root / "notebooks" / "zh" / "glossary.md": glossary_markdown("zh")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmkit.glossary",
                                     description="Write or check the glossary pages of both editions.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course repository (default: .)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="write notebooks/glossary.md and notebooks/zh/glossary.md")
    group.add_argument("--check", action="store_true", help="exit 1 if a page is missing or out of date")
    args = parser.parse_args(argv)
    pages = _pages(args.root)
    if args.write:
        for path, text in pages.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        return 0
    if args.check:
        stale = [str(p) for p, text in pages.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"out of date: {p} (run python -m crmkit.glossary --write)")
        return 1 if stale else 0
    print(glossary_markdown("en"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
