"""The one result-bundle type: what a method returns when one table is not enough.

A bundle is a frozen dataclass deriving from :class:`Result`: its parts have names
(``report.summary``), it unpacks like a tuple (``detail, summary = complaint_sla(c)``), and it
shows itself briefly (each table's shape in a terminal, the tables themselves in Jupyter). The
figures a chart needs travel as fields of the bundle, never hidden in ``DataFrame.attrs``.
"""
from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

__all__ = ["Result"]


@dataclass(frozen=True, repr=False)
class Result:
    """Base class of crmkit's result bundles (subclass it with ``@dataclass(frozen=True, repr=False)``).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, repr=False)
    ... class Fit(Result):
    ...     table: pd.DataFrame
    ...     r_squared: float
    >>> fit = Fit(pd.DataFrame({"beta": [0.5, 0.2]}), 0.64)
    >>> fit
    Fit(table: DataFrame 2 × 1, r_squared=0.64)
    >>> table, r2 = fit
    >>> r2
    0.64
    >>> fit["beta"]
    Traceback (most recent call last):
    ...
    TypeError: Fit is a bundle of named parts (table, r_squared), not a table: read one part first, e.g. result.table['beta'].
    """

    def __iter__(self) -> Iterator[Any]:
        return (getattr(self, f.name) for f in fields(self))

    def __len__(self) -> int:
        return len(fields(self))

    def __getitem__(self, key: Any) -> Any:
        names = [f.name for f in fields(self)]
        frames = [n for n in names if isinstance(getattr(self, n), (pd.DataFrame, pd.Series))]
        hint = f", e.g. result.{frames[0]}[{key!r}]" if frames else ""
        raise TypeError(f"{type(self).__name__} is a bundle of named parts ({', '.join(names)}), "
                        f"not a table: read one part first{hint}.")

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            if not f.repr:
                continue
            value = getattr(self, f.name)
            if isinstance(value, pd.DataFrame):
                parts.append(f"{f.name}: DataFrame {value.shape[0]:,} × {value.shape[1]}")
            elif isinstance(value, pd.Series):
                parts.append(f"{f.name}: Series {len(value):,}")
            else:
                parts.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _repr_html_(self) -> str:
        out = [f"<p><b>{html.escape(type(self).__name__)}</b></p>"]
        for f in fields(self):
            if not f.repr:
                continue
            value = getattr(self, f.name)
            if isinstance(value, (pd.DataFrame, pd.Series)):
                frame = value.to_frame() if isinstance(value, pd.Series) else value
                out.append(f"<p><code>.{f.name}</code></p>{frame._repr_html_()}")
            else:
                out.append(f"<p><code>.{f.name}</code> = {html.escape(repr(value))}</p>")
        return "\n".join(out)
