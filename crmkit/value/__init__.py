"""Key customers: customer value, RFM grading, VIP levels and lifetime value (重点客户).

Textbook: chapter 4, 现代物流重点客户关系管理实施 (客户价值, 物流重点客户VIP, 个性化服务).
Notebook: notebooks/04_key_customers_vip.ipynb

- :mod:`.rfm` — :func:`customer_value` (total value − total cost), :func:`rfm` (quintile
  scores and eight segments), :func:`segment_summary` (customers and revenue per segment) and
  :func:`vip_tiers` (VIP levels with benefits).
- :mod:`.retention` — :func:`clv` (finite and infinite horizon), :func:`profit_uplift` ("keep 5%
  more"), :func:`acquisition_vs_retention` (~5×) and :func:`replacement_customers` (~10 new for
  one old), :func:`retained` and :func:`retention_rate` (yearly retention of one year's
  customers, the base that excludes later acquisitions).
"""
from crmkit.value.rfm import (
    COST_PARTS, RFM_BINS, RFM_SEGMENTS, SEGMENT_OFFERS, VALUE_PARTS, VIP_BENEFITS, VIP_LEVELS,
    VIP_SHARES, customer_value, rfm, segment_summary, vip_tiers,
)
from crmkit.value.retention import (
    ACQUIRE_MULTIPLE, DISCOUNT_RATE, REPLACEMENT_RATIO, RETENTION_UPLIFT, acquisition_vs_retention,
    clv, profit_uplift, replacement_customers, retained, retention_rate,
)

__all__ = [
    "VALUE_PARTS", "COST_PARTS", "RFM_BINS", "RFM_SEGMENTS", "SEGMENT_OFFERS", "VIP_LEVELS",
    "VIP_SHARES", "VIP_BENEFITS", "ACQUIRE_MULTIPLE", "REPLACEMENT_RATIO", "RETENTION_UPLIFT",
    "DISCOUNT_RATE",
    "customer_value", "rfm", "segment_summary", "vip_tiers", "clv", "profit_uplift",
    "acquisition_vs_retention",
    "replacement_customers", "retained", "retention_rate",
]
