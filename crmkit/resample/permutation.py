"""Permutation test: could the difference of a statistic between two groups be chance?"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmkit._result import Result
from crmkit._validate import check_choice, check_columns, check_frame, check_no_missing
from crmkit._validate import check_number
from crmkit.resample._common import (
    MAX_RESAMPLES, apply_one, apply_rows, check_seed, check_size, chunks, group_values,
    resolve_statistic, statistic_label,
)

__all__ = ["ALTERNATIVES", "PermutationResult", "permutation_test"]

#: ``alternative`` of :func:`permutation_test`: which differences count as "at least as extreme".
ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True, repr=False)
class PermutationResult(Result):
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
        The difference after each shuffle of the labels (the null distribution); read-only.
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


def permutation_test(data: pd.DataFrame, column: str, group: str, *,
                     statistic: str | Callable[[np.ndarray], float] = "mean",
                     groups: tuple[object, object] | None = None, n_permutations: int = 5000,
                     alternative: str = "two-sided", seed: int = 0) -> PermutationResult:
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
    stat_fn, name = resolve_statistic(statistic)
    n_permutations = check_number(n_permutations, "n_permutations", low=100,
                                  high=MAX_RESAMPLES, integer=True)
    labels = check_no_missing(data[group], group)
    a, b = _two_groups(labels, group, groups)
    values_a = group_values(data.loc[labels == a, column], column, name)
    values_b = group_values(data.loc[labels == b, column], column, name)
    for label, values in ((a, values_a), (b, values_b)):
        check_size(values, f"Group {label!r} of `{group}`")
    estimates = (apply_one(stat_fn, name, values_a), apply_one(stat_fn, name, values_b))
    observed = estimates[0] - estimates[1]
    pooled = np.concatenate([values_a, values_b])
    n_a = len(values_a)
    rng = np.random.default_rng(check_seed(seed))
    null = np.empty(n_permutations)
    for start, stop in chunks(n_permutations, len(pooled)):
        shuffled = rng.permuted(np.tile(pooled, (stop - start, 1)), axis=1)
        null[start:stop] = (apply_rows(stat_fn, name, shuffled[:, :n_a])
                            - apply_rows(stat_fn, name, shuffled[:, n_a:]))
    # Differences equal to the observed one up to float rounding count as "as extreme".
    tol = 1e-9 * max(abs(observed), float(np.abs(pooled).max()), 1e-300)
    if alternative == "two-sided":
        extreme = np.abs(null) >= abs(observed) - tol
    elif alternative == "greater":
        extreme = null >= observed - tol
    else:
        extreme = null <= observed + tol
    p_value = (1 + int(extreme.sum())) / (1 + n_permutations)
    null.flags.writeable = False              # a frozen result: the null cannot be edited either
    return PermutationResult(observed=float(observed), p_value=float(p_value), groups=(a, b),
                             sizes=(len(values_a), len(values_b)),
                             estimates=tuple(float(e) for e in estimates),
                             statistic=statistic_label(statistic), alternative=alternative,
                             null=null)


def _two_groups(labels, group, groups):
    present = pd.Index(pd.unique(labels))
    if groups is None:
        if len(present) != 2:
            names = ", ".join(map(str, _sorted(present)[:8]))
            plural = "s" if len(present) != 1 else ""
            raise ValueError(f"`{group}` has {len(present)} group{plural} ({names}); a "
                             "permutation test compares two. Pick them with "
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
