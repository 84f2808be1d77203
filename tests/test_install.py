"""The kit as users install it, not as this clone: a real wheel in a fresh venv, and the lowest
versions the dependency ranges allow.

- The wheel test builds crmkit's wheel, installs it non-editable (``--no-deps``) into a new venv whose
  third-party packages come from this .venv (a ``.pth`` line, so nothing is downloaded), and from a
  folder outside the repository loads every table and runs lesson 01 with nbclient.
- The lowest-versions test installs exactly the lower bounds of pyproject's runtime ranges (into a
  venv cached under ~/.cache/crmkit-lowest, keyed by those bounds) and runs the method tests and two
  lessons with them.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: The method tests (no plotting, no datasets, no grading) and the two lessons the lowest run uses.
METHOD_TESTS = ["test_abc.py", "test_classify.py", "test_complaints.py", "test_crm.py", "test_kpi.py",
                "test_satisfaction.py", "test_servicecenter.py", "test_value.py", "test_delivery.py"]
LOWEST_LESSONS = ["01_customer_types.ipynb", "05_abc_core_customers.ipynb"]

pytestmark = pytest.mark.slow


def _run(cmd, **kw):
    kw.setdefault("timeout", 900)
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", "--without-pip", path])
    return path / "bin" / "python"


def _site_packages(python: Path) -> Path:
    out = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    return Path(out.stdout.strip())


def _borrow_this_env(python: Path) -> None:
    """Let ``python`` import this .venv's packages *after* its own (a .pth appends to sys.path)."""
    (_site_packages(python) / "zz_borrow_dev_env.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT])
    (built,) = out.glob("crmkit-*.whl")
    return built


def _install_wheel(python: Path, wheel: Path) -> None:
    # --force-reinstall: the cached lowest-versions venv already holds crmkit 0.1.0 from an earlier
    # run, and pip would keep that stale copy ("already satisfied") instead of this checkout's wheel.
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", "-q", wheel])


LOAD_EVERYTHING = """
import crmkit, crmkit.datasets as d
from pathlib import Path
here = Path(crmkit.__file__).resolve()
assert "site-packages" in here.parts and not here.is_relative_to(Path({root!r})), here
rows = {{name: len(d.load(name)) for name in (*d.TABLES, *d.TRUTH_TABLES)}}
assert d.load_truth().trap["planted_share"] == 0.75
assert (here.parent / "py.typed").exists()
print(rows)
"""

RUN_LESSON = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
          if o.get("output_type") == "error"]
assert not errors, errors
print("ran", len(nb.cells), "cells")
"""


def _fresh_kernel_env(python: Path, home: Path) -> dict:
    """Environment for a kernel of ``python``: its own Jupyter paths, not this clone's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CRMKIT_", "PYTHON", "MPLBACKEND"))}
    return {**env, "HOME": str(home), "MPLCONFIGDIR": str(home / "mpl"),
            "PATH": f"{python.parent}{os.pathsep}{env.get('PATH', '')}"}


def test_wheel_installs_and_runs_a_lesson_outside_the_repository(wheel, tmp_path):
    size = wheel.stat().st_size
    assert size < 12_000_000, f"wheel is {size / 1e6:.1f} MB"
    python = _venv(tmp_path / "venv")
    _borrow_this_env(python)
    # pip itself comes from the borrowed environment too.
    _install_wheel(python, wheel)
    work = tmp_path / "class"
    work.mkdir()
    env = _fresh_kernel_env(python, tmp_path)
    out = _run([python, "-c", LOAD_EVERYTHING.format(root=str(ROOT))], cwd=work, env=env)
    assert "'shipments': 100000" in out.stdout
    shutil.copy(ROOT / "notebooks" / "01_customer_types.ipynb", work)
    out = _run([python, "-c", RUN_LESSON, "01_customer_types.ipynb"], cwd=work, env=env)
    assert out.stdout.startswith("ran")


def lowest_requirements() -> list[str]:
    """``name==low`` for every runtime dependency (its ``>=`` bound)."""
    pins = []
    for spec in PYPROJECT["project"]["dependencies"]:
        match = re.match(r"^([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)", spec)
        assert match, f"runtime dependency {spec!r} has no lower bound"
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def test_every_runtime_dependency_has_a_tested_lower_bound():
    pins = lowest_requirements()
    names = {p.split("==")[0].lower() for p in pins}
    assert {"numpy", "pandas", "matplotlib", "seaborn", "faker"} <= names
    low = dict(p.lower().split("==") for p in pins)
    # Pyodide (jupyterlite-pyodide-kernel 0.8.6) ships pandas 3.0.2 and matplotlib 3.10.8.
    assert tuple(map(int, low["pandas"].split("."))) <= (3, 0, 2)
    assert tuple(map(int, low["matplotlib"].split("."))) <= (3, 10, 8)
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"lab", "grading", "dev"} <= set(extras)
    runtime = " ".join(PYPROJECT["project"]["dependencies"])
    for heavy in ("jupyterlab", "ipykernel", "otter-grader"):
        assert heavy not in runtime, f"{heavy} must be an extra, not a runtime dependency"


@pytest.mark.skipif(os.environ.get("CRMKIT_SKIP_LOWEST") == "1", reason="CRMKIT_SKIP_LOWEST=1")
def test_lowest_supported_versions_run_the_method_tests_and_two_lessons(wheel, tmp_path):
    pins = lowest_requirements()
    key = hashlib.sha256("\n".join(pins).encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "crmkit-lowest" / key
    python = cache / "bin" / "python"
    if not (cache / ".ready").exists():
        shutil.rmtree(cache, ignore_errors=True)
        _run([sys.executable, "-m", "venv", cache])
        result = subprocess.run([python, "-m", "pip", "install", "-q", *pins], capture_output=True,
                                text=True, timeout=900)
        if result.returncode != 0 and "No matching distribution" in result.stderr:
            pytest.skip(f"the lowest versions cannot be downloaded here: {result.stderr[-500:]}")
        assert result.returncode == 0, result.stderr[-3000:]
        (cache / ".ready").write_text("\n".join(pins) + "\n")
    # pytest, nbval, ipykernel come from *this* clone's .venv, after the lowest packages. Written on
    # every run: the cache outlives the clone that made it (CI clones to a new path each time).
    _borrow_this_env(python)
    _install_wheel(python, wheel)
    versions = _run([python, "-c", "import numpy, pandas, matplotlib, seaborn, faker; "
                     "print(numpy.__version__, pandas.__version__, matplotlib.__version__, "
                     "seaborn.__version__, faker.VERSION)"]).stdout.split()
    low = dict(p.lower().split("==") for p in pins)
    assert versions == [low["numpy"], low["pandas"], low["matplotlib"], low["seaborn"], low["faker"]]
    env = _fresh_kernel_env(python, tmp_path)
    work = tmp_path / "run"
    shutil.copytree(ROOT / "tests", work / "tests")
    for lesson in LOWEST_LESSONS:
        shutil.copy(ROOT / "notebooks" / lesson, work)
    (work / "tests" / "pytest.ini").write_text("[pytest]\naddopts = -p no:faker -p no:cacheprovider\n")
    _run([python, "-m", "pytest", "-q", "-x", "-c", work / "tests" / "pytest.ini", "--rootdir", work,
          *[work / "tests" / t for t in METHOD_TESTS],
          "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=300",
          *[work / lesson for lesson in LOWEST_LESSONS]], cwd=work, env=env)
