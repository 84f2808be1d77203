"""Uncertainty charts: bootstrap intervals per group and a permutation test's null distribution.

Methods: :mod:`crmkit.resample` (bootstrap intervals, permutation tests).
Used wherever a lesson compares groups or reads a small difference (chapters 6, 8, 10).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit import glossary
from crmkit._validate import check_number
from crmkit.plotting._base import ACCENT, CLASS_COLORS, NEUTRAL, new_ax, numbers, table
from crmkit.plotting._pieces import fill_doc
from crmkit.resample import PermutationResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_intervals", "plot_permutation"]

_RESULT_COLUMNS = ("n", "estimate", "se", "low", "high", "level")
_SOLID = CLASS_COLORS["A"]
_TAIL = "#e8a49c"


@fill_doc
def plot_intervals(ci: pd.DataFrame | pd.Series, *, reference: float | None = None,
                   xlabel: str | None = None, ax: Axes | None = None) -> Axes:
    """Each group's estimate as a dot with its bootstrap interval as a bar; optional reference.

    With a ``reference`` (0 for a gap or a difference, a target, the overall value) intervals
    that lie entirely on one side of it are dark blue, those that include it grey: for those
    the data cannot tell the group from the reference.

    Parameters
    ----------
    ci : pandas.DataFrame or pandas.Series
        Result of :func:`crmkit.resample.bootstrap_ci` (``estimate``, ``low``, ``high``; the
        columns before ``n`` name the groups; a Series is the one interval of a whole table).
    reference : float, optional
        A value drawn as a vertical line.
    {xlabel}
        Default the statistic's name and the interval's level.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.resample import bootstrap_ci
    >>> from crmkit.plotting import plot_intervals
    >>> gaps = pd.DataFrame({"dimension": ["可靠性"] * 4 + ["移情性"] * 4,
    ...                      "gap": [-1.0, -0.5, -1.5, -1.0, 0.5, -0.5, 1.0, -0.5]})
    >>> ci = bootstrap_ci(gaps, column="gap", by="dimension")
    >>> ax = plot_intervals(ci, reference=0)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['可靠性', '移情性']
    >>> ax.get_title()
    '95% 自助法区间 · Bootstrap intervals'
    >>> plt.close("all")
    """
    if isinstance(ci, pd.Series):
        ci = ci.to_frame().T
    table(ci, ["estimate", "low", "high"], "ci", "crmkit.resample.bootstrap_ci")
    est, low, high = (numbers(ci, c, "ci") for c in ("estimate", "low", "high"))
    if np.isnan(np.concatenate([est, low, high])).any():
        raise ValueError("`ci` has missing estimates or bounds; every group needs all three.")
    if (low > high).any():
        raise ValueError("`ci['low']` must not exceed `ci['high']`; pass bootstrap_ci's result.")
    if reference is not None:
        reference = float(check_number(reference, "reference"))
    columns = list(ci.columns)
    keys = (columns[:columns.index("n")] if "n" in columns
            else [c for c in columns if c not in _RESULT_COLUMNS])
    labels = ([" · ".join(str(row[k]) for k in keys) for _, row in ci.iterrows()] if keys
              else ["全部 all"] * len(ci))
    pos = np.arange(len(ci))[::-1]
    if reference is None:
        colors = [_SOLID] * len(ci)
    else:
        colors = [NEUTRAL if lo <= reference <= hi else _SOLID for lo, hi in zip(low, high)]
    ax = new_ax(ax, figsize=(7, 0.55 * len(ci) + 1.6))
    ax.hlines(pos, low, high, colors=colors, lw=4, alpha=0.8)
    ax.scatter(est, pos, color="white", edgecolors=colors, s=45, zorder=3, linewidths=1.5)
    if reference is not None:
        ax.axvline(reference, color=ACCENT, lw=1.2, ls="--", label=f"参考 reference {reference:g}")
        ax.legend(loc="best", fontsize="small")
    ax.set_yticks(pos, labels)
    ax.set_ylim(pos.min() - 0.7, pos.max() + 0.7)
    level = _level(ci)
    ax.set(xlabel=xlabel if xlabel is not None else f"估计值 estimate · {level} 区间 interval",
           title=f"{level} 自助法区间 · Bootstrap intervals")
    return ax


@fill_doc
def plot_permutation(result: PermutationResult, *, bins: int = 30, ax: Axes | None = None) -> Axes:
    """Histogram of the shuffled differences, with the observed difference marked in red.

    Bars at least as extreme as the observed difference are light red: their share of all
    shuffles is (about) the p-value.

    If the observed line sits among the bars, shuffling the labels makes such differences
    often: chance explains it. Far out in the tail, it does not (the p-value in the title is the
    share of shuffles at least that extreme). For a two-sided test the mirror value is dashed.

    Parameters
    ----------
    result : crmkit.resample.PermutationResult
        Result of :func:`crmkit.resample.permutation_test`.
    bins : int, default 30
        Histogram bins.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.resample import permutation_test
    >>> from crmkit.plotting import plot_permutation
    >>> after = pd.DataFrame({"score": [6, 7, 7, 8, 6, 7, 8, 9, 9, 10],
    ...                       "recovered": ["no"] * 5 + ["yes"] * 5})
    >>> ax = plot_permutation(permutation_test(after, "score", "recovered", groups=("yes", "no")))
    >>> ax.get_lines()[0].get_xdata()
    [1.8, 1.8]
    >>> plt.close("all")
    """
    if not isinstance(result, PermutationResult):
        raise TypeError("`result` must be the result of crmkit.resample.permutation_test, but a "
                        f"{type(result).__name__} was passed.")
    bins = check_number(bins, "bins", low=1, integer=True)
    a, b = result.groups
    ax = new_ax(ax)
    _, _, patches = ax.hist(result.null, bins=bins, color=NEUTRAL, edgecolor="white")
    obs = result.observed
    for patch in patches:                     # bars at least as extreme as observed, in red
        centre = patch.get_x() + patch.get_width() / 2
        if _extreme(centre, obs, result.alternative):
            patch.set_facecolor(_TAIL)
    ax.axvline(obs, color="#c0392b", lw=2, label=f"观测值 observed {obs:.3g}")
    if result.alternative == "two-sided" and obs != 0:
        ax.axvline(-obs, color="#c0392b", lw=1.2, ls="--", label=f"对称 mirror {-obs:.3g}")
    ax.legend(loc="best", fontsize="small")
    ax.set(xlabel=f"{result.statistic} 之差 difference ({a} - {b})",
           ylabel=f"置换次数 shuffles (共 {result.n_permutations})",
           title=f"{glossary.label('置换检验')} · {_p_text(result)}")
    return ax


def _extreme(x, observed, alternative):
    if alternative == "greater":
        return x >= observed
    if alternative == "less":
        return x <= observed
    return abs(x) >= abs(observed)


def _p_text(result):
    p = result.p_value
    return f"p = {p:.3f}" if p >= 0.001 else f"p = {p:.1e}"


def _level(ci):
    if "level" in ci.columns and len(ci):
        return f"{float(ci['level'].iloc[0]):.0%}"
    return "95%"
