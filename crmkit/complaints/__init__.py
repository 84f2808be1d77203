"""Complaint handling (投诉处理): case state machine, SLA times, cause Pareto, claims, recovery.

Textbook: chapter 10, 现代物流客户服务技巧 — 第三节 物流客户服务投诉与处理技巧.
Notebook: notebooks/10_complaints_service_skills.ipynb

Two parts: :mod:`crmkit.complaints.case` (the process as a transitions table and a
:class:`ComplaintCase` that follows it) and :mod:`crmkit.complaints.metrics` (functions on a
complaints table). Everything is importable from ``crmkit.complaints``.
"""
from crmkit.complaints.case import (
    HANDLING_PRINCIPLES, STATE_LABELS, TRANSITIONS, ComplaintCase, transition_table,
)
from crmkit.complaints.metrics import (
    FIRST_RESPONSE_TARGET_H, PARETO_CUTOFF, RESOLUTION_TARGET_H, SLAReport, claims_summary,
    complaint_sla, pareto, recovery_effect, surveys_after_complaints,
)

__all__ = [
    "HANDLING_PRINCIPLES", "STATE_LABELS", "TRANSITIONS", "FIRST_RESPONSE_TARGET_H",
    "RESOLUTION_TARGET_H", "PARETO_CUTOFF", "ComplaintCase", "transition_table", "SLAReport",
    "complaint_sla", "pareto", "claims_summary", "recovery_effect",
    "surveys_after_complaints",
]
