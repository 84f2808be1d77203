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
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_bool, check_choice, check_columns, check_fraction, check_frame, check_no_missing,
    check_number, check_numeric, check_range, check_series,
)
from crmkit.satisfaction.constants import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE

__all__ = [
    "STATISTICS", "ALTERNATIVES", "bootstrap_ci", "bootstrap_distribution", "permutation_test",
    "PermutationResult",
]

#: Statistics known by name, each computed along the rows of a (resamples x n) matrix.
STATISTICS = {
    "mean": lambda m: m.mean(axis=1),
    "median": lambda m: np.median(m, axis=1),
    "sum": lambda m: m.sum(axis=1),
    "std": lambda m: m.std(axis=1, ddof=1),
    "proportion": lambda m: m.mean(axis=1),
    # Net Promoter Score in points: share of 9–10 minus share of 0–6, times 100 (as satisfaction.nps).
    "nps": lambda m: 100.0 * ((m >= NPS_PROMOTER_MIN).mean(axis=1)
                              - (m <= NPS_DETRACTOR_MAX).mean(axis=1)),
}

#: ``alternative`` of :func:`permutation_test`: which differences count as "at least as extreme".
ALTERNATIVES = ("two-sided", "greater", "less")

#: Resampled values held in memory at once (elements of the index matrix); bounds memory use.
_CHUNK_ELEMENTS = 2_000_000
_MAX_RESAMPLES = 1_000_000


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------

def bootstrap_ci(data, statistic="mean", *, column=None, by=None, n_resamples=2000, level=0.95,
                 seed=0):
    """Percentile bootstrap interval of a statistic, overall or for each group.

    Each group's values are resampled with replacement ``n_resamples`` times (the same size as the
    group); the statistic of every resample is computed and the interval runs from the
    ``(1 - level) / 2`` to the ``(1 + level) / 2`` quantile of those values. Groups are resampled
    independently (a stratified bootstrap), so each group keeps its own ``n``.

    Parameters
    ----------
    data : pandas.Series, array-like or pandas.DataFrame
        The values, or a table holding them in ``column``.
    statistic : str or callable, default "mean"
        One of :data:`STATISTICS` (``"proportion"`` takes True/False or 0/1 flags, ``"nps"``
        whole-number 0–10 answers and gives the same number as :func:`crmkit.satisfaction.nps`),
        or a function of a 1-D numpy array returning one number. Named statistics are
        vectorised; a function is called once per resample, so it is slower (``nps`` itself
        as a function: about 1 s per 2,000 resamples, against milliseconds for ``"nps"``).
    column : str, optional
        Column of ``data`` with the values; required when ``data`` is a DataFrame.
    by : str or list of str, optional
        Column(s) of ``data`` to group by; one row per group, in sorted order.
    n_resamples : int, default 2000
        Resamples per group (at least 100).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    seed : int, default 0
        Seed of the random draws: the same seed gives the same interval.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns (if any), then ``n`` (values in the group),
        ``estimate`` (the statistic of the data itself), ``se`` (standard deviation of the
        resampled statistics: the bootstrap standard error), ``low``, ``high`` and ``level``.
        ``attrs`` records ``statistic``, ``n_resamples`` and ``seed``.

    Raises
    ------
    ValueError
        Empty data, missing or infinite values, a group with fewer than 2 values, ``level``
        outside (0, 1) or an unknown statistic name.
    TypeError
        Values that are not numbers (not 0/1 flags for ``"proportion"``).

    See Also
    --------
    bootstrap_distribution : the resampled statistics themselves.
    permutation_test : is the difference between two groups larger than chance would make it?

    Notes
    -----
    The random scheme, so that results can be checked by hand: ``k`` groups get the streams
    ``np.random.SeedSequence(seed).spawn(k)`` in group order; group ``i`` draws its index matrix
    with ``np.random.default_rng(stream_i).integers(0, n_i, size=(n_resamples, n_i))``, row ``r``
    being resample ``r``. Quantiles use numpy's default (linear) method.

    Examples
    --------
    >>> import pandas as pd
    >>> times = pd.DataFrame({"segment": ["A"] * 5 + ["B"] * 5,
    ...                       "minutes": [3, 4, 4, 5, 9, 6, 7, 7, 8, 12]})
    >>> ci = bootstrap_ci(times, column="minutes", by="segment", seed=1)
    >>> ci[["segment", "n", "estimate"]]
      segment  n  estimate
    0       A  5       5.0
    1       B  5       8.0
    >>> bool((ci["low"] < ci["estimate"]).all() and (ci["estimate"] < ci["high"]).all())
    True
    >>> bootstrap_ci([10, 9, 3, 7, 10, 6], "nps")[["n", "estimate"]]     # 3 promoters, 2 detractors
       n   estimate
    0  6  16.666667
    >>> bootstrap_ci([1, 2, 3, 4], level=95)
    Traceback (most recent call last):
    ...
    ValueError: `level` must be a fraction strictly between 0 and 1, but 95 was passed. Did you pass a percentage instead of a fraction?
    """
    check_fraction(level, "level")
    dist = bootstrap_distribution(data, statistic, column=column, by=by, n_resamples=n_resamples,
                                  seed=seed)
    out = dist.attrs["groups"].copy()
    # Groups are contiguous blocks of n_resamples rows, in the order of attrs["groups"].
    replicates = dist["value"].to_numpy().reshape(len(out), -1)
    out["se"] = replicates.std(axis=1, ddof=1)
    out["low"], out["high"] = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=1)
    out["level"] = float(level)
    out.attrs = {"statistic": dist.attrs["statistic"], "n_resamples": int(n_resamples),
                 "seed": seed}
    return out


def bootstrap_distribution(data, statistic="mean", *, column=None, by=None, n_resamples=2000,
                           seed=0):
    """The statistic of every bootstrap resample, overall or for each group (for a histogram).

    Same draws as :func:`bootstrap_ci` with the same arguments: that function's interval is the
    quantiles of these values.

    Parameters
    ----------
    data, statistic, column, by, n_resamples, seed
        As in :func:`bootstrap_ci`.

    Returns
    -------
    pandas.DataFrame
        Long table: the ``by`` columns (if any), ``resample`` (0, 1, …) and ``value`` (the
        statistic of that resample); ``n_resamples`` rows per group. ``attrs["groups"]`` holds
        each group's ``n`` and ``estimate``.

    Examples
    --------
    >>> dist = bootstrap_distribution([2, 4, 6, 8], n_resamples=500, seed=3)
    >>> dist.shape
    (500, 2)
    >>> bool(dist["value"].between(2, 8).all())      # a mean of resampled values
    True
    >>> dist.attrs["groups"]
       n  estimate
    0  4       5.0
    """
    keys, frames = _split(data, column, by, statistic)
    stat_fn, name = _statistic(statistic)
    n_resamples = check_number(n_resamples, "n_resamples", low=100, high=_MAX_RESAMPLES,
                               integer=True)
    streams = np.random.SeedSequence(_seed(seed)).spawn(len(frames))
    parts, sizes = [], []
    for (key, values), stream in zip(frames, streams):
        rng = np.random.default_rng(stream)
        replicates = _bootstrap_one(values, stat_fn, name, n_resamples, rng)
        part = pd.DataFrame({"resample": np.arange(n_resamples), "value": replicates})
        for k, v in zip(keys, key):
            part.insert(len(part.columns) - 2, k, v)
        parts.append(part)
        sizes.append((*key, len(values), _one(stat_fn, name, values)))
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"by": keys, "statistic": _label(statistic),
                 "groups": pd.DataFrame(sizes, columns=[*keys, "n", "estimate"])}
    return out


def _bootstrap_one(values, stat_fn, name, n_resamples, rng):
    n = len(values)
    out = np.empty(n_resamples)
    chunk = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_resamples, chunk):
        stop = min(start + chunk, n_resamples)
        idx = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = _apply(stat_fn, name, values[idx])
    return out


# --------------------------------------------------------------------------------------------
# Permutation test
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class PermutationResult:
    """Result of :func:`permutation_test`.

    Attributes
    ----------
    observed : float
        ``statistic(first group) - statistic(second group)`` in the data.
    p_value : float
        Share of shuffles at least as extreme as ``observed``, with the +1 correction
        ``(1 + count) / (1 + n_permutations)`` (never 0: the data is one possible shuffle).
    groups : tuple
        The two group labels, in the order of the difference.
    sizes : tuple of int
        Values in each group.
    estimates : tuple of float
        The statistic in each group.
    statistic, alternative : str
        What was compared and which side counts as extreme.
    null : numpy.ndarray
        The difference after each shuffle of the labels (the null distribution).
    """

    observed: float
    p_value: float
    groups: tuple
    sizes: tuple
    estimates: tuple
    statistic: str
    alternative: str
    null: np.ndarray = field(compare=False)

    @property
    def n_permutations(self) -> int:
        return len(self.null)

    def __repr__(self) -> str:
        a, b = self.groups
        return (f"PermutationResult({self.statistic} {a!r} - {b!r}: observed={self.observed:.4g}, "
                f"p_value={self.p_value:.4g}, sizes={self.sizes}, "
                f"alternative={self.alternative!r}, n_permutations={self.n_permutations})")


def permutation_test(data, column, group, *, statistic="mean", groups=None, n_permutations=5000,
                     alternative="two-sided", seed=0):
    """Permutation test for a difference of a statistic between two groups.

    The difference ``statistic(a) - statistic(b)`` is computed in the data; then the group labels
    are shuffled ``n_permutations`` times (keeping the group sizes) and the difference recomputed.
    If the labels did not matter, the observed difference would look like a typical shuffled one;
    the p-value is the share of shuffles at least as extreme.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation.
    column : str
        Column with the values (numbers; True/False or 0/1 flags for ``"proportion"``).
    group : str
        Column with the group labels; exactly two labels unless ``groups`` picks two.
    statistic : str or callable, default "mean"
        As in :func:`bootstrap_ci`; a function is called twice per shuffle.
    groups : tuple of two labels, optional
        The groups to compare, in the order of the difference (default: the two labels sorted).
        Rows of other groups are left out.
    n_permutations : int, default 5000
        Shuffles (at least 100).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"two-sided"`` counts shuffles with ``|difference| >= |observed|``; ``"greater"``
        those with ``difference >= observed``; ``"less"`` those with ``difference <= observed``.
    seed : int, default 0
        Seed of the shuffles.

    Returns
    -------
    PermutationResult
        ``observed``, ``p_value``, ``groups``, ``sizes``, ``estimates``, ``statistic``,
        ``alternative`` and the ``null`` distribution (an array of ``n_permutations`` values).

    Raises
    ------
    ValueError
        Missing columns or values, more or fewer than two groups (without ``groups=``), a label in
        ``groups`` that is not in the data, a group with fewer than 2 values, an unknown statistic
        or alternative.

    See Also
    --------
    crmkit.plotting.plot_permutation : the null distribution with the observed difference.

    Notes
    -----
    The random scheme: the first group's values, then the second's (each in data order), are
    tiled into ``n_permutations`` rows and shuffled row by row with
    ``np.random.default_rng(seed).permuted(..., axis=1)``; the first ``n_a`` columns of a row are
    the shuffled first group. Shuffled differences that equal the observed one up to float
    rounding (a relative 1e-9) count as at least as extreme. The two-sided test compares
    absolute differences, as Data 8 does.

    Examples
    --------
    >>> import pandas as pd
    >>> after = pd.DataFrame({"score": [6, 7, 7, 8, 6, 7, 8, 9, 9, 10],
    ...                       "recovered": ["no"] * 5 + ["yes"] * 5})
    >>> result = permutation_test(after, "score", "recovered", groups=("yes", "no"), seed=2)
    >>> result.observed, result.sizes
    (1.8, (5, 5))
    >>> result.p_value          # with 5 answers a side, chance makes such a gap 1 time in 18
    0.055
    >>> permutation_test(after.assign(recovered=list("abcde") * 2), "score", "recovered")
    Traceback (most recent call last):
    ...
    ValueError: `recovered` has 5 groups (a, b, c, d, e); a permutation test compares two. Pick them with groups=(first, second).
    """
    check_frame(data)
    if not isinstance(column, str) or not isinstance(group, str):
        raise TypeError("`column` and `group` must be column names (strings), e.g. "
                        "permutation_test(surveys, 'overall', 'tier').")
    check_columns(data, [column, group])
    check_choice("alternative", ALTERNATIVES, alternative)
    stat_fn, name = _statistic(statistic)
    n_permutations = check_number(n_permutations, "n_permutations", low=100,
                                  high=_MAX_RESAMPLES, integer=True)
    labels = check_no_missing(data[group], group)
    a, b = _two_groups(labels, group, groups)
    values_a = _values(data.loc[labels == a, column], column, name)
    values_b = _values(data.loc[labels == b, column], column, name)
    for label, values in ((a, values_a), (b, values_b)):
        _check_size(values, f"Group {label!r} of `{group}`")
    estimates = (_one(stat_fn, name, values_a), _one(stat_fn, name, values_b))
    observed = estimates[0] - estimates[1]
    pooled = np.concatenate([values_a, values_b])
    n_a = len(values_a)
    rng = np.random.default_rng(_seed(seed))
    null = np.empty(n_permutations)
    chunk = max(1, _CHUNK_ELEMENTS // len(pooled))
    for start in range(0, n_permutations, chunk):
        stop = min(start + chunk, n_permutations)
        shuffled = rng.permuted(np.tile(pooled, (stop - start, 1)), axis=1)
        null[start:stop] = (_apply(stat_fn, name, shuffled[:, :n_a])
                            - _apply(stat_fn, name, shuffled[:, n_a:]))
    # Differences equal to the observed one up to float rounding count as "as extreme".
    tol = 1e-9 * max(abs(observed), float(np.abs(pooled).max()), 1e-300)
    if alternative == "two-sided":
        extreme = np.abs(null) >= abs(observed) - tol
    elif alternative == "greater":
        extreme = null >= observed - tol
    else:
        extreme = null <= observed + tol
    p_value = (1 + int(extreme.sum())) / (1 + n_permutations)
    return PermutationResult(observed=float(observed), p_value=float(p_value), groups=(a, b),
                             sizes=(len(values_a), len(values_b)),
                             estimates=tuple(float(e) for e in estimates),
                             statistic=_label(statistic), alternative=alternative, null=null)


def _two_groups(labels, group, groups):
    present = pd.Index(pd.unique(labels))
    if groups is None:
        if len(present) != 2:
            names = ", ".join(map(str, _sorted(present)[:8]))
            raise ValueError(f"`{group}` has {len(present)} group{'s' if len(present) != 1 else ''} "
                             f"({names}); a permutation test compares two. Pick them with "
                             "groups=(first, second).")
        return tuple(_sorted(present))
    if isinstance(groups, (str, bytes)) or not hasattr(groups, "__len__") or len(groups) != 2:
        raise ValueError(f"`groups` must be two labels of `{group}` such as ('key', 'general'), "
                         f"not {groups!r}.")
    a, b = groups
    if a == b:
        raise ValueError(f"`groups` must name two different groups, but {groups!r} was passed.")
    for label in (a, b):
        if label not in present:
            raise ValueError(f"{label!r} is not a group of `{group}`. Groups: "
                             f"{', '.join(map(str, _sorted(present)[:8]))}.")
    return a, b


def _sorted(index):
    try:
        return list(index.sort_values())
    except TypeError:
        return list(index)


# --------------------------------------------------------------------------------------------
# Shared checks and helpers
# --------------------------------------------------------------------------------------------

def _statistic(statistic):
    """``(function of a matrix or None, name or None)`` for a statistic name or a callable."""
    if isinstance(statistic, str):
        check_choice("statistic", STATISTICS, statistic)
        return STATISTICS[statistic], statistic
    if callable(statistic):
        return statistic, None
    raise TypeError(f"`statistic` must be a name such as 'mean' ({', '.join(STATISTICS)}) or a "
                    f"function of a 1-D array, not {statistic!r}.")


def _label(statistic):
    return statistic if isinstance(statistic, str) else getattr(statistic, "__name__", "statistic")


def _seed(seed):
    return int(check_number(seed, "seed", low=0, integer=True))


def _apply(stat_fn, name, matrix):
    """The statistic of each row of ``matrix``: vectorised for names, a loop for a callable."""
    if name is not None:
        return stat_fn(matrix)
    return np.fromiter((_call(stat_fn, row) for row in matrix), dtype=float, count=len(matrix))


def _one(stat_fn, name, values):
    return float(_apply(stat_fn, name, values[np.newaxis, :])[0])


def _call(stat_fn, values):
    result = stat_fn(values)
    try:
        number = float(result)
    except (TypeError, ValueError):
        raise TypeError(f"`statistic` must return one number, but "
                        f"{getattr(stat_fn, '__name__', 'it')} returned {result!r}.") from None
    if np.ndim(result) != 0:
        raise TypeError(f"`statistic` must return one number, but "
                        f"{getattr(stat_fn, '__name__', 'it')} returned {result!r}.")
    return number


def _values(series, name, statistic):
    """A group's values as a float array: numbers (flags for proportions), no NaN, finite."""
    if statistic == "proportion":
        return check_bool(series, name).to_numpy(dtype=float)
    if statistic == "nps":
        values = check_range(series, name, *NPS_SCALE).to_numpy(dtype=float)
        if not np.array_equal(values, np.round(values)):
            raise ValueError(f"`{name}` must hold whole numbers 0–10 (the NPS question), but "
                             f"{values[values != np.round(values)][0]:g} was found.")
        return values
    if not pd.api.types.is_bool_dtype(series):
        check_numeric(series, name)
    check_no_missing(series, name)
    values = series.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(f"`{name}` has {int((~np.isfinite(values)).sum())} infinite value(s); "
                         "every value must be a finite number.")
    return values


def _check_size(values, what):
    if len(values) < 2:
        raise ValueError(f"{what} has {len(values)} value(s); resampling needs at least 2 "
                         "(one value has no spread to learn from).")


def _split(data, column, by, statistic):
    """``(by column names, [(group key tuple, float array), ...])`` for the bootstrap."""
    _, name = _statistic(statistic)
    if isinstance(data, pd.DataFrame):
        check_frame(data)
        if column is None:
            raise ValueError("`data` is a DataFrame: name the column with the values, e.g. "
                             "column='overall'.")
        if not isinstance(column, str):
            raise TypeError(f"`column` must be one column name, not {column!r}.")
        keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
        check_columns(data, [column, *keys])
        if column in keys:
            raise ValueError(f"`column` {column!r} cannot also be a `by` column.")
        if not keys:
            return [], [((), _checked(data[column], column, name, "`data`"))]
        check_no_missing(data[keys], "by columns")
        groups = data.groupby(keys if len(keys) > 1 else keys[0], sort=True, observed=True)[column]
        out = []
        for key, series in groups:
            key = key if isinstance(key, tuple) else (key,)
            where = "Group " + ", ".join(f"{k}={v!r}" for k, v in zip(keys, key))
            out.append((key, _checked(series, column, name, where)))
        return keys, out
    if column is not None or by is not None:
        raise ValueError("`column` and `by` need a DataFrame; `data` is a single column of values. "
                         "Pass the whole table, e.g. bootstrap_ci(surveys, column='overall', "
                         "by='tier').")
    series = check_series(data, "data")
    return [], [((), _checked(series, "data", name, "`data`"))]


def _checked(series, name, statistic, where):
    values = _values(series, name, statistic)
    _check_size(values, where)
    return values

