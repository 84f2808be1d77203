"""Satisfaction charts: importance–performance quadrants, SERVQUAL gaps, NPS distribution.

Textbook: chapter 6, 现代物流客户服务的满意度.
Notebook: notebooks/06_satisfaction.ipynb
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_columns, check_frame, check_number
from crmkit.plotting._base import BAD, GOOD, NEUTRAL, dimension_label, new_ax, numbers, table
from crmkit.satisfaction import (
    IPA_QUADRANTS, NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE, nps,
)

__all__ = ["plot_ipa", "plot_servqual_gaps", "plot_nps"]

#: Colours of the IPA quadrants: fix (red), keep (green), low priority (grey), overkill (amber).
_QUADRANT_COLORS = {(True, False): BAD, (True, True): GOOD, (False, False): NEUTRAL,
                    (False, True): "#e7a33e"}
_PASSIVE = "#f1c40f"


def plot_ipa(data, *, importance_cut=None, performance_cut=None, ax=None):
    """Importance–performance quadrant chart (IPA) with the four quadrant names.

    Performance on x, importance on y (Martilla & James 1977), crosshairs where
    :func:`crmkit.satisfaction.ipa` cut the quadrants (its ``attrs``; the means for other
    tables); each attribute is a labelled point coloured by
    its quadrant: 重点改进 concentrate here (top left), 继续保持 keep up the good work (top right),
    低优先 low priority (bottom left), 过度投入 possible overkill (bottom right).
    Textbook ch. 6 (importance–performance analysis).

    Parameters
    ----------
    data : pandas.DataFrame
        Result of :func:`crmkit.satisfaction.ipa` (``importance``, ``performance``, one row per
        attribute).
    importance_cut, performance_cut : float, optional
        Crosshair positions; default ``data.attrs["importance_cut"]`` and
        ``data.attrs["performance_cut"]`` (recorded by ``ipa``), else the means.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from crmkit.satisfaction import ipa
    >>> from crmkit.plotting import plot_ipa
    >>> result = ipa({"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3},
    ...              {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5})
    >>> ax = plot_ipa(result)
    >>> ax.get_title()
    'IPA 重要性-绩效分析 · Importance–performance'
    >>> ax = plot_ipa(ipa({"a": 1, "b": 3}, {"a": 2, "b": 4}, performance_cut=5))
    >>> ax.get_lines()[0].get_xdata()            # the crosshair ipa used, not the mean 3
    [5.0, 5.0]
    >>> plt.close("all")
    """
    table(data, ["importance", "performance"], "data", "crmkit.satisfaction.ipa")
    imp, perf = numbers(data, "importance", "data"), numbers(data, "performance", "data")
    if importance_cut is None:
        importance_cut = data.attrs.get("importance_cut", float(imp.mean()))
    if performance_cut is None:
        performance_cut = data.attrs.get("performance_cut", float(perf.mean()))
    i_cut = float(check_number(importance_cut, "importance_cut"))
    p_cut = float(check_number(performance_cut, "performance_cut"))
    ax = new_ax(ax, figsize=(7, 5.5))
    colors = [_QUADRANT_COLORS[(bool(i >= i_cut), bool(p >= p_cut))] for i, p in zip(imp, perf)]
    ax.scatter(perf, imp, s=70, c=colors, zorder=3)
    for name, p, i in zip(data.index, perf, imp):
        ax.annotate(dimension_label(name), (p, i), xytext=(6, 4), textcoords="offset points",
                    fontsize="small")
    ax.axvline(p_cut, color="black", lw=1)
    ax.axhline(i_cut, color="black", lw=1)
    ax.margins(0.25)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for key, (zh, en) in IPA_QUADRANTS.items():
        high_imp, high_perf = key
        ax.text(x1 if high_perf else x0, y1 if high_imp else y0, f"{zh}\n{en}",
                ha="right" if high_perf else "left", va="top" if high_imp else "bottom",
                color=_QUADRANT_COLORS[key], fontsize="small", fontweight="bold")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="绩效 performance", ylabel="重要性 importance",
           title="IPA 重要性-绩效分析 · Importance–performance")
    return ax


def plot_servqual_gaps(gaps, *, ax=None):
    """SERVQUAL gap per dimension: red bars fall short of expectations, green bars exceed them.

    ``gap = perception - expectation`` (Parasuraman et al. 1988); a zero line separates the
    two. Textbook ch. 6 (满意度 = 感知服务与期望服务之差).

    Parameters
    ----------
    gaps : crmkit.satisfaction.ServqualGaps or pandas.DataFrame
        Result of :func:`crmkit.satisfaction.servqual_gaps` (its ``.dimensions`` are drawn), or
        any frame with a ``gap`` column (e.g. ``.items``), one row per bar.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from crmkit.satisfaction import servqual_gaps
    >>> from crmkit.plotting import plot_servqual_gaps
    >>> surveys = pd.DataFrame({"exp_reliability_1": [7, 6], "per_reliability_1": [5, 4],
    ...                         "exp_empathy_1": [5, 4], "per_empathy_1": [6, 5]})
    >>> ax = plot_servqual_gaps(servqual_gaps(surveys))
    >>> [float(p.get_width()) for p in ax.patches]
    [-2.0, 1.0]
    >>> plt.close("all")
    """
    frame = getattr(gaps, "dimensions", gaps)
    table(frame, ["gap"], "gaps", "crmkit.satisfaction.servqual_gaps")
    gap = numbers(frame, "gap", "gaps")
    if np.isnan(gap).any():
        raise ValueError("`gaps['gap']` has missing values; every bar needs a number.")
    ax = new_ax(ax, figsize=(7, 0.6 * len(gap) + 1.5))
    pos = np.arange(len(gap))[::-1]
    bars = ax.barh(pos, gap, color=[BAD if g < 0 else GOOD for g in gap], height=0.6)
    ax.bar_label(bars, labels=[f"{g:+.2f}" for g in gap], padding=3, fontsize="small")
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(pos, [dimension_label(d) for d in frame.index])
    reach = max(float(np.abs(gap).max()), 0.1) * 1.3
    ax.set(xlim=(min(-reach, 0) if (gap < 0).any() else -0.1 * reach,
                 reach if (gap > 0).any() else 0.1 * reach),
           xlabel="差距 gap = 感知 perception - 期望 expectation",
           title="SERVQUAL 差距 · Service quality gaps")
    return ax


def plot_nps(data, *, score="recommend", ax=None):
    """Distribution of the 0–10 "would you recommend us?" answers, coloured by NPS group.

    Detractors (0–6) red, passives (7–8) yellow, promoters (9–10) green; the legend gives each
    group's share and the title the Net Promoter Score (Reichheld 2003). Textbook ch. 6.

    Parameters
    ----------
    data : pandas.DataFrame, pandas.Series or array-like
        The survey table (with a ``score`` column) or the answers themselves.
    score : str, default "recommend"
        Column of ``data`` with the answers when ``data`` is a DataFrame.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from crmkit.plotting import plot_nps
    >>> ax = plot_nps([10, 9, 9, 8, 7, 6, 3, 10])    # 4 promoters, 2 detractors of 8
    >>> ax.get_title(), len(ax.patches)
    ('NPS 净推荐值 = +25', 11)
    >>> plt.close("all")
    """
    if isinstance(data, pd.DataFrame):
        check_frame(data)
        check_columns(data, [score])
        data = data[score]
    value = nps(data)  # validates: 0-10 whole numbers, no missing values
    x = np.asarray(data, dtype=float).astype(int)
    low, high = NPS_SCALE
    counts = np.bincount(x - low, minlength=high - low + 1)
    points = np.arange(low, high + 1)
    groups = ((points <= NPS_DETRACTOR_MAX, BAD, f"贬损者 detractors {low}-{NPS_DETRACTOR_MAX}"),
              ((points > NPS_DETRACTOR_MAX) & (points < NPS_PROMOTER_MIN), _PASSIVE,
               f"被动者 passives {NPS_DETRACTOR_MAX + 1}-{NPS_PROMOTER_MIN - 1}"),
              (points >= NPS_PROMOTER_MIN, GOOD, f"推荐者 promoters {NPS_PROMOTER_MIN}-{high}"))
    ax = new_ax(ax)
    for mask, color, name in groups:
        share = counts[mask].sum() / counts.sum()
        ax.bar(points[mask], counts[mask], color=color, label=f"{name}: {share:.0%}")
    ax.set_xticks(points)
    ax.set(xlabel="推荐意愿 likelihood to recommend (0-10)", ylabel="回答数 responses",
           title=f"NPS 净推荐值 = {value:+.0f}")
    ax.legend(loc="upper left", fontsize="small")
    return ax

