"""Tests for crmkit.kpi (textbook ch. 7): hand-counted KPIs, SLA checks, p-chart limits."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.kpi import (
    KPI_COLUMNS, KPI_COUNT_COLUMNS, KPI_LABELS, add_period, complaint_rate,
    kpi_dashboard, p_chart, service_kpis, sla_compliance, u_chart,
)


def five_orders():
    # order  on_time in_full damaged lost doc_error  items ordered/delivered
    #  1       T       T       F      F     F         10/10   -> OTIF, perfect
    #  2       T       T       T      F     F          5/5    -> OTIF, damaged
    #  3       T       F       F      F     F          8/6    -> short
    #  4       F       T       F      F     F          4/4    -> late
    #  5       T       T       F      F     T          3/3    -> OTIF, doc error
    return pd.DataFrame({
        "customer_id": ["A", "A", "B", "B", "B"],
        "order_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", "2025-02-10",
                                      "2025-03-01"]),
        "on_time": [True, True, True, False, True],
        "in_full": [True, True, False, True, True],
        "damaged": [False, True, False, False, False],
        "lost": [False, False, False, False, False],
        "doc_error": [False, False, False, False, True],
        "items_ordered": [10, 5, 8, 4, 3],
        "items_delivered": [10, 5, 6, 4, 3],
    })


def test_service_kpis_hand_counted():
    k = service_kpis(five_orders())
    assert list(k.index) == list(KPI_COLUMNS)
    assert k["orders"] == 5
    assert k["on_time_rate"] == pytest.approx(4 / 5)
    assert k["in_full_rate"] == pytest.approx(4 / 5)
    assert k["otif_rate"] == pytest.approx(3 / 5)       # orders 1, 2, 5
    assert k["damage_rate"] == pytest.approx(1 / 5)
    assert k["loss_rate"] == 0
    assert k["doc_error_rate"] == pytest.approx(1 / 5)
    assert k["perfect_order_rate"] == pytest.approx(1 / 5)  # only order 1
    assert k["fill_rate"] == pytest.approx(28 / 30)     # 10+5+6+4+3 of 10+5+8+4+3


def test_service_kpis_by_customer():
    k = service_kpis(five_orders(), by="customer_id")
    assert list(k.index) == ["A", "B"]
    assert k.loc["A", "orders"] == 2 and k.loc["B", "orders"] == 3
    assert k.loc["A", "otif_rate"] == pytest.approx(1.0)
    assert k.loc["A", "perfect_order_rate"] == pytest.approx(0.5)
    assert k.loc["B", "otif_rate"] == pytest.approx(1 / 3)       # only order 5
    assert k.loc["B", "fill_rate"] == pytest.approx(13 / 15)     # 6+4+3 of 8+4+3


def test_service_kpis_by_month_is_derived_from_order_date():
    df = five_orders()
    k = service_kpis(df, by="month")
    assert [str(p) for p in k.index] == ["2025-01", "2025-02", "2025-03"]
    assert k["orders"].tolist() == [2, 2, 1]
    assert k["on_time_rate"].tolist() == [1.0, 0.5, 1.0]
    assert "month" not in df.columns  # caller's frame untouched


def test_service_kpis_two_keys_and_optional_columns():
    k = service_kpis(five_orders(), by=["customer_id", "month"], items_ordered=None,
                     items_delivered=None, doc_error=None)
    assert "fill_rate" not in k.columns and "doc_error_rate" not in k.columns
    # without the doc-error criterion, order 5 is perfect too
    assert k.loc[("B", pd.Period("2025-03", "M")), "perfect_order_rate"] == 1.0


def test_service_kpis_accepts_zero_one_flags():
    df = five_orders()
    df["on_time"] = df["on_time"].astype(int)
    assert service_kpis(df)["on_time_rate"] == pytest.approx(0.8)


def test_perfect_order_without_positive_flags():
    k = service_kpis(five_orders(), on_time=None, in_full=None, items_ordered=None,
                     items_delivered=None)
    assert "otif_rate" not in k.index
    assert k["perfect_order_rate"] == pytest.approx(3 / 5)  # orders 1, 3, 4 have no failure


def test_kpi_dashboard_monthly():
    d = kpi_dashboard(five_orders())
    assert d.index.name == "month"
    assert d["otif_rate"].tolist() == [1.0, 0.0, 1.0]
    q = kpi_dashboard(five_orders(), freq="Q")
    assert q["orders"].tolist() == [5]


def test_add_period_copies():
    df = five_orders()
    out = add_period(df, freq="W", name="wk")
    assert "wk" in out.columns and "wk" not in df.columns


def test_sla_compliance_hand_example():
    ships = pd.DataFrame({"customer_id": ["C1"] * 4 + ["C2"] * 2,
                          "on_time": [True, True, True, False, True, True],
                          "damaged": [False, False, False, False, True, False]})
    deals = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "on_time_target": [0.95, 0.9, 0.9],
                          "damage_rate_max": [0.01, 0.6, 0.01]})
    s = sla_compliance(ships, deals)
    assert list(s.index) == ["C1", "C2"]              # C3 has no shipments
    assert s.loc["C1", "on_time_shortfall"] == pytest.approx(0.20)  # 0.95 - 3/4
    assert not s.loc["C1", "on_time_met"] and s.loc["C1", "damage_met"]
    assert s.loc["C2", "damage_rate"] == pytest.approx(0.5)
    assert s.loc["C2", "met"] and s.loc["C2", "damage_excess"] == 0


def test_sla_compliance_warns_on_missing_contract():
    ships = pd.DataFrame({"customer_id": ["C1", "C9"], "on_time": [True, False],
                          "damaged": [False, False]})
    deals = pd.DataFrame({"customer_id": ["C1"], "on_time_target": [0.9], "damage_rate_max": [0.01]})
    with pytest.warns(UserWarning, match="no contract"):
        s = sla_compliance(ships, deals)
    assert list(s.index) == ["C1"]


def test_p_chart_textbook_limits():
    # p̄ = 0.1, n = 100: 3·sqrt(0.1·0.9/100) = 0.09 → limits 0.01 and 0.19
    chart = p_chart(pd.Series([10, 10, 10], index=["jan", "feb", "mar"]), [100, 100, 100])
    assert chart["center"].iloc[0] == pytest.approx(0.1)
    assert chart["lcl"].iloc[0] == pytest.approx(0.01)
    assert chart["ucl"].iloc[0] == pytest.approx(0.19)
    assert list(chart.index) == ["jan", "feb", "mar"]
    assert not chart["out_of_control"].any()


def test_p_chart_clips_and_flags():
    # p̄ = 3/30 = 0.1; n = 10: 3·sqrt(0.009) = 0.2846 → lcl clipped to 0
    chart = p_chart([0, 0, 3], [10, 10, 10])
    assert (chart["lcl"] == 0).all()
    assert chart["ucl"].iloc[0] == pytest.approx(0.1 + 3 * math.sqrt(0.009))
    assert chart["out_of_control"].sum() == 0
    # p̄ = 70/400 = 0.175, 3·sqrt(0.175·0.825/100) = 0.114 → limits 0.061 .. 0.289
    big = p_chart([8, 10, 12, 40], [100, 100, 100, 100])
    assert big["out_of_control"].tolist() == [False, False, False, True]


# ---- validation -----------------------------------------------------------------------------

def test_service_kpis_errors():
    df = five_orders()
    with pytest.raises(TypeError, match="DataFrame"):
        service_kpis(df.to_dict())
    with pytest.raises(ValueError, match="empty"):
        service_kpis(df.iloc[:0])
    with pytest.raises(ValueError, match='"region" is not in `shipments`'):
        service_kpis(df, by="region")
    with pytest.raises(TypeError, match="`by` must be a column name"):
        service_kpis(df, by=3)
    with pytest.raises(ValueError, match='"late"'):
        service_kpis(df, on_time="late")
    bad = df.assign(on_time=["yes", "no", "yes", "no", "yes"])
    with pytest.raises(TypeError, match="True/False"):
        service_kpis(bad)
    with pytest.raises(ValueError, match="missing"):
        service_kpis(df.assign(damaged=[False, None, False, False, False]))
    with pytest.raises(ValueError, match="go together"):
        service_kpis(df, items_ordered=None)
    with pytest.raises(ValueError, match="Nothing to compute"):
        service_kpis(df, on_time=None, in_full=None, damaged=None, lost=None, doc_error=None,
                     items_ordered=None, items_delivered=None)
    with pytest.raises(ValueError, match="exceeds"):
        service_kpis(df.assign(items_delivered=[11, 5, 6, 4, 3]))
    with pytest.raises(ValueError, match="at least 1"):
        service_kpis(df.assign(items_ordered=[0, 5, 8, 4, 3], items_delivered=[0, 5, 6, 4, 3]))
    with pytest.raises(ValueError, match="negative"):
        service_kpis(df.assign(items_delivered=[-1, 5, 6, 4, 3]))


def test_period_errors():
    df = five_orders()
    with pytest.raises(ValueError, match="`freq` must be one of"):
        kpi_dashboard(df, freq="month")
    with pytest.raises(ValueError, match="missing date"):
        add_period(df.assign(order_date=[pd.NaT] + list(df.order_date[1:])))
    with pytest.raises(TypeError, match="must hold dates"):
        add_period(df.assign(order_date=1.5))


def test_sla_compliance_errors():
    ships = five_orders()
    deals = pd.DataFrame({"customer_id": ["A", "B"], "on_time_target": [0.9, 0.95],
                          "damage_rate_max": [0.01, 0.02]})
    with pytest.raises(ValueError, match="one row per customer_id"):
        sla_compliance(ships, pd.concat([deals, deals]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        sla_compliance(ships, deals.assign(on_time_target=[95, 90]))
    with pytest.raises(ValueError, match='"damage_rate_max" is not in `contracts`'):
        sla_compliance(ships, deals.drop(columns="damage_rate_max"))


def test_p_chart_errors():
    with pytest.raises(ValueError, match="same length"):
        p_chart([1, 2], [10])
    with pytest.raises(ValueError, match="at least 1"):
        p_chart([0, 1], [0, 10])
    with pytest.raises(ValueError, match="exceeds"):
        p_chart([11, 1], [10, 10])
    with pytest.raises(ValueError, match="negative"):
        p_chart([-1, 1], [10, 10])
    with pytest.raises(TypeError, match="numbers"):
        p_chart(["a", "b"], [10, 10])
    with pytest.raises(ValueError, match="empty"):
        p_chart([], [])
    with pytest.raises(ValueError, match="`sigma`"):
        p_chart([1], [10], sigma=-1)


# ---- properties -----------------------------------------------------------------------------

@st.composite
def order_tables(draw):
    n = draw(st.integers(1, 40))
    flags = st.lists(st.booleans(), min_size=n, max_size=n)
    ordered = draw(st.lists(st.integers(1, 20), min_size=n, max_size=n))
    delivered = [draw(st.integers(0, o)) for o in ordered]
    return pd.DataFrame({
        "customer_id": draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n)),
        "on_time": draw(flags), "in_full": draw(flags), "damaged": draw(flags), "lost": draw(flags),
        "doc_error": draw(flags), "items_ordered": ordered, "items_delivered": delivered,
    })


@settings(max_examples=50, deadline=None)
@given(order_tables())
def test_kpi_properties(df):
    for k in (service_kpis(df).to_frame().T, service_kpis(df, by="customer_id")):
        rates = k.drop(columns="orders")
        assert ((rates >= 0) & (rates <= 1)).all().all()
        assert (k["perfect_order_rate"] <= k["otif_rate"] + 1e-12).all()
        assert (k["otif_rate"] <= k["on_time_rate"] + 1e-12).all()
        assert (k["otif_rate"] <= k["in_full_rate"] + 1e-12).all()
    by = service_kpis(df, by="customer_id")
    assert by["orders"].sum() == len(df)
    overall = service_kpis(df)
    weighted = np.average(by["on_time_rate"], weights=by["orders"])
    assert weighted == pytest.approx(overall["on_time_rate"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.floats(0, 1)), min_size=1, max_size=24),
       st.floats(0.5, 4))
def test_p_chart_properties(rows, sigma):
    sizes = [n for n, _ in rows]
    counts = [int(round(n * f)) for n, f in rows]
    chart = p_chart(counts, sizes, sigma=sigma)
    assert ((chart["lcl"] >= 0) & (chart["lcl"] <= chart["center"] + 1e-12)).all()
    assert ((chart["ucl"] <= 1) & (chart["ucl"] >= chart["center"] - 1e-12)).all()
    assert chart["center"].iloc[0] == pytest.approx(sum(counts) / sum(sizes))
    outside = (chart["p"] < chart["lcl"]) | (chart["p"] > chart["ucl"])
    assert (chart["out_of_control"] == outside).all()
    wider = p_chart(counts, sizes, sigma=sigma + 1)
    assert (wider["ucl"] >= chart["ucl"] - 1e-12).all()


# ---- counts for the p chart -----------------------------------------------------------------

def test_service_kpis_counts_hand_counted():
    k = service_kpis(five_orders(), counts=True)
    # on time: orders 1,2,3,5; OTIF: 1,2,5; damaged: 2; perfect: 1 (see five_orders)
    assert k["on_time_count"] == 4 and k["otif_count"] == 3
    assert k["damage_count"] == 1 and k["loss_count"] == 0 and k["perfect_order_count"] == 1
    assert "fill_count" not in k.index                  # the fill rate counts items, not orders
    assert list(k.index[:len(KPI_COLUMNS)]) == list(KPI_COLUMNS)   # rates first, unchanged
    assert "on_time_count" not in service_kpis(five_orders()).index


def test_kpi_dashboard_counts_feed_the_p_chart():
    board = kpi_dashboard(five_orders(), counts=True)
    # months: Jan orders 1,2 (both on time), Feb 3,4 (one late), Mar 5
    assert board["on_time_count"].tolist() == [2, 1, 1]
    assert board["on_time_count"].dtype.kind == "i"
    chart = p_chart(board["on_time_count"], board["orders"])
    np.testing.assert_allclose(chart["p"], board["on_time_rate"])
    assert chart["center"].iloc[0] == pytest.approx(4 / 5)
    by = service_kpis(five_orders(), by="customer_id", counts=True)
    assert by["otif_count"].tolist() == [2, 1]          # A: orders 1,2; B: order 5


def test_counts_must_be_a_flag():
    with pytest.raises(TypeError, match="`counts` must be True or False"):
        service_kpis(five_orders(), counts="yes")


def test_kpi_labels_are_bilingual_and_cover_every_column():
    for col in (*KPI_COLUMNS, *KPI_COUNT_COLUMNS.values(), "complaint_rate"):
        zh, _, en = KPI_LABELS[col].partition(" ")
        assert zh and en and not zh.isascii() and en.isascii()
    assert KPI_COUNT_COLUMNS["on_time_rate"] == "on_time_count"
    assert "fill_rate" not in KPI_COUNT_COLUMNS


def test_plotting_reuses_the_public_labels():
    from crmkit.plotting import kpi as kpi_charts

    assert kpi_charts.KPI_LABELS is KPI_LABELS


# ---- complaint rate -------------------------------------------------------------------------

def complaints_for_five_orders():
    # customer A: 2 complaints (Jan, Feb), B: 1 (Feb); one opened in April, a month without orders
    return pd.DataFrame({"customer_id": ["A", "A", "B", "B"],
                         "opened_at": pd.to_datetime(["2025-01-25", "2025-02-02", "2025-02-15",
                                                      "2025-04-01"])})


def test_complaint_rate_overall_and_per_customer():
    comps = complaints_for_five_orders()
    total = complaint_rate(comps, five_orders())
    assert total["complaint_rate"] == pytest.approx(4 / 5 * 1000)
    assert total.name == "all" and total.attrs == {}
    by = complaint_rate(comps, five_orders(), by="customer_id", per=100)
    assert by["complaints"].tolist() == [2, 2] and by["shipments"].tolist() == [2, 3]
    np.testing.assert_allclose(by["complaint_rate"], [100.0, 200 / 3])   # 2/2, 2/3 per 100


def test_complaint_rate_by_month_warns_about_months_without_orders():
    with pytest.warns(UserWarning, match="1 complaint.*no shipments"):
        month = complaint_rate(complaints_for_five_orders(), five_orders(), by="month")
    assert [str(p) for p in month.index] == ["2025-01", "2025-02", "2025-03"]
    assert month["complaints"].tolist() == [1, 2, 0]     # March: orders but no complaint
    np.testing.assert_allclose(month["complaint_rate"], [500.0, 1000.0, 0.0])


def test_complaint_rate_two_keys_existing_period_column_and_no_complaints():
    comps = complaints_for_five_orders().iloc[:3]
    two = complaint_rate(comps, five_orders(), by=["customer_id", "quarter"])
    assert two.loc[("A", pd.Period("2025Q1", "Q")), "complaints"] == 2
    ships = add_period(five_orders())
    comps = add_period(comps, date="opened_at")
    assert complaint_rate(comps, ships, by="month")["complaints"].sum() == 3
    none = complaint_rate(comps.iloc[:0], five_orders(), by="customer_id")
    assert (none["complaint_rate"] == 0).all() and none["shipments"].sum() == 5
    assert complaint_rate(comps.iloc[:0], five_orders())["complaint_rate"] == 0


def test_complaint_rate_errors():
    comps, ships = complaints_for_five_orders(), five_orders()
    with pytest.raises(ValueError, match='"service" is not in `complaints`'):
        complaint_rate(comps, ships.assign(service="LTL"), by="service")
    with pytest.raises(ValueError, match='"opened" is not in `complaints`'):
        complaint_rate(comps, ships, by="month", date="opened")
    with pytest.raises(ValueError, match="empty"):
        complaint_rate(comps, ships.iloc[:0])
    with pytest.raises(TypeError, match="`complaints` must be a pandas DataFrame"):
        complaint_rate([1, 2], ships)
    with pytest.raises(ValueError, match="`per` must be a positive number"):
        complaint_rate(comps, ships, per=0)
    with pytest.raises(ValueError, match="missing"):
        complaint_rate(comps.assign(customer_id=["A", None, "B", "B"]), ships, by="customer_id")
    with pytest.raises(TypeError, match="`by` must be a column name"):
        complaint_rate(comps, ships, by=1)


# ---- u chart --------------------------------------------------------------------------------

def test_u_chart_hand_limits():
    # ū = 8 / 400 = 0.02 per shipment; n = 100: 3·sqrt(0.02/100) = 0.04243 → 0 .. 0.06243
    chart = u_chart(pd.Series([1, 2, 0, 5], index=list("abcd")), [100, 100, 100, 100])
    assert chart["center"].iloc[0] == pytest.approx(0.02)
    assert chart["ucl"].iloc[0] == pytest.approx(0.02 + 3 * math.sqrt(0.0002))
    assert (chart["lcl"] == 0).all()                      # 0.02 - 0.042 cut at 0
    assert chart["out_of_control"].tolist() == [False, False, False, False]   # 0.05 < 0.0624
    assert list(chart.index) == list("abcd")
    per_1000 = u_chart([1, 2, 0, 5], [100, 100, 100, 100], per=1000)
    np.testing.assert_allclose(per_1000["ucl"], 1000 * chart["ucl"])
    # ū = 400/400 = 1, n = 100: 1 ± 3·sqrt(1/100) = 0.7 .. 1.3; 1.4 is out, 0.65 too
    busy = u_chart([100, 95, 140, 65], [100, 100, 100, 100])
    assert busy["out_of_control"].tolist() == [False, False, True, True]
    assert busy["lcl"].iloc[0] == pytest.approx(0.7)


def test_u_chart_allows_more_events_than_units_and_no_events():
    assert u_chart([30], [10])["u"].iloc[0] == 3.0        # p_chart would refuse this
    zero = u_chart([0, 0], [5, 10])
    assert (zero[["center", "lcl", "ucl"]] == 0).all().all() and not zero["out_of_control"].any()


def test_u_chart_errors():
    with pytest.raises(ValueError, match="same length"):
        u_chart([1, 2], [10])
    with pytest.raises(ValueError, match="above 0"):
        u_chart([0, 1], [0, 10])
    with pytest.raises(ValueError, match="negative"):
        u_chart([-1, 1], [10, 10])
    with pytest.raises(TypeError, match="numbers"):
        u_chart(["a"], [10])
    with pytest.raises(ValueError, match="`sigma`"):
        u_chart([1], [10], sigma=-2)
    with pytest.raises(ValueError, match="`per`"):
        u_chart([1], [10], per=-1)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 900)), min_size=1, max_size=24),
       st.floats(0.5, 4), st.sampled_from([1, 100, 1000]))
def test_u_chart_properties(rows, sigma, per):
    counts, exposure = [c for c, _ in rows], [n for _, n in rows]
    chart = u_chart(counts, exposure, sigma=sigma, per=per)
    assert chart["center"].iloc[0] == pytest.approx(per * sum(counts) / sum(exposure))
    assert ((chart["lcl"] >= 0) & (chart["lcl"] <= chart["center"] + 1e-9)).all()
    assert (chart["ucl"] >= chart["center"] - 1e-9).all()
    outside = (chart["u"] < chart["lcl"]) | (chart["u"] > chart["ucl"])
    assert (chart["out_of_control"] == outside).all()
    # the bigger the month, the narrower its limits
    order = np.argsort(exposure, kind="stable")
    width = (chart["ucl"] - chart["center"]).to_numpy()[order]
    assert (np.diff(width) <= 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(order_tables(), st.lists(st.sampled_from(["A", "B", "C"]), max_size=30))
def test_complaint_rate_properties(ships, complainers):
    comps = pd.DataFrame({"customer_id": complainers}, dtype=object)
    shipped = set(ships["customer_id"])
    expected_extra = sum(c not in shipped for c in complainers)
    if expected_extra:
        with pytest.warns(UserWarning, match="no shipments"):
            by = complaint_rate(comps, ships, by="customer_id")
    else:
        by = complaint_rate(comps, ships, by="customer_id")
    assert by["shipments"].sum() == len(ships)
    assert by["complaints"].sum() == len(complainers) - expected_extra
    assert (by["complaint_rate"] >= 0).all()
    overall = complaint_rate(comps, ships)
    assert overall["complaint_rate"] == pytest.approx(1000 * len(complainers) / len(ships))
    counts = service_kpis(ships, by="customer_id", counts=True)
    np.testing.assert_array_equal(counts["otif_count"],
                                  np.rint(counts["otif_rate"] * counts["orders"]))
