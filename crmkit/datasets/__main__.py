"""Command line: ``python -m crmkit.datasets build [--out FOLDER] [options]``.

Without ``--out`` it rebuilds the classroom data shipped inside the package (gzip'd CSV in
``crmkit/datasets/classroom/``, what ``load()`` reads by default) and, in a clone, the data dictionary
``datasets/README.md``. With ``--out`` it writes plain files for people who open them elsewhere:
CSV (Excel shows the Chinese correctly) or, with ``--format xlsx``, one workbook.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from crmkit.datasets.config import DEFAULT_SEED, SCALES
from crmkit.datasets.io import PACKAGE_DATA
from crmkit.vocabulary import LOCALES
from crmkit.datasets.store import FORMATS, BuildConflict, build, render

STEPS = 13  # 8 table groups, validation, render, write (+ slack)
#: The data dictionary of a clone (absent in a wheel install).
DICTIONARY = PACKAGE_DATA.parents[2] / "datasets" / "README.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crmkit.datasets",
                                     description="Build the crmkit logistics datasets.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate the tables and write them to a folder")
    b.add_argument("--out", default=None,
                   help="output folder for plain CSV/xlsx files (default: rebuild the package copy "
                        f"{PACKAGE_DATA} that load() reads)")
    b.add_argument("--scale", default="classroom", choices=list(SCALES))
    b.add_argument("--seed", type=int, default=DEFAULT_SEED)
    b.add_argument("--locale", default="zh_CN", choices=list(LOCALES))
    b.add_argument("--format", dest="fmt", default=None, choices=list(FORMATS),
                   help="csv (default with --out), xlsx, or csv.gz (the package copy's form)")
    b.add_argument("--force", action="store_true", help="overwrite files that differ")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _write_dictionary(args, force: bool) -> str | None:
    """In a clone, keep datasets/README.md in step with the package copy."""
    if not DICTIONARY.parent.is_dir():
        return None
    from crmkit.datasets.core import generate

    data = render(generate(seed=args.seed, scale=args.scale, locale=args.locale), "csv")["README.md"]
    if DICTIONARY.exists() and DICTIONARY.read_bytes() == data:
        return "unchanged"
    if DICTIONARY.exists() and not force:
        raise BuildConflict([str(DICTIONARY)])
    DICTIONARY.write_bytes(data)
    return "written"


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    package = args.out is None
    out = PACKAGE_DATA if package else Path(args.out)
    fmt = args.fmt or ("csv.gz" if package else "csv")
    if package and (args.scale, args.seed, args.locale) != ("classroom", DEFAULT_SEED, "zh_CN"):
        print("refused: the package copy is the classroom data (classroom scale, default seed, "
              "zh_CN); pass --out FOLDER for other data", file=sys.stderr)
        return 2
    from tqdm.auto import tqdm

    bar = tqdm(total=STEPS, desc=f"{args.scale} dataset", unit="step", disable=args.quiet or None,
               file=sys.stderr)

    def tick(label):
        bar.set_postfix_str(label)
        bar.update(1)

    start = time.perf_counter()
    try:
        status = build(out, scale=args.scale, seed=args.seed, locale=args.locale, force=args.force,
                       fmt=fmt, progress=tick)
        dictionary = _write_dictionary(args, args.force) if package else None
    except BuildConflict as err:
        bar.close()
        print(f"refused: {err}", file=sys.stderr)
        return 2
    bar.update(STEPS - bar.n)
    bar.close()
    for name, state in status.items():
        print(f"{state:>11}  {out / name}")
    if dictionary:
        print(f"{dictionary:>11}  {DICTIONARY}")
    print(f"{args.scale} dataset (seed {args.seed}, {args.locale}) in {out} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
