"""Chinese meanings of every table and column, for the bilingual data dictionary (数据字典).

Kept beside the English ``doc`` of :mod:`crmkit.datasets.schemas` (one entry per column there);
``tests/test_datasets_io.py`` fails when a column has no Chinese meaning or a meaning names a column
that does not exist, so the two languages cannot drift apart.
"""
from __future__ import annotations

from crmkit import glossary
from crmkit.datasets import config as C

__all__ = ["TABLES_ZH", "MEANINGS_ZH", "meaning_zh"]

#: What one row of each table is, in Chinese.
TABLES_ZH = {
    "customers": "每行一个客户，含潜在客户（first_order_date 为空）",
    "contracts": "已下单客户每户一份合同（潜在客户没有合同）",
    "shipments": "每行一票运单，2024-01-01 至 2025-12-31",
    "surveys": "每行一份回收的问卷",
    "complaints": "每行一起投诉",
    "calls": "每行一通来电，2025-11-03 至 2025-12-28（共八周）",
    "contacts": "每行一次客户接触",
    "sales_extract": "销售部自己保存的客户名单（有错漏）",
    "warehouse_extract": "仓储部的客户名单（有错漏）",
    "service_extract": "客服部的客户名单（有错漏）",
    "customer_truth": "每个客户预先设定的真实结构（用来检验分析结果）",
    "extract_links": "各部门名单的每一行实际对应哪个客户",
}

#: SERVQUAL dimension names in Chinese, from the course glossary (one translation everywhere).
_DIM_ZH = {t.en: t.zh for t in glossary.TERMS if t.en in C.SERVQUAL_DIMENSIONS}

_SURVEY_ITEMS = {
    f"{prefix}_{d}_{i}": f"SERVQUAL {_DIM_ZH[d]}（{d}）维度第 {i} 题的{what}得分"
    for prefix, what in (("exp", "期望"), ("per", "感知"))
    for d in C.SERVQUAL_DIMENSIONS for i in range(1, C.SERVQUAL_ITEMS + 1)}
_SURVEY_ITEMS.update({f"imp_{d}": f"分给{_DIM_ZH[d]}（{d}）的重要性分数，五个维度合计 100"
                      for d in C.SERVQUAL_DIMENSIONS})

_EXTRACT_COMMON = {
    "name": "本部门记录的公司名称（写法各不相同）",
    "contact_name": "联系人",
    "phone": "录入时的电话（格式不一，可能过期或缺失）",
    "city": "录入时的城市（可能带“市”字或省名，可能过期或缺失）",
    "last_updated": "该行最后一次更新的日期",
}

#: Chinese meaning of every column, by table.
MEANINGS_ZH: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "客户编号",
        "name": "公司名称（不重复）",
        "industry": "客户所属行业",
        "province": "客户总部所在省份",
        "city": "客户总部所在城市",
        "first_order_date": "首次下单日期（潜在客户尚未下单，为空）",
        "contract_tier": "所签合同的等级（潜在客户没有合同，为空）",
        "credit_rating": "信用等级，AAA 最好",
        "account_manager": "负责该客户的客户经理",
        "price_sensitivity": "客户对价格的看重程度",
        "ethical_preference": "对绿色、合规服务的看重程度",
        "customization_requests": "每年提出定制服务要求的次数",
        "convenience_preference": "对一站式、方便下单的看重程度",
        "loyalty_score": "客户回访评出的忠诚度（潜在客户为销售团队的估计）",
        "contact_name": "主要联系人",
        "phone": "主要联系人的手机号码",
        "address": "客户所在城市的街道地址",
    },
    "contracts": {
        "contract_id": "合同编号",
        "customer_id": "客户（每户一份合同）",
        "start_date": "2024 年有效合同的起始日期",
        "on_time_target": "合同承诺的准时送达比例",
        "delivery_window_h": "主线路承诺的标准时效",
        "damage_rate_max": "允许的最高货损率",
        "claim_rate": "赔付金额占索赔货值的比例",
        "claim_cap": "每次索赔的最高赔付金额",
    },
    "shipments": {
        "shipment_id": "运单号",
        "customer_id": "托运客户（对应 customers.customer_id）",
        "order_date": "下单日期和时间（精确到分钟）",
        "service": "服务类型：整车、零担、快递、仓储、冷链",
        "origin_city": "始发城市",
        "dest_city": "目的城市",
        "route": "线路“始发-目的”",
        "time_window": "配送时段：上午 08-12 点，下午 13-18 点，夜间 23-01 点",
        "weight_kg": "货物毛重",
        "distance_km": "公路距离（球面距离 × 1.25；同城 3-120 千米）",
        "revenue": "按运价表计算、扣除折扣后的运费收入",
        "cost": "服务这票运单的成本，等于四项 cost_* 之和",
        "cost_transport": "成本构成之一：干线运输与配送（固定部分、按千米、按吨千米），乘以该客户的服务成本系数",
        "cost_handling": "成本构成之一：装卸、越库、分拣、拣货（固定部分和按千克）",
        "cost_storage": "成本构成之一：按千克·天计的仓储费用（仓储服务；零担、冷链有短暂缓存；整车和快递没有）",
        "cost_admin": "成本构成之一：每票的包装、单证和客户服务费用",
        "declared_value": "货物的声明价值（整元）",
        "promised_at": "承诺送达时间（配送时段的结束时刻）",
        "delivered_at": "实际送达时间（丢失则为空）",
        "on_time": "是否在承诺时间之前送达",
        "items_ordered": "订购件数",
        "items_delivered": "实际送达件数",
        "in_full": "是否足量送达（送达件数等于订购件数）",
        "damaged": "货物到达时是否有损坏",
        "lost": "货物是否丢失",
        "doc_error": "发票或单证是否有误",
    },
    "surveys": {
        "survey_id": "问卷编号",
        "customer_id": "填写问卷的客户（对应 customers.customer_id）",
        "survey_date": "填写问卷的日期",
        **_SURVEY_ITEMS,
        "overall": "总体满意度",
        "recommend": "向他人推荐的可能性（净推荐值 NPS 题）",
        "churned": "调查后 6 个月内客户是否流失",
        "churn_date": "客户流失的日期（仍是客户则为空）",
    },
    "complaints": {
        "complaint_id": "投诉编号",
        "customer_id": "投诉的客户",
        "shipment_id": "被投诉的运单（没有则为空）",
        "channel": "投诉进来的渠道",
        "cause": "投诉原因的类别",
        "severity": "严重程度（低 < 中 < 高）",
        "opened_at": "受理投诉的时间",
        "first_response_at": "第一次答复客户的时间",
        "resolved_at": "解决的时间（尚未解决则为空）",
        "claim_amount": "客户索赔的金额（没有索赔为 0）",
        "compensation": "实际赔付的金额",
        "outcome": "投诉的处理结果",
        "satisfaction_after": "服务补救后的满意度（未结案为空）",
    },
    "calls": {
        "call_id": "来电编号",
        "customer_id": "能识别时为来电客户（否则为空）",
        "arrived_at": "来电时间（精确到秒）",
        "wait_s": "在队列中等待的时长",
        "handle_s": "通话加话后处理的时长（放弃的来电为 0）",
        "abandoned": "来电者在接通前是否挂断",
        "reason": "来电原因",
    },
    "contacts": {
        "contact_id": "接触编号",
        "customer_id": "被接触的客户",
        "contact_date": "接触日期",
        "channel": "接触渠道",
        "kind": "接触类型：初次接触 → 询价 → 拜访 → 试单 → 回访，以及转介绍",
    },
    "sales_extract": {"sales_id": "销售部自己的编号", **_EXTRACT_COMMON,
                      "industry": "销售部记录的行业", "sales_rep": "销售代表"},
    "warehouse_extract": {"wh_id": "仓储部自己的编号", **_EXTRACT_COMMON, "address": "送货地址"},
    "service_extract": {"kf_id": "客服部自己的编号", **_EXTRACT_COMMON},
    "customer_truth": {
        "customer_id": "客户",
        "tier": "预设的客户层级（表1-1），从高到低，与 crmkit.classify.TIERS 一致（潜在客户为空）",
        "motive_type": "驱动客户行为的预设购买动机类型",
        "churned": "客户是否在 2024-2025 年间流失",
        "churn_date": "客户流失的日期",
        "stage": "2025-12-31 的关系阶段（表1-2），陌生人 < … < 忠诚者；带噪声地预设"
                 "（忠诚者来自一个隐含的忠诚度），所以 crmkit.classify.relationship_stage 的默认规则"
                 "能找回大部分，但不是全部",
        "time_type": "2025-12-31 的时间类型：未来型为潜在客户，现在型为近 365 天内下过单，过去型为只在更早下过单"
                     "（这是定义，不是估计）",
        "prospect": "在名单上但尚未下单（未来型）",
        "d_customer": "预设的 D 类客户（第五章）：规模小、信用和忠诚度低、服务成本高、亏损",
        "profit": "2024-2025 年利润合计（收入 − 成本）",
        "revenue": "2024-2025 年收入合计",
    },
    "extract_links": {
        "extract": "该行所在的部门名单",
        "record_id": "该行在那份名单中的编号",
        "customer_id": "该行实际对应的客户",
        "duplicate": "是否为名单中已有客户的多余副本",
        "name_variant": "名称写法是否与客户主表不同",
        "stale": "电话或城市是否已过期（信息已变；last_updated 只与它相关）",
    },
}


def meaning_zh(table: str, column: str) -> str:
    """The Chinese meaning of ``column`` in ``table``; a KeyError names a missing entry."""
    try:
        return MEANINGS_ZH[table][column]
    except KeyError:
        raise KeyError(f"no Chinese meaning for {table}.{column}: add it to "
                       f"crmkit/datasets/meanings_zh.py") from None
