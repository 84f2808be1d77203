"""Build printable handouts: ``make handouts`` (or python tools/handouts.py [LESSON ...]).

Each lesson (both editions, see tools/slides.py ``lessons``) is executed headless (tools/course.py),
exported to one self-contained HTML page (nbconvert's lab template, images inline, MathJax and
require.js from the local npm copy in build/slides/_vendor/) and printed to A4 PDF by Debian's
Chromium driven by Playwright (never a downloaded browser): build/handouts/[zh/]<lesson>.html/.pdf.
Chinese text uses the OFL font shipped in crmkit (embedded in the PDF), so no system CJK font is needed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import slides  # noqa: E402

OUT = ROOT / "build" / "handouts"
CHROMIUM = "/usr/bin/chromium"
PRINT_CSS = """<style>
@page { size: A4; margin: 14mm 12mm; }
@media print { .jp-Cell { break-inside: avoid-page; } .jp-OutputArea-output img { max-width: 100%; } }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
pre { white-space: pre-wrap !important; word-break: break-word; }
</style>
"""


def chromium_path() -> str | None:
    """Debian's Chromium if installed (``CRMKIT_CHROMIUM`` overrides), else None."""
    path = os.environ.get("CRMKIT_CHROMIUM") or shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    return path


def build_html(lesson: Path, *, out: Path = OUT, executed=None) -> Path:
    """Execute ``lesson`` (unless ``executed`` is given) and write its offline handout HTML."""
    from course import execute_notebook
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    edition = out / "zh" if lesson.parent.name == "zh" else out
    edition.mkdir(parents=True, exist_ok=True)
    vendor = slides.ensure_vendor(slides.OUT)
    prefix = Path(os.path.relpath(vendor / "node_modules", edition)).as_posix()
    c = Config()
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.require_js_url = f"{prefix}/requirejs/require.js"
    c.HTMLExporter.mathjax_url = f"{prefix}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    nb = executed if executed is not None else execute_notebook(lesson)
    slides.strip_widget_state(nb)
    body, _ = HTMLExporter(config=c).from_notebook_node(nb)
    css = PRINT_CSS + slides.font_css(out, edition)
    body = slides.drop_mermaid(body).replace("</head>", css + "</head>", 1)
    refs = slides.remote_refs(body)
    if refs:
        raise RuntimeError(f"{lesson.name}: the handout still loads from the network: {sorted(set(refs))[:5]}")
    target = edition / f"{lesson.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def print_pdf(html: Path, *, executable: str | None = None) -> Path:
    """Print ``html`` to an A4 PDF beside it with headless Chromium; return the PDF's path."""
    from playwright.sync_api import sync_playwright

    executable = executable or chromium_path()
    if executable is None:
        raise RuntimeError("No Chromium found: install Debian's `chromium` (apt-get install chromium) "
                           "or set CRMKIT_CHROMIUM to a Chromium executable.")
    target = html.with_suffix(".pdf")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.pdf(path=str(target), format="A4", print_background=True)
        finally:
            browser.close()
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/handouts.py", description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=Path, help="default: every lesson of both editions")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-pdf", action="store_true", help="HTML only")
    args = parser.parse_args(argv)
    for lesson in args.lessons or slides.lessons():
        html = build_html(lesson, out=args.out)
        print(f"handout  {html}", flush=True)
        if not args.no_pdf:
            print(f"handout  {print_pdf(html)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
