"""Read otter-grader master notebooks and check the student notebooks built from them for leaks.

A master notebook (``exercises/masters/NN_slug.ipynb``) holds questions, solutions and tests in
otter-grader's format: a raw ``# ASSIGNMENT CONFIG`` cell, raw ``# BEGIN QUESTION`` /
``# BEGIN SOLUTION`` / ``# BEGIN TESTS`` cells and their ``# END ...`` partners, ``# SOLUTION``
at the end of solution lines. :func:`read_master` parses that into :class:`Master`;
:func:`master_problems` lists what is missing (solution markers, hidden tests, rubrics, the
no-PDF settings) and :func:`find_leaks` lists solution or hidden-test text found in a student
notebook. Otter itself copies an unmarked line inside a solution cell into the student version
without a warning, so these checks run on every build and in the test suite.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["Question", "Master", "read_master", "master_problems", "find_leaks", "notebook_strings",
           "tested_names"]

#: Text that must never reach a student notebook (otter markers and our rubric heading).
LEAK_MARKERS = ("# SOLUTION", "BEGIN SOLUTION", "END SOLUTION", "BEGIN TESTS", "END TESTS",
                "BEGIN TEST CONFIG", "ASSIGNMENT CONFIG", "hidden: true", "Rubric", "评分标准")
#: Lines shorter than this are too generic to call a leak (``)``, ``else:``, ``x = 1``).
MIN_LEAK_CHARS = 12

_BLOCK = re.compile(r"^\s*#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b")
_MARKED = re.compile(r"#\s?SOLUTION(\s+NO PROMPT)?\s*$")
#: A line that only shows answer variables (``share_a`` or ``n, top``) may stay in a solution cell.
_DISPLAY = re.compile(r"^[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*,?$")
#: A hidden test must derive its expected answer from the seeded course data.
_RECOMPUTES = re.compile(r"\b(exercise_data|exercise_seed|course_seed)\(")
_ANSWERS = re.compile(r"^\s*#\s*answers\s*:(.*)$", re.M)
_TEST_CONFIG = re.compile(r'"""\s*#\s*BEGIN TEST CONFIG(.*?)"""\s*#\s*END TEST CONFIG', re.S)


@dataclass
class Question:
    """One question of a master: its config, solution text and tests."""

    name: str
    points: float
    manual: bool
    all_or_nothing: bool
    solution_lines: list[str] = field(default_factory=list)
    unmarked_lines: list[str] = field(default_factory=list)
    public_tests: list[str] = field(default_factory=list)
    hidden_tests: list[str] = field(default_factory=list)
    #: Names whose values are graded (``# answers: a, b`` in the BEGIN QUESTION cell).
    answers: list[str] = field(default_factory=list)


@dataclass
class Master:
    """A parsed master notebook."""

    path: Path
    config: dict
    questions: list[Question]
    shared_lines: set[str]
    #: Code cells outside the questions (the setup cell), run again by the grader on its own data.
    context_code: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def auto_questions(self) -> list[Question]:
        return [q for q in self.questions if not q.manual]

    @property
    def manual_questions(self) -> list[Question]:
        return [q for q in self.questions if q.manual]


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _block(cell):
    """('BEGIN'|'END', kind) for a raw block-boundary cell, else None."""
    if cell.get("cell_type") != "raw":
        return None
    first = _source(cell).strip().splitlines()[:1]
    match = _BLOCK.match(first[0]) if first else None
    return (match.group(1), match.group(2)) if match else None


def _yaml_body(text: str, name: str) -> dict:
    body = "\n".join(text.strip().splitlines()[1:])
    try:
        data = yaml.safe_load(body) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{name}: the YAML in a config cell does not parse: {err}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{name}: a config cell must hold `key: value` lines, got {body!r}.")
    return data


def _split_code(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split a solution cell into (marked solution lines, unmarked code lines, shared lines)."""
    marked, unmarked, shared = [], [], []
    inside = False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"#\s*BEGIN SOLUTION", stripped):
            inside = True
        elif re.match(r"#\s*END SOLUTION", stripped):
            inside = False
        elif inside or _MARKED.search(stripped):
            marked.append(_MARKED.sub("", stripped).strip())
        elif stripped and not stripped.startswith("#") and not _DISPLAY.match(stripped):
            unmarked.append(stripped)
        else:
            shared.append(stripped)
    return marked, unmarked, shared


def read_master(path: str | PathLike[str]) -> Master:
    """Parse a master notebook into its config and questions.

    Parameters
    ----------
    path : path-like
        The master ``.ipynb``.

    Returns
    -------
    Master
        ``config`` (the ASSIGNMENT CONFIG as a dict), ``questions`` (in notebook order) and
        ``shared_lines`` (lines outside solutions and tests, which may appear in the student copy).
    """
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    config, questions, shared, context = {}, [], set(), []
    question, in_solution, in_tests = None, False, False
    for cell in nb.get("cells", []):
        text = _source(cell)
        if cell.get("cell_type") == "raw" and text.strip().startswith("# ASSIGNMENT CONFIG"):
            config = _yaml_body(text, path.name)
            continue
        boundary = _block(cell)
        if boundary == ("BEGIN", "QUESTION"):
            conf = _yaml_body(text, path.name)
            question = Question(name=str(conf.get("name", "")), points=float(conf.get("points", 1)),
                                manual=bool(conf.get("manual", False)),
                                all_or_nothing=bool(conf.get("all_or_nothing", False)))
            for found in _ANSWERS.findall(text):
                question.answers += [n.strip() for n in found.split(",") if n.strip()]
            questions.append(question)
        elif boundary == ("END", "QUESTION"):
            question = None
        elif boundary is not None and boundary[1] in ("SOLUTION", "TESTS"):
            in_solution = boundary == ("BEGIN", "SOLUTION")
            in_tests = boundary == ("BEGIN", "TESTS")
        elif in_tests and question is not None and cell.get("cell_type") == "code":
            conf = _TEST_CONFIG.search(text)
            hidden = bool(conf and (yaml.safe_load(conf.group(1)) or {}).get("hidden"))
            body = _TEST_CONFIG.sub("", text).strip()
            (question.hidden_tests if hidden else question.public_tests).append(body)
        elif in_solution and question is not None:
            if cell.get("cell_type") == "code":
                marked, unmarked, rest = _split_code(text)
                question.solution_lines += marked
                question.unmarked_lines += unmarked
                shared.update(rest)
            else:
                question.solution_lines += [ln.strip() for ln in text.splitlines() if ln.strip()]
        elif cell.get("cell_type") in ("code", "markdown"):
            if cell.get("cell_type") == "code" and question is None:
                context.append(text)
            if cell.get("cell_type") == "code":
                marked, unmarked, rest = _split_code(text)
                if question is not None:
                    question.solution_lines += marked
                shared.update(unmarked + rest)
            else:
                shared.update(ln.strip() for ln in text.splitlines())
    return Master(path=path, config=config, questions=questions, shared_lines=shared,
                  context_code=context)


def _names(code: str) -> tuple[set[str], set[str]]:
    """(names the code reads, names it binds), by its syntax tree; ``(set(), set())`` if unparsable."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(), set()
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return read, bound


def tested_names(master: Master, question: Question) -> set[str]:
    """Names a question's tests read that neither the tests nor the master's setup cell define."""
    import builtins

    context = set()
    for code in master.context_code:
        context |= _names(code)[1]
    free = set()
    for test in question.public_tests + question.hidden_tests:
        read, bound = _names(test)
        free |= read - bound
    return free - context - set(dir(builtins))


def reserved_names(master: Master) -> set[str]:
    """Names an answer must not take: set or imported by the setup cell, built in, or private.

    The judge puts a student's answer values over the setup cell's namespace, so an answer named
    like ``customers`` or ``pd`` would let a hand-in replace what the tests compare against.
    """
    import builtins

    context = {"STUDENT_ID", "__builtins__", "__name__"} | set(dir(builtins))
    for code in master.context_code:
        lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        context |= _names("\n".join(lines))[1]
    return context


def master_problems(master: Master) -> list[str]:
    """Everything a master must have and lacks, as plain sentences (empty list when fine)."""
    name, problems = master.path.name, []
    conf = master.config
    if not conf:
        return [f"{name}: no raw `# ASSIGNMENT CONFIG` cell."]
    export = conf.get("export_cell") or {}
    if not isinstance(export, dict) or export.get("pdf") is not False:
        problems.append(f"{name}: the ASSIGNMENT CONFIG must set `export_cell: {{pdf: false}}` "
                        "(there is no pandoc/LaTeX for PDF export).")
    generate = conf.get("generate") or {}
    if not isinstance(generate, dict) or generate.get("pdf") is not False:
        problems.append(f"{name}: the ASSIGNMENT CONFIG must set `generate: {{pdf: false}}`.")
    if conf.get("name") != master.stem:
        problems.append(f"{name}: the ASSIGNMENT CONFIG `name` must be {master.stem!r} (the file "
                        f"name), so submissions for another set are refused; it is {conf.get('name')!r}.")
    if not master.questions:
        problems.append(f"{name}: no `# BEGIN QUESTION` cells.")
    if not master.manual_questions:
        problems.append(f"{name}: needs at least one manually graded written question (`manual: true`).")
    seen = set()
    for q in master.questions:
        where = f"{name} question {q.name!r}"
        if not q.name or q.name in seen:
            problems.append(f"{where}: every question needs a unique `name`.")
        seen.add(q.name)
        if not q.solution_lines:
            problems.append(f"{where}: no solution (a `# BEGIN SOLUTION` block or `# SOLUTION` lines).")
        if q.unmarked_lines:
            problems.append(f"{where}: solution code without a `# SOLUTION` marker would be copied "
                            f"into the student notebook: {q.unmarked_lines[0]!r}.")
        if q.manual:
            if not any(("Rubric" in ln or "评分标准" in ln) for ln in q.solution_lines):
                problems.append(f"{where}: a manual question needs a marking rubric (a line with "
                                "'Rubric') in its solution.")
        else:
            if not q.hidden_tests:
                problems.append(f"{where}: no hidden test, so the final grade would not check the answer.")
            elif not all(_RECOMPUTES.search(t) for t in q.hidden_tests):
                problems.append(f"{where}: a hidden test does not reload the course data "
                                "(exercise_data(STUDENT_ID)), so its expected answer would be "
                                "hard-coded and wrong for a re-seeded class.")
            if not q.public_tests:
                problems.append(f"{where}: no public test, so grader.check gives no feedback.")
            if not q.answers:
                problems.append(f"{where}: declare the names whose values are graded with a line "
                                "`# answers: name1, name2` in its BEGIN QUESTION cell.")
            else:
                bad = [n for n in q.answers if not n.isidentifier()]
                undeclared = sorted(tested_names(master, q) - set(q.answers))
                shadowing = sorted(set(q.answers) & reserved_names(master))
                if bad:
                    problems.append(f"{where}: {bad[0]!r} in `# answers:` is not a Python name.")
                if shadowing:
                    problems.append(f"{where}: {', '.join(shadowing)} in `# answers:` is set by the "
                                    "setup cell, imported or built in; a student's value would "
                                    "replace what the tests rely on. Name the answer differently.")
                if undeclared:
                    problems.append(f"{where}: its tests use {', '.join(undeclared)}, which is neither "
                                    "a declared answer nor set by the setup cell; add it to "
                                    "`# answers:`.")
            if not q.all_or_nothing:
                problems.append(f"{where}: set `all_or_nothing: true`, or passing the public sanity "
                                "checks alone earns points for a wrong number.")
    return problems


def notebook_strings(nb: dict) -> list[str]:
    """Every string in a notebook (cell sources, outputs and metadata, e.g. otter's public tests)."""
    found = []

    def walk(obj):
        if isinstance(obj, str):
            found.append(obj)
        elif isinstance(obj, dict):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(nb)
    return found


def _squash(text: str) -> str:
    """Drop spaces and quotes: otter rewrites test code (quote style) when it stores it."""
    return re.sub(r"[\s'\"]", "", text)


def find_leaks(master: Master, student: dict | str | PathLike[str], *, markers: bool = True) -> list[str]:
    """Solution lines, markers or hidden-test text of ``master`` found in the ``student`` notebook.

    Parameters
    ----------
    master : Master
        The parsed master (:func:`read_master`).
    student : dict or path-like
        The student notebook, loaded JSON or a path.

    Returns
    -------
    list of str
        One sentence per leak; empty when the student notebook is clean.
    """
    if not isinstance(student, dict):
        student = json.loads(Path(student).read_text(encoding="utf-8"))
    strings = notebook_strings(student)
    blob = "\n".join(strings)
    squashed = _squash(blob)
    lines = {ln.strip() for s in strings for ln in s.splitlines()}
    leaks = [f"marker {m!r} appears in the student notebook" for m in LEAK_MARKERS
             if markers and m in blob]
    for q in master.questions:
        for line in q.solution_lines:
            if (len(line) >= MIN_LEAK_CHARS and line not in master.shared_lines and line in lines):
                leaks.append(f"solution line of {q.name!r} appears: {line!r}")
        for test in q.hidden_tests:
            for line in test.splitlines():
                key = _squash(line)
                if len(key) >= MIN_LEAK_CHARS and line.strip() not in master.shared_lines \
                        and key in squashed and not any(key in _squash(t) for t in q.public_tests):
                    leaks.append(f"hidden test line of {q.name!r} appears: {line.strip()!r}")
    return leaks
