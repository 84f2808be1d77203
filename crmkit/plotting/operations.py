"""Service operations: p and u charts, KPI dashboard, staffing (Erlang C), complaint causes.

Textbook: chapter 7, 现代物流客户服务管理体系; chapter 8, 现代物流客户服务中心的建设;
chapter 10, 现代物流客户服务技巧 (投诉处理).
Notebooks: notebooks/07_service_quality_kpis.ipynb, notebooks/08_service_center.ipynb,
notebooks/10_complaints_service_skills.ipynb
"""
from __future__ import annotations

import math

import numpy as np

from crmkit import glossary
from crmkit._validate import check_fraction, check_number
from crmkit.complaints import PARETO_CUTOFF
from crmkit.kpi import KPI_LABELS
from crmkit.plotting._base import (
    ACCENT, BAD, CLASS_COLORS, NEUTRAL, category_ticks, new_ax, numbers, percent_axis, table,
    twin_y,
)
from crmkit.servicecenter import (
    ANSWER_WITHIN_S, SERVICE_LEVEL_TARGET, agents_needed, offered_load, service_level,
)

__all__ = ["plot_p_chart", "plot_u_chart", "plot_kpi_dashboard", "plot_service_level",
           "plot_staffing_plan", "plot_cause_pareto"]

# KPI_LABELS (bilingual KPI names) now lives in crmkit.kpi; imported above so that
# ``from crmkit.plotting.operations import KPI_LABELS`` in older lessons keeps working.

_AXIS_NAMES = {"cause": "原因 cause", "channel": "渠道 channel", "severity": "严重程度 severity",
               "outcome": "处理结果 outcome"}


def plot_p_chart(chart, *, title=None, ax=None):
    """Shewhart p chart: the rate per period, centre line, control limits, out-of-control points.

    The limits are drawn as steps because each period has its own (a month with fewer orders
    gets wider limits); points outside them are circled in red. Textbook ch. 7 §1 (control of
    service quality over time).

    Parameters
    ----------
    chart : pandas.DataFrame
        Result of :func:`crmkit.kpi.p_chart` (``p``, ``center``, ``lcl``, ``ucl``,
        ``out_of_control``; index = periods).
    title : str, optional
        Title; default "p 控制图 · p chart".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from crmkit.kpi import p_chart
    >>> from crmkit.plotting import plot_p_chart
    >>> ax = plot_p_chart(p_chart([8, 10, 12, 30], [100, 100, 100, 100]))
    >>> ax.get_title(), ax.collections[0].get_offsets().tolist()   # month 4 is out of control
    ('p 控制图 · p chart', [[3.0, 0.3]])
    >>> plt.close("all")
    """
    table(chart, ["p", "center", "lcl", "ucl", "out_of_control"], "chart", "crmkit.kpi.p_chart")
    return _control_chart(chart, "p", title or "p 控制图 · p chart", "比率 rate", ax)


def plot_u_chart(chart, *, title=None, ylabel=None, ax=None):
    """Shewhart u chart: events per unit by period (e.g. complaints per 1,000 shipments a month).

    Drawn like :func:`plot_p_chart`: the rate, the centre line, limits as steps (each period has
    its own) and out-of-control points circled in red. Textbook ch. 7 §1 (control of service
    quality over time; 客户投诉率).

    Parameters
    ----------
    chart : pandas.DataFrame
        Result of :func:`crmkit.kpi.u_chart` (``u``, ``center``, ``lcl``, ``ucl``,
        ``out_of_control``; index = periods).
    title : str, optional
        Title; default "u 控制图 · u chart".
    ylabel : str, optional
        Label of the rate axis, e.g. "每千单投诉 complaints per 1,000 shipments".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
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


def plot_kpi_dashboard(dashboard, *, kpis=("on_time_rate", "otif_rate", "perfect_order_rate"),
                       target=None, ax=None):
    """Monthly KPI dashboard: one line per rate KPI over the periods, with an optional target.

    Textbook ch. 7 §1 (the table a service manager reviews every month).

    Parameters
    ----------
    dashboard : pandas.DataFrame
        Result of :func:`crmkit.kpi.kpi_dashboard` (one row per period, rate columns).
    kpis : sequence of str
        Rate columns to draw (any of ``crmkit.kpi.KPI_COLUMNS`` except ``orders``).
    target : float, optional
        A target rate drawn as a dashed line (e.g. the contract's 0.95 on time).
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


def plot_service_level(arrival_rate, aht, *, agents=None, target=SERVICE_LEVEL_TARGET,
                       answer_within=ANSWER_WITHIN_S, ax=None):
    """Service level (Erlang C) against the number of agents, with the target and the answer.

    Computes :func:`crmkit.servicecenter.service_level` for each staffing and marks the fewest
    agents that reach ``target`` (:func:`crmkit.servicecenter.agents_needed`). Textbook ch. 8
    (staffing a service centre to a service standard such as 80 % answered within 20 s).

    Parameters
    ----------
    arrival_rate, aht : float
        Calls per hour; average handle time in seconds.
    agents : sequence of int, optional
        Staffings to draw; default from just above the offered load to a few past the answer.
    target, answer_within : float
        The service standard (default 0.80 within 20 s).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from crmkit.plotting import plot_service_level
    >>> ax = plot_service_level(360, 100)         # 13 agents reach 80 % within 20 s
    >>> int(ax.get_lines()[0].get_xdata()[0]), ax.get_legend().get_texts()[-1].get_text()
    (9, '需要 needed: 13 名坐席 agents')
    >>> plt.close("all")
    """
    needed = agents_needed(arrival_rate, aht, target=target, answer_within=answer_within)
    if agents is None:
        first = max(1, int(math.floor(offered_load(arrival_rate, aht))) - 1)
        agents = np.arange(first, max(needed, first) + 5)
    else:
        agents = np.asarray(agents)
        if agents.ndim != 1 or len(agents) == 0 or not np.issubdtype(agents.dtype, np.integer):
            raise TypeError("`agents` must be a list of whole numbers of agents, e.g. "
                            f"range(5, 20), but {agents!r} was passed.")
        for n in agents:
            check_number(int(n), "agents", low=0, integer=True)
    levels = [service_level(arrival_rate, aht, int(n), answer_within) for n in agents]
    ax = new_ax(ax)
    ax.plot(agents, levels, marker="o", color=CLASS_COLORS["A"],
            label=f"{glossary.label('服务水平')} ({answer_within:g} 秒 s)")
    ax.axhline(target, ls="--", color=BAD, label=f"目标 target {target:.0%}")
    if agents.min() <= needed <= agents.max():
        ax.axvline(needed, color=ACCENT, lw=1.5,
                   label=f"需要 needed: {needed} 名坐席 agents")
    ax.set_ylim(0, 1.02)
    percent_axis(ax.yaxis)
    ax.set(title="服务水平 · Service level vs agents (Erlang C)", xlabel="坐席数 agents",
           ylabel=f"{answer_within:g} 秒内接通 answered within {answer_within:g} s")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_staffing_plan(plan, *, agents="agents", ax=None):
    """Agents needed per hour as bars, with the arrival rate (calls per hour) as a line.

    Textbook ch. 8 (来电量 by hour from the call log, Erlang C staffing per hour).

    Parameters
    ----------
    plan : pandas.DataFrame
        Result of :func:`crmkit.servicecenter.staffing_plan` (``arrival_rate`` and ``agents``;
        ``by="hour"`` reads best).
    agents : {"agents", "scheduled_agents"}
        Which staffing to draw: Erlang C agents, or scheduled agents after shrinkage.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the bars; the arrival rate is on its twin axis (right).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from crmkit.plotting import plot_staffing_plan
    >>> plan = pd.DataFrame({"arrival_rate": [10.0, 60.0, 30.0], "agents": [1, 4, 2]},
    ...                     index=pd.Index([8, 9, 10], name="hour"))
    >>> ax = plot_staffing_plan(plan)
    >>> [float(p.get_height()) for p in ax.patches]
    [1.0, 4.0, 2.0]
    >>> plt.close("all")
    """
    if agents not in ("agents", "scheduled_agents"):
        raise ValueError("The value for `agents` must be one of (agents, scheduled_agents), "
                         f"but {agents!r} was passed.")
    table(plan, ["arrival_rate", agents], "plan", "crmkit.servicecenter.staffing_plan")
    pos = np.arange(len(plan))
    ax = new_ax(ax, figsize=(8, 4))
    ax.bar(pos, numbers(plan, agents, "plan"), color=CLASS_COLORS["B"],
           label="排班坐席 scheduled agents" if agents == "scheduled_agents"
           else "所需坐席 agents needed")
    category_ticks(ax, plan.index, max_labels=24)
    ax.set(title="人员配置 · Agents needed by hour", xlabel="时段 hour",
           ylabel="坐席数 agents")
    twin = twin_y(ax)
    twin.plot(pos, numbers(plan, "arrival_rate", "plan"), color=ACCENT, marker="o", ms=3,
              label="来电量 calls per hour")
    twin.set_ylabel("来电量 calls / h")
    twin.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize="small")
    return ax


def plot_cause_pareto(pareto, *, cutoff=PARETO_CUTOFF, ax=None):
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
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the bars; the cumulative line and cut-off are on its twin axis (right).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
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
