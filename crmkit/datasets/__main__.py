"""Command line: ``python -m crmkit.datasets build --out datasets/ [options]``."""
from __future__ import annotations

import argparse
import sys
import time

from crmkit.datasets.config import DEFAULT_SEED, SCALES
from crmkit.datasets.labels import LOCALES
from crmkit.datasets.store import FORMATS, BuildConflict, build, data_dir

STEPS = 13  # 8 table groups, validation, render, write (+ slack)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmkit.datasets",
                                     description="Build the crmkit logistics datasets.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate the tables and write them to a folder")
    b.add_argument("--out", default=None, help="output folder (default: the repo's datasets/)")
    b.add_argument("--scale", default="classroom", choices=list(SCALES))
    b.add_argument("--seed", type=int, default=DEFAULT_SEED)
    b.add_argument("--locale", default="zh_CN", choices=list(LOCALES))
    b.add_argument("--format", dest="fmt", default="csv", choices=list(FORMATS))
    b.add_argument("--force", action="store_true", help="overwrite files that differ")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    out = data_dir(args.out)
    from tqdm.auto import tqdm

    bar = tqdm(total=STEPS, desc=f"{args.scale} dataset", unit="step", disable=args.quiet or None,
               file=sys.stderr)

    def tick(label):
        bar.set_postfix_str(label)
        bar.update(1)

    start = time.perf_counter()
    try:
        status = build(out, scale=args.scale, seed=args.seed, locale=args.locale, force=args.force,
                       fmt=args.fmt, progress=tick)
    except BuildConflict as err:
        bar.close()
        print(f"refused: {err}", file=sys.stderr)
        return 2
    bar.update(STEPS - bar.n)
    bar.close()
    for name, state in status.items():
        print(f"{state:>11}  {out / name}")
    print(f"{args.scale} dataset (seed {args.seed}, {args.locale}) in {out} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
