"""Tests for crmkit.value (textbook ch.4 重点客户): customer delivered value, RFM, VIP levels, CLV and
the retention-economics helpers. Hand-worked examples, hypothesis properties, every input error."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmkit.value import (
    COST_PARTS, RFM_SEGMENTS, SEGMENT_OFFERS, VALUE_PARTS, VIP_BENEFITS, VIP_LEVELS,
    acquisition_vs_retention, clv, customer_value, profit_uplift, replacement_customers, rfm,
    segment_summary, vip_tiers,
)

ASOF = "2025-12-31"


# --- customer_value ------------------------------------------------------------------------------

def _parts(**overrides):
    data = {"product_value": [50.0, 40, 10], "service_value": [30.0, 20, 0],
            "personnel_value": [10.0, 10, 0], "image_value": [10.0, 5, 0],
            "money_cost": [60.0, 30, 0], "time_cost": [10.0, 5, 0], "energy_cost": [5.0, 5, 0]}
    data.update(overrides)
    return pd.DataFrame(data, index=["a", "b", "c"])


def test_customer_value_worked_example():
    parts = _parts()
    before = parts.copy()
    out = customer_value(parts)
    # a: 50+30+10+10 = 100 value, 60+10+5 = 75 cost -> 25; b: 75 - 40 = 35; c: 10 - 0 = 10
    assert out["total_value"].tolist() == [100, 75, 10]
    assert out["total_cost"].tolist() == [75, 40, 0]
    assert out["customer_delivered_value"].tolist() == [25, 35, 10]
    assert out["value_cost_ratio"].iloc[:2].tolist() == pytest.approx([100 / 75, 75 / 40])
    assert np.isnan(out["value_cost_ratio"].iloc[2])          # zero cost: ratio undefined
    assert out["value_rank"].tolist() == [2, 1, 3]
    pd.testing.assert_frame_equal(parts, before)             # input untouched
    assert set(VALUE_PARTS.values()) | set(COST_PARTS.values()) <= set(parts.columns)


def test_customer_value_custom_columns():
    parts = _parts().rename(columns={"money_cost": "price"})
    out = customer_value(parts, money="price")
    assert out["total_cost"].tolist() == [75, 40, 0]


@pytest.mark.parametrize("data, kwargs, exc, match", [
    (_parts(money_cost=[-1.0, 0, 0]), {}, ValueError, "negative"),
    (_parts().drop(columns="image_value"), {}, ValueError, 'column "image_value"'),
    (_parts(), {"energy": "effort"}, ValueError, 'column "effort"'),
    (_parts(time_cost=["slow", "fast", "ok"]), {}, TypeError, "must hold numbers"),
    (_parts(service_value=[1.0, None, 2.0]), {}, ValueError, "missing value"),
    (_parts().iloc[:0], {}, ValueError, "empty"),
    ([1, 2], {}, TypeError, "DataFrame"),
])
def test_customer_value_errors(data, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        customer_value(data, **kwargs)


money = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(*[money] * 7), min_size=1, max_size=20))
def test_customer_value_properties(rows):
    cols = list(VALUE_PARTS.values()) + list(COST_PARTS.values())
    out = customer_value(pd.DataFrame(rows, columns=cols))
    assert np.allclose(out["customer_delivered_value"], out["total_value"] - out["total_cost"])
    assert sorted(out["value_rank"]) == list(range(1, len(rows) + 1))
    best = out["customer_delivered_value"].idxmax()
    assert out.loc[out["value_rank"] == 1, "customer_delivered_value"].iloc[0] == \
        out.loc[best, "customer_delivered_value"]


# --- rfm -----------------------------------------------------------------------------------------

def _orders(rows):
    ids, dates, revenue = zip(*rows)
    return pd.DataFrame({"customer_id": list(ids), "order_date": pd.to_datetime(list(dates)),
                         "revenue": list(revenue)})


def test_rfm_ten_customers_by_hand():
    # customer k (k = 0..9) ordered k+1 times, last on day 9-k before asof, revenue 100*(k+1) each
    rows = [(f"C{k}", (pd.Timestamp(ASOF) - pd.Timedelta(days=9 - k + j)).strftime("%Y-%m-%d"),
             100.0 * (k + 1)) for k in range(10) for j in range(k + 1)]
    out = rfm(_orders(rows), asof=ASOF)
    # recency = 9-k days; frequency = k+1; monetary = 100 (k+1)^2: all three rise with k, so with
    # 10 customers and 5 bins customers 0-1 score 1, 2-3 score 2, ..., 8-9 score 5 on R, F and M
    expected = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert out["recency_days"].tolist() == [9 - k for k in range(10)]
    assert out["frequency"].tolist() == [k + 1 for k in range(10)]
    assert out["monetary"].tolist() == [100.0 * (k + 1) ** 2 for k in range(10)]
    assert out["R"].tolist() == expected and out["F"].tolist() == expected
    assert out["M"].tolist() == expected
    assert out["rfm_code"].iloc[9] == "555" and out["rfm_total"].iloc[0] == 3
    # high = score above 3: customers 6-9 are 重要价值客户, the rest 一般挽留客户
    assert out["segment"].tolist() == ["一般挽留客户"] * 6 + ["重要价值客户"] * 4
    assert out["segment_en"].iloc[-1] == "important value"


def test_rfm_ties_are_broken_by_id_and_orders_after_asof_ignored():
    rows = [(c, "2025-12-01", 10.0) for c in ["e", "d", "c", "b", "a"]] + [("a", "2026-01-05", 99.0)]
    out = rfm(_orders(rows), asof=ASOF)
    # all five tie on R, F and M: the smaller id gets the lower score, in every metric
    assert out["customer_id"].tolist() == list("abcde")
    assert out["R"].tolist() == [1, 2, 3, 4, 5] == out["M"].tolist() == out["F"].tolist()
    assert out["monetary"].iloc[0] == 10.0                     # the 2026 order is ignored
    again = rfm(_orders(rows[::-1]), asof=ASOF)                      # row order does not matter
    pd.testing.assert_frame_equal(out, again)


def test_rfm_fewer_customers_than_bins_and_bins_keyword():
    two = _orders([("a", "2025-12-30", 5.0), ("b", "2025-06-01", 50.0)])
    out = rfm(two, asof=ASOF)
    # positions 0 and 1 of 2: 1 + 0*5//2 = 1 and 1 + 1*5//2 = 3
    assert out["R"].tolist() == [3, 1] and out["M"].tolist() == [1, 3]
    halves = rfm(two, asof=ASOF, bins=2)
    # two bins: a is more recent (R 2,1); F ties at one order, so the id decides (a 1, b 2);
    # b spent more (M a 1, b 2). High = score above 1.5, so a = (high, low, low) -> 一般发展客户
    # and b = (low, high, high) -> 重要保持客户
    assert halves["R"].tolist() == [2, 1] and halves["F"].tolist() == [1, 2]
    assert halves["segment"].tolist() == ["一般发展客户", "重要保持客户"]


def test_rfm_every_segment_reachable_and_offers():
    assert len(RFM_SEGMENTS) == 8 and set(SEGMENT_OFFERS) == {v[0] for v in RFM_SEGMENTS.values()}


@pytest.mark.parametrize("ship, kwargs, exc, match", [
    (_orders([("a", "2025-01-01", -5.0)]), {}, ValueError, "negative"),
    (_orders([("a", "2026-03-01", 5.0)]), {}, ValueError, "No order in `shipments`"),
    (_orders([("a", "2025-01-01", 5.0)]), {"bins": 1}, ValueError, "`bins` must lie between 2"),
    (_orders([("a", "2025-01-01", 5.0)]), {"bins": 10}, ValueError, "`bins`"),
    (_orders([("a", "2025-01-01", 5.0)]), {"bins": 2.5}, TypeError, "whole number"),
    (_orders([("a", "2025-01-01", 5.0)]), {"value": "sales"}, ValueError, 'column "sales"'),
    (_orders([("a", "2025-01-01", 5.0)]).assign(order_date=[pd.NaT]), {}, ValueError, "missing"),
    (_orders([("a", "2025-01-01", 5.0)]).assign(customer_id=[None]), {}, ValueError, "missing"),
    (_orders([("a", "2025-01-01", 5.0)]).iloc[:0], {}, ValueError, "empty"),
    (_orders([("a", "2025-01-01", 5.0)]), {"asof": "soon"}, ValueError, "`asof` must be a date"),
])
def test_rfm_errors(ship, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        rfm(ship, **kwargs)


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([f"C{i:02d}" for i in range(15)]),
                               st.integers(0, 700), st.integers(0, 1000)), min_size=1, max_size=80),
       bins=st.integers(2, 9))
def test_rfm_properties(rows, bins):
    base = pd.Timestamp("2024-01-01")
    ship = pd.DataFrame({"customer_id": [r[0] for r in rows],
                         "order_date": [base + pd.Timedelta(days=r[1]) for r in rows],
                         "revenue": [float(r[2]) for r in rows]})
    out = rfm(ship, asof="2025-12-31", bins=bins)
    n = len(out)
    assert n == ship["customer_id"].nunique()
    for col in "RFM":
        assert out[col].between(1, bins).all()
        sizes = out[col].value_counts()
        if n >= bins:                                         # every bin filled, sizes within 1
            assert len(sizes) == bins and sizes.max() - sizes.min() <= 1
    # monotone: more recent / more orders / more revenue never scores lower
    for col, metric, sign in (("R", "recency_days", -1), ("F", "frequency", 1),
                              ("M", "monetary", 1)):
        ordered = out.assign(key=sign * out[metric]).sort_values(["key", "customer_id"])
        assert (np.diff(ordered[col].to_numpy()) >= 0).all()
    assert out["frequency"].sum() == len(ship)
    assert (out["rfm_total"] == out["R"] + out["F"] + out["M"]).all()
    high = {c: out[c] > (bins + 1) / 2 for c in "RFM"}
    assert (out["segment"].astype(str).str.startswith("重要") == high["M"]).all()


def test_rfm_on_many_shipments():  # speed: benchmarks/bench_speed.py
    rng = np.random.default_rng(1)
    n = 300_000
    ids = np.array([f"C{i:05d}" for i in range(5000)])
    ship = pd.DataFrame({"customer_id": ids[rng.integers(0, 5000, n)],
                         "order_date": pd.Timestamp("2024-01-01")
                         + pd.to_timedelta(rng.integers(0, 730, n), unit="D"),
                         "revenue": rng.gamma(2.0, 500.0, n)})
    out = rfm(ship, asof=ASOF)
    assert len(out) == 5000


# --- vip_tiers -----------------------------------------------------------------------------------

def test_vip_tiers_twenty_customers():
    # 20 customers: 钻石 ceil(1) = 1, 金卡 ceil(4) - 1 = 3, 银卡 ceil(10) - 4 = 6, 普通 10
    score = pd.Series(np.arange(20.0), index=[f"C{i:02d}" for i in range(20)])
    out = vip_tiers(score)
    assert out["vip"].value_counts().reindex(VIP_LEVELS).tolist() == [1, 3, 6, 10]
    assert out.index[0] == "C19" and out["vip"].iloc[0] == "钻石"
    assert set(VIP_BENEFITS) == set(VIP_LEVELS)
    two = vip_tiers(score, shares=(0.5, 0.5), levels=("VIP", "其他"))
    assert two["vip"].value_counts()["VIP"] == 10


@pytest.mark.parametrize("kwargs, match", [
    ({"shares": (0.5, 0.5)}, "`levels` must hold 2 distinct names"),
    ({"levels": ("a", "a", "b", "c")}, "distinct names"),
    ({"shares": (0.5, 0.6)}, "add up to 1"),
])
def test_vip_tiers_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        vip_tiers(pd.Series([1.0, 2.0], index=["a", "b"]), **kwargs)
    with pytest.raises(ValueError, match="duplicate"):
        vip_tiers(pd.Series([1.0, 2.0], index=["a", "a"]))


# --- clv -----------------------------------------------------------------------------------------

def test_clv_worked_examples():
    # infinite: m (1 + d) / (1 + d - r) = 1000 * 1.1 / 0.3
    assert clv(1000, 0.8, 0.1) == pytest.approx(3666.6667, rel=1e-6)
    # three years: 1000 + 1000*0.8/1.1 + 1000*0.64/1.21 = 1000 + 727.27 + 528.93
    assert clv(1000, 0.8, 0.1, years=3) == pytest.approx(2256.198, rel=1e-6)
    assert clv(1000, 0.8, 0.1, years=1) == 1000.0
    assert clv(500, 1.0, 0.0, years=4) == 2000.0               # q = 1: m * T
    assert clv(-100, 0.5, 0.0) == pytest.approx(-200.0)        # loss-making customer


def test_clv_finite_sum_converges_to_closed_form():
    closed = clv(1000, 0.9, 0.08)
    assert closed == pytest.approx(1000 * 1.08 / (1.08 - 0.9))
    gaps = [closed - clv(1000, 0.9, 0.08, years=t) for t in (10, 50, 200, 1000)]
    assert all(a > b for a, b in zip(gaps, gaps[1:])) and gaps[-1] < 1e-6


def test_clv_vectorised():
    margin = pd.Series([1000.0, 2000.0], index=["a", "b"])
    retention = pd.Series([0.8, 0.5], index=["a", "b"])
    out = clv(margin, retention, 0.1)
    assert out.name == "clv" and list(out.index) == ["a", "b"]
    assert out.tolist() == pytest.approx([3666.6667, 2000 * 1.1 / 0.6], rel=1e-6)
    listed = clv([1000, 2000], 0.8, [0.1, 0.0], years=2)
    assert listed.tolist() == pytest.approx([1000 + 800 / 1.1, 2000 + 1600])


@pytest.mark.parametrize("args, kwargs, exc, match", [
    ((1000, 1.2, 0.1), {}, ValueError, "`retention` must lie between 0 and 1"),
    ((1000, 80, 0.1), {}, ValueError, "percentage"),
    ((1000, 0.8, -0.1), {}, ValueError, "`discount` must be zero or more"),
    ((1000, 1.0, 0.0), {}, ValueError, "infinite horizon"),
    ((1000, 0.8, 0.1), {"years": 0}, ValueError, "`years` must lie between 1"),
    ((1000, 0.8, 0.1), {"years": 2.5}, TypeError, "`years` must be a whole number"),
    (("1000", 0.8, 0.1), {}, TypeError, "`margin` must be a number"),
    ((True, 0.8, 0.1), {}, TypeError, "`margin` must be a number"),
    ((float("nan"), 0.8, 0.1), {}, ValueError, "`margin` must be a finite number"),
    (([1.0, np.inf], 0.8, 0.1), {}, ValueError, "finite"),
    (([1.0, None], 0.8, 0.1), {}, ValueError, "missing"),
    (([1.0, 2.0], [0.5, 0.6, 0.7], 0.1), {}, ValueError, "matching lengths"),
    ((pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([0.5, 0.6], index=["a", "c"]), 0.1),
     {}, ValueError, "different index"),
    ((pd.Series([1.0]), [0.5, 0.6], 0.1), {}, ValueError, "matching lengths"),
    ((pd.Series(["x"]), 0.5, 0.1), {}, TypeError, "must hold numbers"),
])
def test_clv_errors(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        clv(*args, **kwargs)


rates = st.floats(min_value=0.0, max_value=0.95)


@settings(max_examples=50, deadline=None)
@given(m=st.floats(min_value=1, max_value=1e5), r=rates, d=st.floats(0.0, 0.5),
       step=st.floats(0.001, 0.04), years=st.integers(1, 60))
def test_clv_properties(m, r, d, step, years):
    base = clv(m, r, d)
    assert clv(m, r + step, d) > base                        # more retention, more value
    assert clv(m, r, d + step) <= base                       # more discounting, less value
    finite = clv(m, r, d, years=years)
    assert m - 1e-9 <= finite <= base + 1e-6                 # at least one margin, below the limit
    assert clv(m, r, d, years=years + 1) >= finite


# --- retention economics -------------------------------------------------------------------------

def test_profit_uplift_worked_example():
    out = profit_uplift(0.80, margin=1000, discount=0.1)
    # before 1000*1.1/0.3 = 3666.67; after 1000*1.1/0.25 = 4400 -> +20 %
    row = out.iloc[0]
    assert row["retention_after"] == pytest.approx(0.85)
    assert row["clv_after"] == pytest.approx(4400.0)
    assert row["gain_pct"] == pytest.approx(0.2)
    assert row["lifetime_before"] == pytest.approx(5.0) and row["lifetime_after"] == pytest.approx(
        1 / 0.15)
    finite = profit_uplift([0.5], uplift=0.1, margin=10, discount=0.0, years=2)
    assert finite["clv_before"].iloc[0] == 15 and finite["clv_after"].iloc[0] == pytest.approx(16)


def test_profit_uplift_errors_and_zero_margin():
    with pytest.raises(ValueError, match="at most 1"):
        profit_uplift(0.98)
    with pytest.raises(ValueError, match="`uplift` must lie between 0 and 1"):
        profit_uplift(0.5, uplift=5)
    with pytest.raises(TypeError, match="must hold numbers"):
        profit_uplift(["high"])
    assert profit_uplift(0.5, margin=0)["gain_pct"].isna().all()


@settings(max_examples=50, deadline=None)
@given(r=st.lists(st.floats(0.0, 0.9), min_size=1, max_size=10), uplift=st.floats(0.001, 0.09))
def test_profit_uplift_properties(r, uplift):
    out = profit_uplift(r, uplift=uplift, margin=100.0)
    assert (out["gain"] > 0).all()
    # the same uplift is worth more (in %) the higher retention already is
    ordered = out.sort_values("retention")
    assert (np.diff(ordered["gain_pct"].to_numpy()) >= -1e-12).all()


def test_acquisition_vs_retention():
    out = acquisition_vs_retention(2000, customers=10)
    assert out["acquire_cost"] == 10_000 and out["extra_cost"] == 80_000
    assert acquisition_vs_retention(300, acquire_multiple=3)["acquire_total"] == 900
    with pytest.raises(ValueError, match="`retain_cost`"):
        acquisition_vs_retention(-1)
    with pytest.raises(TypeError, match="`customers` must be a whole number"):
        acquisition_vs_retention(100, customers=1.5)


def test_replacement_customers():
    # old customer: 10,000 a year; new one: 1,000 -> 10 new ones to make up for one lost
    assert replacement_customers(10_000, 1_000) == 10.0
    old = clv(5000, 0.9, 0.1)                                  # 27,500
    new = clv(1500, 0.6, 0.1)                                  # 3,300
    assert replacement_customers(old, new) == pytest.approx(27_500 / 3_300)
    s = replacement_customers(pd.Series([10.0, 30.0], index=["x", "y"]), 5.0)
    assert s.tolist() == [2.0, 6.0] and s.name == "replacements"
    with pytest.raises(ValueError, match="`new_value` must be positive"):
        replacement_customers(100, 0)
    with pytest.raises(ValueError, match="`old_value` must be zero or more"):
        replacement_customers(-1, 10)


# ---------------------------------------------------------------- segment summary
def test_segment_summary_by_hand():
    table = pd.DataFrame({"segment": ["重要价值客户", "重要价值客户", "一般挽留客户", "重要挽留客户"],
                          "monetary": [500.0, 300.0, 20.0, 180.0],
                          "recency_days": [10, 20, 300, 200]})
    out = segment_summary(table)
    assert out.index.tolist() == [zh for zh, _ in RFM_SEGMENTS.values()]     # all eight, in order
    assert out.loc["重要价值客户", "customers"] == 2
    assert out.loc["重要价值客户", "revenue_share"] == pytest.approx(0.8)       # 800 / 1000
    assert out.loc["重要价值客户", "mean_recency_days"] == 15
    assert out.loc["重要发展客户", "customers"] == 0
    assert np.isnan(out.loc["重要发展客户", "mean_recency_days"])
    assert out.loc["一般挽留客户", "segment_en"] == "general to win back"
    assert "mean_recency_days" not in segment_summary(table.drop(columns="recency_days"))
    zero = segment_summary(table.assign(monetary=0.0))
    assert (zero["revenue_share"] == 0).all()


def test_segment_summary_of_rfm_output_and_errors():
    ship = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
                         "order_date": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-01-05",
                                                       "2025-06-01"]),
                         "revenue": [100.0, 50.0, 900.0, 10.0]})
    scores = rfm(ship, asof=ASOF)
    out = segment_summary(scores)
    assert out["customers"].sum() == 3 and out["revenue"].sum() == 1060.0
    with pytest.raises(ValueError, match="unknown category 'VIP'"):
        segment_summary(scores.assign(segment="VIP"))
    with pytest.raises(ValueError, match='"profit" is not in `rfm_table`'):
        segment_summary(scores, value="profit")
    with pytest.raises(ValueError, match="negative"):
        segment_summary(scores.assign(monetary=-1.0))
    with pytest.raises(ValueError, match="empty"):
        segment_summary(scores.iloc[:0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([zh for zh, _ in RFM_SEGMENTS.values()]),
                          st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=40))
def test_segment_summary_properties(rows):
    table = pd.DataFrame(rows, columns=["segment", "monetary"])
    out = segment_summary(table)
    assert out["customers"].sum() == len(table)
    assert out["customer_share"].sum() == pytest.approx(1.0)
    if table["monetary"].sum() > 0:
        assert out["revenue_share"].sum() == pytest.approx(1.0)
    assert ((out["revenue_share"] >= 0) & (out["revenue_share"] <= 1 + 1e-12)).all()


# --- retained / retention_rate -------------------------------------------------------------------

def _cohort_orders():
    return pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "c", "c", "d", "e", "e"],
        "order_date": pd.to_datetime(["2024-01-05", "2024-06-01", "2025-03-01", "2024-12-31",
                                      "2024-02-02", "2025-12-31", "2025-01-01", "2023-05-05",
                                      "2025-05-05"])})


def test_retained_base_is_the_first_years_customers_only():
    from crmkit.value import retained
    out = retained(_cohort_orders(), 2024)
    # a: 2 orders in 2024, 1 in 2025; b: left; c: back on the last day; d and e not active in 2024
    assert out.index.tolist() == ["a", "b", "c"]
    assert out["orders_from"].tolist() == [2, 1, 1]
    assert out["orders_to"].tolist() == [1, 0, 1]
    assert out["retained"].tolist() == [True, False, True]
    # e ordered in 2023 and 2025 but not 2024: in the 2023 base, and not retained into 2024
    assert retained(_cohort_orders(), 2023)["retained"].to_dict() == {"e": False}
    assert retained(_cohort_orders(), 2023, 2025)["retained"].to_dict() == {"e": True}


def test_retained_later_year_without_orders_means_nobody_kept():
    from crmkit.value import retained
    out = retained(_cohort_orders(), 2025, 2026)
    assert out.index.tolist() == ["a", "c", "d", "e"] and not out["retained"].any()


def test_retention_rate_overall_and_by_group():
    from crmkit.value import retention_rate
    overall = retention_rate(_cohort_orders(), 2024)
    assert isinstance(overall, pd.Series) and overall.name == "all"
    assert overall["customers"] == 3 and overall["retained"] == 2
    assert overall["retention"] == pytest.approx(2 / 3)
    groups = pd.Series(pd.Categorical(["big", "small", "small", "small"],
                                      categories=["big", "small"]), index=list("abcz"))
    by = retention_rate(_cohort_orders(), 2024, groups=groups)
    assert by.index.tolist() == ["big", "small"]
    assert by["customers"].tolist() == [1, 2] and by["retention"].tolist() == [1.0, 0.5]


def test_retention_rate_matches_the_shipped_data_cohort():
    from crmkit.datasets import load
    from crmkit.value import retained, retention_rate
    shipments = load("shipments")
    flags = retained(shipments, 2024, 2025)
    year = shipments["order_date"].dt.year
    base = set(shipments.loc[year == 2024, "customer_id"])
    kept = base & set(shipments.loc[year == 2025, "customer_id"])
    assert set(flags.index) == base and set(flags.index[flags["retained"]]) == kept
    assert retention_rate(shipments, 2024)["retention"] == pytest.approx(
        len(kept) / len(base))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"year_from": 2024, "year_to": 2024}, ValueError, "after"),
    ({"year_from": 2024.0}, TypeError, "whole number"),
    ({"year_from": 2022}, ValueError, "No customer has an order in 2022"),
])
def test_retained_errors(kwargs, error, match):
    from crmkit.value import retained
    with pytest.raises(error, match=match):
        retained(_cohort_orders(), **kwargs)


def test_retention_rate_needs_a_group_for_every_customer():
    from crmkit.value import retained, retention_rate
    with pytest.raises(ValueError, match="no group for 1 customer"):
        retention_rate(_cohort_orders(), 2024, groups=pd.Series({"a": "x", "b": "y"}))
    with pytest.raises(ValueError, match="not in `shipments`"):
        retained(_cohort_orders().rename(columns={"order_date": "day"}), 2024)
