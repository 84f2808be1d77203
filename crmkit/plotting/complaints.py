"""Charts of complaint handling (crmkit.complaints): the Pareto chart of causes (排列图).

Textbook: chapter 10, 现代物流客户服务技巧 (投诉处理).
Notebook: notebooks/10_complaints_service_skills.ipynb
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from crmkit._validate import check_fraction
from crmkit.complaints import PARETO_CUTOFF
from crmkit.plotting._base import (
    ACCENT, BAD, CLASS_COLORS, NEUTRAL, category_ticks, new_ax, numbers, percent_axis, table,
    twin_y,
)
from crmkit.plotting._pieces import fill_doc

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    import pandas as pd

__all__ = ["plot_cause_pareto"]

_AXIS_NAMES = {"cause": "原因 cause", "channel": "渠道 channel", "severity": "严重程度 severity",
               "outcome": "处理结果 outcome"}


@fill_doc
def plot_cause_pareto(pareto: pd.DataFrame, *, cutoff: float = PARETO_CUTOFF,
                      ax: Axes | None = None) -> Axes:
    """Pareto chart of complaint causes: bars largest first, cumulative share on a twin axis.

    The "vital few" causes that make up ``cutoff`` of the cases are dark, the rest light; a
    dashed line marks the cut-off. Textbook ch. 10 §3 (投诉建档: count causes to prevent them).

    Parameters
    ----------
    pareto : pandas.DataFrame
        Result of :func:`crmkit.complaints.pareto` (label column first, then ``count`` and
        optionally ``amount``, ``share``, ``cum_share``, ``vital_few``). Bars show ``amount``
        when present, else ``count``.
    cutoff : float, default 0.80
        The cut-off used for ``vital_few``, drawn on the cumulative axis.
    {ax}

    {returns_ax}
        It holds the bars; the cumulative line and cut-off are on its twin axis (right).

    {examples_head}
    >>> from crmkit.complaints import pareto
    >>> from crmkit.plotting import plot_cause_pareto
    >>> ax = plot_cause_pareto(pareto(pd.Series(["延误", "货损", "延误", "账单错误", "延误"],
    ...                                         name="cause")))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['延误', '账单错误', '货损']
    >>> plt.close("all")
    """
    table(pareto, ["count", "cum_share", "vital_few"], "pareto", "crmkit.complaints.pareto")
    check_fraction(cutoff, "cutoff")
    measure = "amount" if "amount" in pareto.columns else "count"
    label_col = pareto.columns[0]
    pos = np.arange(len(pareto))
    vital = pareto["vital_few"].to_numpy(dtype=bool)
    ax = new_ax(ax)
    ax.bar(pos, numbers(pareto, measure, "pareto"),
           color=[CLASS_COLORS["A"] if v else NEUTRAL for v in vital])
    category_ticks(ax, pareto[label_col], max_labels=30)
    ax.set(title="投诉原因 · Complaint causes (Pareto)",
           xlabel=_AXIS_NAMES.get(str(label_col), str(label_col)),
           ylabel="金额 amount" if measure == "amount" else "投诉数 complaints")
    twin = twin_y(ax)
    twin.plot(pos, numbers(pareto, "cum_share", "pareto"), marker="o", color=ACCENT,
              label="累计占比 cumulative share")
    twin.axhline(cutoff, ls="--", lw=1, color=BAD, label=f"关键少数 vital few {cutoff:.0%}")
    twin.set_ylim(0, 1.05)
    percent_axis(twin.yaxis)
    twin.legend(loc="center right", fontsize="small")
    return ax
