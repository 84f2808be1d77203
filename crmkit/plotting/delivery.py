"""Transport and storage charts: freight against weight, cycle-count gaps per SKU.

Textbook: chapter 9, 现代物流配送与保管服务的实施 (第一节 物流运输服务 — 运输服务的定价;
第三节 物流客户保管服务 — 保管作业).
Notebook: notebooks/09_delivery_storage.ipynb
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from crmkit._validate import check_number, check_positive
from crmkit.delivery import DEFAULT_TARIFF, count_check, freight
from crmkit.vocabulary import EN
from crmkit.delivery.transport import tariff_table
from crmkit.plotting._base import BAD, GOOD, NEUTRAL, new_ax, percent_axis, table
from crmkit.plotting._pieces import fill_doc

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["plot_freight_curve", "plot_count_check"]

#: Weights drawn by default (kg): a parcel of 1 kg to a full truck of 30 t, evenly on a log scale.
FREIGHT_WEIGHTS = np.geomspace(1, 30_000, 200)


@fill_doc
def plot_freight_curve(service: str | Sequence[str] | None = None, *,
                       weights_kg: ArrayLike | None = None, distance_km: float = 500,
                       tariff: Mapping | pd.DataFrame = DEFAULT_TARIFF, mark: float | None = None,
                       ax: Axes | None = None) -> Axes:
    """Freight against shipment weight, one line per service, on log axes.

    Draws :func:`crmkit.delivery.freight` ``= max(minimum, base_fee + rate_per_tkm · t · km)`` for each
    weight at one distance (textbook ch. 9 §1, 运输服务的定价). The flat start of each line is the
    minimum charge; a hollow dot marks the weight where it stops binding, and with one service the
    minimum is also drawn as a dashed line. ``mark`` puts one shipment on every line.

    Parameters
    ----------
    service : str or list of str, optional
        Service label(s) of the tariff (``零担`` … or ``LTL`` …); default every service. Leave out
        with a flat tariff.
    weights_kg : array-like, optional
        Weights in kg (> 0, log axis); default 1 kg to 30 t.
    distance_km : float
        Distance in km (≥ 0).
    tariff : dict or pandas.DataFrame
        As for :func:`crmkit.delivery.freight`.
    mark : float, optional
        Weight in kg (> 0) of one shipment to mark with its charge.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.plotting import plot_freight_curve
    >>> ax = plot_freight_curve("零担", distance_km=500, mark=500)   # 50 + 0.9 × 0.5 t × 500 km = 275
    >>> ax.get_xscale(), ax.collections[0].get_offsets().tolist()
    ('log', [[500.0, 275.0]])
    >>> round(float(ax.get_lines()[1].get_xdata()[0]), 1)   # minimum 100 ends at 50 / 0.45 kg
    111.1
    >>> plt.close("all")
    """
    table_ = tariff_table(tariff)
    flat = "_flat" in table_.index
    if service is None:
        services = [None] if flat else [str(s) for s in _keys(tariff)]
    elif isinstance(service, str):
        services = [service]
    elif isinstance(service, (list, tuple, pd.Index, np.ndarray)) and len(service):
        services = list(service)
    else:
        raise TypeError(f"`service` must be a service label or a list of them, not {service!r}.")
    check_number(distance_km, "distance_km", low=0)
    w = FREIGHT_WEIGHTS if weights_kg is None else np.sort(np.asarray(weights_kg, dtype=float).ravel())
    if w.size == 0 or not np.isfinite(w).all() or (w <= 0).any():
        raise ValueError("`weights_kg` must be weights in kg above 0 (the axis is logarithmic), e.g. "
                         "np.geomspace(1, 30_000, 200).")
    if mark is not None:
        check_positive(mark, "mark")
    # freight checks the labels first, so an unknown service fails before anything is drawn
    curves = [freight(w, distance_km, service=s, tariff=tariff) if s else freight(w, distance_km, tariff=tariff)
              for s in services]

    ax, drawn = new_ax(ax), []
    for i, (s, y) in enumerate(zip(services, curves)):
        rate, base, minimum = table_.loc[s or "_flat"]
        name = "运费 freight" if s is None else f"{s} {EN.get(s, '')}".strip()
        (line,) = ax.plot(w, y, label=name)
        drawn.append(line)
        per_kg = rate * distance_km / 1000.0
        if per_kg > 0 and minimum > base and w[0] <= (minimum - base) / per_kg <= w[-1]:
            ax.plot([(minimum - base) / per_kg], [minimum], "o", mfc="white", color=line.get_color(),
                    label="最低收费止点 minimum charge ends" if i == 0 else None)
        if mark is not None:
            charge = freight(mark, distance_km, service=s, tariff=tariff) if s else freight(
                mark, distance_km, tariff=tariff)
            ax.scatter([mark], [charge], color=BAD, zorder=3,
                       label=(f"本票 this shipment: {charge:,.0f} 元" if len(services) == 1
                              else f"本票 this shipment ({mark:g} kg)") if i == 0 else None)
    if len(services) == 1:
        ax.axhline(table_.loc[services[0] or "_flat", "minimum"], ls="--", color=NEUTRAL,
                   label="最低收费 minimum charge")
    ax.set(xscale="log", yscale="log", title=f"运费与重量 · Freight vs weight at {distance_km:g} km",
           xlabel="重量 weight (kg, log)", ylabel="运费 freight (元, log)")
    handles = ax.get_legend_handles_labels()[0]     # services first, then the markers
    ax.legend(handles=drawn + [h for h in handles if h not in drawn], fontsize="small")
    return ax


@fill_doc
def plot_count_check(detail: pd.DataFrame, *, tolerance: float = 0.0, relative: bool = False,
                     ax: Axes | None = None) -> Axes:
    """Cycle count per SKU: each SKU's gap as a bar, green inside the tolerance, red outside.

    The flags come from :func:`crmkit.delivery.count_check` (the rule of
    :func:`crmkit.delivery.inventory_accuracy`), so the colours always agree with the accuracy in the
    title (textbook ch. 9 §3, 保管作业: cycle counting, 库存记录准确率). Dashed lines at
    ``± tolerance``; a SKU with stock found on an empty book line (infinite relative gap) is drawn
    at the top of the chart.

    Parameters
    ----------
    detail : pandas.DataFrame
        Result of :func:`crmkit.delivery.count_check` (``book`` and ``counted`` per SKU).
    tolerance : float, default 0
        Tolerance to apply: give the one ``detail`` was made with (a warning says when its
        ``accurate`` flags were made with another).
    relative : bool, default False
        Tolerance and bars as fractions of the book quantity, as in ``count_check``.
    {ax}

    {returns_ax}

    {examples_head}
    >>> from crmkit.delivery import count_check
    >>> from crmkit.plotting import plot_count_check
    >>> detail = count_check(pd.Series([100, 50, 8]), pd.Series([100, 49, 6]), tolerance=0.05,
    ...                      relative=True)
    >>> ax = plot_count_check(detail, tolerance=0.05, relative=True)   # 0 %, −2 % in; −25 % out
    >>> [round(float(p.get_height()), 2) for p in ax.patches], ax.get_title()
    ([0.0, -0.02, -0.25], '库存记录准确率 · Inventory accuracy = 66.7%')
    >>> plt.close("all")
    """
    table(detail, ["book", "counted"], "detail", "crmkit.delivery.count_check")
    check = count_check(detail["book"], detail["counted"], tolerance=tolerance, relative=relative)
    if "accurate" in detail.columns and not np.array_equal(
            detail["accurate"].to_numpy(dtype=bool), check["accurate"].to_numpy(dtype=bool)):
        warnings.warn("The `accurate` flags in `detail` were made with another tolerance; pass "
                      "plot_count_check the tolerance= and relative= you gave count_check.",
                      UserWarning, stacklevel=2)
    gaps = check["relative_gap" if relative else "gap"].to_numpy(dtype=float)
    finite = np.isfinite(gaps)
    top = max([abs(tolerance) * 1.5, *np.abs(gaps[finite])]) or 1.0
    heights = np.where(finite, gaps, top)
    pos = np.arange(len(check))
    ax = new_ax(ax, figsize=(max(6, 0.5 * len(check) + 2), 4))
    colors = np.where(check["accurate"], GOOD, BAD)
    ax.bar(pos, heights, color=colors)
    ax.scatter(pos, heights, color=colors, s=14, zorder=3)   # a dot shows the zero gaps too
    for x in pos[~finite]:
        ax.annotate("账面 0 book", (x, top), ha="center", va="bottom", fontsize="small")
    ax.axhline(0, color="black", lw=0.8)
    ax.margins(y=0.12)
    shown = f"{tolerance:.1%}" if relative else f"{tolerance:g}"
    limit = ax.axhline(tolerance, ls="--", color=NEUTRAL, label=f"允差 tolerance ± {shown}")
    ax.axhline(-tolerance, ls="--", color=NEUTRAL)
    ax.set_xticks(pos, [str(i) for i in check.index], rotation=0 if len(check) <= 12 else 90)
    if relative:
        percent_axis(ax.yaxis, decimals=1)
    ax.set(title=f"库存记录准确率 · Inventory accuracy = {check['accurate'].mean():.1%}",
           xlabel="库存单位 SKU",
           ylabel="(实盘 − 账面) / 账面 relative gap" if relative else "实盘 − 账面 gap (units)")
    ax.legend(handles=[Patch(color=GOOD, label="允差内 within tolerance"),
                       Patch(color=BAD, label="超出允差 outside tolerance"), limit], fontsize="small",
              bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def _keys(tariff):
    """Service labels as the caller wrote them (dict keys or DataFrame index)."""
    return list(tariff.index) if isinstance(tariff, pd.DataFrame) else list(tariff)
