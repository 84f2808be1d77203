"""Check a hand-in file before it is graded: a notebook (or exported zip) of this assignment.

Runs in the grading process on the file's bytes only (JSON parsing, never execution); the notebook
it accepts is written into the sandbox's read-only input folder (see :mod:`crmkit.grading.grade`).
"""
from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

__all__ = ["SubmissionError", "prepare", "MAX_BYTES"]

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
    if not any(isinstance(c, dict) and c.get("cell_type") == "code" for c in nb["cells"]):
        raise SubmissionError(f"{name} has no cells: no code cells at all (was it saved empty?).")
    return nb


def prepare(submission: Path, folder: Path, assignment: str | None = None, *,
            target: str | None = None) -> tuple[Path, dict]:
    """Check ``submission`` and write the notebook to grade into ``folder``; return its path and JSON.

    A ``.zip`` (from ``grader.export()``) must contain exactly one notebook. Raises
    :class:`SubmissionError` with a plain reason for anything that is not a gradable notebook.
    """
    name = submission.name
    if submission.stat().st_size > MAX_BYTES:
        raise SubmissionError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB.")
    data = submission.read_bytes()
    if data.startswith(b"PK") and zipfile.is_zipfile(submission):
        data, name = _from_zip(submission, name)
    nb = _notebook_from_bytes(data, name, assignment)
    # the notebook's first cell opens itself by name: otter.Notebook("<assignment>.ipynb")
    path = folder / (target or f"{assignment or 'submission'}.ipynb")
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path, nb


def _from_zip(submission: Path, name: str) -> tuple[bytes, str]:
    """The one notebook inside an exported zip; a damaged zip is a :class:`SubmissionError`."""
    try:
        with zipfile.ZipFile(submission) as zf:
            inside = [i for i in zf.infolist() if i.filename.endswith(".ipynb")
                      and not i.filename.startswith("__MACOSX") and not i.is_dir()]
            if len(inside) != 1:
                raise SubmissionError(f"{name} is a zip with {len(inside)} notebooks; "
                                      "it must hold exactly one.")
            if inside[0].file_size > MAX_BYTES:
                raise SubmissionError(f"the notebook in {name} is larger than {MAX_BYTES // 1_000_000} MB.")
            with zf.open(inside[0]) as fh:  # read at most the limit, whatever the header claims
                data = fh.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise SubmissionError(f"the notebook in {name} is larger than {MAX_BYTES // 1_000_000} MB.")
            return data, Path(inside[0].filename).name
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError,
            RuntimeError) as err:
        if isinstance(err, SubmissionError):
            raise
        raise SubmissionError(f"{name} is a damaged zip ({type(err).__name__}); hand in the .ipynb "
                              "file or export the zip again.") from None
