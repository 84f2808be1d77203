"""Relationship stages of 表1-2: 陌生人 → 点头之交 → 朋友 → 客户 → 忠诚者.

Textbook: chapter 1, 现代物流客户关系管理概论 — 第一节 三、各阶段客户关系的特点, 表1-2.
Notebook: notebooks/01_customer_types.ipynb
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import (
    DateLike, check_categories, check_columns, check_frame, check_no_missing, check_number, to_timestamp,
)
from crmkit.classify.timing import ACTIVE_WINDOW_DAYS, ASOF, days_before, customer_universe
from crmkit.vocabulary import CONTACT_KINDS, LOYAL_MIN_ORDERS, LOYAL_QUARTERS, STAGES, from_english

__all__ = ["STAGES", "STAGE_GUIDE", "CONTACT_KINDS", "FRIEND_KINDS",
           "LOYAL_QUARTERS", "LOYAL_MIN_ORDERS", "relationship_stage", "stage_transitions"]

# STAGES (crmkit.vocabulary): the relationship stages of 表1-2 客户各阶段的特点, in the order a
# relationship grows. CONTACT_KINDS: the kinds of contact in the ``contacts`` table.
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

#: Contacts that show real interest: they make an acquaintance a 朋友 (our rule).
FRIEND_KINDS = ("询价", "拜访", "试单", "转介绍")

@fill_doc
def relationship_stage(contacts: pd.DataFrame, shipments: pd.DataFrame, *, asof: DateLike = ASOF,
                       customers: pd.DataFrame | None = None, window_days: int = ACTIVE_WINDOW_DAYS,
                       loyal_quarters: int = LOYAL_QUARTERS, loyal_orders: int = LOYAL_MIN_ORDERS,
                       key: str = "customer_id", date: str = "contact_date", kind: str = "kind",
                       shipment_date: str = "order_date") -> pd.DataFrame:
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
        Touchpoints with ``key``, ``date`` and ``kind`` (Chinese or English labels of
        :data:`CONTACT_KINDS`). May be empty.
    shipments : pandas.DataFrame
        Orders with ``key`` and ``shipment_date``. May be empty.
    {asof}
    customers : pandas.DataFrame, optional
        Further known ids (``key`` column), classed 陌生人 if nothing else is known.
    window_days, loyal_quarters, loyal_orders : int
        Parameters of the 忠诚者 rule (365 days, 4 quarters, 12 orders).
    key, date, kind, shipment_date : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per id seen in any table, sorted: ``key``, ``contacts``, ``orders``,
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
    >>> relationship_stage(contacts, orders, asof="2025-12-31")[["customer_id", "orders", "stage"]]
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
    for frame, name, cols in ((contacts, "contacts", [key, date, kind]),
                              (shipments, "shipments", [key, shipment_date])):
        check_frame(frame, name, allow_empty=True)
        check_columns(frame, cols, name)
        check_no_missing(frame[key], f"{name}['{key}']")
    kinds = check_categories(contacts[kind], f"contacts['{kind}']",
                             CONTACT_KINDS + tuple(from_english("kind")))
    kinds = kinds.astype(object).replace(from_english("kind"))
    ids = customer_universe(key, pd.concat([contacts[key], shipments[key]]), customers)
    if len(ids) == 0:
        raise ValueError("`contacts` and `shipments` are both empty: there is no customer to stage.")

    c_seen = days_before(contacts[date], asof, f"contacts['{date}']") >= 0
    c = pd.DataFrame({"id": contacts[key], "friend": kinds.isin(FRIEND_KINDS),
                      "referral": kinds.eq("转介绍")})[c_seen].groupby("id")
    days = days_before(shipments[shipment_date], asof, f"shipments['{shipment_date}']")
    s = pd.DataFrame({"id": shipments[key], "days": days})[days >= 0]
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
    return out.drop(columns="friend").rename_axis(key).reset_index()


def stage_transitions(contacts: pd.DataFrame, shipments: pd.DataFrame, start: DateLike, end: DateLike, *,
                      customers: pd.DataFrame | None = None, normalize: bool = False,
                      **options: int | str) -> pd.DataFrame:
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
    before = relationship_stage(contacts, shipments, asof=start, customers=customers, **options)
    after = relationship_stage(contacts, shipments, asof=end, customers=customers, **options)
    pairs = before["stage"].cat.codes.to_numpy() * len(STAGES) + after["stage"].cat.codes.to_numpy()
    counts = np.bincount(pairs, minlength=len(STAGES) ** 2).reshape(len(STAGES), len(STAGES))
    table = pd.DataFrame(counts, index=pd.Index(STAGES, name="from_stage"),
                         columns=pd.Index(STAGES, name="to_stage"))
    if normalize:
        table = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
    return table
