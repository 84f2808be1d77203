"""Transport, delivery and storage service: freight rates, delivery performance, cost, accuracy.

Textbook: chapter 9, 现代物流配送与保管服务的实施 (第一节 物流运输服务 — 五、物流运输服务的定价;
第二节 物流配送服务 — 四、物流配送成本的构成; 第三节 物流客户保管服务 — 保管作业与保管技术).
Notebook: notebooks/09_delivery_storage.ipynb

All money is in yuan, weights in kg, distances in km, durations in hours or days as stated. The tariffs
and cost shares below are **illustrative** round numbers for teaching, not market quotes.
"""
from crmkit.delivery.storage import (
    STORAGE_RATE_PALLET_DAY, count_check, error_reduction, inventory_accuracy, picking_accuracy,
    storage_fee,
)
from crmkit.delivery.transport import (
    DEFAULT_COST_SHARES, DEFAULT_TARIFF, SERVICES, cost_composition,
    delivery_performance, freight,
)

__all__ = [
    "SERVICES", "DEFAULT_TARIFF", "DEFAULT_COST_SHARES",
    "STORAGE_RATE_PALLET_DAY", "freight", "delivery_performance", "cost_composition",
    "storage_fee", "picking_accuracy", "error_reduction", "inventory_accuracy", "count_check",
]
