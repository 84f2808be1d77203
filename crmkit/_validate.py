"""Input checks shared by every crmkit method module.

One place for the friendly errors students see when they pass the wrong thing: each message names
the argument, what was wrong, and (where it helps) what would have been right. Method modules call
these helpers at their top and never let a pandas traceback escape from deep inside.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: What a date argument (``asof``, ``start``, ``opened_at``, ``at`` ...) may be: a Timestamp or a
#: string such as ``"2025-06-30"``; :func:`to_timestamp` reads it. Used only in type hints.
DateLike = pd.Timestamp | datetime.date | str

__all__ = [
    "check_frame",
    "check_columns",
    "check_series",
    "check_numeric",
    "check_non_negative",
    "check_range",
    "check_no_missing",
    "check_choice",
    "check_categories",
    "check_fraction",
    "check_cutoffs",
    "check_positive",
    "check_datetime",
    "to_timestamp",
    "check_amounts",
    "to_float_array",
    "check_call_load",
    "check_likert",
    "check_by",
    "group_keys",
    "by_result",
]


def _names(values: Iterable) -> str:
    return ", ".join(str(v) for v in values)


def check_frame(data, name: str = "data", *, allow_empty: bool = False) -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame, else raise a clear error."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a pandas DataFrame, but a {type(data).__name__} was passed."
        )
    if not allow_empty and len(data) == 0:
        raise ValueError(f"`{name}` is empty: it has no rows to work with.")
    return data


def check_columns(data: pd.DataFrame, columns: Sequence[str], name: str = "data") -> pd.DataFrame:
    """Raise if any of ``columns`` is missing from ``data``, listing the columns that do exist."""
    check_frame(data, name, allow_empty=True)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise ValueError(
            f'The column{plural} "{_names(missing)}" {"are" if plural else "is"} not in `{name}`. '
            f"Available columns: {_names(data.columns)}."
        )
    return data


def check_series(values, name: str = "values", *, allow_empty: bool = False) -> pd.Series:
    """Turn a list/array/Series into a Series; raise on DataFrames, scalars and empty input."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be one column (a Series or list), but a DataFrame with columns "
            f"{_names(values.columns)} was passed. Pick one column, e.g. data['{values.columns[0]}']."
        )
    if isinstance(values, (str, bytes)) or np.isscalar(values) or values is None:
        raise TypeError(f"`{name}` must be a Series, list or array of values, not {values!r}.")
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not allow_empty and len(series) == 0:
        raise ValueError(f"`{name}` is empty: it has no values to work with.")
    return series


def check_numeric(values: pd.Series, name: str = "values") -> pd.Series:
    """Raise a TypeError unless ``values`` holds numbers (bool is refused, too)."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        sample = values.dropna().head(3).tolist()
        raise TypeError(
            f"`{name}` must hold numbers, but it has dtype {values.dtype} (e.g. {sample}). "
            "Convert it first, e.g. with pd.to_numeric."
        )
    return values


def check_no_missing(values: pd.Series | pd.DataFrame, name: str = "values"):
    """Raise if ``values`` contains NaN/None, saying how many and where."""
    mask = values.isna()
    count = int(mask.to_numpy().sum())
    if count:
        if isinstance(values, pd.DataFrame):
            cols = [c for c in values.columns if mask[c].any()]
            where = f"in column(s) {_names(cols)}"
        else:
            where = f"at index {_names(values.index[mask][:5].tolist())}"
        raise ValueError(
            f"`{name}` has {count} missing value(s) {where}. Drop or fill them first "
            "(e.g. .dropna())."
        )
    return values


def check_non_negative(values: pd.Series, name: str = "values") -> pd.Series:
    """Numbers with no NaN and nothing below zero (money, weights, counts)."""
    check_numeric(values, name)
    check_no_missing(values, name)
    negative = values < 0
    if negative.any():
        first = values[negative].iloc[0]
        raise ValueError(
            f"`{name}` has {int(negative.sum())} negative value(s) (e.g. {first}); "
            "amounts and counts must be zero or more."
        )
    return values


def check_positive(value, name: str) -> float:
    """A single number strictly above zero."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number, but {value!r} was passed.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive number, but {value!r} was passed.")
    return value


def check_range(values: pd.Series, name: str, low: float, high: float) -> pd.Series:
    """Numbers with no NaN inside the closed interval [low, high] (e.g. Likert 1–7)."""
    check_numeric(values, name)
    check_no_missing(values, name)
    bad = (values < low) | (values > high)
    if bad.to_numpy().any():
        arr = values.to_numpy()
        bad_values = arr[np.asarray(bad)]
        raise ValueError(
            f"`{name}` must lie between {low} and {high}, but {len(bad_values)} value(s) do not "
            f"(e.g. {bad_values[0]})."
        )
    return values


def check_fraction(value, name: str, *, open_interval: bool = True) -> float:
    """A single share in (0, 1) (or [0, 1] with ``open_interval=False``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number between 0 and 1, but {value!r} was passed.")
    ok = 0 < value < 1 if open_interval else 0 <= value <= 1
    if not ok:
        hint = " Did you pass a percentage instead of a fraction?" if value > 1 else ""
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise ValueError(f"`{name}` must be a fraction {bounds}, but {value!r} was passed.{hint}")
    return float(value)


def _fraction_tuple(values, name: str, count: int | None, what: str, *,
                    at_least: tuple[int, str] = (1, "one value")) -> tuple:
    """``values`` as a tuple of fractions in (0, 1), of length ``count`` when given."""
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(f"`{name}` must be {what}, not {values!r}.") from None
    if count is not None and len(values) != count:
        raise ValueError(f"`{name}` must have {count} values, but {len(values)} were passed.")
    if len(values) < at_least[0]:
        raise ValueError(f"`{name}` needs at least {at_least[1]}, but {values} was passed.")
    for v in values:
        check_fraction(v, name)
    return values


def check_cutoffs(cutoffs, name: str = "cutoffs", *, count: int | None = None) -> tuple[float, ...]:
    """Increasing fractions in (0, 1), e.g. ABC cut-offs (0.8, 0.95)."""
    values = _fraction_tuple(cutoffs, name, count, "a tuple of fractions such as (0.8, 0.95)")
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ValueError(f"`{name}` must increase, e.g. (0.8, 0.95), but {values} was passed.")
    return tuple(float(v) for v in values)


def check_choice(name: str, options: Iterable, value):
    """Raise unless ``value`` is one of ``options``.

    >>> check_choice("dimension", ("reliability", "empathy"), "realiability")
    Traceback (most recent call last):
    ...
    ValueError: The value for `dimension` must be one of (reliability, empathy), but 'realiability' was passed.
    """
    options = tuple(options)
    if value not in options:
        raise ValueError(
            f"The value for `{name}` must be one of ({_names(options)}), but {value!r} was passed."
        )
    return value


def check_categories(values: pd.Series, name: str, allowed: Iterable) -> pd.Series:
    """Raise if ``values`` contains a label outside ``allowed`` (NaN is reported as missing)."""
    allowed = tuple(allowed)
    check_no_missing(values, name)
    unknown = pd.Index(values.unique()).difference(pd.Index(allowed))
    if len(unknown):
        raise ValueError(
            f"`{name}` has unknown categor{'ies' if len(unknown) > 1 else 'y'} "
            f"{_names(map(repr, unknown[:5]))}. Allowed: {_names(allowed)}."
        )
    return values


def check_datetime(values: pd.Series, name: str) -> pd.Series:
    """Return ``values`` as datetime64, converting strings; raise on what cannot be read as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise TypeError(f"`{name}` must hold dates, but it has dtype {values.dtype}.")
    try:
        return pd.to_datetime(values)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"`{name}` must hold dates; could not read them as dates ({exc}).") from None


def to_timestamp(value, name: str = "asof") -> pd.Timestamp:
    """One reference date (``'2025-06-30'``, ``date`` or Timestamp) as a Timestamp."""
    if value is None:
        raise TypeError(f"`{name}` must be a date such as '2025-06-30', not None.")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"`{name}` must be a date such as '2025-06-30', but {value!r} was passed.") from None
    if pd.isna(ts):
        raise ValueError(f"`{name}` must be a date such as '2025-06-30', but {value!r} was passed.")
    return ts


def check_bool(values: pd.Series, name: str = "values") -> pd.Series:
    """Return ``values`` as a bool Series: True/False (or 0/1) flags with no missing values."""
    check_no_missing(values, name)
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if pd.api.types.is_bool_dtype(values) or kind == "boolean":
        return values.astype(bool)
    if pd.api.types.is_numeric_dtype(values) and values.isin([0, 1]).all():
        return values.astype(bool)
    raise TypeError(
        f"`{name}` must hold True/False (or 0/1) flags, but it has dtype {values.dtype} "
        f"(e.g. {values.head(3).tolist()})."
    )


def check_number(value, name: str, *, low=None, high=None, integer: bool = False):
    """One finite number (a whole number if ``integer``) inside [low, high] where given."""
    ok_types = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, ok_types):
        kind = "a whole number" if integer else "a number"
        raise TypeError(f"`{name}` must be {kind}, but {value!r} was passed.")
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number, but {value!r} was passed.")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"`{name}` must lie between {lo} and {hi}, but {value!r} was passed.")
    return value


__all__ += ["check_bool", "check_number"]


def check_shares(shares, name: str = "shares", *, count: int | None = None) -> tuple[float, ...]:
    """Fractions in (0, 1) that add up to 1, e.g. tier shares (0.05, 0.15, 0.80)."""
    values = _fraction_tuple(shares, name, count, at_least=(2, "two shares"),
                             what="a tuple of fractions adding up to 1 such as (0.05, 0.15, 0.80)")
    if not np.isclose(sum(values), 1.0, atol=1e-6):
        raise ValueError(f"`{name}` must add up to 1, but {values} adds up to {sum(values):g}.")
    return tuple(float(v) for v in values)


def check_unique(values, name: str = "values"):
    """Raise if ``values`` (a Series or an Index of ids) holds duplicates, naming a few."""
    dup = pd.Index(values).duplicated()
    if dup.any():
        first = _names(map(repr, pd.Index(values)[dup].unique()[:3]))
        raise ValueError(f"`{name}` must hold each id once, but {int(dup.sum())} duplicate(s) "
                         f"were found (e.g. {first}). Aggregate first, e.g. with groupby().sum().")
    return values


__all__ += ["check_shares", "check_unique"]


def check_amounts(values, name):
    """Validated non-negative, finite, not-all-zero numbers as a float array."""
    series = check_series(values, name)
    check_non_negative(series, name)
    x = series.to_numpy(dtype=float)
    if not np.isfinite(x).all():
        raise ValueError(f"`{name}` has infinite values; amounts must be finite numbers.")
    if x.sum() <= 0:
        raise ValueError(f"`{name}` adds up to zero: there is no value to share out.")
    return x


def to_float_array(values, name):
    """Numbers as a float ndarray plus the Series index (or None) and whether it was a scalar."""
    if np.ndim(values) == 0 and not isinstance(values, (str, bytes)):
        check_number(values, name, low=0)
        return np.asarray(float(values)), None, True
    series = check_non_negative(check_series(values, name), name)
    index = values.index if isinstance(values, pd.Series) else None
    return series.to_numpy(float), index, False


def check_call_load(calls_per_hour, aht_s):
    check_number(calls_per_hour, "calls_per_hour", low=0)
    check_number(aht_s, "aht_s", low=0)
    if aht_s == 0:
        raise ValueError("`aht_s` must be above 0 seconds (average handle time of a call).")
    return float(calls_per_hour), float(aht_s)


def check_likert(likert):
    try:
        low, high = likert
    except (TypeError, ValueError):
        raise TypeError(f"`likert` must be a (low, high) pair such as (1, 7), not {likert!r}.") \
            from None
    check_number(low, "likert[0]")
    check_number(high, "likert[1]")
    if not high > low:
        raise ValueError(f"`likert` must go from low to high, but {likert!r} was passed.")
    return float(low), float(high)


def check_by(by, data: pd.DataFrame | None = None, name: str = "data", *,
             derived: Iterable[str] = (), single: bool = False) -> list[str]:
    """``by`` as a list of column names: ``None`` -> ``[]``, a name -> ``[name]``, a list stays.

    With ``data``, every name must be a column of it or one of ``derived`` (names a function makes
    itself, such as ``"month"`` from a date column). The one reading of ``by`` for every method;
    ``single=True`` for a method that compares the groups of one column.
    """
    if by is None:
        return []
    if isinstance(by, str):
        cols = [by]
    elif isinstance(by, (list, tuple)) and by and all(isinstance(b, str) for b in by):
        cols = list(by)
    else:
        raise TypeError(f"`by` must be a column name or a non-empty list of column names, "
                        f"not {by!r}.")
    if single and len(cols) != 1:
        raise ValueError(f"`by` must name one column here, not {len(cols)}: {cols}.")
    if len(set(cols)) != len(cols):
        raise ValueError(f"`by` names a column twice: {cols}.")
    if data is not None:
        derived = set(derived)
        check_columns(data, [c for c in cols if c not in derived or c in data.columns], name)
    return cols


def group_keys(data: pd.DataFrame, by: list[str]) -> list[pd.Series]:
    """The keys to group ``data`` by: its ``by`` columns, or one constant key ``"all"`` without
    them, so a method groups the same way with and without ``by`` and :func:`by_result` picks
    the one row."""
    if by:
        return [data[c] for c in by]
    return [pd.Series("all", index=data.index)]


def by_result(table: pd.DataFrame, by: list[str]) -> pd.DataFrame | pd.Series:
    """The grouping convention: one row per group, or with no ``by`` the one row as a Series.

    Like pandas' ``df.sum()`` next to ``df.groupby(g).sum()``: the whole table's figures come back
    as a Series named ``"all"`` whose index is the grouped table's columns.
    """
    if by:
        return table
    row = table.iloc[0].copy()
    row.name = "all"
    return row
