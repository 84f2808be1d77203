"""The course glossary (crmkit/glossary.py) is the one source of the course's terms: its pages are
current, its functions exist, and the charts and both lesson editions use its translations."""
from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

from crmkit import glossary as G

ROOT = Path(__file__).resolve().parents[1]
PLOTTING = sorted((ROOT / "crmkit" / "plotting").glob("*.py"))
EN_LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH_LESSONS = sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
# longest first, so 服务补救悖论 is found before 服务补救
BY_LENGTH = sorted(G.TERMS, key=lambda t: len(t.zh), reverse=True)


def _norm(text: str) -> str:
    """Lower case, no parentheses' content, no punctuation, singular words: 'Key customers' -> 'key customer'."""
    text = re.sub(r"\([^)]*\)", " ", text.lower()).replace("-", " ").replace("–", " ")
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in re.findall(r"[a-z']+", text)]
    return " ".join(words)


def _abbreviation(en: str) -> str | None:
    found = re.search(r"\(([A-Z][A-Za-z/]+)\)", en)
    return found.group(1) if found else None


def agrees(english: str, t: G.Term) -> bool:
    """Does ``english`` (the words written next to the term) say the glossary's English of ``t``?"""
    said, ours = _norm(english), _norm(t.en)
    abbreviation = _abbreviation(t.en)
    if abbreviation and re.match(rf"\s*{re.escape(abbreviation)}\b", english):
        return True
    return bool(said) and (said.startswith(ours) or ours.startswith(said))


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_pages_of_both_editions_are_generated_from_the_glossary():
    assert G.main(["--root", str(ROOT), "--check"]) == 0, "run: python -m crmkit.glossary --write"
    zh = (ROOT / "notebooks" / "zh" / "glossary.md").read_text(encoding="utf-8")
    en = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    for t in G.TERMS:
        assert f"| {t.zh} | {t.en} |" in zh and f"| {t.en} | {t.zh} |" in en


def test_check_mode_fails_on_a_stale_page(tmp_path):
    assert G.main(["--root", str(tmp_path), "--check"]) == 1  # no pages at all
    assert G.main(["--root", str(tmp_path), "--write"]) == 0
    assert G.main(["--root", str(tmp_path), "--check"]) == 0
    page = tmp_path / "notebooks" / "zh" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8").replace("满意陷阱", "满意度陷阱"), encoding="utf-8")
    assert G.main(["--root", str(tmp_path), "--check"]) == 1


def test_each_term_once_each_chapter_covered():
    zh = [t.zh for t in G.TERMS]
    en = [_norm(t.en) for t in G.TERMS]
    assert len(set(zh)) == len(zh), [z for z in zh if zh.count(z) > 1]
    assert len(set(en)) == len(en), [e for e in en if en.count(e) > 1]
    assert {t.chapter for t in G.TERMS} == set(G.CHAPTERS) == set(range(1, 11))
    assert all(len(G.terms_of(c)) >= 5 for c in G.CHAPTERS)


@pytest.mark.parametrize("t", [t for t in G.TERMS if t.function], ids=lambda t: t.function)
def test_every_named_function_exists(t):
    module, _, name = t.function.rpartition(".")
    assert callable(getattr(importlib.import_module(f"crmkit.{module}"), name))


def test_lookups_and_errors():
    assert G.label("排列图") == "排列图 Pareto chart"
    assert G.english("服务补救悖论") == "service recovery paradox"
    with pytest.raises(KeyError, match="not in the course glossary.*Similar terms:.*满意陷阱"):
        G.term("满意")
    with pytest.raises(ValueError, match="lang"):
        G.label("排列图", lang="fr")
    with pytest.raises(ValueError, match="chapter"):
        G.terms_of(11)


def test_agreement_rule_can_tell_right_from_wrong():
    assert agrees("Key customers", G.term("关键客户"))
    assert agrees("CLV (元 yuan)", G.term("客户终身价值"))
    assert not agrees("Pareto principle", G.term("排列图"))
    assert not agrees("important customers", G.term("关键客户"))


def _bilingual_strings(path: Path):
    """(term, English) for each string literal of ``path`` that writes a glossary term then English."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) <= 60:
            for t in BY_LENGTH:  # labels are short; long strings are docstrings and sentences
                found = re.search(re.escape(t.zh) + r"\s*[(（]?\s*([A-Za-z][A-Za-z \-–']*)", node.value)
                if found:
                    yield t, found.group(1)
                    break


@pytest.mark.parametrize("path", PLOTTING, ids=lambda p: p.name)
def test_chart_labels_use_the_glossary_translation(path):
    wrong = [(t.zh, said, t.en) for t, said in _bilingual_strings(path) if not agrees(said, t)]
    assert not wrong, f"{path.name}: labels that translate a glossary term differently: {wrong}"


def _english_lesson_mismatches(markdown: str) -> list[tuple[str, str, str]]:
    """'X (术语)' where X is the glossary English of a *different* term: a wrong translation."""
    english_of = {_norm(t.en): t for t in G.TERMS}
    wrong = []
    for t in BY_LENGTH:
        for found in re.finditer(r"([A-Za-z][A-Za-z \-–']{2,60}?)\s*\(\s*" + re.escape(t.zh) + r"\s*[),，;；/]",
                                 markdown):
            said = _norm(found.group(1))
            if set(_norm(t.en).split()) <= set(said.split()):  # "latent external customers (隐性型客户)"
                continue
            for other_en, other in english_of.items():
                if other is not t and said.endswith(other_en) and not said.endswith(_norm(t.en)):
                    wrong.append((t.zh, found.group(1).strip()[-40:], t.en))
                    break
    return wrong


def test_english_rule_catches_a_swapped_term():
    assert _english_lesson_mismatches("the Pareto principle (排列图) says") == [
        ("排列图", "the Pareto principle", "Pareto chart")]
    assert _english_lesson_mismatches("draw a Pareto chart (排列图) of causes") == []


@pytest.mark.parametrize("lesson", EN_LESSONS, ids=lambda p: p.name)
def test_english_lessons_do_not_give_a_term_another_terms_name(lesson):
    wrong = _english_lesson_mismatches(_markdown(lesson))
    assert not wrong, f"{lesson.name}: (written, term, glossary English): {wrong}"


def _zh_first_uses(markdown: str):
    """(term, English) where a zh lesson writes a glossary term followed by its English in brackets."""
    for t in BY_LENGTH:
        for found in re.finditer(re.escape(t.zh) + r"[（(]\s*([A-Za-z][^）)，,;；]*)", markdown):
            yield t, found.group(1)


@pytest.mark.parametrize("lesson", ZH_LESSONS, ids=lambda p: p.name)
def test_chinese_lessons_bracket_the_glossary_english(lesson):
    wrong = [(t.zh, said, t.en) for t, said in _zh_first_uses(_markdown(lesson)) if not agrees(said, t)]
    assert not wrong, f"zh/{lesson.name}: (term, written, glossary English): {wrong}"
