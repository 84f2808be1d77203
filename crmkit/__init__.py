"""crmkit — methods and data for a course in logistics customer relationship management.

The package follows the ten chapters of 《现代物流客户关系管理实务》(第2版): one module per topic
(``classify``, ``value``, ``abc``, ``satisfaction``, ``kpi``, ``servicecenter``, ``delivery``,
``complaints``, ``crm``), resampling for any of them (``resample``: bootstrap intervals and
permutation tests — could this difference be chance?), a dataset generator (``crmkit.datasets``)
and charts (``crmkit.plotting``).

One vocabulary runs through every function (``tests/test_signatures.py`` holds each public
signature to it):

* **Tables first, the rest by keyword.** A function takes its tables positionally, named for what
  they hold (``shipments``, ``customers``, ``surveys``, ``complaints``, ``calls``, ``contacts``;
  ``data`` for any table; ``values`` for one number per customer), and every option by keyword.
* ``key`` — the id column of the unit counted (default ``"customer_id"``).
* ``date`` — the column that places each row in time (order date, complaint opened, call arrived);
  a second table's date column is ``shipment_date``. Other moments keep their event's name
  (``promised``, ``delivered``, ``first_response``, ``resolved``, ``updated``).
* ``value`` — the one measure a function sums, ranks or weighs (default ``"revenue"``); where two
  measures meet they are named by role (``revenue`` and ``cost``).
* ``asof`` — the reference date, keyword-only, default :data:`crmkit.vocabulary.ASOF` (2025-12-31,
  the course data's last day). A date counts the whole of that day.
* ``by`` — a column name or a list of them. Without ``by`` a summary is the whole table's row, a
  Series named ``"all"``; with ``by`` it is a DataFrame with one row per group and those entries
  as columns (as ``df.sum()`` and ``df.groupby(g).sum()`` in pandas). Groupings that are not
  columns have their own names (``slot`` in ``staffing_plan``, ``groups`` in ``retention_rate``).
* **Units in names**: ``_days``, ``_h`` (hours), ``_s`` (seconds), ``_kg``, ``_km``, ``_per_hour``,
  ``_per_day``; shares and rates are fractions between 0 and 1. ``likert`` is the answer range of
  a survey item (``scale`` means the table sizes of :mod:`crmkit.datasets`).
* **Results** are DataFrames or Series; when one table is not enough, a bundle deriving from
  ``Result`` (``crmkit._result``; ``SLAReport``, ``Drivers`` …) with named parts that also
  unpack like a tuple. Nothing travels hidden in ``DataFrame.attrs``: a chart takes its cut-offs as arguments.
* Labels and their English come from :mod:`crmkit.vocabulary`, defined once.

Submodules load on first use, so ``import crmkit`` stays fast::

    >>> import crmkit
    >>> crmkit.abc.__name__
    'crmkit.abc'
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "abc", "classify", "complaints", "crm", "datasets", "delivery", "kpi", "plotting",
    "resample", "satisfaction", "servicecenter", "value", "grading",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmkit' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
