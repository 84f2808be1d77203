"""Tests for crmkit.plotting: each chart on small hand-made method output.

Every test runs with Chinese labels after ``setup()`` and turns a missing-glyph warning into an
error; figures are drawn (so text is really rendered) and closed afterwards.
"""
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import StepPatch  # noqa: E402

from crmkit import plotting  # noqa: E402
from crmkit.abc import (  # noqa: E402
    abc_classify, abc_table, customer_profitability, gini, growth_matrix, loyalty_credit_matrix,
    lorenz,
)
from crmkit.classify import STAGES, tier_table  # noqa: E402
from crmkit.complaints import pareto  # noqa: E402
from crmkit.kpi import p_chart, service_kpis, u_chart  # noqa: E402
from crmkit.plotting import (  # noqa: E402
    plot_alpha, plot_cause_pareto, plot_clv_curve, plot_customer_matrix, plot_drivers, plot_ipa,
    plot_kpi_by_group, plot_kpi_dashboard, plot_lorenz, plot_nps, plot_p_chart, plot_pareto,
    plot_rfm_heatmap, plot_rfm_segments, plot_satisfaction_trap, plot_service_level,
    plot_servqual_gaps, plot_staffing_plan, plot_stage_transitions, plot_tiers, plot_u_chart,
    plot_whale,
)
from crmkit.plotting._base import BAD, CLASS_COLORS, GOOD  # noqa: E402
from crmkit.satisfaction import (  # noqa: E402
    Drivers, ipa, satisfaction_trap, servqual_gaps, trap_curve,
)
from crmkit.servicecenter import service_level, staffing_plan  # noqa: E402


@pytest.fixture(autouse=True)
def chinese_fonts_strict():
    plotting.setup()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        yield
    plt.close("all")


def drawn(ax):
    """Render the figure (missing glyphs only show up when text is drawn) and return ``ax``."""
    ax.figure.canvas.draw()
    return ax


def twin_of(ax):
    return next(a for a in ax.figure.axes
                if a is not ax and a.get_shared_x_axes().joined(a, ax))


def lines_labelled(ax, text):
    return [line for line in ax.get_lines() if text in line.get_label()]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def yticks_top_down(ax):
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    return [t.get_text() for t in ticks]


def hexes(patches):
    return [to_hex(p.get_facecolor()) for p in patches]


REVENUE = pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"])   # q 60 %, s 85 %, p 93 %, r 100 %


# ---------------------------------------------------------------- Pareto / ABC
def test_pareto_bars_ranked_with_cumulative_line_and_cutoffs():
    ax = drawn(plot_pareto(abc_classify(REVENUE)))
    assert [p.get_height() for p in ax.patches] == [60, 25, 8, 7]
    assert hexes(ax.patches) == [CLASS_COLORS[c] for c in "ABBC"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["q", "s", "p", "r"]
    twin = twin_of(ax)
    curve = lines_labelled(twin, "累计占比")[0]
    np.testing.assert_allclose(curve.get_ydata(), [0.60, 0.85, 0.93, 1.00])
    cuts = [line.get_ydata()[0] for line in lines_labelled(twin, "cut-off")]
    assert cuts == [0.80, 0.95]
    assert "A 类 class A" in legend_texts(ax) and "A/B 分界 cut-off 80%" in legend_texts(ax)
    assert ax.get_title() == "ABC 分析 · Pareto chart"


def test_pareto_takes_raw_values_and_abc_table_alike():
    shipments = pd.DataFrame({"customer_id": ["p", "q", "q", "r", "s"],
                              "revenue": [8, 50, 10, 7, 25]})
    from_table = plot_pareto(abc_table(shipments, value="revenue"))
    from_values = plot_pareto(REVENUE)
    assert ([p.get_height() for p in from_table.patches]
            == [p.get_height() for p in from_values.patches] == [60, 25, 8, 7])


def test_pareto_draws_the_cutoffs_it_is_given():
    ax = plot_pareto(abc_classify(REVENUE, (0.7, 0.9)), cutoffs=(0.7, 0.9))
    assert [line.get_ydata()[0] for line in lines_labelled(twin_of(ax), "cut-off")] == [0.7, 0.9]


def test_pareto_many_customers_draws_a_curve_with_class_bands():
    # 10 customers, max_bars=5: A = the first 2 (52 + 28 = 80 %), B = next 3 (95 %), C = 5.
    values = pd.Series([52, 28, 6, 5, 4, 1, 1, 1, 1, 1], index=[f"c{i}" for i in range(10)])
    ax = drawn(plot_pareto(values, max_bars=5))
    assert len(ax.figure.axes) == 1                     # no twin: one axis, no bars
    curve = lines_labelled(ax, "累计价值占比")[0]
    np.testing.assert_allclose(curve.get_xdata(), np.arange(11) / 10)
    np.testing.assert_allclose(curve.get_ydata()[[0, 2, 5, 10]], [0, 0.80, 0.95, 1.0])
    bands = [(p.get_x(), p.get_x() + p.get_width()) for p in ax.patches]
    np.testing.assert_allclose(bands, [(0, 0.2), (0.2, 0.5), (0.5, 1.0)])
    assert any("A 类: 20% 客户 customers, 80% 价值 value" in t for t in legend_texts(ax))
    assert [line.get_ydata()[0] for line in lines_labelled(ax, "cut-off")] == [0.8, 0.95]


def test_pareto_stays_readable_with_2000_customers():  # speed: benchmarks/bench_speed.py
    rng = np.random.default_rng(5)
    values = pd.Series(rng.pareto(1.2, 2000) + 1, index=[f"C{i:05d}" for i in range(2000)])
    table = abc_classify(values)
    ax = drawn(plot_pareto(table))
    assert len(ax.patches) == 3 and len(ax.get_xticklabels()) < 20


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 1000), min_size=2, max_size=12))
def test_pareto_bars_always_fall_and_the_curve_ends_at_one(values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # degenerate-class guesses of abc_classify
        ax = plot_pareto(pd.Series(values, index=[f"k{i:02d}" for i in range(len(values))]))
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == len(values) and heights == sorted(values, reverse=True)
    curve = lines_labelled(twin_of(ax), "累计占比")[0].get_ydata()
    assert np.all(np.diff(curve) >= 0) and curve[-1] == pytest.approx(1.0)
    plt.close("all")


@pytest.mark.parametrize("bad, error, match", [
    (pd.DataFrame({"value": [1.0], "share": [1.0], "cum_share": [1.0]}), ValueError,
     r'"abc_class" is not in `data`.*abc_table'),
    ([1, 2, 3], TypeError, "must be a pandas DataFrame"),
    (pd.DataFrame({"value": [1.0], "share": [1.0], "cum_share": [1.0], "abc_class": ["X"]}),
     ValueError, "A, B or C"),
    (pd.DataFrame({"value": ["a"], "share": [1.0], "cum_share": [1.0], "abc_class": ["A"]}),
     TypeError, r"data\['value'\]` must hold numbers"),
])
def test_pareto_refuses_wrong_input(bad, error, match):
    with pytest.raises(error, match=match):
        plot_pareto(bad)


def test_pareto_refuses_bad_options():
    with pytest.raises(ValueError, match="percentage"):
        plot_pareto(abc_classify(REVENUE), cutoffs=(80, 95))
    with pytest.raises(ValueError, match="max_bars"):
        plot_pareto(abc_classify(REVENUE), max_bars=-1)


# ---------------------------------------------------------------- Lorenz
def test_lorenz_has_diagonal_and_gini_in_legend():
    ax = drawn(plot_lorenz(lorenz([0, 0, 0, 1])))       # Gini of [0, 0, 0, 1] = 3/4
    assert legend_texts(ax) == ["完全平均 equality", "洛伦兹曲线 Lorenz curve (基尼系数 Gini = 0.75)"]
    diagonal = lines_labelled(ax, "equality")[0]
    assert list(diagonal.get_xdata()) == [0, 1] == list(diagonal.get_ydata())


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(0, 1e4), min_size=2, max_size=30).filter(lambda v: sum(v) > 1))
def test_lorenz_gini_in_legend_matches_crmkit_gini(values):
    for data in (values, lorenz(values), lorenz(values, descending=True)):
        ax = plot_lorenz(data)
        assert f"Gini = {gini(values):.2f}" in legend_texts(ax)[-1]
    plt.close("all")


def test_lorenz_twice_on_one_axis_compares_curves_with_one_diagonal():
    ax = plot_lorenz([1, 1, 1, 1], label="均匀 even")
    plot_lorenz([0, 0, 1, 3, 0], label="集中 concentrated", ax=ax)
    assert len(lines_labelled(ax, "equality")) == 1
    assert legend_texts(ax)[1:] == ["均匀 even (基尼系数 Gini = 0.00)",
                                    "集中 concentrated (基尼系数 Gini = 0.70)"]
    # sorted 0, 0, 0, 1, 3 with weights 2i - n - 1 = -4, -2, 0, 2, 4: (2 + 12) / (5 * 4) = 0.70


def test_lorenz_refuses_wrong_input():
    with pytest.raises(ValueError, match=r'"value_share" is not in `data`.*lorenz'):
        plot_lorenz(pd.DataFrame({"customer_share": [0.0, 1.0]}))
    with pytest.raises(ValueError, match="rise from 0 to 1"):
        plot_lorenz(pd.DataFrame({"customer_share": [1.0, 0.0], "value_share": [0.0, 1.0]}))
    with pytest.raises(ValueError, match="negative"):
        plot_lorenz([3, -1])


# ---------------------------------------------------------------- whale
SHIPMENTS = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
                          "revenue": [60.0, 40.0, 50.0, 30.0, 20.0],
                          "cost": [20.0, 20.0, 30.0, 40.0, 25.0]})   # profits 60, 20, -10, -5


def test_whale_curve_peak_and_loss_makers():
    ax = drawn(plot_whale(customer_profitability(SHIPMENTS)))
    curve = lines_labelled(ax, "累计利润占比")[0]
    # total profit 65: 60/65, 80/65, 75/65, 65/65
    np.testing.assert_allclose(curve.get_ydata(), [0, 60 / 65, 80 / 65, 75 / 65, 1.0])
    peak = lines_labelled(ax, "峰值")[0]
    assert peak.get_xdata()[0] == 0.5 and peak.get_ydata()[0] == pytest.approx(80 / 65)
    assert "峰值 peak: 前 top 50% 客户 → 123% 利润 profit" in legend_texts(ax)
    losers = ax.patches[0]
    assert (losers.get_x(), losers.get_x() + losers.get_width()) == (0.5, 1.0)
    assert lines_labelled(ax, "total profit")[0].get_ydata()[0] == 1.0


def test_whale_refuses_wrong_input():
    prof = customer_profitability(SHIPMENTS)
    with pytest.raises(ValueError, match=r'"cum_profit_share" is not in.*customer_profitability'):
        plot_whale(prof.drop(columns="cum_profit_share"))
    with pytest.raises(ValueError, match="most profitable first"):
        plot_whale(prof.iloc[::-1])


# ---------------------------------------------------------------- tiers
PROFIT = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3], index=list("abcdefghij"))


def test_tiers_bars_and_textbook_markers():
    tiers = tier_table(PROFIT)
    ax = drawn(plot_tiers(tiers))
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights[:3], [0.1, 0.1, 0.8])          # 1, 1, 8 of 10 customers
    np.testing.assert_allclose(heights[3:], tiers["profit_share"])    # 500/653, 90/653, 63/653
    markers = [line.get_ydata().tolist() for line in ax.get_lines()]
    assert markers == [[0.05, 0.15, 0.80], [0.80, 0.15, 0.05]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["关键客户\nkey", "合适客户\nsuitable",
                                                            "一般客户\ngeneral"]
    assert "表1-1 教材值 textbook" in legend_texts(ax)


def test_tiers_refuses_a_profit_series():
    with pytest.raises(TypeError, match="tier_table"):
        plot_tiers(PROFIT)
    with pytest.raises(ValueError, match='"textbook_profit_share" is not in `tiers`'):
        plot_tiers(tier_table(PROFIT).drop(columns="textbook_profit_share"))


# ---------------------------------------------------------------- four-type grids
GROWTH = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
                       "market_growth": [0.1, 0.2, -0.1, -0.3]}, index=list("abcd"))


def test_growth_matrix_scatter_crosshairs_and_quadrant_names():
    ax = drawn(plot_customer_matrix(growth_matrix(GROWTH, customer_min=0, market_min=0)))
    # one customer per type, in the order of GROWTH_TYPES
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 1, 1, 1]
    assert ax.collections[0].get_offsets().tolist() == [[0.3, 0.1]]      # a: 重点培养
    vertical = [line for line in ax.get_lines() if line.get_xdata()[0] == line.get_xdata()[1]]
    # between the highest low (-0.1) and the lowest high (0.2) customer growth; same for market
    assert vertical[0].get_xdata()[0] == pytest.approx(0.05)
    texts = [t.get_text() for t in ax.texts]
    assert set(texts) == {"重点培养\ncultivate (star)", "谨慎发展\ndevelop with care",
                          "调整\nadjust (ageing)", "淘汰\neliminate"}


def test_growth_matrix_crosshairs_can_be_set_and_cope_with_one_sided_flags():
    ax = plot_customer_matrix(growth_matrix(GROWTH, customer_min=-1, market_min=1), x_cut=0,
                              y_cut=0.5)
    assert [line.get_xdata()[0] for line in ax.get_lines()][0] == 0
    ax = plot_customer_matrix(growth_matrix(GROWTH, customer_min=-1, market_min=1))
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    ys = [line.get_ydata()[0] for line in ax.get_lines()]
    assert xs[0] == -0.4 and ys[1] == 0.2      # all high: at the lowest; none high: the highest


def test_loyalty_credit_matrix_jitters_ratings_the_same_way_every_time():
    customers = pd.DataFrame({"credit_rating": ["AAA", "AA", "B", "C", "A", "A"],
                              "loyalty_score": [0.9, 0.2, 0.8, 0.1, 0.5, 0.6]})
    table = loyalty_credit_matrix(customers, credit_min="A", loyalty_min=0.5)
    first = plot_customer_matrix(table)
    second = plot_customer_matrix(table)
    pts = np.concatenate([c.get_offsets() for c in first.collections])
    assert np.array_equal(pts, np.concatenate([c.get_offsets() for c in second.collections]))
    golden = first.collections[0].get_offsets()           # AAA 0.9, A 0.5, A 0.6
    assert np.all(np.abs(golden[:, 0] - [5, 3, 3]) <= 0.15)
    ticks = {int(t.get_position()[0]): t.get_text() for t in first.get_xticklabels()}
    assert ticks == {1: "C", 2: "B", 3: "A", 4: "AA", 5: "AAA"}
    assert first.get_title() == "客户忠诚度 × 信用 · Loyalty–credit matrix"
    drawn(first)


def test_customer_matrix_refuses_other_tables():
    with pytest.raises(ValueError, match=r'"customer_high, market_high, type" are not in.*growth_'):
        plot_customer_matrix(GROWTH)


# ---------------------------------------------------------------- stage transitions
def _transitions(values):
    return pd.DataFrame(values, index=pd.Index(STAGES, name="from_stage"),
                        columns=pd.Index(STAGES, name="to_stage"))


def test_stage_heatmap_counts_diagonal_and_labels():
    counts = np.zeros((5, 5), dtype=int)
    counts[2, 3], counts[4, 3], counts[3, 3] = 3, 1, 7
    ax = drawn(plot_stage_transitions(_transitions(counts)))
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == 25 and cells[2 * 5 + 3] == "3" and cells[3 * 5 + 3] == "7"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "陌生人 stranger"
    assert [t.get_text() for t in ax.get_xticklabels()][4] == "忠诚者\nloyal"
    outlined = [p for p in ax.patches if not p.get_fill()]
    assert [(p.get_x(), p.get_y()) for p in outlined] == [(i, i) for i in range(5)]


def test_stage_heatmap_shows_row_shares_as_percent():
    shares = np.full((5, 5), np.nan)
    shares[2] = [0, 0, 0.25, 0.75, 0]
    ax = plot_stage_transitions(_transitions(shares))
    assert {"25%", "75%"} <= {t.get_text() for t in ax.texts}


def test_stage_heatmap_refuses_wrong_input():
    with pytest.raises(TypeError, match="stage_transitions"):
        plot_stage_transitions(np.zeros((5, 5)))
    with pytest.raises(TypeError, match="must hold numbers"):
        plot_stage_transitions(_transitions([["x"] * 5] * 5))


# ---------------------------------------------------------------- IPA
IPA = ipa({"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3},
          {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5})


def test_ipa_points_crosshairs_and_quadrants():
    ax = drawn(plot_ipa(IPA))
    pts = ax.collections[0].get_offsets().tolist()
    assert pts == [[4.0, 0.4], [6.0, 0.1], [6.5, 0.3]]            # x = performance, y = importance
    assert [to_hex(c) for c in ax.collections[0].get_facecolors()] == [BAD, "#e7a33e", GOOD]
    v, h = ax.get_lines()
    assert v.get_xdata()[0] == pytest.approx(16.5 / 3)            # mean performance
    assert h.get_ydata()[0] == pytest.approx(0.8 / 3)             # mean importance
    texts = [t.get_text() for t in ax.texts]
    assert {"重点改进\nconcentrate here", "继续保持\nkeep up the good work", "低优先\nlow priority",
            "过度投入\npossible overkill"} <= set(texts)
    assert "可靠性 reliability" in texts


def test_ipa_custom_crosshairs_and_errors():
    ax = plot_ipa(IPA, importance_cut=0.2, performance_cut=5)
    assert [ax.get_lines()[0].get_xdata()[0], ax.get_lines()[1].get_ydata()[0]] == [5, 0.2]
    with pytest.raises(ValueError, match=r'"performance" is not in `data`.*satisfaction.ipa'):
        plot_ipa(IPA.drop(columns="performance"))


# ---------------------------------------------------------------- SERVQUAL gaps
SURVEYS = pd.DataFrame({"exp_reliability_1": [7, 6], "per_reliability_1": [5, 4],
                        "exp_reliability_2": [6, 6], "per_reliability_2": [6, 5],
                        "exp_empathy_1": [5, 4], "per_empathy_1": [6, 5]})


def test_servqual_gap_bars_red_below_zero_green_above():
    ax = drawn(plot_servqual_gaps(servqual_gaps(SURVEYS)))   # reliability -1.25, empathy +1.00
    assert [p.get_width() for p in ax.patches] == [-1.25, 1.0]
    assert hexes(ax.patches) == [BAD, GOOD]
    assert yticks_top_down(ax) == ["可靠性 reliability", "移情性 empathy"]   # first on top
    assert ax.get_lines()[0].get_xdata()[0] == 0                 # zero line
    assert ["-1.25", "+1.00"] == [t.get_text() for t in ax.texts]


def test_servqual_gaps_per_item_and_errors():
    ax = plot_servqual_gaps(servqual_gaps(SURVEYS).items)
    assert len(ax.patches) == 3
    assert yticks_top_down(ax) == ["reliability_1", "reliability_2", "empathy_1"]
    with pytest.raises(ValueError, match=r'"gap" is not in `gaps`'):
        plot_servqual_gaps(pd.DataFrame({"expectation": [5.0]}))
    with pytest.raises(ValueError, match="missing"):
        plot_servqual_gaps(pd.DataFrame({"gap": [0.5, np.nan]}))


# ---------------------------------------------------------------- NPS
def test_nps_histogram_coloured_by_group():
    ax = drawn(plot_nps([10, 9, 9, 8, 7, 6, 3, 10]))      # NPS = 100 * (4 - 2) / 8 = +25
    heights = dict(zip(range(11), [p.get_height() for p in ax.patches]))
    assert heights == {0: 0, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 1, 7: 1, 8: 1, 9: 2, 10: 2}
    colours = hexes(ax.patches)
    assert colours[:7] == [BAD] * 7 and colours[9:] == [GOOD] * 2 and colours[7] not in (BAD, GOOD)
    assert ax.get_title() == "NPS 净推荐值 = +25"
    assert legend_texts(ax) == ["贬损者 detractors 0-6: 25%", "被动者 passives 7-8: 25%",
                                "推荐者 promoters 9-10: 50%"]


def test_nps_from_the_survey_table_and_errors():
    ax = plot_nps(pd.DataFrame({"recommend": [0, 0, 10]}))
    assert ax.get_title() == "NPS 净推荐值 = -33"
    with pytest.raises(ValueError, match='"score" is not in'):
        plot_nps(pd.DataFrame({"recommend": [5]}), score="score")
    with pytest.raises(ValueError, match="between 0 and 10"):
        plot_nps([3, 11])


# ---------------------------------------------------------------- p chart
def test_p_chart_limits_as_steps_and_out_of_control_points():
    chart = p_chart([8, 10, 12, 30], [100, 100, 100, 100],)   # p-bar 0.15, UCL 0.2571
    chart.index = pd.period_range("2025-01", periods=4, freq="M")
    ax = drawn(plot_p_chart(chart))
    assert ax.collections[0].get_offsets().tolist() == [[3.0, 0.3]]
    steps = {p.get_label(): p for p in ax.patches if isinstance(p, StepPatch)}
    np.testing.assert_allclose(steps["控制上限 UCL"].get_data().values, chart["ucl"])
    np.testing.assert_allclose(steps["控制下限 LCL"].get_data().values, chart["lcl"])
    assert "中心线 centre line 15.0%" in steps
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-01", "2025-02", "2025-03",
                                                            "2025-04"]
    assert "失控点 out of control (1)" in legend_texts(ax)


def test_p_chart_in_control_and_errors():
    ax = plot_p_chart(p_chart([10, 10, 10], [100, 100, 100]), title="延误率 late rate")
    assert len(ax.collections[0].get_offsets()) == 0 and ax.get_title() == "延误率 late rate"
    with pytest.raises(ValueError, match=r'"ucl" is not in `chart`.*p_chart'):
        plot_p_chart(p_chart([1, 2], [10, 10]).drop(columns="ucl"))


# ---------------------------------------------------------------- KPI dashboard
BOARD = pd.DataFrame({"orders": [40, 50], "on_time_rate": [0.9, 0.95], "otif_rate": [0.85, 0.9],
                      "perfect_order_rate": [0.8, 0.82]},
                     index=pd.period_range("2025-01", periods=2, freq="M"))


def test_kpi_dashboard_lines_and_target():
    ax = drawn(plot_kpi_dashboard(BOARD, target=0.95))
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["准时率 on time", "准时足量率 OTIF", "完美订单率 perfect order", "目标 target 95%"]
    assert ax.get_lines()[1].get_ydata().tolist() == [0.85, 0.9]
    assert ax.get_lines()[3].get_ydata()[0] == 0.95
    one = plot_kpi_dashboard(BOARD, kpis="otif_rate")
    assert len(one.get_lines()) == 1


def test_kpi_dashboard_errors():
    with pytest.raises(ValueError, match='"fill_rate" is not in `dashboard`'):
        plot_kpi_dashboard(BOARD, kpis=["fill_rate"])
    with pytest.raises(ValueError, match="`kpis` is empty"):
        plot_kpi_dashboard(BOARD, kpis=[])
    with pytest.raises(ValueError, match="percentage"):
        plot_kpi_dashboard(BOARD, target=95)


# ---------------------------------------------------------------- staffing
def test_service_level_curve_target_and_agents_needed():
    ax = drawn(plot_service_level(360, 100))   # A = 10 Erlangs; 12 agents 69.9 %, 13 give 84.3 %
    curve = ax.get_lines()[0]
    assert curve.get_xdata().tolist() == list(range(9, 18))
    np.testing.assert_allclose(curve.get_ydata(), [service_level(360, 100, n, 20)
                                                   for n in range(9, 18)])
    assert lines_labelled(ax, "target")[0].get_ydata()[0] == 0.8
    assert lines_labelled(ax, "needed")[0].get_xdata()[0] == 13


def test_service_level_with_chosen_agents_and_errors():
    ax = plot_service_level(360, 100, agents=range(14, 17), target=0.9, answer_within_s=30)
    assert ax.get_lines()[0].get_xdata().tolist() == [14, 15, 16]
    assert not lines_labelled(ax, "needed") or lines_labelled(ax, "needed")[0].get_xdata()[0] >= 14
    with pytest.raises(TypeError, match="whole numbers of agents"):
        plot_service_level(360, 100, agents=[10.5, 11.5])
    with pytest.raises(ValueError, match="agents"):
        plot_service_level(360, 100, agents=[-1, 3])
    with pytest.raises(ValueError, match="target"):
        plot_service_level(360, 100, target=80)


def test_staffing_plan_bars_and_arrivals():
    log = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-11-03 09:10", "2025-11-03 09:40",
                                                      "2025-11-04 09:05", "2025-11-04 14:00"]),
                        "handle_s": [300.0, 180.0, 240.0, 0.0],
                        "abandoned": [False, False, False, True]})
    plan = staffing_plan(log)
    ax = drawn(plot_staffing_plan(plan))
    assert [p.get_height() for p in ax.patches] == plan["agents"].tolist()
    assert len(ax.patches) == 24
    arrivals = twin_of(ax).get_lines()[0]
    assert arrivals.get_ydata()[9] == 1.5                       # 3 calls over 2 days
    assert legend_texts(ax) == ["所需坐席 agents needed", "来电量 calls per hour"]
    scheduled = plot_staffing_plan(plan.assign(scheduled_agents=plan["agents"] * 2),
                                   agents="scheduled_agents")
    assert scheduled.patches[9].get_height() == 2 * plan.loc[9, "agents"]
    with pytest.raises(ValueError, match="scheduled_agents"):
        plot_staffing_plan(plan, agents="staff")
    with pytest.raises(ValueError, match='"calls_per_hour" is not in `plan`'):
        plot_staffing_plan(plan.drop(columns="calls_per_hour"))


# ---------------------------------------------------------------- complaint causes
CAUSES = pd.Series(["延误", "货损", "延误", "账单错误", "延误"], name="cause")


def test_cause_pareto_bars_vital_few_and_cumulative_line():
    ax = drawn(plot_cause_pareto(pareto(CAUSES)))   # 延误 3 (60 %), 账单错误 1 (80 %), 货损 1
    assert [p.get_height() for p in ax.patches] == [3, 1, 1]
    assert hexes(ax.patches) == [CLASS_COLORS["A"], CLASS_COLORS["A"], "#9aa5b1"]
    twin = twin_of(ax)
    np.testing.assert_allclose(lines_labelled(twin, "累计")[0].get_ydata(), [0.6, 0.8, 1.0])
    assert lines_labelled(twin, "vital few")[0].get_ydata()[0] == 0.8
    assert ax.get_xlabel() == "原因 cause" and ax.get_ylabel() == "投诉数 complaints"


def test_cause_pareto_by_amount_and_errors():
    data = pd.DataFrame({"cause": ["延误", "货损", "货损"], "claim_amount": [100.0, 50.0, 900.0]})
    ax = plot_cause_pareto(pareto(data, value="claim_amount"))
    assert [p.get_height() for p in ax.patches] == [950.0, 100.0]
    assert ax.get_ylabel() == "金额 amount"
    with pytest.raises(ValueError, match=r'"vital_few" is not in `pareto`.*complaints.pareto'):
        plot_cause_pareto(pareto(CAUSES).drop(columns="vital_few"))
    with pytest.raises(ValueError, match="cutoff"):
        plot_cause_pareto(pareto(CAUSES), cutoff=1.5)


# ---------------------------------------------------------------- every chart
def test_every_chart_draws_on_a_given_axis_and_returns_it():
    fig, axes = plt.subplots(2, 2)
    targets = axes.ravel()
    assert plot_pareto(REVENUE, ax=targets[0]) is targets[0]
    assert plot_nps([1, 9], ax=targets[1]) is targets[1]
    assert plot_tiers(tier_table(PROFIT), ax=targets[2]) is targets[2]
    assert plot_ipa(IPA, ax=targets[3]) is targets[3]
    fig.canvas.draw()


def test_every_public_chart_is_exported():
    charts = [name for name in plotting.__all__ if name.startswith("plot_")]
    assert len(charts) == 26 and all(callable(getattr(plotting, name)) for name in charts)



# ---------------------------------------------------------------- cut-offs are given, never hidden
# (bar charts below invert the y axis, so their tick labels are listed top-down as they are)
def test_ipa_crosshairs_come_from_the_ipa_result():
    fixed = ipa({"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3},
                {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5},
                importance_cut=0.35, performance_cut=5)
    with pytest.warns(UserWarning, match="cut at other values"):
        plot_ipa(fixed)                     # the means are not where ipa cut: say so
    ax = drawn(plot_ipa(fixed, importance_cut=0.35, performance_cut=5))
    v, h = ax.get_lines()
    assert (v.get_xdata()[0], h.get_ydata()[0]) == (5.0, 0.35)
    # tangibles (0.3 < 0.35, 6.5 >= 5) is drawn in the overkill colour, as ipa classed it
    assert to_hex(ax.collections[0].get_facecolors()[2]) == "#e7a33e"
    assert plot_ipa(IPA).get_lines()[0].get_xdata()[0] == pytest.approx(16.5 / 3)
    with pytest.raises(TypeError, match="`importance_cut` must be a number"):
        plot_ipa(IPA, importance_cut="high")


def test_pareto_cutoffs_are_given_and_checked_against_the_classes():
    ax = plot_pareto(abc_classify(REVENUE, (0.7, 0.9)), cutoffs=(0.7, 0.9))
    assert [line.get_ydata()[0] for line in lines_labelled(twin_of(ax), "cut-off")] == [0.7, 0.9]
    shipments = pd.DataFrame({"customer_id": list("pqrs"), "revenue": [8, 60, 7, 25]})
    with pytest.warns(UserWarning, match="not made with cutoffs=\\(0.8, 0.95\\)"):
        plot_pareto(abc_table(shipments, value="revenue", cutoffs=(0.6, 0.9)))
    ax = plot_pareto(abc_table(shipments, value="revenue", cutoffs=(0.6, 0.9)), cutoffs=(0.6, 0.9))
    assert [line.get_ydata()[0] for line in lines_labelled(twin_of(ax), "cut-off")] == [0.6, 0.9]
    with pytest.warns(UserWarning, match="not made with"):               # caller wins, warned
        ax = plot_pareto(abc_classify(REVENUE, (0.7, 0.9)), cutoffs=(0.5, 0.99))
    assert [line.get_ydata()[0] for line in lines_labelled(twin_of(ax), "cut-off")] == [0.5, 0.99]


# ---------------------------------------------------------------- u chart
def test_u_chart_limits_out_of_control_and_plain_axis():
    # ū = 18 / 4000 = 4.5 per 1,000; month 4 (12 per 1,000) above its UCL 10.86
    chart = u_chart([2, 3, 1, 12], [1000, 1500, 500, 1000], per=1000)
    chart.index = pd.period_range("2025-01", periods=4, freq="M")
    ax = drawn(plot_u_chart(chart, ylabel="每千单投诉 per 1,000 shipments"))
    assert ax.collections[0].get_offsets().tolist() == [[3.0, 12.0]]
    steps = {p.get_label(): p for p in ax.patches if isinstance(p, StepPatch)}
    np.testing.assert_allclose(steps["控制上限 UCL"].get_data().values, chart["ucl"])
    assert "中心线 centre line 4.5" in steps
    assert ax.get_ylabel() == "每千单投诉 per 1,000 shipments"
    assert "%" not in ax.yaxis.get_major_formatter()(0.5)            # counts, not a percentage
    with pytest.raises(ValueError, match=r'"u" is not in `chart`.*u_chart'):
        plot_u_chart(p_chart([1, 2], [10, 10]))


# ---------------------------------------------------------------- KPI by group
KPIS = pd.DataFrame({"orders": [50, 30, 20], "on_time_rate": [0.97, 0.93, 0.88],
                     "damage_rate": [0.001, 0.004, 0.02]},
                    index=pd.Index(["战略", "标准", "基础"], name="contract_tier"))


def test_kpi_by_group_marks_groups_off_target():
    ax = drawn(plot_kpi_by_group(KPIS, kpi="on_time_rate", target=0.95, overall=0.94))
    on, off = ax.collections
    assert on.get_offsets().tolist() == [[0.0, 0.97]]
    assert off.get_offsets().tolist() == [[1.0, 0.93], [2.0, 0.88]]   # below the target
    assert to_hex(off.get_facecolors()[0]) == BAD
    assert [t.get_text() for t in ax.get_xticklabels()] == ["战略", "标准", "基础"]
    assert {"目标 target 95.0%", "全部 overall 94.0%", "未达目标 off target (2)"} <= set(
        legend_texts(ax))
    assert all(len(set(line.get_ydata())) == 1 for line in ax.get_lines())   # no trend line
    # damage: less is better, so the group *above* 0.5 % misses the target
    ax = plot_kpi_by_group(KPIS, kpi="damage_rate", target=0.005)
    assert ax.collections[-1].get_offsets().tolist() == [[2.0, 0.02]]


def test_kpi_by_group_over_months_draws_a_line_and_reads_overall_from_a_series():
    ships = pd.DataFrame({"order_date": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-02-02",
                                                        "2025-03-09"]),
                          "on_time": [True, False, True, True], "in_full": [True] * 4})
    cols = dict(damaged=None, lost=None, doc_error=None, items_ordered=None,
                items_delivered=None)
    by_month = service_kpis(ships, by="month", **cols)
    ax = drawn(plot_kpi_by_group(by_month, kpi="otif_rate", overall=service_kpis(ships, **cols)))
    trend = [line for line in ax.get_lines() if len(line.get_xdata()) == 3]
    np.testing.assert_allclose(trend[0].get_ydata(), [0.5, 1.0, 1.0])
    assert "全部 overall 75.0%" in legend_texts(ax)
    assert ax.get_title() == "准时足量率 OTIF · 分组 by month"


def test_kpi_by_group_two_keys_and_complaint_rate():
    two = pd.DataFrame({"complaint_rate": [2.5, 4.0]},
                       index=pd.MultiIndex.from_tuples([("零担", "2025-01"), ("快递", "2025-01")],
                                                       names=["service", "month"]))
    ax = drawn(plot_kpi_by_group(two, kpi="complaint_rate", target=3))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["零担 · 2025-01", "快递 · 2025-01"]
    assert ax.get_title().endswith("by service × month")
    assert "目标 target 3" in legend_texts(ax)


def test_kpi_by_group_errors():
    with pytest.raises(ValueError, match='"otif_rate" is not in `kpis`'):
        plot_kpi_by_group(KPIS, kpi="otif_rate")
    with pytest.raises(TypeError, match="`kpi` must be one column"):
        plot_kpi_by_group(KPIS, kpi=["on_time_rate"])
    with pytest.raises(ValueError, match="`target` must be a fraction"):
        plot_kpi_by_group(KPIS, target=95)
    with pytest.raises(ValueError, match="`overall` has no entry"):
        plot_kpi_by_group(KPIS, overall=pd.Series({"orders": 3}))
    with pytest.raises(TypeError, match="`kpis` must be a pandas DataFrame"):
        plot_kpi_by_group(KPIS["on_time_rate"])


# ---------------------------------------------------------------- satisfaction trap
TRAP_SURVEYS = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
                             "churned": [True, False, False, False, True, True, True, False]})


def test_trap_bars_and_the_reichheld_band():
    ax = drawn(plot_satisfaction_trap(satisfaction_trap(TRAP_SURVEYS, satisfied_min=6)))
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.6)]
    # >= 6: left | satisfied 2/5, left | not satisfied 2/3, satisfied | left 2/4
    np.testing.assert_allclose([p.get_width() for p in bars], [0.4, 2 / 3, 0.5])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["P(流失 | 满意) left | satisfied",
                                   "P(流失 | 不满意) left | not satisfied",
                                   "P(满意 | 流失) satisfied | left"]
    band = [p for p in ax.patches if p not in bars][0]
    assert (band.get_x(), band.get_x() + band.get_width()) == pytest.approx((0.65, 0.85))
    assert ax.get_title() == "满意陷阱 · Satisfaction trap (满意 satisfied = ≥ 6)"
    assert [t.get_text() for t in ax.texts] == ["40%", "67%", "50%"]


def test_trap_by_threshold_groups_bars_and_leaves_empty_groups_blank():
    curve = trap_curve(TRAP_SURVEYS, thresholds=[5, 7, 8], likert=(1, 8))
    ax = drawn(plot_satisfaction_trap(curve, shares=["satisfied_who_left", "all_who_left"]))
    heights = [p.get_height() for p in ax.containers[0]]           # left | satisfied per threshold
    np.testing.assert_allclose(heights, [2 / 6, 1.0, np.nan])      # nobody answered 8
    assert [t.get_text() for t in ax.get_xticklabels()] == ["≥ 5", "≥ 7", "≥ 8"]
    assert "" in [t.get_text() for t in ax.texts]                    # no "nan%" label
    band = [p for p in ax.patches if p.get_y() == pytest.approx(0.65)][0]
    assert band.get_height() == pytest.approx(0.20)


def test_trap_chart_errors():
    trap = satisfaction_trap(TRAP_SURVEYS)
    with pytest.raises(ValueError, match="`shares` must come from"):
        plot_satisfaction_trap(trap, shares=["churn"])
    with pytest.raises(ValueError, match="`shares` is empty"):
        plot_satisfaction_trap(trap, shares=[])
    with pytest.raises(ValueError, match='"satisfied_who_left" are not in `trap`'):
        plot_satisfaction_trap(trap.drop("satisfied_who_left"))
    with pytest.raises(ValueError, match='"satisfied_who_left" is not in `trap`'):
        plot_satisfaction_trap(trap_curve(TRAP_SURVEYS).drop(columns="satisfied_who_left"))
    ax = plot_satisfaction_trap(satisfaction_trap(TRAP_SURVEYS).rename(None).copy(),
                                shares="all_who_left")
    assert len(ax.containers[0]) == 1


# ---------------------------------------------------------------- reliability
ALPHA = pd.DataFrame({"items": [4, 4, 1], "alpha": [0.82, 0.55, np.nan]},
                     index=pd.Index(["reliability", "empathy", "tangibles"], name="dimension"))


def test_alpha_bars_coloured_against_the_070_line():
    ax = drawn(plot_alpha(ALPHA))
    np.testing.assert_allclose([p.get_width() for p in ax.patches], [0.82, 0.55, 0.0])
    assert hexes(ax.patches)[:2] == [GOOD, BAD]
    assert [t.get_text() for t in ax.texts] == ["0.82", "0.55", "n/a"]
    assert ax.get_lines()[0].get_xdata()[0] == 0.70
    assert [t.get_text() for t in ax.get_yticklabels()] == ["可靠性 reliability", "移情性 empathy",
                                                            "有形性 tangibles"]


def test_alpha_compares_several_results_and_shows_negative_alpha():
    exp = pd.DataFrame({"alpha": [-0.2, 0.9]}, index=["empathy", "reliability"])
    ax = drawn(plot_alpha({"感知 perception": ALPHA, "期望 expectation": exp}))
    assert len(ax.patches) == 6
    assert {"感知 perception", "期望 expectation"} <= set(legend_texts(ax))
    assert ax.get_xlim()[0] < -0.2
    with pytest.raises(ValueError, match="empty dict"):
        plot_alpha({})
    with pytest.raises(ValueError, match='"alpha" is not in `alpha`'):
        plot_alpha(ALPHA.drop(columns="alpha"))
    with pytest.raises(TypeError, match="must hold numbers"):
        plot_alpha({"x": ALPHA.assign(alpha="high")})


# ---------------------------------------------------------------- drivers
DRIVERS = pd.DataFrame({"beta": [0.6, 0.3, -0.1]},
                       index=pd.Index(["reliability", "assurance", "empathy"], name="driver"))


def test_driver_betas_alone():
    ax = drawn(plot_drivers(Drivers(DRIVERS, 0.64)))
    np.testing.assert_allclose([p.get_width() for p in ax.patches], [0.6, 0.3, -0.1])
    assert hexes(ax.patches) == [GOOD, GOOD, BAD]
    assert ax.get_title() == "满意度驱动因素 · Drivers of overall satisfaction (R² = 0.64)"
    # the bare table draws the same bars, without the fit in the title
    assert drawn(plot_drivers(DRIVERS)).get_title() == "满意度驱动因素 · Drivers of overall satisfaction"


def test_drivers_against_stated_weights_as_shares():
    stated = pd.Series({"reliability": 20.0, "assurance": 30.0, "empathy": 50.0, "tangibles": 9})
    ax = drawn(plot_drivers(DRIVERS, weights=stated))
    widths = [p.get_width() for p in ax.patches]
    # derived |beta| / 1.0 = 0.6, 0.3, 0.1; stated 20/100, 30/100, 50/100 (tangibles ignored)
    np.testing.assert_allclose(widths, [0.6, 0.3, 0.1, 0.2, 0.3, 0.5])
    assert len(legend_texts(ax)) == 2
    with pytest.raises(ValueError, match="no weight for empathy"):
        plot_drivers(DRIVERS, weights={"reliability": 1, "assurance": 1})
    with pytest.raises(ValueError, match="negative"):
        plot_drivers(DRIVERS, weights={"reliability": 1, "assurance": 1, "empathy": -1})
    with pytest.raises(ValueError, match="add up to zero"):
        plot_drivers(DRIVERS, weights={"reliability": 0, "assurance": 0, "empathy": 0})
    with pytest.raises(ValueError, match="Every beta"):
        plot_drivers(DRIVERS.assign(beta=0.0), weights=stated)
    with pytest.raises(ValueError, match="missing"):
        plot_drivers(DRIVERS.assign(beta=[0.1, np.nan, 0.2]))


# ---------------------------------------------------------------- RFM
RFM = pd.DataFrame({"customer_id": list("abcdef"), "R": [5, 5, 4, 1, 1, 2], "F": [5, 4, 4, 1, 2, 1],
                    "monetary": [90_000.0, 30_000.0, 12_000.0, 500.0, 1600.0, 800.0],
                    "segment": ["重要价值客户", "重要价值客户", "重要价值客户", "一般挽留客户",
                                "一般挽留客户", "一般挽留客户"]})


def test_rfm_heatmap_means_in_wan_with_high_recency_on_top():
    ax = drawn(plot_rfm_heatmap(RFM))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["5", "4", "3", "2", "1"]
    texts = [t.get_text() for t in ax.texts]
    # rows top-down, 万元: R5 F4 3.0, F5 9.0; R4 F4 1.2; R2 F1 0.08; R1 F1 0.05, F2 0.16
    assert texts == ["3.0", "9.0", "1.2", "0.1", "0.1", "0.2"]
    assert ax.collections[0].colorbar.ax.get_ylabel() == "万元 10k yuan"
    count = drawn(plot_rfm_heatmap(RFM, agg="count"))
    assert sorted(t.get_text() for t in count.texts) == ["1"] * 6


def test_rfm_heatmap_small_values_and_errors():
    ax = plot_rfm_heatmap(RFM.assign(monetary=RFM["monetary"] / 1000))
    assert "90.0" in [t.get_text() for t in ax.texts]
    ax = plot_rfm_heatmap(RFM.assign(monetary=RFM["monetary"] / 1e5))
    assert "0.90" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match="`agg` must be one of"):
        plot_rfm_heatmap(RFM, agg="max")
    with pytest.raises(ValueError, match='"R" is not in `rfm_table`'):
        plot_rfm_heatmap(RFM.drop(columns="R"))
    with pytest.raises(ValueError, match="whole-number scores"):
        plot_rfm_heatmap(RFM.assign(R=0.5))


def test_rfm_segments_shares_and_counts():
    ax = drawn(plot_rfm_segments(RFM))
    customers = [p.get_width() for p in ax.containers[0]]
    revenue = [p.get_width() for p in ax.containers[1]]
    assert len(customers) == 8 and customers[0] == 0.5 and customers[7] == 0.5
    assert revenue[0] == pytest.approx(132_000 / 134_900)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "重要价值客户 important value (n=3)"
    from crmkit.value import segment_summary

    again = plot_rfm_segments(segment_summary(RFM))
    assert [p.get_width() for p in again.containers[1]] == revenue
    with pytest.raises(ValueError, match='"segment" is not in `rfm_table`'):
        plot_rfm_segments(RFM.drop(columns="segment"))


# ---------------------------------------------------------------- CLV
def test_clv_curve_marks_the_five_point_gain():
    ax = drawn(plot_clv_curve(1000))
    curve, gain = ax.get_lines()
    assert curve.get_xdata()[0] == 0.5 and curve.get_xdata()[-1] == 0.95
    assert curve.get_ydata()[0] == pytest.approx(1000 / (1 - 0.5 / 1.1))
    np.testing.assert_allclose(gain.get_xdata(), [0.80, 0.85])
    np.testing.assert_allclose(gain.get_ydata(), [1000 * 1.1 / 0.3, 1000 * 1.1 / 0.25])
    assert "+20%" in ax.get_title()


def test_clv_curve_options_and_errors():
    ax = plot_clv_curve(500, retention=[0.9, 0.6, 0.7], current=None, years=5, discount=0.0)
    curve, = ax.get_lines()
    np.testing.assert_allclose(curve.get_xdata(), [0.6, 0.7, 0.9])
    assert curve.get_ydata()[-1] == pytest.approx(500 * (1 - 0.9 ** 5) / 0.1)
    assert ax.get_title() == "客户终身价值与保持率 · CLV vs retention"
    ax = plot_clv_curve(500, current=0.5, uplift=0.1)
    assert "+10 个百分点" in ax.get_title()
    with pytest.raises(ValueError, match="at least two"):
        plot_clv_curve(500, retention=[0.8])
    with pytest.raises(ValueError, match="`current` must be a fraction"):
        plot_clv_curve(500, current=80)
    with pytest.raises(TypeError, match="`margin` must be a number"):
        plot_clv_curve("500")
    with pytest.raises(ValueError, match="`retention` must lie between 0 and 1"):
        plot_clv_curve(500, retention=[0.5, 1.2])


@settings(max_examples=15, deadline=None)
@given(st.floats(100, 1e5), st.floats(0.3, 0.9), st.floats(0.0, 0.3))
def test_clv_curve_rises_with_retention(margin, current, discount):
    ax = plot_clv_curve(margin, current=round(current, 2), discount=discount)
    curve, gain = ax.get_lines()
    assert (np.diff(curve.get_ydata()) > 0).all()
    assert gain.get_ydata()[1] > gain.get_ydata()[0]
    plt.close("all")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 7), st.booleans()), min_size=1, max_size=30))
def test_trap_chart_bars_are_the_method_shares(rows):
    surveys = pd.DataFrame(rows, columns=["overall", "churned"])
    curve = trap_curve(surveys)
    ax = plot_satisfaction_trap(curve)
    for container, share in zip(ax.containers, ["satisfied_who_left", "unsatisfied_who_left",
                                                "leavers_who_were_satisfied"]):
        np.testing.assert_allclose([p.get_height() for p in container], curve[share])
    plt.close("all")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.floats(0, 1))
def test_kpi_by_group_splits_groups_at_the_target(rates, target):
    kpis = pd.DataFrame({"otif_rate": rates}, index=[f"g{i}" for i in range(len(rates))])
    ax = plot_kpi_by_group(kpis, kpi="otif_rate", target=target)
    drawn_points = np.concatenate([c.get_offsets() for c in ax.collections])
    assert sorted(drawn_points[:, 1].tolist()) == sorted(rates)
    off = [c for c in ax.collections if to_hex(c.get_facecolors()[0]) == BAD]
    assert sum(len(c.get_offsets()) for c in off) == sum(r < target for r in rates)
    plt.close("all")


# ---- ch. 9: freight curve and cycle-count chart ----------------------------------------------

from crmkit.delivery import DEFAULT_TARIFF, SERVICES, count_check, freight  # noqa: E402
from crmkit.plotting import plot_count_check, plot_freight_curve  # noqa: E402


def test_freight_curve_lines_kinks_and_mark_by_hand():
    ax = drawn(plot_freight_curve(distance_km=500, mark=2000))
    curves = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert len(curves) == len(SERVICES) and ax.get_xscale() == ax.get_yscale() == "log"
    assert legend_texts(ax)[:2] == ["整车 FTL", "零担 LTL"]            # services first in the legend
    # LTL kink: minimum 100 = 50 + 0.9 × w/1000 × 500 → w = 50 / 0.45 = 111.1 kg
    kinks = {tuple(np.round(np.r_[line.get_xdata(), line.get_ydata()], 1))
             for line in ax.get_lines() if line.get_marker() == "o"}
    assert (111.1, 100.0) in kinks
    # FTL: (800 − 300) / (0.4 × 0.5) = 2500 kg
    assert (2500.0, 800.0) in kinks
    # the marked 2 t shipment on every line: LTL 50 + 0.9 × 2 × 500 = 950; FTL max(800, 300 + 400) = 800
    marks = sorted(y for _, y in ax.collections[0].get_offsets().tolist()) if len(ax.collections) == 1 \
        else sorted(c.get_offsets()[0][1] for c in ax.collections)
    expected = sorted(freight(2000, 500, service=s) for s in SERVICES)
    np.testing.assert_allclose(marks, expected)
    assert 950.0 in marks and 800.0 in marks


def test_freight_curve_one_service_shows_the_minimum_line():
    ax = drawn(plot_freight_curve("LTL", weights_kg=[10, 100, 1000], distance_km=100, mark=50))
    x, y = ax.get_lines()[0].get_data()
    # 10 and 100 kg stay at the minimum 100; 1 t: 50 + 0.9 × 1 × 100 = 140
    assert x.tolist() == [10, 100, 1000] and y.tolist() == [100.0, 100.0, 140.0]
    assert lines_labelled(ax, "最低收费 minimum charge")[0].get_ydata()[0] == 100.0
    assert "本票 this shipment: 100 元" in legend_texts(ax)
    # a flat tariff: one line named 运费 freight, no kink when the minimum ends outside the weights
    flat = {"rate_per_tkm": 1.0, "base_fee": 0.0, "minimum": 5000.0}
    ax2 = plot_freight_curve(tariff=flat, weights_kg=[1, 10], distance_km=10)
    assert ax2.get_lines()[0].get_label() == "运费 freight"
    assert not [line for line in ax2.get_lines() if line.get_marker() == "o"]
    # a list of services (English labels work too); no minimum line with several services
    ax3 = plot_freight_curve(["FTL", "快递"], distance_km=50)
    assert legend_texts(ax3) == ["FTL", "快递 express", "最低收费止点 minimum charge ends"]


def test_freight_curve_refuses_bad_input():
    with pytest.raises(ValueError, match="unknown label"):
        plot_freight_curve("空运")
    with pytest.raises(TypeError, match="`service`"):
        plot_freight_curve(5)
    with pytest.raises(ValueError, match="`weights_kg`"):
        plot_freight_curve(weights_kg=[0, 10])
    with pytest.raises(ValueError, match="`distance_km`"):
        plot_freight_curve(distance_km=-1)
    with pytest.raises(ValueError, match="`mark`"):
        plot_freight_curve(mark=0)
    with pytest.raises(ValueError, match="flat tariff"):
        plot_freight_curve("零担", tariff={"rate_per_tkm": 1.0, "base_fee": 0.0, "minimum": 1.0})


def test_count_check_chart_colours_follow_the_rule():
    book = pd.Series([120, 48, 300, 0, 500], index=["A01", "A02", "A03", "A04", "A05"])
    counted = pd.Series([120, 47, 306, 2, 495], index=book.index)
    ax = drawn(plot_count_check(count_check(book, counted, tolerance=0.02, relative=True),
                                tolerance=0.02, relative=True))
    # gaps 0, −1/48 (outside 2 %), +2 % (on the line: inside), book 0 (outside), −1 %
    assert hexes(ax.patches) == [GOOD, BAD, GOOD, BAD, GOOD]
    heights = [p.get_height() for p in ax.patches]
    assert heights[:3] == pytest.approx([0, -1 / 48, 0.02]) and heights[4] == pytest.approx(-0.01)
    # book 0: infinite gap drawn at the top, max(1.5 × tolerance, largest finite gap) = 0.03
    assert heights[3] == pytest.approx(0.03)
    assert sorted(line.get_ydata()[0] for line in ax.get_lines()) == pytest.approx([-0.02, 0, 0.02])
    assert ax.get_title().endswith("= 60.0%")
    assert "允差 tolerance ± 2.0%" in legend_texts(ax)
    # another tolerance recomputes the flags: 5 % → A02 inside, A04 still outside
    with pytest.warns(UserWarning, match="another tolerance"):
        ax2 = plot_count_check(count_check(book, counted, tolerance=0.02, relative=True),
                               tolerance=0.05, relative=True)
    assert hexes(ax2.patches) == [GOOD, GOOD, GOOD, BAD, GOOD]
    # units: bars are the gaps in units
    ax3 = plot_count_check(count_check(book, counted, tolerance=1), tolerance=1)
    assert [p.get_height() for p in ax3.patches] == [0, -1, 6, 2, -5]
    assert hexes(ax3.patches) == [GOOD, GOOD, BAD, BAD, BAD]


def test_count_check_chart_refuses_bad_input():
    with pytest.raises(ValueError, match="count_check"):
        plot_count_check(pd.DataFrame({"book": [1]}))
    with pytest.raises(TypeError, match="DataFrame"):
        plot_count_check([1, 2])
    with pytest.raises(ValueError, match="`tolerance`"):
        plot_count_check(pd.DataFrame({"book": [1], "counted": [1]}), tolerance=-1)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.integers(0, 500)), min_size=1, max_size=15),
       st.floats(0, 0.5))
def test_count_check_chart_agrees_with_inventory_accuracy(pairs, tol):
    book, counted = [b for b, _ in pairs], [c for _, c in pairs]
    detail = count_check(book, counted, tolerance=tol, relative=True)
    ax = plot_count_check(detail, tolerance=tol, relative=True)
    assert hexes(ax.patches).count(GOOD) == detail["accurate"].sum()
    np.testing.assert_allclose([p.get_height() for p in ax.patches], detail["relative_gap"])
    plt.close("all")
