"""Progress: gradebooks → passed / not yet / missing per (student, set); the self-learner's view."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmkit.grading.progress import (
    my_progress, notebook_status, progress_table, progress_wide, read_gradebook, render_html,
    set_name, student_from_file, write_outputs,
)

ROOT = Path(__file__).resolve().parents[1]
COLS = ["submission", "q1", "q2", "total", "possible", "percent", "seconds", "error"]


def book(rows, manual=False):
    """A gradebook as `grade` writes it: rows of (file, q1, q2, error); possible = 4."""
    out = []
    for name, q1, q2, *rest in rows:
        error = rest[0] if rest else ""
        total = (q1 or 0) + (q2 or 0)
        out.append({"submission": name, "q1": q1, "q2": q2, "total": total, "possible": 4,
                    "percent": round(100 * total / 4, 2), "seconds": 1.0, "error": error})
    frame = pd.DataFrame(out, columns=COLS)
    if manual:
        frame.insert(3, "q3 (manual /4)", None)
    return frame


def status(table, student, set_):
    return table.set_index(["student", "set"]).loc[(student, set_), "status"]


@pytest.fixture
def term():
    return {
        "01": book([("s1.zip", 2, 2), ("s2.zip", 1, 1), ("s3_late.ipynb", 2, 1)]),
        "02": book([("s1.zip", 2, 1), ("s3.zip", None, None, "invalid JSON")]),
    }


def test_missing_failed_and_passed_sets(term):
    table = progress_table(term, pass_mark=60)
    assert list(table.columns) == ["student", "name", "set", "status", "percent", "hand_ins", "note"]
    assert len(table) == 6  # 3 students × 2 sets, tidy
    assert status(table, "s1", "01") == "passed"
    assert status(table, "s1", "02") == "passed"  # 75 %
    assert status(table, "s2", "01") == "not yet"  # 50 % < 60
    assert status(table, "s2", "02") == "missing"  # handed in 01 but not 02
    assert status(table, "s3", "01") == "passed"  # id from "s3_late.ipynb"
    err = table.set_index(["student", "set"]).loc[("s3", "02")]
    assert err["status"] == "not yet" and "invalid JSON" in err["note"]
    assert pd.isna(table.set_index(["student", "set"]).loc[("s2", "02"), "percent"])


def test_pass_mark_moves_the_line(term):
    assert status(progress_table(term, pass_mark=50), "s2", "01") == "passed"  # exactly 50 passes
    assert status(progress_table(term, pass_mark=80), "s1", "02") == "not yet"
    assert (progress_table(term, pass_mark=0)["status"] != "passed").sum() == 2  # missing + error


def test_duplicate_hand_in_takes_the_best():
    books = {"01": book([("s1_first.zip", 1, 0), ("s1_second.zip", 2, 2), ("s1_third.zip",
                                                                            None, None, "timeout")])}
    row = progress_table(books).iloc[0]
    assert row["status"] == "passed" and row["percent"] == 100 and row["hand_ins"] == 3
    assert "best of 3" in row["note"] and "error" not in row["note"]


def test_roster_only_students_and_names():
    roster = pd.DataFrame({"student": ["s1", "s9"], "name": ["王芳", "李雷"]})
    table = progress_table({"01": book([("s1.zip", 2, 2)]), "02": book([("s1.zip", 0, 0)])},
                           roster=roster)
    s9 = table[table["student"] == "s9"]
    assert list(s9["status"]) == ["missing", "missing"] and set(s9["name"]) == {"李雷"}
    assert status(table, "s1", "02") == "not yet"
    wide = progress_wide(table)
    assert wide.loc["s1", "name"] == "王芳" and wide.loc["s1", "passed"] == "1/2"
    assert wide.loc["s9", "01"] == "缺交 missing"


def test_student_column_wins_over_file_name():
    frame = book([("download_1.zip", 2, 2)])
    frame.insert(0, "student", ["2024007"])
    assert progress_table({"01": frame})["student"].tolist() == ["2024007"]


def test_filled_manual_columns_count():
    frame = book([("s1.zip", 2, 1), ("s2.zip", 2, 1)], manual=True)  # auto: 75 %
    frame["q3 (manual /4)"] = [0, None]  # s1 marked 0/4 -> 3/8 = 37.5 %; s2 not marked yet
    table = progress_table({"01": frame}, pass_mark=60).set_index("student")
    assert table.loc["s1", "percent"] == 37.5 and table.loc["s1", "status"] == "not yet"
    assert table.loc["s2", "percent"] == 75 and table.loc["s2", "status"] == "passed"
    frame["q3 (manual /4)"] = [5, None]
    with pytest.raises(ValueError, match=r"between 0 and 4"):
        progress_table({"01": frame})


@pytest.mark.parametrize("mark", [-1, 100.5, "lots", float("nan")])
def test_pass_mark_outside_0_100(term, mark):
    with pytest.raises(ValueError, match="pass_mark"):
        progress_table(term, pass_mark=mark)


def test_bad_gradebooks(term):
    with pytest.raises(ValueError, match=r"lacks the column\(s\) percent"):
        progress_table({"01": pd.DataFrame({"submission": ["a.zip"], "score": [1]})})
    bad = book([("s1.zip", 2, 2)])
    bad["percent"] = bad["percent"].astype(object)
    bad.loc[0, "percent"] = "eighty"
    with pytest.raises(ValueError, match=r"`percent` must hold numbers.*s1.zip.*eighty"):
        progress_table({"01": bad})
    with pytest.raises(ValueError, match="no gradebooks"):
        progress_table({})
    with pytest.raises(ValueError, match="no students"):
        progress_table({"01": book([])})
    only_roster = progress_table({"01": book([])}, roster=pd.DataFrame({"student": ["s1"]}))
    assert only_roster["status"].tolist() == ["missing"]
    with pytest.raises(ValueError, match="does not exist"):
        read_gradebook("/nonexistent/gradebook_01.csv")


def test_bom_csv_round_trip_and_names(tmp_path, term):
    path = tmp_path / "gradebook_05.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        book([("007.zip", 2, 2)]).to_csv(fh, index=False)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_gradebook(path)
    assert frame.columns[0] == "submission"  # the BOM is not part of the header
    table = progress_table({set_name(path): frame})
    assert table.loc[0, ["student", "set", "status"]].tolist() == ["007", "05", "passed"]
    assert student_from_file("2024001_05_abc_core.zip") == "2024001"


def test_outputs_never_overwritten_without_force(tmp_path, term):
    table = progress_table(term)
    written = write_outputs(table, tmp_path)
    assert written[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(written[0], encoding="utf-8-sig")["status"].tolist() == table["status"].tolist()
    written[1].write_text("the instructor's notes")
    with pytest.raises(ValueError, match="--force"):
        write_outputs(table, tmp_path)
    assert written[1].read_text() == "the instructor's notes"
    write_outputs(table, tmp_path, force=True)
    assert "缺交 missing" in written[1].read_text(encoding="utf-8")


def test_html_is_self_contained_and_coloured(term):
    table = progress_table(term, roster=pd.DataFrame({"student": ["s4"], "name": ["<b>X</b>"]}))
    page = render_html(table, pass_mark=60)
    assert not re.search(r"https?://|<script|<link|src=", page)
    assert page.count("<tr>") == 1 + 4  # header + 4 students
    assert "background:#ffcdd2" in page and "background:#c8e6c9" in page
    assert "&lt;b&gt;X&lt;/b&gt;" in page  # names are escaped


def test_cli(tmp_path, term):
    for name, frame in term.items():
        with open(tmp_path / f"gradebook_{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            frame.to_csv(fh, index=False)
    (tmp_path / "roster.csv").write_text("student,name\ns1,王芳\ns5,张三\n", encoding="utf-8-sig")
    cmd = [sys.executable, "-m", "crmkit.grading", "progress", "--dir", str(tmp_path),
           "--roster", str(tmp_path / "roster.csv"), "--pass-mark", "70", "--out",
           str(tmp_path / "report")]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "缺交 missing" in run.stdout and "张三" in run.stdout and "4 students" in run.stdout
    out = pd.read_csv(tmp_path / "report" / "progress.csv", encoding="utf-8-sig", dtype=str)
    assert out.set_index(["student", "set"]).loc[("s5", "01"), "status"] == "missing"
    assert out.set_index(["student", "set"]).loc[("s3", "01"), "status"] == "passed"  # 75 ≥ 70
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 2 and "--force" in again.stderr
    bad = subprocess.run(cmd[:4] + [str(tmp_path / "gradebook_99.csv"), "--pass-mark", "120",
                                    "--out", str(tmp_path / "r2")], capture_output=True, text=True,
                         cwd=ROOT)
    assert bad.returncode == 2 and "does not exist" in bad.stderr


def test_cli_errors_in_process(tmp_path, term, capsys):
    from crmkit.grading.__main__ import main

    path = tmp_path / "gradebook_01.csv"
    term["01"].to_csv(path, index=False)
    assert main(["progress", str(path), "--pass-mark", "120", "--out", str(tmp_path)]) == 2
    assert "pass_mark" in capsys.readouterr().err
    assert main(["progress", "--out", str(tmp_path)]) == 2
    assert "no gradebooks" in capsys.readouterr().err
    assert not (tmp_path / "progress.csv").exists()


# ------------------------------------------------------------------------- self-learner
STUDENT_NB = ROOT / "exercises" / "05_abc_core_customers" / "05_abc_core_customers.ipynb"


def _work(nb, answers: dict, checks: dict):
    """Fill answer cells before each check cell and give check cells saved outputs."""
    cells = nb["cells"]
    count = 0
    for i, cell in enumerate(cells):
        found = re.search(r'grader\.check\("(q\d+)"\)', "".join(cell["source"]))
        if not found or found[1] not in checks:
            continue
        q = found[1]
        answer = cells[i - 1]
        if q in answers:
            answer["source"] = answers[q]
        count += 1
        answer["execution_count"] = count
        kind, when = checks[q] if isinstance(checks[q], tuple) else (checks[q], "after")
        cell["execution_count"] = count + 1 if when == "after" else count - 1
        text = (f"{q} results: All test cases passed!" if kind == "pass"
                else f"{q} ✗ 未通过：这里应是一个数 / not passed: should be a single number")
        cell["outputs"] = [{"output_type": "execute_result", "execution_count": count + 1,
                            "metadata": {}, "data": {"text/plain": text}}]
        count += 1
    return nb


def test_notebook_status_is_truthful(tmp_path):
    fresh = notebook_status(STUDENT_NB)
    assert list(fresh["question"]) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert not fresh["answered"].any() and set(fresh["check"]) == {"not run", "written"}
    nb = json.loads(STUDENT_NB.read_text(encoding="utf-8"))
    nb = _work(nb, {"q1": "pareto = abc_table(shipments)\npareto", "q2": "share_customers_a = 0.2",
                    "q3": "watch_classes = ['A'] * 10"},
               {"q1": "pass", "q2": "fail", "q3": ("pass", "before")})
    path = tmp_path / "05_abc_core_customers" / "05_abc_core_customers.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb), encoding="utf-8")
    got = notebook_status(path).set_index("question")
    assert got.loc["q1", "check"] == "passed" and got.loc["q1", "answered"]
    assert got.loc["q2", "check"] == "failed"
    assert got.loc["q3", "check"] == "stale"  # answer re-run after its check: not "passed"
    assert got.loc["q4", "check"] == "not run" and not got.loc["q4", "answered"]
    assert got.loc["q7", "check"] == "written"


def test_my_progress_finds_every_set_from_a_set_folder(tmp_path, capsys):
    kit = tmp_path / "exercises"
    shutil.copytree(STUDENT_NB.parent, kit / STUDENT_NB.parent.name)
    case = ROOT / "exercises" / "cases" / "case_haier_bbp"
    shutil.copytree(case, kit / "cases" / case.name)
    table = my_progress(kit / STUDENT_NB.parent.name)  # run from inside a set's folder
    assert set(table["set"]) == {"05_abc_core_customers", "case_haier_bbp"}
    shown = capsys.readouterr().out
    assert "05_abc_core_customers: 0/6 检查通过 public checks passed" in shown
    assert "hidden tests decide the grade" in shown
    with pytest.raises(ValueError, match="no exercise notebooks"):
        my_progress(tmp_path / "elsewhere")


def test_my_progress_on_the_kit():
    table = my_progress(ROOT / "exercises", show=False)
    assert table["set"].nunique() == 16 and not (table["check"] == "passed").any()


def test_my_progress_is_importable_from_the_package():
    from crmkit.grading import my_progress as exported

    assert exported is my_progress


def test_my_progress_cell_says_so_where_no_kit_is_near(tmp_path, monkeypatch, capsys):
    # The last cell of every exercise notebook calls my_progress(); where no kit is next to it
    # (a notebook on its own, a hand-in in the grading sandbox) it must not fail.
    monkeypatch.chdir(tmp_path)
    table = my_progress()
    assert table.empty and list(table.columns) == ["set", "question", "answered", "check"]
    assert "No exercise notebooks" in capsys.readouterr().out


def test_every_student_notebook_has_the_my_progress_cell_after_its_questions():
    books = sorted(ROOT.glob("exercises/[0-9][0-9]_*/*.ipynb")) + sorted(ROOT.glob("exercises/cases/*/*.ipynb"))
    assert len(books) == 16
    for book in books:
        cells = json.loads(book.read_text(encoding="utf-8"))["cells"]
        sources = ["".join(c["source"]) for c in cells]
        at = [i for i, src in enumerate(sources) if "my_progress()" in src]
        # after every question, before otter's own check_all/export cells
        assert at and at[-1] > max(i for i, src in enumerate(sources) if "grader.check(" in src), book.name
