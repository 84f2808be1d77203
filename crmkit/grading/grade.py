"""Grade a folder of hand-ins: each runs in its own sandbox, the grader judges only its answer values.

``python -m crmkit.grading grade --assignment 05 --submissions DIR --out gradebook.csv``

For every file in ``DIR`` the grader (this process, which never runs student code):

1. hashes the original and checks it is a notebook of this set (:mod:`crmkit.grading._worker`);
2. writes the notebook and the list of answer names into a private input folder and runs it in a
   bubblewrap sandbox (:mod:`crmkit.grading.sandbox`) that sees no hidden test, no master, no other
   hand-in, with limits on time, memory, processes and output;
3. reads the answer values the sandbox sends out as data and scores them against expected answers
   it computes itself from crmkit and its own seed (:mod:`crmkit.grading.judge`), each question
   capped at its points from the master.

The batch always finishes with one row per file. After every sandbox is gone the originals are
hashed again (a changed file is an error) and the gradebook is written atomically. Temporary
folders are removed after each run, on a timeout and on Ctrl-C.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from crmkit.grading import sandbox as sb
from crmkit.grading.build import assemble, default_exercises_dir, resolve_master, student_path
from crmkit.grading.course import CONFIG_ENV, PER_STUDENT_ENV, SEED_ENV, course_settings
from crmkit.grading.masters import read_master

if TYPE_CHECKING:
    from os import PathLike

    from crmkit.grading.course import CourseSettings
    from crmkit.grading.masters import Question

__all__ = ["DEFAULT_TIMEOUT", "grade", "run_one", "list_submissions", "manual_column",
           "default_jobs", "SandboxMissing", "safe_cell"]

#: Seconds one hand-in may take (start, data, every cell).
DEFAULT_TIMEOUT = 120


class SandboxMissing(RuntimeError):
    """bubblewrap is not installed and ``sandbox=False`` was not asked for."""


def default_jobs() -> int:
    """Hand-ins graded at once by default: the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def manual_column(question: Question) -> str:
    """Gradebook column of a manually graded question, e.g. ``"q6 (manual /4)"``."""
    return f"{question.name} (manual /{question.points:g})"


def list_submissions(folder: str | PathLike[str]) -> list[Path]:
    """Every entry of ``folder`` except hidden ones (``.DS_Store``, ``.ipynb_checkpoints``), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"`submissions` must be a folder, but {folder} is not one.")
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _digest(path: Path) -> str:
    try:
        if not path.is_file():
            return "folder"
        digest = hashlib.sha256()
        with path.open("rb") as fh:  # in blocks: a huge file must not fill the grader's memory
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError as err:
        return f"unreadable: {err}"


def _sandbox_env(settings, seed: int, home: str, config: str | None) -> dict:
    import sys

    env = {"HOME": home, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp" if home.startswith(
               "/sandbox") else home, "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           SEED_ENV: str(seed), PER_STUDENT_ENV: "true" if settings.per_student else "false"}
    if config:
        env[CONFIG_ENV] = config
    return env


def run_one(submission: Path, *, assignment: str, names: list[str], settings: CourseSettings,
            seed: int, limits: sb.Limits, sandbox: bool = True) -> dict:
    """Check one hand-in and run it in a sandbox; return ``{"raw", "error", "cell_ids", ...}``."""
    from crmkit.grading._worker import SubmissionError, prepare

    start = time.monotonic()
    result = {"raw": b"", "error": "", "cell_ids": [], "seconds": 0.0}
    if submission.is_symlink():  # it could point at a master, or at another student's hand-in
        result["error"] = (f"{submission.name} is a symbolic link, not a hand-in: grade the file "
                           "itself.")
        return result
    if not submission.is_file():
        result["error"] = f"{submission.name} is a folder, not a notebook."
        return result
    tmp = Path(tempfile.mkdtemp(prefix="crmkit-grade-"))
    try:
        in_dir = tmp / "in"
        in_dir.mkdir()
        try:
            _, nb = prepare(submission, in_dir, assignment, target="notebook.ipynb")
        except SubmissionError as err:
            result["error"] = str(err)
            return result
        result["cell_ids"] = [c.get("id") for c in nb["cells"] if isinstance(c, dict)]
        (in_dir / "job.json").write_text(json.dumps({"assignment": assignment, "names": names}))
        config = None
        if settings.path is not None:
            shutil.copyfile(settings.path, in_dir / "course.toml")
            config = "/sandbox/in/course.toml" if sandbox else str(in_dir / "course.toml")
        work = tmp / "work"
        work.mkdir()
        home = "/sandbox/work" if sandbox else str(work)
        env = _sandbox_env(settings, seed, home, config)
        pipe = os.pipe()
        cmd = sb.sandbox_command(in_dir, pipe[1], env, limits, sandbox=sandbox)
        run = sb.run_sandboxed(cmd, pipe, limits, env=None if sandbox else env,
                               cwd=None if sandbox else work)
        result["raw"] = run.answers
        if run.stopped:
            result["error"] = run.stopped
        elif not run.answers:
            tail = run.output.decode("utf-8", "replace").strip()[-300:]
            result["error"] = (f"the notebook stopped (exit code {run.returncode}) before it sent "
                               f"its answers: {tail}")
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        result["seconds"] = time.monotonic() - start


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_cell(text: str) -> str:
    """Text from a hand-in (its file name, its error messages) made safe for the gradebook.

    Control characters (terminal escape sequences, carriage returns) become spaces, and a text a
    spreadsheet would run as a formula (starting with ``= + - @``) gets a leading apostrophe.

    Examples
    --------
    >>> print(safe_cell('=HYPERLINK("x")'))
    '=HYPERLINK("x")
    >>> safe_cell("a\x1b[2Jb")
    'a [2Jb'
    """
    text = _CONTROL.sub(" ", str(text))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _write_atomically(book: pd.DataFrame, out) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            book.to_csv(fh, index=False)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _run_all(files, run, jobs, progress, desc):
    from tqdm.auto import tqdm

    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(run, path) for path in files]
    try:
        results = []
        for future in tqdm(futures, total=len(files), desc=desc, unit="hand-in", disable=not progress):
            results.append(future.result())
        return results
    except BaseException:  # Ctrl-C: stop every sandbox; each run removes its own temp folder
        for future in futures:
            future.cancel()
        sb.kill_all()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        sb.kill_all()


def grade(assignment: str, submissions: str | PathLike[str], out: str | PathLike[str] | None = None, *,
          timeout: float = DEFAULT_TIMEOUT, seed: int | None = None, jobs: int | None = None,
          exercises_dir: str | PathLike[str] | None = None, progress: bool = True, sandbox: bool = True,
          limits: sb.Limits | None = None) -> pd.DataFrame:
    """Grade every file in ``submissions`` and write the gradebook CSV.

    Parameters
    ----------
    assignment : str
        The exercise set, by name or prefix (``"05"``).
    submissions : path-like
        Folder of hand-ins: ``.ipynb`` notebooks or the ``.zip`` files ``grader.export()`` makes.
    out : path-like, optional
        Where to write the gradebook CSV (UTF-8 with BOM, so Excel shows Chinese names).
    timeout : float
        Seconds allowed per hand-in.
    seed : int, optional
        Course seed to grade against (default: the course settings).
    jobs : int, optional
        Hand-ins graded at the same time (default: the number of cores).
    sandbox : bool
        Run each hand-in in bubblewrap (default). ``False`` runs it without isolation.
    limits : Limits, optional
        Memory, process and output limits (the ``timeout`` argument sets the time).

    Returns
    -------
    pandas.DataFrame
        One row per file: ``submission`` (and, in a per-student course, the ``student_id`` the
        hand-in chose its data by: check it is the student's own), one column per auto-graded
        question, one empty column per manual question, ``total``, ``possible``, ``percent``
        (auto-graded part), ``seconds`` and ``error``.
    """
    if timeout <= 0:
        raise ValueError(f"`timeout` must be a positive number of seconds, but {timeout} was passed.")
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"`jobs` must be 1 or more, but {jobs} was passed.")
    if sandbox and sb.bwrap_path() is None:
        raise SandboxMissing("bubblewrap (bwrap) is not installed, so hand-ins cannot be isolated "
                             "from the grader and from each other: install the Debian package "
                             "`bubblewrap`, or pass --no-sandbox to grade anyway (" + sb.UNPROTECTED
                             + ").")
    limits = limits or sb.Limits()
    limits.timeout = float(timeout)
    root = Path(exercises_dir or default_exercises_dir())
    master = resolve_master(assignment, root)
    built = assemble(master, exercises_dir=root)
    parsed = read_master(master)
    files = list_submissions(submissions)
    before = {p: _digest(p) for p in files}
    original = json.loads(student_path(master, root).read_text(encoding="utf-8")) \
        if student_path(master, root).is_file() else json.loads(built.student.read_text("utf-8"))
    locked_ids = [c["id"] for c in original["cells"] if c.get("metadata", {}).get("editable") is False
                  or "otter_answer_cell" in c.get("metadata", {}).get("tags", [])]
    settings = course_settings(root)
    seed = settings.seed if seed is None else int(seed)
    auto, manual = parsed.auto_questions, parsed.manual_questions
    names = sorted({n for q in auto for n in q.answers} | {"STUDENT_ID"})

    def run(path):
        try:
            return run_one(path, assignment=master.stem, names=names, settings=settings,
                           seed=seed, limits=limits, sandbox=sandbox)
        except Exception as err:  # one odd file must not stop the batch
            return {"raw": b"", "error": f"{path.name} could not be graded ({type(err).__name__}: "
                    f"{str(err)[:120]})", "cell_ids": [], "seconds": 0.0}

    results = _run_all(files, run, jobs, progress, f"grading {master.stem}")
    # every sandbox is gone now: judge the answers, check the originals, write the book once
    from crmkit.grading.judge import judge

    possible = sum(q.points for q in auto)
    rows = []
    for path, res in zip(files, results):
        row = {"submission": safe_cell(path.name)}
        if settings.per_student:  # the id the hand-in chose its data by: check it is the student's
            row["student_id"] = ""
        errors = [res["error"]] if res["error"] else []
        graded = bool(res["raw"]) and not res["error"]
        scores = {}
        if graded:
            try:
                verdict = judge(parsed, res["raw"], seed=seed, per_student=settings.per_student,
                                config=settings.path)
            except RuntimeError as err:  # the master's own setup failed: every row says so
                verdict = {"scores": {}, "errors": [str(err)]}
            except Exception as err:  # answer data that tripped the judge: zero, not a crash
                verdict = {"scores": {}, "errors": [f"the answers could not be judged "
                                                    f"({type(err).__name__}: {str(err)[:120]})"]}
            scores = verdict["scores"]
            errors += verdict["errors"]
            if settings.per_student:
                row["student_id"] = safe_cell(verdict.get("student_id", ""))
        for q in auto:
            row[q.name] = round(min(scores.get(q.name, 0.0), q.points), 4) if graded else None
        for q in manual:
            row[manual_column(q)] = None
        total = sum(min(scores.get(q.name, 0.0), q.points) for q in auto)
        missing = [i for i in locked_ids if res.get("cell_ids") and i not in res["cell_ids"]]
        if missing:
            errors.append(f"{len(missing)} cell(s) of the handed-out notebook were deleted "
                          f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''})")
        if _digest(path) != before[path]:
            errors.append("the original file changed while it was being graded")
        row.update(total=round(total, 4), possible=possible,
                   percent=round(100 * total / possible, 2) if possible else 0.0,
                   seconds=round(res.get("seconds", 0.0), 1), error=safe_cell("; ".join(errors)))
        rows.append(row)
    columns = (["submission"] + (["student_id"] if settings.per_student else [])
               + [q.name for q in auto] + [manual_column(q) for q in manual]
               + ["total", "possible", "percent", "seconds", "error"])
    book = pd.DataFrame(rows, columns=columns)
    if out is not None:
        _write_atomically(book, out)
    return book
