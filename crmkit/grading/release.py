"""The student release: the kit without masters, solutions, hidden tests or rubrics.

``python -m crmkit.grading release --out DIR`` copies what students need — the lessons
(``notebooks/``), the student exercise notebooks (public tests only), the course settings, the
classroom data, the ``crmkit`` package, the environment files Binder builds from — and writes a
student README. Publish ``DIR`` as your class's repository and point Binder/nbgitpuller links at it,
never at the kit itself (whose ``exercises/masters/`` holds every solution).

Before anything is written, every student notebook is built fresh and checked for leaks; after
copying, :func:`scan_release` checks every text file of the release for any solution line or
hidden-test line of any master, and a leak removes the release and raises.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from crmkit.grading.build import BuildError, build, default_exercises_dir, list_masters, student_path
from crmkit.grading.masters import find_leaks, read_master

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["release", "scan_release", "STUDENT_README"]

#: Top-level files and folders of the kit that go into the release as they are.
KIT_PARTS = ("notebooks", "datasets", "crmkit", "binder", "pyproject.toml",
             "constraints.txt", "LICENSE", "apt.txt", "postBuild", "runtime.txt")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info",
                               ".OTTER_LOG", ".DS_Store")
_TEXT = {".ipynb", ".py", ".md", ".txt", ".toml", ".yml", ".yaml", ".csv", ".json", ".cfg", ""}

STUDENT_README = """# {title}

Lessons and graded exercises of the course 物流客户关系管理 (logistics customer relationship
management), after 《现代物流客户关系管理实务》.

- `notebooks/` — one lesson per chapter; start with `notebooks/README.md`.
- `exercises/NN_slug/NN_slug.ipynb` — the graded exercise sets, `exercises/cases/` the case studies.
  Run the cells from the top; after each answer run its `grader.check("q1")` cell: a failed check
  prints one line saying what is wrong, in Chinese and English, with a hint (never the answer).
  Hand in the `.zip` that the last cell (`grader.export()`) makes. Your grade also uses tests you do
  not see, run by your teacher on the values of your answers.
- `datasets/` — the classroom data; `crmkit/` — the Python package the lessons use.

Open on Binder or your school's JupyterHub from the links your teacher gives you, or locally:
`python -m venv .venv && .venv/bin/pip install -c constraints.txt -e .` then `jupyter lab`.
"""


def _kit_root(exercises: Path) -> Path:
    return exercises.resolve().parent


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, ignore=_SKIP)
    elif src.is_file():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)


def scan_release(folder: str | PathLike[str], exercises_dir: str | PathLike[str] | None = None) -> list[str]:
    """Solution lines, hidden-test lines or otter markers of any master found in ``folder``."""
    folder = Path(folder)
    root = Path(exercises_dir or default_exercises_dir())
    texts, notebooks = {}, {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in _TEXT):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        rel = str(path.relative_to(folder))
        (notebooks if path.suffix == ".ipynb" else texts)[rel] = text
    leaks = []
    for master in list_masters(root):
        parsed = read_master(master)
        for rel, text in notebooks.items():  # markers count only in notebooks (crmkit's own
            found = find_leaks(parsed, {"text": text})  # grading code names them, as code)
            leaks += [f"{rel}: {leak} (from {master.name})" for leak in found]
        for rel, text in texts.items():
            found = find_leaks(parsed, {"text": text}, markers=False)
            leaks += [f"{rel}: {leak} (from {master.name})" for leak in found]
    return leaks


def release(out: str | PathLike[str], *, exercises_dir: str | PathLike[str] | None = None) -> list[Path]:
    """Write the student release of the kit into ``out`` (a new or empty folder).

    Returns
    -------
    list of Path
        Every file written.

    Raises
    ------
    ValueError
        If ``out`` exists and is not empty, or lies inside the kit.
    BuildError
        If a student notebook is stale (run ``make exercises``) or any file of the release contains
        solution or hidden-test text (the release is then removed).
    """
    out = Path(out).resolve()
    root = Path(exercises_dir or default_exercises_dir()).resolve()
    kit = _kit_root(root)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} exists and is not empty: give a new folder for the release.")
    if out == kit or kit in out.parents:
        raise ValueError(f"{out} is inside the kit {kit}: write the release somewhere else.")
    stale = [s for s, state in build(exercises_dir=root, check=True, progress=False).items()
             if state == "differs"]
    if stale:
        raise BuildError(f"stale student notebooks ({', '.join(stale)}): run `make exercises` first.")
    out.mkdir(parents=True, exist_ok=True)
    try:
        for part in KIT_PARTS:
            _copy(kit / part, out / part)
        _copy(root / "course.toml", out / "exercises" / "course.toml")
        for master in list_masters(root):
            src = student_path(master, root)
            _copy(src, out / src.relative_to(root.parent))
        (out / "README.md").write_text(STUDENT_README.format(title="crmkit-course (student copy)"),
                                       encoding="utf-8")
        leaks = scan_release(out, root)
        if leaks:
            raise BuildError("the release would leak:\n  " + "\n  ".join(leaks[:20]))
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return sorted(p for p in out.rglob("*") if p.is_file())
