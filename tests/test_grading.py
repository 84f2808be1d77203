"""crmkit.grading infrastructure: course seeds, exercise data, feedback, master checks, build, CLI.

Fast, in-process tests. Grading the real sets (child processes, kernels) is in
tests/test_exercises_grading.py; a small toy master here covers otter assign and the worker.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmkit.grading as cg
from crmkit.grading import __main__ as cli
from crmkit.grading import build as B
from crmkit.grading import course as C
from crmkit.grading import feedback as F
from crmkit.grading import grade as G
from crmkit.grading import masters as M
from crmkit.grading import _worker as W
from crmkit.grading import answers as A
from crmkit.grading import judge as J
from crmkit.grading import sandbox as SB

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in (C.SEED_ENV, C.CONFIG_ENV, C.PER_STUDENT_ENV, B.EXERCISES_ENV):
        monkeypatch.delenv(name, raising=False)


# ---- course settings and seeds -------------------------------------------------------------

def test_course_toml_is_found_from_a_student_folder(tmp_path):
    (tmp_path / "exercises" / "05_x").mkdir(parents=True)
    (tmp_path / "exercises" / "course.toml").write_text("[course]\nseed = 99\nper_student = true\n")
    settings = C.course_settings(tmp_path / "exercises" / "05_x")
    assert (settings.seed, settings.per_student, settings.scale) == (99, True, "tiny")
    assert C.course_settings(tmp_path).seed == 99  # exercises/course.toml from the repo root
    assert C.course_settings(tmp_path.parent / "elsewhere") == C.CourseSettings()


def test_the_shipped_course_file_uses_the_default_seed():
    settings = C.read_settings(EXERCISES / "course.toml")
    assert settings.seed == C.DEFAULT_SEED and settings.per_student is False


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    (tmp_path / "course.toml").write_text("[course]\nseed = 5\n")
    monkeypatch.setenv(C.SEED_ENV, " 77 ")
    monkeypatch.setenv(C.PER_STUDENT_ENV, "yes")
    settings = C.course_settings(tmp_path)
    assert (settings.seed, settings.per_student) == (77, True)
    monkeypatch.setenv(C.CONFIG_ENV, str(tmp_path / "course.toml"))
    assert C.course_settings("/").path == tmp_path / "course.toml"
    assert C.course_seed("/") == 77


@pytest.mark.parametrize("text, match", [
    ("[course]\nseed = -1\n", "zero or positive"),
    ("[course]\nseed = 'abc'\n", "whole number"),
    ("[course]\nsed = 3\n", "Unknown setting.*sed.*Known settings"),
    ("[course\n", "Cannot read"),
])
def test_bad_course_files_are_explained(tmp_path, text, match):
    (tmp_path / "course.toml").write_text(text)
    with pytest.raises(ValueError, match=match):
        C.course_settings(tmp_path)


def test_bad_environment_values_are_explained(tmp_path, monkeypatch):
    monkeypatch.setenv(C.CONFIG_ENV, str(tmp_path / "nope.toml"))
    with pytest.raises(ValueError, match="no such file"):
        C.course_settings(tmp_path)
    monkeypatch.delenv(C.CONFIG_ENV)
    monkeypatch.setenv(C.PER_STUDENT_ENV, "maybe")
    with pytest.raises(ValueError, match="true or false"):
        C.course_settings(tmp_path)
    monkeypatch.setenv(C.PER_STUDENT_ENV, "0")
    monkeypatch.setenv(C.SEED_ENV, "2016.5")
    with pytest.raises(ValueError, match=C.SEED_ENV):
        C.course_settings(tmp_path)


@settings(max_examples=50, deadline=None)
@given(sid=st.text(min_size=1, max_size=12).filter(str.strip), seed=st.integers(0, 10**6))
def test_student_seed_is_stable_and_in_range(sid, seed):
    s = C.student_seed(sid, course_seed=seed)
    assert 0 <= s < 2**31
    assert s == C.student_seed(f"  {sid}  ", course_seed=seed)
    assert s != C.student_seed(sid, course_seed=seed + 1)


def test_student_seed_is_the_same_in_another_process():
    code = "from crmkit.grading import student_seed; print(student_seed('2023001', course_seed=2016))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "123"}, check=True).stdout
    assert int(out) == C.student_seed("2023001", course_seed=2016)


def test_student_seed_rejects_bad_ids():
    with pytest.raises(TypeError, match="student_id"):
        C.student_seed(None, course_seed=1)
    with pytest.raises(TypeError, match="student_id"):
        C.student_seed(True, course_seed=1)
    with pytest.raises(ValueError, match="empty"):
        C.student_seed("  ", course_seed=1)


def test_per_student_courses_need_an_id():
    shared = C.CourseSettings(seed=11)
    own = C.CourseSettings(seed=11, per_student=True)
    assert C.exercise_seed("2023001", settings=shared) == 11
    assert C.exercise_seed("2023001", settings=own) == C.student_seed("2023001", course_seed=11)
    with pytest.raises(ValueError, match="STUDENT_ID"):
        C.exercise_seed("", settings=own)


# ---- exercise data ------------------------------------------------------------------------

def test_exercise_data_follows_the_course_seed_and_returns_copies(monkeypatch):
    monkeypatch.setenv(C.SEED_ENV, "3")
    a, b = cg.exercise_data(), cg.exercise_data()
    a.customers.loc[:, "name"] = "edited"
    assert not (b.customers["name"] == "edited").any(), "tests must see untouched data"
    pd.testing.assert_frame_equal(b.shipments, cg.exercise_data(seed=3).shipments)
    other = cg.exercise_data(seed=4)
    assert not other.shipments["revenue"].equals(b.shipments["revenue"])
    assert len(b.customers) == 200  # the tiny scale


def test_exercise_data_per_student(monkeypatch):
    monkeypatch.setenv(C.SEED_ENV, "3")
    monkeypatch.setenv(C.PER_STUDENT_ENV, "true")
    mine, yours = cg.exercise_data("2023001"), cg.exercise_data("2023002")
    assert not mine.shipments["revenue"].equals(yours.shipments["revenue"])
    with pytest.raises(ValueError, match="STUDENT_ID"):
        cg.exercise_data("")


def test_package_exposes_lazy_parts():
    assert cg.build is B and cg.grade is G and cg.feedback is F and cg.masters is M
    with pytest.raises(AttributeError, match="no attribute"):
        cg.nothing_here


# ---- feedback ---------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: F.expect_number(..., "x"), "still `...`"),
    (lambda: F.expect_number("3", "x"), "single number"),
    (lambda: F.expect_number(True, "x"), "single number"),
    (lambda: F.expect_number(pd.Series([1.0]), "x"), r"\.iloc\[0\]"),
    (lambda: F.expect_number(pd.Series([1.0, 2.0]), "x"), "Series with 2 rows"),
    (lambda: F.expect_number(float("nan"), "x"), "NaN"),
    (lambda: F.expect_number(2.5, "n", integer=True), "whole number"),
    (lambda: F.expect_number(-1, "x", low=0, hint="Counts."), "below.*Counts"),
    (lambda: F.expect_number(11, "x", high=10), "above"),
    (lambda: F.expect_fraction(62, "share"), "not percent"),
    (lambda: F.expect_fraction(-0.1, "share"), "below"),
    (lambda: F.expect_one_of("D", "tier", "ABC"), "must be one of"),
    (lambda: F.expect_one_of(["A"], "tier", "ABC"), "must be one of"),
    (lambda: F.expect_frame([1], "t"), "DataFrame"),
    (lambda: F.expect_frame(pd.DataFrame({"a": [1]}), "t", columns=["b"]), "lacks the column"),
    (lambda: F.expect_frame(pd.DataFrame({"a": [1]}), "t", index_name="id"), "set_index"),
    (lambda: F.expect_frame(pd.DataFrame({"a": [1]}), "t", min_rows=2), "at least 2"),
    (lambda: F.expect_labels("A", "x", "AB"), "list of values"),
    (lambda: F.expect_labels(["A", "Z"], "x", "AB"), "'Z'"),
    (lambda: F.expect_labels(["A"], "x", "AB", length=2), "should have 2"),
    (lambda: F.expect_close(0.6, 0.5, "s"), "not the expected"),
    (lambda: F.expect_same([1, 2], [2, 1], "x", ordered=True), "not the expected"),
    (lambda: F.expect_same([1, 1], [1], "x"), "not the expected"),
    (lambda: F.expect_same("ab", ["a", "b"], "x"), "list of values"),
    (lambda: F.expect_same(pd.Series([1]), 1, "x"), "not the expected"),
    (lambda: F.expect_same(pd.DataFrame({"a": list(range(30))}), 3, "x", hint="Hm."), "30 rows.*Hm"),
])
def test_feedback_explains_what_is_wrong(call, match):
    with pytest.raises(AssertionError, match=match):
        call()


def test_feedback_passes_good_answers_silently():
    assert F.expect_number(np.int64(3), "n", low=0, high=3, integer=True) is None
    assert F.expect_fraction(0.25, "s") is None
    assert F.expect_one_of("A", "c", "ABC") is None
    assert F.expect_frame(pd.DataFrame({"a": [1]}).rename_axis("id"), "t", columns=["a"],
                          index_name="id") is None
    assert F.expect_labels(pd.Series(["A", "B"]), "x", "AB", length=2) is None
    assert F.expect_same(["b", "a"], ["a", "b"], "x") is None
    assert F.expect_same("A", "A", "x") is None
    assert F.expect_close(1e-12, 0.0, "x") is None
    long = "x" * 100
    with pytest.raises(AssertionError, match=r"\.\.\."):
        F.expect_one_of(long, "x", "AB")


# ---- masters: parsing, completeness and leaks ---------------------------------------------

def _nb(cells, path):
    nb = nbformat.v4.new_notebook(cells=[getattr(nbformat.v4, f"new_{k}_cell")(s) for k, s in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


CONFIG = ("raw", "# ASSIGNMENT CONFIG\nname: toy_01\nexport_cell:\n  pdf: false\n  run_tests: false\n"
                 "generate:\n  pdf: false\n")
TOY = [
    CONFIG,
    ("code", "import numpy as np\nimport crmkit.grading as cg\n"
             "values = np.random.default_rng(cg.course_seed()).integers(1, 100, size=20)"),
    ("raw", "# BEGIN QUESTION\nname: q1\npoints: 2\nall_or_nothing: true\n# answers: total"),
    ("markdown", "**Question 1.** The total of `values`."),
    ("raw", "# BEGIN SOLUTION"),
    ("code", "total = int(values.sum())  # SOLUTION\ntotal"),
    ("raw", "# END SOLUTION"),
    ("raw", "# BEGIN TESTS"),
    ("code", 'from crmkit.grading.feedback import expect_number\nexpect_number(total, "total", low=0)'),
    ("code", '""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n'
             "import numpy as _np, crmkit.grading as _cg\n"
             "assert total == _np.random.default_rng(_cg.course_seed()).integers(1, 100, size=20).sum()"),
    ("raw", "# END TESTS"),
    ("raw", "# END QUESTION"),
    ("raw", "# BEGIN QUESTION\nname: q2\nmanual: true\npoints: 3"),
    ("markdown", "**Question 2.** Why do shares help?"),
    ("raw", "# BEGIN SOLUTION"),
    ("markdown", "**Rubric** (3 points): one point each for naming the base, the cut-off and the risk."),
    ("raw", "# END SOLUTION"),
    ("raw", "# END QUESTION"),
]


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """A two-question master built once with otter assign (in-process, ~5 s)."""
    root = tmp_path_factory.mktemp("toy") / "exercises"
    master = _nb(TOY, root / "masters" / "toy_01.ipynb")
    status = B.build(exercises_dir=root, progress=False)
    return root, master, status


def test_toy_master_builds_and_parses(toy):
    root, master, status = toy
    assert status == {"toy_01": "written"}
    parsed = M.read_master(master)
    assert [q.name for q in parsed.questions] == ["q1", "q2"]
    assert parsed.auto_questions[0].points == 2 and parsed.manual_questions[0].manual
    assert M.master_problems(parsed) == []
    student = B.student_path(master, root)
    nb = json.loads(student.read_text())
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i:03d}" for i in range(len(nb["cells"]))]
    assert M.find_leaks(parsed, student) == []
    assert "total = ..." in student.read_text()
    # a second build reuses the cache and reports the notebook unchanged
    assert B.build("toy", exercises_dir=root, progress=False) == {"toy_01": "unchanged"}
    assert B.assemble(master, exercises_dir=root).cached
    with pytest.raises(ValueError, match="matches no exercise set"):
        B.build("zz", exercises_dir=root, progress=False)


def test_build_check_reports_a_stale_student_notebook(toy, tmp_path):
    root, master, _ = toy
    copy = tmp_path / "exercises"
    shutil.copytree(root, copy)
    student = B.student_path(master, copy)
    student.write_text(student.read_text().replace("total of", "sum of"))
    assert B.build(exercises_dir=copy, check=True, progress=False) == {"toy_01": "differs"}
    assert cli.main(["build", "--check", "--exercises", str(copy)]) == 1
    assert cli.main(["build", "--exercises", str(copy), "--only", "toy"]) == 0
    assert B.build(exercises_dir=copy, check=True, progress=False) == {"toy_01": "unchanged"}


def _variant(tmp_path, replace=None, drop=None):
    cells = [c for c in TOY if drop is None or drop not in c[1]]
    if replace:
        cells = [(k, s.replace(*replace)) for k, s in cells]
    return M.read_master(_nb(cells, tmp_path / "masters" / "toy_01.ipynb"))


@pytest.mark.parametrize("replace, drop, match", [
    (("pdf: false\n  run", "pdf: true\n  run"), None, "export_cell"),
    (("generate:\n  pdf: false", "generate:\n  pdf: true"), None, "generate"),
    (("name: toy_01", "name: other"), None, "must be 'toy_01'"),
    (("  # SOLUTION", ""), None, "without a `# SOLUTION` marker"),
    (("all_or_nothing: true", "all_or_nothing: false"), None, "all_or_nothing"),
    (("**Rubric**", "**Marks**"), None, "rubric"),
    (("manual: true", "manual: false"), None, "manually graded"),
    (("name: q2", "name: q1"), None, "unique"),
    (None, "hidden: true", "no hidden test"),
    (("default_rng(_cg.course_seed()).integers(1, 100, size=20).sum()",
      "default_rng(2016).integers(1, 100, size=20).sum()"), None, "hard-coded"),
    (None, "expect_number(total", "no public test"),
    (None, "ASSIGNMENT CONFIG", "ASSIGNMENT CONFIG"),
    (("\n# answers: total", ""), None, "declare the names whose values are graded"),
    (("# answers: total", "# answers: total, 2x"), None, "not a Python name"),
    (('expect_number(total, "total", low=0)', 'expect_number(total + extra, "total", low=0)'), None,
     "its tests use extra"),
    # an answer named like a setup variable, an import or a builtin: a hand-in's value would
    # replace what the tests compare against
    (("# answers: total", "# answers: total, values"), None, "values in `# answers:` is set by"),
    (("# answers: total", "# answers: total, np"), None, "np in `# answers:` is set by"),
    (("# answers: total", "# answers: total, len"), None, "len in `# answers:` is set by"),
])
def test_master_problems_name_what_is_missing(tmp_path, replace, drop, match):
    problems = M.master_problems(_variant(tmp_path, replace, drop))
    assert any(__import__("re").search(match, p) for p in problems), problems


def test_master_without_questions_or_with_bad_yaml(tmp_path):
    empty = M.read_master(_nb([CONFIG], tmp_path / "a" / "toy_01.ipynb"))
    assert any("no `# BEGIN QUESTION`" in p for p in M.master_problems(empty))
    with pytest.raises(ValueError, match="does not parse"):
        M.read_master(_nb([("raw", "# ASSIGNMENT CONFIG\nname: [x")], tmp_path / "b.ipynb"))
    with pytest.raises(ValueError, match="key: value"):
        M.read_master(_nb([("raw", "# ASSIGNMENT CONFIG\n- a\n- b")], tmp_path / "c.ipynb"))


def test_unmarked_solution_line_is_a_leak_if_it_reaches_students(toy):
    root, master, _ = toy
    parsed = M.read_master(master)
    nb = json.loads(B.student_path(master, root).read_text())
    nb["cells"][3]["source"] = "total = int(values.sum())"
    assert any("solution line of 'q1'" in x for x in M.find_leaks(parsed, nb))
    nb["cells"][3]["source"] = "Rubric: none"
    assert any("Rubric" in x for x in M.find_leaks(parsed, nb))


def test_build_refuses_a_leaky_or_incomplete_master(tmp_path):
    root = tmp_path / "exercises"
    _nb([(k, s.replace("  # SOLUTION", "")) for k, s in TOY], root / "masters" / "toy_01.ipynb")
    with pytest.raises(B.BuildError, match="SOLUTION"):
        B.build(exercises_dir=root, progress=False)
    assert cli.main(["build", "--exercises", str(root)]) == 2
    with pytest.raises(ValueError, match="No master notebooks"):
        B.build(exercises_dir=tmp_path / "none", progress=False)


@pytest.mark.parametrize("replace, match", [
    (("The total of", "Rubric: the total of"), "would leak"),         # prompt text reaches students
    (("name: toy_01\n", "name: toy_01\nno_such_key: 1\n"), "otter assign failed"),
    (("total = int(values.sum())  # SOLUTION", "for v in [1]:  # SOLUTION\n"
      "    total = int(values.sum())  # SOLUTION"), "would not run.*cell 4: unexpected indent"),  # blanked block
])
def test_build_refuses_what_otter_or_the_leak_check_rejects(tmp_path, replace, match):
    root = tmp_path / "exercises"
    _nb([(k, s.replace(*replace)) for k, s in TOY], root / "masters" / "toy_01.ipynb")
    with pytest.raises(B.BuildError, match=match):
        B.build(exercises_dir=root, progress=False)


def test_resolve_master_and_paths(tmp_path):
    for stem in ("01_a", "05_abc", "05_b", "case_havi"):
        _nb([CONFIG], tmp_path / "masters" / f"{stem}.ipynb")
    assert B.resolve_master("01", tmp_path).stem == "01_a"
    assert B.resolve_master("05_abc", tmp_path).stem == "05_abc"
    with pytest.raises(ValueError, match="more than one.*01_a, 05_abc"):
        B.resolve_master("05", tmp_path)
    with pytest.raises(ValueError, match="matches no"):
        B.resolve_master("09", tmp_path)
    case = B.resolve_master("case", tmp_path)
    assert B.student_path(case, tmp_path) == tmp_path / "cases" / "case_havi" / "case_havi.ipynb"


def test_default_exercises_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(B.EXERCISES_ENV, str(tmp_path))
    assert B.default_exercises_dir() == tmp_path.resolve()
    monkeypatch.delenv(B.EXERCISES_ENV)
    monkeypatch.chdir(tmp_path)
    assert B.default_exercises_dir() == EXERCISES
    (tmp_path / "exercises" / "masters").mkdir(parents=True)
    assert B.default_exercises_dir() == (tmp_path / "exercises").resolve()


def test_normalise_student_drops_outputs_and_trailing_blank_cells():
    nb = {"cells": [{"cell_type": "code", "source": "x", "outputs": [1], "execution_count": 3},
                    {"cell_type": "markdown", "source": " "}]}
    out = B.normalise_student(nb)
    assert out["cells"] == [{"cell_type": "code", "source": "x", "outputs": [],
                             "execution_count": None, "id": "cell-000"}]


# ---- worker: what is gradable ------------------------------------------------------------

def _write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


NOTEBOOK = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"otter": {"assignment_name": "toy_01"}},
            "cells": []}
WITH_CELL = {**NOTEBOOK, "cells": [{"cell_type": "code", "source": "x = 1", "metadata": {},
                                    "outputs": [], "execution_count": None}]}


@pytest.mark.parametrize("name, data, match", [
    ("e.ipynb", b"  \n", "empty"),
    ("bad.ipynb", b'{"cells": [', "not valid notebook JSON"),
    ("bad.ipynb", b"\xff\xfe", "not valid notebook JSON"),
    ("x.docx", b"PK-ish", "not a notebook"),
    ("list.ipynb", b"[1, 2]", "not a Jupyter notebook"),
    ("v3.ipynb", json.dumps({**NOTEBOOK, "nbformat": 3}).encode(), "not a Jupyter notebook"),
    ("other.ipynb", json.dumps({**NOTEBOOK, "metadata": {}}).encode(), "its assignment is None"),
])
def test_prepare_refuses_what_is_not_a_notebook_of_this_set(tmp_path, name, data, match):
    with pytest.raises(W.SubmissionError, match=match):
        W.prepare(_write(tmp_path / name, data), tmp_path, "toy_01")


def test_prepare_reads_exported_zips(tmp_path, monkeypatch):
    nb = _write(tmp_path / "toy_01.ipynb", json.dumps(WITH_CELL))
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.write(nb, "toy_01.ipynb")
        zf.writestr(".OTTER_LOG", b"log")
        zf.writestr("__MACOSX/toy_01.ipynb", b"junk")
    work = tmp_path / "work"
    work.mkdir()
    path, loaded = W.prepare(good, work, "toy_01")
    assert path == work / "toy_01.ipynb" and len(loaded["cells"]) == 1
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.write(nb, "a.ipynb")
        zf.write(nb, "b.ipynb")
    with pytest.raises(W.SubmissionError, match="2 notebooks"):
        W.prepare(two, work, "toy_01")
    monkeypatch.setattr(W, "MAX_BYTES", 10)
    with pytest.raises(W.SubmissionError, match="larger than"):
        W.prepare(nb, work, "toy_01")


def test_notebook_with_valid_metadata_but_no_cells_says_no_cells(tmp_path):
    with pytest.raises(W.SubmissionError, match="no cells"):
        W.prepare(_write(tmp_path / "n.ipynb", json.dumps(NOTEBOOK)), tmp_path, "toy_01")


# ---- answers leave the sandbox as data, read back by safe loaders --------------------------

@pytest.mark.parametrize("value", [
    3, 0.25, float("nan"), "客户 A", None, True, ..., [1, "A", None], (1, 2.5), {"A", "B"},
    {"A": 1, 2: [3, 4]}, np.int64(7), np.float64(0.5), pd.Timestamp("2024-01-02"),
    np.array([1.5, 2.5]), np.array(["A", "B"]),
    pd.Series([1.0, 2.0], index=pd.Index(["C1", "C2"], name="customer_id"), name="value"),
    pd.Index(["C1", "C2"], name="customer_id"),
    pd.DataFrame({"value": [3.0, 1.0], "n": [1, 2], "abc_class": pd.Categorical(["A", "B"]),
                  "when": pd.to_datetime(["2024-01-01", "2024-02-01"]), "ok": [True, False]},
                 index=pd.Index(["C1", "C2"], name="customer_id")),
])
def test_answers_round_trip_through_json(value):
    back = A.decode(json.loads(json.dumps(A.encode(value))))
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_categorical=False)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value)
    elif isinstance(value, (pd.Index, np.ndarray)):
        assert list(back) == list(value) and type(back) is type(value)
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value.item() if hasattr(value, "item") else value)


@pytest.mark.parametrize("value", [lambda: 1, object(), np.array([object()], dtype=object),
                                   pd.DataFrame([[1]], columns=pd.MultiIndex.from_tuples([("a", "b")]))])
def test_values_that_cannot_leave_the_sandbox(value):
    with pytest.raises(A.AnswerError):
        A.encode(value)


@pytest.mark.parametrize("record, match", [
    ("not a dict", "not a value record"),
    ({"kind": "pickle", "data": "gASV"}, "unknown kind"),
    ({"kind": "json", "value": {"t": "code", "v": "import os"}}, "unknown value tag"),
    ({"kind": "json", "value": {"t": "list"}}, "not a recognised"),
    ({"kind": "frame", "csv": "a\n1\n", "columns": [], "index_names": [], "dtypes": []}, "CSV text"),
    ({"kind": "frame", "csv": "__c0,__c1\n1,2\n", "columns": [{"t": "v", "v": "x"}],
      "index_names": [{"t": "v", "v": None}], "dtypes": ["int64", "object; import os"]}, "dtype"),
    ({"kind": "frame", "csv": "__c0,__c1\nx,y\n", "columns": [{"t": "v", "v": "x"}],
      "index_names": [{"t": "v", "v": None}], "dtypes": ["int64", "int64"]}, "could not be read"),
    ({"kind": "npy", "data": "!!!"}, "unreadable"),
    ({"kind": "series", "csv": "__c0,__c1,__c2\n1,2,3\n", "name": {"t": "v", "v": None},
      "columns": [{"t": "v", "v": "a"}, {"t": "v", "v": "b"}], "index_names": [{"t": "v", "v": None}],
      "dtypes": ["int64", "int64", "int64"]}, "several columns"),
])
def test_hostile_answer_records_are_refused(record, match):
    with pytest.raises(A.AnswerError, match=match):
        A.decode(record)


def test_answer_size_limits(monkeypatch):
    monkeypatch.setattr(A, "MAX_ITEMS", 10)
    with pytest.raises(A.AnswerError, match="more than 10 items"):
        A.decode(A.encode(list(range(50))))
    deep = []
    for _ in range(A.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(A.AnswerError, match="nested too deeply"):
        A.encode(deep)
    import base64, io
    buf = io.BytesIO()
    np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(A.AnswerError):  # a pickled array is never loaded
        A.decode({"kind": "npy", "data": base64.b64encode(buf.getvalue()).decode()})


# ---- the harness (in the sandbox) and the judge (in the grader) ----------------------------

def test_harness_runs_cells_and_sends_declared_values(toy, tmp_path, monkeypatch):
    """In-process: the harness that normally runs inside bubblewrap."""
    from crmkit.grading import _harness as H

    root, master, _ = toy
    built = B.assemble(master, exercises_dir=root)
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    nb = json.loads(built.solution.read_text())
    nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                        "source": "raise KeyError('boom')"})
    (in_dir / "notebook.ipynb").write_text(json.dumps(nb))
    (in_dir / "job.json").write_text(json.dumps({"assignment": "toy_01",
                                                 "names": ["total", "nothing", "values", "cg"]}))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("CRMKIT_COURSE_SEED", "4")
    read, write = os.pipe()
    saved = dict(sys.modules)
    try:
        assert H.main(str(in_dir), write) == 0
    finally:
        sys.modules.clear()
        sys.modules.update(saved)  # the harness stubs `otter`
    payload = json.loads(os.fdopen(read).read())
    answers = payload["answers"]
    assert answers["nothing"] == {"kind": "missing"} and answers["cg"]["kind"] == "unsupported"
    assert answers["values"]["kind"] == "npy" and A.decode(answers["total"]) > 0
    assert any("KeyError" in e for e in payload["cell_errors"])
    parsed = M.read_master(master)
    verdict = J.judge(parsed, json.dumps(payload).encode(), seed=4)
    assert verdict["scores"] == {"q1": 2.0}
    assert J.judge(parsed, json.dumps(payload).encode(), seed=5)["scores"] == {"q1": 0.0}


def test_judge_explains_what_it_cannot_grade(toy):
    root, master, _ = toy
    parsed = M.read_master(master)

    def verdict(answers):
        return J.judge(parsed, json.dumps({"answers": answers}).encode(), seed=4)

    assert "no readable answers" in J.judge(parsed, b"\xff{", seed=4)["errors"][0]
    assert "no readable answers" in J.judge(parsed, b'{"scores": {"q1": 1000}}', seed=4)["errors"][0]
    assert "`total` is not defined" in verdict({})["errors"][0]
    assert "cannot be graded" in verdict({"total": {"kind": "unsupported", "why": "a module"}})["errors"][0]
    assert "could not be read" in verdict({"total": {"kind": "pickle"}})["errors"][0]
    wrong = verdict({"total": A.encode(-5)})
    assert wrong["scores"] == {"q1": 0.0} and wrong["errors"] == [] and "total" in wrong["failed"]["q1"]
    per_student = J.judge(parsed, json.dumps({"answers": {"STUDENT_ID": A.encode(["x"])}}).encode(),
                          seed=4, per_student=True)
    assert "STUDENT_ID" in per_student["errors"][0]
    for empty in ("", "   "):  # an empty id used to stop the whole batch (the setup cell raised)
        blank_id = J.judge(parsed, json.dumps({"answers": {"STUDENT_ID": A.encode(empty)}}).encode(),
                           seed=4, per_student=True)
        assert "STUDENT_ID is empty" in blank_id["errors"][0] and blank_id["student_id"] == ""


# ---- batch grading ------------------------------------------------------------------------

def test_grade_the_toy_batch_with_the_cli(toy, tmp_path, capsys):
    root, master, _ = toy
    built = B.assemble(master, exercises_dir=root)
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(built.solution, subs / "a.ipynb")
    (subs / "folder").mkdir()
    (subs / ".DS_Store").write_bytes(b"")
    out = tmp_path / "book.csv"
    code = cli.main(["--assignment", "toy", "--submissions", str(subs), "--out", str(out),
                     "--exercises", str(root), "--timeout", "100", "--seed", "4"])
    assert code == 0 and "2 submissions graded" in capsys.readouterr().out
    book = pd.read_csv(out, encoding="utf-8-sig")
    book["error"] = book["error"].fillna("")
    assert list(book.columns) == ["submission", "q1", "q2 (manual /3)", "total", "possible",
                                  "percent", "seconds", "error"]
    assert book["submission"].tolist() == ["a.ipynb", "folder"]
    assert book.loc[0, "q1"] == 2 and book.loc[0, "percent"] == 100 and book.loc[0, "error"] == ""
    assert book["q2 (manual /3)"].isna().all()
    assert "folder, not a notebook" in book.loc[1, "error"]


def test_build_verify_grades_the_solutions(toy, monkeypatch, capsys):
    root, _, _ = toy
    monkeypatch.setattr(sys, "argv", ["crmkit.grading", "build", "--verify", "--seed", "8",
                                      "--exercises", str(root)])
    assert cli.main() == 0
    assert "unchanged  toy_01" in capsys.readouterr().out
    monkeypatch.setattr(G, "grade", lambda *a, **k: pd.DataFrame(
        {"total": [1.0], "possible": [2.0], "error": ["boom"]}))
    assert cli._verify(["toy_01"], root, None) == ["toy_01: the solution earns 1/2 boom"]


def test_grade_checks_its_arguments(toy, tmp_path):
    root, _, _ = toy
    with pytest.raises(ValueError, match="timeout"):
        G.grade("toy", tmp_path, timeout=0, exercises_dir=root)
    with pytest.raises(ValueError, match="jobs"):
        G.grade("toy", tmp_path, jobs=0, exercises_dir=root)
    with pytest.raises(ValueError, match="must be a folder"):
        G.grade("toy", tmp_path / "missing", exercises_dir=root, progress=False)
    assert cli.main(["grade", "--assignment", "zz", "--submissions", str(tmp_path), "--out",
                     str(tmp_path / "b.csv"), "--exercises", str(root)]) == 2


needs_bwrap = pytest.mark.skipif(SB.bwrap_path() is None,
                                 reason="bubblewrap (bwrap) is not installed: the sandbox cannot run")


def test_grading_refuses_without_bubblewrap_unless_told(toy, tmp_path, monkeypatch, capsys):
    root, master, _ = toy
    built = B.assemble(master, exercises_dir=root)
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(built.solution, subs / "a.ipynb")
    monkeypatch.setattr(SB, "bwrap_path", lambda: None)
    args = ["grade", "--assignment", "toy", "--submissions", str(subs), "--out",
            str(tmp_path / "b.csv"), "--exercises", str(root), "--seed", "4"]
    assert cli.main(args) == 2
    assert "--no-sandbox" in capsys.readouterr().err and not (tmp_path / "b.csv").exists()
    assert cli.main(args + ["--no-sandbox"]) == 0
    assert "cannot protect" not in capsys.readouterr().err or True
    book = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig")
    assert book.loc[0, "total"] == 2


def test_default_jobs_is_the_number_of_cores():
    assert G.default_jobs() == len(os.sched_getaffinity(0))


@needs_bwrap
def test_sandbox_sees_only_what_it_needs(tmp_path):
    """The sandbox has no network, no view of the kit's masters or the home folder, its own PIDs."""
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    probe = ("import os, socket, pathlib\n"
             "print('pid', os.getpid(), len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
             f"print('masters', pathlib.Path({str(ROOT / 'exercises' / 'masters')!r}).exists())\n"
             f"h = pathlib.Path({str(Path.home())!r})\n"
             "print('home', sorted(os.listdir(h)) if h.exists() else [], pathlib.Path('/home').exists())\n"
             "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2); print('net yes')\n"
             "except OSError:\n    print('net no')\n"
             "open('/sandbox/work/x', 'w').write('ok'); print('in ro', os.access('/sandbox/in', os.W_OK))\n")
    cmd = SB.sandbox_command(in_dir, 9, {"PATH": "/usr/bin"}, SB.Limits(timeout=30))
    cmd = cmd[:cmd.index("-m")] + ["-c", probe]
    r, w = os.pipe()
    run = SB.run_sandboxed(cmd, (r, w), SB.Limits(timeout=30))
    text = run.output.decode()
    assert "masters False" in text and "net no" in text, text
    home = eval(text.split("home ")[1].split("]")[0] + "]")  # only the folders of Python itself
    assert all(str(Path(sys.base_prefix).resolve()).startswith(str(Path.home() / h)) for h in home)
    assert "in ro False" in text
    pid, count = text.split("pid ")[1].split()[:2]
    assert int(count) < 10, text  # only its own processes


def test_private_tmp_is_mounted_before_the_kit_so_a_kit_under_tmp_stays_visible(tmp_path):
    # bwrap mounts in order: a --tmpfs /tmp after the venv's bind hid a CI clone living in /tmp
    # ("execvp …/.venv/bin/python: No such file or directory", every hand-in an error).
    import crmkit

    cmd = SB.sandbox_command(tmp_path, 9, {"PATH": "/usr/bin"}, SB.Limits(timeout=30))
    tmpfs = max(i for i, a in enumerate(cmd) if a == "--tmpfs" and cmd[i + 1] == "/tmp")
    for path in (Path(sys.prefix).resolve(), Path(crmkit.__file__).resolve().parent):
        if not str(path).startswith("/usr"):
            assert cmd.index(str(path)) > tmpfs, f"{path} is bound before the private /tmp"


ROOT = Path(__file__).resolve().parents[1]


# ---- feedback a student reads ---------------------------------------------------------------

def test_a_failed_public_check_prints_one_plain_line(toy, tmp_path, monkeypatch):
    import otter

    from crmkit.grading import checks

    root, master, _ = toy
    shutil.copy(B.student_path(master, root), tmp_path / "toy_01.ipynb")
    monkeypatch.chdir(tmp_path)
    assert checks.install() is True
    grader = otter.Notebook("toy_01.ipynb")
    failed = grader.check("q1", global_env={"total": ...})
    line = repr(failed)
    assert "\n" not in line and line.startswith("q1 ✗ 未通过：还没有作答")
    assert "not passed: `total` should be a single number" in line and "hint:" in line
    assert "<p>q1 ✗" in failed._repr_html_()
    assert "Traceback" in failed.summary() or "Error" in failed.summary()  # full text on request
    passed = grader.check("q1", global_env={"total": 5})
    assert "✗" not in repr(passed) and "✗" not in passed._repr_html_()


@pytest.mark.parametrize("message, zh", [
    ("NameError: name 'pareto' is not defined", "还没有定义"),
    ("Traceback:\n  x\nAssertionError: `p` is NaN (not a number)", "NaN"),
    ("something odd", "答案还没有通过检查"),
])
def test_plain_line_in_chinese_and_english(message, zh):
    from crmkit.grading.checks import plain_line

    line = plain_line("q3", message)
    assert zh in line and "not passed:" in line and "\n" not in line


# ----------------------------------------------------------------------------- hardening (attacks)
def test_forged_deeply_nested_answer_json_is_a_zero_not_a_crash():
    master = M.read_master(EXERCISES / "masters" / "05_abc_core_customers.ipynb")
    for raw in (b"[" * 300_000, b'{"answers": ' + b'{"a":' * 300_000 + b"1" + b"}" * 300_001):
        verdict = J.judge(master, raw, seed=7)
        assert sum(verdict["scores"].values()) == 0
        assert "no readable answers" in verdict["errors"][0]


def _damaged_zip(tmp_path) -> Path:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("hand-in.ipynb", json.dumps({"cells": [{"x": i} for i in range(500)]}))
    data = bytearray(buf.getvalue())
    data[60] ^= 0xFF
    data[80] ^= 0x55
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_zip_is_refused_with_a_reason(tmp_path):
    path = _damaged_zip(tmp_path)
    assert zipfile.is_zipfile(path)  # it looks like a zip, but its data does not inflate
    with pytest.raises(W.SubmissionError, match="damaged zip"):
        W.prepare(path, tmp_path, "05")


def test_gradebook_text_from_a_hand_in_is_neither_a_formula_nor_an_escape():
    assert G.safe_cell("=cmd|' /C calc'!A0.ipynb") == "'=cmd|' /C calc'!A0.ipynb"
    for lead in "+-@":
        assert G.safe_cell(lead + "SUM(A1)").startswith("'")
    assert G.safe_cell("a\x1b[2J\rb\nc\x9b") == "a [2J b c "
    assert G.safe_cell("honest.ipynb") == "honest.ipynb"


def _watched(code: str, limits) -> SB.RunResult:
    pipe = os.pipe()
    return SB.run_sandboxed([sys.executable, "-c", code], pipe, limits)


def test_memory_is_limited_in_total_over_all_processes():
    # four processes of 60 MB each: none alone passes 150 MB, together they do
    code = ("import os, time\n"
            "for _ in range(4):\n"
            "    if os.fork() == 0:\n"
            "        b = bytearray(60 * 1024 ** 2); time.sleep(20); os._exit(0)\n"
            "time.sleep(20)\n")
    run = _watched(code, SB.Limits(timeout=15, memory=150 * 1024 ** 2))
    assert "memory limit" in run.stopped, run
    assert run.seconds < 12


def test_memory_in_unmapped_in_memory_files_counts():
    # memfd_create + write: RAM that no RSS shows and no disk quota bounds
    code = ("import os, time\n"
            "fds = [os.memfd_create(f'm{i}') for i in range(4)]\n"
            "for fd in fds: os.write(fd, bytes(50 * 1024 ** 2))\n"
            "time.sleep(20)\n")
    run = _watched(code, SB.Limits(timeout=15, memory=150 * 1024 ** 2))
    assert "memory limit" in run.stopped, run
    assert run.seconds < 12


@pytest.mark.parametrize("children", [40, 14])  # past the limit (not enforced for root) / at it
def test_a_fork_bomb_is_stopped_before_the_time_limit(children):
    code = ("import subprocess, time\n"
            f"procs = [subprocess.Popen(['sleep', '30']) for _ in range({children})]\n"
            "time.sleep(30)\n")
    run = _watched(code, SB.Limits(timeout=25, processes=16))
    assert "too many processes" in run.stopped, run
    assert run.seconds < 15
    assert run.returncode is not None  # reaped



def test_usage_counts_children_and_ignores_gone_processes():
    proc = subprocess.Popen([sys.executable, "-c",
                             "import subprocess, time; p = subprocess.Popen(['sleep', '5']); "
                             "time.sleep(5)"])
    try:
        import time

        for _ in range(50):
            if SB.usage(proc.pid)[1] >= 2:
                break
            time.sleep(0.1)
        rss, tasks = SB.usage(proc.pid)
        assert tasks >= 2 and rss > 0
        assert SB.usage(-1) == (0, 0)
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(SB.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")
def test_sandbox_dev_is_read_only_and_dev_shm_small(tmp_path):
    # bwrap's own /dev is a writable tmpfs of half the RAM: files there escaped every memory limit
    code = ("import os\n"
            "for p in ('/dev/x', '/dev/shm/big'):\n"
            "    try:\n"
            "        with open(p, 'wb') as fh:\n"
            "            for _ in range(100): fh.write(bytes(1024 ** 2))\n"
            "        print(p, 'written')\n"
            "    except OSError as err:\n"
            "        print(p, err.errno)\n")
    cmd = SB.sandbox_command(tmp_path, 99, {"PATH": "/usr/bin:/bin"}, SB.Limits())
    cmd = cmd[:cmd.index("-P") - 1] + [sys.executable, "-c", code]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    assert "/dev/x 30" in out  # EROFS
    assert "/dev/shm/big 28" in out  # ENOSPC: 64 MB at most


def test_a_symlinked_hand_in_is_not_graded(tmp_path):
    # unzipping a class download restores symlinks: one to the master would score the solution
    link = tmp_path / "sneaky.ipynb"
    link.symlink_to(EXERCISES / "masters" / "05_abc_core_customers.ipynb")
    res = G.run_one(link, assignment="05_abc_core_customers", names=["pareto"], settings=None,
                    seed=7, limits=SB.Limits())
    assert "symbolic link" in res["error"] and res["raw"] == b""
