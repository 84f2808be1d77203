"""Command line: ``python -m crmkit.grading build|grade|release|progress ...`` (``make exercises`` = ``build``)."""
from __future__ import annotations

import argparse
import sys

__all__ = ["main"]

EPILOG = """examples:
  python -m crmkit.grading build                 build every set (make exercises)
  python -m crmkit.grading build --only 05 --force
  python -m crmkit.grading build --check         exit 1 if a committed student notebook is stale
  python -m crmkit.grading grade --assignment 05 --submissions hand-ins/ --out gradebook.csv
  python -m crmkit.grading --assignment 05 --submissions hand-ins/ --out gradebook.csv
  python -m crmkit.grading release --out ../class-repo   the student copy to publish
  python -m crmkit.grading progress --dir term/ --roster roster.csv --pass-mark 60 --out report/
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crmkit.grading", epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Build and grade the crmkit exercise sets.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="student notebooks and autograders from the masters")
    b.add_argument("--only", action="append", metavar="SET", help="set name or prefix (repeatable)")
    b.add_argument("--force", action="store_true", help="rebuild even if the cached build is current")
    b.add_argument("--check", action="store_true", help="write nothing; fail if a student notebook is stale")
    b.add_argument("--verify", action="store_true",
                   help="also grade each solution notebook: it must earn full marks")
    b.add_argument("--seed", type=int, default=None, help="course seed for --verify")
    b.add_argument("--exercises", default=None, help="the exercises/ folder")
    g = sub.add_parser("grade", help="grade a folder of submissions into a CSV gradebook")
    g.add_argument("--assignment", required=True, help="set name or prefix, e.g. 05")
    g.add_argument("--submissions", required=True, help="folder with one file per student")
    g.add_argument("--out", required=True, help="gradebook CSV to write")
    g.add_argument("--timeout", type=float, default=None, help="seconds per submission (default 120)")
    g.add_argument("--seed", type=int, default=None, help="course seed (default: course.toml)")
    g.add_argument("--jobs", type=int, default=None,
                   help="hand-ins graded in parallel (default: the number of cores)")
    g.add_argument("--memory", type=float, default=2.0, help="GiB of memory per hand-in (default 2)")
    g.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap (unsafe: says what it cannot protect)")
    g.add_argument("--exercises", default=None, help="the exercises/ folder")
    r = sub.add_parser("release", help="the student copy of the kit: no masters, solutions or hidden tests")
    r.add_argument("--out", required=True, help="new folder to write (must not exist or be empty)")
    r.add_argument("--exercises", default=None, help="the exercises/ folder")
    p = sub.add_parser("progress", help="status per student and set (passed / not yet / missing)")
    p.add_argument("gradebooks", nargs="*", metavar="GRADEBOOK",
                   help="gradebook CSVs, one per set (gradebook_05.csv = set 05)")
    p.add_argument("--dir", default=None, help="read every gradebook*.csv in this folder")
    p.add_argument("--roster", default=None, help="CSV of students (student, name) to list them all")
    p.add_argument("--pass-mark", type=float, default=60.0, help="percent needed to pass (default 60)")
    p.add_argument("--out", default=".", help="folder for progress.csv and progress.html (default .)")
    p.add_argument("--force", action="store_true", help="overwrite an existing progress.csv/html")
    return parser


def _progress(args) -> int:
    from pathlib import Path

    from crmkit.grading import progress as pg

    paths = [Path(p) for p in args.gradebooks]
    if args.dir:
        folder = Path(args.dir)
        if not folder.is_dir():
            raise ValueError(f"--dir {folder} is not a folder.")
        paths += sorted(folder.glob("gradebook*.csv"))
    if not paths:
        raise ValueError("no gradebooks: name gradebook CSVs or a --dir with gradebook*.csv files.")
    books = {}
    for path in paths:
        name = pg.set_name(path)
        if name in books:
            raise ValueError(f"two gradebooks for set {name}: {path} and an earlier one.")
        books[name] = pg.read_gradebook(path)
    table = pg.progress_table(books, pass_mark=args.pass_mark, roster=args.roster)
    written = pg.write_outputs(table, args.out, pass_mark=args.pass_mark, force=args.force)
    print(pg.progress_wide(table).to_string())
    counts = table["status"].value_counts()
    print(f"{table['student'].nunique()} students, {len(books)} sets, pass mark "
          f"{args.pass_mark:g}%: " + ", ".join(f"{pg.STATUS_LABELS[s]} {counts.get(s, 0)}"
                                               for s in pg.STATUSES))
    print("written: " + ", ".join(map(str, written)))
    return 0


def _verify(stems, exercises, seed) -> list[str]:
    import shutil
    import tempfile
    from pathlib import Path

    from crmkit.grading.build import assemble, resolve_master
    from crmkit.grading.grade import grade

    failures = []
    for stem in stems:
        built = assemble(resolve_master(stem, exercises), exercises_dir=exercises)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(built.solution, Path(tmp) / "solution.ipynb")
            book = grade(stem, tmp, exercises_dir=exercises, seed=seed, progress=False)
        row = book.iloc[0]
        if row["total"] != row["possible"] or row["error"]:
            failures.append(f"{stem}: the solution earns {row['total']:g}/{row['possible']:g} "
                            f"{row['error']}")
        else:
            print(f" verified  {stem}: the solution earns full marks")
    return failures


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0].startswith("--assignment"):
        argv = ["grade", *argv]  # the short form without the verb
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from crmkit.grading.build import build

            status = build(args.only, exercises_dir=args.exercises, force=args.force,
                           check=args.check)
            for stem, state in status.items():
                print(f"{state:>9}  {stem}")
            stale = [s for s, state in status.items() if state == "differs"]
            if stale:
                print("Stale student notebooks: run `make exercises` and commit them.", file=sys.stderr)
                return 1
            if args.verify:
                failures = _verify(list(status), args.exercises, args.seed)
                for line in failures:
                    print(line, file=sys.stderr)
                return 1 if failures else 0
            return 0
        if args.command == "progress":
            return _progress(args)
        if args.command == "release":
            from crmkit.grading.release import release

            written = release(args.out, exercises_dir=args.exercises)
            print(f"student release written to {args.out} ({len(written)} files); publish it as "
                  "your class's repository and point Binder/nbgitpuller links there.")
            return 0
        from crmkit.grading.grade import DEFAULT_TIMEOUT, grade
        from crmkit.grading.sandbox import UNPROTECTED, Limits

        if args.no_sandbox:
            print(f"warning: --no-sandbox: {UNPROTECTED}.", file=sys.stderr)
        book = grade(args.assignment, args.submissions, args.out, seed=args.seed, jobs=args.jobs,
                     timeout=args.timeout or DEFAULT_TIMEOUT, exercises_dir=args.exercises,
                     sandbox=not args.no_sandbox,
                     limits=Limits(memory=int(args.memory * 1024 ** 3)))
        failed = int((book["error"] != "").sum())
        print(f"{len(book)} submissions graded into {args.out}; mean {book['percent'].mean():.1f}% "
              f"of the auto-graded points; {failed} with errors (see the `error` column).")
        return 0
    except (ValueError, RuntimeError) as err:  # bad arguments, or a master that cannot be built
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
