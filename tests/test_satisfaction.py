"""Tests for crmkit.satisfaction (ch. 6): hand-worked alpha, gaps, NPS, index, IPA and trap."""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmkit.satisfaction import (
    ALPHA_ACCEPTABLE, IPA_QUADRANTS, NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, SERVQUAL_DIMENSIONS,
    SERVQUAL_DIMENSIONS_ZH, SERVQUAL_TEN_CRITERIA, alpha_by_dimension, cronbach_alpha,
    dimension_scores, drivers, importance_weights, ipa, nps, nps_breakdown, satisfaction_index,
    satisfaction_trap, servqual_gaps,
)
from crmkit.satisfaction import CHURN_HORIZON_DAYS, join_churn, trap_curve

likert = st.integers(1, 7)


def make_surveys(n=60, seed=0, items=2):
    """Small survey table in the contract's layout; overall driven mostly by reliability."""
    rng = np.random.default_rng(seed)
    data = {}
    latent = {d: rng.normal(0, 1, n) for d in SERVQUAL_DIMENSIONS}
    for d in SERVQUAL_DIMENSIONS:
        for k in range(1, items + 1):
            data[f"exp_{d}_{k}"] = np.clip(np.round(5.5 + rng.normal(0, 0.8, n)), 1, 7).astype(int)
            data[f"per_{d}_{k}"] = np.clip(np.round(4.5 + latent[d] + rng.normal(0, 0.5, n)),
                                           1, 7).astype(int)
    points = rng.dirichlet(np.ones(5), n) * 100
    for j, d in enumerate(SERVQUAL_DIMENSIONS):
        data[f"imp_{d}"] = points[:, j]
    overall = 4 + 1.2 * latent["reliability"] + 0.4 * latent["empathy"] + rng.normal(0, 0.5, n)
    data["overall"] = np.clip(np.round(overall), 1, 7).astype(int)
    data["recommend"] = rng.integers(0, 11, n)
    data["churned"] = rng.random(n) < 0.3
    return pd.DataFrame(data)


# ---------------------------------------------------------------- constants
def test_constants_match_the_sources():
    assert SERVQUAL_DIMENSIONS == ("tangibles", "reliability", "responsiveness", "assurance",
                                   "empathy")
    assert [SERVQUAL_DIMENSIONS_ZH[d] for d in SERVQUAL_DIMENSIONS] == \
        ["有形性", "可靠性", "响应性", "保证性", "移情性"]
    assert [c[0] for c in SERVQUAL_TEN_CRITERIA] == [
        "可感知性", "可靠性", "反应性", "胜任能力", "友爱", "可信性", "安全性", "易于接触", "易于沟通", "理解顾客"]
    assert {c[2] for c in SERVQUAL_TEN_CRITERIA} == set(SERVQUAL_DIMENSIONS)
    assert sum(c[2] == "assurance" for c in SERVQUAL_TEN_CRITERIA) == 4
    assert (NPS_PROMOTER_MIN, NPS_DETRACTOR_MAX, ALPHA_ACCEPTABLE) == (9, 6, 0.70)


# ---------------------------------------------------------------- Cronbach's alpha
def test_cronbach_alpha_by_hand():
    # item vars 1 and 7/3, totals 3, 5, 8 -> var 19/3; alpha = 2 * (1 - (10/3) / (19/3)) = 18/19
    items = pd.DataFrame({"q1": [1, 2, 3], "q2": [2, 3, 5]})
    assert cronbach_alpha(items) == pytest.approx(18 / 19)
    # two identical items: alpha = 2 * (1 - 2v / 4v) = 1
    assert cronbach_alpha(pd.DataFrame({"a": [1, 4, 6], "b": [1, 4, 6]})) == pytest.approx(1.0)
    # items that disagree: vars 1, 1; totals 4, 3, 5 -> var 1; alpha = 2 * (1 - 2) = -2
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [3, 1, 2]})) == pytest.approx(-2.0)


@pytest.mark.parametrize("items, exc, match", [
    (pd.DataFrame({"q1": [1, 2, 3]}), ValueError, "at least 2 items"),
    (pd.DataFrame({"q1": [1], "q2": [2]}), ValueError, "at least 2 respondents"),
    (pd.DataFrame({"q1": [1, 2, 3], "q2": [3, 2, 1]}), ValueError, "same total"),
    (pd.DataFrame({"q1": [1, 2, np.nan], "q2": [3, 2, 1]}), ValueError, "missing"),
    (pd.DataFrame({"q1": [1, 2, 9], "q2": [3, 2, 1]}), ValueError, "between 1 and 7"),
    (pd.DataFrame({"q1": ["a", "b"], "q2": [3, 2]}), TypeError, "numbers"),
    ([[1, 2], [3, 4]], TypeError, "DataFrame"),
    (pd.DataFrame(), ValueError, "empty"),
])
def test_cronbach_alpha_errors(items, exc, match):
    with pytest.raises(exc, match=match):
        cronbach_alpha(items)


def test_cronbach_alpha_scale_keyword():
    items = pd.DataFrame({"q1": [0, 5, 10], "q2": [1, 6, 9]})
    with pytest.raises(ValueError, match="between 1 and 7"):
        cronbach_alpha(items)
    assert cronbach_alpha(items, likert=(0, 10)) == cronbach_alpha(items, likert=None)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(likert, likert, likert), min_size=3, max_size=30), st.integers(0, 5))
def test_cronbach_alpha_properties(rows, shift):
    items = pd.DataFrame(rows, columns=["a", "b", "c"])
    assume(items.sum(axis=1).var() > 0)
    alpha = cronbach_alpha(items)
    assert alpha <= 1 + 1e-12
    assert cronbach_alpha(items[["c", "a", "b"]]) == pytest.approx(alpha)
    shifted = items.assign(a=items["a"] + shift)                 # a constant shift changes nothing
    assert cronbach_alpha(shifted, likert=None) == pytest.approx(alpha)


def test_alpha_by_dimension():
    surveys = make_surveys(80)
    out = alpha_by_dimension(surveys)
    assert out.index.tolist() == list(SERVQUAL_DIMENSIONS)
    rel = cronbach_alpha(surveys[["per_reliability_1", "per_reliability_2"]])
    assert out.loc["reliability", "alpha"] == pytest.approx(rel)
    assert (out["acceptable"] == (out["alpha"] >= 0.70)).all()
    single = alpha_by_dimension(pd.DataFrame({"per_empathy_1": [1, 2, 3]}))
    assert np.isnan(single.loc["empathy", "alpha"]) and not single.loc["empathy", "acceptable"]


# ---------------------------------------------------------------- SERVQUAL gaps
def hand_surveys():
    return pd.DataFrame({"exp_reliability_1": [7, 6], "per_reliability_1": [5, 4],
                         "exp_reliability_2": [6, 6], "per_reliability_2": [6, 5],
                         "exp_empathy_1": [5, 4], "per_empathy_1": [6, 5],
                         "exp_tangibles_1": [3, 5], "per_tangibles_1": [4, 4]})


def test_servqual_gaps_by_hand():
    gaps = servqual_gaps(hand_surveys())
    # SERVQUAL order: tangibles, reliability, empathy
    assert gaps.items.index.tolist() == ["tangibles_1", "reliability_1", "reliability_2",
                                         "empathy_1"]
    # reliability_1: per 4.5 - exp 6.5 = -2; reliability_2: 5.5 - 6 = -0.5
    assert gaps.items["gap"].tolist() == pytest.approx([0.0, -2.0, -0.5, 1.0])
    dims = gaps.dimensions
    assert dims.index.tolist() == ["tangibles", "reliability", "empathy"]
    assert dims.loc["reliability", "gap"] == pytest.approx(-1.25)
    assert dims.loc["reliability", "items"] == 2
    assert dims.loc["empathy", "dimension_zh"] == "移情性"


def test_servqual_gaps_explicit_frames():
    s = hand_surveys()
    exp = s[["exp_reliability_1", "exp_empathy_1"]].set_axis(["r1", "e1"], axis=1)
    per = s[["per_empathy_1", "per_reliability_1"]].set_axis(["e1", "r1"], axis=1)
    gaps = servqual_gaps(exp, per, dimensions={"r1": "reliability", "e1": "empathy"})
    assert gaps.dimensions["gap"].to_dict() == pytest.approx({"reliability": -2.0, "empathy": 1.0})
    # without a mapping: names like "speed_1" give dimension "speed", others stand alone
    exp2 = exp.set_axis(["speed_1", "price"], axis=1)
    per2 = per[["r1", "e1"]].set_axis(["speed_1", "price"], axis=1)
    assert servqual_gaps(exp2, per2).dimensions.index.tolist() == ["speed", "price"]


@pytest.mark.parametrize("call, exc, match", [
    (lambda s: servqual_gaps(s.drop(columns="per_empathy_1")), ValueError, "only one: empathy_1"),
    (lambda s: servqual_gaps(s[["exp_empathy_1"]].rename(columns=str.upper)), ValueError,
     "No item columns"),
    (lambda s: servqual_gaps(s.assign(per_empathy_1=[8, 5])), ValueError, "between 1 and 7"),
    (lambda s: servqual_gaps(s.assign(per_empathy_1=[np.nan, 5])), ValueError, "missing"),
    (lambda s: servqual_gaps(s[["exp_empathy_1"]], s[["per_empathy_1"]]), ValueError,
     "same item columns"),
    (lambda s: servqual_gaps(s[["exp_empathy_1"]], s[["exp_empathy_1"]].iloc[::-1]), ValueError,
     "same rows"),
    (lambda s: servqual_gaps(s[["exp_empathy_1"]], s[["exp_empathy_1"]], dimensions={"x": "y"}),
     ValueError, "no dimension for item"),
    (lambda s: servqual_gaps(s.values), TypeError, "DataFrame"),
])
def test_servqual_gaps_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call(hand_surveys())


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 40))
def test_servqual_gap_properties(seed, n):
    s = make_surveys(n, seed)
    gaps = servqual_gaps(s)
    items = gaps.items
    assert np.allclose(items["gap"], items["perception"] - items["expectation"])
    for dim, row in gaps.dimensions.iterrows():
        assert row["gap"] == pytest.approx(items.loc[items["dimension"] == dim, "gap"].mean())
    per_respondent = dimension_scores(s, kind="gap").mean()
    assert np.allclose(per_respondent[gaps.dimensions.index], gaps.dimensions["gap"])
    assert ((gaps.items["gap"] >= -6) & (gaps.items["gap"] <= 6)).all()
    same = s.copy()
    for col in [c for c in s.columns if c.startswith("per_")]:
        same[col] = s["exp_" + col[4:]]
    assert (servqual_gaps(same).dimensions["gap"] == 0).all()


def test_dimension_scores_by_hand():
    s = hand_surveys()
    per = dimension_scores(s)
    assert per.columns.tolist() == ["tangibles", "reliability", "empathy"]
    assert per["reliability"].tolist() == [5.5, 4.5]
    assert dimension_scores(s, kind="expectation")["reliability"].tolist() == [6.5, 6.0]
    assert dimension_scores(s, kind="gap")["reliability"].tolist() == [-1.0, -1.5]
    with pytest.raises(ValueError, match="must be one of"):
        dimension_scores(s, kind="gaps")


def test_importance_weights():
    s = pd.DataFrame({"imp_empathy": [20.0, 40.0], "imp_reliability": [80.0, 60.0]})
    w = importance_weights(s)
    assert w.index.tolist() == ["reliability", "empathy"]        # SERVQUAL order
    assert w.tolist() == pytest.approx([0.7, 0.3])
    with pytest.raises(ValueError, match="No importance columns"):
        importance_weights(s, prefix="weight")
    with pytest.raises(ValueError, match="negative"):
        importance_weights(s.assign(imp_empathy=[-1.0, 0.0]))
    with pytest.raises(ValueError, match="add up to zero"):
        importance_weights(s * 0)


# ---------------------------------------------------------------- NPS
def test_nps_by_hand():
    # promoters 10, 9, 9, 10 (4); detractors 6, 3 (2); n = 8 -> 100 * (4 - 2) / 8
    assert nps([10, 9, 9, 8, 7, 6, 3, 10]) == 25.0
    assert nps(pd.Series([10, 9])) == 100.0
    assert nps([0, 6]) == -100.0
    assert nps([7, 8]) == 0.0
    assert isinstance(nps([9]), float)


@pytest.mark.parametrize("scores, exc, match", [
    ([10, 11], ValueError, "between 0 and 10"),
    ([8.5, 9], ValueError, "whole numbers"),
    ([9, np.nan], ValueError, "missing"),
    ([], ValueError, "empty"),
    (["9", "10"], TypeError, "numbers"),
    (9, TypeError, "Series, list or array"),
])
def test_nps_errors(scores, exc, match):
    with pytest.raises(exc, match=match):
        nps(scores)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=50), st.data())
def test_nps_properties(scores, data):
    value = nps(scores)
    assert -100 <= value <= 100
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert value == pytest.approx(100 * (promoters - detractors) / len(scores))
    i = data.draw(st.integers(0, len(scores) - 1))
    raised = list(scores)
    raised[i] = min(10, raised[i] + 1)
    assert nps(raised) >= value                                  # more willing never lowers NPS


def test_nps_breakdown():
    df = pd.DataFrame({"recommend": [10, 9, 7, 3, 6, 10],
                       "tier": ["key", "key", "key", "general", "general", "general"]})
    out = nps_breakdown(df, by="tier")
    assert out.loc["key", "nps"] == pytest.approx(100 * 2 / 3)
    assert out.loc["general", "nps"] == pytest.approx(100 * (1 - 2) / 3)
    assert np.allclose(out[["promoters", "passives", "detractors"]].sum(axis=1), 1)
    overall = nps_breakdown(df)
    assert overall.name == "all" and overall["nps"] == pytest.approx(nps(df["recommend"]))
    with pytest.raises(ValueError, match="Available columns"):
        nps_breakdown(df, by="segment")


# ---------------------------------------------------------------- satisfaction index
def test_satisfaction_index_by_hand():
    scores = pd.DataFrame({"reliability": [7, 4, 1], "empathy": [1, 4, 7]})
    # weights 3:1 -> 0.75, 0.25; 7 -> 100, 4 -> 50, 1 -> 0
    out = satisfaction_index(scores, {"reliability": 3, "empathy": 1})
    assert out.tolist() == pytest.approx([75.0, 50.0, 25.0])
    assert satisfaction_index(scores).tolist() == pytest.approx([50.0, 50.0, 50.0])
    one = satisfaction_index(pd.Series({"reliability": 5.5, "empathy": 2.5}),
                             pd.Series({"empathy": 0.0, "reliability": 2.0}))
    assert one == pytest.approx(75.0)                            # (5.5 - 1) / 6 * 100
    ten = satisfaction_index(pd.DataFrame({"a": [10.0]}), likert=(0, 10))
    assert ten.iloc[0] == pytest.approx(100.0)


def test_satisfaction_index_from_survey_table():
    s = make_surveys(30)
    w = importance_weights(s)
    direct = satisfaction_index(s, w)
    via_scores = satisfaction_index(dimension_scores(s), w)
    assert np.allclose(direct, via_scores)
    assert direct.between(0, 100).all()


@pytest.mark.parametrize("weights, exc, match", [
    ({"reliability": 1}, ValueError, "missing: empathy"),
    ({"reliability": 1, "empathy": 1, "speed": 1}, ValueError, "unknown: speed"),
    ({"reliability": -1, "empathy": 2}, ValueError, "negative"),
    ({"reliability": 0, "empathy": 0}, ValueError, "add up to zero"),
])
def test_satisfaction_index_weight_errors(weights, exc, match):
    scores = pd.DataFrame({"reliability": [7, 4], "empathy": [1, 4]})
    with pytest.raises(exc, match=match):
        satisfaction_index(scores, weights)


def test_satisfaction_index_score_errors():
    with pytest.raises(ValueError, match="between 1.0 and 7.0"):
        satisfaction_index(pd.DataFrame({"reliability": [0, 4]}))
    with pytest.raises(TypeError, match=r"`likert` must be a \(low, high\) pair"):
        satisfaction_index(pd.DataFrame({"reliability": [1, 4]}), likert=7)
    with pytest.raises(ValueError, match="low to high"):
        satisfaction_index(pd.DataFrame({"reliability": [1, 4]}), likert=(7, 1))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(likert, likert, likert), min_size=1, max_size=20),
       st.tuples(st.floats(0.01, 10), st.floats(0, 10), st.floats(0, 10)), st.floats(0.1, 10))
def test_satisfaction_index_properties(rows, weights, factor):
    scores = pd.DataFrame(rows, columns=["a", "b", "c"])
    w = dict(zip("abc", weights))
    si = satisfaction_index(scores, w)
    assert si.between(-1e-9, 100 + 1e-9).all()
    assert np.allclose(si, satisfaction_index(scores, {k: v * factor for k, v in w.items()}))
    better = scores.clip(upper=6) + 1
    assert (satisfaction_index(better, w) >= si - 1e-9).all()


# ---------------------------------------------------------------- IPA
def test_ipa_by_hand():
    imp = {"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3, "assurance": 0.2}
    perf = {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5, "assurance": 4.5}
    # means: importance 0.25, performance 5.25
    out = ipa(imp, perf)
    assert out["quadrant"].tolist() == ["重点改进", "过度投入", "继续保持", "低优先"]
    assert out.index.name == "attribute"
    moved = ipa(imp, perf, importance_cut=0.1, performance_cut=4.0)   # on the line = high
    assert set(moved["quadrant_en"]) == {"keep up the good work"}
    assert list(out["quadrant_en"].cat.categories) == [v[1] for v in IPA_QUADRANTS.values()]


def test_ipa_errors():
    with pytest.raises(ValueError, match="same attributes"):
        ipa({"a": 1, "b": 2}, {"a": 1, "c": 2})
    with pytest.raises(ValueError, match="missing"):
        ipa({"a": 1, "b": np.nan}, {"a": 1, "b": 2})
    with pytest.raises(TypeError, match="importance_cut"):
        ipa({"a": 1, "b": 2}, {"a": 1, "b": 2}, importance_cut="mean")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(1, 7)), min_size=1, max_size=12))
def test_ipa_properties(pairs):
    labels = [f"x{i}" for i in range(len(pairs))]
    imp = pd.Series([p[0] for p in pairs], index=labels)
    perf = pd.Series([p[1] for p in pairs], index=labels)
    out = ipa(imp, perf)
    concentrate = (imp >= imp.mean()) & (perf < perf.mean())
    assert ((out["quadrant"] == "重点改进") == concentrate).all()
    assert out["quadrant"].notna().all()


# ---------------------------------------------------------------- drivers
def test_drivers_by_hand_orthogonal_features():
    df = pd.DataFrame({"reliability": [1, 2, 3, 4, 5, 6], "empathy": [1, 2, 1, 1, 2, 1]})
    df["overall"] = 2 * df["reliability"] + 0.5 * df["empathy"]
    fit = drivers(df, likert=None)
    out = fit.table
    # uncorrelated drivers: beta = b * sd(x) / sd(y) = corr; sd(rel) = sqrt(3.5),
    # sd(emp) = sqrt(4/15), sd(y) = sqrt(4 * 3.5 + 0.25 * 4/15)
    sd_y = np.sqrt(14 + 1 / 15)
    assert out.loc["reliability", "beta"] == pytest.approx(2 * np.sqrt(3.5) / sd_y)
    assert out.loc["empathy", "beta"] == pytest.approx(0.5 * np.sqrt(4 / 15) / sd_y)
    assert np.allclose(out["beta"], out["corr"])
    assert out.index.tolist() == ["reliability", "empathy"] and out["rank"].tolist() == [1, 2]
    assert fit.r_squared == pytest.approx(1.0)
    table, r2 = fit                                             # a bundle unpacks like a tuple
    assert table is out and r2 == fit.r_squared and out.attrs == {}


def test_drivers_finds_the_planted_driver_in_a_survey_table():
    out = drivers(make_surveys(300, seed=3)).table
    assert out.index[0] == "reliability"
    assert set(out.index) == set(SERVQUAL_DIMENSIONS)
    assert out.loc["reliability", "dimension_zh"] == "可靠性"
    assert out.loc["reliability", "beta"] > 2 * out.loc["tangibles", "beta"]


def test_drivers_errors_and_collinearity():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 2, 1, 3], "overall": [1, 3, 4, 5, 7]})
    with pytest.raises(ValueError, match="at least 4 responses"):
        drivers(df.iloc[:3])
    with pytest.raises(ValueError, match="without any variation cannot drive anything: b"):
        drivers(df.assign(b=2))
    with pytest.raises(ValueError, match="Available columns"):
        drivers(df, target="satisfaction")
    with pytest.raises(ValueError, match='"c" is not in'):
        drivers(df, features=["a", "c"])
    with pytest.raises(TypeError, match="numbers"):
        drivers(df.assign(b=list("xyxyz")), features=["a", "b"])
    with pytest.raises(ValueError, match="no numeric columns"):
        drivers(df[["overall"]].assign(name="x"))
    with pytest.raises(ValueError, match="between 1 and 7"):
        drivers(df.assign(overall=[1, 3, 4, 5, 9]))
    with pytest.raises(ValueError, match="missing"):
        drivers(df.assign(a=[1, np.nan, 3, 4, 5]))
    with pytest.warns(UserWarning, match="collinear"):
        drivers(df.assign(c=df["a"] * 2), features=["a", "b", "c"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(likert, likert), min_size=4, max_size=30))
def test_drivers_single_feature_beta_is_correlation(rows):
    df = pd.DataFrame(rows, columns=["x", "overall"])
    assume(df["x"].std() > 0 and df["overall"].std() > 0)
    out = drivers(df, features=["x"]).table
    assert out.loc["x", "beta"] == pytest.approx(df["x"].corr(df["overall"]), abs=1e-9)
    assert -1 - 1e-9 <= out.loc["x", "corr"] <= 1 + 1e-9


# ---------------------------------------------------------------- satisfaction trap
def test_satisfaction_trap_by_hand():
    s = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
                      "churned": [True, False, False, False, True, True, True, False]})
    out = satisfaction_trap(s)
    # satisfied (>= 5): rows 0, 1, 2, 3, 5, 7 (6); leavers: rows 0, 4, 5, 6 (4); both: 0, 5 (2)
    assert (out["satisfied"], out["left"], out["satisfied_and_left"]) == (6, 4, 2)
    assert out["satisfied_who_left"] == pytest.approx(2 / 6)
    assert out["leavers_who_were_satisfied"] == pytest.approx(2 / 4)
    assert out["unsatisfied_who_left"] == pytest.approx(2 / 2)      # rows 4 and 6
    assert out["all_who_left"] == pytest.approx(4 / 8)
    top_two = satisfaction_trap(s, satisfied_min=6)              # rows 0, 1, 2, 5, 7
    assert top_two["satisfied_who_left"] == pytest.approx(2 / 5)
    strict = satisfaction_trap(s, satisfied_min=7)               # only rows 0 and 5
    assert strict["satisfied_who_left"] == pytest.approx(1.0)
    as_series = satisfaction_trap(s.drop(columns="churned"), s["churned"])
    assert as_series.equals(out)


def test_satisfaction_trap_errors_and_empty_groups():
    s = pd.DataFrame({"overall": [2, 3], "churned": [True, False]})
    assert np.isnan(satisfaction_trap(s)["satisfied_who_left"])   # nobody satisfied
    with pytest.raises(ValueError, match="same index"):
        satisfaction_trap(s, pd.Series([True, False], index=[5, 6]))
    with pytest.raises(TypeError, match="True/False"):
        satisfaction_trap(s.assign(churned=["yes", "no"]))
    with pytest.raises(ValueError, match="satisfied_min"):
        satisfaction_trap(s, satisfied_min=8)
    with pytest.raises(ValueError, match="between 1.0 and 7.0"):
        satisfaction_trap(s.assign(overall=[0, 3]))
    with pytest.raises(ValueError, match="Available columns"):
        satisfaction_trap(s, "left")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(likert, st.booleans()), min_size=1, max_size=40), st.integers(1, 7))
def test_satisfaction_trap_properties(rows, cut):
    s = pd.DataFrame(rows, columns=["overall", "churned"])
    out = satisfaction_trap(s, satisfied_min=cut)
    for name in ("satisfied_who_left", "leavers_who_were_satisfied", "all_who_left"):
        assert np.isnan(out[name]) or 0 <= out[name] <= 1
    if out["satisfied"] and out["left"]:                          # Bayes: both count the same
        assert out["satisfied_who_left"] * out["satisfied"] == pytest.approx(
            out["leavers_who_were_satisfied"] * out["left"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        satisfaction_trap(s)



# ---------------------------------------------------------------- trap at several thresholds
TRAP = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
                     "churned": [True, False, False, False, True, True, True, False]})


def test_trap_at_several_thresholds_by_hand():
    curve = satisfaction_trap(TRAP, satisfied_min=range(4, 8))
    assert curve.index.name == "satisfied_min" and curve.index.tolist() == [4, 5, 6, 7]
    # satisfied: >=4 and >=5 rows 0,1,2,3,5,7 (6); >=6 rows 0,1,2,5,7 (5); 7 rows 0,5 (2)
    assert curve["satisfied"].tolist() == [6, 6, 5, 2]
    np.testing.assert_allclose(curve["satisfied_who_left"], [2 / 6, 2 / 6, 2 / 5, 2 / 2])
    np.testing.assert_allclose(curve["unsatisfied_who_left"], [1.0, 1.0, 2 / 3, 2 / 6])
    assert curve["satisfied"].dtype.kind == "i"
    assert satisfaction_trap(TRAP, satisfied_min=6)["satisfied_min"] == 6
    # each row is the single-threshold answer
    pd.testing.assert_series_equal(curve.loc[6],
                                   satisfaction_trap(TRAP, satisfied_min=6).drop("satisfied_min"),
                                   check_names=False, check_dtype=False)
    assert trap_curve(TRAP).equals(curve)
    assert trap_curve(TRAP, thresholds=[7, 5]).index.tolist() == [7, 5]


def test_trap_curve_errors():
    with pytest.raises(ValueError, match="empty"):
        satisfaction_trap(TRAP, satisfied_min=[])
    with pytest.raises(ValueError, match="twice"):
        satisfaction_trap(TRAP, satisfied_min=[5, 5])
    with pytest.raises(ValueError, match="`satisfied_min` must lie between 1.0 and 7.0"):
        trap_curve(TRAP, thresholds=range(5, 9))
    with pytest.raises(TypeError, match="`thresholds` must be a list"):
        trap_curve(TRAP, thresholds=5)
    with pytest.raises(TypeError, match="`satisfied_min` must be a number"):
        satisfaction_trap(TRAP, satisfied_min="5")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(likert, st.booleans()), min_size=1, max_size=40))
def test_trap_curve_properties(rows):
    s = pd.DataFrame(rows, columns=["overall", "churned"])
    curve = trap_curve(s, thresholds=range(1, 8))
    # a higher bar can only shrink the satisfied group and the satisfied leavers
    assert (np.diff(curve["satisfied"]) <= 0).all()
    assert (np.diff(curve["satisfied_and_left"]) <= 0).all()
    assert (curve["left"] == s["churned"].sum()).all()
    shares = curve[["satisfied_who_left", "leavers_who_were_satisfied", "unsatisfied_who_left"]]
    assert ((shares.isna()) | ((shares >= 0) & (shares <= 1))).all().all()
    assert curve.loc[1, "satisfied"] == len(s)                # everybody answers at least 1


# ---------------------------------------------------------------- join survey answers to churn
def test_join_churn_by_hand():
    surveys = pd.DataFrame({"survey_id": ["s1", "s2", "s3", "s4", "s5"],
                            "customer_id": ["a", "b", "c", "d", "a"],
                            "survey_date": pd.to_datetime(["2025-01-10"] * 4 + ["2025-08-01"])})
    churn = pd.DataFrame({"customer_id": ["a", "b", "c"],
                          "churn_date": pd.to_datetime(["2025-07-11", "2025-07-12", None])})
    out = join_churn(surveys, churn)
    # a left 182 days after s1 (counts), b 183 days after (too late), c never, d not listed;
    # s5 was answered after a had left: not a departure that followed the answer
    assert out["left_within"].tolist() == [True, False, False, False, False]
    assert out["left_within"].dtype == bool
    assert out.attrs == {} and CHURN_HORIZON_DAYS == 182
    assert "left_within" not in surveys.columns                # caller's frame untouched
    longer = join_churn(surveys, churn.set_index("customer_id")["churn_date"], horizon_days=183)
    assert longer["left_within"].tolist() == [True, True, False, False, False]
    again = join_churn(out, churn, horizon_days=1)             # the column is replaced
    assert not again["left_within"].any()
    trap = satisfaction_trap(out.assign(overall=[6, 2, 7, 5, 3]), "left_within")
    assert trap["leavers_who_were_satisfied"] == 1.0


def test_join_churn_matches_a_survey_date_kept_as_text():
    surveys = pd.DataFrame({"customer_id": ["a"], "survey_date": ["2025-01-10"]})
    churn = pd.Series(["2025-02-01"], index=["a"])
    assert join_churn(surveys, churn)["left_within"].tolist() == [True]


def test_join_churn_errors():
    surveys = pd.DataFrame({"customer_id": ["a", "b"],
                            "survey_date": pd.to_datetime(["2025-01-10", "2025-02-10"])})
    churn = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2025-03-01"])})
    with pytest.warns(UserWarning, match="None of the customer_id values"):
        out = join_churn(surveys.assign(customer_id=["C1", "C2"]), churn)
    assert not out["left_within"].any()
    with pytest.raises(ValueError, match="duplicate"):
        join_churn(surveys, pd.concat([churn, churn]))
    with pytest.raises(ValueError, match='"churn_date" is not in `churn_dates`'):
        join_churn(surveys, churn.rename(columns={"churn_date": "left_on"}))
    with pytest.raises(TypeError, match="`churn_dates` must be a DataFrame"):
        join_churn(surveys, {"a": "2025-03-01"})
    with pytest.raises(ValueError, match="missing"):
        join_churn(surveys.assign(survey_date=[pd.NaT, pd.Timestamp("2025-01-01")]), churn)
    with pytest.raises(ValueError, match="`horizon_days` must lie between 1"):
        join_churn(surveys, churn, horizon_days=0)
    with pytest.raises(TypeError, match="`horizon_days` must be a whole number"):
        join_churn(surveys, churn, horizon_days=182.5)
    with pytest.raises(TypeError, match="must hold dates"):
        join_churn(surveys, churn.assign(churn_date=3))
    with pytest.raises(ValueError, match='"survey_date" is not in `surveys`'):
        join_churn(surveys.drop(columns="survey_date"), churn)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(-50, 500))),
                min_size=1, max_size=30), st.integers(1, 400))
def test_join_churn_properties(rows, horizon):
    start = pd.Timestamp("2024-01-01")
    ids = [f"C{i}" for i in range(len(rows))]
    surveys = pd.DataFrame({"customer_id": ids,
                            "survey_date": [start + pd.Timedelta(days=d) for d, _ in rows]})
    churn = pd.DataFrame({"customer_id": ids, "churn_date": pd.to_datetime(
        [pd.NaT if g is None else start + pd.Timedelta(days=d + g) for d, g in rows])})
    flags = join_churn(surveys, churn, horizon_days=horizon)["left_within"].tolist()
    assert flags == [g is not None and 0 < g <= horizon for _, g in rows]
    longer = join_churn(surveys, churn, horizon_days=horizon + 30)["left_within"]
    assert (longer >= pd.Series(flags)).all()                   # monotone in the horizon


def test_ipa_cuts_at_the_means_or_the_given_crosshairs():
    imp = {"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3, "assurance": 0.2}
    perf = {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5, "assurance": 4.5}
    out = ipa(imp, perf)
    # means: importance 0.25, performance 5.25
    assert out.loc["tangibles", "quadrant_en"] == "keep up the good work"   # 0.3 >= 0.25, 6.5
    assert out.loc["assurance", "quadrant_en"] == "low priority"            # 0.2, 4.5
    fixed = ipa(imp, perf, importance_cut=0.35, performance_cut=5)
    assert fixed.attrs == {}
    assert fixed.loc["tangibles", "quadrant_en"] == "possible overkill"    # 0.3 < 0.35
