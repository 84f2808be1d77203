"""Cheats a student could try on the blank set-05 notebook: each must score 0 (issue 9).

One batch holds every cheat and the honest solution, graded through the command line with the
sandbox on: the honest solution scores full and its file is unchanged, every cheat scores 0, the
command exits 0 with one row per file, and nothing touches the gradebook after the command ends.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from crmkit.grading import __main__ as cli
from crmkit.grading.build import assemble, resolve_master, student_path
from crmkit.grading.sandbox import bwrap_path

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
GRADER_SEED = 7
FORMULA_NAME = '=HYPERLINK("http-x").ipynb'  # not the shipped 2016, so "last year's seed" is a different one

pytestmark = pytest.mark.skipif(bwrap_path() is None,
                                reason="bubblewrap (bwrap) is not installed: the sandbox cannot run")


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _code(source):
    return {"cell_type": "code", "execution_count": None, "id": f"cheat-{abs(hash(source)) % 10**8}",
            "metadata": {}, "outputs": [], "source": textwrap.dedent(source).strip()}


def _with_cell(nb, source, *, before_setup=False):
    cells = nb["cells"]
    setup = next(i for i, c in enumerate(cells)
                 if c["cell_type"] == "code" and "exercise_data" in "".join(c["source"]))
    cells.insert(setup if before_setup else setup + 1, _code(source))
    return nb


def _cheats(blank, solution, paths):
    """{file name: notebook} for every cheat of the issue."""
    book, subs, master = paths["book"], paths["subs"], paths["master"]
    forged = json.dumps({"scores": {"q1": 1000}, "answers": {}, "total": 10})
    return {
        "patched_checker.ipynb": _with_cell(blank(), """
            import otter.execute
            def _always(*a, **k):
                r = _orig(*a, **k); r.update_score(r.possible); return r
            _orig = otter.execute.Checker.check
            otter.execute.Checker.check = _always
        """),
        "noop_feedback.ipynb": _with_cell(blank(), """
            import crmkit.grading.feedback as _f
            for _n in _f.__all__:
                setattr(_f, _n, lambda *a, **k: None)
        """),
        "rewritten_tests.ipynb": _with_cell(blank(), """
            import os, pathlib
            os.makedirs("tests", exist_ok=True)
            for q in ["q1", "q2", "q3", "q4", "q5", "q6"]:
                pathlib.Path(f"tests/{q}.py").write_text(
                    "OK_FORMAT = False\\nname = %r\\npoints = 1000\\ntest_cases = []\\n" % q)
        """),
        "point_inflation.ipynb": _with_cell(blank(), """
            import json, pathlib
            nb_path = next(pathlib.Path(".").glob("*.ipynb"))
            nb = json.loads(nb_path.read_text())
            for t in nb["metadata"].get("otter", {}).get("tests", {}).values():
                t["points"] = 1000
            nb_path.write_text(json.dumps(nb))
        """),
        "hook_forges_results.ipynb": _with_cell(blank(), f"""
            import os
            def _forge(result=None):
                for fd in range(3, 64):
                    try:
                        os.write(fd, {forged!r}.encode())
                    except OSError:
                        pass
            get_ipython().events.register("post_run_cell", _forge)
        """),
        "detached_rewriter.ipynb": _with_cell(blank(), f"""
            import os, time, glob
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    for _ in range(40):
                        for target in glob.glob("/tmp/crmkit-grade-*/result.json") + [{str(book)!r}]:
                            try:
                                open(target, "w").write("submission,total\\nhonest,0\\n")
                            except OSError:
                                pass
                        time.sleep(0.25)
                    os._exit(0)
                os._exit(0)
        """),
        "seed_override.ipynb": _with_cell(solution(), """
            import os, pathlib
            os.environ["CRMKIT_COURSE_SEED"] = "2016"
            pathlib.Path("course.toml").write_text("[course]\\nseed = 2016\\n")
        """, before_setup=True),
        "kill_grader.ipynb": _with_cell(blank(), """
            import os, signal
            for pid in os.listdir("/proc"):
                if pid.isdigit() and int(pid) not in (os.getpid(), 1):
                    try:
                        if b"crmkit" in open(f"/proc/{pid}/cmdline", "rb").read():
                            os.kill(int(pid), signal.SIGKILL)
                    except OSError:
                        pass
            try:
                open("/dev/tty", "w").write("GRADER HIJACKED\\n")
            except OSError:
                pass
        """),
        "tamper_other.ipynb": _with_cell(blank(), f"""
            import glob
            for other in glob.glob({str(subs)!r} + "/*.ipynb") + glob.glob("../../*/*.ipynb"):
                open(other, "w").write("{{}}")
        """),
        "read_secrets.ipynb": _with_cell(blank(), f"""
            pareto = open({str(master)!r}).read()
        """),
        "memory_bomb.ipynb": _with_cell(blank(), """
            _hog = bytearray(8 * 1024 ** 3)
        """),
        "fork_bomb.ipynb": _with_cell(blank(), """
            import os
            while True:
                os.fork()
        """),
        "spawn_bomb.ipynb": _with_cell(blank(), """
            import subprocess
            while True:
                try:
                    subprocess.Popen(["sleep", "60"])
                except OSError:
                    pass
        """),
        "endless_output.ipynb": _with_cell(blank(), """
            while True:
                print("x" * 10000)
        """),
        # forged answer data that used to crash the judge (and with it the whole batch)
        "nested_answers.ipynb": _with_cell(blank(), """
            import os, sys
            os.write(int(sys.argv[2]), b"[" * 300000)
            os._exit(0)
        """),
        # a file name and an error text a spreadsheet would run as a formula, with escapes
        FORMULA_NAME: _with_cell(blank(), """
            raise ValueError("\\x1b[2J=cmd|' /C calc'!A0")
        """),
        # together more than the memory limit, each process under it
        "memory_split.ipynb": _with_cell(blank(), """
            import os, time
            for _ in range(6):
                if os.fork() == 0:
                    if os.fork() == 0:
                        _b = bytearray(450 * 1024 ** 2)
                        time.sleep(50)
                    os._exit(0)
            time.sleep(50)
        """),
    }


def _damaged_zip(path, notebook):
    """A zip that looks whole but whose data does not inflate (it used to stop the batch)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(notebook, "hand-in.ipynb")
    data = bytearray(path.read_bytes())
    data[60] ^= 0xFF
    data[80] ^= 0x55
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_every_cheat_scores_zero_and_the_honest_solution_full(tmp_path, monkeypatch, capsys):
    master = resolve_master("05", EXERCISES)
    built = assemble(master, exercises_dir=EXERCISES)
    subs, book = tmp_path / "subs", tmp_path / "gradebook.csv"
    subs.mkdir()
    grader_tmp = tmp_path / "tmp"
    grader_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(grader_tmp))  # the grader's own temp folders
    paths = {"book": book, "subs": subs, "master": master}
    cheats = _cheats(lambda: _load(student_path(master, EXERCISES)), lambda: _load(built.solution),
                     paths)
    for name, nb in cheats.items():
        (subs / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    shutil.copyfile(built.solution, subs / "honest.ipynb")
    _damaged_zip(subs / "damaged.zip", built.solution)
    honest_hash = hashlib.sha256((subs / "honest.ipynb").read_bytes()).hexdigest()

    code = cli.main(["grade", "--assignment", "05", "--submissions", str(subs), "--out", str(book),
                     "--seed", str(GRADER_SEED), "--jobs", "2", "--timeout", "60",
                     "--exercises", str(EXERCISES)])
    assert code == 0, capsys.readouterr().err
    assert "GRADER HIJACKED" not in capsys.readouterr().out
    stamp = (book.stat().st_mtime_ns, hashlib.sha256(book.read_bytes()).hexdigest())
    table = pd.read_csv(book, encoding="utf-8-sig").set_index("submission")

    print(table[["total", "seconds", "error"]].to_string())
    names = [("'" + n if n == FORMULA_NAME else n) for n in [*cheats, "honest.ipynb", "damaged.zip"]]
    assert sorted(table.index) == sorted(names)  # one row each, no cell starts a formula
    assert not any(str(v).startswith(("=", "+", "@")) for v in table.reset_index().to_numpy().ravel())
    assert "\x1b" not in book.read_text(encoding="utf-8-sig")
    cheats = {("'" + n if n == FORMULA_NAME else n): nb for n, nb in cheats.items()}
    cheats["damaged.zip"] = None
    assert table.loc["honest.ipynb", "total"] == table.loc["honest.ipynb", "possible"] == 10, \
        table.loc["honest.ipynb"].to_dict()
    assert hashlib.sha256((subs / "honest.ipynb").read_bytes()).hexdigest() == honest_hash
    for name in cheats:
        assert table.loc[name, "total"] == 0, (name, table.loc[name].to_dict())
    assert table["total"].max() <= 10  # no row above its possible points
    errors = table["error"].fillna("")
    assert "limit" in errors["endless_output.ipynb"]
    assert "MemoryError" in errors["memory_bomb.ipynb"] or "stopped" in errors["memory_bomb.ipynb"]
    assert "FileNotFoundError" in errors["read_secrets.ipynb"]  # the masters are not there
    assert "stopped" in errors["fork_bomb.ipynb"]  # early, not at the time limit
    assert table.loc["fork_bomb.ipynb", "seconds"] < 30
    assert "memory limit" in errors["memory_split.ipynb"]
    assert "too many processes" in errors["spawn_bomb.ipynb"]
    assert table.loc["spawn_bomb.ipynb", "seconds"] < 30
    assert "damaged zip" in errors["damaged.zip"]
    assert "no readable answers" in errors["nested_answers.ipynb"]
    assert list(grader_tmp.iterdir()) == []  # every temp folder removed

    time.sleep(6)  # the detached process would have rewritten the gradebook by now
    assert (book.stat().st_mtime_ns, hashlib.sha256(book.read_bytes()).hexdigest()) == stamp
