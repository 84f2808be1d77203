"""Check the two lesson editions against each other: notebooks/NN_*.ipynb (English) and
notebooks/zh/NN_*.ipynb (Chinese).

Two editions, one logic: the twins have the same cells in the same order, and every pair of code cells
is the same program once comments and string literals are blanked (printed text, chart titles and
comments may be Chinese in one and English in the other; anything else is a fork). Each zh lesson is
Chinese text: at least half of its markdown letters are CJK once inline code, maths, HTML tags and link
targets are left out, and no substantial paragraph is English only. Each lesson links to its twin in its
first cell.

    python tools/editions.py                      # every pair; exit 1 and a list of problems
    python tools/editions.py notebooks/05_abc_core_customers.ipynb   # one pair

Used by tests/test_editions.py; translators run it on their lesson while they work.
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: a paragraph with at least this many English words and no Chinese character is "English only"
ENGLISH_PARAGRAPH_WORDS = 12
#: share of markdown letters that must be CJK in a zh lesson
MIN_CJK_SHARE = 0.5


def lessons(root: Path = ROOT) -> list[Path]:
    """The English lessons, notebooks/NN_*.ipynb, in course order."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def twin(lesson: Path) -> Path:
    """The other edition's path of ``lesson`` (English → zh/ and back)."""
    lesson = Path(lesson)
    return lesson.parent.parent / lesson.name if lesson.parent.name == "zh" else lesson.parent / "zh" / lesson.name


def _cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


class _BlankStrings(ast.NodeTransformer):
    """Replace every string literal by "" and every f-string by its expressions only."""

    def visit_Constant(self, node):
        if isinstance(node.value, (str, bytes)):
            return ast.copy_location(ast.Constant(value=""), node)
        return node

    def visit_JoinedStr(self, node):
        values = [self.visit(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
        return ast.copy_location(ast.Tuple(elts=values, ctx=ast.Load()), node)


def _strip_magics(code: str) -> str:
    # IPython line magics and shell escapes are not Python; keep their place with a `pass`
    return "\n".join(re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in code.splitlines())


def code_logic(code: str) -> str:
    """The program in ``code`` with comments, docstrings' and other strings' text blanked."""
    tree = ast.parse(_strip_magics(code))
    return ast.dump(_BlankStrings().visit(tree), include_attributes=False)


def _prose(markdown: str) -> str:
    """Markdown without code, maths, HTML tags and link targets: the words a reader reads."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)          # [text](target) -> [text]
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def cjk_share(markdown: str) -> float:
    """Share of letters in ``markdown``'s prose that are Chinese characters (0 when it has none)."""
    prose = _prose(markdown)
    cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def english_paragraphs(markdown: str, *, words: int = ENGLISH_PARAGRAPH_WORDS) -> list[str]:
    """Paragraphs and list items of ``markdown`` with ``words`` or more English words and no Chinese."""
    found = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[*+-]|\d+\.)\s)", _prose(markdown)):
        if not CJK.search(block) and len(WORD.findall(block)) >= words:
            found.append(" ".join(block.split())[:120])
    return found


def compare(english: Path, chinese: Path) -> list[str]:
    """Problems between the twins ``english`` and ``chinese`` (an empty list when they agree)."""
    name = english.name
    if not chinese.exists():
        return [f"{name}: no Chinese edition at {chinese.relative_to(chinese.parents[2])}"]
    en, zh = _cells(english), _cells(chinese)
    problems = []
    if [c["cell_type"] for c in en] != [c["cell_type"] for c in zh]:
        problems.append(f"{name}: cells differ — English has {len(en)} "
                        f"({''.join(c['cell_type'][0] for c in en)}), Chinese has {len(zh)} "
                        f"({''.join(c['cell_type'][0] for c in zh)}) (m = markdown, c = code)")
        return problems
    for i, (a, b) in enumerate(zip(en, zh)):
        if a["cell_type"] != "code":
            continue
        try:
            same = code_logic(_source(a)) == code_logic(_source(b))
        except SyntaxError as err:
            problems.append(f"{name} cell {i}: does not parse ({err})")
            continue
        if not same:
            problems.append(f"{name} cell {i}: code logic differs between the editions "
                            "(only comments and string literals may differ)")
    first_en = next((_source(c) for c in en if c["cell_type"] == "markdown"), "")
    first_zh = next((_source(c) for c in zh if c["cell_type"] == "markdown"), "")
    if f"(zh/{name})" not in first_en:
        problems.append(f"{name}: the English lesson's first cell has no link to (zh/{name})")
    if f"(../{name})" not in first_zh:
        problems.append(f"zh/{name}: the Chinese lesson's first cell has no link to (../{name})")
    problems += language(chinese)
    return problems


def language(chinese: Path) -> list[str]:
    """Problems with ``chinese`` as Chinese text: too little CJK, or English-only paragraphs."""
    markdown = "\n\n".join(_source(c) for c in _cells(chinese) if c["cell_type"] == "markdown")
    problems = []
    share = cjk_share(markdown)
    if share < MIN_CJK_SHARE:
        problems.append(f"zh/{chinese.name}: only {share:.0%} of the markdown letters are Chinese "
                        f"(at least {MIN_CJK_SHARE:.0%} expected)")
    for para in english_paragraphs(markdown):
        problems.append(f"zh/{chinese.name}: English-only paragraph: {para!r}")
    return problems


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv] or lessons()
    problems = []
    for path in targets:
        english = twin(path) if path.parent.name == "zh" else path
        problems += compare(english, twin(english))
    for p in problems:
        print(p)
    print(f"{len(targets)} lesson pair(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
