"""The student release (issue 9): no masters, solutions, hidden tests or rubrics in it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.grading import __main__ as cli
from crmkit.grading.build import list_masters
from crmkit.grading.masters import read_master
from crmkit.grading.release import scan_release

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "class"
    assert cli.main(["release", "--out", str(out), "--exercises", str(EXERCISES)]) == 0
    return out


def test_release_has_what_students_need_and_nothing_else(released):
    names = {p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file()}
    assert "README.md" in names and "exercises/course.toml" in names
    assert any(n.startswith("notebooks/") for n in names)
    assert any(n.startswith("datasets/") for n in names)
    assert "crmkit/grading/data.py" in names and "crmkit/datasets/classroom/customers.csv.gz" in names
    assert {"binder/requirements.txt", "binder/postBuild", "pyproject.toml"} <= names  # Binder builds it
    for master in list_masters(EXERCISES):
        folder = "exercises/cases" if master.stem.startswith("case") else "exercises"
        assert f"{folder}/{master.stem}/{master.stem}.ipynb" in names
    assert not [n for n in names if "exercises/masters" in n or "_build" in n or n.startswith("tests/")
                or n.endswith(".zip")]
    readme = (released / "README.md").read_text(encoding="utf-8")
    assert "grader.check" in readme and "masters" not in readme


def test_release_holds_no_solution_or_hidden_test_text(released):
    assert scan_release(released, EXERCISES) == []
    blob = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in released.rglob("*.ipynb"))
    assert "hidden: true" not in blob and "BEGIN SOLUTION" not in blob and "Rubric" not in blob
    hidden = [ln.strip() for m in list_masters(EXERCISES) for q in read_master(m).questions
              for t in q.hidden_tests for ln in t.splitlines() if "_cg.exercise_data(" in ln]
    assert hidden and not [ln for ln in hidden if ln in blob]


def test_release_scan_catches_a_planted_solution_line(released, tmp_path):
    parsed = read_master(list_masters(EXERCISES)[0])
    line = next(ln for q in parsed.questions for ln in q.solution_lines if len(ln) > 20
                and ln not in parsed.shared_lines)
    copy = tmp_path / "copy"
    (copy / "notes").mkdir(parents=True)
    (copy / "notes" / "cheatsheet.md").write_text(f"# notes\n{line}\n", encoding="utf-8")
    nb = {"cells": [{"cell_type": "raw", "source": "# BEGIN SOLUTION"}]}
    (copy / "notes" / "x.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    leaks = scan_release(copy, EXERCISES)
    assert any("cheatsheet.md" in leak and "solution line" in leak for leak in leaks), leaks
    assert any("x.ipynb" in leak and "BEGIN SOLUTION" in leak for leak in leaks), leaks


def test_release_refuses_a_used_folder_or_one_inside_the_kit(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    assert cli.main(["release", "--out", str(tmp_path / "used"), "--exercises", str(EXERCISES)]) == 2
    assert cli.main(["release", "--out", str(ROOT / "release-here"),
                     "--exercises", str(EXERCISES)]) == 2
    assert not (ROOT / "release-here").exists()
