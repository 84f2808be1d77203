"""Run every benchmark in this folder (``make bench``): each ``bench_*.py`` in its own process.

Run: .venv/bin/python benchmarks/run.py [NAME ...]   (e.g. ``run.py speed methods``)

Prints each benchmark's report and a summary; exits 1 if any benchmark failed or missed a target.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks(names=()) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if names:
        found = [p for p in found if p.stem.removeprefix("bench_") in names or p.stem in names]
    return found


def main(argv=None) -> int:
    names = sys.argv[1:] if argv is None else argv
    scripts = benchmarks(names)
    if not scripts:
        print(f"no benchmark matches {names}", file=sys.stderr)
        return 2
    results = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        results.append((script.name, code, time.perf_counter() - start))
    print("\n== summary")
    for name, code, seconds in results:
        print(f"{name:<22} {'ok' if code == 0 else f'FAILED (exit {code})':<16} {seconds:6.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
