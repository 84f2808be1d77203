"""Every student exercise notebook reads in Chinese first: its introduction and every question cell
start with Chinese text (English follows), and the hand-in instructions are bilingual."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUDENT = sorted([*(ROOT / "exercises").glob("[0-9][0-9]_*/*.ipynb"), *(ROOT / "exercises" / "cases").glob("*/*.ipynb")])
CJK = re.compile(r"[\u4e00-\u9fff]")
QUESTION = re.compile(r"\*\*(Question \d+|第 \d+ 题)")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell):
    return "".join(cell["source"])


def chinese_first(text: str, *, min_chars: int = 15) -> bool:
    """Does ``text`` hold at least ``min_chars`` Chinese characters, before any English sentence?"""
    plain = re.sub(r"`[^`]*`|\*|#", "", text)
    english = re.search(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){3,}", plain)  # four English words in a row
    first_cjk = CJK.search(plain)
    return (len(CJK.findall(plain)) >= min_chars and first_cjk is not None
            and (english is None or first_cjk.start() < english.start()))


def test_rule_tells_chinese_first_from_english_only():
    assert chinese_first("**第 1 题（1 分）。** 全部订单中有多大比例准时送达？\n\n**Question 1.** What share …")
    assert not chinese_first("**Question 1 (1 point).** What share of all orders was on time? 准时率")
    assert not chinese_first("**Question 1.** What share of all orders was delivered on time?")


def test_every_set_and_case_is_there():
    assert len(STUDENT) == 16, [p.name for p in STUDENT]


@pytest.mark.parametrize("notebook", STUDENT, ids=lambda p: p.stem)
def test_question_and_introduction_cells_are_chinese_first(notebook):
    markdown = [c for c in _cells(notebook) if c["cell_type"] == "markdown"]
    questions = [c for c in markdown if QUESTION.search(_text(c))]
    assert len(questions) >= 2, f"{notebook.name}: no question cells found"
    intro = next(c for c in markdown if _text(c).startswith("# "))
    not_chinese = [_text(c)[:80] for c in [intro, *questions] if not chinese_first(_text(c))]
    assert not not_chinese, f"{notebook.name}: cells without Chinese first: {not_chinese}"


@pytest.mark.parametrize("notebook", STUDENT, ids=lambda p: p.stem)
def test_hand_in_instructions_are_bilingual(notebook):
    text = "\n".join(_text(c) for c in _cells(notebook))
    assert "上交本单元格生成的 .zip 文件" in text and "Hand in the .zip file" in text
