"""Service quality compared across groups: one KPI per contract level, tier, service or month.

Textbook: chapter 7, 现代物流客户服务管理体系 (第一节 物流客户服务质量管理标准与绩效评估).
Notebook: notebooks/07_service_quality_kpis.ipynb
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_fraction, check_number
from crmkit.kpi import KPI_LABELS
from crmkit.plotting._base import (
    BAD, CLASS_COLORS, NEUTRAL, category_ticks, new_ax, numbers, percent_axis, table,
)

__all__ = ["plot_kpi_by_group"]

#: KPIs where a smaller number is better: a group is off target when it is *above* the target.
_LOWER_IS_BETTER = ("damage_rate", "loss_rate", "doc_error_rate", "complaint_rate")


def plot_kpi_by_group(kpis, *, kpi="on_time_rate", target=None, overall=None, ax=None):
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
    target : float, optional
        A target drawn as a dashed red line (e.g. the contract's 0.95 on time).
    overall : float or pandas.Series, optional
        The value for all groups together, drawn as a grey line; a Series such as
        ``service_kpis(shipments)`` is read at ``kpi``.
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
