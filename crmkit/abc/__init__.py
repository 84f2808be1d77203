"""Core customers and ABC classification (核心客户与ABC分类法).

Textbook: chapter 5, 现代物流核心客户关系管理实施 (客户分类管理, 客户ABC分类管理法, 成本与收益分析法).
Notebook: notebooks/05_abc_core_customers.ipynb

- :mod:`.pareto` — ABC classes by cumulative share, Pareto table, class summary, Lorenz, Gini.
- :mod:`.pyramid` — the chapter's ABCD pyramid (A ≈ 1 %, B ≈ 4 %, C the rest, D the small
  customers with low credit and loyalty).
- :mod:`.matrices` — four-type grids: growth prospects × market growth, loyalty × credit.
- :mod:`.profitability` — cost-to-serve, customer profit and the "whale" curve.
"""
from crmkit.abc.matrices import (
    CREDIT_RATINGS, CREDIT_SCORES, GROWTH_TYPES, LOYALTY_CREDIT_TYPES, growth_matrix, growth_table,
    loyalty_credit_matrix, type_counts,
)
from crmkit.abc.pareto import ABC_CUTOFFS, abc_classify, abc_summary, abc_table, gini, lorenz
from crmkit.abc.profitability import customer_profitability, whale_peak
from crmkit.abc.pyramid import (
    ABCD_A_SHARE, ABCD_B_SHARE, ABCD_LOW_CREDIT, SMALL_CUSTOMER_LOSS_SHARE, abcd_pyramid,
)

__all__ = [
    "ABC_CUTOFFS", "ABCD_A_SHARE", "ABCD_B_SHARE", "ABCD_LOW_CREDIT", "SMALL_CUSTOMER_LOSS_SHARE",
    "CREDIT_RATINGS", "CREDIT_SCORES", "GROWTH_TYPES", "LOYALTY_CREDIT_TYPES",
    "abc_classify", "abc_table", "abc_summary", "lorenz", "gini", "abcd_pyramid",
    "growth_table", "growth_matrix", "loyalty_credit_matrix", "type_counts",
    "customer_profitability", "whale_peak",
]
