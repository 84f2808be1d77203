"""Build student notebooks and autograders from the master notebooks (``make exercises``).

For each ``exercises/masters/<stem>.ipynb`` otter-grader's ``otter assign`` writes a student
notebook and an autograder zip. This module runs it, gives the student notebook stable cell ids (otter
draws random ones, which would make every rebuild a diff), refuses to write a notebook that leaks a
solution, commits-ready writes it to ``exercises/<stem>/<stem>.ipynb`` (case studies, whose stem starts
with ``case``, go to ``exercises/cases/<stem>/``), and keeps the autograder in the git-ignored
``exercises/_build/<stem>/``.

Builds are cached: ``_build/<stem>/stamp.json`` records a hash of the master, the otter version and
this build code, and a matching stamp reuses the earlier build (``--force`` rebuilds).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crmkit.grading.masters import find_leaks, master_problems, read_master

if TYPE_CHECKING:
    from collections.abc import Sequence
    from os import PathLike

__all__ = ["BuildError", "Built", "default_exercises_dir", "list_masters", "resolve_master",
           "student_path", "assemble", "build", "normalise_student"]

EXERCISES_ENV = "CRMKIT_EXERCISES"


class BuildError(RuntimeError):
    """A master could not be built, or its student notebook would leak a solution."""


@dataclass
class Built:
    """The products of one master: paths inside ``exercises/_build/<stem>/``."""

    stem: str
    student: Path      # normalised student notebook as otter built it
    autograder: Path   # autograder zip for `otter run`
    solution: Path     # the autograder (solution) notebook, for checks
    cached: bool


def default_exercises_dir() -> Path:
    """``$CRMKIT_EXERCISES``, else ``./exercises`` if it has masters, else the repository's folder."""
    if os.environ.get(EXERCISES_ENV):
        return Path(os.environ[EXERCISES_ENV]).resolve()
    here = Path.cwd() / "exercises"
    if (here / "masters").is_dir():
        return here.resolve()
    return Path(__file__).resolve().parents[2] / "exercises"


def list_masters(exercises_dir: str | PathLike[str] | None = None) -> list[Path]:
    """All master notebooks, sorted by name."""
    folder = Path(exercises_dir or default_exercises_dir()) / "masters"
    return sorted(folder.glob("*.ipynb"))


def resolve_master(assignment: str, exercises_dir: str | PathLike[str] | None = None) -> Path:
    """The master whose name is ``assignment`` or starts with it (``"05"`` → ``05_abc_…``)."""
    masters = list_masters(exercises_dir)
    names = [m.stem for m in masters]
    exact = [m for m in masters if m.stem == assignment]
    matches = exact or [m for m in masters if m.stem.startswith(str(assignment))]
    if len(matches) != 1:
        what = "matches no" if not matches else "matches more than one"
        raise ValueError(f"The assignment {assignment!r} {what} exercise set. "
                         f"Available sets: {', '.join(names) or '(none)'}.")
    return matches[0]


def student_path(master: Path, exercises_dir: str | PathLike[str] | None = None) -> Path:
    """Where the committed student notebook of ``master`` lives."""
    root = Path(exercises_dir or default_exercises_dir())
    folder = root / "cases" if master.stem.startswith("case") else root
    return folder / master.stem / f"{master.stem}.ipynb"


def _build_key(master: Path) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(master.read_bytes())
    digest.update(version("otter-grader").encode())
    for module in ("build.py", "masters.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def normalise_student(nb: dict) -> dict:
    """Give cells stable ids and drop otter's trailing blank cells, so rebuilds are byte-identical."""
    cells = list(nb.get("cells", []))
    while cells and not "".join(cells[-1].get("source", "")).strip():
        cells.pop()
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb["cells"] = cells
    return nb


def _uncompilable(nb: dict) -> list[str]:
    """Code cells of the student notebook that are not valid Python (e.g. a blanked ``with``)."""
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            compile("\n".join(lines), f"cell {i + 1}", "exec")
        except SyntaxError as err:
            found.append(f"cell {i + 1}: {err.msg} (line {err.lineno})")
    return found


def _align_ids(solution: dict, student: dict) -> dict:
    """Give the solution notebook the student notebook's cell ids (rubric cells get their own).

    The solution has the same cells plus the rubric cells of manual questions, so grading the
    solution does not look like a notebook with deleted cells.
    """
    theirs, j, extra = student["cells"], 0, 0
    cells = list(solution.get("cells", []))
    while cells and not "".join(cells[-1].get("source", "")).strip():
        cells.pop()
    for cell in cells:
        other = theirs[j] if j < len(theirs) else None
        same = other is not None and other["cell_type"] == cell["cell_type"] and (
            cell["cell_type"] == "code" or "".join(other["source"]) == "".join(cell["source"])
            or "otter_answer_cell" in other.get("metadata", {}).get("tags", []))
        if same:
            cell["id"], j = other["id"], j + 1
        else:
            cell["id"], extra = f"solution-{extra:03d}", extra + 1
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    if j != len(theirs):
        raise BuildError("otter's solution notebook does not line up with the student notebook "
                         f"(matched {j} of {len(theirs)} cells).")
    solution["cells"] = cells
    return solution


def _write_notebook(nb: dict, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nbformat.from_dict(nb))
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _run_otter_assign(master: Path, result: Path) -> None:
    from otter.assign import main as assign

    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")  # otter's own traitlets deprecations
            assign(str(master), str(result), no_pdfs=True, no_run_tests=True)
    except Exception as err:  # otter raises many types; report them all the same way
        raise BuildError(f"otter assign failed on {master.name}: {type(err).__name__}: {err}\n"
                         f"{log.getvalue()[-2000:]}") from err


def assemble(master: str | PathLike[str], *, exercises_dir: str | PathLike[str] | None = None,
             force: bool = False) -> Built:
    """Build one master into ``_build/<stem>/`` (or reuse a build whose stamp still matches).

    Raises
    ------
    BuildError
        If the master lacks solution markers, hidden tests or rubrics, if otter fails, or if the
        student notebook would contain solution or hidden-test text.
    """
    master = Path(master).resolve()
    root = Path(exercises_dir or default_exercises_dir())
    out = root / "_build" / master.stem
    out.mkdir(parents=True, exist_ok=True)
    built = Built(master.stem, out / "student.ipynb", out / "autograder.zip", out / "solution.ipynb",
                  cached=True)
    with open(out.parent / f"{master.stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two pytest workers may build the same master
        key = _build_key(master)
        stamp = out / "stamp.json"
        fresh = all(p.is_file() for p in (built.student, built.autograder, built.solution, stamp))
        if not force and fresh and json.loads(stamp.read_text()).get("key") == key:
            return built
        parsed = read_master(master)
        problems = master_problems(parsed)
        if problems:
            raise BuildError("\n".join(problems))
        with tempfile.TemporaryDirectory(prefix="crmkit-assign-") as tmp:
            # otter writes beside the master (tests, checkpoints): assemble a private copy
            work = Path(tmp) / master.name
            shutil.copyfile(master, work)
            _run_otter_assign(work, Path(tmp) / "dist")
            dist = Path(tmp) / "dist"
            nb = normalise_student(json.loads((dist / "student" / master.name).read_text("utf-8")))
            broken = _uncompilable(nb)
            if broken:
                raise BuildError(f"{master.name}: student code cell(s) would not run: "
                                 + "; ".join(broken) + ". Mark whole blocks with "
                                 "`# BEGIN SOLUTION` / `# END SOLUTION` comment lines.")
            leaks = find_leaks(parsed, nb)
            if leaks:
                raise BuildError(f"{master.name}: the student notebook would leak:\n  "
                                 + "\n  ".join(leaks))
            zips = sorted((dist / "autograder").glob("*.zip"))
            if len(zips) != 1:
                raise BuildError(f"otter assign made {len(zips)} autograder zips for {master.name}.")
            solution = _align_ids(json.loads((dist / "autograder" / master.name)
                                             .read_text("utf-8")), nb)
            _write_notebook(nb, built.student)
            _write_notebook(solution, built.solution)
            shutil.copyfile(zips[0], built.autograder)
        stamp.write_text(json.dumps({"key": key, "master": master.name}) + "\n")
        built.cached = False
        return built


def build(only: str | Sequence[str] | None = None, *, exercises_dir: str | PathLike[str] | None = None,
          force: bool = False, check: bool = False, progress: bool = True) -> dict[str, str]:
    """Build every master (or those whose names start with ``only``) into student notebooks.

    Parameters
    ----------
    only : str or list of str, optional
        Name prefixes of the sets to build, e.g. ``"05"`` or ``"case"`` (all case studies).
    exercises_dir : path-like, optional
        The ``exercises/`` folder (default: :func:`default_exercises_dir`).
    force : bool
        Rebuild even when the cached build is current.
    check : bool
        Write nothing; report which committed student notebooks differ from a fresh build.

    Returns
    -------
    dict
        ``{stem: status}`` with status ``"written"``, ``"unchanged"`` or ``"differs"`` (check mode).
    """
    from tqdm.auto import tqdm

    root = Path(exercises_dir or default_exercises_dir())
    masters = list_masters(root)
    if only:
        prefixes = [only] if isinstance(only, str) else list(only)
        for prefix in prefixes:
            if not any(m.stem.startswith(prefix) for m in masters):
                resolve_master(prefix, root)  # raises, listing the sets that exist
        masters = [m for m in masters if any(m.stem.startswith(p) for p in prefixes)]
    if not masters:
        raise ValueError(f"No master notebooks in {root / 'masters'}.")
    status = {}
    for master in tqdm(masters, desc="building exercises", unit="set", disable=not progress):
        built = assemble(master, exercises_dir=root, force=force)
        target = student_path(master, root)
        new = built.student.read_bytes()
        same = target.is_file() and target.read_bytes() == new
        if same:
            status[master.stem] = "unchanged"
        elif check:
            status[master.stem] = "differs"
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(new)
            status[master.stem] = "written"
    return status
