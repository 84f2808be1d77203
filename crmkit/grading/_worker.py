"""Code of the child process that grades ONE submission with otter (see :mod:`crmkit.grading.grade`).

Student code is untrusted: it runs in otter's kernel below a separate child process that the batch
grader kills when the time limit passes, never in the grading process. The child receives a private
copy of the submission, checks that it is a notebook of this assignment, runs ``otter.run.main`` and
writes ``{"scores": {...}, "error": "...", "cell_ids": [...]}`` as JSON.
"""
from __future__ import annotations

import contextlib
import io
import json
import warnings
import zipfile
from pathlib import Path

__all__ = ["SubmissionError", "prepare", "cell_errors", "grade_file", "run_in_child"]

#: A notebook above this size is refused (a runaway output can make files of hundreds of MB).
MAX_BYTES = 50_000_000


class SubmissionError(ValueError):
    """The submission cannot be graded; the message says why in plain words."""


def _notebook_from_bytes(data: bytes, name: str, assignment: str | None) -> dict:
    if not data.strip():
        raise SubmissionError(f"{name} is empty (0 bytes of content): nothing to grade.")
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        if not name.endswith(".ipynb"):
            raise SubmissionError(f"{name} is not a notebook: hand in the .ipynb file or the .zip "
                                  "that grader.export() makes.") from None
        raise SubmissionError(f"{name} is not valid notebook JSON ({err}); the file is damaged "
                              "or was edited outside Jupyter.") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise SubmissionError(f"{name} is JSON but not a Jupyter notebook (format 4 with cells).")
    got = ((nb.get("metadata") or {}).get("otter") or {}).get("assignment_name")
    if assignment and got != assignment:
        raise SubmissionError(f"{name} is not the notebook of this assignment ({assignment}); "
                              f"its assignment is {got!r}. Did the student hand in another set?")
    return nb


def prepare(submission: Path, folder: Path, assignment: str | None = None) -> tuple[Path, dict]:
    """Check ``submission`` and write the notebook to grade into ``folder``; return its path and JSON.

    A ``.zip`` (from ``grader.export()``) must contain exactly one notebook. Raises
    :class:`SubmissionError` with a plain reason for anything that is not a gradable notebook.
    """
    name = submission.name
    if submission.stat().st_size > MAX_BYTES:
        raise SubmissionError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB.")
    data = submission.read_bytes()
    if data.startswith(b"PK") and zipfile.is_zipfile(submission):
        with zipfile.ZipFile(submission) as zf:
            inside = [i for i in zf.infolist() if i.filename.endswith(".ipynb")
                      and not i.filename.startswith("__MACOSX") and not i.is_dir()]
            if len(inside) != 1:
                raise SubmissionError(f"{name} is a zip with {len(inside)} notebooks; "
                                      "it must hold exactly one.")
            if inside[0].file_size > MAX_BYTES:
                raise SubmissionError(f"the notebook in {name} is larger than {MAX_BYTES // 1_000_000} MB.")
            data, name = zf.read(inside[0]), Path(inside[0].filename).name
    nb = _notebook_from_bytes(data, name, assignment)
    # the notebook's first cell opens itself by name: otter.Notebook("<assignment>.ipynb")
    path = folder / f"{assignment or 'submission'}.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path, nb


def cell_errors(executed) -> list[str]:
    """One line per code cell that raised while the grader ran the notebook."""
    found = []
    for i, cell in enumerate(executed.get("cells", [])):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                found.append(f"cell {i + 1} raised {out.get('ename')}: {str(out.get('evalue'))[:160]}")
    return found


def grade_file(autograder: Path, submission: Path, work: Path, assignment: str | None) -> dict:
    """Grade one file; every failure becomes the ``error`` text of the result."""
    result = {"scores": {}, "possible": {}, "error": "", "cell_ids": [], "log": ""}
    try:
        path, nb = prepare(submission, work, assignment)
        result["cell_ids"] = [c.get("id") for c in nb["cells"] if isinstance(c, dict)]
        import otter.run

        log = io.StringIO()
        for attempt in range(2):
            with contextlib.redirect_stdout(log), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # otter's own pandas/traitlets deprecations
                graded = otter.run.main(str(path), autograder=str(autograder), output_dir=None,
                                        no_logo=True)
            # otter reports a run whose results it could not collect (e.g. a kernel that died) as
            # zero points and no error; try once more, then say so instead of a silent zero.
            if not graded.has_catastrophic_failure():
                break
            path, nb = prepare(submission, work, assignment)
        result["log"] = log.getvalue()[-4000:]
        if graded.has_catastrophic_failure():
            result["error"] = (f"grading failed: otter collected no results "
                               f"({str(graded.catastrophic_error)[:300]})")
            return result
        for name, test in graded.results.items():
            result["scores"][name] = float(test.score)
            result["possible"][name] = float(test.possible)
        result["error"] = "; ".join(cell_errors(graded.notebook or {}))
    except SubmissionError as err:
        result["error"] = str(err)
    except Exception as err:  # anything otter or the notebook throws is reported, never raised
        result["error"] = f"grading failed: {type(err).__name__}: {str(err)[:300]}"
    return result


def run_in_child(autograder: str, submission: str, result_path: str, assignment: str,
                 env: dict, log_path: str) -> None:
    """Entry point of the forked grading process: private cwd, environment and log, then grade."""
    import os

    work = Path(result_path).parent / "work"
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(work)
    os.environ.update(env)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)  # the kernel inherits these: its noise goes to the log, not the grader's terminal
    os.dup2(fd, 2)
    result = grade_file(Path(autograder), Path(submission), work, assignment)
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
