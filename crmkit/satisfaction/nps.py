"""Net Promoter Score (textbook ch. 6, 客户满意度的衡量: 推荐意愿)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._docs import fill_doc
from crmkit._validate import by_result, check_by, group_keys, check_columns, check_frame, check_range, check_series
from crmkit.satisfaction.constants import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["nps", "nps_breakdown"]


def nps(scores: pd.Series | ArrayLike) -> float:
    """Net Promoter Score in points, from -100 (all detractors) to +100 (all promoters).

    ``NPS = 100 * (promoters - detractors) / n`` where promoters answer 9–10 and detractors
    0–6 to "how likely are you to recommend us?" (0–10; Reichheld 2003). Passives (7–8)
    count in ``n`` only. Textbook ch. 6: one of the satisfaction measures.

    Parameters
    ----------
    scores : pandas.Series or array-like
        Whole numbers from 0 to 10, no missing values.

    Returns
    -------
    float

    See Also
    --------
    nps_breakdown : shares of promoters, passives and detractors, optionally per group.

    Examples
    --------
    >>> nps([10, 9, 9, 8, 7, 6, 3, 10])    # 4 promoters, 2 detractors of 8
    25.0
    >>> nps([10, 11])
    Traceback (most recent call last):
    ...
    ValueError: `scores` must lie between 0 and 10, but 1 value(s) do not (e.g. 11).
    """
    x = _scores(scores, "scores")
    return float(100.0 * ((x >= NPS_PROMOTER_MIN).mean() - (x <= NPS_DETRACTOR_MAX).mean()))


@fill_doc
def nps_breakdown(data: pd.DataFrame, *, score: str = "recommend",
                  by: str | Sequence[str] | None = None) -> pd.Series | pd.DataFrame:
    """Promoter, passive and detractor shares and the NPS, overall or per group.

    Parameters
    ----------
    data : pandas.DataFrame
        Survey table.
    score : str, default "recommend"
        Column with the 0–10 answers.
    {by}
        E.g. ``"industry"`` after a merge.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``responses``, ``promoters``, ``passives``, ``detractors`` (shares) and ``nps``
        (per group with ``by``).

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"recommend": [10, 9, 7, 3, 6, 10],
    ...                         "tier": ["key", "key", "key", "general", "general", "general"]})
    >>> round(float(nps_breakdown(surveys)["nps"]), 2)
    16.67
    >>> nps_breakdown(surveys, by="tier")
             responses  promoters  passives  detractors        nps
    tier
    general          3   0.333333  0.000000    0.666667 -33.333333
    key              3   0.666667  0.333333    0.000000  66.666667
    """
    check_frame(data)
    by_cols = check_by(by, data)
    check_columns(data, [score])
    x = _scores(data[score], score)
    kind = pd.DataFrame({"promoters": x >= NPS_PROMOTER_MIN,
                         "detractors": x <= NPS_DETRACTOR_MAX}, index=data.index)
    kind["passives"] = ~(kind["promoters"] | kind["detractors"])
    keys = group_keys(data, by_cols)
    grouped = kind.groupby(keys, sort=True, observed=True)
    out = grouped[["promoters", "passives", "detractors"]].mean()
    out.insert(0, "responses", grouped.size())
    out["nps"] = 100.0 * (out["promoters"] - out["detractors"])
    if by_cols:
        out.index.names = by_cols
    return by_result(out, by_cols)


def _scores(values, name):
    series = check_series(values, name)
    check_range(series, name, *NPS_SCALE)
    x = series.to_numpy(dtype=float)
    if not np.array_equal(x, np.round(x)):
        raise ValueError(f"`{name}` must hold whole numbers 0–10 (the NPS question), but "
                         f"{x[x != np.round(x)][0]:g} was found.")
    return x
