"""Charts of the service KPIs (crmkit.kpi): p and u control charts, KPI dashboard, one KPI by group.

Textbook: chapter 7, 现代物流客户服务管理体系 (第一节 物流客户服务质量管理标准与绩效评估).
Notebook: notebooks/07_service_quality_kpis.ipynb
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._validate import check_fraction, check_number
from crmkit.kpi import KPI_LABELS
from crmkit.plotting._base import (
    BAD, CLASS_COLORS, NEUTRAL, category_ticks, new_ax, numbers, percent_axis, table,
)
from crmkit.plotting._pieces import fill_doc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_p_chart", "plot_u_chart", "plot_kpi_dashboard", "plot_kpi_by_group"]

#: KPIs where a smaller number is better: a group is off target when it is *above* the target.
_LOWER_IS_BETTER = ("damage_rate", "loss_rate", "doc_error_rate", "complaint_rate")


@fill_doc
def plot_p_chart(chart: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Shewhart p chart: the rate per period, centre line, control limits, out-of-control points.

    The limits are drawn as steps because each period has its own (a month with fewer orders
    gets wider limits); points outside them are circled in red. Textbook ch. 7 §1 (control of
    service quality over time).

    Parameters
    ----------
    chart : pandas.DataFrame
        Result of :func:`crmkit.kpi.p_chart` (``p``, ``center``, ``lcl``, ``ucl``,
        ``out_of_control``; index = periods).
    {title}
        Default "p 控制图 · p chart".
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.kpi import p_chart
    >>> from crmkit.plotting import plot_p_chart
    >>> ax = plot_p_chart(p_chart([8, 10, 12, 30], [100, 100, 100, 100]))
    >>> ax.get_title(), ax.collections[0].get_offsets().tolist()   # month 4 is out of control
    ('p 控制图 · p chart', [[3.0, 0.3]])
    >>> plt.close("all")
    """
    table(chart, ["p", "center", "lcl", "ucl", "out_of_control"], "chart", "crmkit.kpi.p_chart")
    return _control_chart(chart, "p", title or "p 控制图 · p chart", "比率 rate", ax)


@fill_doc
def plot_u_chart(chart: pd.DataFrame, *, title: str | None = None, ylabel: str | None = None,
                 ax: Axes | None = None) -> Axes:
    """Shewhart u chart: events per unit by period (e.g. complaints per 1,000 shipments a month).

    Drawn like :func:`plot_p_chart`: the rate, the centre line, limits as steps (each period has
    its own) and out-of-control points circled in red. Textbook ch. 7 §1 (control of service
    quality over time; 客户投诉率).

    Parameters
    ----------
    chart : pandas.DataFrame
        Result of :func:`crmkit.kpi.u_chart`: one row per period with the rate ``u`` and its
        ``center``, ``lcl``, ``ucl`` and ``out_of_control`` flag.
    {title}
        Default "u 控制图 · u chart".
    {ylabel}
        Default "单位事件数 events per unit u"; e.g. "每千单投诉 complaints per 1,000 shipments".
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.kpi import u_chart
    >>> from crmkit.plotting import plot_u_chart
    >>> ax = plot_u_chart(u_chart([2, 3, 1, 12], [1000, 1500, 500, 1000], per=1000))
    >>> ax.get_title(), ax.collections[0].get_offsets().tolist()   # month 4 is out of control
    ('u 控制图 · u chart', [[3.0, 12.0]])
    >>> plt.close("all")
    """
    table(chart, ["u", "center", "lcl", "ucl", "out_of_control"], "chart", "crmkit.kpi.u_chart")
    return _control_chart(chart, "u", title or "u 控制图 · u chart",
                          ylabel or "单位事件数 events per unit u", ax)


def _control_chart(chart, col, title, ylabel, ax):
    """Rate line, centre line, step limits and circled out-of-control points (p or u chart)."""
    rate = numbers(chart, col, "chart")
    out = chart["out_of_control"].to_numpy(dtype=bool)
    pos = np.arange(len(rate))
    edges = np.arange(len(rate) + 1) - 0.5
    share = col == "p"
    ax = new_ax(ax, figsize=(8, 4))
    ax.plot(pos, rate, marker="o", color=CLASS_COLORS["A"],
            label="比率 rate p" if share else "比率 rate u")
    center = numbers(chart, "center", "chart")
    ax.stairs(center, edges, baseline=None, color="black",
              label=f"中心线 centre line {center[0]:.1%}" if share
              else f"中心线 centre line {center[0]:.3g}")
    ax.stairs(numbers(chart, "ucl", "chart"), edges, baseline=None, color=BAD, ls="--",
              label="控制上限 UCL")
    ax.stairs(numbers(chart, "lcl", "chart"), edges, baseline=None, color=BAD, ls=":",
              label="控制下限 LCL")
    ax.scatter(pos[out], rate[out], s=110, facecolors="none", edgecolors=BAD, linewidths=2,
               zorder=3, label=f"失控点 out of control ({int(out.sum())})")
    category_ticks(ax, chart.index)
    ax.set_xlim(edges[0], edges[-1])
    if share:
        percent_axis(ax.yaxis, decimals=1)
    ax.set(title=title, xlabel="期间 period", ylabel=ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


@fill_doc
def plot_kpi_dashboard(dashboard: pd.DataFrame, *,
                       kpis: str | Sequence[str] = ("on_time_rate", "otif_rate",
                                                   "perfect_order_rate"),
                       target: float | None = None, ax: Axes | None = None) -> Axes:
    """Monthly KPI dashboard: one line per rate KPI over the periods, with an optional target.

    Textbook ch. 7 §1 (the table a service manager reviews every month).

    Parameters
    ----------
    dashboard : pandas.DataFrame
        Result of :func:`crmkit.kpi.kpi_dashboard` (one row per period, rate columns).
    kpis : sequence of str
        Rate columns to draw (any of ``crmkit.kpi.KPI_COLUMNS`` except ``orders``).
    {target}
        A rate from 0 to 1.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_kpi_dashboard
    >>> board = pd.DataFrame({"on_time_rate": [0.9, 0.95], "otif_rate": [0.85, 0.9]},
    ...                      index=pd.period_range("2025-01", periods=2, freq="M"))
    >>> ax = plot_kpi_dashboard(board, kpis=["on_time_rate", "otif_rate"], target=0.95)
    >>> [line.get_label() for line in ax.get_lines()]
    ['准时率 on time', '准时足量率 OTIF', '目标 target 95%']
    >>> plt.close("all")
    """
    kpis = [kpis] if isinstance(kpis, str) else list(kpis)
    if not kpis:
        raise ValueError("`kpis` is empty: name at least one rate column, e.g. 'otif_rate'.")
    table(dashboard, kpis, "dashboard", "crmkit.kpi.kpi_dashboard")
    if target is not None:
        check_fraction(target, "target", open_interval=False)
    pos = np.arange(len(dashboard))
    ax = new_ax(ax, figsize=(8, 4))
    for kpi in kpis:
        ax.plot(pos, numbers(dashboard, kpi, "dashboard"), marker="o", ms=4,
                label=KPI_LABELS.get(kpi, kpi))
    if target is not None:
        ax.axhline(target, ls="--", color=BAD, label=f"目标 target {target:.0%}")
    category_ticks(ax, dashboard.index)
    percent_axis(ax.yaxis)
    ax.set(title="服务 KPI 看板 · KPI dashboard", xlabel="期间 period", ylabel="比率 rate")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


@fill_doc
def plot_kpi_by_group(kpis: pd.DataFrame, *, kpi: str = "on_time_rate",
                      target: float | None = None, overall: float | pd.Series | None = None,
                      ax: Axes | None = None) -> Axes:
    """One KPI per group as dots (joined by a line over periods), with target and overall lines.

    Groups that miss the ``target`` are red: below it for rates where more is better (on time,
    OTIF …), above it where less is better (damage, loss, document errors, complaint rate).
    Textbook ch. 7 §1 (服务质量评估: compare customer groups, services and months).

    Parameters
    ----------
    kpis : pandas.DataFrame
        Result of :func:`crmkit.kpi.service_kpis` with ``by=...`` (one row per group; a
        ``kpi_dashboard`` or ``complaint_rate(by=...)`` table works too).
    kpi : str, default "on_time_rate"
        Column to draw (labelled with :data:`crmkit.kpi.KPI_LABELS`).
    {target}
        A rate from 0 to 1 for a rate KPI, else in the KPI's unit; groups that miss it are red.
    overall : float or pandas.Series, optional
        The value for all groups together, drawn as a grey line; a Series such as
        ``service_kpis(shipments)`` is read at ``kpi``.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_kpi_by_group
    >>> kpis = pd.DataFrame({"orders": [50, 30, 20], "on_time_rate": [0.97, 0.93, 0.88]},
    ...                     index=pd.Index(["战略", "标准", "基础"], name="contract_tier"))
    >>> ax = plot_kpi_by_group(kpis, target=0.95)
    >>> ax.get_title(), [len(c.get_offsets()) for c in ax.collections]   # 1 on target, 2 below
    ('准时率 on time · 分组 by contract_tier', [1, 2])
    >>> plt.close("all")
    """
    if not isinstance(kpi, str):
        raise TypeError(f"`kpi` must be one column name such as 'otif_rate', not {kpi!r}.")
    table(kpis, [kpi], "kpis", "crmkit.kpi.service_kpis(..., by=...)")
    values = numbers(kpis, kpi, "kpis")
    share = kpi.endswith("_rate") and kpi != "complaint_rate"
    if target is not None:
        target = (check_fraction(target, "target", open_interval=False) if share
                  else float(check_number(target, "target")))
    if isinstance(overall, pd.Series):
        if kpi not in overall.index:
            raise ValueError(f"`overall` has no entry {kpi!r}; pass service_kpis(shipments) or "
                             "a number.")
        overall = overall[kpi]
    if overall is not None:
        overall = float(check_number(overall, "overall"))
    name = KPI_LABELS.get(kpi, kpi)
    over_time = isinstance(kpis.index, (pd.PeriodIndex, pd.DatetimeIndex))
    labels = [" · ".join(map(str, key)) if isinstance(key, tuple) else str(key)
              for key in kpis.index]
    pos = np.arange(len(values))
    ax = new_ax(ax, figsize=(8, 3.8))
    if over_time:
        ax.plot(pos, values, color=CLASS_COLORS["B"], lw=1.5, zorder=1)
    missed = np.zeros(len(values), dtype=bool)
    if target is not None:
        missed = values > target if kpi in _LOWER_IS_BETTER else values < target
    for mask, color, label in ((~missed, CLASS_COLORS["A"], name),
                               (missed, BAD, f"未达目标 off target ({int(missed.sum())})")):
        if mask.any():
            ax.scatter(pos[mask], values[mask], s=55, color=color, zorder=3, label=label)
    fmt = "{:.1%}" if share else "{:,.3g}"
    if target is not None:
        ax.axhline(target, ls="--", color=BAD, lw=1.2, label=f"目标 target {fmt.format(target)}")
    if overall is not None:
        ax.axhline(overall, ls=":", color=NEUTRAL, lw=1.5,
                   label=f"全部 overall {fmt.format(overall)}")
    category_ticks(ax, labels, max_labels=14 if over_time else 24)
    ax.set_xlim(-0.5, len(values) - 0.5)
    if share:
        percent_axis(ax.yaxis, decimals=1)
    group = " × ".join(str(n) for n in kpis.index.names if n is not None) or "group"
    ax.set(title=f"{name} · 分组 by {group}", xlabel=group, ylabel=name)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax
