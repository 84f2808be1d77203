"""Pieces shared by the bootstrap and the permutation test: statistics, value checks, chunking."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_bool, check_choice, check_no_missing, check_number, check_numeric, check_range,
)
from crmkit.satisfaction.constants import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, NPS_SCALE

#: Statistics known by name, each computed along the rows of a (resamples x n) matrix.
STATISTICS = {
    "mean": lambda m: m.mean(axis=1),
    "median": lambda m: np.median(m, axis=1),
    "sum": lambda m: m.sum(axis=1),
    "std": lambda m: m.std(axis=1, ddof=1),
    "proportion": lambda m: m.mean(axis=1),
    # Net Promoter Score in points: 100 * (share of 9–10 - share of 0–6), as satisfaction.nps.
    "nps": lambda m: 100.0 * ((m >= NPS_PROMOTER_MIN).mean(axis=1)
                              - (m <= NPS_DETRACTOR_MAX).mean(axis=1)),
}


#: Resampled values held in memory at once (elements of an index or shuffle matrix); bounds memory.
CHUNK_ELEMENTS = 2_000_000
MAX_RESAMPLES = 1_000_000


def chunks(total, width):
    """``(start, stop)`` row ranges of at most :data:`CHUNK_ELEMENTS` values for ``total`` rows."""
    step = max(1, CHUNK_ELEMENTS // width)
    for start in range(0, total, step):
        yield start, min(start + step, total)


def resolve_statistic(statistic):
    """``(function of a matrix or None, name or None)`` for a statistic name or a callable."""
    if isinstance(statistic, str):
        check_choice("statistic", STATISTICS, statistic)
        return STATISTICS[statistic], statistic
    if callable(statistic):
        return statistic, None
    raise TypeError(f"`statistic` must be a name such as 'mean' ({', '.join(STATISTICS)}) or a "
                    f"function of a 1-D array, not {statistic!r}.")


def statistic_label(statistic):
    return statistic if isinstance(statistic, str) else getattr(statistic, "__name__", "statistic")


def check_seed(seed):
    return int(check_number(seed, "seed", low=0, integer=True))


def apply_rows(stat_fn, name, matrix):
    """The statistic of each row of ``matrix``: vectorised for names, a loop for a callable."""
    if name is not None:
        return stat_fn(matrix)
    return np.fromiter((_call(stat_fn, row) for row in matrix), dtype=float, count=len(matrix))


def apply_one(stat_fn, name, values):
    return float(apply_rows(stat_fn, name, values[np.newaxis, :])[0])


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


def group_values(series, name, statistic):
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


def check_size(values, what):
    if len(values) < 2:
        raise ValueError(f"{what} has {len(values)} value(s); resampling needs at least 2 "
                         "(one value has no spread to learn from).")
