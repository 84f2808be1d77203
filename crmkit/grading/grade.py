"""Grade a folder of submissions without Docker: one process per submission, with a time limit.

``python -m crmkit.grading grade --assignment 05 --submissions DIR --out gradebook.csv``

Each file in ``DIR`` is copied into a private temporary folder (the original is never opened for
writing) and graded by a child process (:mod:`crmkit.grading._worker`) that runs otter's grader
on the copy; the student's code runs in otter's kernel below that child. Student code therefore
never runs in this process; a child that exceeds the time limit is killed together with its kernel.
Children fork from a server process that has otter imported already (``forkserver``), which
saves about three seconds per submission. The gradebook has one row per file: a score per auto-graded
question, an empty column per manually graded question (for the marker to fill in), the total and
percent of the auto-graded points, and an ``error`` column saying what went wrong, if anything.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from crmkit.grading.build import assemble, default_exercises_dir, resolve_master, student_path
from crmkit.grading.course import CONFIG_ENV, PER_STUDENT_ENV, SEED_ENV, course_settings
from crmkit.grading.masters import read_master

__all__ = ["DEFAULT_TIMEOUT", "grade", "grade_one", "list_submissions", "manual_column"]

#: Environment variable that tags every process started for one submission.
TOKEN_ENV = "CRMKIT_GRADING_TOKEN"
#: Seconds one submission may take (kernel start, data, every cell, the tests).
DEFAULT_TIMEOUT = 120


def manual_column(question) -> str:
    """Gradebook column of a manually graded question, e.g. ``"q6 (manual /4)"``."""
    return f"{question.name} (manual /{question.points:g})"


def list_submissions(folder) -> list[Path]:
    """Every entry of ``folder`` except hidden ones (``.DS_Store``, ``.ipynb_checkpoints``), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"`submissions` must be a folder, but {folder} is not one.")
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _kill_tree(pid: int, token: str) -> None:
    """Kill a process, everything below it, and any process still carrying ``token``.

    otter's kernel runs in a session of its own and outlives a killed parent as an orphan, so
    every child gets a unique environment variable and orphans are found by it.
    """
    import psutil

    procs = []
    try:
        root = psutil.Process(pid)
        procs = root.children(recursive=True) + [root]
    except psutil.NoSuchProcess:
        pass
    for proc in psutil.process_iter():
        try:
            if proc.pid != os.getpid() and proc.environ().get(TOKEN_ENV) == token:
                procs.append(proc)
        except (psutil.Error, OSError):
            continue
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


def _context():
    """A process context whose children start from a server that has otter already imported."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not Linux
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["crmkit.grading._worker", "otter.run", "nbformat", "pandas"])
    return ctx


def grade_one(submission: Path, autograder: Path, *, assignment: str, timeout: float,
              env: dict) -> dict:
    """Grade one submission in a child process; return the child's result dict plus ``seconds``."""
    from crmkit.grading._worker import run_in_child

    start = time.monotonic()
    if not submission.is_file():
        return {"scores": {}, "error": f"{submission.name} is a folder, not a notebook.",
                "seconds": 0.0, "cell_ids": []}
    tmp = Path(tempfile.mkdtemp(prefix="crmkit-grade-"))
    token = uuid.uuid4().hex
    try:
        copy = tmp / "in" / submission.name
        copy.parent.mkdir()
        shutil.copyfile(submission, copy)  # the child only ever sees this copy
        result_path, log = tmp / "result.json", tmp / "worker.log"
        proc = _context().Process(target=run_in_child, daemon=True, args=(
            str(autograder), str(copy), str(result_path), assignment, {**env, TOKEN_ENV: token},
            str(log)))
        proc.start()
        try:
            proc.join(timeout)
            if proc.is_alive():
                return {"scores": {}, "cell_ids": [], "seconds": time.monotonic() - start,
                        "error": f"time limit of {timeout:g} s exceeded (an endless loop or a very "
                                 "slow cell?); the submission was stopped."}
        finally:
            _kill_tree(proc.pid, token)  # also kernels left behind by a crashed child
            proc.join(5)
        try:
            result = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = log.read_text(errors="replace")[-500:].strip() if log.exists() else ""
            result = {"scores": {}, "cell_ids": [],
                      "error": f"the grading process stopped (exit code {proc.exitcode}): {tail}"}
        result["seconds"] = time.monotonic() - start
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _child_env(settings, seed) -> dict:
    env = dict(os.environ)
    env[SEED_ENV] = str(settings.seed if seed is None else int(seed))
    env[PER_STUDENT_ENV] = "true" if settings.per_student else "false"
    if settings.path is not None:
        env[CONFIG_ENV] = str(Path(settings.path).resolve())
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def grade(assignment: str, submissions, out=None, *, timeout: float = DEFAULT_TIMEOUT, seed=None,
          jobs: int = 1, exercises_dir=None, progress: bool = True) -> pd.DataFrame:
    """Grade every file in ``submissions`` and write the gradebook CSV.

    Parameters
    ----------
    assignment : str
        The exercise set, by name or prefix (``"05"``).
    submissions : path-like
        Folder of submissions: ``.ipynb`` notebooks or the ``.zip`` files ``grader.export()`` makes.
    out : path-like, optional
        Where to write the gradebook CSV (UTF-8 with BOM, so Excel shows Chinese names).
    timeout : float
        Seconds allowed per submission.
    seed : int, optional
        Course seed to grade against (default: the course settings).
    jobs : int
        Submissions graded at the same time (one process each).

    Returns
    -------
    pandas.DataFrame
        One row per submission: ``submission``, one column per auto-graded question, one empty
        column per manual question, ``total``, ``possible``, ``percent`` (auto-graded part),
        ``seconds`` and ``error``.
    """
    from tqdm.auto import tqdm

    if timeout <= 0:
        raise ValueError(f"`timeout` must be a positive number of seconds, but {timeout} was passed.")
    if int(jobs) < 1:
        raise ValueError(f"`jobs` must be 1 or more, but {jobs} was passed.")
    root = Path(exercises_dir or default_exercises_dir())
    master = resolve_master(assignment, root)
    built = assemble(master, exercises_dir=root)
    parsed = read_master(master)
    files = list_submissions(submissions)
    original = json.loads(student_path(master, root).read_text(encoding="utf-8")) \
        if student_path(master, root).is_file() else json.loads(built.student.read_text("utf-8"))
    locked_ids = [c["id"] for c in original["cells"] if c.get("metadata", {}).get("editable") is False
                  or "otter_answer_cell" in c.get("metadata", {}).get("tags", [])]
    env = _child_env(course_settings(root), seed)

    def run(path):
        return grade_one(path, built.autograder, assignment=master.stem, timeout=timeout, env=env)

    with ThreadPoolExecutor(max_workers=int(jobs)) as pool:
        results = list(tqdm(pool.map(run, files), total=len(files), desc=f"grading {master.stem}",
                            unit="submission", disable=not progress))
    auto, manual = parsed.auto_questions, parsed.manual_questions
    possible = sum(q.points for q in auto)
    rows = []
    for path, res in zip(files, results):
        row = {"submission": path.name}
        graded = bool(res.get("scores"))
        for q in auto:
            row[q.name] = round(res["scores"].get(q.name, 0.0), 4) if graded else None
        for q in manual:
            row[manual_column(q)] = None
        total = sum(res["scores"].get(q.name, 0.0) for q in auto) if graded else 0.0
        errors = [res.get("error", "")] if res.get("error") else []
        missing = [i for i in locked_ids if res.get("cell_ids") and i not in res["cell_ids"]]
        if missing:
            errors.append(f"{len(missing)} cell(s) of the handed-out notebook were deleted "
                          f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''})")
        row.update(total=round(total, 4), possible=possible,
                   percent=round(100 * total / possible, 2) if possible else 0.0,
                   seconds=round(res.get("seconds", 0.0), 1), error="; ".join(errors))
        rows.append(row)
    columns = (["submission"] + [q.name for q in auto] + [manual_column(q) for q in manual]
               + ["total", "possible", "percent", "seconds", "error"])
    book = pd.DataFrame(rows, columns=columns)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        book.to_csv(out, index=False, encoding="utf-8-sig")
    return book
