"""Instructor guides (issue 14 item 3): one per lesson, in the shared format, kept out of the release.

Every lesson ``notebooks/NN_slug.ipynb`` needs ``instructor/NN_slug.md`` with exactly these level-2
sections in this order — the 90-minute plan, answer notes, common mistakes — optionally followed by
timing notes for trainers. The plan is a table whose minutes sum to 90, each row saying what to do
when short of time. There is at least one ``### `` answer note per question of the lesson, counted
from the lesson itself (see :func:`lesson_questions`), and at least five common mistakes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crmkit.grading import __main__ as cli

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUIDES = ROOT / "instructor"
SECTIONS = ("## 90-minute plan", "## Answer notes", "## Common mistakes")
OPTIONAL = "## Timing notes for trainers"
PLAN_COLUMNS = ["minutes", "section", "what to do", "if short of time"]

#: A bold discussion marker such as ``**讨论 Discussion.**`` or ``**Discussion (讨论):**``; a plain
#: mention of the word in prose does not count.
_DISCUSSION = re.compile(r"\*\*[^*\n]*(?:Discussion|讨论)[^*\n]*\*\*")
_CHECK_HEADING = re.compile(r"^#+ .*(?:Check yourself|自测题)")
_NUMBERED_ITEM = re.compile(r"^\s{0,3}\d+\.\s", re.M)
_INLINE_NUMBER = re.compile(r"\((\d+)\)")


def _markdown(lesson: Path) -> list[str]:
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def lesson_questions(lesson: Path) -> tuple[int, int]:
    """(check-yourself questions, discussion questions) of one lesson notebook.

    Check yourself: the numbered list items of the last markdown cell whose heading names
    "Check yourself" or 自测题. Discussion: in every other markdown cell, the text after each bold
    discussion marker (``**讨论 Discussion.**``, ``**Discussion (讨论):**``) counts as its distinct
    inline numbers "(1) … (2) …", else its numbered list items, else one question.
    """
    cells = _markdown(lesson)
    checks = [i for i, s in enumerate(cells) if _CHECK_HEADING.match(s.strip())]
    n_check = len(_NUMBERED_ITEM.findall(cells[checks[-1]])) if checks else 0
    n_discussion = 0
    for i, text in enumerate(cells):
        if checks and i == checks[-1]:
            continue
        parts = _DISCUSSION.split(text)[1:]
        for part in parts:
            inline = set(_INLINE_NUMBER.findall(part))
            n_discussion += len(inline) or len(_NUMBERED_ITEM.findall(part)) or 1
    return n_check, n_discussion


def _sections(text: str) -> dict[str, str]:
    """Body of each level-2 section, keyed by its heading line."""
    out, key = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            key = line.strip()
            out[key] = ""
        elif key is not None:
            out[key] += line + "\n"
    return out


def _guide(lesson: Path) -> tuple[str, dict[str, str]]:
    path = GUIDES / f"{lesson.stem}.md"
    assert path.is_file(), f"no instructor guide {path.relative_to(ROOT)} for {lesson.name}"
    text = path.read_text(encoding="utf-8")
    return text, _sections(text)


def _section(sections: dict[str, str], prefix: str) -> str:
    found = [body for head, body in sections.items() if head.startswith(prefix)]
    assert len(found) == 1, f"expected one section '{prefix} …', found {len(found)}"
    return found[0]


def _table_rows(body: str) -> list[list[str]]:
    rows = [ln.strip() for ln in body.splitlines() if ln.strip().startswith("|")]
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    return [r for r in cells if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]


lesson_ids = [p.stem for p in LESSONS]


def test_there_are_eleven_lessons():
    # ten chapters, chapter 7 in two lessons (07_service_quality_kpis, 07_service_strategy_tools)
    assert len(LESSONS) == 11, [p.name for p in LESSONS]


def test_question_counting_sees_inline_and_unnumbered_discussions():
    counts = {p.stem: lesson_questions(p) for p in LESSONS}
    assert counts["01_customer_types"] == (7, 3)   # "(1) … (2) … (3)" inside one case box
    assert counts["05_abc_core_customers"][1] == 1  # one unnumbered discussion question
    assert all(check >= 5 for check, _ in counts.values()), counts


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids)
def test_guide_has_the_required_sections_in_order(lesson):
    text, sections = _guide(lesson)
    assert text.startswith("# "), "a guide opens with its level-1 title"
    heads = list(sections)
    prefixes = [next((p for p in (*SECTIONS, OPTIONAL) if h.startswith(p)), h) for h in heads]
    assert prefixes in (list(SECTIONS), [*SECTIONS, OPTIONAL]), heads


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids)
def test_plan_sums_to_90_minutes_with_a_fallback_per_row(lesson):
    _, sections = _guide(lesson)
    rows = _table_rows(_section(sections, SECTIONS[0]))
    assert rows and [c.lower() for c in rows[0]] == PLAN_COLUMNS, rows[:1]
    body = rows[1:]
    assert len(body) >= 4, "one row per lesson section"
    assert all(len(r) == len(PLAN_COLUMNS) for r in body), body
    assert all(r[0].isdigit() for r in body), [r[0] for r in body]
    assert sum(int(r[0]) for r in body) == 90
    assert all(r[1] and r[2] and r[3] for r in body), [r for r in body if not all(r[1:])]


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids)
def test_an_answer_note_per_question(lesson):
    _, sections = _guide(lesson)
    notes = [ln for ln in _section(sections, SECTIONS[1]).splitlines() if ln.startswith("### ")]
    n_check, n_discussion = lesson_questions(lesson)
    assert len(notes) >= n_check + n_discussion, (len(notes), n_check, n_discussion)
    checks = [ln for ln in notes if "自测题" in ln or "Check yourself" in ln]
    assert len(checks) >= n_check, f"{len(checks)} notes name 自测题, the lesson asks {n_check}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids)
def test_at_least_five_common_mistakes(lesson):
    _, sections = _guide(lesson)
    bullets = re.findall(r"^[-*] \S", _section(sections, SECTIONS[2]), re.M)
    assert len(bullets) >= 5, len(bullets)


def test_index_links_every_guide():
    index = (GUIDES / "README.md").read_text(encoding="utf-8")
    missing = [p.stem for p in LESSONS if f"({p.stem}.md)" not in index]
    assert not missing, missing


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "class"
    assert cli.main(["release", "--out", str(out), "--exercises", str(ROOT / "exercises")]) == 0
    return out


def test_student_release_has_no_instructor_files(released):
    assert any(GUIDES.glob("*.md")), "the kit has instructor guides, so the check below means something"
    names = [p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file()]
    assert names and not [n for n in names if n.split("/")[0] == "instructor"]
    guide_title = (GUIDES / "README.md").read_text(encoding="utf-8").splitlines()[0]
    blob = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in released.rglob("*.md"))
    assert guide_title not in blob, "instructor index text found in the release"
