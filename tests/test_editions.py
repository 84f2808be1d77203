"""Two editions, one logic: every English lesson has a Chinese twin with the same cells and the same
code (comments and strings aside), the Chinese twin is Chinese text, and the Chinese course map and
README cover the whole course (rules in tools/editions.py)."""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import editions  # noqa: E402

LESSONS = editions.lessons()
# the Chinese edition is being written lesson by lesson (issue 12): every twin that exists is held to the rule
TWINNED = [p for p in LESSONS if editions.twin(p).exists()]


@pytest.mark.parametrize("lesson", TWINNED, ids=lambda p: p.stem)
def test_lesson_has_a_chinese_twin_with_the_same_cells_and_code(lesson):
    problems = editions.compare(lesson, editions.twin(lesson))
    assert not problems, "\n".join(problems)


def _pair(tmp_path, en_cells, zh_cells, name="01_x.ipynb"):
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    for path, cells in ((tmp_path / "notebooks" / name, en_cells), (tmp_path / "notebooks" / "zh" / name, zh_cells)):
        path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                        encoding="utf-8")
    return tmp_path / "notebooks" / name, tmp_path / "notebooks" / "zh" / name


def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


EN = [_md("# Lesson\n[中文版](zh/01_x.ipynb)\n\nThe customer pays for the service it uses every month."),
      _code('x = load("shipments")  # one row per order\nprint(f"{len(x):,} orders", x.revenue.sum())'),
      _code('plot(x, title="Revenue by month", bins=12)')]
ZH = [_md("# 课程\n[English edition](../01_x.ipynb)\n\n客户按月为其使用的物流服务付费，这就是本课讨论的客户价值。"),
      _code('x = load("shipments")  # 每行一张订单\nprint(f"{len(x):,} 张订单", x.revenue.sum())'),
      _code('plot(x, title="各月收入", bins=12)')]


def test_checker_accepts_twins_that_differ_only_in_comments_and_strings(tmp_path):
    en, zh = _pair(tmp_path, EN, ZH)
    assert editions.compare(en, zh) == []


@pytest.mark.parametrize("change, expected", [
    (lambda c: c[2].update(source='plot(x, title="各月收入", bins=10)'), "cell 2: code logic differs"),
    (lambda c: c[1].update(source='x = load("shipments")\nprint(len(x))'), "cell 1: code logic differs"),
    (lambda c: c.pop(2), "cells differ"),
    (lambda c: c[0].update(source="# 课程\n\n客户按月为其使用的物流服务付费，这就是本课讨论的客户价值。"), "no link"),
    (lambda c: c[0].update(source="# Lesson [English](../01_x.ipynb)\n\nThe customer pays for the service "
                                  "it uses every month, and we study what it is worth to us."),
     "English-only paragraph"),
])
def test_checker_catches_a_fork(tmp_path, change, expected):
    zh = copy.deepcopy(ZH)
    change(zh)
    en_path, zh_path = _pair(tmp_path, EN, zh)
    assert any(expected in p for p in editions.compare(en_path, zh_path)), editions.compare(en_path, zh_path)


def test_missing_twin_is_reported(tmp_path):
    en, zh = _pair(tmp_path, EN, ZH)
    zh.unlink()
    assert "no Chinese edition" in editions.compare(en, zh)[0]


def test_cjk_share_ignores_code_maths_and_links():
    assert editions.cjk_share("客户价值 `customer_value(df)` $x = y$ [链接](https://example.org/abc)") == 1.0
    assert editions.cjk_share("value 价值") == pytest.approx(2 / 7)


def test_chinese_course_map_and_readme_cover_the_course():
    course_map = (ROOT / "notebooks" / "zh" / "README.md").read_text(encoding="utf-8")
    for lesson in TWINNED:
        assert f"]({lesson.name})" in course_map, f"notebooks/zh/README.md does not link {lesson.name}"
    assert "](../README.md)" in course_map
    assert "](zh/README.md)" in (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    readme, readme_zh = ((ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "README.zh-CN.md"))
    assert "](README.zh-CN.md)" in readme and "](README.md)" in readme_zh

    def commands(text):
        return re.findall(r"^make (lab|test)\b", text, flags=re.M)

    assert commands(readme_zh) == commands(readme) == ["lab", "test"]
