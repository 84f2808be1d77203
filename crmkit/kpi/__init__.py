"""Service-quality KPIs, contract SLAs and control charts for logistics customer service.

Textbook: chapter 7, 现代物流客户服务管理体系 (第一节 物流客户服务质量管理标准与绩效评估:
服务质量的评估标准, 物流客户服务的绩效评价相关指标).
Notebooks: notebooks/07_service_quality_kpis.ipynb (KPIs, control charts), notebooks/07_service_strategy_tools.ipynb

Every KPI here is a share of orders (or of items) computed from the flags of the ``shipments`` table:
on time (准时), in full (足量), OTIF, damaged (货损), lost (丢失), document error (单证差错), perfect
order (完美订单) and fill rate (订单满足率). ``sla_compliance`` holds them against the contract, and
``p_chart`` tells a real change in a monthly rate from ordinary month-to-month noise.
``complaint_rate`` counts complaints per 1,000 shipments, and ``u_chart`` is the control chart for
such counts per unit (a shipment can draw more than one complaint).
"""
from crmkit.kpi.control import SIGMA_LIMIT, p_chart, u_chart
from crmkit.kpi.service import (
    COMPLAINTS_PER, KPI_COLUMNS, KPI_COUNT_COLUMNS, KPI_LABELS, PERIOD_FREQS, add_period,
    complaint_rate, kpi_dashboard, service_kpis, sla_compliance,
)

__all__ = [
    "KPI_COLUMNS", "KPI_COUNT_COLUMNS", "KPI_LABELS", "SIGMA_LIMIT", "PERIOD_FREQS",
    "COMPLAINTS_PER", "add_period", "service_kpis", "kpi_dashboard", "sla_compliance", "p_chart",
    "complaint_rate", "u_chart",
]
