"""Charts of crmkit.classify: logistics tiers against 表1-1, relationship stage transitions.

Textbook: chapter 1, 现代物流客户关系管理概论 (表1-1 物流客户层次表, 表1-2 客户各阶段的特点).
Notebook: notebooks/01_customer_types.ipynb
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit.vocabulary import EN, STAGES
from crmkit.plotting._base import CLASS_COLORS, new_ax, numbers, percent_axis, table
from crmkit.plotting._pieces import fill_doc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_tiers", "plot_stage_transitions"]


@fill_doc
def plot_tiers(tiers: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Share of customers next to share of profit per logistics tier, with 表1-1's shares.

    Two bars per tier (客户占比 share of customers, 利润占比 share of profit) and the textbook's
    shares (5/15/80 % of customers, 80/15/5 % of profit) as black markers on the same bars, so
    students see at a glance how their data compare with 表1-1. Textbook ch. 1 第一节 二(四).

    Parameters
    ----------
    tiers : pandas.DataFrame
        Result of :func:`crmkit.classify.tier_table` (``customer_share``, ``profit_share``,
        ``textbook_customer_share``, ``textbook_profit_share``; one row per tier).
    {ax}

    {returns_ax}

    {examples_head}
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
    names = [f"{t}\n{EN.get(str(t), '')}".strip() for t in tiers.index]
    ax.set_xticks(pos, names)
    top = max(1.0, *(float(np.max(v)) for v in shares.values()))
    ax.set(ylim=(min(0.0, *(float(np.min(v)) for v in shares.values())) * 1.1, top * 1.08),
           ylabel="占比 share", title="物流客户层次 · Customer tiers vs 表1-1")
    percent_axis(ax.yaxis)
    ax.legend(loc="upper center", fontsize="small")
    return ax


@fill_doc
def plot_stage_transitions(transitions: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Heatmap of relationship stages at the start (rows) against the end (columns).

    Cells on the diagonal are customers who stayed; right of it they moved up (e.g.
    朋友 → 客户), left of it they fell back. Counts, or row shares if the table was made with
    ``normalize=True``. Textbook ch. 1 第一节 三 (表1-2 客户各阶段的特点).

    Parameters
    ----------
    transitions : pandas.DataFrame
        Result of :func:`crmkit.classify.stage_transitions` (from-stage rows × to-stage columns).
    {ax}

    {returns_ax}

    {examples_head}
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
    return f"{label}{sep}{EN[label]}" if label in STAGES else str(label)
