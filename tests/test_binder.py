"""Binder: binder/ holds the pinned third-party environment (a cached repo2docker layer) and agrees
with constraints.txt; postBuild installs crmkit itself without dependencies."""
import importlib.util
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
SPEC = importlib.util.spec_from_file_location("binder_requirements", ROOT / "tools" / "binder_requirements.py")
tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(tool)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_binder_requirements_are_the_lock_minus_test_tools():
    assert (BINDER / "requirements.txt").read_text(encoding="utf-8") == tool.binder_requirements(), \
        "binder/requirements.txt is out of date: run tools/binder_requirements.py"


def test_every_binder_pin_is_the_locked_version():
    lock = tool.pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    binder = tool.pins((BINDER / "requirements.txt").read_text(encoding="utf-8"))
    assert binder, "binder/requirements.txt is empty"
    for name, line in binder.items():
        assert "==" in line, f"{line} is not pinned"
        assert lock.get(name) == line, f"{line} differs from constraints.txt ({lock.get(name)})"


def test_binder_has_what_the_lessons_and_exercises_need():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    binder = tool.pins((BINDER / "requirements.txt").read_text(encoding="utf-8"))
    extras = project["optional-dependencies"]
    needed = {_name(r) for r in [*project["dependencies"], *extras["lab"], *extras["grading"]]}
    assert needed - set(binder) == set()
    assert "crmkit" not in binder and not any(line.startswith(("-e", ".")) for line in binder.values())


def test_post_build_installs_crmkit_without_dependencies():
    post = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"pip install --no-deps .* \.$", post, re.M)
    assert (BINDER / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_no_root_environment_file_competes_with_binder():
    # repo2docker reads binder/ when it exists; a root environment.yml with `-e .` made every commit
    # rebuild the whole environment (the repository is copied before it is installed).
    assert not (ROOT / "environment.yml").exists()
