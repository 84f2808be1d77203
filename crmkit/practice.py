"""In-lesson practice: check a student's answer on the spot with one bilingual line (nothing graded).

>>> from crmkit.practice import check
>>> check(0.25, 1 / 4)
✓ 正确 Correct
True
>>> check(None, 3)
… 先填上你的答案 Fill in your answer first
False
"""
from __future__ import annotations

import math
from numbers import Number
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check"]

CORRECT = "✓ 正确 Correct"
NOT_YET = "✗ 再想想 Not yet"
EMPTY = "… 先填上你的答案 Fill in your answer first"


def check(answer: Any, expected: Any, *, tol: float = 1e-6, rel: float = 0.0, hint_zh: str = "",
          hint_en: str = "", quiet: bool = False) -> bool:
    """Compare ``answer`` with ``expected``, print one bilingual line and return whether it matches.

    Parameters
    ----------
    answer : number, str, set/list/tuple, pandas Series or DataFrame, or None / Ellipsis
        What the student wrote. ``None`` or ``...`` means "not answered yet": a reminder is printed
        and nothing is raised, so a lesson still runs top to bottom.
    expected : same kind as ``answer``
        The right answer, computed in the lesson (never typed in).
    tol, rel : float
        Absolute and relative tolerance for numbers (and numeric values of Series/DataFrames).
    hint_zh, hint_en : str
        Printed after a wrong answer.
    quiet : bool
        Return the result without printing.

    Returns
    -------
    bool

    Examples
    --------
    >>> check("A类", "A类 ")
    ✓ 正确 Correct
    True
    >>> check({"A", "B"}, ["B", "A"])
    ✓ 正确 Correct
    True
    >>> check(12, 10, hint_zh="数一下行数", hint_en="count the rows")
    ✗ 再想想 Not yet — 数一下行数 / count the rows
    False
    >>> check(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0000001]))
    ✓ 正确 Correct
    True
    """
    if tol < 0 or rel < 0:
        raise ValueError(f"`tol` and `rel` must be zero or positive, but tol={tol!r} and rel={rel!r} were passed.")
    if expected is None or expected is Ellipsis:
        raise ValueError("`expected` is missing: compute the right answer in the lesson and pass it.")
    if answer is None or answer is Ellipsis:
        if not quiet:
            print(EMPTY)
        return False
    ok = _matches(answer, expected, tol=tol, rel=rel)
    if not quiet:
        hint = " / ".join(h for h in (hint_zh, hint_en) if h)
        print(CORRECT if ok else NOT_YET + (f" — {hint}" if hint else ""))
    return ok


def _matches(answer, expected, *, tol: float, rel: float) -> bool:
    if isinstance(expected, (pd.DataFrame, pd.Series)):
        return _frame_matches(answer, expected, tol=tol, rel=rel)
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(expected)
    if isinstance(expected, Number):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, Number):
            raise TypeError(f"The answer should be a number, but {type(answer).__name__} {answer!r} was given.")
        return math.isclose(float(answer), float(expected), abs_tol=tol, rel_tol=rel)
    if isinstance(expected, str):
        if not isinstance(answer, str):
            raise TypeError(f"The answer should be text (str), but {type(answer).__name__} {answer!r} was given.")
        return answer.strip() == expected.strip()
    if isinstance(expected, (set, frozenset, list, tuple, pd.Index, np.ndarray)):
        if isinstance(answer, (str, Number)) or not hasattr(answer, "__iter__"):
            raise TypeError(f"The answer should be a set or list of items, but {type(answer).__name__} "
                            f"{answer!r} was given.")
        if isinstance(expected, (set, frozenset)) or isinstance(answer, (set, frozenset)):
            return set(answer) == set(expected)
        a, e = list(answer), list(expected)
        return len(a) == len(e) and all(_matches(x, y, tol=tol, rel=rel) for x, y in zip(a, e))
    raise TypeError(f"`check` handles numbers, text, sets/lists and pandas Series/DataFrames, "
                    f"not {type(expected).__name__}.")


def _frame_matches(answer, expected, *, tol: float, rel: float) -> bool:
    if not isinstance(answer, type(expected)):
        raise TypeError(f"The answer should be a pandas {type(expected).__name__}, but "
                        f"{type(answer).__name__} was given.")
    if answer.shape != expected.shape:
        return False
    try:
        check_fn = pd.testing.assert_frame_equal if isinstance(expected, pd.DataFrame) else pd.testing.assert_series_equal
        check_fn(answer, expected, check_names=False, check_dtype=False, check_exact=False,
                 atol=tol, rtol=rel or 1e-12)
    except AssertionError:
        return False
    return True
