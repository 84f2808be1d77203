"""Could this be chance? Bootstrap intervals and permutation tests, the way Data 8 teaches them.

A number computed from a sample (an NPS of 6.6 points from 204 answers, a SERVQUAL gap of -0.2, a
mean response time per segment) would come out a little different from another sample of the same
customers. Two resampling tools show how much, without formulas:

- :func:`bootstrap_ci` — resample the data with replacement many times, recompute the statistic
  each time, and read the middle 95 % of those values (the *percentile bootstrap*, Efron 1979).
  :func:`bootstrap_distribution` returns the resampled values themselves, for a histogram.
- :func:`permutation_test` — if the group labels did not matter, shuffling them would make
  differences as large as the one observed quite often; the p-value is how often.

Both work for any statistic: a name (``"mean"``, ``"median"``, ``"sum"``, ``"std"``,
``"proportion"``, ``"nps"``), vectorised with numpy, or a function of one 1-D numpy array (such as
:func:`crmkit.satisfaction.nps`), called once per resample. Groups (``by=``) are resampled
independently of each other. Results depend only on ``seed``.

Missing values are refused with an error that counts them (drop or fill them first, and say how
many in the lesson): silently dropping them would change ``n`` and so the width of the interval.

Textbook: chapter 6 (满意度的衡量) and every chapter that compares customer groups; method after
Adhikari, DeNero & Wagner, *Computational and Inferential Thinking* (Data 8), ch. 11–13.
"""
from crmkit.resample._common import STATISTICS
from crmkit.resample.bootstrap import bootstrap_ci, bootstrap_distribution
from crmkit.resample.permutation import ALTERNATIVES, PermutationResult, permutation_test

__all__ = [
    "STATISTICS", "ALTERNATIVES", "bootstrap_ci", "bootstrap_distribution", "permutation_test",
    "PermutationResult",
]
