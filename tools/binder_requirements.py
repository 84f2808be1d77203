"""Write binder/requirements.txt from constraints.txt (maintainers: run after changing the lock).

Binder (repo2docker) installs binder/requirements.txt *before* it copies the repository, so that heavy
layer is cached between commits; binder/postBuild then installs crmkit itself without dependencies.
The pins are constraints.txt's, minus the packages only the test suite uses.
tests/test_binder.py checks that the two files agree.

Usage: .venv/bin/python tools/binder_requirements.py
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
TARGET = ROOT / "binder" / "requirements.txt"
#: In the lock for `make test` only (pyproject's [dev] extra and what only it pulls in).
DEV_ONLY = {"coverage", "duckdb", "execnet", "hypothesis", "iniconfig", "nbval", "pluggy", "pytest",
            "pytest-cov", "pytest-xdist", "sortedcontainers"}
HEADER = ("# Binder's pinned third-party environment, written by tools/binder_requirements.py from\n"
          "# constraints.txt (minus test-only packages). Do not edit by hand; crmkit itself is\n"
          "# installed by binder/postBuild with --no-deps.\n")


def pins(text: str) -> dict[str, str]:
    """``name -> 'name==version'`` of a requirements/constraints text (comments skipped)."""
    out = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name = line.split("==")[0].strip()
            out[name.lower().replace("_", "-")] = line
    return out


def binder_requirements() -> str:
    lock = pins(CONSTRAINTS.read_text(encoding="utf-8"))
    return HEADER + "".join(f"{line}\n" for name, line in lock.items() if name not in DEV_ONLY)


def main() -> int:
    TARGET.write_text(binder_requirements(), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
