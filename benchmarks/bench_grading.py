"""Time a class of hand-ins graded with the sandbox on: 120 correct hand-ins of one set (issue 9).

Run: .venv/bin/python benchmarks/bench_grading.py [--set 05] [--n 120] [--jobs N]

Copies the solution notebook of the set ``--n`` times into a temporary submissions folder and runs
``crmkit.grading.grade`` on it with bubblewrap (each hand-in in its own sandbox, default limits),
``--jobs`` at a time (default: the number of cores). Target on 2 cores: <= 10 minutes for 120.
Prints the wall time, the mean seconds per hand-in, and checks every hand-in scored full marks.
No assertions beyond that: this prints figures for benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from crmkit.grading.build import assemble, resolve_master
from crmkit.grading.grade import default_jobs, grade


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="05")
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    jobs = args.jobs or default_jobs()
    built = assemble(resolve_master(args.set))
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        subs = Path(tmp) / "subs"
        subs.mkdir()
        for i in range(args.n):
            shutil.copyfile(built.solution, subs / f"student_{i:03d}.ipynb")
        load = os.getloadavg()[0]
        start = time.perf_counter()
        book = grade(args.set, subs, Path(tmp) / "book.csv", jobs=jobs, progress=False)
        wall = time.perf_counter() - start
    full = int((book["total"] == book["possible"]).sum())
    print(f"{datetime.now():%Y-%m-%d %H:%M}  {platform.machine()}  {os.cpu_count()} cores  "
          f"load average at start {load:.1f}")
    print(f"set {built.stem}: {args.n} hand-ins, sandbox on, --jobs {jobs}")
    print(f"wall time           : {wall:8.1f} s   (target <= 600 s on 2 cores)")
    print(f"per hand-in (mean)  : {book['seconds'].mean():8.1f} s in its sandbox")
    print(f"throughput          : {args.n / wall * 60:8.1f} hand-ins per minute")
    print(f"full marks          : {full}/{args.n}; errors: {int((book['error'] != '').sum())}")
    return 0 if full == args.n else 1


if __name__ == "__main__":
    raise SystemExit(main())
