"""Slides: every lesson's metadata makes a real deck, and a built deck works offline."""
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import slideshow_metadata  # noqa: E402
import slides  # noqa: E402

LESSONS = slides.lessons()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_metadata_gives_at_least_eight_slides_and_is_current(lesson):
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    assert slideshow_metadata.count_slides(cells) >= 8
    # the committed metadata is what the script computes (re-run tools/slideshow_metadata.py after edits)
    assert [slideshow_metadata._slide_type(c) for c in cells] == slideshow_metadata.slide_types(cells)


def test_remote_refs_finds_cdn_links():
    assert slides.remote_refs('<script src="https://unpkg.com/reveal.js@4/dist/reveal.js"></script>')
    assert slides.remote_refs("<link href='//cdnjs.cloudflare.com/x.css'>")
    assert not slides.remote_refs('<script src="_vendor/node_modules/requirejs/require.js"></script>')


@pytest.mark.skipif(shutil.which("npm") is None and not (slides.OUT / slides.VENDOR_NAME).is_dir(),
                    reason="needs npm (once) to fetch reveal.js")
@pytest.mark.parametrize("edition", ["", "zh"], ids=["en", "zh"])
def test_built_deck_is_offline_and_has_slides(tmp_path, edition):
    """Build lesson 01's deck in each edition (executing it); check its slides and that nothing loads remotely."""
    vendor = slides.OUT / slides.VENDOR_NAME
    if vendor.is_dir():                       # reuse the npm install of `make slides`
        (tmp_path / slides.VENDOR_NAME).symlink_to(vendor, target_is_directory=True)
    deck = slides.build_deck(ROOT / "notebooks" / edition / "01_customer_types.ipynb", out=tmp_path)
    html = deck.read_text(encoding="utf-8")
    assert slides.remote_refs(html) == []
    assert "cdnjs" not in html and "unpkg.com" not in html
    assert len(re.findall(r"<section\b", html)) >= 8
    for ref in re.findall(r'(?:src|href)="(_vendor/[^"?]+)', html):
        assert (deck.parent / ref).is_file(), ref
    assert "<img" in html                      # charts were executed into the deck
