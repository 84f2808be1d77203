"""crmkit — methods and data for a course in logistics customer relationship management.

The package follows the ten chapters of 《现代物流客户关系管理实务》(第2版): one module per topic
(``classify``, ``value``, ``abc``, ``satisfaction``, ``kpi``, ``servicecenter``, ``delivery``,
``complaints``, ``crm``), resampling for any of them (``resample``: bootstrap intervals and
permutation tests — could this difference be chance?), a dataset generator (``crmkit.datasets``)
and charts (``crmkit.plotting``).

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
