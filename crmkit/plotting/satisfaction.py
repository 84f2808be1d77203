"""Charts of crmkit.satisfaction: IPA quadrants, SERVQUAL gaps, NPS, the satisfaction trap, alpha, drivers.

Textbook: chapter 6, 现代物流客户服务的满意度 (满意陷阱; 问卷信度; 满意度的驱动因素).
Notebook: notebooks/06_satisfaction.ipynb
"""
from __future__ import annotations

import warnings

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit import glossary
from crmkit._validate import check_columns, check_frame, check_non_negative, check_number, check_series
from crmkit.plotting._base import (
    ACCENT, BAD, CLASS_COLORS, GOOD, NEUTRAL, dimension_label, new_ax, numbers, percent_axis, table,
)
from crmkit.plotting._pieces import fill_doc
from crmkit.satisfaction import (
    ALPHA_ACCEPTABLE, IPA_QUADRANTS, NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE,
    SATISFACTION_TRAP_RANGE, Drivers, nps,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from crmkit.satisfaction import ServqualGaps

__all__ = ["plot_ipa", "plot_servqual_gaps", "plot_nps", "plot_satisfaction_trap", "plot_alpha",
           "plot_drivers"]

#: Colours of the IPA quadrants: fix (red), keep (green), low priority (grey), overkill (amber).
_QUADRANT_COLORS = {(True, False): BAD, (True, True): GOOD, (False, False): NEUTRAL,
                    (False, True): "#e7a33e"}
_PASSIVE = "#f1c40f"


@fill_doc
def plot_ipa(data: pd.DataFrame, *, importance_cut: float | None = None,
             performance_cut: float | None = None, ax: Axes | None = None) -> Axes:
    """Importance–performance quadrant chart (IPA) with the four quadrant names.

    Performance on x, importance on y (Martilla & James 1977), crosshairs where
    the quadrants are cut (the means unless given: give the cuts you gave ``ipa``); each attribute is a labelled point coloured by
    its quadrant: 重点改进 concentrate here (top left), 继续保持 keep up the good work (top right),
    低优先 low priority (bottom left), 过度投入 possible overkill (bottom right).
    Textbook ch. 6 (importance–performance analysis).

    Parameters
    ----------
    data : pandas.DataFrame
        Result of :func:`crmkit.satisfaction.ipa` (``importance``, ``performance``, one row per
        attribute).
    importance_cut, performance_cut : float, optional
        Crosshair positions; default the means (as in :func:`crmkit.satisfaction.ipa`). A
        warning says when the ``quadrant`` labels in ``data`` were cut elsewhere.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.satisfaction import ipa
    >>> from crmkit.plotting import plot_ipa
    >>> result = ipa({"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3},
    ...              {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5})
    >>> ax = plot_ipa(result)
    >>> ax.get_title()
    'IPA 重要性-绩效分析 · Importance–performance'
    >>> ax = plot_ipa(ipa({"a": 1, "b": 3}, {"a": 2, "b": 4}, performance_cut=5), performance_cut=5)
    >>> ax.get_lines()[0].get_xdata()            # the crosshair ipa used, not the mean 3
    [5.0, 5.0]
    >>> plt.close("all")
    """
    table(data, ["importance", "performance"], "data", "crmkit.satisfaction.ipa")
    imp, perf = numbers(data, "importance", "data"), numbers(data, "performance", "data")
    if importance_cut is None:
        importance_cut = float(imp.mean())
    if performance_cut is None:
        performance_cut = float(perf.mean())
    i_cut = float(check_number(importance_cut, "importance_cut"))
    p_cut = float(check_number(performance_cut, "performance_cut"))
    if "quadrant_en" in data.columns:
        drawn = [IPA_QUADRANTS[(bool(i >= i_cut), bool(p >= p_cut))][1] for i, p in zip(imp, perf)]
        if drawn != data["quadrant_en"].astype(str).tolist():
            warnings.warn("The quadrants in `data` were cut at other values than the crosshairs "
                          "drawn; pass plot_ipa the importance_cut / performance_cut you gave ipa.",
                          UserWarning, stacklevel=2)
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


@fill_doc
def plot_servqual_gaps(gaps: ServqualGaps | pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """SERVQUAL gap per dimension: red bars fall short of expectations, green bars exceed them.

    ``gap = perception - expectation`` (Parasuraman et al. 1988); a zero line separates the
    two. Textbook ch. 6 (满意度 = 感知服务与期望服务之差).

    Parameters
    ----------
    gaps : crmkit.satisfaction.ServqualGaps or pandas.DataFrame
        Result of :func:`crmkit.satisfaction.servqual_gaps` (its ``.dimensions`` are drawn), or
        any frame with a ``gap`` column (e.g. ``.items``), one row per bar.
    {ax}

    {returns_ax}

    {examples_head}
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


@fill_doc
def plot_nps(data: pd.DataFrame | pd.Series | ArrayLike, *, score: str = "recommend",
             ax: Axes | None = None) -> Axes:
    """Distribution of the 0–10 "would you recommend us?" answers, coloured by NPS group.

    Detractors (0–6) red, passives (7–8) yellow, promoters (9–10) green; the legend gives each
    group's share and the title the Net Promoter Score (Reichheld 2003). Textbook ch. 6.

    Parameters
    ----------
    data : pandas.DataFrame, pandas.Series or array-like
        The survey table (with a ``score`` column) or the answers themselves.
    score : str, default "recommend"
        Column of ``data`` with the answers when ``data`` is a DataFrame.
    {ax}

    {returns_ax}

    {examples_head}
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


#: The shares of ``crmkit.satisfaction.satisfaction_trap`` that can be drawn, with their labels.
_TRAP_LABELS = {
    "satisfied_who_left": "P(流失 | 满意) left | satisfied",
    "unsatisfied_who_left": "P(流失 | 不满意) left | not satisfied",
    "leavers_who_were_satisfied": "P(满意 | 流失) satisfied | left",
    "all_who_left": "P(流失) all who left",
}
_TRAP_COLORS = {"satisfied_who_left": BAD, "unsatisfied_who_left": NEUTRAL,
                "leavers_who_were_satisfied": CLASS_COLORS["A"], "all_who_left": ACCENT}
_TRAP_SHARES = ("satisfied_who_left", "unsatisfied_who_left", "leavers_who_were_satisfied")
_TRAP_MADE_BY = "crmkit.satisfaction.satisfaction_trap or trap_curve"


@fill_doc
def plot_satisfaction_trap(trap: pd.Series | pd.DataFrame, *,
                           shares: str | Sequence[str] = _TRAP_SHARES, ax: Axes | None = None) -> Axes:
    """The satisfaction trap as bars: P(left | satisfied) against P(satisfied | left).

    The 65–85 % of the textbook (ch. 6, 满意陷阱, after Bain & Company / Reichheld 1993) is
    shaded, so students see which of the two conditional shares reaches it. One threshold:
    one horizontal bar per share. Several thresholds (``trap_curve``): groups of bars, one
    group per threshold, so the effect of where "satisfied" starts is visible at once.

    Parameters
    ----------
    trap : pandas.Series or pandas.DataFrame
        Result of :func:`crmkit.satisfaction.satisfaction_trap` (one threshold) or of
        :func:`crmkit.satisfaction.trap_curve` (one row per threshold).
    shares : sequence of str
        Which shares to draw, from ``satisfied_who_left``, ``unsatisfied_who_left``,
        ``leavers_who_were_satisfied`` and ``all_who_left``.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.satisfaction import satisfaction_trap, trap_curve
    >>> from crmkit.plotting import plot_satisfaction_trap
    >>> surveys = pd.DataFrame({"overall": [7, 6, 6, 5, 2, 7, 3, 6],
    ...                         "churned": [True, False, False, False, True, True, True, False]})
    >>> ax = plot_satisfaction_trap(satisfaction_trap(surveys))
    >>> [round(float(p.get_width()), 3) for p in ax.patches[:3]], ax.get_title()
    ([0.333, 1.0, 0.5], '满意陷阱 · Satisfaction trap (满意 satisfied = ≥ 5)')
    >>> len(plot_satisfaction_trap(trap_curve(surveys)).patches)   # 4 thresholds × 3 shares + band
    13
    >>> plt.close("all")
    """
    shares = [shares] if isinstance(shares, str) else list(shares)
    if not shares:
        raise ValueError("`shares` is empty: name at least one share, e.g. 'satisfied_who_left'.")
    unknown = [s for s in shares if s not in _TRAP_LABELS]
    if unknown:
        raise ValueError(f"`shares` must come from ({', '.join(_TRAP_LABELS)}), but "
                         f"{', '.join(map(repr, unknown))} was passed.")
    if isinstance(trap, pd.Series):
        missing = [s for s in shares if s not in trap.index]
        if missing:
            raise ValueError(f'The entries "{", ".join(missing)}" are not in `trap`. Pass the '
                             f"result of {_TRAP_MADE_BY}.")
        frame = trap[shares].to_frame().T
        frame.index = [trap.get("satisfied_min")]
    else:
        frame = table(trap, shares, "trap", _TRAP_MADE_BY)[shares]
    values = np.column_stack([numbers(frame, s, "trap") for s in shares])
    low, high = SATISFACTION_TRAP_RANGE
    band = f"{low:.0%}-{high:.0%} {glossary.label('满意陷阱')} range (Reichheld 1993)"
    if isinstance(trap, pd.Series):
        ax = new_ax(ax, figsize=(7, 0.5 * len(shares) + 1.6))
        pos = np.arange(len(shares))
        bars = ax.barh(pos, values[0], color=[_TRAP_COLORS[s] for s in shares], height=0.6)
        ax.bar_label(bars, labels=_percent_labels(values[0]), padding=3)
        ax.axvspan(low, high, color="#e7a33e", alpha=0.3, zorder=0, label=band)
        ax.set_yticks(pos, [_TRAP_LABELS[s] for s in shares])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        percent_axis(ax.xaxis)
        cut = frame.index[0]
        ax.set_title("满意陷阱 · Satisfaction trap" + ("" if cut is None
                                                   else f" (满意 satisfied = ≥ {cut:g})"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
        return ax
    ax = new_ax(ax, figsize=(8, 4))
    pos = np.arange(len(frame))
    width = 0.8 / len(shares)
    for j, share in enumerate(shares):
        bars = ax.bar(pos + (j - (len(shares) - 1) / 2) * width, values[:, j], width=width,
                      color=_TRAP_COLORS[share], label=_TRAP_LABELS[share])
        ax.bar_label(bars, labels=_percent_labels(values[:, j]), padding=2, fontsize="x-small")
    ax.axhspan(low, high, color="#e7a33e", alpha=0.3, zorder=0, label=band)
    ax.set_xticks(pos, [f"≥ {c:g}" if isinstance(c, (int, float, np.number)) else str(c)
                        for c in frame.index])
    ax.set_ylim(0, 1.05)
    percent_axis(ax.yaxis)
    ax.set(title="满意陷阱与满意门槛 · Satisfaction trap by threshold",
           xlabel="满意门槛 satisfied = overall ≥", ylabel="占比 share")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


@fill_doc
def plot_alpha(alpha: pd.DataFrame | dict[str, pd.DataFrame], *, ax: Axes | None = None) -> Axes:
    """Cronbach's alpha per dimension as bars, with the 0.70 line of an acceptable scale.

    One result: green bars reach 0.70 (Nunnally 1978), red bars do not. Several results in a
    dict (e.g. perception and expectation items): one bar per result in each dimension.
    Textbook ch. 6 (check that a survey measures reliably before reading its scores).

    Parameters
    ----------
    alpha : pandas.DataFrame or dict of str to pandas.DataFrame
        Result of :func:`crmkit.satisfaction.alpha_by_dimension` (an ``alpha`` column, one row
        per dimension), or a dict of such results keyed by the legend label.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_alpha
    >>> result = pd.DataFrame({"items": [4, 4], "alpha": [0.82, 0.55]},
    ...                       index=pd.Index(["reliability", "empathy"], name="dimension"))
    >>> ax = plot_alpha(result)
    >>> [round(float(p.get_width()), 2) for p in ax.patches], ax.get_yticklabels()[1].get_text()
    ([0.82, 0.55], '移情性 empathy')
    >>> plt.close("all")
    """
    made_by = "crmkit.satisfaction.alpha_by_dimension"
    if isinstance(alpha, dict):
        if not alpha:
            raise ValueError("`alpha` is an empty dict: give at least one alpha_by_dimension "
                             "result.")
        results = {str(k): table(v, ["alpha"], f"alpha[{k!r}]", made_by)
                   for k, v in alpha.items()}
    else:
        results = {"alpha": table(alpha, ["alpha"], "alpha", made_by)}
    for name, result in results.items():
        numbers(result, "alpha", "alpha" if len(results) == 1 else f"alpha[{name!r}]")
    dims = list(dict.fromkeys(d for r in results.values() for d in r.index))
    values = np.column_stack([r["alpha"].reindex(dims).to_numpy(dtype=float)
                              for r in results.values()])
    ax = new_ax(ax, figsize=(7, 0.45 * len(dims) * len(results) + 1.8))
    pos = np.arange(len(dims))
    height = 0.8 / len(results)
    palette = [CLASS_COLORS["A"], CLASS_COLORS["B"], ACCENT, NEUTRAL]
    for j, name in enumerate(results):
        col = values[:, j]
        colors = ([GOOD if a >= ALPHA_ACCEPTABLE else BAD for a in np.nan_to_num(col)]
                  if len(results) == 1 else palette[j % len(palette)])
        bars = ax.barh(pos + (j - (len(results) - 1) / 2) * height, np.nan_to_num(col),
                       height=height, color=colors, label=None if len(results) == 1 else name)
        ax.bar_label(bars, labels=["n/a" if np.isnan(a) else f"{a:.2f}" for a in col],
                     padding=3, fontsize="small")
    ax.axvline(ALPHA_ACCEPTABLE, color="black", ls="--", lw=1.2,
               label=f"{ALPHA_ACCEPTABLE:.2f} 可接受 acceptable (Nunnally 1978)")
    ax.set_yticks(pos, [dimension_label(d) for d in dims])
    ax.invert_yaxis()
    lowest = float(np.nanmin(values)) if not np.isnan(values).all() else 0.0
    ax.set(xlim=(min(0.0, lowest - 0.05), 1.0), xlabel="Cronbach's alpha",
           title="各维度信度 · Reliability of each dimension")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


@fill_doc
def plot_drivers(drivers: Drivers | pd.DataFrame, *, weights: dict[str, float] | pd.Series | None = None,
                 ax: Axes | None = None) -> Axes:
    """Driver analysis as bars: how strongly each dimension moves overall satisfaction.

    Without ``weights``: the standardised betas of :func:`crmkit.satisfaction.drivers` (R² in
    the title when ``drivers`` is the whole result). With the importance customers *say* each dimension has
    (``weights``): both as shares — ``|beta| / Σ|beta|`` (derived) next to
    ``weight / Σ weight`` (stated) — since what customers say matters and what moves their
    satisfaction often differ. Textbook ch. 6 (满意度的驱动因素; stated vs derived importance).

    Parameters
    ----------
    drivers : Drivers or pandas.DataFrame
        Result of :func:`crmkit.satisfaction.drivers`, or its ``table`` (a ``beta`` column, one
        row per driver; then the title has no R²).
    weights : dict or pandas.Series, optional
        Stated importance per driver (e.g. :func:`crmkit.satisfaction.importance_weights`, or
        points out of 100), >= 0; every driver needs one, extra entries are ignored.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_drivers
    >>> drv = pd.DataFrame({"beta": [0.6, 0.2]}, index=pd.Index(["reliability", "empathy"],
    ...                                                             name="driver"))
    >>> ax = plot_drivers(drv, weights={"reliability": 30, "empathy": 70})
    >>> [round(float(p.get_width()), 2) for p in ax.patches]    # derived 0.75, 0.25; stated
    [0.75, 0.25, 0.3, 0.7]
    >>> plt.close("all")
    """
    r2 = drivers.r_squared if isinstance(drivers, Drivers) else None
    if isinstance(drivers, Drivers):
        drivers = drivers.table
    table(drivers, ["beta"], "drivers", "crmkit.satisfaction.drivers")
    beta = numbers(drivers, "beta", "drivers")
    if np.isnan(beta).any():
        raise ValueError("`drivers['beta']` has missing values; every driver needs a beta.")
    names = [str(d) for d in drivers.index]
    pos = np.arange(len(beta))
    title = "满意度驱动因素 · Drivers of overall satisfaction"
    ax = new_ax(ax, figsize=(7, 0.55 * len(beta) * (1 if weights is None else 2) + 1.6))
    if weights is None:
        bars = ax.barh(pos, beta, color=[GOOD if b >= 0 else BAD for b in beta], height=0.6)
        ax.bar_label(bars, labels=[f"{b:+.2f}" for b in beta], padding=3, fontsize="small")
        ax.axvline(0, color="black", lw=1)
        ax.set_xlabel("标准化回归系数 standardised beta")
    else:
        stated = _stated(weights, names)
        total = np.abs(beta).sum()
        if not total > 0:
            raise ValueError("Every beta in `drivers` is 0, so there are no shares to compare.")
        derived = np.abs(beta) / total
        for j, (vals, color, label) in enumerate((
                (derived, CLASS_COLORS["A"], "回归推导 derived: |β| 占比 share"),
                (stated, ACCENT, "客户自述 stated: 重要性权重 weight"))):
            bars = ax.barh(pos + (j - 0.5) * 0.4, vals, height=0.4, color=color, label=label)
            ax.bar_label(bars, labels=[f"{v:.0%}" for v in vals], padding=3, fontsize="small")
        ax.set_xlim(0, max(derived.max(), stated.max()) * 1.25)
        percent_axis(ax.xaxis)
        ax.set_xlabel("占比 share")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    ax.set_yticks(pos, [dimension_label(d) for d in names])
    ax.invert_yaxis()
    ax.set_title(title if r2 is None else f"{title} (R² = {r2:.2f})")
    return ax


def _stated(weights, names):
    """Stated weights in the drivers' order, as shares adding up to 1."""
    w = pd.Series(weights) if isinstance(weights, dict) else check_series(weights, "weights")
    missing = [n for n in names if n not in w.index]
    if missing:
        raise ValueError(f"`weights` has no weight for {', '.join(missing)}; give one per driver "
                         f"({', '.join(names)}).")
    w = check_non_negative(w.loc[names], "weights").astype(float)
    if not w.sum() > 0:
        raise ValueError("`weights` add up to zero: at least one weight must be positive.")
    return (w / w.sum()).to_numpy()


def _percent_labels(values):
    return ["" if np.isnan(v) else f"{v:.0%}" for v in values]
