"""Customer satisfaction (客户服务的满意度): SERVQUAL gaps, reliability, NPS, IPA, drivers, trap.

Textbook: chapter 6, 现代物流客户服务的满意度.
Notebook: notebooks/06_satisfaction.ipynb

- :mod:`.constants` — SERVQUAL's five dimensions and ten original criteria, Likert and NPS
  scales, alpha threshold, IPA quadrants, each with its source.
- :mod:`.servqual` — gap scores (perception − expectation) per item and dimension, per-respondent
  dimension scores, importance weights.
- :mod:`.reliability` — Cronbach's alpha, overall and per dimension.
- :mod:`.nps` — Net Promoter Score.
- :mod:`.analysis` — weighted satisfaction index, importance–performance analysis, driver
  analysis.
- :mod:`.trap` — survey answers joined to later churn, the satisfaction trap (满意陷阱) at one
  or several thresholds of "satisfied".
"""
from crmkit.satisfaction.analysis import Drivers, drivers, ipa, satisfaction_index
from crmkit.satisfaction.constants import (
    ALPHA_ACCEPTABLE, CHURN_HORIZON_DAYS, IPA_QUADRANTS, LIKERT_SCALE, NPS_DETRACTOR_MAX,
    NPS_PROMOTER_MIN, NPS_SCALE, SATISFACTION_TRAP_RANGE, SATISFIED_MIN, SERVQUAL_DIMENSIONS,
    SERVQUAL_DIMENSIONS_ZH, SERVQUAL_TEN_CRITERIA,
)
from crmkit.satisfaction.nps import nps, nps_breakdown
from crmkit.satisfaction.reliability import alpha_by_dimension, cronbach_alpha
from crmkit.satisfaction.servqual import (
    ServqualGaps, dimension_scores, importance_weights, servqual_gaps,
)
from crmkit.satisfaction.trap import join_churn, satisfaction_trap, trap_curve

__all__ = [
    "SERVQUAL_DIMENSIONS", "SERVQUAL_DIMENSIONS_ZH", "SERVQUAL_TEN_CRITERIA", "LIKERT_SCALE",
    "NPS_SCALE", "NPS_PROMOTER_MIN", "NPS_DETRACTOR_MAX", "ALPHA_ACCEPTABLE", "SATISFIED_MIN",
    "SATISFACTION_TRAP_RANGE", "IPA_QUADRANTS", "CHURN_HORIZON_DAYS",
    "servqual_gaps", "ServqualGaps", "dimension_scores", "importance_weights",
    "cronbach_alpha", "alpha_by_dimension", "nps", "nps_breakdown",
    "satisfaction_index", "ipa", "drivers", "Drivers", "satisfaction_trap", "trap_curve", "join_churn",
]
