"""Charts of call-centre staffing (crmkit.servicecenter): service level against agents, staffing plan.

Textbook: chapter 8, 现代物流客户服务中心的建设.
Notebook: notebooks/08_service_center.ipynb
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import math

import numpy as np

from crmkit import glossary
from crmkit._validate import check_number
from crmkit.plotting._base import (
    ACCENT, BAD, CLASS_COLORS, category_ticks, new_ax, numbers, percent_axis, table,
    twin_y,
)
from crmkit.plotting._pieces import fill_doc
from crmkit.servicecenter import (
    ANSWER_WITHIN_S, SERVICE_LEVEL_TARGET, agents_needed, offered_load, service_level,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    import pandas as pd

__all__ = ["plot_service_level", "plot_staffing_plan"]


@fill_doc
def plot_service_level(calls_per_hour: float, aht_s: float, *, agents: Sequence[int] | None = None,
                       target: float = SERVICE_LEVEL_TARGET,
                       answer_within_s: float = ANSWER_WITHIN_S, ax: Axes | None = None) -> Axes:
    """Service level (Erlang C) against the number of agents, with the target and the answer.

    Computes :func:`crmkit.servicecenter.service_level` for each staffing and marks the fewest
    agents that reach ``target`` (:func:`crmkit.servicecenter.agents_needed`). Textbook ch. 8
    (staffing a service centre to a service standard such as 80 % answered within 20 s).

    Parameters
    ----------
    calls_per_hour, aht_s : float
        Calls per hour; average handle time in seconds.
    agents : sequence of int, optional
        Staffings to draw; default from just above the offered load to a few past the answer.
    target, answer_within_s : float
        The service standard (default 0.80 within 20 s).
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_service_level
    >>> ax = plot_service_level(360, 100)         # 13 agents reach 80 % within 20 s
    >>> int(ax.get_lines()[0].get_xdata()[0]), ax.get_legend().get_texts()[-1].get_text()
    (9, '需要 needed: 13 名坐席 agents')
    >>> plt.close("all")
    """
    needed = agents_needed(calls_per_hour, aht_s, target=target, answer_within_s=answer_within_s)
    if agents is None:
        first = max(1, int(math.floor(offered_load(calls_per_hour, aht_s))) - 1)
        agents = np.arange(first, max(needed, first) + 5)
    else:
        agents = np.asarray(agents)
        if agents.ndim != 1 or len(agents) == 0 or not np.issubdtype(agents.dtype, np.integer):
            raise TypeError("`agents` must be a list of whole numbers of agents, e.g. "
                            f"range(5, 20), but {agents!r} was passed.")
        for n in agents:
            check_number(int(n), "agents", low=0, integer=True)
    levels = [service_level(calls_per_hour, aht_s, int(n), answer_within_s) for n in agents]
    ax = new_ax(ax)
    ax.plot(agents, levels, marker="o", color=CLASS_COLORS["A"],
            label=f"{glossary.label('服务水平')} ({answer_within_s:g} 秒 s)")
    ax.axhline(target, ls="--", color=BAD, label=f"目标 target {target:.0%}")
    if agents.min() <= needed <= agents.max():
        ax.axvline(needed, color=ACCENT, lw=1.5,
                   label=f"需要 needed: {needed} 名坐席 agents")
    ax.set_ylim(0, 1.02)
    percent_axis(ax.yaxis)
    ax.set(title="服务水平 · Service level vs agents (Erlang C)", xlabel="坐席数 agents",
           ylabel=f"{answer_within_s:g} 秒内接通 answered within {answer_within_s:g} s")
    ax.legend(loc="lower right", fontsize="small")
    return ax


@fill_doc
def plot_staffing_plan(plan: pd.DataFrame, *, agents: str = "agents", ax: Axes | None = None) -> Axes:
    """Agents needed per hour as bars, with the arrival rate (calls per hour) as a line.

    Textbook ch. 8 (来电量 by hour from the call log, Erlang C staffing per hour).

    Parameters
    ----------
    plan : pandas.DataFrame
        Result of :func:`crmkit.servicecenter.staffing_plan` (``calls_per_hour`` and ``agents``;
        ``by="hour"`` reads best).
    agents : {"agents", "scheduled_agents"}
        Which staffing to draw: Erlang C agents, or scheduled agents after shrinkage.
    {ax}

    {returns_ax}
        It holds the bars; the arrival rate is on its twin axis (right).

    {examples_head}
    >>> from crmkit.plotting import plot_staffing_plan
    >>> plan = pd.DataFrame({"calls_per_hour": [10.0, 60.0, 30.0], "agents": [1, 4, 2]},
    ...                     index=pd.Index([8, 9, 10], name="hour"))
    >>> ax = plot_staffing_plan(plan)
    >>> [float(p.get_height()) for p in ax.patches]
    [1.0, 4.0, 2.0]
    >>> plt.close("all")
    """
    if agents not in ("agents", "scheduled_agents"):
        raise ValueError("The value for `agents` must be one of (agents, scheduled_agents), "
                         f"but {agents!r} was passed.")
    table(plan, ["calls_per_hour", agents], "plan", "crmkit.servicecenter.staffing_plan")
    pos = np.arange(len(plan))
    ax = new_ax(ax, figsize=(8, 4))
    ax.bar(pos, numbers(plan, agents, "plan"), color=CLASS_COLORS["B"],
           label="排班坐席 scheduled agents" if agents == "scheduled_agents"
           else "所需坐席 agents needed")
    category_ticks(ax, plan.index, max_labels=24)
    ax.set(title="人员配置 · Agents needed by hour", xlabel="时段 hour",
           ylabel="坐席数 agents")
    twin = twin_y(ax)
    twin.plot(pos, numbers(plan, "calls_per_hour", "plan"), color=ACCENT, marker="o", ms=3,
              label="来电量 calls per hour")
    twin.set_ylabel("来电量 calls / h")
    twin.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize="small")
    return ax
