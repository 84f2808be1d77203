"""Classifying logistics customers (物流客户的分类).

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 二、物流客户的分类 (by time, by marketing motive,
by logistics tier, 表1-1) and 三、各阶段客户关系的特点 (relationship stages, 表1-2).
Notebook: notebooks/01_customer_types.ipynb

Four lenses, each a stated rule on tidy tables: :func:`time_type` (过去型/现在型/未来型),
:func:`logistics_tiers` with :func:`tier_table` (重点/适当/一般客户 against 表1-1),
:func:`relationship_stage` with :func:`stage_transitions` (陌生人 … 忠诚者) and :func:`motive_type`
(经济型/道德型/个性化/方便型). Labels are the textbook's Chinese terms; the ``*_EN`` dicts translate.
Dates are compared by calendar day: everything on the reference day ``asof`` counts as "up to asof".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_categories, check_columns, check_datetime, check_frame, check_no_missing, check_number,
    check_numeric, check_range, check_non_negative, check_series, check_shares, check_unique,
    to_timestamp,
)

__all__ = [
    "DEFAULT_ASOF", "ACTIVE_WINDOW_DAYS", "TIME_TYPES", "TIME_TYPE_EN", "TIERS", "TIER_EN",
    "TIER_SHARES", "TIER_PROFIT_SHARES", "TIER_GOALS", "STAGES", "STAGE_EN", "STAGE_GUIDE",
    "CONTACT_KINDS", "CONTACT_KIND_EN", "FRIEND_KINDS", "LOYAL_MIN_QUARTERS", "LOYAL_MIN_ORDERS",
    "MOTIVE_TYPES", "MOTIVE_EN", "MOTIVE_COLUMNS",
    "time_type", "logistics_tiers", "tier_table", "relationship_stage", "stage_transitions",
    "motive_type",
]

#: Reference date of the course data (data contract: history 2024-01-01 .. 2025-12-31).
DEFAULT_ASOF = pd.Timestamp("2025-12-31")
#: "Recent" means the last 365 days up to asof (our rule for 现在型 and for loyalty).
ACTIVE_WINDOW_DAYS = 365

#: Customers by time (textbook ch.1 二(一) 按时间顺序分类).
TIME_TYPES = ("过去型", "现在型", "未来型")
TIME_TYPE_EN = dict(zip(TIME_TYPES, ("past", "current", "future")))

#: Logistics tiers of 表1-1 物流客户层次表, best first. The textbook also calls them
#: 关键客户/顶级客户, 合适客户/潜力客户 and 一般客户/常规客户.
TIERS = ("重点客户", "适当客户", "一般客户")
TIER_EN = dict(zip(TIERS, ("key", "suitable", "general")))
#: Share of customers and share of profit of each tier (表1-1: 5/15/80 % and 80/15/5 %).
TIER_SHARES = (0.05, 0.15, 0.80)
TIER_PROFIT_SHARES = (0.80, 0.15, 0.05)
#: The goal (目标性) of each tier in 表1-1, Chinese and English.
TIER_GOALS = {"重点客户": ("财务利益", "financial benefit"),
              "适当客户": ("客户价值", "customer value"),
              "一般客户": ("客户满意度", "customer satisfaction")}

#: Relationship stages of 表1-2 客户各阶段的特点, in the order a relationship grows.
STAGES = ("陌生人", "点头之交", "朋友", "客户", "忠诚者")
STAGE_EN = dict(zip(STAGES, ("stranger", "acquaintance", "friend", "customer", "loyal")))
#: What the customer needs and what the firm should offer at each stage (our wording, after 表1-2).
STAGE_GUIDE = {
    "陌生人": {"need": "知道我们存在 (to learn that we exist)",
            "offer": "主动沟通、宣传,让对方认识企业 (outreach that creates awareness)"},
    "点头之交": {"need": "了解服务、价格与网络 (information on services, prices, network)",
             "offer": "方便直接地提供详细资料与报价 (detailed information, easy to get)"},
    "朋友": {"need": "确认双方需求相合、可以信赖 (shared interests and trust)",
           "offer": "完整透明的信息、试单与拜访 (full information, trial orders, visits)"},
    "客户": {"need": "顺利下单、按时完好送达 (easy ordering, on-time and intact delivery)",
           "offer": "高效的下单条件与有价值的服务 (efficient terms and valuable service)"},
    "忠诚者": {"need": "长期合作并乐意推荐 (a lasting partnership worth recommending)",
            "offer": "附加价值与固定的沟通渠道 (added value and a standing contact channel)"},
}

#: Kinds of contact in the ``contacts`` table (data contract), with their English labels.
CONTACT_KINDS = ("初次接触", "询价", "拜访", "试单", "回访", "转介绍")
CONTACT_KIND_EN = dict(zip(CONTACT_KINDS, ("first_contact", "inquiry", "visit", "trial_order",
                                           "follow_up", "referral")))
#: Contacts that show real interest: they make an acquaintance a 朋友 (our rule).
FRIEND_KINDS = ("询价", "拜访", "试单", "转介绍")
#: 忠诚者 rule (ours): orders in all 4 quarters of the window and (a referral or >= 12 orders).
LOYAL_MIN_QUARTERS = 4
LOYAL_MIN_ORDERS = 12

#: Customers by marketing motive (ch.1 二(三) 从市场营销角度进行分类) and the behaviour column
#: of ``customers`` (data contract) that signals each motive.
MOTIVE_TYPES = ("经济型", "道德型", "个性化", "方便型")
MOTIVE_EN = dict(zip(MOTIVE_TYPES, ("economic", "ethical", "personalizing", "convenience")))
MOTIVE_COLUMNS = {"经济型": "price_sensitivity", "道德型": "ethical_preference",
                  "个性化": "customization_requests", "方便型": "convenience_preference"}


def time_type(shipments, asof=DEFAULT_ASOF, *, customers=None, window_days=ACTIVE_WINDOW_DAYS,
              customer="customer_id", date="order_date"):
    """Class customers as past (过去型), current (现在型) or future (未来型) customers.

    Rule, per customer, counting orders up to and including the day ``asof``:

    * 现在型 — the last order lies within the last ``window_days`` days (``asof`` counts as day 0);
    * 过去型 — ordered before, but not within the window;
    * 未来型 — no order up to ``asof``: listed in ``customers`` without shipments, or first
      ordering after ``asof``.

    Textbook ch.1 第一节 二(一) 按时间顺序分类.

    Parameters
    ----------
    shipments : pandas.DataFrame
        One row per order, with ``customer`` and ``date`` columns.
    asof : str, date or Timestamp
        Reference day; default 2025-12-31, the end of the course data.
    customers : pandas.DataFrame, optional
        Known customers (a ``customer`` column); those without orders are classed 未来型.
    window_days : int
        Length of the "recent" window in days (default 365).
    customer, date : str
        Column names of the customer id and the order date.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by id: ``customer``, ``last_order`` (NaT if none),
        ``orders`` (up to asof), ``days_since_last`` and ``time_type`` (categorical).

    See Also
    --------
    relationship_stage : stages of a relationship from contacts and orders.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...                        "order_date": pd.to_datetime(["2024-03-01", "2025-11-20",
    ...                                                      "2024-06-30", "2026-01-05"])})
    >>> time_type(orders, "2025-12-31", customers=pd.DataFrame({"customer_id": ["d"]}))
      customer_id last_order  orders  days_since_last time_type
    0           a 2025-11-20       2               41       现在型
    1           b 2024-06-30       1              549       过去型
    2           c        NaT       0             <NA>       未来型
    3           d        NaT       0             <NA>       未来型
    """
    asof = to_timestamp(asof, "asof").normalize()
    check_number(window_days, "window_days", low=1, integer=True)
    check_frame(shipments, "shipments", allow_empty=customers is not None)
    check_columns(shipments, [customer, date], "shipments")
    ids = check_no_missing(shipments[customer], f"shipments['{customer}']")
    days = _days_before(shipments[date], asof, f"shipments['{date}']")
    seen = days >= 0
    stats = (pd.DataFrame({"last_order": shipments[date][seen], "days": days[seen]})
             .groupby(ids[seen]).agg(last_order=("last_order", "max"),
                                     orders=("days", "size"), days_since_last=("days", "min")))
    out = stats.reindex(_universe(customer, ids, customers))
    out["orders"] = out["orders"].fillna(0).astype("int64")
    out["days_since_last"] = out["days_since_last"].astype("Int64")
    label = np.where(out["orders"] == 0, "未来型",
                     np.where(out["days_since_last"].fillna(window_days) < window_days,
                              "现在型", "过去型"))
    out["time_type"] = pd.Categorical(label, categories=TIME_TYPES)
    return out.rename_axis(customer).reset_index()


def logistics_tiers(profit, *, shares=TIER_SHARES):
    """Split customers into 重点 / 适当 / 一般 customers by their rank in profit (表1-1).

    Customers are ranked by profit, largest first (equal profits: smaller id first). With ``n``
    customers and cumulative shares ``c_k`` (0.05, 0.20, 1.00 by default), the customer at rank
    ``i`` joins the first tier with ``(i - 1) / n < c_k``: the top ``ceil(0.05 n)`` customers
    are 重点客户 (so the best customer is always key), the next up to ``ceil(0.20 n)`` 适当客户,
    the rest 一般客户. Textbook ch.1 第一节 二(四), 表1-1 物流客户层次表.

    Parameters
    ----------
    profit : pandas.Series
        Profit per customer (may be negative), indexed by customer id, each id once.
    shares : tuple of float
        Share of customers in each tier, best first; fractions adding up to 1.

    Returns
    -------
    pandas.DataFrame
        One row per customer in rank order, indexed by id: ``profit``, ``rank``,
        ``cum_customer_share``, ``cum_profit_share`` (NaN if total profit <= 0) and ``tier``
        (ordered categorical over :data:`TIERS`, or ``tier 1`` … if ``shares`` has another length).

    See Also
    --------
    tier_table : customers and profit per tier, next to the textbook's table.

    Examples
    --------
    >>> import pandas as pd
    >>> profit = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3],
    ...                    index=list("abcdefghij"), name="profit")
    >>> logistics_tiers(profit)["tier"].tolist()
    ['重点客户', '适当客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户', '一般客户']
    >>> logistics_tiers(profit, shares=(5, 15, 80))
    Traceback (most recent call last):
    ...
    ValueError: `shares` must be a fraction strictly between 0 and 1, but 5 was passed. Did you pass a percentage instead of a fraction?
    """
    profit = check_series(profit, "profit")
    check_numeric(profit, "profit")
    check_no_missing(profit, "profit")
    check_unique(profit.index, "profit.index")
    shares = check_shares(shares, "shares")
    labels = TIERS if len(shares) == len(TIERS) else tuple(f"tier {k + 1}"
                                                          for k in range(len(shares)))
    return _share_tiers(profit, shares, labels, value="profit", level="tier")


def tier_table(tiers, *, shares=TIER_SHARES):
    """Customers and profit per logistics tier, beside the textbook's 表1-1.

    Parameters
    ----------
    tiers : pandas.DataFrame or pandas.Series
        The result of :func:`logistics_tiers` (``profit`` and ``tier`` columns), or a profit
        Series, which is first split with ``logistics_tiers(tiers, shares=shares)``.
    shares : tuple of float
        Tier shares used when ``tiers`` is a profit Series.

    Returns
    -------
    pandas.DataFrame
        One row per tier (:data:`TIERS`): ``tier_en``, ``customers``, ``customer_share``,
        ``profit``, ``profit_share``, ``textbook_customer_share``, ``textbook_profit_share``,
        ``goal`` and ``goal_en``.

    Examples
    --------
    >>> import pandas as pd
    >>> profit = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3], index=list("abcdefghij"))
    >>> tier_table(profit)[["customers", "customer_share", "profit_share",
    ...                     "textbook_profit_share"]]
          customers  customer_share  profit_share  textbook_profit_share
    tier
    重点客户          1             0.1      0.765697                   0.80
    适当客户          1             0.1      0.137825                   0.15
    一般客户          8             0.8      0.096478                   0.05
    """
    if isinstance(tiers, pd.DataFrame):
        check_frame(tiers, "tiers")
        check_columns(tiers, ["profit", "tier"], "tiers")
        check_categories(tiers["tier"].astype(object), "tiers['tier']", TIERS)
        check_numeric(tiers["profit"], "tiers['profit']")
        check_no_missing(tiers["profit"], "tiers['profit']")
    else:
        tiers = logistics_tiers(tiers, shares=check_shares(shares, "shares", count=len(TIERS)))
    total = float(tiers["profit"].sum())
    if total <= 0:
        raise ValueError(f"The total profit is {total:g}, so shares of profit are undefined. "
                         "Pass profit per customer with a positive total.")
    grouped = tiers.groupby(tiers["tier"].astype(object))["profit"]
    table = pd.DataFrame({"customers": grouped.size(), "profit": grouped.sum()}).reindex(TIERS)
    table = table.fillna({"customers": 0, "profit": 0.0}).astype({"customers": "int64"})
    table.insert(0, "tier_en", [TIER_EN[t] for t in TIERS])
    table.insert(2, "customer_share", table["customers"] / len(tiers))
    table["profit_share"] = table["profit"] / total
    table["textbook_customer_share"] = TIER_SHARES
    table["textbook_profit_share"] = TIER_PROFIT_SHARES
    table["goal"] = [TIER_GOALS[t][0] for t in TIERS]
    table["goal_en"] = [TIER_GOALS[t][1] for t in TIERS]
    return table.rename_axis("tier")


def relationship_stage(contacts, shipments, asof=DEFAULT_ASOF, *, customers=None,
                       window_days=ACTIVE_WINDOW_DAYS, loyal_quarters=LOYAL_MIN_QUARTERS,
                       loyal_orders=LOYAL_MIN_ORDERS, customer="customer_id",
                       contact_date="contact_date", kind="kind", order_date="order_date"):
    """Stage of each relationship on the day ``asof``: 陌生人 → 点头之交 → 朋友 → 客户 → 忠诚者.

    Rule (the first that holds, from the top), counting contacts and orders up to ``asof``:

    * 忠诚者 — orders in at least ``loyal_quarters`` of the four quarters of the last
      ``window_days`` days (quarters counted back from ``asof``), and a 转介绍 referral or at
      least ``loyal_orders`` orders in that window;
    * 客户 — at least one order;
    * 朋友 — a contact that shows interest (:data:`FRIEND_KINDS`: 询价, 拜访, 试单, 转介绍);
    * 点头之交 — some contact (初次接触 or 回访 only);
    * 陌生人 — nothing yet (the id appears only later or only in ``customers``).

    Textbook ch.1 第一节 三, 表1-2 客户各阶段的特点; :data:`STAGE_GUIDE` says what to offer.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Touchpoints with ``customer``, ``contact_date`` and ``kind`` (Chinese or English labels of
        :data:`CONTACT_KINDS`). May be empty.
    shipments : pandas.DataFrame
        Orders with ``customer`` and ``order_date``. May be empty.
    asof : str, date or Timestamp
        Reference day (default 2025-12-31).
    customers : pandas.DataFrame, optional
        Further known ids (``customer`` column), classed 陌生人 if nothing else is known.
    window_days, loyal_quarters, loyal_orders : int
        Parameters of the 忠诚者 rule (365 days, 4 quarters, 12 orders).
    customer, contact_date, kind, order_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per id seen in any table, sorted: ``customer``, ``contacts``, ``orders``,
        ``recent_orders``, ``active_quarters``, ``referral`` and ``stage`` (ordered categorical).

    See Also
    --------
    stage_transitions : how customers moved between two dates.

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({"customer_id": ["a", "b", "c"], "kind": ["初次接触", "询价", "拜访"],
    ...                          "contact_date": pd.to_datetime(["2025-01-05"] * 3)})
    >>> orders = pd.DataFrame({"customer_id": ["c", "d"],
    ...                        "order_date": pd.to_datetime(["2025-03-01", "2026-02-01"])})
    >>> relationship_stage(contacts, orders, "2025-12-31")[["customer_id", "orders", "stage"]]
      customer_id  orders stage
    0           a       0  点头之交
    1           b       0    朋友
    2           c       1    客户
    3           d       0   陌生人
    """
    asof = to_timestamp(asof, "asof").normalize()
    check_number(window_days, "window_days", low=4, integer=True)
    check_number(loyal_quarters, "loyal_quarters", low=1, high=4, integer=True)
    check_number(loyal_orders, "loyal_orders", low=1, integer=True)
    for frame, name, cols in ((contacts, "contacts", [customer, contact_date, kind]),
                              (shipments, "shipments", [customer, order_date])):
        check_frame(frame, name, allow_empty=True)
        check_columns(frame, cols, name)
        check_no_missing(frame[customer], f"{name}['{customer}']")
    kinds = check_categories(contacts[kind], f"contacts['{kind}']",
                             CONTACT_KINDS + tuple(CONTACT_KIND_EN.values()))
    kinds = kinds.replace({en: zh for zh, en in CONTACT_KIND_EN.items()})
    ids = _universe(customer, pd.concat([contacts[customer], shipments[customer]]), customers)
    if len(ids) == 0:
        raise ValueError("`contacts` and `shipments` are both empty: there is no customer to stage.")

    c_seen = _days_before(contacts[contact_date], asof, f"contacts['{contact_date}']") >= 0
    c = pd.DataFrame({"id": contacts[customer], "friend": kinds.isin(FRIEND_KINDS),
                      "referral": kinds.eq("转介绍")})[c_seen].groupby("id")
    days = _days_before(shipments[order_date], asof, f"shipments['{order_date}']")
    s = pd.DataFrame({"id": shipments[customer], "days": days})[days >= 0]
    recent = s[s["days"] < window_days].assign(quarter=lambda d: d["days"] * 4 // window_days)
    out = pd.DataFrame({
        "contacts": c.size(), "friend": c["friend"].any(), "referral": c["referral"].any(),
        "orders": s.groupby("id").size(), "recent_orders": recent.groupby("id").size(),
        "active_quarters": recent.groupby("id")["quarter"].nunique(),
    }).reindex(ids)
    counts = ["contacts", "orders", "recent_orders", "active_quarters"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out[["friend", "referral"]] = out[["friend", "referral"]].fillna(False).astype(bool)
    loyal = (out["active_quarters"] >= loyal_quarters) & (
        out["referral"] | (out["recent_orders"] >= loyal_orders))
    code = np.select([loyal, out["orders"] > 0, out["friend"], out["contacts"] > 0],
                     [4, 3, 2, 1], default=0)
    out["stage"] = pd.Categorical.from_codes(code, categories=STAGES, ordered=True)
    return out.drop(columns="friend").rename_axis(customer).reset_index()


def stage_transitions(contacts, shipments, start, end, *, customers=None, normalize=False,
                      **options):
    """Cross-table of relationship stage on ``start`` (rows) against stage on ``end`` (columns).

    Both stages come from :func:`relationship_stage` with the same ``options``; every id seen in
    any table is counted once. Diagonal cells are customers who stayed; cells right of the
    diagonal moved up (e.g. 朋友 → 客户), cells left of it fell back (忠诚者 → 客户).

    Parameters
    ----------
    contacts, shipments : pandas.DataFrame
        As in :func:`relationship_stage`.
    start, end : str, date or Timestamp
        The two reference days, ``start`` before ``end``.
    customers : pandas.DataFrame, optional
        Further known ids.
    normalize : bool
        If True, divide each row by its total: the share of each start stage that reached each
        end stage (NaN for a stage nobody was in at ``start``).
    **options
        Further keyword arguments of :func:`relationship_stage` (``window_days``,
        ``loyal_quarters``, ``loyal_orders``, column names).

    Returns
    -------
    pandas.DataFrame
        5 × 5 table over :data:`STAGES`, index ``from_stage``, columns ``to_stage``.

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({"customer_id": ["a", "b"], "kind": ["询价", "初次接触"],
    ...                          "contact_date": pd.to_datetime(["2024-05-01", "2025-05-01"])})
    >>> orders = pd.DataFrame({"customer_id": ["a"], "order_date": pd.to_datetime(["2025-02-01"])})
    >>> t = stage_transitions(contacts, orders, "2024-12-31", "2025-12-31")
    >>> int(t.loc["朋友", "客户"]), int(t.loc["陌生人", "点头之交"]), int(t.to_numpy().sum())
    (1, 1, 2)
    """
    start = to_timestamp(start, "start")
    end = to_timestamp(end, "end")
    if start >= end:
        raise ValueError(f"`start` ({start.date()}) must come before `end` ({end.date()}).")
    before = relationship_stage(contacts, shipments, start, customers=customers, **options)
    after = relationship_stage(contacts, shipments, end, customers=customers, **options)
    pairs = before["stage"].cat.codes.to_numpy() * len(STAGES) + after["stage"].cat.codes.to_numpy()
    counts = np.bincount(pairs, minlength=len(STAGES) ** 2).reshape(len(STAGES), len(STAGES))
    table = pd.DataFrame(counts, index=pd.Index(STAGES, name="from_stage"),
                         columns=pd.Index(STAGES, name="to_stage"))
    if normalize:
        table = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
    return table


def motive_type(customers, shipments=None, *, columns=None, customer="customer_id",
                revenue="revenue"):
    """Class customers by marketing motive: 经济型, 道德型, 个性化 or 方便型.

    Rule: each behaviour column of :data:`MOTIVE_COLUMNS` is standardised over all customers
    (z-score ``(x - mean) / sd``, population sd; a column that never varies scores 0;
    ``customization_requests`` is a skewed count, so ``log(1 + x)`` is standardised). A customer's
    motive is the behaviour where they stand furthest above the other customers (largest z); ties
    go to the earlier type in :data:`MOTIVE_TYPES`. ``margin`` = largest z − second largest z
    shows how clear-cut the call is. Textbook ch.1 第一节 二(三) 从市场营销角度进行分类.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer: ``customer`` and the four behaviour columns (price, ethical and
        convenience preferences as fractions 0–1, customization requests as counts >= 0).
    shipments : pandas.DataFrame, optional
        If given, ``orders`` and ``revenue`` per customer are added for context (0 if none);
        they do not change the class, so the rule stays the one stated above.
    columns : dict, optional
        Motive → column name, to override :data:`MOTIVE_COLUMNS`.
    customer, revenue : str
        Column names of the id and of the shipment revenue.

    Returns
    -------
    pandas.DataFrame
        One row per customer in input order: ``customer``, one ``z_<column>`` per behaviour,
        ``motive_type`` (categorical) and ``margin``.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "price_sensitivity": [0.9, 0.2, 0.3, 0.3],
    ...     "ethical_preference": [0.2, 0.9, 0.3, 0.2],
    ...     "customization_requests": [0, 1, 12, 1],
    ...     "convenience_preference": [0.3, 0.3, 0.2, 0.9]})
    >>> motive_type(customers)["motive_type"].tolist()
    ['经济型', '道德型', '个性化', '方便型']
    """
    mapping = dict(MOTIVE_COLUMNS if columns is None else columns)
    if set(mapping) != set(MOTIVE_TYPES):
        raise ValueError(f"`columns` must map each of {', '.join(MOTIVE_TYPES)} to a column, "
                         f"but it has keys {', '.join(map(str, mapping))}.")
    check_frame(customers, "customers")
    check_columns(customers, [customer, *mapping.values()], "customers")
    check_unique(check_no_missing(customers[customer], f"customers['{customer}']"),
                 f"customers['{customer}']")
    z = {}
    for motive in MOTIVE_TYPES:
        col, name = mapping[motive], f"customers['{mapping[motive]}']"
        if motive == "个性化":
            x = np.log1p(check_non_negative(customers[col], name).to_numpy(dtype=float))
        else:
            x = check_range(customers[col], name, 0, 1).to_numpy(dtype=float)
        z[f"z_{col}"] = (x - x.mean()) / x.std() if np.ptp(x) > 0 else np.zeros_like(x)
    out = pd.DataFrame({customer: customers[customer].to_numpy(), **z}, index=customers.index)
    zs = np.column_stack(list(z.values()))
    best = zs.argmax(axis=1)
    out["motive_type"] = pd.Categorical.from_codes(best, categories=MOTIVE_TYPES)
    top2 = np.sort(zs, axis=1)[:, -2:]
    out["margin"] = top2[:, 1] - top2[:, 0]
    if shipments is not None:
        check_frame(shipments, "shipments", allow_empty=True)
        check_columns(shipments, [customer, revenue], "shipments")
        rev = check_non_negative(shipments[revenue], f"shipments['{revenue}']")
        g = rev.groupby(shipments[customer])
        out["orders"] = customers[customer].map(g.size()).fillna(0).astype("int64").to_numpy()
        out[revenue] = customers[customer].map(g.sum()).fillna(0.0).to_numpy()
    return out


def _days_before(dates: pd.Series, asof: pd.Timestamp, name: str) -> pd.Series:
    """Whole days from each date's calendar day to ``asof`` (negative = after asof)."""
    dates = check_no_missing(check_datetime(dates, name), name)
    return (asof - dates.dt.normalize()).dt.days.astype("int64")


def _universe(customer: str, ids: pd.Series, customers) -> pd.Index:
    """Sorted ids seen in ``ids`` plus those of the optional ``customers`` table."""
    index = pd.Index(ids.unique())
    if customers is not None:
        check_frame(customers, "customers", allow_empty=True)
        check_columns(customers, [customer], "customers")
        known = check_no_missing(customers[customer], f"customers['{customer}']")
        index = index.union(pd.Index(known.unique()))
    return index.sort_values()


def _share_tiers(values: pd.Series, shares, labels, *, value: str, level: str) -> pd.DataFrame:
    """Rank ``values`` largest first (ties: smaller id first) and cut by cumulative shares."""
    name = values.index.name or "customer_id"
    frame = pd.DataFrame({"v": values.to_numpy(dtype=float), "k": values.index})
    order = frame.sort_values(["v", "k"], ascending=[False, True], kind="stable").index.to_numpy()
    n = len(values)
    ranked = values.iloc[order].astype(float)
    rank = np.arange(1, n + 1)
    cuts = np.cumsum(shares) * n - 1e-9
    codes = np.minimum(np.searchsorted(cuts, rank - 1, side="right"), len(shares) - 1)
    total = ranked.sum()
    out = pd.DataFrame({
        value: ranked.to_numpy(), "rank": rank, "cum_customer_share": rank / n,
        f"cum_{value}_share": ranked.cumsum().to_numpy() / total if total > 0 else np.nan,
        level: pd.Categorical.from_codes(codes, categories=labels, ordered=True),
    }, index=pd.Index(ranked.index, name=name))
    return out
