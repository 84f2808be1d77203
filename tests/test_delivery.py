"""Tests for crmkit.delivery (textbook ch. 9): freight, delivery performance, cost, storage, accuracy."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.vocabulary import english, from_english
from crmkit.delivery import (
    DEFAULT_COST_SHARES,
    DEFAULT_TARIFF,
    SERVICES,
    cost_composition,
    count_check,
    delivery_performance,
    error_reduction,
    freight,
    inventory_accuracy,
    picking_accuracy,
    storage_fee,
)

FLAT = {"rate_per_tkm": 0.5, "base_fee": 100.0, "minimum": 300.0}


def test_freight_below_and_above_minimum():
    # 2 t × 100 km × 0.5 + 100 = 200 < 300 → minimum
    assert freight(2000, 100, tariff=FLAT) == 300.0
    # 10 t × 200 km × 0.5 + 100 = 1100
    assert freight(10_000, 200, tariff=FLAT) == pytest.approx(1100.0)
    # exactly at the minimum: 4 t × 100 km × 0.5 + 100 = 300
    assert freight(4000, 100, tariff=FLAT) == pytest.approx(300.0)


def test_freight_default_tariff_per_row_service():
    t = DEFAULT_TARIFF
    rows = pd.DataFrame({"weight_kg": [5000.0, 300.0, 1.0], "distance_km": [1000.0, 50.0, 800.0],
                         "service": ["整车", "零担", "快递"]}, index=[10, 11, 12])
    got = freight(rows["weight_kg"], rows["distance_km"], service=rows["service"])
    expected = [max(t[s]["minimum"], t[s]["base_fee"] + t[s]["rate_per_tkm"] * w / 1000 * d)
                for w, d, s in rows.itertuples(index=False)]
    assert got.tolist() == pytest.approx(expected)
    assert list(got.index) == [10, 11, 12]
    # English labels from an en_US dataset give the same charges
    en_service = rows["service"].map(english)
    assert freight(rows["weight_kg"], rows["distance_km"], service=en_service).tolist() == pytest.approx(expected)


def test_freight_tariff_as_frame_and_shapes():
    table = pd.DataFrame(DEFAULT_TARIFF).T
    assert freight(8000, 500, service="整车", tariff=table) == pytest.approx(300 + 0.4 * 8 * 500)
    arr = freight(np.array([1.0, 2.0]), 1000, service="快递")
    assert isinstance(arr, np.ndarray) and arr.tolist() == pytest.approx([14.0, 18.0])
    assert set(SERVICES) == set(DEFAULT_TARIFF)


def test_delivery_performance_hand_example():
    t = pd.to_datetime
    df = pd.DataFrame({
        "service": ["快递", "快递", "快递", "整车", "整车"],
        "time_window": ["上午", "夜间", "上午", "夜间", "夜间"],
        "promised_at": t(["2025-03-01 10:00"] * 5),
        # early 1 h, late 6 h, lost, on the minute, late 2 h
        "delivered_at": t(["2025-03-01 09:00", "2025-03-01 16:00", None, "2025-03-01 10:00",
                           "2025-03-01 12:00"]),
    })
    all_ = delivery_performance(df, by=None)
    assert all_["orders"] == 5 and all_["lost"] == 1
    assert all_["on_time_rate"] == pytest.approx(2 / 5)
    assert all_["late_share"] == pytest.approx(2 / 5)
    assert all_["loss_rate"] == pytest.approx(1 / 5)
    assert all_["mean_delay_h"] == pytest.approx((0 + 6 + 0 + 2) / 4)
    assert all_["mean_delay_late_h"] == pytest.approx(4.0)
    by = delivery_performance(df, by="service")
    assert by.loc["整车", "late_share"] == pytest.approx(0.5)
    tw = delivery_performance(df, by=("service", "time_window"))
    assert tw.loc[("快递", "上午"), "lost"] == 1
    lenient = delivery_performance(df, by=None, tolerance_h=3)
    assert lenient["on_time_rate"] == pytest.approx(3 / 5)   # the 2 h late order now counts


def test_cost_composition_split_by_shares():
    df = pd.DataFrame({"service": ["快递", "快递", "整车"], "cost": [100.0, 300.0, 1000.0]})
    out = cost_composition(df, by="service")
    assert set(out.columns) == {"service", "part", "amount", "share"}
    express = out[out["service"] == "快递"].set_index("part")
    assert express.loc["transport", "amount"] == pytest.approx(400 * DEFAULT_COST_SHARES["transport"])
    assert express["share"].sum() == pytest.approx(1.0)
    custom = cost_composition(df, shares={"运输": 0.7, "仓储": 0.3}).set_index("part")
    assert custom.loc["运输", "amount"] == pytest.approx(0.7 * 1400)


def test_cost_composition_from_columns():
    df = pd.DataFrame({"route": ["x", "x", "y"], "fuel": [60.0, 40.0, 0.0], "labour": [40.0, 60.0, 0.0]})
    out = cost_composition(df, parts=["fuel", "labour"], by="route").set_index(["route", "part"])
    assert out.loc[("x", "fuel"), "amount"] == 100.0 and out.loc[("x", "fuel"), "share"] == 0.5
    assert np.isnan(out.loc[("y", "fuel"), "share"])   # no cost at all → share undefined
    single = cost_composition(df, parts="fuel")
    assert single["share"].tolist() == [1.0]


def test_storage_fee_by_hand():
    # 20 pallets × 30 days × 1.5 = 900; plus 20 × 4 yuan handling = 980
    assert storage_fee(20, 30) == pytest.approx(900.0)
    assert storage_fee(20, 30, handling_fee=4) == pytest.approx(980.0)
    fees = storage_fee(pd.Series([1, 10], index=["s1", "s2"]), [2, 2], rate_per_day=2.0, minimum=10)
    assert fees.tolist() == [10.0, 40.0] and list(fees.index) == ["s1", "s2"]
    assert storage_fee([1, 2], 1).tolist() == [1.5, 3.0]


def test_picking_and_inventory_accuracy():
    assert picking_accuracy(1000, 5) == pytest.approx(0.995)
    acc = picking_accuracy(pd.Series([100, 200], index=["paper", "light"]), [4, 1])
    assert acc.tolist() == pytest.approx([0.96, 0.995]) and list(acc.index) == ["paper", "light"]
    assert picking_accuracy([100, 200], [4, 1]).tolist() == pytest.approx([0.96, 0.995])
    # paper 0.4 % errors → pick-to-light 0.1 %: 75 % fewer errors
    assert error_reduction(0.004, 0.001) == pytest.approx(0.75)
    assert error_reduction(0.01, 0.02) == pytest.approx(-1.0)
    book = pd.Series([10, 20, 30, 40], index=list("abcd"))
    counted = pd.Series([41, 30, 19, 10], index=list("dcba"))  # same SKUs, other order
    # a: 10 vs 10 ok, b: 20 vs 19 off by 1, c: 30 ok, d: 40 vs 41 off by 1
    assert inventory_accuracy(book, counted) == 0.5
    assert inventory_accuracy(book, counted, tolerance=1) == 1.0
    # 5 %: b allows 1.0 → ok; d allows 2.0 → ok
    assert inventory_accuracy(book, counted, tolerance=0.05, relative=True) == 1.0
    assert inventory_accuracy([10, 20], [10, 21], tolerance=0.01, relative=True) == 0.5


# ---- validation -----------------------------------------------------------------------------

def test_freight_errors():
    with pytest.raises(ValueError, match="unknown label.*'空运'"):
        freight(100, 100, service="空运")
    with pytest.raises(ValueError, match="`service` is needed"):
        freight(100, 100)
    with pytest.raises(ValueError, match="flat tariff"):
        freight(100, 100, service="快递", tariff=FLAT)
    with pytest.raises(ValueError, match="negative"):
        freight([-1.0, 2.0], 100, tariff=FLAT)
    with pytest.raises(ValueError, match="`weight_kg` must lie between 0"):
        freight(-5, 100, tariff=FLAT)
    with pytest.raises(ValueError, match="same length"):
        freight([1.0, 2.0], [1.0, 2.0, 3.0], tariff=FLAT)
    with pytest.raises(ValueError, match="different indexes"):
        freight(pd.Series([1.0], index=[0]), pd.Series([1.0], index=[1]), tariff=FLAT)
    with pytest.raises(TypeError, match="`tariff` must be"):
        freight(1, 1, tariff=0.5)
    with pytest.raises(ValueError, match='"minimum" is not in `tariff`'):
        freight(1, 1, service="x", tariff={"x": {"rate_per_tkm": 1, "base_fee": 0}})
    with pytest.raises(ValueError, match="tariff rate_per_tkm"):
        freight(1, 1, service="x", tariff={"x": {"rate_per_tkm": -1, "base_fee": 0, "minimum": 0}})
    with pytest.raises(ValueError, match="missing"):
        freight([1.0, None], 1, tariff=FLAT)
    with pytest.raises(TypeError, match="`distance_km` must be a Series"):
        freight(1, "far", tariff=FLAT)


def test_delivery_performance_errors():
    t = pd.to_datetime
    df = pd.DataFrame({"route": ["a"], "promised_at": t(["2025-01-01"]), "delivered_at": t(["2025-01-02"])})
    with pytest.raises(ValueError, match='"route_id" is not in `shipments`'):
        delivery_performance(df, by="route_id")
    with pytest.raises(TypeError, match="`by` must be"):
        delivery_performance(df, by=1)
    with pytest.raises(ValueError, match="`tolerance_h`"):
        delivery_performance(df, tolerance_h=-1)
    with pytest.raises(ValueError, match="promised delivery time"):
        delivery_performance(df.assign(promised_at=pd.NaT))
    with pytest.raises(TypeError, match="must hold dates"):
        delivery_performance(df.assign(delivered_at=3.0))
    with pytest.raises(ValueError, match="empty"):
        delivery_performance(df.iloc[:0])


def test_cost_composition_errors():
    df = pd.DataFrame({"cost": [10.0], "fuel": [5.0]})
    with pytest.raises(ValueError, match="add up to 1"):
        cost_composition(df, shares={"a": 0.5, "b": 0.4})
    with pytest.raises(ValueError, match="between 0 and 1"):
        cost_composition(df, shares={"a": 60, "b": 40})
    with pytest.raises(TypeError, match="`shares` must be a dict"):
        cost_composition(df, shares=[0.5, 0.5])
    with pytest.raises(ValueError, match="not both"):
        cost_composition(df, parts=["fuel"], shares={"a": 1.0})
    with pytest.raises(ValueError, match="negative"):
        cost_composition(df.assign(cost=-1.0))
    with pytest.raises(ValueError, match='"tolls" is not in `shipments`'):
        cost_composition(df, parts=["fuel", "tolls"])


def test_storage_and_accuracy_errors():
    with pytest.raises(ValueError, match="`rate_per_day`"):
        storage_fee(1, 1, rate_per_day=-1)
    with pytest.raises(ValueError, match="`days`"):
        storage_fee(1, -1)
    with pytest.raises(ValueError, match="above 0"):
        picking_accuracy(0, 0)
    with pytest.raises(ValueError, match="exceeds"):
        picking_accuracy(10, 11)
    with pytest.raises(ValueError, match="`before` must lie between 0 and 1"):
        error_reduction(5, 1)
    with pytest.raises(ValueError, match="`before` must be above 0"):
        error_reduction(0, 0)
    with pytest.raises(ValueError, match="same SKUs"):
        inventory_accuracy(pd.Series([1], index=["a"]), pd.Series([1], index=["b"]))
    with pytest.raises(ValueError, match="same length"):
        inventory_accuracy([1, 2], [1])
    with pytest.raises(ValueError, match="empty"):
        inventory_accuracy([], [])
    with pytest.raises(ValueError, match="`tolerance`"):
        inventory_accuracy([1], [1], tolerance=-0.1)


# ---- properties -----------------------------------------------------------------------------

pos = st.floats(0, 50_000, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(pos, pos, st.floats(0, 1000), st.floats(0, 1000), st.sampled_from(SERVICES + ("FTL", "cold_chain")))
def test_freight_at_least_minimum_and_monotone(w, d, dw, dd, service):
    base = freight(w, d, service=service)
    key = from_english("service").get(service, service)
    assert base >= DEFAULT_TARIFF[key]["minimum"]
    assert freight(w + dw, d, service=service) >= base - 1e-9
    assert freight(w, d + dd, service=service) >= base - 1e-9


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3"]), st.floats(-48, 48), st.booleans()),
                min_size=1, max_size=30))
def test_delivery_shares_add_to_one(rows):
    promised = pd.Timestamp("2025-06-01 12:00")
    df = pd.DataFrame({
        "route": [r for r, _, _ in rows],
        "promised_at": [promised] * len(rows),
        "delivered_at": [pd.NaT if lost else promised + pd.Timedelta(hours=h) for _, h, lost in rows],
    })
    out = delivery_performance(df)
    total = out["on_time_rate"] + out["late_share"] + out["loss_rate"]
    assert np.allclose(total, 1.0)
    assert out["orders"].sum() == len(rows)
    assert ((out[["on_time_rate", "late_share", "loss_rate"]] >= 0).all().all())
    assert (out["mean_delay_h"].dropna() >= 0).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=20),
       st.dictionaries(st.sampled_from(list("abcdef")), st.floats(0.01, 1), min_size=1, max_size=6))
def test_cost_composition_conserves_cost(costs, raw):
    shares = {k: v / sum(raw.values()) for k, v in raw.items()}
    out = cost_composition(pd.DataFrame({"cost": costs}), shares=shares)
    assert out["amount"].sum() == pytest.approx(sum(costs), rel=1e-9, abs=1e-6)
    if sum(costs) > 0:
        assert out["share"].sum() == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=30),
       st.floats(0, 50))
def test_accuracy_properties(pairs, tol):
    book = [b for b, _ in pairs]
    counted = [c for _, c in pairs]
    exact = inventory_accuracy(book, counted)
    loose = inventory_accuracy(book, counted, tolerance=tol)
    assert 0 <= exact <= loose <= 1
    picks = [max(b, 1) for b in book]
    errors = [min(c, p) for c, p in zip(counted, picks)]
    acc = picking_accuracy(picks, errors)
    assert ((acc >= 0) & (acc <= 1)).all()


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 365), st.floats(0, 10), st.floats(0, 1000))
def test_storage_fee_properties(q, days, rate, minimum):
    fee = storage_fee(q, days, rate_per_day=rate, minimum=minimum)
    assert fee >= minimum
    assert storage_fee(q, days + 1, rate_per_day=rate, minimum=minimum) >= fee - 1e-9


# ---- count_check (per-SKU cycle count) ---------------------------------------------------------

def test_count_check_by_hand():
    book = pd.Series([120, 48, 300, 0, 0], index=["A01", "A02", "A03", "A04", "A05"])
    counted = pd.Series([120, 47, 306, 0, 3], index=["A01", "A02", "A03", "A04", "A05"])
    out = count_check(book, counted, tolerance=0.02, relative=True)
    assert list(out.columns) == ["book", "counted", "gap", "relative_gap", "accurate"]
    assert out["gap"].tolist() == [0, -1, 6, 0, 3]
    # A02: −1/48 = −2.08 % (outside 2 %); A03: 6/300 = 2 % (on the line: inside); A05: 3 found, book 0
    assert out["relative_gap"].tolist() == pytest.approx([0, -1 / 48, 0.02, 0, np.inf])
    assert out["accurate"].tolist() == [True, False, True, True, False]
    assert out.attrs == {}                                  # nothing hidden beside the table
    # inventory_accuracy is the mean of the same flags: 3 of 5
    assert inventory_accuracy(book, counted, tolerance=0.02, relative=True) == pytest.approx(3 / 5)
    # in units: tolerance 3 → only A01, A04, A02 (1), A05 (3) inside; A03 (6) outside
    units = count_check(book, counted, tolerance=3)
    assert units["accurate"].tolist() == [True, True, False, True, True]
    # plain lists get a RangeIndex
    arr = count_check([0, 10], [0, 9])
    assert list(arr.index) == [0, 1] and arr["relative_gap"].tolist() == [0.0, -0.1]


def test_count_check_float_tolerance_on_the_line():
    # 0.29 · 100 = 28.999999999999996 in floats and 0.57 · 100 = 56.99999999999999: a gap of exactly
    # 29 or 57 units is on the limit and must count as accurate (the lesson's slider hit this).
    assert 0.29 * 100 < 29 and 0.57 * 100 < 57
    out = count_check([100, 100, 100], [129, 43, 130], tolerance=0.29, relative=True)
    assert out["accurate"].tolist() == [True, False, False]
    assert count_check([100], [43], tolerance=0.57, relative=True)["accurate"].iloc[0]
    # but a real excess stays outside: 0.1 tolerance, gap 1 on a book of 9 (limit 0.9)
    assert not count_check([9], [10], tolerance=0.1, relative=True)["accurate"].iloc[0]
    # the input Series are not modified
    book = pd.Series([5.0, 6.0])
    count_check(book, [5.0, 7.0])
    assert book.tolist() == [5.0, 6.0]


def test_count_check_errors():
    with pytest.raises(TypeError, match="`relative`"):
        count_check([1], [1], relative="yes")
    with pytest.raises(ValueError, match="`tolerance`"):
        count_check([1], [1], tolerance=-1)
    with pytest.raises(ValueError, match="same SKUs"):
        count_check(pd.Series([1], index=["a"]), pd.Series([1], index=["b"]))
    with pytest.raises(ValueError, match="same length"):
        count_check([1, 2], [1])
    with pytest.raises(ValueError, match="`counted`"):
        count_check([1, 2], [1, -2])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=30),
       st.floats(0, 1), st.floats(0, 1))
def test_count_check_properties(pairs, tol, more):
    book = [b for b, _ in pairs]
    counted = [c for _, c in pairs]
    tight = count_check(book, counted, tolerance=tol, relative=True)
    loose = count_check(book, counted, tolerance=tol + more, relative=True)
    assert (tight["accurate"] <= loose["accurate"]).all()      # widening never removes a SKU
    assert (tight["gap"] == np.array(counted) - np.array(book)).all()
    exact = tight["gap"] == 0
    assert tight.loc[exact, "accurate"].all()                  # a perfect count is always accurate
    assert inventory_accuracy(book, counted, tolerance=tol, relative=True) == tight["accurate"].mean()
