"""Charts of crmkit.abc: Pareto/ABC chart, Lorenz curve, whale curve, four-type customer grids.

Textbook: chapter 5, 现代物流核心客户关系管理实施 (客户ABC分类管理法, 成本与收益分析法,
客户构成分析).
Notebook: notebooks/05_abc_core_customers.ipynb
"""
from __future__ import annotations

import warnings

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit import glossary
from crmkit._validate import check_cutoffs, check_number
from crmkit.abc import (
    ABC_CUTOFFS, CREDIT_RATINGS, CREDIT_SCORES, GROWTH_TYPES, LOYALTY_CREDIT_TYPES, abc_classify,
    lorenz, whale_peak,
)
from crmkit.plotting._base import (
    ACCENT, BAD, CLASS_COLORS, NEUTRAL, category_ticks, new_ax, numbers, percent_axis, table,
    twin_y,
)
from crmkit.plotting._pieces import fill_doc

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["plot_pareto", "plot_lorenz", "plot_whale", "plot_customer_matrix"]

_ABC_MADE_BY = "crmkit.abc.abc_table or abc_classify"


#: Colours of the four types of a grid, in the order of GROWTH_TYPES / LOYALTY_CREDIT_TYPES
#: (both high, second only, first only, both low).
_TYPE_COLORS = ("#2e8b57", "#5b9bd5", "#e7a33e", "#c0392b")
_JITTER = 0.15  # half-width of the sideways jitter of whole-number credit scores


@fill_doc
def plot_pareto(data: pd.DataFrame | pd.Series, *, cutoffs: tuple[float, float] | None = None,
                max_bars: int = 30, ax: Axes | None = None) -> Axes:
    """ABC / Pareto chart: cumulative share of value against customers ranked largest first.

    Up to ``max_bars`` customers, the classic Pareto chart: one bar of value per customer,
    coloured by class, and the cumulative share as a line on a twin axis (right) with dashed
    lines at the A/B and B/C cut-offs. With more customers, the cumulative curve over the share
    of customers (x from 0 to 1) with the customers of each class shaded, so 2,000 customers
    stay readable and fast. Textbook ch. 5 §5.3.2 (ABC分类法: the 80/20 rule).

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        Result of :func:`crmkit.abc.abc_table` or :func:`crmkit.abc.abc_classify` (columns
        ``value``, ``share``, ``cum_share``, ``abc_class``), or raw values per customer, which
        are classified first with ``abc_classify(data, cutoffs)``.
    cutoffs : (float, float), optional
        The cut-offs drawn as dashed lines, default (0.80, 0.95): pass the ones the classes were
        made with (a warning says when the classes in ``data`` do not fit them). Raw values are
        classified with them.
    max_bars : int, default 30
        Draw bars when there are at most this many customers.
    {ax}

    {returns_ax}
        As a bar chart, the cumulative line is on its twin axis (right).

    See Also
    --------
    crmkit.abc.abc_table : the Pareto table this chart draws.
    plot_lorenz : the same concentration, smallest customers first, with the Gini coefficient.

    {examples_head}
    >>> from crmkit.abc import abc_classify
    >>> from crmkit.plotting import plot_pareto
    >>> revenue = pd.Series([8, 60, 7, 25], index=["p", "q", "r", "s"])
    >>> ax = plot_pareto(abc_classify(revenue))
    >>> ax.get_title(), len(ax.patches)
    ('ABC 分析 · Pareto chart', 4)
    >>> cuts = (0.6, 0.9)
    >>> ax = plot_pareto(abc_classify(revenue, cutoffs=cuts), cutoffs=cuts)   # lines where classes split
    >>> [line.get_ydata()[0] for line in ax.figure.axes[1].get_lines()[1:]]
    [0.6, 0.9]
    >>> plt.close("all")
    """
    if cutoffs is None:
        cutoffs = ABC_CUTOFFS
    if isinstance(data, pd.Series):
        data = abc_classify(data, cutoffs)
    table(data, ["value", "share", "cum_share", "abc_class"], "data", _ABC_MADE_BY)
    cuts = check_cutoffs(cutoffs, "cutoffs", count=2)
    check_number(max_bars, "max_bars", low=0, integer=True)
    classes = data["abc_class"].astype(str)
    unknown = sorted(set(classes) - set("ABC"))
    if unknown:
        raise ValueError(f"`data['abc_class']` must hold A, B or C, but has {', '.join(unknown)}.")
    cum = numbers(data, "cum_share", "data")
    numbers(data, "value", "data")
    _warn_other_cutoffs(cum, classes.to_numpy(), cuts)
    order = np.argsort(cum, kind="stable")
    cum, classes = cum[order], classes.to_numpy()[order]
    ax = new_ax(ax)
    if len(data) <= max_bars:
        curve_ax, handles = _pareto_bars(ax, numbers(data, "value", "data")[order], cum,
                                         classes, data.index[order])
    else:
        curve_ax, handles = _pareto_curve(ax, cum, classes), []
    for cut, name, style in zip(cuts, ("A/B", "B/C"), ("--", ":")):
        curve_ax.axhline(cut, ls=style, lw=1.2, color=BAD, label=f"{name} 分界 cut-off {cut:.0%}")
    curve_ax.set_ylim(0, 1.05)
    percent_axis(curve_ax.yaxis)
    if curve_ax is ax:
        ax.legend(loc="lower right", fontsize="small")
    else:  # one legend for bars and line, outside the plot on the right
        handles += curve_ax.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.18, 1), fontsize="small")
    ax.set_title("ABC 分析 · Pareto chart")
    return ax


def _pareto_bars(ax, values, cum, classes, labels):
    from matplotlib.patches import Patch
    from matplotlib.ticker import StrMethodFormatter

    pos = np.arange(len(values))
    ax.bar(pos, values, color=[CLASS_COLORS[c] for c in classes], edgecolor="white")
    category_ticks(ax, labels, max_labels=40)
    ax.grid(False)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("客户（按价值从大到小）customers, largest first")
    ax.set_ylabel("价值 value")
    twin = twin_y(ax)
    twin.plot(pos, cum, marker="o", color=ACCENT, label="累计占比 cumulative share")
    twin.set_ylabel("累计占比 cumulative share")
    return twin, [Patch(color=CLASS_COLORS[c], label=f"{c} 类 class {c}") for c in "ABC"
                  if c in set(classes)]


def _pareto_curve(ax, cum, classes):
    n = len(cum)
    x = np.arange(n + 1) / n
    ax.plot(x, np.concatenate([[0.0], cum]), color=ACCENT, lw=2,
            label="累计价值占比 cumulative share")
    value_before = np.concatenate([[0.0], cum[:-1]])
    for c in "ABC":
        rows = np.flatnonzero(classes == c)
        if len(rows) == 0:
            continue
        start, end = rows[0] / n, (rows[-1] + 1) / n
        value_share = cum[rows[-1]] - value_before[rows[0]]
        ax.axvspan(start, end, color=CLASS_COLORS[c], alpha=0.35, lw=0,
                   label=f"{c} 类: {end - start:.0%} 客户 customers, {value_share:.0%} 价值 value")
    ax.set_xlim(0, 1)
    percent_axis(ax.xaxis)
    ax.set_xlabel("客户占比（按价值从大到小）share of customers, largest first")
    ax.set_ylabel("累计价值占比 cumulative share of value")
    return ax


@fill_doc
def plot_lorenz(data: pd.DataFrame | pd.Series | ArrayLike, *, label: str | None = None,
                ax: Axes | None = None) -> Axes:
    """Lorenz curve of value among customers, with the equality diagonal and the Gini coefficient.

    The farther the curve sags below the diagonal, the more the value is concentrated in a few
    customers; ``Gini = 1 - 2 * (area under the curve)`` (trapezoids), the same number as
    :func:`crmkit.abc.gini`. Call it again on the same ``ax`` to compare two curves.
    Textbook ch. 5 (cumulative share curve of the ABC analysis).

    Parameters
    ----------
    data : pandas.DataFrame, pandas.Series or array-like
        Result of :func:`crmkit.abc.lorenz` (``customer_share``, ``value_share``), or raw
        non-negative values per customer (passed to ``lorenz`` first).
    label : str, optional
        Legend text of the curve; the Gini value is added to it.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.abc import lorenz
    >>> from crmkit.plotting import plot_lorenz
    >>> ax = plot_lorenz(lorenz([0, 0, 0, 1]))          # Gini = 0.75
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['完全平均 equality', '洛伦兹曲线 Lorenz curve (基尼系数 Gini = 0.75)']
    >>> plt.close("all")
    """
    if not isinstance(data, pd.DataFrame):
        data = lorenz(data)
    table(data, ["customer_share", "value_share"], "data", "crmkit.abc.lorenz")
    x = numbers(data, "customer_share", "data")
    y = numbers(data, "value_share", "data")
    if np.any(np.diff(x) < 0) or x.min() < 0 or x.max() > 1:
        raise ValueError("`data['customer_share']` must rise from 0 to 1; pass the result of "
                         "crmkit.abc.lorenz.")
    g = abs(1.0 - 2.0 * float(np.trapezoid(y, x)))
    ax = new_ax(ax, figsize=(5, 5))
    if not any(line.get_gid() == "equality" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], ls="--", color=NEUTRAL, label="完全平均 equality", gid="equality")
    line, = ax.plot(x, y, lw=2, label=f"{label or glossary.label('洛伦兹曲线')} (基尼系数 Gini = {g:.2f})")
    ax.fill_between(x, x, y, color=line.get_color(), alpha=0.15)
    ax.set(xlim=(0, 1), ylim=(0, 1), title="洛伦兹曲线 · Lorenz curve",
           xlabel="累计客户占比 cumulative share of customers",
           ylabel="累计价值占比 cumulative share of value")
    percent_axis(ax.xaxis)
    percent_axis(ax.yaxis)
    ax.legend(loc="upper left", fontsize="small")
    return ax


@fill_doc
def plot_whale(profitability: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Whale curve: cumulative share of total profit against customers, most profitable first.

    The curve climbs above 100 % while profitable customers are added and falls back to
    exactly 100 % as the loss-making ones eat part of it; the peak is marked ("the most
    profitable X % of customers earn Y % of the profit") and the loss makers are shaded.
    Textbook ch. 5 (成本与收益分析法).

    Parameters
    ----------
    profitability : pandas.DataFrame
        Result of :func:`crmkit.abc.customer_profitability` (``profit``, ``customer_share``,
        ``cum_profit_share``, most profitable first).
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.abc import customer_profitability
    >>> from crmkit.plotting import plot_whale
    >>> shipments = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
    ...                           "revenue": [60.0, 40.0, 50.0, 30.0, 20.0],
    ...                           "cost": [20.0, 20.0, 30.0, 40.0, 25.0]})
    >>> ax = plot_whale(customer_profitability(shipments))
    >>> ax.get_title()
    '鲸鱼曲线 · Whale curve'
    >>> plt.close("all")
    """
    table(profitability, ["profit", "customer_share", "cum_profit_share"], "profitability",
          "crmkit.abc.customer_profitability")
    x = np.concatenate([[0.0], numbers(profitability, "customer_share", "profitability")])
    y = np.concatenate([[0.0], numbers(profitability, "cum_profit_share", "profitability")])
    if np.any(np.diff(x) <= 0):
        raise ValueError("`profitability` must be ranked most profitable first (rising "
                         "`customer_share`); pass the result of customer_profitability.")
    peak = whale_peak(profitability)
    ax = new_ax(ax)
    ax.plot(x, y, lw=2, color=ACCENT, label="累计利润占比 cumulative share of profit")
    ax.axhline(1.0, ls="--", color=NEUTRAL, label="总利润 total profit = 100%")
    losers = np.flatnonzero(numbers(profitability, "profit", "profitability") < 0)
    if len(losers):
        ax.axvspan(x[losers[0]], 1.0, color=BAD, alpha=0.1, lw=0,
                   label=f"亏损客户 loss-making customers ({len(losers)})")
    ax.plot([peak["customer_share"]], [peak["profit_share"]], "o", color=BAD, ms=8,
            label=(f"峰值 peak: 前 top {peak['customer_share']:.0%} 客户 → "
                   f"{peak['profit_share']:.0%} 利润 profit"))
    ax.set(xlim=(0, 1), ylim=(min(0.0, y.min()) * 1.05, max(1.0, y.max()) * 1.1),
           title="鲸鱼曲线 · Whale curve",
           xlabel="客户占比（按利润从高到低）share of customers, most profitable first",
           ylabel="累计利润 / 总利润 cumulative / total profit")
    percent_axis(ax.xaxis)
    percent_axis(ax.yaxis)
    ax.legend(loc="lower right", fontsize="small")
    return ax


@fill_doc
def plot_customer_matrix(data: pd.DataFrame, *, x_cut: float | None = None,
                         y_cut: float | None = None, ax: Axes | None = None) -> Axes:
    """Four-type grid as a scatter: growth prospects × market growth, or credit × loyalty.

    One point per customer coloured by its type, crosshair lines at the thresholds and the
    four type names (Chinese and English) in their quadrants. Textbook ch. 5 §5.3.2
    (客户构成分析: 淘汰 / 谨慎发展 / 重点培养 / 调整; 低信用低忠诚 … 黄金客户).

    Parameters
    ----------
    data : pandas.DataFrame
        Result of :func:`crmkit.abc.growth_matrix` (x = its first column, customer growth;
        y = its second, market growth) or :func:`crmkit.abc.loyalty_credit_matrix`
        (x = ``credit_score``, jittered sideways by a fixed amount so equal ratings do not hide
        each other; y = ``loyalty``).
    x_cut, y_cut : float, optional
        Where to draw the crosshairs; by default between the highest "low" and the lowest
        "high" value of the result's ``*_high`` flags (the thresholds the method used).
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.abc import growth_matrix
    >>> from crmkit.plotting import plot_customer_matrix
    >>> df = pd.DataFrame({"customer_growth": [0.3, -0.1, 0.2, -0.4],
    ...                    "market_growth": [0.1, 0.2, -0.1, -0.3]}, index=list("abcd"))
    >>> ax = plot_customer_matrix(growth_matrix(df, customer_min=0, market_min=0))
    >>> ax.get_title()
    '客户发展前景 × 市场成长性 · Growth matrix'
    >>> plt.close("all")
    """
    if isinstance(data, pd.DataFrame) and {"credit_high", "loyalty_high"} <= set(data.columns):
        table(data, ["credit_score", "loyalty", "credit_high", "loyalty_high", "type"], "data",
              "crmkit.abc.loyalty_credit_matrix")
        x_col, y_col, x_high, y_high = "credit_score", "loyalty", "credit_high", "loyalty_high"
        types, title = LOYALTY_CREDIT_TYPES, "客户忠诚度 × 信用 · Loyalty–credit matrix"
        labels = ("信用评分 credit score", "忠诚度 loyalty score")
    else:
        table(data, ["customer_high", "market_high", "type"], "data",
              "crmkit.abc.growth_matrix or loyalty_credit_matrix")
        x_col, y_col = data.columns[0], data.columns[1]
        x_high, y_high = "customer_high", "market_high"
        types, title = GROWTH_TYPES, "客户发展前景 × 市场成长性 · Growth matrix"
        labels = ("客户增长 customer growth", "市场增长 market growth")
    x, y = numbers(data, x_col, "data"), numbers(data, y_col, "data")
    xh, yh = data[x_high].to_numpy(dtype=bool), data[y_high].to_numpy(dtype=bool)
    x_cut = _cut(x, xh) if x_cut is None else float(x_cut)
    y_cut = _cut(y, yh) if y_cut is None else float(y_cut)
    credit = x_col == "credit_score"
    if credit and np.array_equal(x, np.round(x)):
        x = x + np.random.default_rng(0).uniform(-_JITTER, _JITTER, len(x))
    ax = new_ax(ax, figsize=(7, 5.5))
    for color, key in zip(_TYPE_COLORS, types):
        mask = (xh == key[0]) & (yh == key[1])
        zh, en = types[key]
        ax.scatter(x[mask], y[mask], s=18, alpha=0.7, color=color,
                   label=f"{zh} {en} ({int(mask.sum())})")
    ax.axvline(x_cut, color="black", lw=1)
    ax.axhline(y_cut, color="black", lw=1)
    if credit:
        ax.set_xticks([CREDIT_SCORES[r] for r in CREDIT_RATINGS], list(CREDIT_RATINGS))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pad = 0.14 * (y1 - y0)  # room for the type names in the corners
    y0, y1 = y0 - pad, y1 + pad
    for color, (key, (zh, en)) in zip(_TYPE_COLORS, types.items()):
        ax.text(x1 if key[0] else x0, y1 if key[1] else y0, f"{zh}\n{en}",
                ha="right" if key[0] else "left", va="top" if key[1] else "bottom",
                color=color, fontsize="small", fontweight="bold",
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=labels[0], ylabel=labels[1], title=title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


def _cut(values, high):
    """A line between the highest value flagged low and the lowest flagged high."""
    if high.all():
        return float(values.min())
    if not high.any():
        return float(values.max())
    return (float(values[~high].max()) + float(values[high].min())) / 2


def _warn_other_cutoffs(cum, classes, cuts):
    """Warn when the classes in the data were made with other cut-offs than the lines drawn."""
    expected = np.where(cum <= cuts[0] + 1e-9, "A", np.where(cum <= cuts[1] + 1e-9, "B", "C"))
    if (expected != classes).any():
        warnings.warn(f"The classes in `data` were not made with cutoffs={cuts}; pass "
                      "plot_pareto(..., cutoffs=...) the cut-offs you classified with, so the "
                      "lines fall where the classes split.", UserWarning, stacklevel=3)
