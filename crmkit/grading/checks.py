"""What a student sees when ``grader.check("q1")`` fails: one plain line, in Chinese and English.

otter shows a failed public test as a 25–40 line traceback. :func:`install` (run when a student
notebook imports :mod:`crmkit.grading`, after otter) makes a failed check print one line instead —
what is wrong, in Chinese and English, and a hint — and keeps otter's full text one call away:
``print(grader.check("q1").summary())``. A passed check looks as before.
"""
from __future__ import annotations

import re
import sys

__all__ = ["plain_line", "what_is_wrong", "install"]

#: (pattern in the English message, the same in Chinese), first match wins.
_ZH = (
    (r"still `\.\.\.`", "还没有作答（仍是 `...`）"),
    (r"is not defined", "这个名字还没有定义（先运行你的答案单元）"),
    (r"not percent", "比例要写成 0 到 1 之间的小数，不是百分数"),
    (r"is NaN", "结果是 NaN（有缺失值或除以了零）"),
    (r"Series with one value", "这是只有一个值的 Series，请取出其中的数"),
    (r"should be a single number", "这里应是一个数"),
    (r"whole number", "这里应是整数（个数）"),
    (r"below the smallest|above the largest", "数值超出了可能的范围"),
    (r"should be a pandas DataFrame", "这里应是一张 DataFrame 表"),
    (r"lacks the column", "表里缺少要求的列"),
    (r"should be indexed by", "表的索引不对"),
    (r"rows; it should have", "表的行数不够"),
    (r"should be a list", "这里应是一个列表"),
    (r"must be one of|not one of the allowed", "取值不在允许的范围内"),
    (r"items; it should have", "列表的长度不对"),
)
_HINT = ("提示：按上面的说明改正答案单元，再运行它和本检查 / hint: fix your answer cell as the "
         "message says, then run it and this check again (full trace: "
         "print(grader.check(\"{q}\").summary()))")


def what_is_wrong(message: str) -> str:
    """The first error line of otter's failure text, without the traceback.

    Examples
    --------
    >>> what_is_wrong("Traceback (most recent call last):\\n  File ...\\nAssertionError: `x` is 62")
    '`x` is 62'
    """
    lines = [ln.strip() for ln in (message or "").splitlines() if ln.strip()]
    for line in lines:
        found = re.match(r"^(?:\w+\.)*(\w*(?:Error|Exception)): ?(.*)$", line)
        if found:
            kind, text = found.groups()
            return text if kind == "AssertionError" and text else f"{kind}: {text}".strip(": ")
    return lines[-1] if lines else "the check failed"


def plain_line(question: str, message: str) -> str:
    """One line for a failed check: what is wrong in Chinese and English, and a hint.

    Examples
    --------
    >>> plain_line("q2", "AssertionError: `share` is 62; shares in this course are fractions "
    ...            "between 0 and 1, not percent (divide by 100).").split(" / ")[0]
    'q2 ✗ 未通过：比例要写成 0 到 1 之间的小数，不是百分数'
    """
    english = what_is_wrong(message)
    chinese = next((zh for pattern, zh in _ZH if re.search(pattern, english)), "答案还没有通过检查")
    return (f"{question} ✗ 未通过：{chinese} / not passed: {english}  {_HINT.format(q=question)}")


def _plain_repr(test_file) -> str:
    if test_file.passed_all:
        return _ORIGINAL["repr"](test_file)
    failed = next((r for r in test_file.test_case_results if not r.passed), None)
    return plain_line(test_file.name, getattr(failed, "message", "") or "")


def _plain_html(test_file) -> str:
    if test_file.passed_all:
        return _ORIGINAL["html"](test_file)
    import html

    return f"<p>{html.escape(_plain_repr(test_file))}</p>"


_ORIGINAL: dict = {}


def install() -> bool:
    """Make otter's failed checks print :func:`plain_line`; True if otter was there to patch."""
    if "otter" not in sys.modules:
        return False
    try:
        from otter.test_files.abstract_test import TestFile
    except ImportError:  # a stand-in otter (the grading sandbox) or an otter without it
        return False
    if not _ORIGINAL:
        _ORIGINAL.update(repr=TestFile.__repr__, html=TestFile._repr_html_)
        TestFile.__repr__ = _plain_repr
        TestFile._repr_html_ = _plain_html
    return True
