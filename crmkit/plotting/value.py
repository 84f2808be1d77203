"""Key-customer charts: RFM grid and segments, customer lifetime value against retention.

Textbook: chapter 4, 现代物流重点客户关系管理实施 (客户价值, 客户分级, 客户保持与终身价值).
Notebook: notebooks/04_key_customers_vip.ipynb
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit import glossary
from crmkit._validate import check_choice, check_fraction, check_number
from crmkit.plotting._base import BAD, CLASS_COLORS, new_ax, numbers, percent_axis, table
from crmkit.plotting._pieces import fill_doc
from crmkit.value import (
    DISCOUNT_RATE, RETENTION_UPLIFT, RFM_SEGMENTS, clv, profit_uplift, segment_summary,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["plot_rfm_heatmap", "plot_rfm_segments", "plot_clv_curve"]

_AGGS = {"mean": "平均 mean", "median": "中位数 median", "sum": "合计 total", "count": "客户数"}
_VALUE_NAMES = {"monetary": "消费金额 monetary", "frequency": "订单数 frequency",
                "recency_days": "距上次下单天数 recency (days)", "rfm_total": "RFM 总分 total"}
_WAN = 1e4  # 万: money of 10,000 yuan or more is shown in 万元


@fill_doc
def plot_rfm_heatmap(rfm_table: pd.DataFrame, *, value: str = "monetary", agg: str = "mean",
                     ax: Axes | None = None) -> Axes:
    """R × F grid of RFM scores, each cell the mean ``value`` of its customers (annotated).

    Rows are recency scores (best, 5, on top), columns frequency scores; the colour shows
    where the money is. Money of 10,000 yuan or more is shown in 万元 (10k yuan). Empty cells
    stay blank. Textbook ch. 4 (客户分级: RFM).

    Parameters
    ----------
    rfm_table : pandas.DataFrame
        Result of :func:`crmkit.value.rfm` (``R``, ``F`` and ``value``).
    value : str, default "monetary"
        Column to summarise per cell.
    agg : {"mean", "median", "sum", "count"}
        How to summarise; ``"count"`` counts customers per cell.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_rfm_heatmap
    >>> scores = pd.DataFrame({"R": [1, 2, 2, 3], "F": [1, 3, 3, 2],
    ...                        "monetary": [100.0, 500.0, 700.0, 300.0]})
    >>> ax = plot_rfm_heatmap(scores)
    >>> [t.get_text() for t in ax.texts]          # rows R = 3, 2, 1; cell R2 F3 = (500 + 700) / 2
    ['300', '600', '100']
    >>> plt.close("all")
    """
    import seaborn as sns

    check_choice("agg", tuple(_AGGS), agg)
    table(rfm_table, ["R", "F", value], "rfm_table", "crmkit.value.rfm")
    for col in ("R", "F") if agg == "count" else ("R", "F", value):
        numbers(rfm_table, col, "rfm_table")
    scores = rfm_table[["R", "F"]]
    if scores.isna().any().any() or not np.array_equal(scores, np.round(scores)) or (
            scores < 1).any().any():
        raise ValueError("`rfm_table['R']` and `['F']` must be whole-number scores from 1; pass "
                         "the result of crmkit.value.rfm.")
    bins = int(scores.max().max())
    grid = rfm_table.pivot_table(index="R", columns="F", values=value,
                                 aggfunc="size" if agg == "count" else agg)
    grid = grid.reindex(index=range(bins, 0, -1), columns=range(1, bins + 1)).astype(float)
    wan = agg != "count" and value == "monetary" and np.nanmax(np.abs(grid.to_numpy()),
                                                               initial=0) >= _WAN
    shown = grid / _WAN if wan else grid
    top = np.nanmax(np.abs(shown.to_numpy()), initial=0)
    fmt = ".0f" if agg == "count" else (".1f" if wan or 1 <= top < 100 else
                                        (",.0f" if top >= 100 else ".2f"))
    unit = "客户数 customers" if agg == "count" else (
        "万元 10k yuan" if wan else _VALUE_NAMES.get(value, value))
    ax = new_ax(ax, figsize=(6.5, 5))
    sns.heatmap(shown, annot=True, fmt=fmt, cmap="Blues", linewidths=0.5, ax=ax,
                cbar_kws={"label": unit})
    what = "客户数 customers" if agg == "count" else f"{_AGGS[agg]} {_VALUE_NAMES.get(value, value)}"
    ax.set(title=f"{what} · R × F", xlabel="F 频率得分 frequency score",
           ylabel="R 近度得分 recency score")
    ax.tick_params(axis="y", rotation=0)
    return ax


@fill_doc
def plot_rfm_segments(rfm_table: pd.DataFrame, *, value: str = "monetary", ax: Axes | None = None) -> Axes:
    """Share of customers next to share of revenue for each of the eight RFM segments.

    Two bars per segment (客户占比 customers, 收入占比 revenue), the number of customers in the
    label: e.g. 重要价值客户 may be a fifth of the customers but half the revenue.
    Textbook ch. 4 (客户分级: serve segments differently).

    Parameters
    ----------
    rfm_table : pandas.DataFrame
        Result of :func:`crmkit.value.rfm` (summarised with
        :func:`crmkit.value.segment_summary` first) or of ``segment_summary`` itself.
    value : str, default "monetary"
        Revenue column of an ``rfm`` result.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_rfm_segments
    >>> table = pd.DataFrame({"segment": ["重要价值客户", "重要价值客户", "一般挽留客户", "重要挽留客户"],
    ...                       "monetary": [500.0, 300.0, 20.0, 180.0]})
    >>> ax = plot_rfm_segments(table)
    >>> [round(float(p.get_width()), 2) for p in ax.patches][:2], ax.get_yticklabels()[0].get_text()
    ([0.5, 0.0], '重要价值客户 important value (n=2)')
    >>> plt.close("all")
    """
    if isinstance(rfm_table, pd.DataFrame) and {"customer_share", "revenue_share"} <= set(
            rfm_table.columns):
        summary = table(rfm_table, ["customers", "customer_share", "revenue_share"],
                        "rfm_table", "crmkit.value.segment_summary")
    else:
        table(rfm_table, ["segment", value], "rfm_table", "crmkit.value.rfm")
        summary = segment_summary(rfm_table, value=value)
    english = {zh: en for zh, en in RFM_SEGMENTS.values()}
    counts = numbers(summary, "customers", "rfm_table")
    pos = np.arange(len(summary))
    ax = new_ax(ax, figsize=(7.5, 0.5 * len(summary) + 1.6))
    for j, (col, color, label) in enumerate((
            ("customer_share", CLASS_COLORS["B"], "客户占比 customers"),
            ("revenue_share", CLASS_COLORS["A"], "收入占比 revenue"))):
        shares = numbers(summary, col, "rfm_table")
        bars = ax.barh(pos + (j - 0.5) * 0.4, shares, height=0.4, color=color, label=label)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in shares], padding=2, fontsize="x-small")
    ax.set_yticks(pos, [f"{s} {english.get(str(s), '')} (n={int(n)})".replace("  ", " ")
                        for s, n in zip(summary.index, counts)])
    ax.invert_yaxis()
    percent_axis(ax.xaxis)
    ax.set_xlim(0, 1.1 * max(numbers(summary, "customer_share", "rfm_table").max(),
                             numbers(summary, "revenue_share", "rfm_table").max(), 0.05))
    ax.set(xlabel="占比 share", title="RFM 细分 · Segments: customers vs revenue")
    ax.legend(loc="lower right", fontsize="small")
    return ax


@fill_doc
def plot_clv_curve(margin: float, *, retention: ArrayLike | None = None,
                   discount: float = DISCOUNT_RATE, uplift: float = RETENTION_UPLIFT,
                   current: float | None = 0.80, years: int | None = None, ax: Axes | None = None) -> Axes:
    """Customer lifetime value against the retention rate, with the gain of keeping 5 % more.

    The curve is :func:`crmkit.value.clv` over ``retention``; it bends upwards, so the same
    +5 points of retention (marked from ``current``, :func:`crmkit.value.profit_uplift`) is
    worth more the higher retention already is. The title gives the gain in CLV. Textbook
    ch. 4 (客户保持; Reichheld & Sasser 1990: +5 points of retention, +25–85 % profit).

    Parameters
    ----------
    margin : float
        Profit per period from a customer (yuan).
    retention : array-like of float, optional
        Retention rates for the curve; default 0.50, 0.51, …, 0.95.
    discount : float, default 0.10
        Discount rate per period.
    uplift : float, default 0.05
        Added retention whose gain is marked.
    current : float or None, default 0.80
        Retention the gain starts from; None marks nothing.
    years : int, optional
        Finite horizon, as in :func:`crmkit.value.clv`.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_clv_curve
    >>> ax = plot_clv_curve(1000)                 # CLV 3,667 at 80 %, 4,400 at 85 %: +20 %
    >>> ax.get_title()
    '保持率 +5 个百分点 → CLV +20% · retention +5 points from 80%'
    >>> ax.get_lines()[1].get_ydata().round(0).tolist()
    [3667.0, 4400.0]
    >>> plt.close("all")
    """
    from matplotlib.ticker import StrMethodFormatter

    check_number(margin, "margin")
    grid = (np.round(np.arange(0.50, 0.951, 0.01), 2) if retention is None
            else np.sort(np.asarray(retention, dtype=float).ravel()))
    if grid.size < 2:
        raise ValueError("`retention` needs at least two rates to draw a curve, e.g. "
                         "np.linspace(0.5, 0.95, 46).")
    values = clv(margin, pd.Series(grid), discount, years=years)
    ax = new_ax(ax)
    ax.plot(grid, values.to_numpy(), color=CLASS_COLORS["A"], lw=2,
            label=glossary.label("客户终身价值"))
    title = "客户终身价值与保持率 · CLV vs retention"
    if current is not None:
        check_fraction(current, "current", open_interval=False)
        up = profit_uplift(current, uplift=uplift, margin=margin, discount=discount,
                           years=years).iloc[0]
        ax.plot([up["retention"], up["retention_after"]], [up["clv_before"], up["clv_after"]],
                "o-", color=BAD, lw=2, ms=7,
                label=f"+{uplift * 100:g} 个百分点 points: {up['clv_before']:,.0f} → "
                      f"{up['clv_after']:,.0f}")
        title = (f"保持率 +{uplift * 100:g} 个百分点 → CLV {up['gain_pct']:+.0%} · "
                 f"retention +{uplift * 100:g} points from {current:.0%}")
    percent_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set(title=title, xlabel=glossary.label("客户保持率"), ylabel=f"{glossary.label('客户终身价值')} (元 yuan)")
    ax.legend(loc="upper left", fontsize="small")
    return ax
