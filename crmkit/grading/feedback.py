"""Checks for exercise tests that explain a wrong answer in plain words.

Public tests (run by ``grader.check`` in the student notebook) use the ``expect_*`` shape checks:
they say *what kind of thing* is wrong (a percent instead of a fraction, a Series instead of a
number, an unknown class label) without revealing the answer. Hidden tests use
:func:`expect_close` / :func:`expect_same` against answers recomputed with crmkit.
Every check returns ``None`` (so a test cell prints nothing) or raises ``AssertionError``.
"""
from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

__all__ = ["expect_number", "expect_fraction", "expect_one_of", "expect_frame", "expect_labels",
           "expect_close", "expect_same"]


def _show(value) -> str:
    if value is Ellipsis:
        return "still `...` (replace it with your answer)"
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return f"a pandas {type(value).__name__} with {len(value)} rows"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(message: str):
    raise AssertionError(message)


def _as_float(value, name: str) -> float:
    if isinstance(value, pd.Series) and len(value) == 1:
        _fail(f"`{name}` is a pandas Series with one value; take the number out of it "
              "(for example with `.iloc[0]` or `.item()`).")
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        _fail(f"`{name}` should be a single number, but it is {_show(value)}.")
    number = float(value)
    if math.isnan(number):
        _fail(f"`{name}` is NaN (not a number): check for missing values or a division by zero.")
    return number


def expect_number(value: Any, name: str, *, low: float | None = None, high: float | None = None,
                  integer: bool = False, hint: str = "") -> None:
    """A finite number, optionally in ``[low, high]`` and whole.

    Examples
    --------
    >>> expect_number(3.5, "x", low=0)
    >>> expect_number(..., "x")
    Traceback (most recent call last):
    AssertionError: `x` should be a single number, but it is still `...` (replace it with your answer).
    """
    number = _as_float(value, name)
    extra = f" {hint}" if hint else ""
    if integer and number != round(number):
        _fail(f"`{name}` should be a whole number (a count), but it is {number:g}.{extra}")
    if low is not None and number < low:
        _fail(f"`{name}` is {number:g}, below the smallest possible value {low:g}.{extra}")
    if high is not None and number > high:
        _fail(f"`{name}` is {number:g}, above the largest possible value {high:g}.{extra}")


def expect_fraction(value: Any, name: str, hint: str = "") -> None:
    """A share between 0 and 1; a value up to 100 gets the "percent, not fraction" hint.

    Examples
    --------
    >>> expect_fraction(62.0, "share_a")
    Traceback (most recent call last):
    AssertionError: `share_a` is 62; shares in this course are fractions between 0 and 1, not percent (divide by 100).
    """
    number = _as_float(value, name)
    if 1 < number <= 100:
        _fail(f"`{name}` is {number:g}; shares in this course are fractions between 0 and 1, "
              "not percent (divide by 100).")
    return expect_number(number, name, low=0, high=1, hint=hint)


def expect_one_of(value: Any, name: str, options: Collection) -> None:
    """One of the allowed labels (e.g. a tier or an ABC class).

    Examples
    --------
    >>> expect_one_of("D", "tier", ["A", "B", "C"])
    Traceback (most recent call last):
    AssertionError: `tier` is 'D', but it must be one of 'A', 'B', 'C'.
    """
    options = list(options)
    if isinstance(value, (pd.Series, pd.DataFrame, list, tuple, np.ndarray)) or value not in options:
        _fail(f"`{name}` is {_show(value)}, but it must be one of "
              f"{', '.join(repr(o) for o in options)}.")


def expect_frame(value: Any, name: str, *, columns: Iterable[str] = (),
                 index_name: str | None = None, min_rows: int = 1) -> None:
    """A DataFrame with the named columns (and index name) and at least ``min_rows`` rows."""
    if not isinstance(value, pd.DataFrame):
        _fail(f"`{name}` should be a pandas DataFrame, but it is {_show(value)}.")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        _fail(f"`{name}` lacks the column(s) {', '.join(map(str, missing))}; it has "
              f"{', '.join(map(str, value.columns))}.")
    if index_name is not None and value.index.name != index_name:
        _fail(f"`{name}` should be indexed by {index_name!r} (one row each), but its index is "
              f"{value.index.name!r}; try `.set_index({index_name!r})`.")
    if len(value) < min_rows:
        _fail(f"`{name}` has {len(value)} rows; it should have at least {min_rows}.")


def expect_labels(value: Any, name: str, allowed: Collection, *, length: int | None = None) -> None:
    """A list/Series/set whose items all come from ``allowed`` (ids, class labels).

    Examples
    --------
    >>> expect_labels(["C00001", "X"], "ids", ["C00001", "C00002"])
    Traceback (most recent call last):
    AssertionError: `ids` contains 'X', which is not one of the allowed values (e.g. 'C00001').
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset,
                                                                  pd.Series, pd.Index, np.ndarray)):
        _fail(f"`{name}` should be a list of values, but it is {_show(value)}.")
    items, allowed = list(value), set(allowed)
    wrong = [v for v in items if v not in allowed]
    if wrong:
        example = sorted(map(str, allowed))[0] if allowed else "nothing"
        _fail(f"`{name}` contains {wrong[0]!r}, which is not one of the allowed values "
              f"(e.g. {example!r}).")
    if length is not None and len(items) != length:
        _fail(f"`{name}` has {len(items)} items; it should have {length}.")


def expect_close(value: Any, expected: Any, name: str, *, rel: float = 1e-4, abs_tol: float = 1e-9,
                 hint: str = "") -> None:
    """``value`` equals ``expected`` within a relative tolerance (for hidden tests).

    Examples
    --------
    >>> expect_close(0.500001, 0.5, "share")
    >>> expect_close(0.6, 0.5, "share", hint="Did you use revenue instead of profit?")
    Traceback (most recent call last):
    AssertionError: `share` is 0.6, which is not the expected value. Did you use revenue instead of profit?
    """
    number = _as_float(value, name)
    if not math.isclose(number, float(expected), rel_tol=rel, abs_tol=abs_tol):
        _fail(f"`{name}` is {number:g}, which is not the expected value." + (f" {hint}" if hint else ""))


def expect_same(value: Any, expected: Any, name: str, *, ordered: bool = False,
                hint: str = "") -> None:
    """Same items as ``expected`` (as sets, or as sequences when ``ordered``), or the same scalar."""
    sequences = (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)
    if isinstance(expected, sequences):
        if isinstance(value, (str, bytes)) or not isinstance(value, sequences):
            _fail(f"`{name}` should be a list of values, but it is {_show(value)}.")
        got, want = list(value), list(expected)
        same = got == want if ordered else (len(got) == len(set(got)) and set(got) == set(want))
    else:
        try:
            same = bool(value == expected)
        except (TypeError, ValueError):
            same = False
    if not same:
        _fail(f"`{name}` is not the expected answer ({_show(value)})." + (f" {hint}" if hint else ""))
