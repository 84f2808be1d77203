"""pandera schemas of every generated table: types, ranges, categories, keys and foreign keys.

Each column is written once in :data:`SPECS` with its Chinese name, meaning and unit; the pandera
schema (:func:`schema`), the CSV number format and the data dictionary (``datasets/README.md``) are
all built from it. ``generate`` validates its output and ``load`` what it reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from crmkit.datasets import config as C
from crmkit.datasets.geography import city_table
from crmkit.vocabulary import labels

__all__ = ["SPECS", "FOREIGN_KEYS", "TABLE_INFO", "ColumnSpec", "schema", "validate_table",
           "validate_tables", "check_prospects"]


@dataclass(frozen=True)
class ColumnSpec:
    """One column: name, kind (id/str/cat:<kind>/date/float/int/bool), Chinese name, meaning, unit."""

    name: str
    kind: str
    zh: str
    doc: str
    unit: str = ""
    ge: float | None = None
    le: float | None = None
    regex: str | None = None
    nullable: bool = False
    decimals: int | None = None


def _c(name, kind, zh, doc, unit="", **kw):
    return ColumnSpec(name, kind, zh, doc, unit, **kw)


_MONEY = dict(ge=0, decimals=2)
_SHARE = dict(ge=0, le=1, decimals=3)

_SURVEY = [_c("survey_id", "id", "问卷编号", "Survey response id", regex=r"^SV-\d{5,}$"),
           _c("customer_id", "str", "客户编号", "Responding customer (customers.customer_id)"),
           _c("survey_date", "date", "调查日期", "Date the questionnaire was answered")]
for _p, _zh, _doc in (("exp", "期望", "Expectation"), ("per", "感知", "Perception")):
    for _d in C.SERVQUAL_DIMENSIONS:
        for _i in range(1, C.SERVQUAL_ITEMS + 1):
            _SURVEY.append(_c(f"{_p}_{_d}_{_i}", "int", f"{_zh}:{_d} 第{_i}项",
                              f"{_doc} item {_i} of SERVQUAL dimension {_d}", "1-7 Likert",
                              ge=1, le=7))
for _d in C.SERVQUAL_DIMENSIONS:
    _SURVEY.append(_c(f"imp_{_d}", "int", f"重要性:{_d}",
                      f"Importance points given to {_d}; the five add up to 100", "points",
                      ge=0, le=100))
_SURVEY += [
    _c("overall", "int", "总体满意度", "Overall satisfaction", "1-7 Likert", ge=1, le=7),
    _c("recommend", "int", "推荐意愿", "Likelihood to recommend (NPS item)", "0-10", ge=0, le=10),
    _c("churned", "bool", "是否流失", "Customer left within 6 months after the survey"),
    _c("churn_date", "date", "流失日期", "Date the customer left (NaT if still a customer)",
       nullable=True)]

_EXTRACT_COMMON = [
    _c("name", "str", "客户名称", "Company name as this department spells it"),
    _c("contact_name", "str", "联系人", "Contact person"),
    _c("phone", "str", "电话", "Phone as typed (formats vary; may be stale or missing)", nullable=True),
    _c("city", "str", "城市", "City as typed (may carry 市 or the province; may be stale or missing)",
       nullable=True)]

SPECS: dict[str, list[ColumnSpec]] = {
    "customers": [
        _c("customer_id", "id", "客户编号", "Customer id", regex=r"^C\d{5,}$"),
        _c("name", "id", "客户名称", "Company name (unique)"),
        _c("industry", "cat:industry", "行业", "Industry of the customer"),
        _c("province", "cat:province", "省份", "Province of the customer's head office"),
        _c("city", "cat:city", "城市", "City of the customer's head office"),
        _c("first_order_date", "date", "首次下单日期",
           "Date of the customer's first order (NaT for a prospect, who has not ordered yet)",
           nullable=True),
        _c("contract_tier", "cat:contract_tier", "合同等级",
           "Contract level signed (missing for a prospect, who has no contract)", nullable=True),
        _c("credit_rating", "cat:credit_rating", "信用等级", "Credit rating, AAA best"),
        _c("account_manager", "str", "客户经理", "Account manager in charge"),
        _c("price_sensitivity", "float", "价格敏感度", "Weight the customer puts on price", "0-1",
           **_SHARE),
        _c("ethical_preference", "float", "道德偏好", "Weight on green / compliant service", "0-1",
           **_SHARE),
        _c("customization_requests", "int", "定制需求次数", "Requests for tailored service per year",
           "per year", ge=0),
        _c("convenience_preference", "float", "便利偏好", "Weight on one-stop, easy ordering", "0-1",
           **_SHARE),
        _c("loyalty_score", "float", "忠诚度",
           "Loyalty score from account reviews (for prospects: the sales team's estimate)", "0-1",
           **_SHARE),
        _c("contact_name", "str", "联系人", "Main contact person"),
        _c("phone", "str", "电话", "Main contact's mobile phone"),
        _c("address", "str", "地址", "Street address in the customer's city")],
    "contracts": [
        _c("contract_id", "id", "合同编号", "Contract id", regex=r"^HT-C\d{5,}$"),
        _c("customer_id", "id", "客户编号", "Customer (one contract each)"),
        _c("start_date", "date", "合同开始日期", "Start of the contract in force in 2024"),
        _c("on_time_target", "float", "准时率目标", "Promised share of on-time deliveries",
           "fraction", **_SHARE),
        _c("delivery_window_h", "int", "承诺时效", "Promised standard lead time for the main lane",
           "hours", ge=1),
        _c("damage_rate_max", "float", "货损率上限", "Highest damage rate allowed", "fraction", **_SHARE),
        _c("claim_rate", "float", "赔付比例", "Compensation as a share of the claimed value", "fraction",
           **_SHARE),
        _c("claim_cap", "float", "赔付上限", "Largest compensation per claim", "yuan", **_MONEY)],
    "shipments": [
        _c("shipment_id", "id", "运单号", "Shipment id", regex=r"^SH-\d{8,}$"),
        _c("customer_id", "str", "客户编号", "Shipper (customers.customer_id)"),
        _c("order_date", "date", "下单时间", "Order date and time (to the minute)"),
        _c("service", "cat:service", "服务类型", "Service: 整车 FTL, 零担 LTL, 快递, 仓储, 冷链"),
        _c("origin_city", "cat:city", "始发城市", "Origin city"),
        _c("dest_city", "cat:city", "目的城市", "Destination city"),
        _c("route", "cat:route", "线路", "Route 'origin-destination'"),
        _c("time_window", "cat:time_window", "配送时段", "Delivery window: morning 08-12, afternoon "
           "13-18, night 23-01"),
        _c("weight_kg", "float", "重量", "Gross weight", "kg", ge=0, decimals=1),
        _c("distance_km", "float", "距离", "Road distance (great-circle x 1.25; local 3-120 km)", "km",
           ge=0, decimals=1),
        _c("revenue", "float", "收入", "Freight revenue from the tariff, after discount", "yuan",
           **_MONEY),
        _c("cost", "float", "成本", "Cost to serve the shipment: the sum of the four cost_* parts",
           "yuan", **_MONEY),
        _c("cost_transport", "float", "运输成本", "Cost part: line haul and delivery (fixed, per km, "
           "per tonne-km), times the customer's cost-to-serve factor", "yuan", **_MONEY),
        _c("cost_handling", "float", "装卸成本", "Cost part: loading, cross-docking, sorting, picking "
           "(fixed and per kg)", "yuan", **_MONEY),
        _c("cost_storage", "float", "仓储成本", "Cost part: storage per kg-day (warehousing; a short "
           "buffer for LTL and cold chain; none for FTL and parcels)", "yuan", **_MONEY),
        _c("cost_admin", "float", "管理成本", "Cost part: packaging, documents and customer service "
           "per shipment", "yuan", **_MONEY),
        _c("declared_value", "float", "声明价值", "Declared value of the goods (whole yuan)", "yuan",
           ge=0, decimals=0),
        _c("promised_at", "date", "承诺送达时间", "Promised delivery time (end of the window)"),
        _c("delivered_at", "date", "实际送达时间", "Actual delivery time (NaT if lost)", nullable=True),
        _c("on_time", "bool", "是否准时", "Delivered no later than promised_at"),
        _c("items_ordered", "int", "订购件数", "Pieces ordered", "pieces", ge=1),
        _c("items_delivered", "int", "送达件数", "Pieces delivered", "pieces", ge=0),
        _c("in_full", "bool", "是否足量", "items_delivered == items_ordered"),
        _c("damaged", "bool", "是否货损", "Goods arrived damaged"),
        _c("lost", "bool", "是否丢失", "Shipment lost"),
        _c("doc_error", "bool", "单据错误", "Invoice or paperwork wrong")],
    "surveys": _SURVEY,
    "complaints": [
        _c("complaint_id", "id", "投诉编号", "Complaint id", regex=r"^TS-\d{6,}$"),
        _c("customer_id", "str", "客户编号", "Complaining customer"),
        _c("shipment_id", "str", "运单号", "Shipment complained about (missing if none)",
           nullable=True),
        _c("channel", "cat:channel", "投诉渠道", "Channel the complaint came in by"),
        _c("cause", "cat:cause", "投诉原因", "Cause category"),
        _c("severity", "cat:severity", "严重程度", "Severity (低 < 中 < 高)"),
        _c("opened_at", "date", "受理时间", "When the complaint was received"),
        _c("first_response_at", "date", "首次响应时间", "First response to the customer",
           nullable=True),
        _c("resolved_at", "date", "解决时间", "When it was resolved (NaT if still open)",
           nullable=True),
        _c("claim_amount", "float", "索赔金额", "Amount claimed (0 if no claim)", "yuan", **_MONEY),
        _c("compensation", "float", "赔付金额", "Compensation paid", "yuan", **_MONEY),
        _c("outcome", "cat:outcome", "处理结果", "Outcome of the complaint"),
        _c("satisfaction_after", "float", "补救后满意度", "Satisfaction after recovery (NaN if open)",
           "1-7 Likert", ge=1, le=7, nullable=True, decimals=0)],
    "calls": [
        _c("call_id", "id", "来电编号", "Call id", regex=r"^CL-\d{7,}$"),
        _c("customer_id", "str", "客户编号", "Caller if identified (missing otherwise)",
           nullable=True),
        _c("arrived_at", "date", "来电时间", "Arrival time (to the second)"),
        _c("wait_s", "float", "等待时长", "Time waited in the queue", "seconds", ge=0, decimals=0),
        _c("handle_s", "float", "处理时长", "Talk plus wrap-up time (0 if abandoned)", "seconds",
           ge=0, decimals=0),
        _c("abandoned", "bool", "是否放弃", "Caller hung up before being answered"),
        _c("reason", "cat:reason", "来电原因", "Reason for the call")],
    "contacts": [
        _c("contact_id", "id", "接触编号", "Touchpoint id", regex=r"^CT-\d{7,}$"),
        _c("customer_id", "str", "客户编号", "Customer contacted"),
        _c("contact_date", "date", "接触日期", "Date of the touchpoint"),
        _c("channel", "cat:contact_channel", "接触渠道", "Channel of the touchpoint"),
        _c("kind", "cat:kind", "接触类型", "Kind: 初次接触 → 询价 → 拜访 → 试单 → 回访, 转介绍")],
    "sales_extract": [
        _c("sales_id", "id", "销售编号", "Sales department's own id", regex=r"^XS-\d{4,}$"),
        *_EXTRACT_COMMON,
        _c("industry", "str", "行业", "Industry as recorded by sales"),
        _c("sales_rep", "str", "销售代表", "Sales representative"),
        _c("last_updated", "date", "更新日期", "When the row was last updated")],
    "warehouse_extract": [
        _c("wh_id", "id", "仓储编号", "Warehouse department's own id", regex=r"^WH\d{4,}$"),
        *_EXTRACT_COMMON,
        _c("address", "str", "地址", "Delivery address"),
        _c("last_updated", "date", "更新日期", "When the row was last updated")],
    "service_extract": [
        _c("kf_id", "id", "客服编号", "Service department's own id", regex=r"^KF-\d{6,}$"),
        *_EXTRACT_COMMON,
        _c("last_updated", "date", "更新日期", "When the row was last updated")],
    "customer_truth": [
        _c("customer_id", "id", "客户编号", "Customer"),
        _c("tier", "cat:tier", "真实层级", "Planted tier (表1-1), best first, as in "
           "crmkit.classify.TIERS (missing for prospects)", nullable=True),
        _c("motive_type", "cat:motive_type", "购买动机类型", "Planted motive type driving behaviour"),
        _c("churned", "bool", "是否流失", "Customer left during 2024-2025"),
        _c("churn_date", "date", "流失日期", "Date the customer left", nullable=True),
        _c("stage", "cat:stage", "关系阶段", "Relationship stage at 2025-12-31 (表1-2), ordered "
           "陌生人 < … < 忠诚者; planted (忠诚者 from a loyalty latent), so the default rule of "
           "crmkit.classify.relationship_stage recovers most of it, not all"),
        _c("time_type", "cat:time_type", "时间类型", "Customer by time at 2025-12-31: 未来型 "
           "prospect, 现在型 ordered in the last 365 days, 过去型 ordered before only"),
        _c("prospect", "bool", "潜在客户", "On the list but no order yet (未来型)"),
        _c("d_customer", "bool", "D类客户", "Planted D customer (ch.5): small, low credit and "
           "loyalty, costly to serve, loses money"),
        _c("profit", "float", "利润", "Total profit 2024-2025 (revenue - cost)", "yuan", decimals=2),
        _c("revenue", "float", "收入", "Total revenue 2024-2025", "yuan", **_MONEY)],
    "extract_links": [
        _c("extract", "str", "来源表", "Extract table the row is in"),
        _c("record_id", "str", "记录编号", "Id of the row in that extract"),
        _c("customer_id", "str", "客户编号", "The customer the row really is"),
        _c("duplicate", "bool", "是否重复", "Extra copy of a customer already in the extract"),
        _c("name_variant", "bool", "名称变体", "Name spelled differently from the master list"),
        _c("stale", "bool", "信息过期", "Phone or city out of date (the data changed; "
           "last_updated is only correlated with it)")],
}

#: (table, column) -> (parent table, parent column)
FOREIGN_KEYS = {
    ("contracts", "customer_id"): ("customers", "customer_id"),
    ("shipments", "customer_id"): ("customers", "customer_id"),
    ("surveys", "customer_id"): ("customers", "customer_id"),
    ("complaints", "customer_id"): ("customers", "customer_id"),
    ("complaints", "shipment_id"): ("shipments", "shipment_id"),
    ("calls", "customer_id"): ("customers", "customer_id"),
    ("contacts", "customer_id"): ("customers", "customer_id"),
    ("customer_truth", "customer_id"): ("customers", "customer_id"),
}

#: One line per table for the data dictionary: Chinese name, what a row is.
TABLE_INFO = {
    "customers": ("客户", "one row per customer, prospects included (first_order_date missing)"),
    "contracts": ("合同/服务水平协议", "one contract per customer who has ordered (prospects have none)"),
    "shipments": ("运单", "one row per shipment, 2024-01-01 .. 2025-12-31"),
    "surveys": ("满意度调查 (SERVQUAL)", "one row per questionnaire answered"),
    "complaints": ("投诉与理赔", "one row per complaint"),
    "calls": ("客服中心来电", "one row per call, 2025-11-03 .. 2025-12-28 (eight weeks)"),
    "contacts": ("客户接触记录", "one row per touchpoint"),
    "sales_extract": ("销售部客户名单", "sales department's copy of its customers (messy)"),
    "warehouse_extract": ("仓储部客户名单", "warehouse department's copy (messy)"),
    "service_extract": ("客服部客户名单", "service department's copy (messy)"),
    "customer_truth": ("真实结构", "planted truth per customer (for checking analyses)"),
    "extract_links": ("名单匹配答案", "which customer each extract row really is"),
}


def allowed(spec: ColumnSpec, locale: str) -> tuple | None:
    """The allowed labels of a categorical column in ``locale`` (None for other kinds)."""
    if not spec.kind.startswith("cat:"):
        return None
    kind = spec.kind[4:]
    if kind in ("city", "province"):
        return tuple(dict.fromkeys(city_table(locale)[kind]))
    if kind == "route":
        cities = city_table(locale)["city"]
        return tuple(f"{a}-{b}" for a in cities for b in cities)
    return labels(kind, locale)


def _id_check(regex: str) -> pa.Check:
    """Vectorised check of ids like ``^SH-\\d{8,}$``: the prefix, then only digits (at least n)."""
    match = re.fullmatch(r"\^(.*?)\\d\{(\d+),\}\$", regex)
    prefix, width = match.group(1), int(match.group(2))

    def check(series: pd.Series):
        values = series.to_numpy(dtype=object, na_value="")
        if not series.hasnans and _all_ids(values, prefix, width):
            return True
        text = np.asarray(values, dtype="U")
        rest = np.strings.slice(text, len(prefix), None)
        ok = np.strings.startswith(text, prefix) & np.strings.isdigit(rest)
        return pd.Series(ok & (np.strings.str_len(rest) >= width), index=series.index)

    return pa.Check(check, name=f"str_matches('{regex}')", error=f"ids must look like {regex}")


def _all_ids(values: np.ndarray, prefix: str, width: int) -> bool:
    """True if every value is ``prefix`` and then at least ``width`` ASCII digits.

    A fast proof over the bytes of all values joined by newlines (a million ids in milliseconds);
    False means "not proven" and the element-wise check decides (non-ASCII text, for one).
    """
    try:
        joined = "\n".join(values)
    except TypeError:  # not all strings
        return False
    if not (joined.isascii() and prefix.isascii()):
        return False
    data = np.frombuffer(joined.encode("ascii"), np.uint8)
    newline = np.flatnonzero(data == 10)
    if len(newline) != len(values) - 1:  # a value holds a newline itself
        return False
    starts, ends = np.r_[0, newline + 1], np.r_[newline, len(data)]
    if ((ends - starts) < len(prefix) + width).any():
        return False
    fine = (data >= 48) & (data <= 57)
    fine[newline] = True
    for k, byte in enumerate(prefix.encode("ascii")):
        if (data[starts + k] != byte).any():
            return False
        fine[starts + k] = True
    return bool(fine.all())


def _isin_check(values: tuple) -> pa.Check:
    """Allowed labels; a categorical column is checked through its (few) categories."""
    allowed_set = frozenset(values)
    shown = ", ".join(values[:8]) + (" ..." if len(values) > 8 else "")

    def check(series: pd.Series):
        if isinstance(series.dtype, pd.CategoricalDtype) and allowed_set.issuperset(
                series.cat.categories):
            return True
        return series.isin(allowed_set) | series.isna()

    return pa.Check(check, name=f"isin({shown})", error=f"allowed values: {shown}")


def _column(spec: ColumnSpec, locale: str) -> pa.Column:
    checks = []
    if spec.ge is not None:
        checks.append(pa.Check.ge(spec.ge))
    if spec.le is not None:
        checks.append(pa.Check.le(spec.le))
    if spec.regex:
        checks.append(_id_check(spec.regex))
    cats = allowed(spec, locale)
    if cats is not None:
        checks.append(_isin_check(cats))
    dtype = {"id": "str", "str": "str", "date": pa.DateTime, "float": float, "int": int,
             "bool": bool}.get(spec.kind, "category")
    return pa.Column(dtype, checks, nullable=spec.nullable, unique=spec.kind == "id",
                     title=spec.zh, description=spec.doc, metadata={"unit": spec.unit})


def _frame_checks(table: str) -> list[pa.Check]:
    if table == "shipments":
        return [pa.Check(lambda d: d["in_full"] == (d["items_delivered"] == d["items_ordered"]),
                         error="in_full must equal items_delivered == items_ordered"),
                pa.Check(lambda d: d["items_delivered"] <= d["items_ordered"],
                         error="items_delivered must not exceed items_ordered"),
                pa.Check(lambda d: d["lost"] == d["delivered_at"].isna(),
                         error="delivered_at must be missing exactly when lost"),
                pa.Check(lambda d: d["on_time"] == (d["delivered_at"] <= d["promised_at"]),
                         error="on_time must equal delivered_at <= promised_at")]
    if table == "surveys":
        imp = [f"imp_{d}" for d in C.SERVQUAL_DIMENSIONS]
        return [pa.Check(lambda d: d[imp].sum(axis=1) == 100,
                         error="the five imp_ columns must add up to 100")]
    if table == "complaints":
        return [pa.Check(lambda d: d["compensation"] <= d["claim_amount"] + 0.005,
                         error="compensation must not exceed claim_amount"),
                pa.Check(lambda d: ~(d["resolved_at"] < d["opened_at"]),
                         error="resolved_at must not be before opened_at")]
    if table == "calls":
        return [pa.Check(lambda d: ~d["abandoned"] | (d["handle_s"] == 0),
                         error="abandoned calls must have handle_s == 0")]
    return []


def schema(table: str, locale: str = "zh_CN") -> pa.DataFrameSchema:
    """The pandera schema of ``table`` with the category labels of ``locale``.

    Examples
    --------
    >>> s = schema("shipments")
    >>> s.columns["weight_kg"].title, s.columns["weight_kg"].metadata["unit"]
    ('重量', 'kg')
    """
    if table not in SPECS:
        raise ValueError(f"Unknown table {table!r}. Tables: {', '.join(SPECS)}.")
    cols = {spec.name: _column(spec, locale) for spec in SPECS[table]}
    return pa.DataFrameSchema(cols, checks=_frame_checks(table), strict=True, ordered=True,
                              name=table, title=TABLE_INFO[table][0],
                              description=TABLE_INFO[table][1])


def validate_table(frame: pd.DataFrame, table: str, locale: str = "zh_CN", *,
                   source: str | None = None) -> pd.DataFrame:
    """Validate one table; raise ValueError naming ``source`` and every broken column."""
    where = source or f"table {table!r}"
    try:  # the schema coerces nothing and sets no defaults, so it checks ``frame`` without a copy
        return schema(table, locale).validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        raise ValueError(f"{where} does not match the {table} schema:\n"
                         f"{_summarise(err.failure_cases)}") from None


def _summarise(cases: pd.DataFrame, limit: int = 8) -> str:
    lines = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        sample = ", ".join(repr(v) for v in group["failure_case"].drop_duplicates().head(3))
        col = "the table" if pd.isna(column) or column is None else f"column '{column}'"
        check = check if len(str(check)) <= 70 else str(check)[:60] + " ...)"
        lines.append(f"  - {col}: {check} failed for {len(group)} row(s) (e.g. {sample})")
    more = f"\n  ... and {len(lines) - limit} more problems" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def validate_tables(tables: dict, locale: str = "zh_CN") -> None:
    """Validate every table in ``tables``, every foreign key between them and the prospects."""
    for name, frame in tables.items():
        validate_table(frame, name, locale)
    for (child, col), (parent, key) in FOREIGN_KEYS.items():
        if child in tables and parent in tables:
            check_foreign_key(tables[child][col], tables[parent][key], f"{child}.{col}",
                              f"{parent}.{key}")
    if "customers" in tables:
        check_prospects(tables)


#: Tables a prospect (a customer with no first order yet) must not appear in.
PROSPECT_FREE = ("contracts", "shipments", "surveys", "complaints", "calls")


def check_prospects(tables: dict) -> None:
    """Raise unless prospects (first_order_date missing) have no orders, contract or service
    history, and every customer who has ordered has exactly one contract and no missing tier."""
    customers = tables["customers"]
    prospect = customers["first_order_date"].isna()
    if (prospect != customers["contract_tier"].isna()).any():
        raise ValueError("customers: contract_tier must be missing exactly for the prospects "
                         "(first_order_date missing).")
    ids = customers.loc[prospect, "customer_id"]
    for name in PROSPECT_FREE:
        if name in tables and len(ids):
            found = tables[name]["customer_id"].isin(ids)
            if found.any():
                sample = ", ".join(tables[name].loc[found, "customer_id"].unique()[:3])
                raise ValueError(f"{name} has {int(found.sum())} row(s) of prospects (customers "
                                 f"without a first_order_date, e.g. {sample}); prospects have no "
                                 f"{name}.")
    if "contracts" in tables:
        have = tables["contracts"]["customer_id"]
        missing = ~customers.loc[~prospect, "customer_id"].isin(have)
        if missing.any() or not have.is_unique:
            raise ValueError("contracts: every customer with a first_order_date needs exactly one "
                             f"contract ({int(missing.sum())} have none).")


def check_foreign_key(values: pd.Series, keys: pd.Series, name: str, parent: str) -> None:
    """Raise if a non-missing value of ``values`` is not among ``keys``."""
    present = values.dropna()
    if len(keys) > 4 * len(present):  # hash the small side: the keys that occur, then the orphans
        keys = keys[keys.isin(present.unique())]
    orphan = ~present.isin(keys)
    if orphan.any():
        sample = ", ".join(repr(v) for v in present[orphan].unique()[:3])
        raise ValueError(f"{name} has {int(orphan.sum())} value(s) with no match in {parent} "
                         f"(e.g. {sample}): every {name} must exist in {parent}.")
