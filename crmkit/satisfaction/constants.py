"""Named constants of textbook ch. 6 (现代物流客户服务的满意度), each with its source."""
from __future__ import annotations

from crmkit import glossary
from crmkit.vocabulary import SERVQUAL_DIMENSIONS

__all__ = [
    "SERVQUAL_DIMENSIONS", "SERVQUAL_DIMENSIONS_ZH", "SERVQUAL_TEN_CRITERIA", "LIKERT_SCALE",
    "NPS_SCALE", "NPS_PROMOTER_MIN", "NPS_DETRACTOR_MAX", "ALPHA_ACCEPTABLE", "SATISFIED_MIN",
    "SATISFACTION_TRAP_RANGE", "IPA_QUADRANTS", "CHURN_HORIZON_DAYS",
]

#: The SERVQUAL dimensions' Chinese names (有形性, 可靠性, 响应性, 保证性, 移情性), read from the
#: course glossary so the translation is written once.
_GLOSSARY_ZH = {t.en: t.zh for t in glossary.TERMS}
SERVQUAL_DIMENSIONS_ZH = {d: _GLOSSARY_ZH[d] for d in SERVQUAL_DIMENSIONS}
#: The ten original criteria named in the textbook — Parasuraman, Zeithaml & Berry (1985),
#: Journal of Marketing 49(4) — as (中文, English, the 1988 dimension they merged into).
SERVQUAL_TEN_CRITERIA = (
    ("可感知性", "tangibles", "tangibles"),
    ("可靠性", "reliability", "reliability"),
    ("反应性", "responsiveness", "responsiveness"),
    ("胜任能力", "competence", "assurance"),
    ("友爱", "courtesy", "assurance"),
    ("可信性", "credibility", "assurance"),
    ("安全性", "security", "assurance"),
    ("易于接触", "access", "empathy"),
    ("易于沟通", "communication", "empathy"),
    ("理解顾客", "understanding the customer", "empathy"),
)
#: 7-point Likert items (1 = strongly disagree … 7 = strongly agree), as in the SERVQUAL
#: instrument (Parasuraman et al. 1988) and the course's survey table.
LIKERT_SCALE = (1, 7)
#: "How likely are you to recommend us?" 0–10 — Reichheld (2003), HBR 81(12), "The One Number
#: You Need to Grow".
NPS_SCALE = (0, 10)
NPS_PROMOTER_MIN = 9  # Reichheld (2003): promoters answer 9 or 10
NPS_DETRACTOR_MAX = 6  # Reichheld (2003): detractors answer 0 to 6
#: Minimum Cronbach's alpha for an acceptable scale — Nunnally (1978), Psychometric Theory, 2nd ed.
ALPHA_ACCEPTABLE = 0.70
#: Lowest "satisfied" answer on the 1–7 overall item: above the neutral midpoint 4 (5 somewhat
#: satisfied, 6 satisfied, 7 very satisfied), as the course's survey generator defines it;
#: pass 6 for the strict top two boxes ("satisfied or very satisfied").
SATISFIED_MIN = 5
#: The satisfaction trap (满意陷阱): 65–85 % — textbook ch. 6 via a Bain & Company survey; Reichheld
#: (1993, HBR 71(2), "Loyalty-based management") states it as the share of *defectors* who had
#: said they were satisfied or very satisfied. See ``satisfaction_trap``.
SATISFACTION_TRAP_RANGE = (0.65, 0.85)
#: "Left within 6 months after the survey" — the course's definition of a churned response (data
#: contract, surveys.churned): half a year of 365 days, rounded down to whole days.
CHURN_HORIZON_DAYS = 182
#: (importance high?, performance high?) -> (中文, English) — Martilla & James (1977),
#: Journal of Marketing 41(1), importance–performance analysis.
IPA_QUADRANTS = {
    (True, False): ("重点改进", "concentrate here"),
    (True, True): ("继续保持", "keep up the good work"),
    (False, False): ("低优先", "low priority"),
    (False, True): ("过度投入", "possible overkill"),
}
