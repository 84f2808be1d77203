"""Runs INSIDE the sandbox: execute a hand-in's cells, then send its answer values out as data.

``python -m crmkit.grading._harness IN_DIR FD``: ``IN_DIR`` (read-only) holds ``notebook.ipynb``
and ``job.json`` (assignment name and answer names); ``FD`` is the write end of the pipe to the
grader. The notebook runs cell by cell in an IPython shell in this process (student code can do
anything here, including rewriting this module's objects), so the grader treats what arrives on
``FD`` as hostile data (:func:`crmkit.grading.answers.decode`); nothing here is trusted.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import types
from pathlib import Path


class _Checks:
    """Stands in for ``otter.Notebook`` while grading: the public checks are for the student in
    Jupyter; the grade comes from the answer values, judged outside. (Importing otter takes
    seconds per hand-in, and nothing it could say here is trusted.)"""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _stub_otter() -> None:
    module = types.ModuleType("otter")
    module.Notebook = _Checks
    sys.modules["otter"] = module


def main(in_dir: str, fd: int) -> int:
    channel = os.fdopen(fd, "w", encoding="utf-8")  # taken before any student code runs
    from crmkit.grading.answers import AnswerError, encode

    job = json.loads((Path(in_dir) / "job.json").read_text(encoding="utf-8"))
    work = Path.cwd()
    notebook = work / f"{job['assignment']}.ipynb"  # otter.Notebook("<assignment>.ipynb") opens it
    shutil.copyfile(Path(in_dir) / "notebook.ipynb", notebook)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]

    from IPython.core.interactiveshell import InteractiveShell

    _stub_otter()
    shell = InteractiveShell.instance(colors="nocolor")
    errors = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if "grader.export(" in source:  # otter's hand-in cell: nothing to grade, slow to run
            continue
        result = shell.run_cell(source, store_history=True)
        err = result.error_before_exec or result.error_in_exec
        if err is not None:
            errors.append(f"cell {i + 1} raised {type(err).__name__}: {str(err)[:160]}")
    answers = {}
    for name in job["names"]:
        if name not in shell.user_ns:
            answers[name] = {"kind": "missing"}
            continue
        try:
            answers[name] = encode(shell.user_ns[name])
        except AnswerError as why:
            answers[name] = {"kind": "unsupported", "why": str(why)}
        except Exception as why:  # a student object whose methods raise
            answers[name] = {"kind": "unsupported", "why": f"{type(why).__name__}"}
    channel.write(json.dumps({"answers": answers, "cell_errors": errors[:20]}))
    channel.close()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover - runs in the sandbox
    raise SystemExit(main(sys.argv[1], int(sys.argv[2])))
