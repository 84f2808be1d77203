"""Tests for crmkit.abc (textbook ch. 5): hand-worked ABC/ABCD examples, grids, whale curve."""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmkit.abc import (
    ABC_CUTOFFS, abc_classify, abc_summary, abc_table, abcd_pyramid, customer_profitability, gini,
    growth_matrix, growth_table, lorenz, loyalty_credit_matrix, type_counts, whale_peak,
)

money = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=2, max_size=40).filter(
    lambda xs: sum(xs) > 0)


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return func(*args, **kwargs)


# ---------------------------------------------------------------- abc_classify
def test_abc_classify_style_example_by_hand():
    # total 100; ranked q 60 (cum .60 <= .8 A), s 25 (.85 B), p 8 (.93 B), r 7 (1.00 C)
    revenue = pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"])
    out = abc_classify(revenue)
    assert out.index.tolist() == ["p", "q", "r", "s"]          # input order kept
    assert out["abc_class"].tolist() == ["B", "A", "C", "B"]
    assert out["share"].tolist() == pytest.approx([0.08, 0.60, 0.07, 0.25])
    assert out["cum_share"].tolist() == pytest.approx([0.93, 0.60, 1.00, 0.85])
    assert out["value"].tolist() == [8, 60, 7, 25]
    assert revenue.tolist() == [8, 60, 7, 25]                    # caller's data untouched


def test_abc_classify_boundaries_are_inclusive_and_ties_go_by_label():
    # a 80 -> cum .80 (A, on the cut-off); d 10 -> .90 (B); b, c tie at 5: b first (label order)
    # -> b .95 (B, on the cut-off), c 1.00 (C)
    values = pd.Series([10, 5, 5, 80], index=["d", "c", "b", "a"])
    out = abc_classify(values)
    assert out["abc_class"].to_dict() == {"d": "B", "c": "C", "b": "B", "a": "A"}
    shuffled = abc_classify(values.iloc[[2, 0, 3, 1]])
    assert shuffled["abc_class"].to_dict() == out["abc_class"].to_dict()


def test_abc_classify_float_rounding_on_cutoff():
    # 0.83 + 0.59 + 0.50 = 1.92 = 0.8 * 2.40 exactly, but in floats the cumulative share is
    # 0.8000000000000002: the third customer must still be A (on the cut-off)
    out = abc_classify(pd.Series([0.47, 0.83, 0.01, 0.59, 0.50], index=list("vwxyz")))
    assert out["abc_class"].tolist() == ["C", "A", "C", "A", "A"]


def test_abc_classify_accepts_lists_and_custom_cutoffs():
    out = abc_classify([50, 30, 20], cutoffs=(0.5, 0.9))
    # cum .5 (A), .8 (B), 1.0 (C)
    assert out["abc_class"].tolist() == ["A", "B", "C"]
    assert list(out.index) == [0, 1, 2]


@pytest.mark.parametrize("cutoffs, exc, match", [
    ((80, 95), ValueError, "percentage"),
    ((0.95, 0.8), ValueError, "increase"),
    ((0.8,), ValueError, "2 values"),
    ((0, 0.9), ValueError, "strictly between 0 and 1"),
    (0.8, TypeError, "tuple of fractions"),
])
def test_abc_classify_bad_cutoffs(cutoffs, exc, match):
    with pytest.raises(exc, match=match):
        abc_classify([3, 2, 1], cutoffs=cutoffs)


@pytest.mark.parametrize("values, exc, match", [
    ([3, -2, 1], ValueError, "negative"),
    ([3, np.nan, 1], ValueError, "missing"),
    ([], ValueError, "empty"),
    (["a", "b"], TypeError, "numbers"),
    ([0, 0, 0], ValueError, "adds up to zero"),
    ([1, np.inf], ValueError, "infinite"),
    (pd.DataFrame({"revenue": [1, 2]}), TypeError, "one column"),
    (pd.Series([1, 2, 3], index=["a", "a", "b"]), ValueError, "duplicate index"),
    (5, TypeError, "Series, list or array"),
])
def test_abc_classify_bad_values(values, exc, match):
    with pytest.raises(exc, match=match):
        abc_classify(values)


@pytest.mark.parametrize("values, match", [
    ([42.0], "only one customer"),
    ([7, 7, 7, 7], "same value"),
    ([30, 20, 10, 10, 8, 7, 5, 5, 3, 2, 100], "total"),
    ([90, 5, 5], "No customer is class A"),
])
def test_abc_classify_warns_with_a_guess(values, match):
    with pytest.warns(UserWarning, match=match):
        abc_classify(values)


def test_abc_classify_no_warning_on_ordinary_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        abc_classify([8, 60, 7, 25])


@settings(max_examples=50, deadline=None)
@given(money)
def test_abc_classify_properties(xs):
    values = pd.Series(xs, index=[f"C{i:03d}" for i in range(len(xs))])
    out = quiet(abc_classify, values)
    assert out["share"].sum() == pytest.approx(1.0)
    assert out["cum_share"].max() == pytest.approx(1.0)
    # a larger value never gets a worse class
    by_value = out.sort_values("value", kind="stable")
    codes = by_value["abc_class"].cat.codes.to_numpy()
    vals = by_value["value"].to_numpy()
    for i in range(len(vals) - 1):
        if vals[i] < vals[i + 1]:
            assert codes[i] >= codes[i + 1]
    assert (out.loc[out["abc_class"] == "A", "cum_share"] <= ABC_CUTOFFS[0] + 1e-9).all()
    assert (out.loc[out["abc_class"] == "C", "cum_share"] > ABC_CUTOFFS[1]).all()
    # row order does not matter
    again = quiet(abc_classify, values.iloc[::-1])
    assert again["abc_class"].to_dict() == out["abc_class"].to_dict()


# ---------------------------------------------------------------- abc_table / abc_summary
def shipments_small():
    return pd.DataFrame({"customer_id": ["p", "q", "q", "r", "s", "s"],
                         "revenue": [8.0, 50.0, 10.0, 7.0, 20.0, 5.0],
                         "cost": [6.0, 30.0, 5.0, 9.0, 12.0, 4.0]})


def test_abc_table_aggregates_then_ranks():
    out = abc_table(shipments_small(), value="revenue")
    assert out.index.name == "customer_id"
    assert out.index.tolist() == ["q", "s", "p", "r"]           # 60, 25, 8, 7
    assert out["rank"].tolist() == [1, 2, 3, 4]
    assert out["value"].tolist() == [60.0, 25.0, 8.0, 7.0]
    assert out["abc_class"].tolist() == ["A", "B", "B", "C"]


def test_abc_table_count_ranks_by_rows():
    out = quiet(abc_table, shipments_small(), value="revenue", agg="count")
    # q and s have 2 rows each (tie -> label order), p and r one each: cum 2/6, 4/6, 5/6, 6/6
    assert out.index.tolist() == ["q", "s", "p", "r"]
    assert out["abc_class"].tolist() == ["A", "A", "B", "C"]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"value": "sales"}, ValueError, "Available columns: customer_id, revenue, cost"),
    ({"value": "revenue", "key": "client"}, ValueError, "client"),
    ({"value": "revenue", "agg": "mean"}, ValueError, "must be one of"),
])
def test_abc_table_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        abc_table(shipments_small(), **kwargs)


def test_abc_table_bad_data():
    df = shipments_small()
    df.loc[0, "revenue"] = -1.0
    with pytest.raises(ValueError, match="negative"):
        abc_table(df, value="revenue")
    df = shipments_small()
    df.loc[1, "customer_id"] = None
    with pytest.raises(ValueError, match="missing"):
        abc_table(df, value="revenue")
    with pytest.raises(TypeError, match="DataFrame"):
        abc_table([1, 2], value="revenue")


def test_abc_summary_by_hand_and_from_tables():
    summary = abc_summary(pd.Series([8, 60, 7, 25], index=list("pqrs")))
    assert summary.index.tolist() == ["A", "B", "C"]
    assert summary["customers"].tolist() == [1, 2, 1]
    assert summary["customer_share"].tolist() == pytest.approx([0.25, 0.5, 0.25])
    assert summary["value_share"].tolist() == pytest.approx([0.60, 0.33, 0.07])
    from_table = abc_summary(abc_table(shipments_small(), value="revenue"))
    assert from_table["value"].tolist() == pytest.approx([60, 33, 7])


def test_abc_summary_lists_empty_classes():
    with pytest.warns(UserWarning):
        summary = abc_summary([90, 5, 5])                        # no class A
    assert summary.loc["A", "customers"] == 0
    assert summary["customers"].sum() == 3


# ---------------------------------------------------------------- lorenz / gini
def test_gini_hand_values():
    assert gini([5, 5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)             # (n-1)/n, no n/(n-1) factor
    # [1, 3]: ((2*1-3)*1 + (2*2-3)*3) / (2 * 4) = 2/8
    assert gini([3, 1]) == pytest.approx(0.25)
    assert gini([7]) == 0.0


def test_lorenz_points():
    curve = lorenz([1, 3])
    assert curve["customer_share"].tolist() == [0, 0.5, 1]
    assert curve["value_share"].tolist() == [0, 0.25, 1]
    pareto = lorenz([1, 3], descending=True)
    assert pareto["value_share"].tolist() == [0, 0.75, 1]
    with pytest.raises(ValueError, match="negative"):
        lorenz([1, -1])


@settings(max_examples=50, deadline=None)
@given(money, st.floats(0.1, 100))
def test_gini_and_lorenz_properties(xs, scale):
    assume(max(xs) > 1e-100)          # subnormal amounts (5e-324 * 0.5 == 0) lose the scaling
    g = gini(xs)
    n = len(xs)
    assert -1e-12 <= g <= (n - 1) / n + 1e-12
    assert gini([x * scale for x in xs]) == pytest.approx(g, abs=1e-9)
    curve = lorenz(xs)
    area = np.sum(np.diff(curve["customer_share"]) *
                  (curve["value_share"].to_numpy()[1:] + curve["value_share"].to_numpy()[:-1]) / 2)
    assert g == pytest.approx(1 - 2 * area, abs=1e-9)
    assert (np.diff(curve["value_share"]) >= -1e-12).all()
    assert (curve["value_share"] <= curve["customer_share"] + 1e-9).all()   # below the diagonal


# ---------------------------------------------------------------- ABCD pyramid
def pyramid_inputs(n=200, seed=1):
    rng = np.random.default_rng(seed)
    ids = [f"C{i:05d}" for i in range(n)]
    revenue = pd.Series(rng.pareto(1.2, n) * 1000 + 1, index=ids)
    customers = pd.DataFrame({"customer_id": ids[::-1],
                              "credit_rating": rng.choice(["AAA", "AA", "A", "B", "C"], n),
                              "loyalty_score": rng.random(n)})
    return revenue, customers


def test_abcd_pyramid_hand_example():
    revenue = pd.Series([500, 200, 50, 40, 5, 3], index=list("uvwxyz"))
    customers = pd.DataFrame({"customer_id": list("zyxwvu"),
                              "credit_rating": ["C", "B", "A", "C", "AA", "AAA"],
                              "loyalty_score": [0.1, 0.9, 0.5, 0.2, 0.7, 0.8]})
    out = abcd_pyramid(revenue, customers)
    # median revenue 45 -> x, y, z small; median loyalty 0.6 -> w, x, z low;
    # low credit (B, C): w, y, z  => only z is small & low credit & low loyalty
    assert out["abcd_class"].tolist() == ["A", "B", "C", "C", "C", "D"]
    assert out["small"].tolist() == [False, False, False, True, True, True]
    assert out["low_credit"].tolist() == [False, False, True, False, True, True]
    assert out["low_loyalty"].tolist() == [False, False, True, True, False, True]
    assert out["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    # without the loyalty criterion y (small, rating B) becomes D too
    no_loyalty = abcd_pyramid(revenue, customers, loyalty=None)
    assert no_loyalty["abcd_class"].tolist() == ["A", "B", "C", "C", "D", "D"]


def test_abcd_pyramid_class_sizes_follow_the_textbook():
    revenue, customers = pyramid_inputs(200)
    out = abcd_pyramid(revenue, customers)
    counts = out["abcd_class"].value_counts()
    assert counts["A"] == 2 and counts["B"] == 8                  # 1 % and 4 % of 200
    top = revenue.sort_values(ascending=False).index
    assert set(out.index[out["abcd_class"] == "A"]) == set(top[:2])
    summary = abc_summary(out)
    assert summary.index.tolist() == ["A", "B", "C", "D"]
    assert summary["customers"].sum() == 200


def test_abcd_pyramid_thresholds_and_errors():
    revenue, customers = pyramid_inputs(50)
    everything_small = abcd_pyramid(revenue, customers, small_max=1e12, loyalty_max=2.0,
                                     low_credit=("AAA", "AA", "A", "B", "C"))
    assert (everything_small["abcd_class"].isin(["C"])).sum() == 0    # whole rest is D
    with pytest.raises(ValueError, match="not in `customers`"):
        abcd_pyramid(revenue, customers.iloc[1:])
    with pytest.raises(ValueError, match="more than once"):
        abcd_pyramid(revenue, pd.concat([customers, customers.iloc[:1]]))
    bad = customers.assign(credit_rating="BBB")
    with pytest.raises(ValueError, match="unknown category 'BBB'"):
        abcd_pyramid(revenue, bad)
    with pytest.raises(ValueError, match="below 1"):
        abcd_pyramid(revenue, customers, a_share=0.5, b_share=0.5)
    with pytest.raises(ValueError, match="fraction"):
        abcd_pyramid(revenue, customers, a_share=1)
    with pytest.raises(TypeError, match="small_max"):
        abcd_pyramid(revenue, customers, small_max="big")
    with pytest.raises(ValueError, match="loyalty"):
        abcd_pyramid(revenue, customers.assign(loyalty_score=np.nan))
    with pytest.raises(ValueError, match="Available columns"):
        abcd_pyramid(revenue, customers, credit="rating")
    with pytest.raises(ValueError, match="duplicate"):
        abcd_pyramid(pd.Series([1.0, 2.0], index=["C00001", "C00001"]), customers)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 300), st.integers(0, 10_000))
def test_abcd_pyramid_properties(n, seed):
    revenue, customers = pyramid_inputs(n, seed)
    out = abcd_pyramid(revenue, customers)
    n_a = max(1, int(np.floor(0.01 * n + 0.5)))
    assert (out["abcd_class"] == "A").sum() == n_a
    assert (out["abcd_class"] == "B").sum() == min(n - n_a, max(1, int(np.floor(0.04 * n + 0.5))))
    d = out[out["abcd_class"] == "D"]
    assert (d["small"] & d["low_credit"] & d["low_loyalty"]).all()
    top = out[out["abcd_class"].isin(["A", "B"])]
    rest = out[~out["abcd_class"].isin(["A", "B"])]
    if len(rest):
        assert top["value"].min() >= rest["value"].max()
    assert sorted(out["rank"]) == list(range(1, n + 1))


# ---------------------------------------------------------------- growth and loyalty-credit grids
def test_growth_table_midpoint_growth_by_hand():
    shipments = pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "a"],
        "order_date": pd.to_datetime(["2024-06-01", "2025-06-01", "2025-03-01", "2024-05-01",
                                      "2023-06-01"]),                # last row is outside
        "revenue": [100.0, 300.0, 50.0, 80.0, 999.0]})
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                              "industry": ["零售", "零售", "医药", "医药"]})
    out = growth_table(shipments, customers)
    # a: 100 -> 300: 200 / 200 = 1; b: 0 -> 50 = +2 (new); c: 80 -> 0 = -2 (lost); d: none = 0
    assert out["customer_growth"].to_dict() == pytest.approx({"a": 1.0, "b": 2.0, "c": -2.0,
                                                              "d": 0.0})
    # retail 100 -> 350: 250 / 225; pharma 80 -> 0: -2
    assert out.loc["a", "market_growth"] == pytest.approx(250 / 225)
    assert out.loc["d", "market_growth"] == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="asof"):
        growth_table(shipments, customers, asof="someday")
    with pytest.raises(ValueError, match="Available columns"):
        growth_table(shipments, customers, market="sector")


def test_growth_matrix_types_and_median_default():
    df = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
                       "market_growth": [0.1, 0.2, -0.1, -0.3]}, index=list("abcd"))
    out = growth_matrix(df, customer_min=0, market_min=0)
    assert out["type"].tolist() == ["重点培养", "谨慎发展", "调整", "淘汰"]
    assert out["type_en"].tolist() == ["cultivate (star)", "develop with care", "adjust (ageing)",
                                       "eliminate"]
    # medians: customer 0.05, market 0.0 -> the same split; a value on the threshold is "high"
    assert growth_matrix(df)["type"].tolist() == out["type"].tolist()
    on_line = growth_matrix(df, customer_min=0.3, market_min=0.1)
    assert on_line.loc["a", "type"] == "重点培养"


def test_grid_errors():
    df = pd.DataFrame({"customer_growth": [0.1, np.nan], "market_growth": [0.1, 0.2]})
    with pytest.raises(ValueError, match="missing"):
        growth_matrix(df)
    with pytest.raises(ValueError, match="infinite"):
        growth_matrix(df.fillna(np.inf))
    with pytest.raises(TypeError, match="customer_min"):
        growth_matrix(df.fillna(0), customer_min="high")
    with pytest.raises(ValueError, match="Available columns"):
        growth_matrix(df.fillna(0), market_growth="market")
    with pytest.raises(TypeError, match="numbers"):
        growth_matrix(df.assign(market_growth=["x", "y"]).fillna(0))
    customers = pd.DataFrame({"credit_rating": ["AAA", "D"], "loyalty_score": [0.5, 0.5]})
    with pytest.raises(ValueError, match="unknown category 'D'"):
        loyalty_credit_matrix(customers)
    with pytest.raises(ValueError, match="credit_min"):
        loyalty_credit_matrix(customers.iloc[:1], credit_min="BBB")
    with pytest.raises(ValueError, match="table"):
        type_counts(pd.DataFrame({"x": [1]}))


def test_loyalty_credit_matrix_ratings_and_scores():
    customers = pd.DataFrame({"credit_rating": ["AAA", "AA", "B", "C", "A"],
                              "loyalty_score": [0.9, 0.2, 0.8, 0.1, 0.5]})
    out = loyalty_credit_matrix(customers, credit_min="A", loyalty_min=0.5)
    assert out["type"].tolist() == ["黄金客户", "高信用低忠诚", "低信用高忠诚", "低信用低忠诚", "黄金客户"]
    assert out["credit_score"].tolist() == [5, 4, 2, 1, 3]
    # default medians: credit score median 3 (A), loyalty median 0.5 -> same result
    assert loyalty_credit_matrix(customers)["type"].tolist() == out["type"].tolist()
    numeric = customers.assign(credit_rating=[90, 80, 40, 20, 60])
    assert loyalty_credit_matrix(numeric, credit_min=60, loyalty_min=0.5)["type"].tolist() == \
        out["type"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=1, max_size=30))
def test_grid_properties(pairs):
    df = pd.DataFrame(pairs, columns=["customer_growth", "market_growth"])
    out = growth_matrix(df)
    counts = type_counts(out)
    assert len(counts) == 4 and counts["customers"].sum() == len(df)
    assert counts["share"].sum() == pytest.approx(1.0)
    stars = out["type"] == "重点培养"
    assert (stars == (out["customer_high"] & out["market_high"])).all()
    assert (out["customer_high"] == (df["customer_growth"] >= df["customer_growth"].median())).all()


def test_type_counts_lists_all_four():
    out = loyalty_credit_matrix(pd.DataFrame({"credit_rating": ["AAA", "C", "C"],
                                              "loyalty_score": [0.9, 0.1, 0.2]}),
                                credit_min="A", loyalty_min=0.5)
    counts = type_counts(out)
    assert counts.index.tolist() == ["黄金客户", "高信用低忠诚", "低信用高忠诚", "低信用低忠诚"]
    assert counts["customers"].tolist() == [1, 0, 0, 2]
    assert counts.loc["黄金客户", "type_en"] == "golden"


# ---------------------------------------------------------------- profitability / whale curve
def test_customer_profitability_by_hand():
    out = customer_profitability(shipments_small())
    # profit: p 8-6=2, q 60-35=25, r 7-9=-2, s 25-16=9; total 34
    assert out.index.tolist() == ["q", "s", "p", "r"]
    assert out["profit"].tolist() == [25, 9, 2, -2]
    assert out["cost_to_serve"].tolist() == [35, 16, 6, 9]
    assert out["margin"].tolist() == pytest.approx([25 / 60, 9 / 25, 2 / 8, -2 / 7])
    assert out["cum_profit_share"].tolist() == pytest.approx([25 / 34, 34 / 34, 36 / 34, 1.0])
    assert out["shipments"].tolist() == [2, 2, 1, 1]
    peak = whale_peak(out)
    assert peak["customers"] == 3 and peak["customer_share"] == pytest.approx(0.75)
    assert peak["profit_share"] == pytest.approx(36 / 34)
    assert peak["loss_makers"] == 1 and peak["profit_lost"] == pytest.approx(2)


def test_customer_profitability_errors_and_zero_revenue():
    df = shipments_small()
    zero = pd.concat([df, pd.DataFrame({"customer_id": ["t"], "revenue": [0.0], "cost": [1.0]})])
    assert np.isnan(customer_profitability(zero).loc["t", "margin"])
    with pytest.raises(ValueError, match="not positive"):
        customer_profitability(df.assign(cost=df["revenue"] * 2))
    with pytest.raises(ValueError, match="negative"):
        customer_profitability(df.assign(cost=-1.0))
    with pytest.raises(ValueError, match="Available columns"):
        customer_profitability(df, cost="cost_to_serve")
    with pytest.raises(ValueError, match="profitability"):
        whale_peak(df)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdefg"), st.floats(0, 1000), st.floats(0, 1000)),
                min_size=1, max_size=40))
def test_whale_curve_properties(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "revenue", "cost"])
    total = df["revenue"].sum() - df["cost"].sum()
    assume(abs(total) > 1e-6)                  # rounding decides the sign of a near-zero total
    if total < 0:
        with pytest.raises(ValueError, match="not positive"):
            customer_profitability(df)
        return
    out = customer_profitability(df)
    assert out["cum_profit_share"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(out["profit"]) <= 0).all()
    peak = whale_peak(out)
    assert peak["profit_share"] >= 1 - 1e-9
    assert peak["profit_share"] == pytest.approx(
        1 + peak["profit_lost"] / peak["total_profit"], rel=1e-6)


# ---------------------------------------------------------------- no hidden .attrs channel
def test_results_carry_nothing_in_attrs():
    revenue = pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"])
    assert abc_classify(revenue, cutoffs=[0.6, 0.9]).attrs == {}
    shipments = pd.DataFrame({"customer_id": ["p", "q", "q", "r", "s"],
                              "revenue": [8, 50, 10, 7, 25]})
    assert abc_table(shipments, value="revenue", cutoffs=(0.6, 0.9)).attrs == {}
    df = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
                       "market_growth": [0.1, 0.2, -0.1, -0.3]})
    assert growth_matrix(df).attrs == {}


def test_four_type_grids_cut_at_the_median_or_the_given_threshold():
    df = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
                       "market_growth": [0.1, 0.2, -0.1, -0.3]})
    # medians: customer (−0.1 + 0.2) / 2 = 0.05, market (−0.1 + 0.1) / 2 = 0
    assert growth_matrix(df)["customer_high"].tolist() == [True, False, True, False]
    assert growth_matrix(df)["market_high"].tolist() == [True, True, False, False]
    given = growth_matrix(df, customer_min=1, market_min=-1)
    assert not given["customer_high"].any() and given["market_high"].all()
    customers = pd.DataFrame({"credit_rating": ["AAA", "AA", "B", "C", "A"],
                              "loyalty_score": [0.9, 0.2, 0.8, 0.1, 0.4]})
    grid = loyalty_credit_matrix(customers, credit_min="AA")
    assert grid["credit_high"].tolist() == [True, True, False, False, False]
    assert grid["loyalty_high"].tolist() == [True, False, True, False, True]  # median 0.4


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=30))
def test_growth_matrix_flags_agree_with_the_median_threshold(growth):
    df = pd.DataFrame({"customer_growth": growth, "market_growth": growth[::-1]})
    out = growth_matrix(df)
    assert (out["customer_high"] == (df["customer_growth"] >= df["customer_growth"].median())).all()
    assert (out["market_high"] == (df["market_growth"] >= df["market_growth"].median())).all()
