"""Docstring pieces the public functions share, written once and filled into each ``__doc__``.

After seaborn's ``_docstrings.py`` (``DocstringComponents`` and its ``_core_params``): the text of
a parameter many functions take — the methods' ``asof`` and ``by`` (the parameter vocabulary of
:mod:`crmkit`), the charts' ``ax`` and ``title`` — lives here, so a fix to it reaches every
function at once. :data:`DOCS` holds the methods' pieces; ``crmkit.plotting._pieces`` the charts'.

A docstring names a piece in braces on a line of its own, e.g. ``{asof}``; a ``fill_doc``
decorator puts the piece there, indented like the placeholder. Lines right after it, indented one
level deeper, go on with that entry (what ``asof`` means to this function, a chart's own default
title). Braces anywhere else — the dict literals of the Examples — are left alone.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

__all__ = ["DocstringComponents", "DOCS", "fill_doc"]

F = TypeVar("F", bound=Callable)

#: A placeholder: ``{name}`` alone on its line, with the line's indentation captured.
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{(?P<name>[A-Za-z_]\w*)\}[ \t]*$", re.MULTILINE)


class DocstringComponents(Mapping):
    """Named docstring pieces, read as ``docs["ax"]`` or ``docs.ax``, filled in by :meth:`fill`.

    Each piece is dedented and stripped of blank lines at its ends when it is stored, so it can
    be written as an indented triple-quoted string.

    Examples
    --------
    >>> docs = DocstringComponents({"ax": '''
    ...     ax : matplotlib.axes.Axes, optional
    ...         Where to draw.
    ... '''})
    >>> docs.ax
    'ax : matplotlib.axes.Axes, optional\\n    Where to draw.'
    >>> print(docs.fill('''Draw.
    ...
    ...     Parameters
    ...     ----------
    ...     {ax}
    ...         A twin axis is added to it.
    ...     '''))
    Draw.
    <BLANKLINE>
        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw.
            A twin axis is added to it.
    <BLANKLINE>
    >>> docs.fill("    {axes}")
    Traceback (most recent call last):
    ...
    KeyError: 'No docstring piece named {axes}; there are: ax.'
    """

    def __init__(self, pieces: Mapping[str, str]) -> None:
        self._pieces = {name: textwrap.dedent(text).strip("\n") for name, text in pieces.items()}

    def __getitem__(self, name: str) -> str:
        return self._pieces[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pieces)

    def __len__(self) -> int:
        return len(self._pieces)

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["_pieces"][name]
        except KeyError:
            raise AttributeError(name) from None

    def fill(self, doc: str) -> str:
        """``doc`` with each placeholder line replaced by its piece, indented like it.

        A placeholder with no piece of that name raises a KeyError naming the pieces there are,
        so a misspelt ``{titel}`` fails when the module is imported, not in a reader's help().
        """
        def put(match: re.Match) -> str:
            name, indent = match["name"], match["indent"]
            if name not in self._pieces:
                raise KeyError(f"No docstring piece named {{{name}}}; there are: "
                               f"{', '.join(self._pieces)}.")
            return textwrap.indent(self._pieces[name], indent)

        return _PLACEHOLDER.sub(put, doc)

    def decorate(self, func: F) -> F:
        """Fill ``func.__doc__`` in place and return ``func`` (use as a decorator)."""
        if func.__doc__:  # None under ``python -OO``
            func.__doc__ = self.fill(func.__doc__)
        return func


#: The pieces the method functions share (the parameter vocabulary written down once).
DOCS = DocstringComponents({
    "asof": """
        asof : date-like, default crmkit.vocabulary.ASOF (2025-12-31)
            Reference date, the day the analysis stands on ("today" for the course data).
        """,
    "by": """
        by : str or list of str, optional
            Column(s) to group by. ``None`` summarises the whole table and returns a Series named
            ``"all"``; with ``by``, a DataFrame with one row per group whose columns are that
            Series' entries.
        """,
})

#: Decorator filling the method pieces into a docstring.
fill_doc = DOCS.decorate
