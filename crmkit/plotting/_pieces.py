"""Docstring pieces the chart functions share (``ax``, ``title``, the ``Returns`` Axes entry, the
head of every Examples section), filled into each chart's ``__doc__`` by :func:`fill_doc`.

The mechanism is :class:`crmkit._docs.DocstringComponents`, the one the method functions use for
their own shared pieces (``asof``, ``by``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from crmkit._docs import DocstringComponents

__all__ = ["PLOT_DOCS", "fill_doc"]

F = TypeVar("F", bound=Callable)

#: The pieces the chart functions share. Parameter entries are named after the parameter.
PLOT_DOCS = DocstringComponents({
    "ax": """
        ax : matplotlib.axes.Axes, optional
            Where to draw; a new figure if not given.
        """,
    "title": """
        title : str, optional
            Title of the chart, in place of its default title.
        """,
    "xlabel": """
        xlabel : str, optional
            Label of the x axis, in place of its default label.
        """,
    "ylabel": """
        ylabel : str, optional
            Label of the y axis, in place of its default label.
        """,
    "target": """
        target : float, optional
            A target drawn as a dashed red line (e.g. the contract's 0.95 on time).
        """,
    "theme": """
        style, context : str, default "whitegrid", "notebook"
            seaborn theme style and context, as for :func:`seaborn.set_theme`.
        """,
    # The Returns section of every chart: each takes and returns ``ax``. Lines after the
    # placeholder, indented one level deeper, go on describing the axes.
    "returns_ax": """
        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on: ``ax``, or the new figure's if none was given.
        """,
    # The head of every chart's Examples section: no window opens, so doctests run anywhere;
    # pandas, for the tidy frames the charts take.
    "examples_head": """
        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import pandas as pd
        """,
})


def fill_doc(func: F) -> F:
    """Decorator: fill the :data:`PLOT_DOCS` placeholders of ``func``'s docstring.

    Examples
    --------
    >>> @fill_doc
    ... def plot_nothing(*, ax=None):
    ...     '''Draw nothing.
    ...
    ...     Parameters
    ...     ----------
    ...     {ax}
    ...     '''
    >>> print(plot_nothing.__doc__.splitlines()[4])
        ax : matplotlib.axes.Axes, optional
    """
    return PLOT_DOCS.decorate(func)
