"""Tests for crmkit.resample (bootstrap intervals, permutation tests) and its two charts.

Known answers: an interval re-derived by hand from the documented random scheme, an exact
bootstrap distribution on a two-point sample, the normal-theory interval for a large sample.
Behaviour: coverage of the true mean, a uniform p-value under the null and a tiny one for a big
shift, groups, determinism, every bad input, a callable statistic (NPS).
"""
import ast
import itertools
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import crmkit  # noqa: E402
from crmkit import plotting  # noqa: E402
from crmkit.plotting import plot_intervals, plot_permutation  # noqa: E402
from crmkit.resample import (  # noqa: E402
    STATISTICS, PermutationResult, bootstrap_ci, bootstrap_distribution, permutation_test,
)
from crmkit.satisfaction import nps  # noqa: E402


# --------------------------------------------------------------------------------------------
# Bootstrap: known intervals
# --------------------------------------------------------------------------------------------

def test_interval_matches_the_documented_scheme_redone_by_hand():
    x = np.array([3.0, 7.0, 1.0, 9.0, 4.0, 6.0])
    ci = bootstrap_ci(x, "median", n_resamples=500, level=0.9, seed=11)
    stream = np.random.SeedSequence(11).spawn(1)[0]
    idx = np.random.default_rng(stream).integers(0, len(x), size=(500, len(x)))
    medians = np.median(x[idx], axis=1)
    row = ci                                   # no `by`: one Series named "all"
    assert row.name == "all"
    assert row["n"] == 6 and row["estimate"] == 5.0
    assert row["low"] == pytest.approx(np.percentile(medians, 5), abs=1e-12)
    assert row["high"] == pytest.approx(np.percentile(medians, 95), abs=1e-12)
    assert row["se"] == pytest.approx(medians.std(ddof=1))
    assert row["level"] == 0.9


def test_groups_get_their_own_streams_in_sorted_order():
    data = pd.DataFrame({"g": ["b", "a", "b", "a", "b"], "v": [1.0, 2.0, 3.0, 5.0, 8.0]})
    ci = bootstrap_ci(data, column="v", by="g", n_resamples=300, seed=4)
    streams = np.random.SeedSequence(4).spawn(2)
    for i, (label, values) in enumerate([("a", np.array([2.0, 5.0])),
                                         ("b", np.array([1.0, 3.0, 8.0]))]):
        idx = np.random.default_rng(streams[i]).integers(0, len(values), (300, len(values)))
        means = values[idx].mean(axis=1)
        row = ci.set_index("g").loc[label]
        assert (row["low"], row["high"]) == pytest.approx(np.quantile(means, [0.025, 0.975]))


def test_two_point_sample_has_the_exact_interval_zero_to_one():
    # Means of resamples of [0, 1] are 0, 0.5 or 1 with chances 1/4, 1/2, 1/4: the 2.5 % and
    # 97.5 % points are 0 and 1, and the bootstrap SE is sqrt(1/8).
    ci = bootstrap_ci([0, 1], n_resamples=4000, seed=0)
    assert (ci["low"], ci["estimate"], ci["high"]) == (0.0, 0.5, 1.0)
    assert ci["se"] == pytest.approx(np.sqrt(1 / 8), rel=0.05)
    values = bootstrap_distribution([0, 1], n_resamples=4000)["value"]
    assert set(values.unique()) == {0.0, 0.5, 1.0}
    assert (values == 0.5).mean() == pytest.approx(0.5, abs=0.03)


def test_large_normal_sample_matches_mean_plus_minus_1_96_se():
    x = np.random.default_rng(7).normal(100, 15, size=4000)
    ci = bootstrap_ci(x, n_resamples=2000)
    se = x.std(ddof=1) / np.sqrt(len(x))
    assert ci["estimate"] == pytest.approx(x.mean())
    assert ci["se"] == pytest.approx(se, rel=0.05)
    half = 1.96 * se
    assert ci["low"] == pytest.approx(x.mean() - half, abs=0.08 * half)
    assert ci["high"] == pytest.approx(x.mean() + half, abs=0.08 * half)


def test_interval_is_the_quantiles_of_bootstrap_distribution():
    data = pd.DataFrame({"tier": list("xyzxyzxyzz"), "v": np.arange(10.0) ** 2})
    ci = bootstrap_ci(data, "std", column="v", by="tier", n_resamples=400, level=0.8, seed=5)
    dist = bootstrap_distribution(data, "std", column="v", by="tier", n_resamples=400, seed=5)
    assert list(dist.columns) == ["tier", "resample", "value"]
    for _, row in ci.iterrows():
        values = dist.loc[dist["tier"] == row["tier"], "value"]
        assert len(values) == 400
        assert row["low"] == pytest.approx(np.quantile(values, 0.1))
        assert row["high"] == pytest.approx(np.quantile(values, 0.9))


def test_coverage_of_the_true_mean_is_close_to_95_percent():
    # 200 samples of 40 from N(10, 2), one call with a group per sample.
    rng = np.random.default_rng(2026)
    samples = pd.DataFrame({"sample": np.repeat(np.arange(200), 40),
                            "x": rng.normal(10, 2, size=200 * 40)})
    ci = bootstrap_ci(samples, column="x", by="sample", n_resamples=1000, seed=1)
    assert len(ci) == 200
    covered = ((ci["low"] <= 10) & (10 <= ci["high"])).mean()
    assert 0.88 <= covered <= 0.99
    # The interval narrows as the level drops, and 50 % intervals cover about half the time.
    half = bootstrap_ci(samples, column="x", by="sample", n_resamples=1000, level=0.5, seed=1)
    assert ((half["high"] - half["low"]) < (ci["high"] - ci["low"])).all()
    assert 0.35 <= ((half["low"] <= 10) & (10 <= half["high"])).mean() <= 0.62


# --------------------------------------------------------------------------------------------
# Bootstrap: statistics, groups, determinism
# --------------------------------------------------------------------------------------------

def test_by_group_table_has_the_documented_columns_and_sizes():
    data = pd.DataFrame({"tier": ["关键", "一般", "关键", "一般", "合适", "合适", "关键"],
                         "region": ["东", "东", "西", "西", "东", "东", "西"],
                         "v": [5.0, 1, 6, 2, 3, 4, 7]})
    ci = bootstrap_ci(data, column="v", by="tier", n_resamples=200)
    assert list(ci.columns) == ["tier", "n", "estimate", "se", "low", "high", "level"]
    assert ci["tier"].tolist() == sorted(["关键", "一般", "合适"])
    assert ci.set_index("tier")["n"].to_dict() == {"关键": 3, "一般": 2, "合适": 2}
    assert ci.set_index("tier").loc["关键", "estimate"] == 6.0
    assert ci.attrs == {}                      # nothing hidden beside the table
    cells = pd.DataFrame({"region": list("东东西西东东西西西"), "tier": list("甲甲甲甲乙乙乙乙乙"),
                          "v": np.arange(9.0)})
    two = bootstrap_ci(cells, column="v", by=["region", "tier"], n_resamples=200)
    assert list(two.columns[:3]) == ["region", "tier", "n"]
    # Sorted by code point: 东 < 西 and 乙 (U+4E59) < 甲 (U+7532).
    assert two[["region", "tier"]].apply(tuple, axis=1).tolist() == [
        ("东", "乙"), ("东", "甲"), ("西", "乙"), ("西", "甲")]
    assert two["n"].tolist() == [2, 2, 3, 2]
    assert two["estimate"].tolist() == [4.5, 0.5, 7.0, 2.5]


def test_categorical_group_order_and_unused_categories():
    tiers = pd.Categorical(["low", "high", "low", "high"], categories=["high", "mid", "low"])
    ci = bootstrap_ci(pd.DataFrame({"t": tiers, "v": [1.0, 5, 2, 6]}), column="v", by="t",
                      n_resamples=100)
    assert ci["t"].tolist() == ["high", "low"]


def test_one_row_without_groups_and_every_named_statistic():
    x = pd.Series([2.0, 4.0, 4.0, 5.0, 10.0])
    expected = {"mean": 5.0, "median": 4.0, "sum": 25.0, "std": x.std()}
    for name, value in expected.items():
        ci = bootstrap_ci(x, name, n_resamples=200)
        assert isinstance(ci, pd.Series) and list(ci.index[:2]) == ["n", "estimate"]
        assert ci["estimate"] == pytest.approx(value)
        assert ci["low"] <= ci["high"]
    flags = bootstrap_ci([True, False, True, True], "proportion", n_resamples=200)
    assert flags["estimate"] == 0.75 and 0 <= flags["low"] <= 0.75
    assert set(STATISTICS) == {"mean", "median", "sum", "std", "proportion", "nps"}


def test_a_callable_gives_the_same_draws_as_the_named_statistic():
    x = np.random.default_rng(3).exponential(5, size=30)
    named = bootstrap_ci(x, "median", n_resamples=300, seed=9)
    called = bootstrap_ci(x, np.median, n_resamples=300, seed=9)
    np.testing.assert_allclose(named[["estimate", "low", "high", "se"]],
                               called[["estimate", "low", "high", "se"]])


def test_nps_as_a_callable_by_tier_equals_the_mean_of_nps_points():
    rng = np.random.default_rng(0)
    surveys = pd.DataFrame({"tier": np.repeat(["关键客户", "一般客户"], [40, 60]),
                            "recommend": rng.integers(0, 11, size=100)})
    ci = bootstrap_ci(surveys, nps, column="recommend", by="tier", n_resamples=300, seed=2)
    for tier, part in surveys.groupby("tier"):
        assert ci.set_index("tier").loc[tier, "estimate"] == pytest.approx(nps(part["recommend"]))
    # NPS is the mean of +100 (9–10) / 0 / -100 (0–6) points: the vectorised route agrees.
    points = np.select([surveys["recommend"] >= 9, surveys["recommend"] <= 6], [100, -100], 0)
    fast = bootstrap_ci(surveys.assign(points=points), column="points", by="tier",
                        n_resamples=300, seed=2)
    np.testing.assert_allclose(ci[["estimate", "low", "high"]], fast[["estimate", "low", "high"]])
    named = bootstrap_ci(surveys, "nps", column="recommend", by="tier", n_resamples=300, seed=2)
    np.testing.assert_allclose(ci[["estimate", "low", "high", "se"]],
                               named[["estimate", "low", "high", "se"]])
    test = permutation_test(surveys, "recommend", "tier", statistic="nps", n_permutations=200)
    by_fn = permutation_test(surveys, "recommend", "tier", statistic=nps, n_permutations=200)
    assert test.observed == pytest.approx(by_fn.observed) and test.p_value == by_fn.p_value


def test_same_seed_same_numbers_other_seed_other_numbers():
    x = np.random.default_rng(1).normal(size=50)
    a, b = bootstrap_ci(x, seed=3), bootstrap_ci(x, seed=3)
    pd.testing.assert_series_equal(a, b)
    c = bootstrap_ci(x, seed=4)
    assert (a["low"], a["high"]) != (c["low"], c["high"])


def test_chunking_does_not_change_the_draws(monkeypatch):
    import crmkit.resample._common as rs

    x = np.arange(50.0)
    whole = bootstrap_distribution(x, n_resamples=300, seed=8)["value"].to_numpy()
    monkeypatch.setattr(rs, "CHUNK_ELEMENTS", 7 * 50)   # 7 resamples per chunk
    chunked = bootstrap_distribution(x, n_resamples=300, seed=8)["value"].to_numpy()
    np.testing.assert_array_equal(whole, chunked)
    p1 = permutation_test(pd.DataFrame({"v": x, "g": x % 2}), "v", "g", n_permutations=300)
    monkeypatch.setattr(rs, "CHUNK_ELEMENTS", 10**7)
    p2 = permutation_test(pd.DataFrame({"v": x, "g": x % 2}), "v", "g", n_permutations=300)
    np.testing.assert_array_equal(p1.null, p2.null)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=30),
       st.sampled_from(["mean", "median", "sum", "std"]),
       st.floats(0.5, 0.99))
def test_interval_lies_within_the_resampled_range(values, statistic, level):
    ci = bootstrap_ci(values, statistic, n_resamples=100, level=level)
    dist = bootstrap_distribution(values, statistic, n_resamples=100)["value"]
    assert dist.min() <= ci["low"] <= ci["high"] <= dist.max()
    if statistic in ("mean", "median"):
        assert min(values) <= ci["low"] and ci["high"] <= max(values)


# --------------------------------------------------------------------------------------------
# Permutation test
# --------------------------------------------------------------------------------------------

def _two_groups(rng, n_a, n_b, shift):
    return pd.DataFrame({"v": np.concatenate([rng.normal(shift, 1, n_a), rng.normal(0, 1, n_b)]),
                         "g": ["a"] * n_a + ["b"] * n_b})


def test_big_shift_gives_the_smallest_possible_p_value():
    data = _two_groups(np.random.default_rng(0), 30, 40, shift=3)
    result = permutation_test(data, "v", "g", n_permutations=1000)
    assert result.groups == ("a", "b") and result.sizes == (30, 40)
    assert result.observed == pytest.approx(data.groupby("g")["v"].mean().diff().iloc[-1] * -1)
    assert result.estimates == pytest.approx(tuple(data.groupby("g")["v"].mean()))
    assert result.p_value == 1 / 1001            # none of 1,000 shuffles as extreme; +1 rule
    assert len(result.null) == result.n_permutations == 1000
    assert permutation_test(data, "v", "g", alternative="greater", n_permutations=1000).p_value \
        == 1 / 1001
    assert permutation_test(data, "v", "g", alternative="less", n_permutations=1000).p_value \
        > 0.99


def test_p_values_are_roughly_uniform_under_the_null():
    rng = np.random.default_rng(42)
    p = np.array([permutation_test(_two_groups(rng, 12, 15, shift=0), "v", "g",
                                   n_permutations=200, seed=i).p_value for i in range(150)])
    assert 0.02 <= (p <= 0.05).mean() <= 0.10
    assert 0.40 <= (p <= 0.5).mean() <= 0.60
    counts, _ = np.histogram(p, bins=5, range=(0, 1))
    assert counts.min() >= 15 and counts.max() <= 45     # about 30 per bin


def test_null_distribution_is_the_label_shuffle_redone_by_hand():
    data = pd.DataFrame({"v": [1.0, 2.0, 4.0, 8.0, 16.0], "g": ["x", "y", "x", "y", "y"]})
    result = permutation_test(data, "v", "g", n_permutations=200, seed=6)
    pooled = np.array([1.0, 4.0, 2.0, 8.0, 16.0])       # group x first, then y, in data order
    shuffled = np.random.default_rng(6).permuted(np.tile(pooled, (200, 1)), axis=1)
    null = shuffled[:, :2].mean(axis=1) - shuffled[:, 2:].mean(axis=1)
    np.testing.assert_allclose(result.null, null)
    observed = 2.5 - 26 / 3
    assert result.observed == pytest.approx(observed)
    tol = 1e-9 * 16
    assert result.p_value == (1 + (np.abs(null) >= abs(observed) - tol).sum()) / 201


def test_ties_with_the_observed_difference_count_as_extreme():
    # Shuffles that give the observed difference again (in exact arithmetic) must count even when
    # float rounding makes them a hair smaller. Exact share: 6 of the 20 splits, in tenths.
    tenths = [2, 3, 1, 7, 11, 2]
    data = pd.DataFrame({"v": np.array(tenths) / 10, "g": list("aaabbb")})
    observed = abs(sum(tenths[:3]) - sum(tenths[3:]))
    splits = list(itertools.combinations(range(6), 3))
    exact = np.mean([abs(2 * sum(tenths[i] for i in a) - sum(tenths)) >= observed for a in splits])
    result = permutation_test(data, "v", "g", n_permutations=4000)
    share = (result.p_value * 4001 - 1) / 4000
    assert exact == 0.3 and share == pytest.approx(exact, abs=0.03)


def test_groups_picks_two_of_several_in_the_given_order():
    data = pd.DataFrame({"v": [1.0, 2, 3, 10, 11, 12, 5, 5], "tier": list("aaabbbcc")})
    result = permutation_test(data, "v", "tier", groups=("b", "a"), n_permutations=300)
    assert result.groups == ("b", "a") and result.sizes == (3, 3)
    assert result.observed == 9.0 and result.estimates == (11.0, 2.0)
    assert "observed=9" in repr(result) and "'b' - 'a'" in repr(result)


def test_permutation_with_proportions_median_and_a_callable():
    data = pd.DataFrame({"late": [True, False, False, False, True, True, True, False],
                         "hub": ["北"] * 4 + ["南"] * 4})
    result = permutation_test(data, "late", "hub", statistic="proportion", n_permutations=200,
                              groups=("南", "北"))
    assert result.observed == 0.5 and result.statistic == "proportion"
    med = permutation_test(data.assign(v=np.arange(8.0)), "v", "hub", statistic="median",
                           n_permutations=200)
    fn = permutation_test(data.assign(v=np.arange(8.0)), "v", "hub", statistic=np.median,
                          n_permutations=200)
    np.testing.assert_allclose(med.null, fn.null)
    assert med.p_value == fn.p_value


def test_permutation_is_deterministic_from_the_seed():
    data = _two_groups(np.random.default_rng(5), 10, 10, shift=0.5)
    a = permutation_test(data, "v", "g", n_permutations=300, seed=1)
    b = permutation_test(data, "v", "g", n_permutations=300, seed=1)
    c = permutation_test(data, "v", "g", n_permutations=300, seed=2)
    np.testing.assert_array_equal(a.null, b.null)
    assert a == b and not np.array_equal(a.null, c.null)
    with pytest.raises(ValueError, match="read-only"):
        a.null[0] = 0.0                       # frozen: the null distribution cannot be edited


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

FRAME = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]})


@pytest.mark.parametrize("call, error, message", [
    (lambda: bootstrap_ci([]), ValueError, "is empty"),
    (lambda: bootstrap_ci(FRAME.iloc[:0], column="v"), ValueError, "is empty"),
    (lambda: bootstrap_ci(["a", "b"]), TypeError, "must hold numbers"),
    (lambda: bootstrap_ci([1.0, np.nan, 3.0]), ValueError, "1 missing value"),
    (lambda: bootstrap_ci([1.0, np.inf]), ValueError, "infinite"),
    (lambda: bootstrap_ci([5.0]), ValueError, "at least 2"),
    (lambda: bootstrap_ci(FRAME.iloc[:3], column="v", by="g"), ValueError,
     "Group g='b' has 1 value"),
    (lambda: bootstrap_ci([1, 2], level=1.0), ValueError, "strictly between 0 and 1"),
    (lambda: bootstrap_ci([1, 2], level=0), ValueError, "strictly between 0 and 1"),
    (lambda: bootstrap_ci([1, 2], "mode"), ValueError, "must be one of (mean, median"),
    (lambda: bootstrap_ci([1, 2], 3), TypeError, "`statistic` must be a name"),
    (lambda: bootstrap_ci([1, 2], lambda x: x * 2), TypeError, "must return one number"),
    (lambda: bootstrap_ci([1, 2], n_resamples=10), ValueError, "`n_resamples` must lie"),
    (lambda: bootstrap_ci([1, 2], n_resamples=1000.0), TypeError, "whole number"),
    (lambda: bootstrap_ci([1, 2], seed=-1), ValueError, "`seed`"),
    (lambda: bootstrap_ci([1, 2], "proportion"), TypeError, "True/False"),
    (lambda: bootstrap_ci([3, 11], "nps"), ValueError, "between 0 and 10"),
    (lambda: bootstrap_ci([3, 7.5], "nps"), ValueError, "whole numbers 0–10"),
    (lambda: bootstrap_ci(FRAME), ValueError, "name the column"),
    (lambda: bootstrap_ci(FRAME, column="w"), ValueError, '"w" is not in `data`'),
    (lambda: bootstrap_ci(FRAME, column="v", by="tier"), ValueError, '"tier" is not in'),
    (lambda: bootstrap_ci(FRAME, column="v", by="v"), ValueError, "cannot also be a `by`"),
    (lambda: bootstrap_ci(FRAME.assign(g=[None, "a", "b", "b"]), column="v", by="g"),
     ValueError, "missing value"),
    (lambda: bootstrap_ci(FRAME["v"], by="g"), ValueError, "need a DataFrame"),
    (lambda: bootstrap_ci(FRAME.rename(columns={"g": "n"}), column="v", by="n"), ValueError,
     "name of a result column"),
    (lambda: bootstrap_distribution(FRAME.rename(columns={"g": "value"}), column="v",
                                    by="value"), ValueError, "name of a result column"),
    (lambda: bootstrap_ci(FRAME, column="g"), TypeError, "must hold numbers"),
    (lambda: bootstrap_distribution(pd.DataFrame({"v": [1.0]}), column="v"), ValueError,
     "at least 2"),
    (lambda: permutation_test(FRAME.iloc[:0], "v", "g"), ValueError, "is empty"),
    (lambda: permutation_test(FRAME, "w", "g"), ValueError, '"w" is not in'),
    (lambda: permutation_test(FRAME, ["v"], "g"), TypeError, "column names"),
    (lambda: permutation_test(FRAME.assign(v=list("wxyz")), "v", "g"), TypeError,
     "must hold numbers"),
    (lambda: permutation_test(FRAME.assign(v=[1, np.nan, 3, 4]), "v", "g"), ValueError,
     "missing value"),
    (lambda: permutation_test(FRAME.assign(g=list("aabc")), "v", "g"), ValueError,
     "3 groups (a, b, c)"),
    (lambda: permutation_test(FRAME.assign(g="a"), "v", "g"), ValueError, "1 group (a)"),
    (lambda: permutation_test(FRAME, "v", "g", groups=("a", "z")), ValueError,
     "'z' is not a group"),
    (lambda: permutation_test(FRAME, "v", "g", groups=("a", "a")), ValueError, "two different"),
    (lambda: permutation_test(FRAME, "v", "g", groups="ab"), ValueError, "two labels"),
    (lambda: permutation_test(FRAME.assign(g=list("abbb")), "v", "g"), ValueError,
     "Group 'a' of `g` has 1 value"),
    (lambda: permutation_test(FRAME, "v", "g", alternative="bigger"), ValueError,
     "`alternative` must be one of"),
    (lambda: permutation_test(FRAME, "v", "g", statistic="avg"), ValueError,
     "`statistic` must be one of"),
    (lambda: permutation_test(FRAME, "v", "g", n_permutations=5), ValueError,
     "`n_permutations` must lie"),
])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_missing_values_only_in_groups_left_out_do_not_matter():
    data = pd.DataFrame({"v": [1.0, 2, 3, 4, np.nan], "g": list("aabbc")})
    assert permutation_test(data, "v", "g", groups=("a", "b"), n_permutations=100).sizes == (2, 2)


# --------------------------------------------------------------------------------------------
# Layers and registration
# --------------------------------------------------------------------------------------------

def test_resample_imports_neither_plotting_nor_datasets():
    outside = set()
    for path in Path(crmkit.resample.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        outside |= {m for m in imported if m and m.startswith("crmkit")
                    and not m.startswith("crmkit.resample")}
    assert outside == {"crmkit._validate", "crmkit._docs", "crmkit._result",
                       "crmkit.satisfaction.constants"}
    assert "resample" in crmkit.__all__ and "resample" in dir(crmkit)
    assert {"plot_intervals", "plot_permutation"} <= set(plotting.__all__)


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------

@pytest.fixture
def strict_fonts():
    plotting.setup()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        yield
    plt.close("all")


def _segments(ax):
    return np.array(ax.collections[0].get_segments())


def test_interval_bars_equal_the_table(strict_fonts):
    data = pd.DataFrame({"维度": np.repeat(["可靠性", "响应性", "移情性"], 6),
                         "gap": [-1, -2, -1.5, -1, -0.5, -2, 0.5, 1, 1.5, 0.5, 1, 2,
                                 -1, 1, 0.5, -0.5, 0, -0.2]})
    ci = bootstrap_ci(data, column="gap", by="维度", n_resamples=500)
    ax = plot_intervals(ci, reference=0)
    ax.figure.canvas.draw()
    seg = _segments(ax)                                  # one horizontal bar per group, top down
    np.testing.assert_allclose(seg[:, 0, 0], ci["low"])
    np.testing.assert_allclose(seg[:, 1, 0], ci["high"])
    np.testing.assert_allclose(ax.collections[1].get_offsets()[:, 0], ci["estimate"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ci["维度"].tolist()
    assert list(ax.get_yticks()) == [2, 1, 0]            # first group on top
    # Intervals that include the reference are grey; those that exclude it are solid.
    colors = [matplotlib.colors.to_hex(c) for c in ax.collections[0].get_colors()]
    straddles = ((ci["low"] <= 0) & (0 <= ci["high"])).tolist()
    assert [c == "#9aa5b1" for c in colors] == straddles
    assert straddles.count(True) == 1 and ax.get_lines()[0].get_xdata()[0] == 0
    assert ax.get_xlabel() == "估计值 estimate · 95% 区间 interval"


def test_intervals_of_one_row_and_two_group_columns(strict_fonts):
    ax = plot_intervals(bootstrap_ci([1.0, 2.0, 4.0], n_resamples=100, level=0.9))
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["全部 all"]
    assert ax.get_title() == "90% 自助法区间 · Bootstrap intervals" and not ax.get_lines()
    data = pd.DataFrame({"a": list("xxyyxxyy"), "b": list("ppppqqqq"), "v": np.arange(8.0)})
    ax = plot_intervals(bootstrap_ci(data, column="v", by=["a", "b"], n_resamples=100),
                        xlabel="分钟 minutes")
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x · p", "x · q", "y · p", "y · q"]
    assert ax.get_xlabel() == "分钟 minutes"


def test_plot_intervals_refuses_what_is_not_an_interval_table():
    with pytest.raises(TypeError, match="bootstrap_ci"):
        plot_intervals([1, 2, 3])
    with pytest.raises(ValueError, match="bootstrap_ci"):
        plot_intervals(pd.DataFrame({"estimate": [1.0]}))
    bad = pd.DataFrame({"n": [3], "estimate": [1.0], "low": [2.0], "high": [0.5]})
    with pytest.raises(ValueError, match="must not exceed"):
        plot_intervals(bad)
    with pytest.raises(TypeError, match="`reference`"):
        plot_intervals(bad.assign(low=0.0, high=2.0), reference="0")


def test_permutation_chart_marks_the_observed_difference(strict_fonts):
    data = _two_groups(np.random.default_rng(1), 20, 20, shift=0.8)
    data["g"] = data["g"].map({"a": "已补救", "b": "未投诉"})
    result = permutation_test(data, "v", "g", n_permutations=1000)
    ax = plot_permutation(result, bins=20)
    ax.figure.canvas.draw()
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 20 and sum(heights) == 1000
    centres = np.array([p.get_x() + p.get_width() / 2 for p in ax.patches])
    tail = [matplotlib.colors.to_hex(p.get_facecolor()) == "#e8a49c" for p in ax.patches]
    assert tail == (np.abs(centres) >= abs(result.observed)).tolist() and any(tail)
    lines = ax.get_lines()
    assert lines[0].get_xdata()[0] == pytest.approx(result.observed)
    assert lines[1].get_xdata()[0] == pytest.approx(-result.observed)    # two-sided mirror
    assert ax.get_title() == f"置换检验 permutation test · p = {result.p_value:.3f}"
    assert result.groups == ("已补救", "未投诉") and "(已补救 - 未投诉)" in ax.get_xlabel()
    far = _two_groups(np.random.default_rng(1), 20, 20, shift=2)
    one_sided = permutation_test(far, "v", "g", alternative="greater", n_permutations=1000)
    ax = plot_permutation(one_sided)
    assert one_sided.p_value < 0.001          # shown in scientific notation
    assert len(ax.get_lines()) == 1 and ax.get_title().endswith(f"p = {one_sided.p_value:.1e}")


def test_plot_permutation_refuses_other_input():
    with pytest.raises(TypeError, match="permutation_test"):
        plot_permutation(np.zeros(10))
    result = permutation_test(FRAME, "v", "g", n_permutations=100)
    assert isinstance(result, PermutationResult)
    with pytest.raises(ValueError, match="`bins`"):
        plot_permutation(result, bins=0)
