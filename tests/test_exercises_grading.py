"""Grading the real exercise sets: full marks, zero, in between, broken hand-ins, re-seeding.

Every set: the solution earns full marks and the untouched student notebook zero. Set 05 also:
a folder of broken and partly wrong hand-ins, and grading against two seeds.

Every grade runs through ``crmkit.grading.grade`` exactly as the command line does: each
submission in its own process (forked from a server that has otter loaded), with a time limit.
"""
import ast
import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from crmkit.grading.build import assemble, list_masters, resolve_master, student_path
from crmkit.grading.grade import grade
from crmkit.grading.masters import read_master

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
MASTERS = list_masters(EXERCISES)
SEED_A, SEED_B = 2016, 7


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _save(nb, path):
    Path(path).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def _answer_cell(nb, question_vars, master=None):
    """The code answer cell of the question that assigns ``question_vars``.

    Found in the student notebook (tagged ``otter_answer_cell``), then picked from ``nb`` by its
    cell id: the build gives solution and student notebooks the same ids.
    """
    student = _load(student_path(master or resolve_master("05", EXERCISES), EXERCISES))
    for cell in student["cells"]:
        if cell["cell_type"] == "code" and "otter_answer_cell" in cell["metadata"].get("tags", []):
            if _assigned("".join(cell["source"])) & set(question_vars):
                return next(c for c in nb["cells"] if c["id"] == cell["id"])
    raise LookupError(f"no answer cell assigns {question_vars}")


def _assigned(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)}


def _question_vars(question):
    names = set()
    for line in question.solution_lines:
        names |= _assigned(line)
    return names


def _ready(master):
    built = assemble(master, exercises_dir=EXERCISES)
    return built, read_master(master)


def _grade(stem, folder, **kw):
    kw.setdefault("timeout", 120)
    kw.setdefault("jobs", 2)
    book = grade(stem, folder, exercises_dir=EXERCISES, progress=False, **kw)
    return book.set_index("submission")


@pytest.mark.slow
@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_solution_scores_full_marks_and_untouched_notebook_zero(master, tmp_path):
    built, parsed = _ready(master)
    subs = tmp_path / "subs"
    subs.mkdir()
    _save(_load(built.solution), subs / "solution.ipynb")
    _save(_load(student_path(master, EXERCISES)), subs / "untouched.ipynb")

    book = _grade(master.stem, subs)
    possible = sum(q.points for q in parsed.auto_questions)
    assert list(book.index) == ["solution.ipynb", "untouched.ipynb"]
    assert (book["error"] == "").all(), book["error"].to_dict()  # both run top to bottom
    assert book.loc["solution.ipynb", "total"] == possible
    assert book.loc["solution.ipynb", "percent"] == 100
    assert (book.loc["untouched.ipynb", [q.name for q in parsed.auto_questions]] == 0).all()
    for q in parsed.manual_questions:  # left empty for the marker
        assert book[f"{q.name} (manual /{q.points:g})"].isna().all()


def _zip(path, inner):
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(inner, inner.name)
    return path


@pytest.mark.slow
def test_broken_submissions_each_get_a_row_with_the_error(tmp_path):
    master = resolve_master("05", EXERCISES)
    built, parsed = _ready(master)
    subs = tmp_path / "subs"
    subs.mkdir()
    q = {x.name: _question_vars(x) for x in parsed.questions}

    def variant(name, edit):
        nb = _load(built.solution)
        edit(nb)
        return _save(nb, subs / name)

    def set_answer(var, source):
        return lambda nb: _answer_cell(nb, q[var]).update(source=source)

    variant("syntax_error.ipynb", set_answer("q2", "share_customers_a = (\n"))
    variant("raises.ipynb", set_answer("q3", 'raise RuntimeError("boom")'))
    # an endless loop that sleeps, so the time limit is tested without burning a core for 40 s
    variant("endless_loop.ipynb", set_answer("q6", "import time\nwhile True:\n    time.sleep(0.2)"))

    def delete_q5(nb):
        cell = _answer_cell(nb, q["q5"])
        nb["cells"] = [c for c in nb["cells"] if c is not cell]
    variant("deleted_cells.ipynb", delete_q5)
    variant("other_set.ipynb", lambda nb: nb["metadata"]["otter"].update(assignment_name="01_x"))
    last = parsed.auto_questions[-1]
    blank = _answer_cell(_load(student_path(master, EXERCISES)), _question_vars(last))

    def partly_wrong(nb):  # the typical mistake in q4 (revenue for profit), the last left blank
        set_answer("q4", 'profit_share_a = pareto.loc[pareto["abc_class"] == "A", "value"].sum()'
                         ' / pareto["value"].sum()')(nb)
        _answer_cell(nb, _question_vars(last)).update(source=blank["source"])
    variant("partly_wrong.ipynb", partly_wrong)
    (subs / "invalid_json.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "empty.ipynb").write_bytes(b"")
    (subs / "essay.pdf").write_bytes(b"%PDF-1.4 not a notebook")
    _zip(subs / "exported.zip", _save(_load(built.solution), tmp_path / f"{master.stem}.ipynb"))
    files = sorted(subs.iterdir())
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in files}

    timeout = 40
    book = _grade("05", subs, timeout=timeout)
    possible = sum(x.points for x in parsed.auto_questions)

    assert list(book.index) == [p.name for p in files]
    assert (book["seconds"] <= timeout + 15).all(), book["seconds"].to_dict()
    err = book["error"]
    assert "time limit of 40 s" in err["endless_loop.ipynb"]
    assert "SyntaxError" in err["syntax_error.ipynb"]
    assert "RuntimeError: boom" in err["raises.ipynb"]
    assert "deleted" in err["deleted_cells.ipynb"]
    assert "not the notebook of this assignment" in err["other_set.ipynb"]
    assert "not valid notebook JSON" in err["invalid_json.ipynb"]
    assert "empty" in err["empty.ipynb"]
    assert "not a notebook" in err["essay.pdf"]
    assert err["exported.zip"] == "" and book.loc["exported.zip", "total"] == possible
    assert err["partly_wrong.ipynb"] == ""
    assert book.loc["partly_wrong.ipynb", "q4"] == 0 and book.loc["partly_wrong.ipynb", last.name] == 0
    assert book.loc["partly_wrong.ipynb", "total"] == possible - 2 - last.points  # in between
    assert 0 < book.loc["partly_wrong.ipynb", "percent"] < 100
    assert book.loc["syntax_error.ipynb", "q2"] == 0 and book.loc["syntax_error.ipynb", "q1"] == 1
    assert book.loc["deleted_cells.ipynb", "q5"] == 0
    assert book.loc["deleted_cells.ipynb", "total"] == possible - 2
    for name in ("endless_loop.ipynb", "invalid_json.ipynb", "empty.ipynb", "essay.pdf"):
        assert book.loc[name, "total"] == 0 and book.loc[name, "percent"] == 0
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in sorted(subs.iterdir())}
    assert after == before, "grading changed or added files in the submissions folder"


def _literal(value):
    """Python source that rebuilds ``value`` (the numbers a student could type in)."""
    if isinstance(value, pd.DataFrame):
        data = {c: value[c].astype(object).where(value[c].notna(), None).tolist()
                for c in value.columns}
        return (f"pd.DataFrame({data!r}, index=pd.Index({value.index.tolist()!r}, "
                f"name={value.index.name!r}))")
    if isinstance(value, pd.Series):
        return (f"pd.Series({value.tolist()!r}, index=pd.Index({value.index.tolist()!r}, "
                f"name={value.index.name!r}), name={value.name!r})")
    if isinstance(value, pd.Index):
        return f"pd.Index({value.tolist()!r}, name={value.name!r})"
    if hasattr(value, "item"):
        return repr(value.item())
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ",)"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def _numbers_notebook(built, parsed, seed, monkeypatch):
    """The solution with every answer replaced by the literal values it gives for ``seed``."""
    monkeypatch.setenv("CRMKIT_COURSE_SEED", str(seed))
    monkeypatch.delenv("CRMKIT_COURSE_CONFIG", raising=False)
    nb = _load(built.solution)
    namespace = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and "grader" not in src and "otter" not in src:
            exec(compile(src, "<solution>", "exec"), namespace)  # our own trusted solution
    for question in parsed.auto_questions:
        cell = _answer_cell(nb, _question_vars(question))
        names = sorted(_assigned("".join(cell["source"])))
        cell["source"] = "\n".join(f"{n} = {_literal(namespace[n])}" for n in names)
    return nb


@pytest.mark.slow
def test_reseeding_changes_the_answers(tmp_path, monkeypatch):
    """Each seed's solution earns full marks; the numbers of one seed earn nothing under another."""
    master = resolve_master("05", EXERCISES)
    built, parsed = _ready(master)
    subs = tmp_path / "subs"
    subs.mkdir()
    _save(_load(built.solution), subs / "solution.ipynb")
    _save(_numbers_notebook(built, parsed, SEED_A, monkeypatch), subs / "numbers_a.ipynb")
    monkeypatch.delenv("CRMKIT_COURSE_SEED")
    possible = sum(q.points for q in parsed.auto_questions)

    only_numbers = tmp_path / "numbers"
    only_numbers.mkdir()
    (only_numbers / "numbers_a.ipynb").write_bytes((subs / "numbers_a.ipynb").read_bytes())
    at_a = _grade("05", only_numbers, seed=SEED_A)  # the solution at seed A: the test above
    assert at_a.loc["numbers_a.ipynb", "total"] == possible, at_a.loc["numbers_a.ipynb"].to_dict()

    at_b = _grade("05", subs, seed=SEED_B)
    assert at_b.loc["solution.ipynb", "total"] == possible
    for q in parsed.auto_questions:
        assert at_b.loc["numbers_a.ipynb", q.name] == 0, f"seed {SEED_A}'s answer to {q.name} passed"
