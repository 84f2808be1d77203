"""Set reveal.js slideshow metadata on the lessons from their headings and cell lengths (idempotent).

    python tools/slideshow_metadata.py notebooks/*.ipynb [--check]

Rules (from the cell sources only, so the same lesson always gets the same deck):
- the ``#`` title cell and every ``##`` section start a new slide;
- ``###`` sub-sections, and any cell that would overfill the current screen (see ``SCREEN_BUDGET``),
  start a sub-slide (reveal.js: down arrow), so long sections stay readable on 1280x720;
- set-up code before the first section and the closing clean-up are ``skip`` (not projected);
- everything else continues the current (sub-)slide (``-``).
``--check`` only reports lessons whose metadata differ (exit 1), e.g. after a lesson was edited.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

#: Rough height budget of one 1280x720 screen, in "lines" as counted by :func:`cell_weight`.
SCREEN_BUDGET = 22
#: Extra height a chart takes (a figure fills most of a screen).
CHART_WEIGHT = 16
CHART_CALL = re.compile(r"plt\.show\(|\.plot[.(]|sns\.|plot_\w+\(|plt\.subplots\(")
WIDE = 95  # characters per projected line of prose


def cell_weight(cell: dict) -> int:
    """Estimated screen lines of one cell (prose wraps at ``WIDE`` characters; charts are tall).

    >>> cell_weight({"cell_type": "markdown", "source": "## A\\n\\n" + "x" * 200})
    5
    >>> cell_weight({"cell_type": "code", "source": "ax = df.plot.bar()\\nplt.show()"})
    20
    """
    source = _source(cell)
    lines = source.splitlines() or [""]
    if cell["cell_type"] == "markdown":
        return sum(max(1, -(-len(line) // WIDE)) for line in lines)
    weight = len(lines) + 2
    if CHART_CALL.search(source):
        weight += CHART_WEIGHT
    return weight


def slide_types(cells: list[dict]) -> list[str]:
    """One reveal.js ``slide_type`` per cell, by the rules in the module docstring.

    >>> cells = [{"cell_type": "markdown", "source": "# T"}, {"cell_type": "code", "source": "import x"},
    ...          {"cell_type": "markdown", "source": "## 1 A"}, {"cell_type": "code", "source": "1 + 1"},
    ...          {"cell_type": "markdown", "source": "### 1.1 B"}]
    >>> slide_types(cells)
    ['slide', 'skip', 'slide', '-', 'subslide']
    """
    types: list[str] = []
    used = 0
    seen_section = False
    cleanup = False
    for cell in cells:
        source = _source(cell).lstrip()
        weight = cell_weight(cell)
        is_md = cell["cell_type"] == "markdown"
        if is_md and re.match(r"#{1,2} ", source):
            kind, used = "slide", weight
            seen_section = seen_section or source.startswith("## ")
            cleanup = False
        elif is_md and source.startswith("### "):
            kind, used = "subslide", weight
        elif is_md and source.startswith("**收尾"):
            kind, cleanup = "skip", True
        elif cleanup or (cell["cell_type"] == "code" and not seen_section):
            kind = "skip"
        elif used and used + weight > SCREEN_BUDGET:
            kind, used = "subslide", weight
        else:
            kind, used = "-", used + weight
        types.append(kind)
    return types


def count_slides(cells: list[dict]) -> int:
    """Number of horizontal slides (``slide``) plus sub-slides the metadata produce."""
    return sum(_slide_type(c) in ("slide", "subslide") for c in cells)


def apply(path: Path, *, check: bool = False) -> bool:
    """Set the metadata of the lesson at ``path``; return True when it changed (or would, with check)."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    changed = False
    for cell, kind in zip(nb["cells"], slide_types(nb["cells"])):
        if _slide_type(cell) != kind:
            cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind
            changed = True
    if changed and not check:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/slideshow_metadata.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if any lesson differs")
    args = parser.parse_args(argv)
    stale = [p for p in args.notebooks if apply(p, check=args.check)]
    for p in stale:
        print(f"{'stale' if args.check else 'updated'}  {p}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
