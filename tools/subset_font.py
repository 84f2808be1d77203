"""Rebuild the Chinese font shipped in crmkit/fonts/ (maintainers only; students never run this).

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so charts with Chinese labels show
empty boxes ("tofu"). crmkit ships a subset of Noto Sans CJK SC (SIL Open Font License 1.1): every
character of GB2312 (the 6,763 common simplified characters and punctuation) plus every character
used anywhere in the kit's sources, notebooks and datasets. The subset is ~2 MB instead of 19 MB.

Usage (needs Debian's fonts-noto-cjk):  .venv/bin/python tools/subset_font.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = ROOT / "crmkit" / "fonts" / "NotoSansSC-crmkit.otf"
SCANNED = ("crmkit", "notebooks", "exercises", "datasets", "README.md")
SUFFIXES = {".py", ".ipynb", ".md", ".csv", ".json", ".txt"}


def gb2312_characters() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def kit_characters() -> set[str]:
    chars = set()
    for top in SCANNED:
        path = ROOT / top
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.suffix in SUFFIXES]
        for file in files:
            chars.update(file.read_text(encoding="utf-8-sig", errors="ignore"))
    return {c for c in chars if ord(c) >= 0x2000}


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} not found: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    collection = TTCollection(str(SOURCE))
    index = next(i for i, font in enumerate(collection.fonts)
                 if font["name"].getDebugName(1) == "Noto Sans CJK SC")
    wanted = gb2312_characters() | kit_characters() | {chr(c) for c in range(0x20, 0x250)}
    wanted |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    wanted |= {"\u2212"}  # MINUS SIGN: DejaVu Sans draws it today (font.family fallback); keep it here too
    options = subset.Options()
    options.font_number = index
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET), options)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(wanted)} characters, "
          f"{TARGET.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
