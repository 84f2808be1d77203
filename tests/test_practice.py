"""crmkit.practice.check, and every lesson has at least two on-the-spot practice checks."""
import ast
import json
from pathlib import Path

import pandas as pd
import pytest

from crmkit.practice import CORRECT, EMPTY, NOT_YET, check

LESSONS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("answer, expected, ok", [
    (0.1 + 0.2, 0.3, True), (0.31, 0.3, False), (3, 3.0, True), ("  A类", "A类", True), ("B类", "A类", False),
    ({"a", "b"}, {"b", "a"}, True), (["a"], {"a", "b"}, False), ([1, 2], [1, 2], True), ([2, 1], [1, 2], False),
    (True, True, True), (1, True, False),
])
def test_check_values(answer, expected, ok, capsys):
    assert check(answer, expected) is ok
    assert capsys.readouterr().out.strip().startswith(CORRECT if ok else NOT_YET)


def test_tolerances():
    assert check(101, 100, rel=0.02, quiet=True)
    assert not check(103, 100, rel=0.02, quiet=True)
    assert check(100.4, 100, tol=0.5, quiet=True)


def test_frames_compare_shape_and_values():
    df = pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "b"]})
    assert check(df.copy(), df, quiet=True)
    assert not check(df.head(1), df, quiet=True)
    assert not check(df.assign(x=[1.0, 2.5]), df, quiet=True)
    assert check(df["x"].rename("z"), df["x"], quiet=True)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        check([1, 2], df)


def test_not_answered_yet_does_not_raise(capsys):
    assert check(None, 5) is False and check(..., "x") is False
    assert capsys.readouterr().out.splitlines() == [EMPTY, EMPTY]


def test_hint_is_printed_after_a_wrong_answer(capsys):
    check(4, 5, hint_zh="再数一次", hint_en="count again")
    assert capsys.readouterr().out.strip() == f"{NOT_YET} — 再数一次 / count again"


@pytest.mark.parametrize("answer, expected, match", [
    ("5", 5, "should be a number"), (5, "5", "should be text"), ("ab", {"a", "b"}, "set or list"),
    (1, object(), "handles numbers"),
])
def test_wrong_kind_of_answer_is_named(answer, expected, match):
    with pytest.raises(TypeError, match=match):
        check(answer, expected)


def test_bad_use_is_named():
    with pytest.raises(ValueError, match="expected"):
        check(1, None)
    with pytest.raises(ValueError, match="tol"):
        check(1, 1, tol=-1)


def _practice_calls(path):
    calls = 0
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        imports_check = any(isinstance(n, ast.ImportFrom) and n.module == "crmkit.practice" for n in ast.walk(tree))
        calls += sum(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "check"
                     and imports_check for n in ast.walk(tree))
    return calls


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_each_lesson_has_two_practice_checks(lesson):
    assert _practice_calls(lesson) >= 2
