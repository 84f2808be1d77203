"""Shared pieces of the chart modules: new axes, input checks, colours, percent axes."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_columns, check_frame
from crmkit.satisfaction import SERVQUAL_DIMENSIONS_ZH

#: Colours of the ABC classes (A darkest: the customers that matter most) and of good/bad news.
CLASS_COLORS = {"A": "#1f4e79", "B": "#5b9bd5", "C": "#c9d3dd", "D": "#e7a33e"}
GOOD, BAD, NEUTRAL, ACCENT = "#2e8b57", "#c0392b", "#9aa5b1", "#e67e22"


def new_ax(ax=None, figsize=(7, 4)):
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def dimension_label(name) -> str:
    """A SERVQUAL dimension as "中文 English" (e.g. "可靠性 reliability"); other names unchanged."""
    zh = SERVQUAL_DIMENSIONS_ZH.get(str(name), "")
    return f"{zh} {name}" if zh else str(name)


def table(data, columns, name, made_by):
    """Check that ``data`` is a non-empty DataFrame with ``columns`` (naming the method to use)."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame (the result of {made_by}), but a "
                        f"{type(data).__name__} was passed.")
    check_frame(data, name)
    try:
        check_columns(data, columns, name)
    except ValueError as exc:
        raise ValueError(f"{exc} Pass the result of {made_by}.") from None
    return data


def numbers(data, column, name):
    """A column as floats; a TypeError if it does not hold numbers."""
    values = data[column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise TypeError(f"`{name}['{column}']` must hold numbers, but it has dtype {values.dtype}.")
    return values.to_numpy(dtype=float)


def percent_axis(axis, decimals=0):
    """Show a 0–1 axis (``ax.xaxis`` / ``ax.yaxis``) as percentages."""
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))


def category_ticks(ax, index, max_labels=14):
    """Label the x positions 0, 1, … with ``index``, thinned to about ``max_labels`` ticks and
    slanted when they would run into each other."""
    labels = [str(v) for v in index]
    step = max(1, int(np.ceil(len(labels) / max_labels)))
    pos = np.arange(0, len(labels), step)
    shown = [labels[i] for i in pos]
    crowded = sum(len(t) + 2 for t in shown) > 70
    ax.set_xticks(pos, shown, rotation=45 if crowded else 0, ha="right" if crowded else "center")


def twin_y(ax):
    """A twin axis sharing ``ax``'s x; drawn above it, with a transparent background."""
    twin = ax.twinx()
    twin.grid(False)
    return twin
