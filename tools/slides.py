"""Build an offline reveal.js deck per lesson: ``make slides`` (or python tools/slides.py [LESSON ...]).

Each lesson (notebooks/*.ipynb, and notebooks/zh/*.ipynb when that edition exists) is executed
headless with tools/course.py's ``execute_notebook`` (no ipywidgets stall), then exported with
nbconvert's SlidesExporter pointed at local copies of reveal.js, require.js and MathJax 2 installed
from the npm registry into build/slides/_vendor/ (once; later builds reuse them). A deck is
build/slides/[zh/]<lesson>.slides.html and opens from disk without a network; the slide structure
comes from the cells' slideshow metadata (tools/slideshow_metadata.py).

Widgets are shown as the static chart drawn before them (saved widget state would load the
widget manager from a CDN, so it is dropped). Extra CSS (SLIDE_CSS) keeps code and charts inside
a 1280x720 screen.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

OUT = ROOT / "build" / "slides"
VENDOR_NAME = "_vendor"
#: npm packages (name@range -> what the deck loads from it).
NPM_PACKAGES = ("reveal.js@4", "requirejs@2", "mathjax@2")
#: Anything that loads from the network: a deck must contain none of these.
REMOTE_REF = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|"""
                        r"""https?://(?:cdn|unpkg|cdnjs)[\w.-]*""", re.I)

SLIDE_CSS = """
<style>
/* fit 1280x720: smaller prose and code, charts scaled into the screen */
.reveal .slides { text-align: left; }
.reveal .jp-RenderedHTMLCommon, .reveal .jp-RenderedMarkdown { font-size: 0.62em; line-height: 1.35; }
.reveal .jp-RenderedHTMLCommon h1 { font-size: 1.9em; } .reveal .jp-RenderedHTMLCommon h2 { font-size: 1.55em; }
.reveal .jp-InputArea pre, .reveal .jp-OutputArea pre { font-size: 0.7em !important; line-height: 1.3; }
.reveal .jp-OutputArea-output img { max-height: 56vh; width: auto; max-width: 100%; }
.reveal .jp-RenderedHTMLCommon table { font-size: 0.6em; }
.reveal .jp-OutputArea-output { max-height: 62vh; overflow: auto; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal section { overflow-y: auto; max-height: 100%; }
</style>
"""


FONT = ROOT / "crmkit" / "fonts" / "NotoSansSC-crmkit.otf"
FONT_FAMILY = "crmkit CJK"


def font_css(out: Path, page_dir: Path) -> str:
    """Copy crmkit's OFL CJK font (and licence) to ``out``/_fonts; CSS that uses it for Chinese glyphs.

    Browsers fall back per glyph along ``font-family``, so Latin text keeps its font and Chinese is
    drawn with the shipped font - no system CJK font needed (this machine has none).
    """
    fonts = out / "_fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for src in FONT.parent.iterdir():
        if src.is_file() and (src.suffix == ".otf" or "LICENSE" in src.name.upper() or "OFL" in src.name.upper()):
            if not (fonts / src.name).exists():
                shutil.copy2(src, fonts / src.name)
    url = Path(os.path.relpath(fonts / FONT.name, page_dir)).as_posix()
    stack = f'"Segoe UI", Helvetica, Arial, "DejaVu Sans", "{FONT_FAMILY}", sans-serif'
    mono = f'"DejaVu Sans Mono", Menlo, Consolas, monospace, "{FONT_FAMILY}"'
    return (f'<style>@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}") format("opentype"); }}\n'
            f"body, .reveal, .jp-RenderedHTMLCommon, h1, h2, h3, h4, table {{ font-family: {stack} !important; }}\n"
            f"pre, code, .jp-OutputArea-output pre {{ font-family: {mono} !important; }}</style>\n")


def lessons(root: Path = ROOT) -> list[Path]:
    """Every lesson of both editions: notebooks/NN_*.ipynb and notebooks/zh/NN_*.ipynb if present."""
    found = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return found + sorted((root / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def ensure_vendor(out: Path = OUT) -> Path:
    """Install reveal.js, require.js and MathJax 2 under ``out``/_vendor once; return that folder."""
    vendor = out / VENDOR_NAME
    modules = vendor / "node_modules"
    if all((modules / name.split("@")[0]).is_dir() for name in NPM_PACKAGES):
        return vendor
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("`npm` is needed once to fetch reveal.js, require.js and MathJax into "
                           f"{vendor}; install Node.js/npm or copy a node_modules folder there.")
    vendor.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(vendor),
                    *NPM_PACKAGES], check=True)
    return vendor


def exporter(prefix: str):
    """A SlidesExporter that loads everything from ``prefix`` (a relative URL to _vendor/node_modules)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.reveal_url_prefix = f"{prefix}/reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.require_js_url = f"{prefix}/requirejs/require.js"
    c.SlidesExporter.mathjax_url = f"{prefix}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    c.SlidesExporter.jquery_url = ""
    c.SlidesExporter.font_awesome_url = ""
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=c)


def strip_widget_state(nb) -> None:
    """Drop saved ipywidgets state and views (they would load the widget manager from a CDN)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            data.pop("application/vnd.jupyter.widget-view+json", None)


MERMAID = re.compile(r"<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>", re.S)


def drop_mermaid(html: str) -> str:
    """Remove nbconvert's MermaidJS loader (a CDN import that no option turns off; lessons use no mermaid)."""
    return MERMAID.sub("", html).replace('<script src=""></script>', "")


def remote_refs(html: str) -> list[str]:
    """Every network reference in ``html`` (empty for an offline deck).

    >>> remote_refs('<script src="https://cdn.example.org/x.js"></script><a href="#/2">')
    ['src="https://']
    >>> remote_refs('<script src="_vendor/node_modules/requirejs/require.js"></script>')
    []
    """
    return [m.group(0) for m in REMOTE_REF.finditer(html)]


def build_deck(lesson: Path, *, out: Path = OUT, executed=None) -> Path:
    """Execute ``lesson`` (unless ``executed`` is given) and write its offline deck; return the path."""
    from course import execute_notebook

    edition = out / "zh" if lesson.parent.name == "zh" else out
    edition.mkdir(parents=True, exist_ok=True)
    vendor = ensure_vendor(out)
    nb = executed if executed is not None else execute_notebook(lesson)
    strip_widget_state(nb)
    prefix = Path(os.path.relpath(vendor / "node_modules", edition)).as_posix()
    body, _ = exporter(prefix).from_notebook_node(nb)
    css = SLIDE_CSS + font_css(out, edition)
    body = drop_mermaid(body).replace("</head>", css + "</head>", 1)
    refs = remote_refs(body)
    if refs:
        raise RuntimeError(f"{lesson.name}: the deck still loads from the network: {sorted(set(refs))[:5]}")
    target = edition / f"{lesson.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/slides.py", description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=Path, help="default: every lesson of both editions")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for lesson in args.lessons or lessons():
        print(f"deck  {build_deck(lesson, out=args.out)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
