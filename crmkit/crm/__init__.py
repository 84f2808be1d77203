"""Customer relationship management system: one customer view, data quality, a CRM database.

Textbook: chapter 2, 现代物流客户关系管理系统, and chapter 3, 现代物流客户关系管理实施流程
(客户信息, CRM与数据库建设, 失去客户的调查).
Notebooks: notebooks/02_crm_system.ipynb, notebooks/03_implementation_data.ipynb

Three parts, all importable from ``crmkit.crm``:

- :mod:`crmkit.crm.matching` — :func:`normalize_name`, :func:`match_customers` (merge sales,
  warehouse and service lists into one customer master);
- :mod:`crmkit.crm.quality` — :func:`data_quality`, :func:`lost_customers`, :func:`lost_profile`;
- :mod:`crmkit.crm.database` — :class:`CustomerStore`, a SQLite customer database with a 360° view.
"""
from crmkit.crm.matching import (
    COMPANY_SUFFIX, Extract, MatchResult, match_customers, normalize_name, normalize_phone,
)
from crmkit.crm.quality import (
    CN_PHONE_PATTERN, INACTIVE_DAYS, STALE_AFTER_DAYS, QualityReport, data_quality,
    lost_customers, lost_profile,
)
from crmkit.crm.database import SCHEMA_SQL, TABLES, Customer360, CustomerStore, UnknownCustomerError

__all__ = [
    "COMPANY_SUFFIX", "CN_PHONE_PATTERN", "INACTIVE_DAYS", "STALE_AFTER_DAYS", "SCHEMA_SQL",
    "TABLES", "Extract", "MatchResult", "QualityReport", "Customer360", "CustomerStore",
    "UnknownCustomerError", "normalize_name", "normalize_phone", "match_customers",
    "data_quality", "lost_customers", "lost_profile",
]
