"""Every exercise set: complete master, fresh and leak-free student notebook that runs under nbval.

The builds come from ``exercises/_build`` (keyed by a hash of the master, otter's version and the
build code, so a stale cache cannot hide a change); a fresh checkout builds each master once.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crmkit.grading.build import assemble, list_masters, student_path
from crmkit.grading.masters import find_leaks, master_problems, read_master

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
MASTERS = list_masters(EXERCISES)
IDS = [m.stem for m in MASTERS]


def test_there_are_exercise_sets():
    assert MASTERS, "exercises/masters/ holds no master notebooks"
    assert (EXERCISES / "course.toml").is_file()


@pytest.mark.parametrize("master", MASTERS, ids=IDS)
def test_master_is_complete(master):
    """Solution markers, public and hidden tests, a rubric per written question, no-PDF settings."""
    parsed = read_master(master)
    assert master_problems(parsed) == []
    assert 4 <= len(parsed.questions) <= 8, f"{master.name}: an exercise set has 4-8 questions"


@pytest.mark.parametrize("master", MASTERS, ids=IDS)
def test_committed_student_notebook_equals_a_fresh_build(master):
    built = assemble(master, exercises_dir=EXERCISES)
    committed = student_path(master, EXERCISES)
    assert committed.is_file(), f"{committed} is missing: run `make exercises` and commit it"
    assert committed.read_bytes() == built.student.read_bytes(), (
        f"{committed.relative_to(ROOT)} differs from a fresh build of {master.name}: "
        "run `make exercises` and commit the student notebook")


@pytest.mark.parametrize("master", MASTERS, ids=IDS)
def test_student_notebook_leaks_no_solution(master):
    parsed = read_master(master)
    student = student_path(master, EXERCISES)
    assert find_leaks(parsed, student) == []
    nb = json.loads(student.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "clear outputs"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_leak_check_catches_a_leaked_solution_line():
    """The check must be able to fail: plant a solution line, a marker and a hidden test."""
    master = MASTERS[0]
    parsed = read_master(master)
    nb = json.loads(student_path(master, EXERCISES).read_text(encoding="utf-8"))
    question = next(q for q in parsed.auto_questions if any(len(x) > 20 for x in q.solution_lines))
    line = next(x for x in question.solution_lines if len(x) > 20)
    answer = next(c for c in nb["cells"] if "otter_answer_cell" in c["metadata"].get("tags", []))
    answer["source"] = line
    assert any(line in leak for leak in find_leaks(parsed, nb))
    answer["source"] = "x = 1  # SOLUTION"
    assert any("# SOLUTION" in leak for leak in find_leaks(parsed, nb))
    hidden = question.hidden_tests[0].splitlines()[-1]
    nb["metadata"]["otter"]["tests"][question.name]["suites"][0]["cases"].append(
        {"code": ">>> " + hidden, "hidden": False})
    assert any("hidden test" in leak for leak in find_leaks(parsed, nb))


def test_master_without_solution_markers_is_refused(tmp_path):
    master = MASTERS[0]
    nb = json.loads(master.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            cell["source"] = src.replace("  # SOLUTION", "")
    broken = tmp_path / master.name
    broken.write_text(json.dumps(nb), encoding="utf-8")
    problems = master_problems(read_master(broken))
    assert any("without a `# SOLUTION` marker" in p for p in problems)
    assert any("no solution" in p for p in problems)


def _digest(paths):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_student_notebooks_run_top_to_bottom_under_nbval(tmp_path):
    """One nbval run over temporary copies (otter writes .OTTER_LOG and a zip beside a notebook)."""
    originals = [student_path(m, EXERCISES) for m in MASTERS]
    before = _digest(originals)
    listing = {p.parent: sorted(p.parent.iterdir()) for p in originals}
    copies = []
    for path in originals:
        folder = tmp_path / path.parent.name
        folder.mkdir()
        copies.append(shutil.copy(path, folder / path.name))
    env = {**os.environ, "CRMKIT_COURSE_SEED": "2016", "MPLBACKEND": "Agg"}
    env.pop("CRMKIT_COURSE_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         "-p", "no:faker", "-p", "no:randomly", "--rootdir", str(tmp_path), *map(str, copies)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert _digest(originals) == before, "running the copies changed the committed notebooks"
    for folder, files in listing.items():
        assert sorted(folder.iterdir()) == files, f"files appeared in {folder}"
