"""Customer segments: logistics tiers vs 表1-1, four-type grids, relationship stage transitions.

Textbook: chapter 1, 现代物流客户关系管理概论 (表1-1 物流客户层次表, 表1-2 客户各阶段的特点);
chapter 5, 现代物流核心客户关系管理实施 (客户构成分析).
Notebooks: notebooks/01_customer_types.ipynb, notebooks/05_abc_core_customers.ipynb
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.abc import CREDIT_RATINGS, CREDIT_SCORES, GROWTH_TYPES, LOYALTY_CREDIT_TYPES
from crmkit.classify import STAGE_EN, TIER_EN
from crmkit.plotting._base import CLASS_COLORS, new_ax, numbers, percent_axis, table

__all__ = ["plot_tiers", "plot_customer_matrix", "plot_stage_transitions"]

#: Colours of the four types of a grid, in the order of GROWTH_TYPES / LOYALTY_CREDIT_TYPES
#: (both high, second only, first only, both low).
_TYPE_COLORS = ("#2e8b57", "#5b9bd5", "#e7a33e", "#c0392b")
_JITTER = 0.15  # half-width of the sideways jitter of whole-number credit scores


def plot_tiers(tiers, *, ax=None):
    """Share of customers next to share of profit per logistics tier, with 表1-1's shares.

    Two bars per tier (客户占比 share of customers, 利润占比 share of profit) and the textbook's
    shares (5/15/80 % of customers, 80/15/5 % of profit) as black markers on the same bars, so
    students see at a glance how their data compare with 表1-1. Textbook ch. 1 第一节 二(四).

    Parameters
    ----------
    tiers : pandas.DataFrame
        Result of :func:`crmkit.classify.tier_table` (``customer_share``, ``profit_share``,
        ``textbook_customer_share``, ``textbook_profit_share``; one row per tier).
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
    >>> from crmkit.classify import tier_table
    >>> from crmkit.plotting import plot_tiers
    >>> profit = pd.Series([500, 20, 90, 5, 10, 8, 7, 6, 4, 3], index=list("abcdefghij"))
    >>> ax = plot_tiers(tier_table(profit))
    >>> ax.get_title(), len(ax.patches)
    ('物流客户层次 · Customer tiers vs 表1-1', 6)
    >>> plt.close("all")
    """
    cols = ["customer_share", "profit_share", "textbook_customer_share", "textbook_profit_share"]
    table(tiers, cols, "tiers", "crmkit.classify.tier_table")
    shares = {c: numbers(tiers, c, "tiers") for c in cols}
    ax = new_ax(ax)
    pos = np.arange(len(tiers))
    width = 0.38
    for offset, col, color, name in ((-width / 2, "customer_share", CLASS_COLORS["B"],
                                      "客户占比 share of customers"),
                                     (width / 2, "profit_share", CLASS_COLORS["A"],
                                      "利润占比 share of profit")):
        bars = ax.bar(pos + offset, shares[col], width, color=color, label=name)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in shares[col]], fontsize="small")
        ax.plot(pos + offset, shares[f"textbook_{col}"], ls="none", marker="_", ms=28, mew=3,
                color="black", label="表1-1 教材值 textbook" if offset < 0 else None)
    names = [f"{t}\n{TIER_EN.get(str(t), '')}".strip() for t in tiers.index]
    ax.set_xticks(pos, names)
    top = max(1.0, *(float(np.max(v)) for v in shares.values()))
    ax.set(ylim=(min(0.0, *(float(np.min(v)) for v in shares.values())) * 1.1, top * 1.08),
           ylabel="占比 share", title="物流客户层次 · Customer tiers vs 表1-1")
    percent_axis(ax.yaxis)
    ax.legend(loc="upper center", fontsize="small")
    return ax


def plot_customer_matrix(data, *, x_cut=None, y_cut=None, ax=None):
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


def plot_stage_transitions(transitions, *, ax=None):
    """Heatmap of relationship stages at the start (rows) against the end (columns).

    Cells on the diagonal are customers who stayed; right of it they moved up (e.g.
    朋友 → 客户), left of it they fell back. Counts, or row shares if the table was made with
    ``normalize=True``. Textbook ch. 1 第一节 三 (表1-2 客户各阶段的特点).

    Parameters
    ----------
    transitions : pandas.DataFrame
        Result of :func:`crmkit.classify.stage_transitions` (from-stage rows × to-stage columns).
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
    >>> from crmkit.classify import STAGES
    >>> from crmkit.plotting import plot_stage_transitions
    >>> t = pd.DataFrame(0, index=pd.Index(STAGES, name="from_stage"),
    ...                  columns=pd.Index(STAGES, name="to_stage"))
    >>> t.loc["朋友", "客户"] = 3
    >>> ax = plot_stage_transitions(t)
    >>> ax.get_title(), ax.get_yticklabels()[2].get_text()
    ('客户关系阶段转移 · Stage transitions', '朋友 friend')
    >>> plt.close("all")
    """
    import seaborn as sns

    if not isinstance(transitions, pd.DataFrame):
        raise TypeError("`transitions` must be a pandas DataFrame (the result of "
                        f"crmkit.classify.stage_transitions), but a {type(transitions).__name__} "
                        "was passed.")
    table(transitions, [], "transitions", "crmkit.classify.stage_transitions")
    for col in transitions.columns:
        numbers(transitions, col, "transitions")
    values = transitions.to_numpy(dtype=float)
    shares = np.nanmax(values, initial=0.0) <= 1 and not np.array_equal(
        np.nan_to_num(values), np.round(np.nan_to_num(values)))
    ax = new_ax(ax, figsize=(6.5, 5))
    sns.heatmap(transitions.astype(float), annot=True, fmt=".0%" if shares else ".0f",
                cmap="Blues", linewidths=0.5, cbar_kws={"label": "占比 share" if shares
                                                        else "客户数 customers"}, ax=ax)
    if shares:
        percent_axis(ax.collections[0].colorbar.ax.yaxis)
    n = min(values.shape)
    from matplotlib.patches import Rectangle

    for i in range(n):
        ax.add_patch(Rectangle((i, i), 1, 1, fill=False, edgecolor="black", lw=1.5))
    ax.set_xticks(np.arange(values.shape[1]) + 0.5,
                  [_stage(s, "\n") for s in transitions.columns], rotation=0)
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, [_stage(s) for s in transitions.index],
                  rotation=0)
    ax.set(title="客户关系阶段转移 · Stage transitions", xlabel="结束时阶段 stage at the end",
           ylabel="开始时阶段 stage at the start")
    return ax


def _stage(label, sep=" "):
    return f"{label}{sep}{STAGE_EN[label]}" if label in STAGE_EN else str(label)
