"""Satisfaction index, IPA and driver analysis (textbook ch. 6); the trap is in :mod:`.trap`."""
from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._result import Result
from crmkit._validate import (
    check_columns, check_frame, check_no_missing, check_non_negative, check_number, check_numeric,
    check_range, check_likert, check_series,
)
from crmkit.satisfaction.constants import IPA_QUADRANTS, LIKERT_SCALE, SERVQUAL_DIMENSIONS_ZH
from crmkit.satisfaction.servqual import dimension_scores

__all__ = ["satisfaction_index", "ipa", "drivers", "Drivers"]


@dataclass(frozen=True, repr=False)
class Drivers(Result):
    """Result of :func:`drivers`: the standardised weights and how well they fit."""

    table: pd.DataFrame
    r_squared: float


def satisfaction_index(scores: pd.DataFrame | pd.Series,
                       weights: Mapping[str, float] | pd.Series | None = None, *,
                       likert: tuple[int, int] = LIKERT_SCALE,
                       per_prefix: str = "per") -> pd.Series | float:
    """Weighted satisfaction index from 0 to 100.

    ``SI = sum_d w_d * 100 * (s_d - low) / (high - low)``: each dimension score ``s_d`` on the
    ``likert`` (1–7) is rescaled to 0–100 and weighted by importance weights ``w_d``, which must
    be non-negative and are normalised to sum to 1 (equal weights by default). The 0–100 form
    follows the customer satisfaction indices (ACSI, Fornell et al. 1996). Textbook ch. 6:
    a weighted satisfaction index.

    Parameters
    ----------
    scores : pandas.DataFrame or pandas.Series
        Dimension scores, one column per dimension and one row per respondent (e.g. from
        :func:`dimension_scores`), or the survey table itself (``per_<d>_<k>`` items are
        averaged per dimension first), or one Series of scores per dimension.
    weights : dict or pandas.Series, optional
        Weight per dimension (e.g. :func:`importance_weights`); every dimension needs one.
    likert : (int, int), default (1, 7)
        The answer scale that maps to 0 and 100.
    per_prefix : str, default "per"
        Prefix of perception items when ``scores`` is the survey table.

    Returns
    -------
    pandas.Series or float
        One index value per respondent (named ``satisfaction_index``), or a float for a Series.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"reliability": [7, 4], "empathy": [1, 4]})
    >>> satisfaction_index(scores, {"reliability": 3, "empathy": 1})   # 0.75*100 + 0.25*0
    0    75.0
    1    50.0
    Name: satisfaction_index, dtype: float64
    """
    low, high = check_likert(likert)
    if isinstance(scores, pd.DataFrame):
        pattern = re.compile(rf"^{re.escape(per_prefix)}_.+_\d+$")
        if any(pattern.match(str(c)) for c in scores.columns):
            scores = dimension_scores(scores, per_prefix=per_prefix, likert=likert)
        check_frame(scores, "scores")
        frame = scores
    else:
        frame = check_series(scores, "scores").to_frame().T
    for col in frame.columns:
        check_range(frame[col], f"scores[{col!r}]", low, high)
    w = _weights(weights, frame.columns)
    index = (frame.to_numpy(dtype=float) - low) / (high - low) * 100 @ w
    if not isinstance(scores, pd.DataFrame):
        return float(index[0])
    return pd.Series(index, index=frame.index, name="satisfaction_index")


def ipa(importance: pd.Series | Mapping[str, float], performance: pd.Series | Mapping[str, float], *,
        importance_cut: float | None = None, performance_cut: float | None = None) -> pd.DataFrame:
    """Importance–performance analysis: which quadrant each attribute falls in.

    Martilla & James (1977): attributes with high importance and low performance are where to
    concentrate (重点改进); high/high keep up the good work (继续保持); low/low low priority
    (低优先); low importance but high performance possible overkill (过度投入). The crosshairs
    are the means of each axis unless given; a value on a crosshair counts as high.
    Textbook ch. 6: the IPA quadrant chart.

    Parameters
    ----------
    importance, performance : pandas.Series or dict
        One number per attribute (e.g. dimension), with the same labels.
    importance_cut, performance_cut : float, optional
        Crosshair positions; default the means.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``attribute``: ``importance``, ``performance``, ``quadrant`` (Chinese) and
        ``quadrant_en`` (categoricals listing all four quadrants). Give
        :func:`crmkit.plotting.plot_ipa` the same cuts, so its crosshairs fall where the
        quadrants were cut.

    Examples
    --------
    >>> result = ipa({"reliability": 0.4, "empathy": 0.1, "tangibles": 0.3},
    ...              {"reliability": 4.0, "empathy": 6.0, "tangibles": 6.5})
    >>> result["quadrant_en"].tolist()
    ['concentrate here', 'possible overkill', 'keep up the good work']
    """
    imp = check_series(pd.Series(importance) if isinstance(importance, dict) else importance,
                       "importance")
    perf = check_series(pd.Series(performance) if isinstance(performance, dict) else performance,
                        "performance")
    if set(imp.index) != set(perf.index) or not imp.index.is_unique:
        raise ValueError("`importance` and `performance` must list the same attributes once "
                         f"each; got {list(imp.index)} and {list(perf.index)}.")
    perf = perf.loc[imp.index]
    for values, name in ((imp, "importance"), (perf, "performance")):
        check_numeric(values, name)
        check_no_missing(values, name)
    i_cut = float(imp.mean()) if importance_cut is None else check_number(importance_cut,
                                                                         "importance_cut")
    p_cut = float(perf.mean()) if performance_cut is None else check_number(performance_cut,
                                                                          "performance_cut")
    keys = list(zip(imp.to_numpy() >= i_cut, perf.to_numpy() >= p_cut))
    order = list(IPA_QUADRANTS)
    codes = [order.index((bool(a), bool(b))) for a, b in keys]
    out = pd.DataFrame({"importance": imp.to_numpy(dtype=float),
                        "performance": perf.to_numpy(dtype=float)},
                       index=pd.Index(imp.index, name="attribute"))
    out["quadrant"] = pd.Categorical.from_codes(codes, [IPA_QUADRANTS[k][0] for k in order])
    out["quadrant_en"] = pd.Categorical.from_codes(codes, [IPA_QUADRANTS[k][1] for k in order])
    return out


def drivers(data: pd.DataFrame, *, target: str = "overall", features: Sequence[str] | None = None,
            likert: tuple[int, int] | None = LIKERT_SCALE, per_prefix: str = "per") -> Drivers:
    """Which dimensions move overall satisfaction: standardised regression weights.

    Every column is z-scored (``ddof=1``) and ``z_target = sum_j beta_j * z_j`` is fitted by
    least squares (``numpy.linalg.lstsq``); ``beta_j`` is the change in overall satisfaction,
    in standard deviations, per standard deviation of dimension ``j`` with the others held
    fixed. ``corr`` is the plain Pearson correlation with the target, for comparison.
    Textbook ch. 6: driver analysis.

    Parameters
    ----------
    data : pandas.DataFrame
        The survey table (perception items are averaged per dimension), or a table holding
        ``target`` and the feature columns.
    target : str, default "overall"
        Overall satisfaction column.
    features : list of str, optional
        Driver columns; default the SERVQUAL dimensions (survey table) or every other numeric
        column.
    likert : (int, int) or None, default (1, 7)
        Range check for survey items and the target; None skips it.
    per_prefix : str, default "per"
        Prefix of perception items.

    Returns
    -------
    Drivers
        ``table``: indexed by ``driver``, strongest first: ``beta``, ``corr``, ``rank``,
        ``dimension_zh``; ``r_squared``: the share of the target's variance the fit explains.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"reliability": [1, 2, 3, 4, 5, 6], "empathy": [1, 2, 1, 1, 2, 1]})
    >>> df["overall"] = 2 * df["reliability"] + 0.5 * df["empathy"]
    >>> fit = drivers(df, likert=None)
    >>> round(fit.r_squared, 3)                       # overall is exactly linear in the two
    1.0
    >>> fit.table[["beta", "corr", "rank"]]           # beta = 2 * sd(rel) / sd(overall)
                     beta      corr  rank
    driver
    reliability  0.997628  0.997628     1
    empathy      0.068843  0.068843     2
    """
    check_frame(data)
    check_columns(data, [target])
    if features is None:
        pattern = re.compile(rf"^{re.escape(per_prefix)}_.+_\d+$")
        if any(pattern.match(str(c)) for c in data.columns):
            X = dimension_scores(data, per_prefix=per_prefix, likert=likert)
        else:
            X = data.drop(columns=[target]).select_dtypes("number")
            if X.shape[1] == 0:
                raise ValueError(f"`data` has no numeric columns besides `{target}` to use as "
                                 "drivers; pass `features`.")
    else:
        check_columns(data, list(features))
        X = data[list(features)]
    y = check_numeric(check_no_missing(data[target], target), target)
    if likert is not None:
        check_range(y, target, *likert)
    for col in X.columns:
        check_numeric(X[col], str(col))
        check_no_missing(X[col], str(col))
    n, k = X.shape
    if n < k + 2:
        raise ValueError(f"{k} drivers need at least {k + 2} responses, but `data` has {n}.")
    flat = [str(c) for c, sd in X.std().items() if not sd > 0]
    if flat or not y.std() > 0:
        raise ValueError(f"Columns without any variation cannot drive anything: "
                         f"{', '.join(flat or [target])}.")
    Z = ((X - X.mean()) / X.std()).to_numpy(dtype=float)
    zy = ((y - y.mean()) / y.std()).to_numpy(dtype=float)
    beta, _, rank, _ = np.linalg.lstsq(Z, zy, rcond=None)
    if rank < k:
        warnings.warn("Some drivers are exact combinations of others (collinear); their betas "
                      "are not unique. Drop one of them.", UserWarning, stacklevel=2)
    out = pd.DataFrame({"beta": beta, "corr": Z.T @ zy / (n - 1)},
                       index=pd.Index([str(c) for c in X.columns], name="driver"))
    out = out.sort_values("beta", ascending=False, kind="stable")
    out["rank"] = np.arange(1, k + 1)
    out["dimension_zh"] = [SERVQUAL_DIMENSIONS_ZH.get(d, "") for d in out.index]
    return Drivers(out, float(1 - np.sum((zy - Z @ beta) ** 2) / np.sum(zy ** 2)))


def _weights(weights, dims):
    """Weights aligned with ``dims``: non-negative, normalised to sum 1 (equal if None)."""
    if weights is None:
        return np.full(len(dims), 1 / len(dims))
    w = pd.Series(weights, dtype=float) if isinstance(weights, dict) else check_series(
        weights, "weights")
    missing = [str(d) for d in dims if d not in w.index]
    extra = [str(d) for d in w.index if d not in set(dims)]
    if missing or extra:
        raise ValueError(f"`weights` must give one weight per dimension "
                         f"({', '.join(map(str, dims))}); missing: {', '.join(missing) or '-'}; "
                         f"unknown: {', '.join(extra) or '-'}.")
    w = check_non_negative(w.loc[list(dims)], "weights")
    if not w.sum() > 0:
        raise ValueError("`weights` add up to zero: at least one weight must be positive.")
    return (w / w.sum()).to_numpy(dtype=float)
