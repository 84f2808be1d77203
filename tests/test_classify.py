"""Tests for crmkit.classify (textbook ch.1 物流客户的分类): time types, 表1-1 tiers, 表1-2 stages,
marketing motives. Small tables worked by hand, hypothesis properties, and every input error."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmkit.vocabulary import CONTACT_KINDS, english
from crmkit.classify import (
    MOTIVE_TYPES, STAGE_GUIDE, STAGES, TIER_GOALS, TIERS, TIME_TYPES,
    logistics_tiers, motive_type, relationship_stage, stage_transitions, tier_table, time_type,
)

ASOF = "2025-12-31"


def _orders(rows):
    """rows: (customer_id, date string) pairs -> shipments frame."""
    ids, dates = zip(*rows)
    return pd.DataFrame({"customer_id": list(ids), "order_date": pd.to_datetime(list(dates))})


def _contacts(rows):
    ids, kinds, dates = zip(*rows)
    return pd.DataFrame({"customer_id": list(ids), "kind": list(kinds),
                         "contact_date": pd.to_datetime(list(dates))})


NO_CONTACTS = pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                            "kind": pd.Series([], dtype=object),
                            "contact_date": pd.Series([], dtype="datetime64[ns]")})


# --- time_type ---------------------------------------------------------------------------------

def test_time_type_worked_example():
    ship = _orders([("a", "2025-12-31"), ("a", "2024-02-01"),   # day 0: current
                    ("b", "2025-01-01"),                         # 364 days before: current
                    ("c", "2024-12-31"),                         # 365 days before: past
                    ("d", "2026-01-01")])                        # only after asof: future
    out = time_type(ship, asof=ASOF, customers=pd.DataFrame({"customer_id": ["e", "a"]}))
    assert out["customer_id"].tolist() == ["a", "b", "c", "d", "e"]
    assert out["time_type"].tolist() == ["现在型", "现在型", "过去型", "未来型", "未来型"]
    assert out["orders"].tolist() == [2, 1, 1, 0, 0]
    assert out["days_since_last"].iloc[:3].tolist() == [0, 364, 365]
    assert out["last_order"].iloc[0] == pd.Timestamp("2025-12-31")
    assert out["last_order"].iloc[3:].isna().all()
    assert list(out["time_type"].cat.categories) == list(TIME_TYPES)


def test_time_type_window_and_times_of_day():
    # an order at 18:00 on the asof day still counts; a 30-day window makes b past
    ship = _orders([("a", "2025-12-31 18:00"), ("b", "2025-11-15 00:00")])
    out = time_type(ship, asof=ASOF, window_days=30)
    assert out["time_type"].tolist() == ["现在型", "过去型"]
    # dates given as strings are read as dates
    ship_str = ship.assign(order_date=["2025-12-31", "2025-11-15"])
    assert time_type(ship_str, asof=ASOF)["time_type"].tolist() == ["现在型", "现在型"]


def test_time_type_empty_shipments_with_customers_and_no_mutation():
    empty = _orders([("x", "2025-01-01")]).iloc[:0]
    out = time_type(empty, asof=ASOF, customers=pd.DataFrame({"customer_id": ["b", "a"]}))
    assert out["time_type"].tolist() == ["未来型", "未来型"]
    ship = _orders([("a", "2025-06-01")])
    before = ship.copy()
    time_type(ship, asof=ASOF)
    pd.testing.assert_frame_equal(ship, before)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"shipments": "x"}, TypeError, "`shipments` must be a pandas DataFrame"),
    ({"shipments": pd.DataFrame({"customer_id": [], "order_date": []})}, ValueError, "is empty"),
    ({"shipments": pd.DataFrame({"customer_id": ["a"]})}, ValueError,
     'column "order_date" is not in `shipments`'),
    ({"shipments": pd.DataFrame({"customer_id": [None], "order_date": ["2025-01-01"]})},
     ValueError, "missing value"),
    ({"shipments": pd.DataFrame({"customer_id": ["a"], "order_date": [pd.NaT]})},
     ValueError, "missing value"),
    ({"shipments": pd.DataFrame({"customer_id": ["a"], "order_date": [3.0]})},
     TypeError, "must hold dates"),
    ({"asof": "not a date"}, ValueError, "`asof` must be a date"),
    ({"window_days": 0}, ValueError, "`window_days` must lie between 1"),
    ({"window_days": 30.5}, TypeError, "`window_days` must be a whole number"),
    ({"customers": pd.DataFrame({"id": ["a"]})}, ValueError, 'column "customer_id"'),
])
def test_time_type_errors(kwargs, exc, match):
    args = {"shipments": _orders([("a", "2025-06-01")]), "asof": ASOF, **kwargs}
    with pytest.raises(exc, match=match):
        time_type(args.pop("shipments"), **args)


order_rows = st.lists(st.tuples(st.sampled_from(list("abcdefg")),
                                st.integers(min_value=0, max_value=900)), min_size=1, max_size=40)


@settings(max_examples=50, deadline=None)
@given(rows=order_rows, window=st.integers(min_value=1, max_value=800))
def test_time_type_properties(rows, window):
    base = pd.Timestamp("2024-01-01")
    ship = pd.DataFrame({"customer_id": [r[0] for r in rows],
                         "order_date": [base + pd.Timedelta(days=r[1]) for r in rows]})
    asof = pd.Timestamp("2025-06-30")
    out = time_type(ship, asof=asof, window_days=window)
    wider = time_type(ship, asof=asof, window_days=window + 30)
    assert set(out["time_type"]) <= set(TIME_TYPES)
    assert out["orders"].sum() == (ship["order_date"] <= asof).sum()
    current = out["time_type"] == "现在型"
    assert (current == (out["days_since_last"].fillna(10**6) < window)).all()
    assert ((out["orders"] == 0) == (out["time_type"] == "未来型")).all()
    # a wider window never turns a current customer into a past one
    assert (wider["time_type"][current] == "现在型").all()


# --- logistics_tiers / tier_table ----------------------------------------------------------------

def test_logistics_tiers_twenty_customers():
    # 20 customers: key = ceil(0.05*20) = 1, suitable = ceil(0.20*20) - 1 = 3, general = 16
    profit = pd.Series(np.arange(20, 0, -1) * 10.0, index=[f"C{i:02d}" for i in range(20)])
    out = logistics_tiers(profit)
    assert out["tier"].value_counts().reindex(TIERS).tolist() == [1, 3, 16]
    assert out.index[0] == "C00" and out["tier"].iloc[0] == "关键客户"
    # cum profit share of the first: 200 / (10 * 210) = 0.0952...
    assert out["cum_profit_share"].iloc[0] == pytest.approx(200 / 2100)
    assert out["cum_profit_share"].iloc[-1] == pytest.approx(1.0)
    assert out["tier"].cat.ordered


def test_logistics_tiers_classroom_scale_and_ties():
    profit = pd.Series(1.0, index=[f"C{i:04d}" for i in range(2000)])  # all tied
    out = logistics_tiers(profit)
    assert out["tier"].value_counts().reindex(TIERS).tolist() == [100, 300, 1600]
    # ties broken by id: the 100 smallest ids are key
    assert list(out.index[:100]) == [f"C{i:04d}" for i in range(100)]


def test_logistics_tiers_small_and_negative():
    out = logistics_tiers(pd.Series([-5.0], index=["z"]))
    assert out["tier"].tolist() == ["关键客户"]          # the best customer is always key
    assert out["cum_profit_share"].isna().all()          # total <= 0: shares undefined
    four = logistics_tiers(pd.Series([1.0, 2, 3, 4], index=list("abcd")), shares=(0.5, 0.5))
    assert four["tier"].astype(str).tolist() == ["tier 1", "tier 1", "tier 2", "tier 2"]


def test_tier_table_worked_example():
    # 20 customers: top one earns 800, next three 50 each, sixteen earn 3.125 each -> total 1000
    profit = pd.Series([800.0] + [50.0] * 3 + [3.125] * 16, index=[f"C{i:02d}" for i in range(20)])
    table = tier_table(logistics_tiers(profit))
    assert table.index.tolist() == list(TIERS)
    assert table["customers"].tolist() == [1, 3, 16]
    assert table["customer_share"].tolist() == pytest.approx([0.05, 0.15, 0.80])
    assert table["profit_share"].tolist() == pytest.approx([0.80, 0.15, 0.05])
    assert table["textbook_profit_share"].tolist() == [0.80, 0.15, 0.05]
    assert table["goal"].tolist() == [TIER_GOALS[t][0] for t in TIERS]
    pd.testing.assert_frame_equal(table, tier_table(profit))


def test_tier_table_fills_empty_tier():
    # 3 customers with shares (0.05, 0.15, 0.80): ceil(0.15)=1 key, ceil(0.6)-1=0 suitable
    table = tier_table(pd.Series([5.0, 3.0, 2.0], index=list("abc")))
    assert table["customers"].tolist() == [1, 0, 2]
    assert table.loc["合适客户", "profit"] == 0.0


@pytest.mark.parametrize("profit, kwargs, exc, match", [
    ([1, 2], {"shares": (5, 15, 80)}, ValueError, "percentage"),
    ([1, 2], {"shares": (0.1, 0.2, 0.3)}, ValueError, "add up to 1"),
    ([1, 2], {"shares": 0.5}, TypeError, "tuple of fractions"),
    ([1, 2], {"shares": (1.0,)}, ValueError, "at least two shares"),
    ([1, 2], {"shares": (0.0, 1.0)}, ValueError, "strictly between 0 and 1"),
    (pd.Series([1, 2], index=["a", "a"]), {}, ValueError, "duplicate"),
    ([1, None], {}, ValueError, "missing value"),
    (["x", "y"], {}, TypeError, "must hold numbers"),
    ([], {}, ValueError, "empty"),
    (pd.DataFrame({"p": [1]}), {}, TypeError, "one column"),
])
def test_logistics_tiers_errors(profit, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        logistics_tiers(profit, **kwargs)


def test_tier_table_errors():
    with pytest.raises(ValueError, match="total profit is -3"):
        tier_table(pd.Series([-1.0, -2.0], index=["a", "b"]))
    with pytest.raises(ValueError, match='column "tier"'):
        tier_table(pd.DataFrame({"profit": [1.0]}))
    with pytest.raises(ValueError, match="unknown category"):
        tier_table(pd.DataFrame({"profit": [1.0], "tier": ["VIP"]}))
    with pytest.raises(ValueError, match="must have 3 values"):
        tier_table(pd.Series([1.0, 2.0]), shares=(0.5, 0.5))


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.integers(min_value=-50, max_value=1000), min_size=1, max_size=120))
def test_tier_properties(values):
    profit = pd.Series(values, index=[f"C{i:03d}" for i in range(len(values))], dtype=float)
    out = logistics_tiers(profit)
    n = len(values)
    n_key, n_top = math.ceil(0.05 * n), math.ceil(0.20 * n)
    assert out["tier"].value_counts().reindex(TIERS).tolist() == [n_key, n_top - n_key, n - n_top]
    # a customer with more profit is never in a lower tier
    codes = out["tier"].cat.codes.to_numpy()
    assert (np.diff(codes) >= 0).all() and (np.diff(out["profit"].to_numpy()) <= 0).all()
    assert sorted(out.index) == sorted(profit.index)
    if profit.sum() > 0:
        table = tier_table(out)
        assert table["customer_share"].sum() == pytest.approx(1.0)
        assert table["profit_share"].sum() == pytest.approx(1.0)


# --- relationship_stage / stage_transitions ------------------------------------------------------

def _loyal_orders(cid, n_per_quarter, quarters=4):
    # orders spread over the quarters counted back from 2025-12-31 (92-day steps stay inside the 91.25-day quarters)
    return [(cid, (pd.Timestamp(ASOF) - pd.Timedelta(days=92 * k + j)).strftime("%Y-%m-%d"))
            for k in range(quarters) for j in range(n_per_quarter)]


def test_relationship_stage_each_stage():
    contacts = _contacts([("acq", "初次接触", "2025-03-01"), ("acq", "回访", "2025-04-01"),
                          ("fr", "初次接触", "2025-03-01"), ("fr", "试单", "2025-05-01"),
                          ("ref", "转介绍", "2025-05-01"),
                          ("late", "询价", "2026-02-01")])       # after asof: still a stranger
    ship = _orders([("cust", "2024-03-01")]
                   + _loyal_orders("loyal12", 3)                 # 4 quarters, 12 orders
                   + _loyal_orders("steady", 2)                  # 4 quarters, 8 orders, no referral
                   + _loyal_orders("ref", 1)                     # 4 quarters, 4 orders + referral
                   + _loyal_orders("three", 5, quarters=3))      # 15 orders in only 3 quarters
    out = relationship_stage(contacts, ship, asof=ASOF).set_index("customer_id")
    expected = {"acq": "点头之交", "fr": "朋友", "late": "陌生人", "cust": "客户",
                "loyal12": "忠诚者", "steady": "客户", "ref": "忠诚者", "three": "客户"}
    assert out["stage"].astype(str).to_dict() == expected
    assert out.loc["loyal12", ["orders", "recent_orders", "active_quarters"]].tolist() == [12, 12, 4]
    assert out.loc["cust", "recent_orders"] == 0
    assert bool(out.loc["ref", "referral"]) and not bool(out.loc["fr", "referral"])
    assert out["stage"].cat.ordered and list(out["stage"].cat.categories) == list(STAGES)
    # looser rule: 2 quarters are enough and 8 orders suffice
    loose = relationship_stage(contacts, ship, asof=ASOF, loyal_quarters=3, loyal_orders=8)
    assert set(loose.loc[loose["stage"] == "忠诚者", "customer_id"]) == {
        "loyal12", "steady", "ref", "three"}


def test_relationship_stage_english_kinds_and_customers_table():
    contacts = _contacts([("a", english("询价"), "2025-01-01"),
                          ("b", english("初次接触"), "2025-01-01")])
    empty_ship = _orders([("x", "2025-01-01")]).iloc[:0]
    out = relationship_stage(contacts, empty_ship, asof=ASOF,
                             customers=pd.DataFrame({"customer_id": ["c"]}))
    assert out["stage"].astype(str).tolist() == ["朋友", "点头之交", "陌生人"]
    assert set(STAGE_GUIDE) == set(STAGES)


@pytest.mark.parametrize("kinds", [["询价", "初次接触"], ["inquiry", "first_contact"]])
def test_relationship_stage_categorical_columns(kinds):
    # the generator stores ids and kinds as pandas categoricals (Chinese or English labels)
    contacts = _contacts([("a", kinds[0], "2025-01-01"), ("b", kinds[1], "2025-01-01")])
    contacts = contacts.astype({"customer_id": "category", "kind": "category"})
    ship = _orders([("c", "2025-01-01")]).astype({"customer_id": "category"})
    out = relationship_stage(contacts, ship, asof=ASOF)
    assert out["stage"].astype(str).tolist() == ["朋友", "点头之交", "客户"]
    assert time_type(ship, asof=ASOF)["time_type"].tolist() == ["现在型"]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"contacts": _contacts([("a", "打电话", "2025-01-01")])}, ValueError, "unknown category"),
    ({"contacts": pd.DataFrame({"customer_id": ["a"]})}, ValueError, "not in `contacts`"),
    ({"shipments": pd.DataFrame({"id": ["a"]})}, ValueError, "not in `shipments`"),
    ({"contacts": NO_CONTACTS, "shipments": _orders([("a", "2025-01-01")]).iloc[:0]},
     ValueError, "both empty"),
    ({"loyal_quarters": 5}, ValueError, "`loyal_quarters` must lie between 1 and 4"),
    ({"loyal_orders": 0}, ValueError, "`loyal_orders`"),
    ({"window_days": 2}, ValueError, "`window_days`"),
    ({"asof": None}, TypeError, "`asof` must be a date"),
])
def test_relationship_stage_errors(kwargs, exc, match):
    args = {"contacts": _contacts([("a", "询价", "2025-01-01")]),
            "shipments": _orders([("a", "2025-02-01")]), "asof": ASOF, **kwargs}
    with pytest.raises(exc, match=match):
        relationship_stage(args.pop("contacts"), args.pop("shipments"), **args)


def test_stage_transitions_worked_example():
    contacts = _contacts([("a", "询价", "2024-05-01"), ("b", "初次接触", "2025-05-01"),
                          ("c", "拜访", "2024-02-01")])
    ship = _orders([("a", "2025-02-01")] + _loyal_orders("d", 3, quarters=4)
                   + [("d", "2024-01-10")])
    # at 2024-12-31: a friend, b stranger, c friend, d customer (one order in 2024)
    # at 2025-12-31: a customer, b acquaintance, c friend, d loyal
    t = stage_transitions(contacts, ship, "2024-12-31", ASOF)
    assert t.shape == (5, 5) and t.index.name == "from_stage" and t.columns.name == "to_stage"
    assert t.loc["朋友", "客户"] == 1 and t.loc["陌生人", "点头之交"] == 1
    assert t.loc["朋友", "朋友"] == 1 and t.loc["客户", "忠诚者"] == 1
    assert t.to_numpy().sum() == 4
    shares = stage_transitions(contacts, ship, "2024-12-31", ASOF, normalize=True)
    assert shares.loc["朋友"].tolist() == [0, 0, 0.5, 0.5, 0]
    assert shares.loc["忠诚者"].isna().all()


def test_stage_transitions_errors():
    c, s = _contacts([("a", "询价", "2025-01-01")]), _orders([("a", "2025-02-01")])
    with pytest.raises(ValueError, match="must come before `end`"):
        stage_transitions(c, s, ASOF, "2025-01-01")
    with pytest.raises(TypeError, match="unexpected keyword"):
        stage_transitions(c, s, "2025-01-01", ASOF, loyal=3)


kinds = st.sampled_from(list(CONTACT_KINDS))
ids = st.sampled_from(list("abcdefgh"))


@settings(max_examples=40, deadline=None)
@given(contact_rows=st.lists(st.tuples(ids, kinds, st.integers(0, 700)), max_size=25),
       order_rows=st.lists(st.tuples(ids, st.integers(0, 700)), min_size=1, max_size=60))
def test_stage_properties(contact_rows, order_rows):
    base = pd.Timestamp("2024-01-01")
    contacts = pd.DataFrame({"customer_id": [r[0] for r in contact_rows],
                             "kind": [r[1] for r in contact_rows],
                             "contact_date": [base + pd.Timedelta(days=r[2]) for r in contact_rows]},
                            columns=["customer_id", "kind", "contact_date"])
    contacts["contact_date"] = pd.to_datetime(contacts["contact_date"])
    ship = pd.DataFrame({"customer_id": [r[0] for r in order_rows],
                         "order_date": [base + pd.Timedelta(days=r[1]) for r in order_rows]})
    t = stage_transitions(contacts, ship, "2024-09-30", "2025-09-30")
    n_ids = len(set(contacts["customer_id"]) | set(ship["customer_id"]))
    assert t.to_numpy().sum() == n_ids
    # only loyalty can be lost: below the diagonal every row except 忠诚者 is empty
    counts = t.to_numpy()
    assert all(counts[i, j] == 0 for i in range(4) for j in range(i))
    out = relationship_stage(contacts, ship, asof="2025-09-30")
    assert ((out["orders"] > 0) == (out["stage"] >= "客户")).all()


# --- motive_type ---------------------------------------------------------------------------------

def _behaviour(**overrides):
    data = {"customer_id": ["a", "b", "c", "d"],
            "price_sensitivity": [0.9, 0.2, 0.3, 0.3],
            "ethical_preference": [0.2, 0.9, 0.3, 0.2],
            "customization_requests": [0, 1, 12, 1],
            "convenience_preference": [0.3, 0.3, 0.2, 0.9]}
    data.update(overrides)
    return pd.DataFrame(data)


def test_motive_type_worked_example():
    customers = _behaviour()
    out = motive_type(customers)
    assert out["motive_type"].tolist() == ["经济型", "道德型", "个性化", "方便型"]
    # price column: mean 0.425, population sd = sqrt(((.475)^2 + 3 * ...)/4)
    x = np.array([0.9, 0.2, 0.3, 0.3])
    assert out["z_price_sensitivity"].iloc[0] == pytest.approx((0.9 - 0.425) / x.std())
    assert (out["margin"] > 0).all()
    assert list(out.columns[:2]) == ["customer_id", "z_price_sensitivity"]


def test_motive_type_ties_and_context_columns():
    same = _behaviour(price_sensitivity=[0.5] * 4, ethical_preference=[0.5] * 4,
                      customization_requests=[2] * 4, convenience_preference=[0.5] * 4)
    out = motive_type(same)
    assert out["motive_type"].tolist() == ["经济型"] * 4          # all z = 0: first type wins
    assert (out["margin"] == 0).all()
    ship = pd.DataFrame({"customer_id": ["a", "a", "c"], "revenue": [10.0, 5.0, 7.0]})
    ctx = motive_type(_behaviour(), ship)
    assert ctx["orders"].tolist() == [2, 0, 1, 0]
    assert ctx["revenue"].tolist() == [15.0, 0.0, 7.0, 0.0]
    assert ctx["motive_type"].tolist() == motive_type(_behaviour())["motive_type"].tolist()


def test_motive_type_custom_columns():
    renamed = _behaviour().rename(columns={"price_sensitivity": "price"})
    mapping = {"经济型": "price", "道德型": "ethical_preference",
               "个性化": "customization_requests", "方便型": "convenience_preference"}
    assert motive_type(renamed, columns=mapping)["motive_type"].iloc[0] == "经济型"


@pytest.mark.parametrize("customers, kwargs, exc, match", [
    (_behaviour(price_sensitivity=[1.5, 0, 0, 0]), {}, ValueError, "between 0 and 1"),
    (_behaviour(customization_requests=[-1, 0, 0, 0]), {}, ValueError, "negative"),
    (_behaviour(ethical_preference=["hi", "lo", "x", "y"]), {}, TypeError, "must hold numbers"),
    (_behaviour(customer_id=["a", "a", "b", "c"]), {}, ValueError, "duplicate"),
    (_behaviour().drop(columns="convenience_preference"), {}, ValueError,
     'column "convenience_preference"'),
    (_behaviour(), {"columns": {"经济型": "price_sensitivity"}}, ValueError, "must map each"),
    (_behaviour(), {"shipments": pd.DataFrame({"customer_id": ["a"]})}, ValueError,
     'column "revenue"'),
    (_behaviour().iloc[:0], {}, ValueError, "empty"),
])
def test_motive_type_errors(customers, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        motive_type(customers, **kwargs)


fraction = st.floats(min_value=0, max_value=1, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(fraction, fraction, st.integers(0, 50), fraction),
                     min_size=1, max_size=30))
def test_motive_properties(rows):
    p, e, c, v = (list(col) for col in zip(*rows))
    customers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(rows))],
                              "price_sensitivity": p, "ethical_preference": e,
                              "customization_requests": c, "convenience_preference": v})
    out = motive_type(customers)
    z = out.filter(like="z_").to_numpy()
    assert set(out["motive_type"]) <= set(MOTIVE_TYPES)
    assert (out["margin"] >= 0).all()
    chosen = z[np.arange(len(out)), out["motive_type"].cat.codes.to_numpy()]
    assert np.allclose(chosen, z.max(axis=1))
    # z-scores are centred on every column
    assert np.allclose(z.mean(axis=0), 0, atol=1e-9)
